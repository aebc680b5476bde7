/* `qmslint register [PATH...] --format md|csv|json [-o FILE]`: the document register as
 * qmslint sees the set (ID, title, revision, status, effective date, approver, type, path),
 * sorted by ID: a master list a consultant can hand to the client. */
#include "cli.h"

#include <string.h>

#include "report.h"
#include "report_run.h"

static int emit_register(FILE *out, const void *payload)
{
    const struct qms_cli_report_payload *p = payload;
    return qms_emit_register(out, p->result, p->format);
}

int qms_cli_register(const struct qms_cli_opts *o)
{
    struct qms_cli_report_target targets[QMS_CLI_REPORT_MAX_TARGETS];
    size_t n_targets = qms_cli_report_targets(targets, QMS_CLI_REPORT_MAX_TARGETS, o, "md");
    for (size_t t = 0; t < n_targets; t++) {
        const char *format = targets[t].format;
        if (strcmp(format, "md") != 0 && strcmp(format, "csv") != 0 &&
            strcmp(format, "json") != 0)
            return qms_cli_fail("register: --format %s is not a register format (expected md, "
                                "csv or json)",
                                format);
    }
    struct qms_cli_report_run run;
    int status = qms_cli_report_start(&run, o);
    for (size_t t = 0; status == 0 && t < n_targets; t++) {
        struct qms_cli_report_payload p = {targets[t].format, NULL, qms_cli_report_result(&run)};
        status = qms_cli_report_write(targets[t].file, emit_register, &p);
    }
    qms_cli_report_free(&run);
    return status;
}
