/* File -> bytes -> the reader its extension names. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

void qms_readers_init(void)
{
    /* libxml2 sets up its global tables lazily; done first from several threads at once it
     * races (LeakSanitizer sees the lost tables). Doing it here, once, before any worker. */
    xmlInitParser();
}

static int ext_is(const char *ext, const char *lit)
{
    size_t n = strlen(lit);
    if (strlen(ext) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = ext[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

enum qms_format qms_format_from_path(const char *path)
{
    if (!path)
        return QMS_FORMAT_UNKNOWN;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return QMS_FORMAT_UNKNOWN;
    const char *ext = dot + 1;
    if (ext_is(ext, "md") || ext_is(ext, "markdown"))
        return QMS_FORMAT_MARKDOWN;
    if (ext_is(ext, "docx") || ext_is(ext, "docm") || ext_is(ext, "dotx") || ext_is(ext, "dotm"))
        return QMS_FORMAT_DOCX;
    if (ext_is(ext, "odt") || ext_is(ext, "ott") || ext_is(ext, "fodt"))
        return QMS_FORMAT_ODT;
    return QMS_FORMAT_UNKNOWN;
}

/* The system's reason for errno `e`; strerror_r because readers run on worker threads. */
static int io_error(struct qms_err *err, int e)
{
    char reason[128];
    if (strerror_r(e, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "I/O error %d", e);
    return qms_err_set(err, QMS_EIO, "%s", reason);
}

/* Reads a regular file whole, refusing more than `max` bytes. */
static int read_all(const char *fs_path, uint64_t max, char **out, size_t *out_len,
                    struct qms_err *err)
{
    *out = NULL;
    *out_len = 0;
    /* O_NONBLOCK: a FIFO must not hang the run before fstat can refuse it */
    int fd = open(fs_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return io_error(err, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return io_error(err, e);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return qms_err_set(err, QMS_EIO, "is a directory, not a document");
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return qms_err_set(err, QMS_EIO, "not a regular file");
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return qms_err_set(err, QMS_ETOOBIG, "file is larger than %llu bytes",
                           (unsigned long long)max);
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return qms_err_set(err, QMS_ENOMEM, "out of memory reading %llu bytes",
                           (unsigned long long)st.st_size);
    }
    for (;;) {
        if (len == cap) { /* the file grew while we read it */
            if ((uint64_t)len > max) {
                free(buf);
                close(fd);
                return qms_err_set(err, QMS_ETOOBIG, "file is larger than %llu bytes",
                                   (unsigned long long)max);
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return qms_err_set(err, QMS_ENOMEM, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return io_error(err, e);
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if ((uint64_t)len > max) {
        free(buf);
        return qms_err_set(err, QMS_ETOOBIG, "file is larger than %llu bytes",
                           (unsigned long long)max);
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int qms_read_file(struct qms_doc **out, const char *fs_path, const char *display_path,
                  const struct qms_limits *limits, struct qms_err *err)
{
    struct qms_limits defaults;
    if (!limits) {
        qms_limits_default(&defaults);
        limits = &defaults;
    }
    *out = NULL;
    if (!display_path)
        display_path = fs_path;
    enum qms_format format = qms_format_from_path(display_path);
    if (format == QMS_FORMAT_UNKNOWN)
        format = qms_format_from_path(fs_path);
    if (format == QMS_FORMAT_UNKNOWN)
        return qms_err_set(err, QMS_EUNSUPPORTED, "unknown document type (not .md, .docx or .odt)");
    char *data;
    size_t len;
    int rc = read_all(fs_path, limits->max_file_size, &data, &len, err);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return qms_err_set(err, QMS_EFORMAT, "empty file (0 bytes)");
    }
    switch (format) {
    case QMS_FORMAT_MARKDOWN:
        rc = qms_md_read(out, display_path, data, len, limits, err);
        break;
    case QMS_FORMAT_DOCX:
        rc = qms_docx_read(out, display_path, data, len, limits, err);
        break;
    case QMS_FORMAT_ODT:
        rc = qms_odt_read(out, display_path, data, len, limits, err);
        break;
    default:
        rc = qms_err_set(err, QMS_EUNSUPPORTED, "unknown document type");
        break;
    }
    free(data);
    return rc;
}
