/* `qmslint report [PATH...] --format html|md|csv|json|sarif [-o FILE]`: the gap report, and
 * the run both it and `qmslint register` share (discover, engine, coverage). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qmslint/version.h>

#include "discover.h"
#include "report.h"
#include "report_run.h"


/* Everything a report or register run holds until it is written. */

void qms_cli_report_free(struct qms_cli_report_run *run)
{
    if (run->result)
        qms_result_free(run->result);
    qms_inputs_free(&run->inputs);
    if (run->engine)
        qms_engine_free(run->engine);
    if (run->cfg)
        qms_config_free(run->cfg);
}

int qms_cli_report_start(struct qms_cli_report_run *run, const struct qms_cli_opts *o)
{
    static const char *const default_paths[] = {"."};
    const char *const *paths = o->n_paths ? o->paths : default_paths;
    size_t n_paths = o->n_paths ? o->n_paths : 1;
    struct qms_err err = {{0}};
    int status;

    memset(run, 0, sizeof *run);
    for (size_t i = 0; i < n_paths; i++) {
        struct stat st;
        if (lstat(paths[i], &st) != 0)
            return qms_cli_fail("%.1024s: %s", paths[i],
                                errno == ENOENT || errno == ENOTDIR ? "no such file or directory"
                                                                    : strerror(errno));
    }
    if ((status = qms_cli_load_config(&run->cfg, o, paths[0])) != 0)
        return status;
    if ((status = qms_cli_engine(&run->engine, run->cfg, o)) != 0)
        return status;
    char *root = qms_cli_set_root(run->cfg, paths, n_paths);
    int rc = qms_discover(&run->inputs, paths, n_paths, root, run->cfg, &err);
    free(root);
    if (rc != 0)
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot list the documents");
    if (run->inputs.n_docs == 0) {
        fputs("qmslint: no documents found\n", stderr);
        run->empty.n_skipped = run->inputs.n_skipped;
        return 0;
    }
    if (qms_engine_run(run->engine, &run->inputs, &run->result, &err) != 0)
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "the run failed");
    if (run->result->n_skipped == 0)
        run->result->n_skipped = run->inputs.n_skipped;
    return 0;
}

const struct qms_result *qms_cli_report_result(const struct qms_cli_report_run *run)
{
    return run->result ? run->result : &run->empty;
}

/* The output file (the last -o), or NULL for standard output. */
/* The format a file's extension names, or NULL. */
static const char *format_of_file(const char *file)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    const char *dot = file ? strrchr(slash ? slash : file, '.') : NULL;
    static const char *const known[][2] = {{".html", "html"}, {".htm", "html"}, {".md", "md"},
                                           {".csv", "csv"},   {".json", "json"}, {".sarif", "sarif"}};
    for (size_t i = 0; dot && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(dot, known[i][0]) == 0)
            return known[i][1];
    return NULL;
}

size_t qms_cli_report_targets(struct qms_cli_report_target *out, size_t cap,
                              const struct qms_cli_opts *o, const char *fallback)
{
    size_t n = 0;
    for (size_t i = 0; i < o->n_outputs && n < cap; i++) {
        const char *format = o->outputs[i].format, *file = o->outputs[i].file;
        /* "text" is what a bare -o FILE binds to (and the check default): not a report
           format, so the file's extension or the command's default decides */
        if (!format || strcmp(format, "text") == 0) {
            const char *by_name = format_of_file(file);
            format = by_name ? by_name : fallback;
        }
        out[n].format = format;
        out[n].file = file;
        n++;
    }
    if (n == 0 && cap > 0) {
        out[0].format = fallback;
        out[0].file = NULL;
        n = 1;
    }
    return n;
}

/* The relative path from folder `from` to folder `to` (both absolute and canonical), ending
 * in '/', or "" when they are the same. Heap string or NULL. */
static char *relative_dir(const char *from, const char *to)
{
    size_t common = 0;
    for (size_t i = 0;; i++) {
        char a = from[i], b = to[i];
        if ((a == '/' || a == '\0') && (b == '/' || b == '\0'))
            common = i;
        if (a != b || a == '\0')
            break;
    }
    size_t ups = 0;
    for (const char *p = from + common; *p; p++)
        if (*p == '/' && p[1])
            ups++;
    const char *rest = to + common;
    while (*rest == '/')
        rest++;
    size_t len = ups * 3 + strlen(rest) + 2;
    char *out = malloc(len);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < ups; i++)
        strcat(out, "../");
    if (*rest) {
        strcat(out, rest);
        strcat(out, "/");
    }
    return out;
}

/* From the folder the output lands in to the set root. */
static char *link_prefix(const char *file, const char *root)
{
    if (!root)
        return NULL;
    char *out_abs = file ? qms_cli_absolute(file) : NULL;
    char *from;
    if (out_abs) {
        char *slash = strrchr(out_abs, '/');
        if (slash == out_abs)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        from = out_abs;
    } else {
        from = getcwd(NULL, 0);
    }
    char *prefix = from ? relative_dir(from, root) : NULL;
    free(from);
    return prefix;
}

/* Runs `emit` into `file` atomically, or into standard output. */
int qms_cli_report_write(const char *file, qms_cli_emit_fn emit, const void *payload)
{
    struct qms_err err = {{0}};
    if (!file || strcmp(file, "-") == 0) {
        int rc = emit(stdout, payload);
        if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
            return qms_cli_fail("cannot write the output");
        return QMS_EXIT_OK;
    }
    struct qms_cli_pending *pending = NULL;
    FILE *f = NULL;
    if (qms_cli_pending_open(&pending, file, &f, &err) != 0)
        return qms_cli_fail("%s", err.msg);
    int rc = emit(f, payload);
    if (qms_cli_pending_close(pending, rc == 0, &err) != 0)
        return qms_cli_fail("%s", err.msg);
    if (rc != 0)
        return qms_cli_fail("--output %.400s: cannot write the report", file);
    return QMS_EXIT_OK;
}


static int emit_report(FILE *out, const void *payload)
{
    const struct qms_cli_report_payload *p = payload;
    if (strcmp(p->format, "html") == 0)
        return qms_emit_report_html(out, p->rep);
    if (strcmp(p->format, "md") == 0)
        return qms_emit_report_md(out, p->rep);
    if (strcmp(p->format, "csv") == 0)
        return qms_emit_report_csv(out, p->rep);
    if (strcmp(p->format, "json") == 0)
        return qms_emit_report_json(out, p->rep);
    return qms_emit_report_sarif(out, p->rep);
}

int qms_cli_report(const struct qms_cli_opts *o)
{
    struct qms_cli_report_target targets[QMS_CLI_REPORT_MAX_TARGETS];
    size_t n_targets = qms_cli_report_targets(targets, QMS_CLI_REPORT_MAX_TARGETS, o, "html");
    for (size_t t = 0; t < n_targets; t++) {
        const char *format = targets[t].format;
        if (strcmp(format, "html") != 0 && strcmp(format, "md") != 0 &&
            strcmp(format, "csv") != 0 && strcmp(format, "json") != 0 &&
            strcmp(format, "sarif") != 0)
            return qms_cli_fail("report: --format %s is not a report format (expected html, "
                                "md, csv, json or sarif)",
                                format);
    }
    struct qms_cli_report_run run;
    int status = qms_cli_report_start(&run, o);
    if (status == 0) {
        struct qms_report rep;
        memset(&rep, 0, sizeof rep);
        rep.result = qms_cli_report_result(&run);
        rep.engine = run.engine;
        rep.coverage = qms_report_coverage(run.engine);
        rep.tool_version = QMS_VERSION;
        if (!rep.coverage) {
            rep.no_coverage = rep.result->n_docs ? "the iso9001 plugin is not loaded"
                                                 : "no documents were read";
            fprintf(stderr, "qmslint: the report has no coverage: %s\n", rep.no_coverage);
        }
        for (size_t t = 0; t < n_targets && status == 0; t++) {
            /* links are relative to the folder each report lands in */
            char *prefix = link_prefix(targets[t].file, run.inputs.root);
            rep.link_prefix = prefix;
            struct qms_cli_report_payload p = {targets[t].format, &rep, rep.result};
            status = qms_cli_report_write(targets[t].file, emit_report, &p);
            free(prefix);
        }
    }
    qms_cli_report_free(&run);
    return status;
}
