/* `qmslint dump FILE [--format text|json]`: one document's model as the reader built it. */
#include "cli.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "doc.h"
#include "emit.h"
#include "meta.h"
#include "reader.h"

int qms_cli_dump(const struct qms_cli_opts *o)
{
    if (o->n_paths != 1)
        return qms_cli_fail("dump takes exactly one FILE (see qmslint --help)");
    const char *path = o->paths[0];
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR || path[0] == '\0')
            return qms_cli_fail("%.1024s: no such file or directory", path);
        return qms_cli_fail("%.1024s: %s", path, strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return qms_cli_fail("%.1024s: is a folder; dump takes one document", path);
    if (!S_ISREG(st.st_mode)) {
        qms_cli_fail("%.1024s: not a regular file", path);
        return QMS_EXIT_FINDINGS;
    }

    /* The config matters for its limits (file size, line length...). */
    struct qms_config *cfg = NULL;
    int status = qms_cli_load_config(&cfg, o, path);
    if (status != 0)
        return status;

    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    if (qms_read_file(&doc, path, path, &cfg->limits, &err) != 0) {
        qms_config_free(cfg);
        /* The document is bad, not the command line: like a core/unreadable finding. */
        qms_cli_fail("%.1024s: %s", path, err.msg[0] ? err.msg : "cannot read");
        return QMS_EXIT_FINDINGS;
    }
    struct qms_meta_opts *meta_opts = NULL; /* issue 5: the metadata record, see dump_meta.c */
    if (qms_cli_dump_meta(&meta_opts, doc, cfg, o) != 0) {
        qms_doc_free(doc);
        qms_config_free(cfg);
        return QMS_EXIT_ERROR;
    }
    int rc = (o->format && strcmp(o->format, "json") == 0) ? qms_emit_dump_json(stdout, doc)
                                                           : qms_emit_dump_text(stdout, doc);
    qms_doc_free(doc);
    qms_meta_opts_free(meta_opts);
    qms_config_free(cfg);
    if (rc != 0 || fflush(stdout) != 0)
        return qms_cli_fail("cannot write the output");
    return QMS_EXIT_OK;
}
