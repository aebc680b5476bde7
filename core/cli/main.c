/* qmslint: everything lives in the core library; main only hands over the command line. */
#include "cli.h"

int main(int argc, char **argv)
{
    return qms_cli_main(argc, argv);
}
