/* `qmslint register`: the document register as qmslint sees the set, sorted by ID, in
 * Markdown (a master list to hand over), CSV (a spreadsheet) or JSON (docs/register.md). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {"ID",       "Title", "Revision", "Status",
                                      "Effective", "Approver", "Type", "Path"};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

static void row_values(const struct qms_register_row *row, const char *out[N_COLUMNS])
{
    out[0] = row->id;
    out[1] = row->title;
    out[2] = row->revision;
    out[3] = row->status;
    out[4] = row->effective;
    out[5] = row->approver;
    out[6] = row->type;
    out[7] = row->path;
}

static void emit_md(FILE *out, const struct qms_register_row *rows, size_t n)
{
    fputs("# Document register\n\n", out);
    fprintf(out, "%zu document%s.\n\n", n, n == 1 ? "" : "s");
    fputs("|", out);
    for (size_t c = 0; c < N_COLUMNS; c++)
        fprintf(out, " %s |", columns[c]);
    fputs("\n|", out);
    for (size_t c = 0; c < N_COLUMNS; c++)
        fputs("---|", out);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        const char *v[N_COLUMNS];
        row_values(&rows[i], v);
        fputc('|', out);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            fputc(' ', out);
            if (v[c][0])
                qms_md_cell(out, v[c]);
            else
                fputs("—", out);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

static void emit_csv(FILE *out, const struct qms_register_row *rows, size_t n)
{
    for (size_t c = 0; c < N_COLUMNS; c++)
        fprintf(out, "%s%s", c ? "," : "", columns[c]);
    fputs("\r\n", out);
    for (size_t i = 0; i < n; i++) {
        const char *v[N_COLUMNS];
        row_values(&rows[i], v);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            if (c)
                fputc(',', out);
            qms_csv_field(out, v[c]);
        }
        fputs("\r\n", out);
    }
}

static void json_or_null(FILE *out, const char *s)
{
    qms_json_string(out, s && s[0] ? s : NULL);
}

static void emit_json(FILE *out, const struct qms_register_row *rows, size_t n)
{
    static const char *const keys[N_COLUMNS] = {"id",       "title",    "revision", "status",
                                                "effective_date", "approver", "type", "path"};
    fputs("{\n  \"schema_version\": 1,\n  \"documents\": [", out);
    for (size_t i = 0; i < n; i++) {
        const char *v[N_COLUMNS];
        row_values(&rows[i], v);
        fputs(i ? ",\n    {" : "\n    {", out);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            fprintf(out, "%s\"%s\": ", c ? ", " : "", keys[c]);
            json_or_null(out, v[c]);
        }
        fprintf(out, ", \"format\": \"%s\", \"unreadable\": %s}",
                qms_emit_format_name(rows[i].doc->format),
                rows[i].doc->unreadable ? "true" : "false");
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}

int qms_emit_register(FILE *out, const struct qms_result *r, const char *format)
{
    if (!format)
        format = "md";
    if (strcmp(format, "md") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return QMS_EUSAGE;
    struct qms_register_row *rows = qms_register_rows(r);
    if (!rows)
        return QMS_ENOMEM;
    if (format[0] == 'm')
        emit_md(out, rows, r->n_docs);
    else if (format[0] == 'c')
        emit_csv(out, rows, r->n_docs);
    else
        emit_json(out, rows, r->n_docs);
    free(rows);
    return ferror(out) ? QMS_EIO : 0;
}
