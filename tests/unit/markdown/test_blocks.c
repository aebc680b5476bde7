/* Headings, paragraphs, lists, quotes and code: kinds, levels, text and positions. */
#include "md_test.h"

Test(markdown, atx_heading_levels_and_positions)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_block *h = md_block(d, QMS_BLOCK_HEADING, 0);
    cr_assert_str_eq(h->text, "Quality Manual");
    cr_assert_eq(h->level, 1);
    md_assert_loc(h->loc, 1, 1);
    h = md_block_text(d, "Responsibilities");
    cr_assert_not_null(h);
    cr_assert_eq(h->level, 3);
    md_assert_loc(h->loc, 13, 1);
    h = md_block_text(d, "Sechs Überschrift – Äpfel!");
    cr_assert_not_null(h);
    cr_assert_eq(h->level, 6);
    md_assert_loc(h->loc, 23, 1);
    qms_doc_free(d);
}

Test(markdown, atx_heading_closing_hashes_and_markup_removed)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_block *h = md_block(d, QMS_BLOCK_HEADING, 1);
    cr_assert_str_eq(h->text, "4.3 Scope of the QMS");
    cr_assert_eq(h->level, 2);
    cr_assert_not_null(md_block_text(d, "Code QP-01 and link text"),
                     "code span content and link text are kept");
    qms_doc_free(d);
}

Test(markdown, atx_heading_keeps_hash_not_preceded_by_space)
{
    struct qms_doc *d = md_parse("# C# and F#\n## Issue #5 ##\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_HEADING, 0)->text, "C# and F#");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_HEADING, 1)->text, "Issue #5");
    qms_doc_free(d);
}

Test(markdown, setext_heading_level)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_block *h = md_block_text(d, "Setext Heading Level One");
    cr_assert_not_null(h);
    cr_assert_eq(h->level, 1);
    cr_assert(h->flags & QMS_BLOCK_SETEXT);
    md_assert_loc(h->loc, 7, 1);
    h = md_block_text(d, "Setext level two");
    cr_assert_not_null(h);
    cr_assert_eq(h->level, 2);
    cr_assert(h->flags & QMS_BLOCK_SETEXT);
    md_assert_loc(h->loc, 10, 1);
    cr_assert_eq(md_block(d, QMS_BLOCK_HEADING, 0)->flags & QMS_BLOCK_SETEXT, 0);
    qms_doc_free(d);
}

Test(markdown, heading_is_section_of_following_blocks)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_block *p = md_block_text(d, "Intro paragraph.");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, QMS_BLOCK_PARAGRAPH);
    cr_assert_str_eq(p->loc.section, "Quality Manual");
    md_assert_loc(p->loc, 3, 1);
    qms_doc_free(d);
}

Test(markdown, paragraph_lines_joined_with_space)
{
    struct qms_doc *d = md_fixture("blocks.md");
    const struct qms_block *p = md_block(d, QMS_BLOCK_PARAGRAPH, 0);
    cr_assert_str_eq(p->text, "Paragraph one spans two lines.");
    md_assert_loc(p->loc, 1, 1);
    qms_doc_free(d);
}

Test(markdown, hard_line_break_kept_as_newline)
{
    struct qms_doc *d = md_parse("one  \ntwo\\\nthree\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->text, "one\ntwo\nthree");
    qms_doc_free(d);
}

Test(markdown, list_items_with_nesting_level)
{
    struct qms_doc *d = md_fixture("blocks.md");
    const struct qms_block *b = md_block_text(d, "Item one");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_assert_eq(b->level, 1);
    md_assert_loc(b->loc, 4, 3);
    b = md_block_text(d, "Nested item continued");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_assert_eq(b->level, 2);
    md_assert_loc(b->loc, 6, 5);
    b = md_block_text(d, "Second");
    cr_assert_not_null(b);
    cr_assert_eq(b->level, 1);
    md_assert_loc(b->loc, 11, 4);
    cr_assert_eq(md_count(d, QMS_BLOCK_LIST_ITEM), 7);
    qms_doc_free(d);
}

Test(markdown, list_item_with_two_paragraphs_gives_two_blocks)
{
    struct qms_doc *d = md_parse("- first para\n\n  second para\n- next\n");
    cr_assert_eq(md_count(d, QMS_BLOCK_LIST_ITEM), 3);
    const struct qms_block *b = md_block_text(d, "second para");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    md_assert_loc(b->loc, 3, 3);
    qms_doc_free(d);
}

Test(markdown, block_quote_depth)
{
    struct qms_doc *d = md_fixture("blocks.md");
    const struct qms_block *q = md_block_text(d, "Quoted text");
    cr_assert_not_null(q);
    cr_assert_eq(q->kind, QMS_BLOCK_QUOTE);
    cr_assert_eq(q->level, 1);
    md_assert_loc(q->loc, 13, 3);
    q = md_block_text(d, "Nested quote");
    cr_assert_not_null(q);
    cr_assert_eq(q->kind, QMS_BLOCK_QUOTE);
    cr_assert_eq(q->level, 2);
    md_assert_loc(q->loc, 14, 5);
    const struct qms_block *li = md_block_text(d, "list in quote");
    cr_assert_not_null(li);
    cr_assert_eq(li->kind, QMS_BLOCK_LIST_ITEM, "the innermost container decides");
    qms_doc_free(d);
}

Test(markdown, multi_line_quote_strips_markers)
{
    struct qms_doc *d = md_parse("> first line\n> second line\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_QUOTE, 0)->text, "first line second line");
    qms_doc_free(d);
}

Test(markdown, fenced_and_indented_code)
{
    struct qms_doc *d = md_fixture("blocks.md");
    cr_assert_eq(md_count(d, QMS_BLOCK_CODE), 2);
    const struct qms_block *c = md_block(d, QMS_BLOCK_CODE, 0);
    cr_assert_str_eq(c->text, "key: value\n  indented");
    md_assert_loc(c->loc, 18, 1);
    c = md_block(d, QMS_BLOCK_CODE, 1);
    cr_assert_str_eq(c->text, "indented code\nsecond line");
    md_assert_loc(c->loc, 23, 1);
    qms_doc_free(d);
}

Test(markdown, code_in_quote_drops_quote_markers)
{
    struct qms_doc *d = md_parse("> ```\n> a\n> b\n> ```\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_CODE, 0)->text, "a\nb");
    qms_doc_free(d);
}

Test(markdown, tab_kept_and_columns_count_code_points)
{
    struct qms_doc *d = md_fixture("blocks.md");
    const struct qms_block *p = md_block_text(d, "Last paragraph with\ttab.");
    cr_assert_not_null(p);
    md_assert_loc(p->loc, 28, 1);
    qms_doc_free(d);
    d = md_parse("- \xc3\xa4\xc3\xb6 [x](y.md)\n");
    /* "- " then two letters (2 bytes each) and a space: the link is the 6th character */
    md_assert_loc(d->links[0].loc, 1, 6);
    qms_doc_free(d);
    /* far into a long line of 3-byte characters (past many count marks) */
    char line[4096] = "";
    for (int i = 0; i < 1000; i++)
        strcat(line, "\xe2\x82\xac");
    strcat(line, " [x](y.md)\n");
    d = md_parse(line);
    md_assert_loc(d->links[0].loc, 1, 1002);
    qms_doc_free(d);
}

Test(markdown, crlf_and_bom_keep_positions)
{
    struct qms_doc *d = md_parse("\xEF\xBB\xBF# Title\r\n\r\nSome text\r\nmore [a](b.md)\r\n");
    const struct qms_block *h = md_block(d, QMS_BLOCK_HEADING, 0);
    cr_assert_str_eq(h->text, "Title");
    md_assert_loc(h->loc, 1, 1);
    const struct qms_block *p = md_block(d, QMS_BLOCK_PARAGRAPH, 0);
    cr_assert_str_eq(p->text, "Some text more a");
    md_assert_loc(p->loc, 3, 1);
    cr_assert_eq(d->n_links, 1);
    md_assert_loc(d->links[0].loc, 4, 6);
    cr_assert_null(strchr(p->text, '\r'));
    qms_doc_free(d);
}

Test(markdown, lone_cr_is_a_line_break)
{
    struct qms_doc *d = md_parse("# A\r\rtext\r");
    md_assert_loc(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->loc, 3, 1);
    qms_doc_free(d);
}

Test(markdown, entities_and_escapes_decoded)
{
    struct qms_doc *d = md_parse("R&amp;D &#x41;&#66; \\*not em\\* &bogus;\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->text, "R&D AB *not em* &bogus;");
    qms_doc_free(d);
}

Test(markdown, emphasis_and_strikethrough_markers_removed)
{
    struct qms_doc *d = md_parse("*a* **b** _c_ __d__ ~~e~~ ***f***\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->text, "a b c d e f");
    qms_doc_free(d);
}

Test(markdown, empty_document_is_valid)
{
    struct qms_doc *d = md_parse("");
    cr_assert_eq(d->n_blocks, 0);
    cr_assert_eq(d->format, QMS_FORMAT_MARKDOWN);
    cr_assert_str_eq(d->path, "test.md");
    qms_doc_free(d);
    d = md_parse("\xEF\xBB\xBF");
    cr_assert_eq(d->n_blocks, 0);
    qms_doc_free(d);
}
