/* GFM pipe tables: cells, header row, grid positions, one block per cell. */
#include "md_test.h"

Test(markdown, pipe_table_cells_and_header)
{
    struct qms_doc *d = md_fixture("tables.md");
    cr_assert_eq(d->n_tables, 1);
    const struct qms_table *t = &d->tables[0];
    cr_assert_eq(t->n_rows, 4);
    cr_assert_eq(t->n_cols, 4);
    cr_assert_eq(t->parent, -1);
    md_assert_loc(t->loc, 3, 1);
    const struct qms_cell *c = qms_table_cell(t, 0, 2);
    cr_assert_str_eq(c->text, "Description");
    cr_assert_eq(c->header, 1);
    md_assert_loc(c->loc, 3, 22);
    c = qms_table_cell(t, 1, 3);
    cr_assert_str_eq(c->text, "J. Smith");
    cr_assert_eq(c->header, 0);
    md_assert_loc(c->loc, 5, 42);
    cr_assert_str_eq(qms_table_cell(t, 1, 1)->text, "2023-01-10");
    qms_doc_free(d);
}

Test(markdown, pipe_table_cell_inline_markup_and_escaped_pipe)
{
    struct qms_doc *d = md_fixture("tables.md");
    const struct qms_cell *c = qms_table_cell(&d->tables[0], 2, 2);
    cr_assert_str_eq(c->text, "Clause 8.5 code | pipe");
    cr_assert_str_eq(qms_table_cell(&d->tables[0], 2, 3)->text, "");
    qms_doc_free(d);
}

Test(markdown, pipe_table_empty_leading_cell_and_excess_dropped)
{
    struct qms_doc *d = md_fixture("tables.md");
    const struct qms_table *t = &d->tables[0];
    cr_assert_str_eq(qms_table_cell(t, 3, 1)->text, "empty first");
    cr_assert_str_eq(qms_table_cell(t, 3, 3)->text, "x");
    for (size_t i = 0; i < t->n_cells; i++)
        cr_assert_str_neq(t->cells[i].text, "dropped", "GFM drops cells past the header");
    qms_doc_free(d);
}

Test(markdown, pipe_table_cell_blocks)
{
    struct qms_doc *d = md_fixture("tables.md");
    cr_assert_eq(md_count(d, QMS_BLOCK_TABLE_CELL), d->tables[0].n_cells);
    const struct qms_block *b = md_block_text(d, "Initial release");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_TABLE_CELL);
    cr_assert_eq(b->table, 0);
    cr_assert_eq(b->row, 1);
    cr_assert_eq(b->col, 2);
    cr_assert(b->flags & QMS_BLOCK_IN_TABLE);
    md_assert_loc(b->loc, 5, 22);
    cr_assert_str_eq(b->loc.section, "Revision history");
    b = md_block_text(d, "Text after.");
    cr_assert_eq(b->kind, QMS_BLOCK_PARAGRAPH);
    cr_assert_eq(b->table, -1);
    qms_doc_free(d);
}

Test(markdown, link_inside_table_cell)
{
    struct qms_doc *d = md_parse("| Doc | Ref |\n|---|---|\n| QP-1 | [proc](QP-1.md) |\n");
    cr_assert_eq(d->n_links, 1);
    cr_assert_str_eq(d->links[0].target, "QP-1.md");
    md_assert_loc(d->links[0].loc, 3, 10);
    cr_assert_str_eq(qms_table_cell(&d->tables[0], 1, 1)->text, "proc");
    qms_doc_free(d);
}

Test(markdown, two_tables_are_separate)
{
    struct qms_doc *d = md_parse("| a |\n|---|\n| 1 |\n\ntext\n\n| b | c |\n|---|---|\n");
    cr_assert_eq(d->n_tables, 2);
    cr_assert_eq(d->tables[0].n_cols, 1);
    cr_assert_eq(d->tables[1].n_cols, 2);
    cr_assert_eq(d->tables[1].n_rows, 1);
    const struct qms_block *b = md_block_text(d, "c");
    cr_assert_eq(b->table, 1);
    qms_doc_free(d);
}
