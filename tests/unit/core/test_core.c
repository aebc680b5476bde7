/* The core building blocks every reader relies on: error messages, the arena, the document
 * builder. Regression tests from the security review. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "doc.h"
#include "errors.h"

/* ---- qms_err_set: one line of printable, valid UTF-8 whatever the arguments hold ---- */

static int printable_utf8_line(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; p[i]; i++) {
        if (p[i] < 0x20 || p[i] == 0x7F)
            return 0;
        if (p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            return 0; /* a C1 control */
    }
    return 1;
}

Test(errors, message_is_one_line_without_control_bytes)
{
    struct qms_err err;
    int rc = qms_err_set(&err, QMS_EFORMAT, "%s: malformed XML: %s", "word/doc\n\x1b[2Jument.xml",
                         "tag\r\nmismatch\x07");
    cr_assert_eq(rc, QMS_EFORMAT);
    cr_expect(printable_utf8_line(err.msg), "got: %s", err.msg);
    cr_expect(strstr(err.msg, "word/doc ?[2Jument.xml") != NULL, "got: %s", err.msg);
    cr_expect(strstr(err.msg, "tag  mismatch?") != NULL, "got: %s", err.msg);
}

Test(errors, c1_controls_and_bidi_overrides_are_replaced)
{
    struct qms_err err;
    /* U+009B (CSI as a C1 control), U+202E (right-to-left override), U+2028 (line sep.) */
    qms_err_set(&err, QMS_EFORMAT, "a\xC2\x9B" "31mb\xE2\x80\xAE" "c\xE2\x80\xA8" "d");
    cr_expect_str_eq(err.msg, "a?31mb?c d");
}

Test(errors, invalid_utf8_is_replaced_and_valid_text_kept)
{
    struct qms_err err;
    qms_err_set(&err, QMS_EFORMAT, "caf\xC3\xA9 \xFF\xFE ok \xC3(");
    cr_expect_str_eq(err.msg, "caf\xC3\xA9 ?? ok ?(");
}

Test(errors, truncation_never_leaves_half_a_character)
{
    struct qms_err err;
    char big[QMS_ERRBUF_SIZE * 2];
    /* two-byte characters only, so the cut at 511 bytes falls inside one of them */
    size_t n = 0;
    while (n + 2 < sizeof big) {
        big[n++] = (char)0xC3;
        big[n++] = (char)0xA9;
    }
    big[n] = '\0';
    qms_err_set(&err, QMS_ETOOBIG, "%s", big);
    size_t len = strlen(err.msg);
    cr_assert_lt(len, (size_t)QMS_ERRBUF_SIZE);
    cr_expect_eq(len % 2, 0, "a dangling lead byte was kept (%zu bytes)", len);
    cr_expect_eq((unsigned char)err.msg[len - 1], 0xA9);
}

Test(errors, argument_may_be_the_buffer_itself)
{
    struct qms_err err;
    qms_err_set(&err, QMS_EIO, "inner reason");
    qms_err_set(&err, QMS_EIO, "outer: %s", err.msg);
    cr_expect_str_eq(err.msg, "outer: inner reason");
}

/* ---- arena ---- */

Test(arena, huge_request_fails_instead_of_wrapping)
{
    struct qms_arena *a = qms_arena_new(0);
    cr_assert_not_null(a);
    cr_expect_null(qms_arena_alloc(a, SIZE_MAX));
    cr_expect_null(qms_arena_alloc(a, SIZE_MAX - 8));
    /* the old check let this through and malloc'd header + size, which wraps to a few bytes */
    cr_expect_null(qms_arena_alloc(a, SIZE_MAX - 40));
    cr_expect_null(qms_arena_strndup(a, "x", SIZE_MAX - 1));
    /* still usable afterwards */
    char *s = qms_arena_strdup(a, "still fine");
    cr_expect_str_eq(s, "still fine");
    qms_arena_free(a);
}

Test(arena, cap_check_does_not_overflow)
{
    struct qms_arena *a = qms_arena_new(1u << 20);
    cr_assert_not_null(a);
    cr_expect_not_null(qms_arena_alloc(a, 1000));
    /* total + want would wrap around: must be refused by the cap, not allocated */
    cr_expect_null(qms_arena_alloc(a, SIZE_MAX - 4096));
    cr_expect_null(qms_arena_alloc(a, 2u << 20));
    cr_expect_not_null(qms_arena_alloc(a, 1000));
    qms_arena_free(a);
}

Test(arena, vec_refuses_zero_sized_elements)
{
    struct qms_arena *a = qms_arena_new(0);
    struct qms_vec v;
    qms_vec_init(&v, 0);
    cr_expect_null(qms_vec_push(a, &v));
    qms_arena_free(a);
}

/* ---- document builder ---- */

Test(doc, table_extent_saturates_instead_of_wrapping)
{
    struct qms_docb b;
    cr_assert_eq(qms_docb_init(&b, "x.docx", QMS_FORMAT_DOCX, NULL), 0);
    struct qms_location loc = {0};
    int32_t t = qms_docb_table_begin(&b, -1, loc);
    cr_assert_geq(t, 0);
    struct qms_cell *c = qms_docb_table_add_cell(&b, t, 5, 7, "x", 1, loc);
    cr_assert_not_null(c);
    c->row_span = UINT32_MAX;
    c->col_span = UINT32_MAX - 3;
    cr_assert_eq(qms_docb_table_end(&b, t), 0);
    struct qms_doc *d = NULL;
    cr_assert_eq(qms_docb_finish(&b, &d), 0);
    cr_expect_eq(d->tables[0].n_rows, UINT32_MAX);
    cr_expect_eq(d->tables[0].n_cols, UINT32_MAX);
    qms_doc_free(d);
}

Test(doc, failed_table_begin_keeps_tables_and_cells_parallel)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_doc_memory = 64u * 1024u; /* small: the arena runs out mid-document */
    struct qms_docb b;
    cr_assert_eq(qms_docb_init(&b, "x.docx", QMS_FORMAT_DOCX, &limits), 0);
    struct qms_location loc = {0};
    int failed = 0;
    for (int i = 0; i < 100000 && !failed; i++) {
        int32_t t = qms_docb_table_begin(&b, -1, loc);
        if (t < 0) {
            failed = 1;
            break;
        }
        qms_docb_table_add_cell(&b, t, 0, 0, "cell", 4, loc);
        qms_docb_table_end(&b, t);
    }
    cr_expect(failed, "the capped arena never ran out");
    cr_expect_eq(b.tables.len, b.table_cells.len);
    struct qms_doc *d = NULL;
    cr_assert_eq(qms_docb_finish(&b, &d), 0);
    for (size_t i = 0; i < d->n_tables; i++)
        cr_expect_leq(d->tables[i].n_cells, 1);
    qms_doc_free(d);
}

/* The part name is stored once per part, not once per block (a 2 KB part name over a
 * million paragraphs was 2 GB); a caller reusing its buffer for another name still gets it. */
Test(doc, part_name_is_shared_between_blocks_and_follows_the_caller)
{
    struct qms_docb b;
    cr_assert_eq(qms_docb_init(&b, "x.docx", QMS_FORMAT_DOCX, NULL), 0);
    char part[64] = "word/document.xml";
    struct qms_location loc = {0};
    loc.part = part;
    for (int i = 0; i < 1000; i++)
        cr_assert(qms_docb_add_block(&b, QMS_BLOCK_PARAGRAPH, 0, "p", 1, loc));
    snprintf(part, sizeof part, "word/header1.xml");
    cr_assert(qms_docb_add_block(&b, QMS_BLOCK_HEADER, 0, "h", 1, loc));
    struct qms_doc *d = NULL;
    cr_assert_eq(qms_docb_finish(&b, &d), 0);
    for (size_t i = 1; i < 1000; i++)
        cr_assert_eq(d->blocks[i].loc.part, d->blocks[0].loc.part);
    cr_expect_str_eq(d->blocks[0].loc.part, "word/document.xml");
    cr_expect_str_eq(d->blocks[1000].loc.part, "word/header1.xml");
    cr_expect_neq(d->blocks[0].loc.part, (const char *)part);
    qms_doc_free(d);
}
