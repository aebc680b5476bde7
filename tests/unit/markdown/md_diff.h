/*
 * Field-by-field comparison of two document models, for the differential test of the
 * Markdown reader's block scanner against tree-sitter's block grammar (test_fastpath.c and
 * fuzz/fuzz_markdown.c). No test framework: the first difference is described in a buffer.
 */
#ifndef MD_DIFF_H
#define MD_DIFF_H

#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "markdown/md_internal.h"
#include "qmslint/model.h"
#include "reader.h"

static inline int md_diff_str(const char *x, const char *y)
{
    if (!x || !y)
        return x != y;
    return strcmp(x, y) != 0;
}

static inline int md_diff_loc(const struct qms_location *x, const struct qms_location *y)
{
    return md_diff_str(x->part, y->part) || x->line != y->line || x->column != y->column ||
           x->block != y->block || md_diff_str(x->section, y->section);
}

#define MD_DIFF_FAIL(...)                                                                          \
    do {                                                                                           \
        snprintf(msg, cap, __VA_ARGS__);                                                           \
        return 1;                                                                                  \
    } while (0)

/* 0 when x and y hold the same model; else 1 and the first difference in msg. */
static inline int md_model_diff(const struct qms_doc *x, const struct qms_doc *y, char *msg,
                                size_t cap)
{
    if (md_diff_str(x->path, y->path) || x->format != y->format || x->flags != y->flags)
        MD_DIFF_FAIL("document path, format or flags differ");
    if (x->n_blocks != y->n_blocks)
        MD_DIFF_FAIL("%zu blocks vs %zu", x->n_blocks, y->n_blocks);
    for (size_t i = 0; i < x->n_blocks; i++) {
        const struct qms_block *a = &x->blocks[i], *b = &y->blocks[i];
        if (a->kind != b->kind || a->level != b->level || a->text_len != b->text_len ||
            md_diff_str(a->text, b->text) || md_diff_str(a->style, b->style) ||
            a->table != b->table || a->row != b->row || a->col != b->col || a->flags != b->flags ||
            md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("block %zu: kind %d/%d level %u/%u at %u:%u/%u:%u text \"%s\" vs \"%s\"",
                         i, a->kind, b->kind, a->level, b->level, a->loc.line, a->loc.column,
                         b->loc.line, b->loc.column, a->text, b->text);
    }
    if (x->n_tables != y->n_tables)
        MD_DIFF_FAIL("%zu tables vs %zu", x->n_tables, y->n_tables);
    for (size_t i = 0; i < x->n_tables; i++) {
        const struct qms_table *a = &x->tables[i], *b = &y->tables[i];
        if (a->n_rows != b->n_rows || a->n_cols != b->n_cols || a->n_cells != b->n_cells ||
            a->parent != b->parent || md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("table %zu: %ux%u, %zu cells vs %ux%u, %zu cells", i, a->n_rows, a->n_cols,
                         a->n_cells, b->n_rows, b->n_cols, b->n_cells);
        for (size_t k = 0; k < a->n_cells; k++) {
            const struct qms_cell *p = &a->cells[k], *q = &b->cells[k];
            if (md_diff_str(p->text, q->text) || p->row != q->row || p->col != q->col ||
                p->row_span != q->row_span || p->col_span != q->col_span ||
                p->header != q->header || md_diff_loc(&p->loc, &q->loc))
                MD_DIFF_FAIL("table %zu cell %zu: \"%s\" (%u,%u) vs \"%s\" (%u,%u)", i, k, p->text,
                             p->row, p->col, q->text, q->row, q->col);
        }
    }
    if (x->n_links != y->n_links)
        MD_DIFF_FAIL("%zu links vs %zu", x->n_links, y->n_links);
    for (size_t i = 0; i < x->n_links; i++) {
        const struct qms_link *a = &x->links[i], *b = &y->links[i];
        if (a->kind != b->kind || a->target_kind != b->target_kind ||
            md_diff_str(a->target, b->target) || md_diff_str(a->anchor, b->anchor) ||
            md_diff_str(a->text, b->text) || md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("link %zu: \"%s\" vs \"%s\"", i, a->target, b->target);
    }
    if (x->n_anchors != y->n_anchors)
        MD_DIFF_FAIL("%zu anchors vs %zu", x->n_anchors, y->n_anchors);
    for (size_t i = 0; i < x->n_anchors; i++) {
        const struct qms_anchor *a = &x->anchors[i], *b = &y->anchors[i];
        if (a->kind != b->kind || md_diff_str(a->name, b->name) || md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("anchor %zu: \"%s\" vs \"%s\"", i, a->name, b->name);
    }
    if (x->n_properties != y->n_properties)
        MD_DIFF_FAIL("%zu properties vs %zu", x->n_properties, y->n_properties);
    for (size_t i = 0; i < x->n_properties; i++) {
        const struct qms_property *a = &x->properties[i], *b = &y->properties[i];
        if (a->source != b->source || md_diff_str(a->name, b->name) ||
            md_diff_str(a->value, b->value) || md_diff_str(a->type, b->type) ||
            md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("property %zu: \"%s\" vs \"%s\"", i, a->name, b->name);
    }
    if (x->n_review != y->n_review || x->n_insertions != y->n_insertions ||
        x->n_deletions != y->n_deletions || x->n_format_changes != y->n_format_changes ||
        x->n_comments != y->n_comments)
        MD_DIFF_FAIL("review items or their counts differ");
    for (size_t i = 0; i < x->n_review; i++) {
        const struct qms_review_item *a = &x->review[i], *b = &y->review[i];
        if (a->kind != b->kind || md_diff_str(a->author, b->author) ||
            md_diff_str(a->date, b->date) || md_diff_str(a->text, b->text) ||
            md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("review item %zu differs", i);
    }
    if (x->n_fields != y->n_fields)
        MD_DIFF_FAIL("%zu fields vs %zu", x->n_fields, y->n_fields);
    for (size_t i = 0; i < x->n_fields; i++) {
        const struct qms_field *a = &x->fields[i], *b = &y->fields[i];
        if (a->kind != b->kind || md_diff_str(a->name, b->name) ||
            md_diff_str(a->alias, b->alias) || md_diff_str(a->instruction, b->instruction) ||
            md_diff_str(a->value, b->value) || md_diff_loc(&a->loc, &b->loc))
            MD_DIFF_FAIL("field %zu differs", i);
    }
    return 0;
}

#undef MD_DIFF_FAIL

/*
 * Reads data with the block scanner allowed and then with it turned off, and compares the
 * results (return code, error message, model). Returns -1 when they differ (msg says how),
 * else 1 when the scanner read the document, 0 when it was left to the grammar.
 */
static inline int md_read_both(const char *name, const char *data, size_t len,
                               const struct qms_limits *limits, char *msg, size_t cap)
{
    struct qms_doc *fast = NULL, *slow = NULL;
    struct qms_err fast_err, slow_err;
    fast_err.msg[0] = slow_err.msg[0] = '\0';
    qms_md_set_fastpath(1);
    int fast_rc = qms_md_read(&fast, name, data, len, limits, &fast_err);
    int took = qms_md_last_read_fast();
    qms_md_set_fastpath(0);
    int slow_rc = qms_md_read(&slow, name, data, len, limits, &slow_err);
    qms_md_set_fastpath(1);
    int result = took;
    if (fast_rc != slow_rc) {
        snprintf(msg, cap, "return code %d (scanner) vs %d (grammar)", fast_rc, slow_rc);
        result = -1;
    } else if (fast_rc != 0) {
        if (strcmp(fast_err.msg, slow_err.msg) != 0) {
            snprintf(msg, cap, "error \"%s\" vs \"%s\"", fast_err.msg, slow_err.msg);
            result = -1;
        }
    } else if (md_model_diff(fast, slow, msg, cap)) {
        result = -1;
    }
    if (fast)
        qms_doc_free(fast);
    if (slow)
        qms_doc_free(slow);
    return result;
}

#endif
