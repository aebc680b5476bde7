/* YAML front matter flattened into properties with positions. */
#include "md_test.h"

Test(markdown, front_matter_flattened_with_positions)
{
    struct qms_doc *d = md_fixture("front-matter.md");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    const struct qms_property *p = md_prop(d, "id", 0);
    cr_assert_not_null(p);
    cr_assert_str_eq(p->value, "QP-007");
    cr_assert_eq(p->source, QMS_PROP_FRONT_MATTER);
    md_assert_loc(p->loc, 2, 5);
    p = md_prop(d, "title", 0);
    cr_assert_str_eq(p->value, "Control of documented information");
    md_assert_loc(p->loc, 3, 8);
    p = md_prop(d, "revision", 0);
    cr_assert_str_eq(p->value, "3");
    cr_assert_str_eq(p->type, "int");
    p = md_prop(d, "effective", 0);
    cr_assert_str_eq(p->type, "date");
    qms_doc_free(d);
}

Test(markdown, front_matter_nested_map_dotted_names)
{
    struct qms_doc *d = md_fixture("front-matter.md");
    const struct qms_property *p = md_prop(d, "approval.by", 0);
    cr_assert_not_null(p);
    cr_assert_str_eq(p->value, "Jane Doe");
    md_assert_loc(p->loc, 7, 7);
    p = md_prop(d, "approval.date", 0);
    cr_assert_str_eq(p->value, "2024-04-28");
    md_assert_loc(p->loc, 8, 9);
    cr_assert_null(md_prop(d, "approval", 0));
    qms_doc_free(d);
}

Test(markdown, front_matter_sequence_one_property_per_item)
{
    struct qms_doc *d = md_fixture("front-matter.md");
    const struct qms_property *a = md_prop(d, "keywords", 0), *b = md_prop(d, "keywords", 1);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_str_eq(a->value, "documents");
    cr_assert_str_eq(b->value, "records");
    md_assert_loc(a->loc, 10, 5);
    md_assert_loc(b->loc, 11, 5);
    cr_assert_null(md_prop(d, "keywords", 2));
    qms_doc_free(d);
}

Test(markdown, front_matter_not_a_block)
{
    struct qms_doc *d = md_fixture("front-matter.md");
    cr_assert_eq(d->n_blocks, 1);
    cr_assert_eq(d->blocks[0].kind, QMS_BLOCK_HEADING);
    md_assert_loc(d->blocks[0].loc, 14, 1);
    qms_doc_free(d);
}

Test(markdown, front_matter_malformed_is_recorded_not_fatal)
{
    struct qms_doc *d = md_fixture("front-matter-bad.md");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    const struct qms_property *p = md_prop(d, "qmslint.front-matter-error", 0);
    cr_assert_not_null(p);
    cr_assert(strstr(p->value, "front-matter-bad.md:") != NULL, "message: %s", p->value);
    cr_assert_null(md_prop(d, "id", 0));
    cr_assert_str_eq(md_block(d, QMS_BLOCK_HEADING, 0)->text, "Still read");
    qms_doc_free(d);
}

Test(markdown, front_matter_not_a_mapping_is_recorded)
{
    struct qms_doc *d = md_parse("---\n- a\n- b\n---\ntext\n");
    const struct qms_property *p = md_prop(d, "qmslint.front-matter-error", 0);
    cr_assert_not_null(p);
    cr_assert(strstr(p->value, "not a YAML mapping") != NULL, "message: %s", p->value);
    qms_doc_free(d);
}

Test(markdown, front_matter_only_at_the_top)
{
    struct qms_doc *d = md_parse("text\n\n---\nid: X\n---\n");
    cr_assert_eq(d->flags & QMS_DOC_HAS_FRONT_MATTER, 0);
    cr_assert_null(md_prop(d, "id", 0));
    qms_doc_free(d);
}

Test(markdown, front_matter_empty_and_crlf)
{
    struct qms_doc *d = md_parse("---\n---\n# T\n");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    cr_assert_eq(d->n_properties, 0);
    qms_doc_free(d);
    d = md_parse("\xEF\xBB\xBF---\r\nid: QP-1\r\nowner: QA\r\n---\r\n# T\r\n");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    const struct qms_property *p = md_prop(d, "owner", 0);
    cr_assert_not_null(p);
    cr_assert_str_eq(p->value, "QA");
    md_assert_loc(p->loc, 3, 8);
    qms_doc_free(d);
}

Test(markdown, front_matter_closed_by_dots_or_at_end_of_file)
{
    struct qms_doc *d = md_parse("---\nid: QP-2\n...\n# H\n");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    cr_assert_str_eq(md_prop(d, "id", 0)->value, "QP-2");
    cr_assert_eq(md_count(d, QMS_BLOCK_PARAGRAPH), 0, "the front matter is not text");
    md_assert_loc(md_block(d, QMS_BLOCK_HEADING, 0)->loc, 4, 1);
    qms_doc_free(d);
    d = md_parse("---\nid: QP-3\n---");
    cr_assert(d->flags & QMS_DOC_HAS_FRONT_MATTER);
    cr_assert_str_eq(md_prop(d, "id", 0)->value, "QP-3");
    cr_assert_eq(d->n_blocks, 0);
    qms_doc_free(d);
}

Test(markdown, unclosed_front_matter_is_a_thematic_break)
{
    struct qms_doc *d = md_parse("---\nid: QP-4\n\ntext\n");
    cr_assert_eq(d->flags & QMS_DOC_HAS_FRONT_MATTER, 0);
    cr_assert_eq(d->n_properties, 0);
    cr_assert_not_null(md_block_text(d, "text"));
    qms_doc_free(d);
}

Test(markdown, front_matter_sequence_of_maps_and_flow_list)
{
    struct qms_doc *d = md_parse("---\nk: [a, b]\nrevs:\n  - rev: A\n    by: X\n  - rev: B\n---\n");
    cr_assert_str_eq(md_prop(d, "k", 1)->value, "b");
    md_assert_loc(md_prop(d, "k", 1)->loc, 2, 8);
    cr_assert_str_eq(md_prop(d, "revs.rev", 0)->value, "A");
    cr_assert_str_eq(md_prop(d, "revs.by", 0)->value, "X");
    cr_assert_str_eq(md_prop(d, "revs.rev", 1)->value, "B");
    md_assert_loc(md_prop(d, "revs.rev", 1)->loc, 6, 10);
    qms_doc_free(d);
}

Test(markdown, front_matter_yaml_aliases_refused_as_error_property)
{
    struct qms_doc *d = md_parse("---\na: &x 1\nb: *x\n---\n# T\n");
    const struct qms_property *p = md_prop(d, "qmslint.front-matter-error", 0);
    cr_assert_not_null(p);
    md_assert_loc(p->loc, 1, 1);
    cr_assert_null(md_prop(d, "a", 0));
    qms_doc_free(d);
}
