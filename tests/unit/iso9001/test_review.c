/* Regression tests from the security review of the iso9001 plugin: a large mapping table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "fakehost.h"

#ifndef QMS_REVIEW_ROWS
#define QMS_REVIEW_ROWS 30000
#endif

static struct fake_host review_host;

/* A manual whose clause/document table has `rows` rows: for every clause cell the plugin
 * scanned the whole table for the cells of its row (and again to tell header cells). */
static struct qms_doc *manual_with_table(int rows)
{
    struct qms_docb b;
    cr_assert_eq(qms_docb_init(&b, "QM.md", QMS_FORMAT_MARKDOWN, NULL), 0);
    struct qms_location loc = {0};
    loc.line = 2;
    loc.column = 1;
    cr_assert(qms_docb_add_property(&b, QMS_PROP_FRONT_MATTER, "type", "manual", "string", loc));
    loc.line = 4;
    cr_assert(qms_docb_add_block(&b, QMS_BLOCK_HEADING, 1, "Quality Manual", 14, loc));
    loc.line = 6;
    int32_t t = qms_docb_table_begin(&b, -1, loc);
    cr_assert_geq(t, 0);
    for (int r = 0; r <= rows; r++) {
        char clause[16], doc[16];
        snprintf(clause, sizeof clause, "%s", r == 0 ? "ISO clause" : r % 2 ? "8.5" : "9.2");
        snprintf(doc, sizeof doc, r == 0 ? "Document" : "QP-%02d", (r / 2) % 90);
        loc.line = (uint32_t)(7 + r);
        for (int c = 0; c < 2; c++) {
            const char *text = c ? doc : clause;
            loc.column = c ? 10u : 1u;
            struct qms_cell *cell = qms_docb_table_add_cell(&b, t, (uint32_t)r, (uint32_t)c, text, strlen(text), loc);
            cr_assert(cell);
            cell->header = r == 0;
            struct qms_block *blk = qms_docb_add_block(&b, QMS_BLOCK_TABLE_CELL, 0, text, strlen(text), loc);
            cr_assert(blk);
            blk->table = t;
            blk->row = r;
            blk->col = c;
            blk->flags |= QMS_BLOCK_IN_TABLE;
        }
    }
    cr_assert_eq(qms_docb_table_end(&b, t), 0);
    struct qms_doc *d = NULL;
    cr_assert_eq(qms_docb_finish(&b, &d), 0);
    return d;
}

/* A manual whose clause/document table has 30,000 rows: for every clause cell the plugin
 * scanned the whole table for the cells of its row (and again to tell header cells). */
Test(iso9001_review, large_mapping_table_is_scanned_in_linear_time)
{
    struct qms_doc *manual = manual_with_table(QMS_REVIEW_ROWS);
    const struct qms_doc *docs[] = {manual, fake_doc("QP-05.md", "---\nid: QP-05\n---\n# Internal audit\n")};
    void *state = NULL;
    memset(&review_host, 0, sizeof review_host);
    cr_assert_eq(fake_init(&review_host, &state), 0, "%s", review_host.error);
    clock_t start = clock();
    cr_assert_eq(fake_run(&review_host, state, docs, 2), 0);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    const struct iso_coverage *cov = fake_coverage(state);
    int seen = 0;
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.2.2") == 0) {
            seen = 1;
            cr_expect_eq(cov->items[i].status, ISO_COV_COVERED);
            cr_expect_str_eq(cov->items[i].covered_by, "QP-05.md");
        }
    cr_expect(seen);
    cr_expect_lt(seconds, 10.0, "took %.1f s", seconds);
    fake_fini(state);
    qms_doc_free(manual);
}

/* Two rows of a mapping table for the same clause, naming different documents, are two
 * declarations: only the first row was kept, so the second document stayed "weak". */
Test(iso9001_review, second_table_row_for_a_clause_declares_its_document)
{
    const struct qms_doc *docs[] = {
        fake_doc("QM.md", "---\ntype: manual\n---\n# Quality Manual\n\n"
                          "| ISO clause | Document |\n|---|---|\n| 9.2 | QP-05 |\n| 9.2 | QP-06 |\n"),
        fake_doc("QP-06.md", "---\nid: QP-06\n---\n# Internal audit\n"),
    };
    void *state = NULL;
    memset(&review_host, 0, sizeof review_host);
    cr_assert_eq(fake_init(&review_host, &state), 0, "%s", review_host.error);
    cr_assert_eq(fake_run(&review_host, state, docs, 2), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    int seen = 0;
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.2.2") == 0) {
            seen = 1;
            cr_expect_eq(cov->items[i].status, ISO_COV_COVERED);
            cr_expect_str_eq(cov->items[i].covered_by, "QP-06.md");
        }
    cr_expect(seen);
    fake_fini(state);
}
