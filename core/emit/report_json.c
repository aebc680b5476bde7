/* The gap report as JSON, schema version 1 (docs/report.md). Deterministic: no time stamps. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define REPORT_SCHEMA_VERSION 1

static void json_nonempty(FILE *out, const char *s)
{
    qms_json_string(out, s && s[0] ? s : NULL);
}

static void json_uint_or_null(FILE *out, uint32_t v)
{
    if (v)
        fprintf(out, "%u", (unsigned)v);
    else
        fputs("null", out);
}

static void emit_evidence(FILE *out, const struct qms_result *r, const struct iso_cov_evidence *e)
{
    const char *id, *title;
    qms_report_doc_names(r, e->path, &id, &title);
    fputs("{\"path\": ", out);
    qms_json_string(out, e->path ? e->path : "");
    fputs(", \"document_id\": ", out);
    json_nonempty(out, id);
    fputs(", \"document_title\": ", out);
    json_nonempty(out, title);
    fprintf(out, ", \"kind\": \"%s\", \"clause\": ", qms_report_evidence_kind_name(e->kind));
    json_nonempty(out, e->clause);
    fputs(", \"text\": ", out);
    json_nonempty(out, e->text);
    fputs(", \"words\": ", out);
    json_nonempty(out, e->words);
    if (e->kind == ISO_EV_EXCLUSION)
        fprintf(out, ", \"justified\": %s", e->flags & ISO_EX_JUSTIFIED ? "true" : "false");
    fputs(", \"location\": {\"part\": ", out);
    json_nonempty(out, e->part);
    fputs(", \"line\": ", out);
    json_uint_or_null(out, e->line);
    fputs(", \"column\": ", out);
    json_uint_or_null(out, e->column);
    fputs(", \"block\": ", out);
    json_uint_or_null(out, e->block);
    fputs("}}", out);
}

static void emit_requirement(FILE *out, const struct qms_result *r,
                             const struct iso_coverage_item *it)
{
    fputs("{\"id\": ", out);
    json_nonempty(out, it->requirement);
    fputs(", \"clause\": ", out);
    json_nonempty(out, it->clause);
    fprintf(out, ", \"group\": %d, \"name\": ", qms_report_clause_group(it->clause));
    json_nonempty(out, it->name);
    fputs(", \"summary\": ", out);
    json_nonempty(out, it->summary);
    fprintf(out, ", \"kind\": \"%s\", \"condition\": ", it->retain ? "retain" : "maintain");
    json_nonempty(out, it->condition);
    fprintf(out,
            ", \"status\": \"%s\", \"declared\": %s, \"shown\": %s, "
            "\"exclusion_unjustified\": %s, \"covered_by\": ",
            qms_report_status_name(qms_report_effective_status(it)),
            it->declared ? "true" : "false", it->shown ? "true" : "false",
            it->exclusion_unjustified ? "true" : "false");
    json_nonempty(out, it->covered_by);
    fputs(", \"evidence\": [", out);
    for (size_t e = 0; e < it->n_evidence; e++) {
        fputs(e ? ",\n        " : "\n        ", out);
        emit_evidence(out, r, &it->evidence[e]);
    }
    fputs(it->n_evidence ? "\n      ]}" : "]}", out);
}

static void emit_finding(FILE *out, const struct qms_finding *f)
{
    fputs("{\"rule\": ", out);
    qms_json_string(out, f->rule_id ? f->rule_id : "");
    fprintf(out, ", \"severity\": \"%s\", \"message\": ", qms_severity_name(f->severity));
    qms_json_string(out, f->message ? f->message : "");
    fputs(", \"path\": ", out);
    qms_json_string(out, f->path ? f->path : "");
    fputs(", \"location\": {\"part\": ", out);
    qms_json_string(out, f->part);
    fputs(", \"line\": ", out);
    json_uint_or_null(out, f->line);
    fputs(", \"column\": ", out);
    json_uint_or_null(out, f->column);
    fputs(", \"block\": ", out);
    json_uint_or_null(out, f->block);
    fputs(", \"section\": ", out);
    qms_json_string(out, f->section);
    fputs("}}", out);
}

int qms_emit_report_json(FILE *out, const struct qms_report *rep)
{
    const struct qms_result *r = rep->result;
    const struct iso_coverage *cov = rep->coverage;
    struct qms_report_counts c;
    qms_report_count(&c, rep);

    fprintf(out, "{\n  \"schema_version\": %d,\n", REPORT_SCHEMA_VERSION);
    fputs("  \"tool\": {\"name\": \"qmslint\", \"version\": ", out);
    qms_json_string(out, rep->tool_version ? rep->tool_version : "");
    fputs("},\n  \"standard\": ", out);
    qms_json_string(out, cov ? cov->standard : NULL);
    fprintf(out, ",\n  \"coverage_available\": %s,\n  \"no_coverage_reason\": ", cov ? "true" : "false");
    qms_json_string(out, cov ? NULL : qms_report_no_coverage(rep));
    fputs(",\n", out);
    fprintf(out,
            "  \"summary\": {\"documents\": %zu, \"unreadable\": %zu, \"requirements\": %zu, "
            "\"covered\": %zu, \"weak\": %zu, \"missing\": %zu, \"excluded\": %zu, "
            "\"not_applicable\": %zu, \"findings\": {\"error\": %zu, \"warning\": %zu, "
            "\"info\": %zu}},\n",
            r->n_docs, c.unreadable, c.requirements, c.status[ISO_COV_COVERED],
            c.status[ISO_COV_WEAK], c.status[ISO_COV_MISSING], c.status[ISO_COV_EXCLUDED],
            c.status[ISO_COV_NOT_APPLICABLE], r->counts[QMS_SEV_ERROR],
            r->counts[QMS_SEV_WARNING], r->counts[QMS_SEV_INFO]);

    fputs("  \"requirements\": [", out);
    size_t n_items = cov ? cov->n_items : 0;
    for (size_t i = 0; i < n_items; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        emit_requirement(out, r, &cov->items[i]);
    }
    fputs(n_items ? "\n  ],\n" : "],\n", out);

    struct qms_register_row *rows = qms_register_rows(r);
    if (!rows)
        return QMS_ENOMEM;
    fputs("  \"documents\": [", out);
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_register_row *row = &rows[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
        json_nonempty(out, row->id);
        fputs(", \"title\": ", out);
        json_nonempty(out, row->title);
        fputs(", \"revision\": ", out);
        json_nonempty(out, row->revision);
        fputs(", \"status\": ", out);
        json_nonempty(out, row->status);
        fputs(", \"effective_date\": ", out);
        json_nonempty(out, row->effective);
        fputs(", \"approver\": ", out);
        json_nonempty(out, row->approver);
        fputs(", \"type\": ", out);
        json_nonempty(out, row->type);
        fputs(", \"path\": ", out);
        qms_json_string(out, row->path);
        fprintf(out, ", \"format\": \"%s\", \"unreadable\": %s}",
                qms_emit_format_name(row->doc->format), row->doc->unreadable ? "true" : "false");
    }
    fputs(r->n_docs ? "\n  ],\n" : "],\n", out);
    free(rows);

    fputs("  \"findings\": [", out);
    size_t shown = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        if (r->findings[i].suppressed)
            continue;
        fputs(shown++ ? ",\n    " : "\n    ", out);
        emit_finding(out, &r->findings[i]);
    }
    fputs(shown ? "\n  ]\n}\n" : "]\n}\n", out);
    return ferror(out) ? QMS_EIO : 0;
}
