/* What every report format shares: the coverage lookup in the loaded iso9001 plugin, status
 * and evidence names, the register rows, and the escapes of the text formats. */
#include "report.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>

#include "engine_int.h"

#define COVERAGE_SYMBOL "qms_iso9001_coverage"

typedef const struct iso_coverage *(*coverage_fn)(void *plugin_state);

const struct iso_coverage *qms_report_coverage(const struct qms_engine *e)
{
    if (!e)
        return NULL;
    for (size_t i = 0; i < e->n_plugins; i++) {
        const struct qms_plugin_slot *s = &e->plugins[i];
        if (!s->dl || !s->inited || !s->pub.desc || !s->pub.desc->name ||
            strcmp(s->pub.desc->name, "iso9001") != 0)
            continue;
        void *sym = dlsym(s->dl, COVERAGE_SYMBOL);
        if (!sym)
            return NULL;
        coverage_fn fn;
        /* POSIX sanctions this conversion for dlsym results */
        memcpy(&fn, &sym, sizeof fn);
        return fn(s->state);
    }
    return NULL;
}

const char *qms_report_no_coverage(const struct qms_report *rep)
{
    return rep->no_coverage ? rep->no_coverage : "the iso9001 plugin is not loaded";
}

const char *qms_report_status_name(enum iso_cov_status s)
{
    switch (s) {
    case ISO_COV_MISSING:
        return "missing";
    case ISO_COV_WEAK:
        return "weak";
    case ISO_COV_COVERED:
        return "covered";
    case ISO_COV_EXCLUDED:
        return "excluded";
    case ISO_COV_NOT_APPLICABLE:
        return "not-applicable";
    }
    return "missing";
}

enum iso_cov_status qms_report_effective_status(const struct iso_coverage_item *it)
{
    if ((it->status == ISO_COV_EXCLUDED || it->status == ISO_COV_NOT_APPLICABLE) &&
        it->exclusion_unjustified)
        return ISO_COV_MISSING;
    if ((unsigned)it->status > ISO_COV_NOT_APPLICABLE)
        return ISO_COV_MISSING;
    return it->status;
}

const char *qms_report_evidence_kind_name(uint32_t kind)
{
    switch (kind) {
    case ISO_EV_DECLARED_PROPERTY:
        return "declared-property";
    case ISO_EV_DECLARED_TABLE:
        return "declared-table";
    case ISO_EV_DECLARED_CITATION:
        return "declared-citation";
    case ISO_EV_SHOWN_HEADING:
        return "shown-heading";
    case ISO_EV_SHOWN_TITLE:
        return "shown-title";
    case ISO_EV_SHOWN_RECORD:
        return "shown-record";
    case ISO_EV_EXCLUSION:
        return "exclusion";
    }
    return "unknown";
}

/* ---- register ---- */

static const char *first_value(const struct qms_meta *m, enum qms_meta_field f)
{
    const struct qms_meta_value *v = qms_meta_first(m, f);
    return v && v->value ? v->value : "";
}

/* A revision as the document writes it ("02", not the normalized "2"): that is what a
 * reader compares with the page. Long raw text (a revision found inside a sentence) falls
 * back to the normalized value. */
static const char *revision_as_written(const struct qms_meta *m)
{
    const struct qms_meta_value *v = qms_meta_first(m, QMS_META_REVISION);
    if (!v || !v->value)
        return "";
    if (v->rev_scheme != QMS_REV_NONE && v->raw && v->raw[0] && strlen(v->raw) <= 16)
        return v->raw;
    return v->value;
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct qms_register_row *a = pa, *b = pb;
    if (!a->id[0] != !b->id[0])
        return a->id[0] ? -1 : 1;
    int c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->path, b->path);
}

struct qms_register_row *qms_register_rows(const struct qms_result *r)
{
    struct qms_register_row *rows = calloc(r->n_docs + 1, sizeof *rows);
    if (!rows)
        return NULL;
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_doc_summary *d = &r->docs[i];
        struct qms_register_row *row = &rows[i];
        const struct qms_meta *m = d->meta;
        row->doc = d;
        row->path = d->path ? d->path : "";
        row->id = first_value(m, QMS_META_ID);
        row->title = first_value(m, QMS_META_TITLE);
        if (!row->title[0] && d->title)
            row->title = d->title;
        row->revision = revision_as_written(m);
        row->status = first_value(m, QMS_META_STATUS);
        row->effective = first_value(m, QMS_META_EFFECTIVE_DATE);
        row->approver = first_value(m, QMS_META_APPROVER);
        row->type = first_value(m, QMS_META_TYPE);
    }
    qsort(rows, r->n_docs, sizeof *rows, row_cmp);
    return rows;
}

/* ---- escapes ---- */

void qms_html_text(FILE *out, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        switch (cp) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            if (cp == '\n' || cp == '\t')
                fputc(' ', out);
            else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
                fputs("&#xFFFD;", out);
            else if (cp == 0xFFFD && n == 1)
                fputs("&#xFFFD;", out);
            else
                fwrite(s + i, 1, n, out);
        }
        i += n;
    }
}

void qms_md_cell(FILE *out, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        if (cp == '&')
            fputs("&amp;", out);
        else if (cp == '<')
            fputs("&lt;", out);
        else if (cp == '>')
            fputs("&gt;", out);
        else if (cp == '|' || cp == '\\' || cp == '`' || cp == '*' || cp == '_' || cp == '[' ||
                 cp == ']' || cp == '#' || cp == '!')
            fprintf(out, "\\%c", (char)cp);
        else if (cp < 0x20 || cp == 0x7F)
            fputc(' ', out);
        else if (cp == 0xFFFD && n == 1)
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(s + i, 1, n, out);
        i += n;
    }
}

void qms_csv_field(FILE *out, const char *s)
{
    fputc('"', out);
    qms_csv_text(out, s);
    fputc('"', out);
}

void qms_csv_text(FILE *out, const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    /* a spreadsheet runs a cell that starts with = + - @ as a formula */
    if (len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'))
        fputc('\'', out);
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        if (cp == '"')
            fputs("\"\"", out);
        else if (cp == '\r' || cp == '\n' || cp == '\t')
            fputc(' ', out);
        else if (cp < 0x20 || cp == 0x7F)
            ;
        else if (cp == 0xFFFD && n == 1)
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(s + i, 1, n, out);
        i += n;
    }
}

/* ---- summary helpers ---- */

void qms_report_count(struct qms_report_counts *out, const struct qms_report *rep)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; rep->coverage && i < rep->coverage->n_items; i++) {
        out->status[qms_report_effective_status(&rep->coverage->items[i])]++;
        out->requirements++;
    }
    for (size_t i = 0; i < rep->result->n_docs; i++)
        out->unreadable += rep->result->docs[i].unreadable != 0;
}

int qms_report_clause_group(const char *clause)
{
    if (!clause || clause[0] < '1' || clause[0] > '9')
        return 0;
    int g = clause[0] - '0';
    if (clause[1] >= '0' && clause[1] <= '9') {
        g = g * 10 + (clause[1] - '0');
        if (clause[2] != '\0' && clause[2] != '.')
            return 0;
    } else if (clause[1] != '\0' && clause[1] != '.') {
        return 0;
    }
    return g >= 4 && g <= 10 ? g : 0;
}

const char *qms_report_group_title(int group)
{
    static const char *const titles[] = {"Context of the organization", "Leadership", "Planning",
                                         "Support", "Operation", "Performance evaluation",
                                         "Improvement"};
    return group >= 4 && group <= 10 ? titles[group - 4] : "";
}

void qms_report_doc_names(const struct qms_result *r, const char *path, const char **out_id,
                          const char **out_title)
{
    *out_id = "";
    *out_title = "";
    if (!path)
        return;
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_doc_summary *d = &r->docs[i];
        if (!d->path || strcmp(d->path, path) != 0)
            continue;
        *out_id = first_value(d->meta, QMS_META_ID);
        *out_title = first_value(d->meta, QMS_META_TITLE);
        if (!(*out_title)[0] && d->title)
            *out_title = d->title;
        return;
    }
}
