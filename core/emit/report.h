/* The gap report (`qmslint report`) and the document register (`qmslint register`):
 * a finished run plus the iso9001 plugin's coverage -> html, md, csv, json, sarif.
 *
 * The core never links a plugin. The coverage decisions stay in the iso9001 plugin; after
 * the run, qms_report_coverage() asks the loaded plugin for them through the optional symbol
 * `qms_iso9001_coverage` it exports (plugins/iso9001/coverage.h: plain C data, valid until
 * the engine is freed). Without that plugin the report still has the register and findings
 * and says that no coverage is available.
 *
 * Every emitter is deterministic (no time stamps, no timings) and escapes every string that
 * comes from a document for its format. Main thread only. */
#ifndef QMS_EMIT_REPORT_H
#define QMS_EMIT_REPORT_H

#include <stdio.h>

#include "../../plugins/iso9001/coverage.h"
#include "emit.h"

struct qms_report {
    const struct qms_result *result;
    const struct iso_coverage *coverage; /* NULL: no iso9001 plugin loaded */
    const struct qms_engine *engine;     /* rule metadata, or NULL */
    const char *link_prefix;             /* prepended to a document path to link it from the
                                            output file ("../set/"); NULL or "": as is */
    const char *tool_version;
    const char *no_coverage;             /* why coverage is NULL, one line; NULL: "the
                                            iso9001 plugin is not loaded" */
};

/* The reason the report has no coverage (rep->no_coverage or the default). */
const char *qms_report_no_coverage(const struct qms_report *rep);

/* The coverage of the loaded iso9001 plugin's last check_set, or NULL (plugin absent, or
 * it exports no coverage). Owned by the plugin; valid until qms_engine_free. */
const struct iso_coverage *qms_report_coverage(const struct qms_engine *e);

/* "covered" "weak" "missing" "excluded" "not-applicable". Static strings. */
const char *qms_report_status_name(enum iso_cov_status s);
/* The status a reader sees: an exclusion without a reason is reported as "missing". */
enum iso_cov_status qms_report_effective_status(const struct iso_coverage_item *it);
/* "declared-property" ... "exclusion". Static strings. */
const char *qms_report_evidence_kind_name(uint32_t kind);

/* Summary numbers of a report. */
struct qms_report_counts {
    size_t status[5];          /* by qms_report_effective_status */
    size_t requirements;
    size_t unreadable;
};
void qms_report_count(struct qms_report_counts *out, const struct qms_report *rep);

/* The ISO clause group of a clause: 4 .. 10 for "4.3" .. "10.2.2"; 0 for anything else. */
int qms_report_clause_group(const char *clause);
/* Title of a clause group ("Context of the organization"); "" for other numbers. */
const char *qms_report_group_title(int group);

/* The ID and title the set gives the document at `path` ("" when unknown). */
void qms_report_doc_names(const struct qms_result *r, const char *path, const char **out_id,
                          const char **out_title);

/* Emitters: 0, or QMS_EIO when the stream failed. */
int qms_emit_report_html(FILE *out, const struct qms_report *rep);
int qms_emit_report_md(FILE *out, const struct qms_report *rep);
int qms_emit_report_csv(FILE *out, const struct qms_report *rep);
int qms_emit_report_json(FILE *out, const struct qms_report *rep);
int qms_emit_report_sarif(FILE *out, const struct qms_report *rep);

/* ---- the document register ---- */

/* One row of the register: the first clean value of each field ("" when none). */
struct qms_register_row {
    const char *id, *title, *revision, *status, *effective, *approver, *type, *path;
    const struct qms_doc_summary *doc;
};

/* The register of a result, sorted by ID (documents without an ID last, by path). Heap
 * array of r->n_docs rows (free() it); strings point into the result. NULL on no memory. */
struct qms_register_row *qms_register_rows(const struct qms_result *r);

/* format: "md", "csv" or "json". 0, QMS_EIO, or QMS_EUSAGE for another format. */
int qms_emit_register(FILE *out, const struct qms_result *r, const char *format);

/* Escapes for the text formats (shared by the report and register emitters). */
void qms_html_text(FILE *out, const char *s);      /* & < > " ' and control characters */
void qms_md_cell(FILE *out, const char *s);        /* | \ ` * _ [ ] < > and newlines */
void qms_csv_field(FILE *out, const char *s);      /* RFC 4180; =+-@ led cells defused */
void qms_csv_text(FILE *out, const char *s);       /* the same, without the quotes */

#endif
