/* The run `qmslint report` and `qmslint register` share (core/cli/report.c). */
#ifndef QMS_CLI_REPORT_RUN_H
#define QMS_CLI_REPORT_RUN_H

#include <stdio.h>

#include "cli.h"
#include "discover.h"
#include "report.h"

struct qms_cli_report_run {
    struct qms_config *cfg;
    struct qms_engine *engine;
    struct qms_inputs inputs;
    struct qms_result *result;
    struct qms_result empty;          /* used when no document was found */
};

/* Discovers the paths (default "."), loads config and plugins, runs the engine. 0 or
 * QMS_EXIT_ERROR after printing the reason; free with qms_cli_report_free in both cases. */
int qms_cli_report_start(struct qms_cli_report_run *run, const struct qms_cli_opts *o);
void qms_cli_report_free(struct qms_cli_report_run *run);
/* The run's result (an empty one when there were no documents). */
const struct qms_result *qms_cli_report_result(const struct qms_cli_report_run *run);

/* One report to write: each --format [-o FILE] pair of the command line. */
#define QMS_CLI_REPORT_MAX_TARGETS 64
struct qms_cli_report_target {
    const char *format;               /* a bare -o FILE: by the file's extension, else fallback */
    const char *file;                 /* NULL: standard output */
};
/* The targets of the command line (at most cap); none given: one, `fallback` to stdout. */
size_t qms_cli_report_targets(struct qms_cli_report_target *out, size_t cap,
                              const struct qms_cli_opts *o, const char *fallback);

struct qms_cli_report_payload {
    const char *format;
    const struct qms_report *rep;
    const struct qms_result *result;
};
typedef int (*qms_cli_emit_fn)(FILE *out, const void *payload);
/* Runs emit into FILE atomically (or stdout); the exit status. */
int qms_cli_report_write(const char *file, qms_cli_emit_fn emit, const void *payload);

#endif
