/* The gap report as CSV: one row per requirement, for the consultant's spreadsheet. */
#include "report.h"

#include <string.h>

int qms_emit_report_csv(FILE *out, const struct qms_report *rep)
{
    const struct iso_coverage *cov = rep->coverage;
    fputs("Clause,Requirement,Name,Kind,Status,Declared,Shown,Evidence documents,"
          "Evidence titles,Evidence paths,Evidence detail\r\n",
          out);
    for (size_t i = 0; cov && i < cov->n_items; i++) {
        const struct iso_coverage_item *it = &cov->items[i];
        qms_csv_field(out, it->clause);
        fputc(',', out);
        qms_csv_field(out, it->requirement);
        fputc(',', out);
        qms_csv_field(out, it->name);
        fputc(',', out);
        qms_csv_field(out, it->retain ? "retain" : "maintain");
        fputc(',', out);
        qms_csv_field(out, qms_report_status_name(qms_report_effective_status(it)));
        fprintf(out, ",%s,%s,", it->declared ? "yes" : "no", it->shown ? "yes" : "no");
        /* distinct documents, in evidence order; one cell each for ids, titles, paths */
        for (int col = 0; col < 4; col++) {
            if (col)
                fputc(',', out);
            fputc('"', out);
            size_t written = 0;
            for (size_t e = 0; e < it->n_evidence; e++) {
                const struct iso_cov_evidence *ev = &it->evidence[e];
                int seen = 0;
                for (size_t p = 0; col < 3 && p < e; p++)
                    seen |= ev->path && it->evidence[p].path &&
                            strcmp(ev->path, it->evidence[p].path) == 0;
                if (seen)
                    continue;
                const char *id, *title;
                qms_report_doc_names(rep->result, ev->path, &id, &title);
                if (written++)
                    fputs("; ", out);
                if (col < 3) {
                    qms_csv_text(out, col == 0 ? id : col == 1 ? title : ev->path);
                    continue;
                }
                /* detail: path: kind "text" [words] */
                qms_csv_text(out, ev->path);
                fprintf(out, ": %s", qms_report_evidence_kind_name(ev->kind));
                if (ev->text && ev->text[0]) {
                    fputs(" \"\"", out);
                    qms_csv_text(out, ev->text);
                    fputs("\"\"", out);
                }
                if (ev->words && ev->words[0]) {
                    fputs(" [", out);
                    qms_csv_text(out, ev->words);
                    fputc(']', out);
                }
            }
            fputc('"', out);
        }
        fputs("\r\n", out);
    }
    return ferror(out) ? QMS_EIO : 0;
}
