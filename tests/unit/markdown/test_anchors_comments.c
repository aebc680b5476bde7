/* Heading slugs (GitHub's rule, duplicates numbered), explicit anchors, HTML comments. */
#include "md_test.h"

Test(markdown, heading_slug_github_rule)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_anchor *a = md_anchor(d, "quality-manual");
    cr_assert_not_null(a);
    cr_assert_eq(a->kind, QMS_ANCHOR_HEADING);
    md_assert_loc(a->loc, 1, 1);
    cr_assert_not_null(md_anchor(d, "43-scope-of-the-qms"), "dots and markup removed");
    cr_assert_not_null(md_anchor(d, "code-qp-01-and-link-text"));
    cr_assert_not_null(md_anchor(d, "sechs-überschrift--äpfel"),
                       "Unicode letters lower-cased and kept, dash and ! removed");
    qms_doc_free(d);
}

Test(markdown, duplicate_slugs_numbered)
{
    struct qms_doc *d = md_fixture("headings.md");
    const struct qms_anchor *a = md_anchor(d, "responsibilities");
    cr_assert_not_null(a);
    md_assert_loc(a->loc, 13, 1);
    a = md_anchor(d, "responsibilities-1");
    cr_assert_not_null(a);
    md_assert_loc(a->loc, 15, 1);
    a = md_anchor(d, "responsibilities-1-1");
    cr_assert_not_null(a, "a heading that reads like a taken suffix gets its own suffix");
    md_assert_loc(a->loc, 17, 1);
    qms_doc_free(d);
}

Test(markdown, duplicate_slugs_count_up)
{
    struct qms_doc *d = md_parse("# A\n# a\n# A!\n# A-1\n");
    cr_assert_eq(d->n_anchors, 4);
    cr_assert_str_eq(d->anchors[0].name, "a");
    cr_assert_str_eq(d->anchors[1].name, "a-1");
    cr_assert_str_eq(d->anchors[2].name, "a-2");
    cr_assert_str_eq(d->anchors[3].name, "a-1-1");
    qms_doc_free(d);
}

Test(markdown, slug_keeps_underscore_and_hyphen)
{
    struct qms_doc *d = md_parse("## 8.5.1 Control_of production -- (new) & \"old\"?\n");
    cr_assert_str_eq(d->anchors[0].name, "851-control_of-production----new--old");
    qms_doc_free(d);
}

Test(markdown, explicit_anchors_html_and_heading_attribute)
{
    struct qms_doc *d = md_fixture("comments.md");
    const struct qms_anchor *a = md_anchor(d, "explicit-anchor");
    cr_assert_not_null(a);
    cr_assert_eq(a->kind, QMS_ANCHOR_EXPLICIT);
    md_assert_loc(a->loc, 10, 1);
    a = md_anchor(d, "named-anchor");
    cr_assert_not_null(a);
    md_assert_loc(a->loc, 11, 1);
    qms_doc_free(d);
    d = md_fixture("headings.md");
    a = md_anchor(d, "custom-id");
    cr_assert_not_null(a);
    cr_assert_eq(a->kind, QMS_ANCHOR_EXPLICIT);
    md_assert_loc(a->loc, 21, 1);
    cr_assert_not_null(md_block_text(d, "Explicit id"), "the {#id} is not heading text");
    qms_doc_free(d);
}

Test(markdown, inline_anchor_position)
{
    struct qms_doc *d = md_parse("Go to <a id=\"step-3\"></a>step 3 and <span id='s4'>x</span>.\n");
    const struct qms_anchor *a = md_anchor(d, "step-3");
    cr_assert_not_null(a);
    md_assert_loc(a->loc, 1, 7);
    a = md_anchor(d, "s4");
    cr_assert_not_null(a);
    md_assert_loc(a->loc, 1, 37);
    qms_doc_free(d);
}

Test(markdown, html_comments_kept_as_blocks)
{
    struct qms_doc *d = md_fixture("comments.md");
    cr_assert_eq(md_count(d, QMS_BLOCK_MARKUP_COMMENT), 3);
    const struct qms_block *c = md_block(d, QMS_BLOCK_MARKUP_COMMENT, 0);
    cr_assert_str_eq(c->text, "qmslint-disable structure/placeholder-text");
    md_assert_loc(c->loc, 3, 1);
    cr_assert_str_eq(c->loc.section, "Comments");
    c = md_block(d, QMS_BLOCK_MARKUP_COMMENT, 1);
    cr_assert_str_eq(c->text, "inline note");
    md_assert_loc(c->loc, 5, 11);
    c = md_block(d, QMS_BLOCK_MARKUP_COMMENT, 2);
    cr_assert_str_eq(c->text, "quoted\ncomment");
    md_assert_loc(c->loc, 7, 3);
    qms_doc_free(d);
}

Test(markdown, comment_text_not_in_paragraph_and_code_not_a_comment)
{
    struct qms_doc *d = md_fixture("comments.md");
    const struct qms_block *p = md_block(d, QMS_BLOCK_PARAGRAPH, 0);
    cr_assert(strstr(p->text, "inline note") == NULL, "text: %s", p->text);
    const struct qms_block *code = md_block(d, QMS_BLOCK_CODE, 0);
    cr_assert_str_eq(code->text, "<!-- not a comment in code -->");
    qms_doc_free(d);
}

Test(markdown, several_comments_in_one_html_block)
{
    struct qms_doc *d = md_parse("<!-- one --> <!-- two -->\n\n<!-- three\nlines -->\n");
    cr_assert_eq(md_count(d, QMS_BLOCK_MARKUP_COMMENT), 3);
    cr_assert_str_eq(md_block(d, QMS_BLOCK_MARKUP_COMMENT, 1)->text, "two");
    md_assert_loc(md_block(d, QMS_BLOCK_MARKUP_COMMENT, 1)->loc, 1, 14);
    cr_assert_str_eq(md_block(d, QMS_BLOCK_MARKUP_COMMENT, 2)->text, "three\nlines");
    md_assert_loc(md_block(d, QMS_BLOCK_MARKUP_COMMENT, 2)->loc, 3, 1);
    qms_doc_free(d);
}

Test(markdown, slug_drops_emoji_and_keeps_cjk)
{
    struct qms_doc *d = md_parse("## \xe5\x93\x81\xe8\xb3\xaa \xe3\x83\x9e\xe3\x83\x8b\xe3\x83\xa5\xe3\x82\xa2\xe3\x83\xab \xf0\x9f\x93\x84\n"
                                 "## \xce\x95\xce\xb3\xcf\x87\xce\xb5\xce\xb9\xcf\x81\xce\xaf\xce\xb4\xce\xb9\xce\xbf \xd0\x9a\xd0\xb0\xd1\x87\xd0\xb5\xd1\x81\xd1\x82\xd0\xb2\xd0\xbe\n");
    /* "品質 マニュアル 📄" -> "品質-マニュアル-" ; "Εγχειρίδιο Качество" lower-cased */
    cr_assert_str_eq(d->anchors[0].name, "\xe5\x93\x81\xe8\xb3\xaa-\xe3\x83\x9e\xe3\x83\x8b\xe3\x83\xa5\xe3\x82\xa2\xe3\x83\xab-");
    cr_assert_str_eq(d->anchors[1].name, "\xce\xb5\xce\xb3\xcf\x87\xce\xb5\xce\xb9\xcf\x81\xce\xaf\xce\xb4\xce\xb9\xce\xbf-\xd0\xba\xd0\xb0\xd1\x87\xd0\xb5\xd1\x81\xd1\x82\xd0\xb2\xd0\xbe");
    qms_doc_free(d);
}

Test(markdown, heading_of_only_punctuation_has_no_anchor)
{
    struct qms_doc *d = md_parse("# ???\n\n# ok\n");
    cr_assert_eq(d->n_anchors, 1);
    cr_assert_str_eq(d->anchors[0].name, "ok");
    qms_doc_free(d);
}
