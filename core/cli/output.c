/* --output FILE: reports are written to a temporary file in the target's folder and renamed
 * into place once complete, so a reader (or a failing run) never sees half a report. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct qms_cli_pending {
    char *path;
    char *tmp;
    FILE *file;
};

int qms_cli_pending_open(struct qms_cli_pending **out, const char *path, FILE **out_file,
                         struct qms_err *err)
{
    *out = NULL;
    *out_file = NULL;
    struct qms_cli_pending *p = calloc(1, sizeof *p);
    if (!p)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, a FIFO, /dev/stdout: written in place (renaming over /dev/null would
           replace the device with a file) */
        if (S_ISDIR(st.st_mode)) {
            free(p);
            return qms_err_set(err, QMS_EIO, "--output %.400s: is a folder", path);
        }
        if (!(p->path = strdup(path)) || !(p->file = fopen(path, "w"))) {
            int e = errno;
            free(p->path);
            free(p);
            return qms_err_set(err, QMS_EIO, "--output %.400s: %s", path, strerror(e));
        }
        *out = p;
        *out_file = p->file;
        return 0;
    }
    /* a symlink to a report: replace the report, keep the link */
    char *resolved = realpath(path, NULL);
    if (resolved)
        path = resolved;
    size_t len = strlen(path);
    if (!(p->path = strdup(path)) || !(p->tmp = malloc(len + 32))) {
        free(resolved);
        free(p->path);
        free(p);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    /* same folder as the target, so rename() stays on one file system */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(p->tmp, len + 32, "%.*s.%s.tmp-XXXXXX", (int)dir_len, path,
             slash ? slash + 1 : path);
    free(resolved);
    resolved = NULL;
    path = p->path;
    int fd = mkstemp(p->tmp);
    if (fd < 0) {
        qms_err_set(err, QMS_EIO, "--output %.400s: %s", path, strerror(errno));
        free(p->tmp);
        free(p->path);
        free(p);
        return QMS_EIO;
    }
    p->file = fdopen(fd, "w");
    if (!p->file) {
        close(fd);
        unlink(p->tmp);
        free(p->tmp);
        free(p->path);
        free(p);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    *out = p;
    *out_file = p->file;
    return 0;
}

int qms_cli_pending_close(struct qms_cli_pending *p, int commit, struct qms_err *err)
{
    if (!p)
        return 0;
    int rc = 0;
    if (!p->tmp) { /* written in place */
        if ((fflush(p->file) != 0 || ferror(p->file)) && commit)
            rc = qms_err_set(err, QMS_EIO, "--output %.400s: %s", p->path, strerror(errno));
        fclose(p->file);
        free(p->path);
        free(p);
        return rc;
    }
    if (commit && (fflush(p->file) != 0 || ferror(p->file) || fsync(fileno(p->file)) != 0))
        rc = qms_err_set(err, QMS_EIO, "--output %.400s: %s", p->path, strerror(errno));
    if (fclose(p->file) != 0 && commit && rc == 0)
        rc = qms_err_set(err, QMS_EIO, "--output %.400s: %s", p->path, strerror(errno));
    if (commit && rc == 0) {
        /* mkstemp makes 0600; a report is as readable as any file the user creates */
        mode_t mask = umask(0);
        umask(mask);
        chmod(p->tmp, 0666 & ~mask);
        if (rename(p->tmp, p->path) != 0)
            rc = qms_err_set(err, QMS_EIO, "--output %.400s: %s", p->path, strerror(errno));
    }
    if (!commit || rc != 0)
        unlink(p->tmp);
    free(p->tmp);
    free(p->path);
    free(p);
    return rc;
}
