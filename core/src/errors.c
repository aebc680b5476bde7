#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

int qms_err_set(struct qms_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
