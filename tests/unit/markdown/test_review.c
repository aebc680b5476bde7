/* Regression tests from the review of the Markdown reader: comments never closed, bare URLs
 * with runs of ')' (counted once, not once per character), links after delimiter-dense text. */
#include "md_test.h"

Test(markdown, unterminated_comment_keeps_its_opening_marker)
{
    struct qms_doc *d = md_parse("# A\n\n<!-- qmslint-disable x/y\n\nstill in the comment\n");
    const struct qms_block *c = md_block(d, QMS_BLOCK_MARKUP_COMMENT, 0);
    cr_assert_not_null(c);
    cr_assert(strncmp(c->text, "<!-- qmslint-disable x/y", 24) == 0, "'%s'", c->text);
    qms_doc_free(d);

    d = md_parse("<!-- closed -->\n");
    c = md_block(d, QMS_BLOCK_MARKUP_COMMENT, 0);
    cr_assert_not_null(c);
    cr_assert_str_eq(c->text, "closed");
    qms_doc_free(d);
}

Test(markdown, bare_url_drops_only_unbalanced_closing_parens)
{
    size_t n = 64 + 4000;
    char *text = malloc(n + 64);
    strcpy(text, "See http://a.b/(x)");
    size_t len = strlen(text);
    memset(text + len, ')', 4000);
    strcpy(text + len + 4000, " end\n");
    struct qms_doc *d = md_parse(text);
    cr_assert_eq(d->n_links, 1);
    cr_assert_str_eq(d->links[0].target, "http://a.b/(x)");
    qms_doc_free(d);
    free(text);
}

Test(markdown, link_after_delimiter_dense_text_is_kept)
{
    size_t reps = 5000;
    char *text = malloc(reps * 3 + 128);
    size_t len = 0;
    for (size_t i = 0; i < reps; i++) {
        memcpy(text + len, "*a ", 3);
        len += 3;
    }
    strcpy(text + len, "\nSee [the form](forms/F-01.md) here.\n");
    struct qms_doc *d = md_parse(text);
    cr_assert_eq(d->n_links, 1);
    cr_assert_str_eq(d->links[0].target, "forms/F-01.md");
    cr_assert_str_eq(d->links[0].text, "the form");
    qms_doc_free(d);
    free(text);
}

Test(markdown, bracket_text_broken_by_a_line_end_is_read_not_out_of_memory)
{
    /* found by fuzzing: the line break trimmed blanks written before the link text began,
       its length underflowed and the whole document failed as "out of memory" */
    struct qms_doc *d = md_parse("[  [\n]\xC3\xA9\n");
    cr_assert_eq(md_count(d, QMS_BLOCK_PARAGRAPH), 1);
    qms_doc_free(d);
    d = md_parse("Text  [  [\n]x and [the form](f.md)\n");
    cr_assert_eq(d->n_links, 1);
    cr_assert_str_eq(d->links[0].target, "f.md");
    qms_doc_free(d);
}
