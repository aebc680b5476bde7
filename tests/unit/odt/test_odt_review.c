/* Regression tests from the security review of the ODT reader: what a few KiB of flat ODF
 * can make the reader build, and how long it can make it work. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "reader.h"

#define FLAT_HEAD                                                                                  \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "          \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                               \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                             \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                               \
    "office:mimetype=\"application/vnd.oasis.opendocument.text\"><office:body><office:text>"
#define FLAT_TAIL "</office:text></office:body></office:document>\n"

/* A growable string for building documents. */
struct sbuf {
    char *s;
    size_t len, cap;
};

static void put(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static void put_repeated(struct sbuf *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        put(b, s);
}

static struct qms_doc *read_flat(const struct sbuf *b)
{
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_odt_read(&doc, "review.fodt", b->s, b->len, NULL, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    return doc;
}

static size_t table_text_bytes(const struct qms_doc *doc)
{
    size_t n = 0;
    for (size_t t = 0; t < doc->n_tables; t++)
        for (size_t i = 0; i < doc->tables[t].n_cells; i++)
            n += strlen(doc->tables[t].cells[i].text);
    return n;
}

/* 200 KiB of text in a cell repeated over 256 columns was copied 256 times: 50 MiB in the
 * model (and as much again on the heap) from a file that zips to a few KiB. */
Test(odt_review, repeated_cell_copies_are_capped_in_bytes)
{
    struct sbuf b = {0};
    put(&b, FLAT_HEAD "<table:table><table:table-row>"
            "<table:table-cell table:number-columns-repeated=\"256\"><text:p>");
    put_repeated(&b, "QP-007 Rev C ", 200 * 1024 / 13);
    put(&b, "</text:p></table:table-cell></table:table-row></table:table>" FLAT_TAIL);
    struct qms_doc *doc = read_flat(&b);
    cr_assert_eq(doc->n_tables, 1);
    size_t bytes = table_text_bytes(doc);
    cr_expect_geq(doc->tables[0].n_cells, 1);
    cr_expect_leq(bytes, (size_t)(2u << 20), "repeated cell made %zu bytes of cell text", bytes);
    qms_doc_free(doc);
    free(b.s);
}

Test(odt_review, repeated_row_copies_are_capped_in_bytes)
{
    struct sbuf b = {0};
    put(&b, FLAT_HEAD "<table:table><table:table-row table:number-rows-repeated=\"256\">"
            "<table:table-cell><text:p>");
    put_repeated(&b, "QP-007 Rev C ", 200 * 1024 / 13);
    put(&b, "</text:p></table:table-cell></table:table-row></table:table>" FLAT_TAIL);
    struct qms_doc *doc = read_flat(&b);
    cr_assert_eq(doc->n_tables, 1);
    size_t bytes = table_text_bytes(doc);
    cr_expect_geq(doc->tables[0].n_cells, 1);
    cr_expect_leq(bytes, (size_t)(2u << 20), "repeated row made %zu bytes of cell text", bytes);
    qms_doc_free(doc);
    free(b.s);
}

/* Small repeated cells are still copied as before (a form's blank grid keeps its shape). */
Test(odt_review, small_repeated_cells_are_still_copied)
{
    struct sbuf b = {0};
    put(&b, FLAT_HEAD "<table:table><table:table-row>"
            "<table:table-cell table:number-columns-repeated=\"3\"><text:p>x</text:p></table:table-cell>"
            "</table:table-row></table:table>" FLAT_TAIL);
    struct qms_doc *doc = read_flat(&b);
    cr_assert_eq(doc->n_tables, 1);
    cr_expect_eq(doc->tables[0].n_cells, 3);
    cr_expect_eq(doc->tables[0].n_cols, 3);
    qms_doc_free(doc);
    free(b.s);
}

/* 40,000 insertions opened with change-start and never closed, then 40,000 change-ends
 * naming nothing: each end scanned every open range (1.6 * 10^9 compares). */
Test(odt_review, unmatched_change_ranges_stay_linear)
{
    enum { N = 40000 };
    struct sbuf b = {0};
    char item[256];
    put(&b, FLAT_HEAD "<text:tracked-changes>");
    for (int i = 0; i < N; i++) {
        snprintf(item, sizeof item,
                 "<text:changed-region text:id=\"ct%d\"><text:insertion/></text:changed-region>", i);
        put(&b, item);
    }
    put(&b, "</text:tracked-changes><text:p>");
    for (int i = 0; i < N; i++) {
        snprintf(item, sizeof item, "<text:change-start text:change-id=\"ct%d\"/>w", i);
        put(&b, item);
    }
    for (int i = 0; i < N; i++) {
        snprintf(item, sizeof item, "<text:change-end text:change-id=\"none%d\"/>", i);
        put(&b, item);
    }
    put(&b, "</text:p>" FLAT_TAIL);
    clock_t start = clock();
    struct qms_doc *doc = read_flat(&b);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    cr_expect_eq(doc->n_insertions, (uint32_t)N);
    cr_expect_lt(seconds, 15.0, "took %.1f s", seconds);
    qms_doc_free(doc);
    free(b.s);
}
