/* <qmslint/plugin.h> must compile alone, first, as ISO C11: pedantic warnings are errors here. */
#pragma GCC diagnostic error "-Wpedantic"
#include <qmslint/plugin.h>
typedef int qms_header_compiles_alone;
