/* Error codes returned by core functions: 0 success, negative on failure. Never renumbered;
 * retired codes stay reserved. The detail goes into the caller's error buffer. */
#ifndef QMS_ERRORS_H
#define QMS_ERRORS_H

#define QMS_OK 0
#define QMS_ENOMEM (-1)      /* out of memory */
#define QMS_EIO (-2)         /* cannot open / read a file */
#define QMS_EFORMAT (-3)     /* not the format it claims to be, or corrupt */
#define QMS_ETOOBIG (-4)     /* a cap was hit (size, ratio, entries, depth, line length) */
#define QMS_EUNSUPPORTED (-5) /* encrypted, legacy binary, unsupported variant */
#define QMS_ECONFIG (-6)     /* bad configuration or rule pack */
#define QMS_EPLUGIN (-7)     /* a plugin was refused or failed */
#define QMS_EUSAGE (-8)      /* bad command line */
#define QMS_EINTERNAL (-9)

/* Error detail for one operation: a one-line human reason. */
#define QMS_ERRBUF_SIZE 512
struct qms_err {
    char msg[QMS_ERRBUF_SIZE];
};

/* Sets err->msg (printf-style) and returns `code`, for `return qms_err_set(err, QMS_EIO, ...)`. */
int qms_err_set(struct qms_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
