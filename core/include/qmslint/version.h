/* qmslint version, for plugins and output. */
#ifndef QMSLINT_VERSION_H
#define QMSLINT_VERSION_H

#define QMS_VERSION_MAJOR 0
#define QMS_VERSION_MINOR 1
#define QMS_VERSION_PATCH 0
#define QMS_VERSION "0.1.0"
#define QMS_INFORMATION_URI "https://qmslint.invalid/docs"

#endif
