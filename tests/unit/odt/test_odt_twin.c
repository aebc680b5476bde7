/*
 * One procedure saved as ODT and as DOCX (fixtures/odt/twin/, written the way LibreOffice
 * saves each format) reads into the same headings, tables, links and metadata record.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "meta.h"
#include "reader.h"
#include "testutil.h"

static struct qms_doc *load_twin(const char *name, int docx)
{
    char rel[256];
    snprintf(rel, sizeof rel, "odt/twin/%s", name);
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data, "fixture %s missing", path);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = docx ? qms_docx_read(&doc, name, data, len, NULL, &err)
                  : qms_odt_read(&doc, name, data, len, NULL, &err);
    cr_assert_eq(rc, 0, "%s: %s", name, err.msg);
    free(data);
    free(path);
    return doc;
}

struct twins {
    struct qms_doc *odt, *docx;
};

static struct twins load_both(void)
{
    struct twins t = {load_twin("QP-7.5-02.odt", 0), load_twin("QP-7.5-02.docx", 1)};
    return t;
}

/* The i-th block of `kind` (or of any heading/title kind when kind is 0). */
static const struct qms_block *nth_heading(const struct qms_doc *d, size_t n)
{
    for (size_t i = 0; i < d->n_blocks; i++) {
        enum qms_block_kind k = d->blocks[i].kind;
        if ((k == QMS_BLOCK_HEADING || k == QMS_BLOCK_TITLE) && n-- == 0)
            return &d->blocks[i];
    }
    return NULL;
}

Test(odt, twin_docx_has_the_same_headings)
{
    struct twins t = load_both();
    size_t n = 0;
    for (;; n++) {
        const struct qms_block *a = nth_heading(t.odt, n), *b = nth_heading(t.docx, n);
        if (!a || !b) {
            cr_expect_eq(a, b, "heading %zu present in only one format", n);
            break;
        }
        cr_expect_eq(a->kind, b->kind, "heading %zu: kind", n);
        cr_expect_eq(a->level, b->level, "heading %zu: level", n);
        cr_expect_str_eq(a->text, b->text);
    }
    cr_expect_eq(n, 6, "title + 5 headings");
    qms_doc_free(t.odt);
    qms_doc_free(t.docx);
}

Test(odt, twin_docx_has_the_same_tables)
{
    struct twins t = load_both();
    cr_assert_eq(t.odt->n_tables, t.docx->n_tables);
    for (size_t i = 0; i < t.odt->n_tables; i++) {
        const struct qms_table *a = &t.odt->tables[i], *b = &t.docx->tables[i];
        cr_assert_eq(a->n_rows, b->n_rows, "table %zu rows", i);
        cr_assert_eq(a->n_cols, b->n_cols, "table %zu cols", i);
        for (uint32_t r = 0; r < a->n_rows; r++)
            for (uint32_t c = 0; c < a->n_cols; c++) {
                const struct qms_cell *x = qms_table_cell(a, r, c), *y = qms_table_cell(b, r, c);
                cr_assert(x && y, "table %zu cell %u,%u", i, r, c);
                cr_expect_str_eq(x->text, y->text);
                cr_expect_eq(x->header, y->header, "table %zu cell %u,%u header", i, r, c);
            }
    }
    qms_doc_free(t.odt);
    qms_doc_free(t.docx);
}

Test(odt, twin_docx_has_the_same_links)
{
    struct twins t = load_both();
    cr_assert_eq(t.odt->n_links, t.docx->n_links);
    for (size_t i = 0; i < t.odt->n_links; i++) {
        const struct qms_link *a = &t.odt->links[i], *b = &t.docx->links[i];
        cr_expect_eq(a->kind, b->kind);
        cr_expect_eq(a->target_kind, b->target_kind);
        cr_expect_str_eq(a->target, b->target);
        cr_expect_str_eq(a->text, b->text);
    }
    qms_doc_free(t.odt);
    qms_doc_free(t.docx);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct values of one field, sorted and joined with '|', whatever their source. */
static char *field_values(const struct qms_meta *m, enum qms_meta_field f)
{
    const struct qms_meta_values *v = &m->fields[f];
    const char **items = calloc(v->n + 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        items[n++] = v->items[i].value ? v->items[i].value : "";
    if (n)
        qsort(items, n, sizeof *items, cmp_str);
    char *out = calloc(1, 4096);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(items[i], items[i - 1]))
            continue;
        strncat(out, items[i], 4000 - strlen(out));
        strncat(out, "|", 4000 - strlen(out));
    }
    free(items);
    return out;
}

Test(odt, twin_docx_has_the_same_metadata_record)
{
    char *rules = qms_test_source("rules");
    struct qms_meta_opts *opts = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_meta_opts_load(&opts, rules, NULL, &err), 0, "%s", err.msg);
    struct twins t = load_both();
    const struct qms_meta *a = NULL, *b = NULL;
    cr_assert_eq(qms_meta_extract(&a, t.odt, qms_doc_arena(t.odt), opts, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_meta_extract(&b, t.docx, qms_doc_arena(t.docx), opts, &err), 0, "%s", err.msg);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        char *x = field_values(a, (enum qms_meta_field)f), *y = field_values(b, (enum qms_meta_field)f);
        cr_expect_str_eq(x, y, "field %s differs", qms_meta_field_name((enum qms_meta_field)f));
        free(x);
        free(y);
    }
    cr_expect_str_neq(a->fields[QMS_META_ID].n ? a->fields[QMS_META_ID].items[0].value : "", "",
                      "the ID was found");
    cr_expect_eq(a->n_history, b->n_history);
    qms_doc_free(t.odt);
    qms_doc_free(t.docx);
    qms_meta_opts_free(opts);
    free(rules);
}
