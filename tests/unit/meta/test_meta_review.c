/* Regression tests from the security review of the metadata extractor: hostile sizes stay
 * linear, and the fixes keep the answers real documents get. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "meta.h"
#include "testutil.h"

static struct qms_meta_opts *opts;

static void setup(void)
{
    char *rules = qms_test_source("rules");
    struct qms_err err = {{0}};
    cr_assert_eq(qms_meta_opts_load(&opts, rules, NULL, &err), 0, "%s", err.msg);
    free(rules);
}

static void teardown(void)
{
    qms_meta_opts_free(opts);
}

TestSuite(meta_review, .init = setup, .fini = teardown);

static struct qms_docb B;
static struct qms_doc *D;
static uint32_t next_line;

static struct qms_location here(void)
{
    struct qms_location l = {0};
    l.line = ++next_line;
    l.block = l.line;
    return l;
}

static void begin(const char *path)
{
    cr_assert_eq(qms_docb_init(&B, path, QMS_FORMAT_DOCX, NULL), 0);
    next_line = 0;
}

static const struct qms_meta *extract(double *seconds)
{
    cr_assert_eq(qms_docb_finish(&B, &D), 0);
    const struct qms_meta *m = NULL;
    struct qms_err err = {{0}};
    clock_t start = clock();
    cr_assert_eq(qms_meta_extract(&m, D, qms_doc_arena(D), opts, &err), 0, "%s", err.msg);
    if (seconds)
        *seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    return m;
}

static const struct qms_meta_value *first_from(const struct qms_meta *m, enum qms_meta_field f,
                                               enum qms_meta_source src)
{
    for (size_t i = 0; i < m->fields[f].n; i++)
        if (m->fields[f].items[i].source == src)
            return &m->fields[f].items[i];
    return NULL;
}

/* The line-start test is now computed once per line: a label after bullets and quote marks
 * still starts the line, one after prose still does not. */
Test(meta_review, label_after_bullets_starts_a_control_line)
{
    begin("x.docx");
    const char *a = "- > \xE2\x80\xA2 Document ID: QP-007";
    const char *b = "Employee Number: 5";
    cr_assert(qms_docb_add_block(&B, QMS_BLOCK_PARAGRAPH, 0, a, strlen(a), here()));
    cr_assert(qms_docb_add_block(&B, QMS_BLOCK_PARAGRAPH, 0, b, strlen(b), here()));
    const struct qms_meta *m = extract(NULL);
    const struct qms_meta_value *v = first_from(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK);
    cr_assert_not_null(v);
    cr_expect_str_eq(v->value, "QP-007");
    cr_expect_eq(m->fields[QMS_META_ID].n, 1);
    qms_doc_free(D);
}

/* A paragraph of lines of "é é é ... :" (bullet-like bytes before every word) with a colon, in
 * the control block; `line_len` bytes per line. Returns the extraction time. */
static double time_bulleted_paragraph(size_t total, size_t line_len)
{
    begin("x.docx");
    char *text = malloc(total + line_len + 4);
    cr_assert_not_null(text);
    size_t n = 0;
    while (n < total) {
        size_t start = n;
        while (n - start + 3 < line_len) {
            text[n++] = (char)0xC3;
            text[n++] = (char)0xA9;
            text[n++] = ' ';
        }
        text[n++] = ':';
        text[n++] = '\n';
    }
    cr_assert(qms_docb_add_block(&B, QMS_BLOCK_PARAGRAPH, 0, text, n, here()));
    free(text);
    double seconds = 0;
    extract(&seconds);
    qms_doc_free(D);
    return seconds;
}

/* Every word start of a control line scanned back to the line start: quadratic per line, so
 * 2 KB lines cost ten times what 200-byte lines of the same total do. Now both are linear.
 * (A ratio, not a time: the machine may be slow or sanitized.) */
Test(meta_review, long_bulleted_lines_scan_in_linear_time)
{
    size_t total = 2u << 20;
    double short_lines = time_bulleted_paragraph(total, 200);
    double long_lines = time_bulleted_paragraph(total, 2000);
    cr_expect_lt(long_lines, 3.0 * short_lines + 0.3, "2 KB lines %.2f s, 200 B lines %.2f s",
                 long_lines, short_lines);
}

/* Register-shaped tables whose last row index is 16 million (two bytes of ODT
 * number-rows-repeated each): the grids are charged to one budget per document. */
Test(meta_review, far_rows_in_many_tables_are_bounded)
{
    begin("x.docx");
    const char *head[] = {"Document ID", "Title", "Revision", "Status"};
    const char *row[] = {"QP-001", "Document Control", "B", "Approved"};
    for (int t = 0; t < 3000; t++) {
        int32_t ti = qms_docb_table_begin(&B, -1, here());
        cr_assert_geq(ti, 0);
        for (uint32_t c = 0; c < 4; c++) {
            struct qms_cell *h = qms_docb_table_add_cell(&B, ti, 0, c, head[c], strlen(head[c]), here());
            cr_assert(h);
            h->header = 1;
            cr_assert(qms_docb_table_add_cell(&B, ti, 1, c, row[c], strlen(row[c]), here()));
        }
        cr_assert(qms_docb_table_add_cell(&B, ti, 16000000, 0, "X", 1, here()));
        cr_assert_eq(qms_docb_table_end(&B, ti), 0);
    }
    double seconds = 0;
    const struct qms_meta *m = extract(&seconds);
    cr_expect_geq(m->n_register_entries, 1);
    cr_expect_str_eq(m->register_entries[0].id.value, "QP-001");
    cr_expect_lt(seconds, 10.0, "took %.1f s", seconds);
    qms_doc_free(D);
}

/* A cell spanning down over every row used to make each row below it a history entry. */
Test(meta_review, rows_of_span_continuations_are_not_entries)
{
    begin("x.docx");
    const char *cells[] = {"Rev", "Date", "Description", "A", "2024-01-01", "First issue"};
    int32_t t = qms_docb_table_begin(&B, -1, here());
    for (uint32_t i = 0; i < 6; i++) {
        struct qms_cell *c = qms_docb_table_add_cell(&B, t, i / 3, i % 3, cells[i], strlen(cells[i]), here());
        cr_assert(c);
        if (i == 5)
            c->row_span = 5000;
    }
    cr_assert_eq(qms_docb_table_end(&B, t), 0);
    const struct qms_meta *m = extract(NULL);
    cr_expect_eq(m->n_history, 1);
    qms_doc_free(D);
}
