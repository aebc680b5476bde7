/* Links of every kind: inline, reference, autolink, image, wikilink; targets and positions. */
#include "md_test.h"

Test(markdown, inline_link_target_anchor_text_position)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "QP-007.md#scope");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_HYPERLINK);
    cr_assert_eq(l->target_kind, QMS_TARGET_FILE);
    cr_assert_str_eq(l->anchor, "scope");
    cr_assert_str_eq(l->text, "the procedure");
    md_assert_loc(l->loc, 3, 5);
    l = md_link_to(d, "https://example.com");
    cr_assert_eq(l->target_kind, QMS_TARGET_URL);
    md_assert_loc(l->loc, 3, 50);
    l = md_link_to(d, "#links");
    cr_assert_eq(l->target_kind, QMS_TARGET_ANCHOR);
    cr_assert_str_eq(l->anchor, "links");
    qms_doc_free(d);
}

Test(markdown, reference_links_resolved_case_insensitively)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "./docs/ref.md");
    cr_assert_not_null(l, "[reference][Ref-One] uses [ref-one]:");
    cr_assert_eq(l->kind, QMS_LINK_REFERENCE);
    cr_assert_str_eq(l->text, "reference");
    md_assert_loc(l->loc, 4, 3);
    l = md_link_to(d, "docs/collapsed file.md");
    cr_assert_not_null(l, "collapsed [x][] with <...> destination");
    cr_assert_eq(l->kind, QMS_LINK_REFERENCE);
    cr_assert_str_eq(l->text, "collapsed");
    l = md_link_to(d, "http://example.org/short");
    cr_assert_not_null(l, "shortcut [Shortcut]");
    cr_assert_str_eq(l->text, "Shortcut");
    cr_assert_eq(l->kind, QMS_LINK_REFERENCE);
    qms_doc_free(d);
}

Test(markdown, unresolved_full_reference_is_a_name)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "nowhere");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_REFERENCE);
    cr_assert_eq(l->target_kind, QMS_TARGET_NAME);
    md_assert_loc(l->loc, 5, 8);
    qms_doc_free(d);
}

Test(markdown, unresolved_shortcut_is_plain_text)
{
    struct qms_doc *d = md_parse("Tick [x] or [ ] or [TBD].\n");
    cr_assert_eq(d->n_links, 0);
    cr_assert_str_eq(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->text, "Tick [x] or [ ] or [TBD].");
    qms_doc_free(d);
}

Test(markdown, definition_first_wins_and_labels_fold_whitespace)
{
    struct qms_doc *d = md_parse("[A  b][]\n\n[a b]: first.md\n[A B]: second.md\n");
    cr_assert_eq(d->n_links, 1);
    cr_assert_str_eq(d->links[0].target, "first.md");
    qms_doc_free(d);
}

Test(markdown, autolinks_uri_and_email)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "https://iso.org/9001");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_AUTOLINK);
    cr_assert_eq(l->target_kind, QMS_TARGET_URL);
    md_assert_loc(l->loc, 6, 6);
    l = md_link_to(d, "mailto:quality@example.com");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_AUTOLINK);
    cr_assert_str_eq(l->text, "quality@example.com");
    qms_doc_free(d);
}

Test(markdown, image_link)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "img/map.png");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_IMAGE);
    cr_assert_str_eq(l->text, "Process map");
    md_assert_loc(l->loc, 7, 7);
    qms_doc_free(d);
}

Test(markdown, reference_image_resolved)
{
    struct qms_doc *d = md_parse("![Flow][fig] and ![Fig]\n\n[fig]: flow.svg\n");
    cr_assert_eq(d->n_links, 2);
    cr_assert_eq(d->links[0].kind, QMS_LINK_IMAGE);
    cr_assert_str_eq(d->links[0].target, "flow.svg");
    cr_assert_str_eq(d->links[1].target, "flow.svg");
    qms_doc_free(d);
}

Test(markdown, link_destination_escapes_and_title)
{
    struct qms_doc *d = md_parse("[a](<my doc.md> \"t\") [b](x\\(1\\).md 'y')\n");
    cr_assert_eq(d->n_links, 2);
    cr_assert_str_eq(d->links[0].target, "my doc.md");
    cr_assert_str_eq(d->links[1].target, "x(1).md");
    qms_doc_free(d);
}

Test(markdown, wikilinks_target_text_heading)
{
    struct qms_doc *d = md_fixture("links.md");
    const struct qms_link *l = md_link_to(d, "QP-008");
    cr_assert_not_null(l);
    cr_assert_eq(l->kind, QMS_LINK_WIKILINK);
    cr_assert_eq(l->target_kind, QMS_TARGET_NAME);
    cr_assert_str_eq(l->text, "QP-008");
    md_assert_loc(l->loc, 8, 6);
    l = md_link_to(d, "QP-009");
    cr_assert_str_eq(l->text, "the form");
    md_assert_loc(l->loc, 8, 21);
    l = md_link_to(d, "WI-01#Steps");
    cr_assert_not_null(l);
    cr_assert_str_eq(l->anchor, "Steps");
    qms_doc_free(d);
}

Test(markdown, wikilinks_not_found_in_code)
{
    struct qms_doc *d = md_fixture("links.md");
    cr_assert_null(md_link_to(d, "QP-999"));
    qms_doc_free(d);
    d = md_parse("```\n[[QP-1]]\n```\n\n    [[QP-2]]\n\n`[[QP-3]]` \\[[QP-4]]\n");
    cr_assert_eq(d->n_links, 0);
    qms_doc_free(d);
}

Test(markdown, wikilink_shown_as_its_text)
{
    struct qms_doc *d = md_parse("See [[QP-009|the form]] and [[QP-008]], not `[[raw]]`.\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_PARAGRAPH, 0)->text,
                     "See the form and QP-008, not [[raw]].");
    qms_doc_free(d);
}

Test(markdown, links_in_reading_order)
{
    struct qms_doc *d = md_fixture("links.md");
    for (size_t i = 1; i < d->n_links; i++) {
        const struct qms_location *a = &d->links[i - 1].loc, *b = &d->links[i].loc;
        cr_assert(a->line < b->line || (a->line == b->line && a->column < b->column),
                  "link %zu at %u:%u after %u:%u", i, b->line, b->column, a->line, a->column);
    }
    qms_doc_free(d);
}

Test(markdown, link_in_heading_and_list_positions)
{
    struct qms_doc *d = md_parse("## See [QP-1](QP-1.md)\n\n- item [x](y.md)\n  - sub <http://a.b>\n");
    cr_assert_eq(d->n_links, 3);
    md_assert_loc(d->links[0].loc, 1, 8);
    cr_assert_str_eq(d->links[0].loc.section, "See QP-1");
    md_assert_loc(d->links[1].loc, 3, 8);
    md_assert_loc(d->links[2].loc, 4, 9);
    qms_doc_free(d);
}

Test(markdown, bare_urls_are_autolinks)
{
    struct qms_doc *d = md_parse("See https://www.iso.org/standard/62085.html. Or www.example.com/a_(b) "
                                 "and (http://x.org/y).\n");
    cr_assert_eq(d->n_links, 3);
    const struct qms_link *l = &d->links[0];
    cr_assert_eq(l->kind, QMS_LINK_AUTOLINK);
    cr_assert_str_eq(l->target, "https://www.iso.org/standard/62085.html", "trailing dot dropped");
    md_assert_loc(l->loc, 1, 5);
    l = &d->links[1];
    cr_assert_str_eq(l->target, "http://www.example.com/a_(b)", "www. gets a scheme; balanced ')' kept");
    cr_assert_str_eq(l->text, "www.example.com/a_(b)");
    md_assert_loc(l->loc, 1, 49);
    cr_assert_str_eq(d->links[2].target, "http://x.org/y", "unbalanced ')' dropped");
    qms_doc_free(d);
}

Test(markdown, bare_urls_not_in_code_links_or_words)
{
    struct qms_doc *d = md_parse("[https://a.b](c.md) `http://d.e` <https://f.g> http://nodot foohttp://x.y\n\n"
                                 "```\nhttps://code.example\n```\n");
    cr_assert_eq(d->n_links, 2, "only the inline link and the <> autolink");
    cr_assert_str_eq(d->links[0].target, "c.md");
    cr_assert_str_eq(d->links[1].target, "https://f.g");
    qms_doc_free(d);
}
