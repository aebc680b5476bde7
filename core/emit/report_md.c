/* The gap report as Markdown, for a pull-request comment or a wiki page. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *status_icon(enum iso_cov_status s)
{
    switch (s) {
    case ISO_COV_COVERED:
        return "✅";
    case ISO_COV_WEAK:
        return "⚠️";
    case ISO_COV_MISSING:
        return "❌";
    case ISO_COV_EXCLUDED:
    case ISO_COV_NOT_APPLICABLE:
        return "➖";
    }
    return "";
}

static void cell_or_dash(FILE *out, const char *s)
{
    if (s && s[0])
        qms_md_cell(out, s);
    else
        fputs("—", out);
}

/* Distinct evidence documents of a requirement: "QP-001 Title (kind: text)". */
static void evidence_cell(FILE *out, const struct qms_report *rep,
                          const struct iso_coverage_item *it)
{
    size_t written = 0;
    for (size_t e = 0; e < it->n_evidence; e++) {
        const struct iso_cov_evidence *ev = &it->evidence[e];
        if (written >= 6) {
            fprintf(out, "; and %zu more", it->n_evidence - e);
            break;
        }
        const char *id, *title;
        qms_report_doc_names(rep->result, ev->path, &id, &title);
        if (written++)
            fputs("; ", out);
        qms_md_cell(out, id[0] ? id : ev->path);
        if (title[0]) {
            fputc(' ', out);
            qms_md_cell(out, title);
        }
        fprintf(out, " (%s", qms_report_evidence_kind_name(ev->kind));
        if (ev->text && ev->text[0]) {
            fputs(": ", out);
            qms_md_cell(out, ev->text);
        }
        if (ev->words && ev->words[0]) {
            fputs(" — matched ", out);
            qms_md_cell(out, ev->words);
        }
        fputc(')', out);
    }
    if (!written)
        fputs("no evidence", out);
}

int qms_emit_report_md(FILE *out, const struct qms_report *rep)
{
    const struct qms_result *r = rep->result;
    const struct iso_coverage *cov = rep->coverage;
    struct qms_report_counts c;
    qms_report_count(&c, rep);

    fprintf(out, "# ISO 9001 gap report\n\n");
    fprintf(out, "| Documents read | Covered | Weak | Missing | Excluded / n/a | Errors | "
                 "Warnings | Info |\n|---|---|---|---|---|---|---|---|\n");
    fprintf(out, "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n", r->n_docs,
            c.status[ISO_COV_COVERED], c.status[ISO_COV_WEAK], c.status[ISO_COV_MISSING],
            c.status[ISO_COV_EXCLUDED] + c.status[ISO_COV_NOT_APPLICABLE],
            r->counts[QMS_SEV_ERROR], r->counts[QMS_SEV_WARNING], r->counts[QMS_SEV_INFO]);

    fputs("## Coverage matrix\n\n", out);
    if (!cov) {
        fprintf(out, "No coverage: %s.\n\n", qms_report_no_coverage(rep));
    } else {
        fputs("| Clause | Requirement | Kind | Status | Evidence |\n|---|---|---|---|---|\n", out);
        for (size_t i = 0; i < cov->n_items; i++) {
            const struct iso_coverage_item *it = &cov->items[i];
            enum iso_cov_status s = qms_report_effective_status(it);
            fputs("| ", out);
            cell_or_dash(out, it->clause);
            fputs(" | ", out);
            cell_or_dash(out, it->name);
            fprintf(out, " | %s | %s %s%s | ", it->retain ? "retain" : "maintain",
                    status_icon(s), qms_report_status_name(s),
                    it->exclusion_unjustified && it->status >= ISO_COV_EXCLUDED
                        ? " (excluded without a justification)"
                        : "");
            evidence_cell(out, rep, it);
            fputs(" |\n", out);
        }
        fputc('\n', out);
    }

    fputs("## Document register\n\n| ID | Title | Revision | Status | Effective | Path |\n"
          "|---|---|---|---|---|---|\n",
          out);
    struct qms_register_row *rows = qms_register_rows(r);
    if (!rows)
        return QMS_ENOMEM;
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_register_row *row = &rows[i];
        const char *v[] = {row->id, row->title, row->revision, row->status, row->effective,
                           row->path};
        fputc('|', out);
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            fputc(' ', out);
            cell_or_dash(out, v[k]);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
    free(rows);

    fputs("\n## Findings\n\n", out);
    const char *current = NULL;
    size_t shown = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        const char *path = f->path && f->path[0] ? f->path : "(the set)";
        if (!current || strcmp(current, path) != 0) {
            fputs(shown ? "\n### " : "### ", out);
            qms_md_cell(out, path);
            fputs("\n\n", out);
            current = path;
        }
        shown++;
        fprintf(out, "- **%s** ", qms_severity_name(f->severity));
        if (f->part) {
            qms_md_cell(out, f->part);
            if (f->block)
                fprintf(out, " paragraph %u", (unsigned)f->block);
            fputs(": ", out);
        } else if (f->line) {
            fprintf(out, "line %u: ", (unsigned)f->line);
        }
        qms_md_cell(out, f->message);
        if (f->section && f->section[0]) {
            fputs(" — section “", out);
            qms_md_cell(out, f->section);
            fputs("”", out);
        }
        fputs(" (`", out);
        for (const char *p = f->rule_id ? f->rule_id : ""; *p; p++)
            if (*p != '`' && (unsigned char)*p >= 0x20)
                fputc(*p, out);
        fputs("`)\n", out);
    }
    if (!shown)
        fputs("No findings.\n", out);
    return ferror(out) ? QMS_EIO : 0;
}
