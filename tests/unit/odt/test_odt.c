/* The ODT reader on our own fixtures (fixtures/odt/, packed at build time). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "reader.h"
#include "testutil.h"

static struct qms_doc *load(const char *rel)
{
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data, "fixture %s missing (build the qms_fixtures target)", path);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    struct qms_limits limits;
    qms_limits_default(&limits);
    int rc = qms_odt_read(&doc, rel, data, len, &limits, &err);
    cr_assert_eq(rc, 0, "%s: %s", rel, err.msg);
    free(data);
    free(path);
    return doc;
}

static const struct qms_block *find_block(const struct qms_doc *d, const char *text)
{
    for (size_t i = 0; i < d->n_blocks; i++)
        if (strcmp(d->blocks[i].text, text) == 0)
            return &d->blocks[i];
    return NULL;
}

static const struct qms_block *block(const struct qms_doc *d, const char *text)
{
    const struct qms_block *b = find_block(d, text);
    cr_assert_not_null(b, "no block \"%s\"", text);
    return b;
}

static size_t block_index(const struct qms_doc *d, const struct qms_block *b)
{
    return (size_t)(b - d->blocks);
}

static int any_block_contains(const struct qms_doc *d, const char *needle)
{
    for (size_t i = 0; i < d->n_blocks; i++)
        if (strstr(d->blocks[i].text, needle))
            return 1;
    return 0;
}

static const struct qms_property *prop(const struct qms_doc *d, enum qms_prop_source source,
                                       const char *name)
{
    for (size_t i = 0; i < d->n_properties; i++)
        if (d->properties[i].source == source && strcmp(d->properties[i].name, name) == 0)
            return &d->properties[i];
    return NULL;
}

/* ---- headings and text ------------------------------------------------------------- */

Test(odt, title_style_gives_title_block)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Document Control");
    cr_expect_eq(b->kind, QMS_BLOCK_TITLE);
    cr_expect_eq(d->format, QMS_FORMAT_ODT);
    qms_doc_free(d);
}

Test(odt, heading_from_outline_level_and_automatic_style)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "1 Purpose");
    cr_expect_eq(b->kind, QMS_BLOCK_HEADING);
    cr_expect_eq(b->level, 1);
    /* P1 is an automatic style; the style shown is the one it inherits */
    cr_expect_str_eq(b->style, "Heading 1");
    b = block(d, "2.1 References");
    cr_expect_eq(b->kind, QMS_BLOCK_HEADING);
    cr_expect_eq(b->level, 2);
    qms_doc_free(d);
}

Test(odt, paragraph_styled_as_heading_is_heading)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "2 Scope");
    cr_expect_eq(b->kind, QMS_BLOCK_HEADING);
    cr_expect_eq(b->level, 1);
    /* text:p with automatic style P3 -> Heading_20_3 (default-outline-level 3) */
    b = block(d, "3.1 Drafting");
    cr_expect_eq(b->kind, QMS_BLOCK_HEADING);
    cr_expect_eq(b->level, 3);
    qms_doc_free(d);
}

Test(odt, empty_default_outline_level_means_body_text)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Styled like a heading but outline level \"body text\".");
    cr_expect_eq(b->kind, QMS_BLOCK_PARAGRAPH);
    qms_doc_free(d);
}

Test(odt, spans_inside_a_word_join)
{
    struct qms_doc *d = load("odt/procedure.odt");
    block(d, "This procedure defines how documents are controlled.");
    qms_doc_free(d);
}

Test(odt, spaces_tabs_and_line_breaks)
{
    struct qms_doc *d = load("odt/procedure.odt");
    block(d, "Applies to all   controlled documents.\tTabbed.\nSecond line.");
    qms_doc_free(d);
}

Test(odt, nested_lists_give_list_items_with_level)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Draft the document from the template.");
    cr_expect_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_expect_eq(b->level, 1);
    b = block(d, "Fill in the control block.");
    cr_expect_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_expect_eq(b->level, 2);
    b = block(d, "Steps:"); /* text:list-header */
    cr_expect_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    b = block(d, "Document QP-7.5-01 is titled Document Control; owner Quality Manager.");
    cr_expect_eq(b->kind, QMS_BLOCK_PARAGRAPH, "the list ended");
    qms_doc_free(d);
}

Test(odt, numbered_paragraph_is_a_list_item_at_its_level)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Numbered on its own.");
    cr_expect_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_expect_eq(b->level, 2);
    qms_doc_free(d);
}

Test(odt, generated_table_of_contents_is_left_out)
{
    struct qms_doc *d = load("odt/procedure.odt");
    cr_expect_null(find_block(d, "1 Purpose\t1"));
    cr_expect_null(find_block(d, "Contents"));
    qms_doc_free(d);
}

Test(odt, section_of_a_block_is_the_nearest_heading)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Send it for review.");
    cr_assert_not_null(b->loc.section);
    cr_expect_str_eq(b->loc.section, "3.1 Drafting");
    /* text:section is transparent: its paragraphs are body text */
    b = block(d, "See ISO 9001 and QP-8.7-01, and section 1 Purpose.");
    cr_expect_eq(b->kind, QMS_BLOCK_PARAGRAPH);
    cr_expect_str_eq(b->loc.section, "2.1 References");
    qms_doc_free(d);
}

Test(odt, locations_have_part_paragraph_ordinal_and_line)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *title = block(d, "Document Control");
    cr_expect_str_eq(title->loc.part, "content.xml");
    cr_expect_eq(title->loc.block, 1);
    cr_expect_eq(title->loc.line, 19);
    cr_expect_eq(title->loc.column, 4, "the column of its start tag");
    const struct qms_block *purpose = block(d, "1 Purpose");
    cr_expect_eq(purpose->loc.block, 2);
    cr_expect_eq(purpose->loc.line, 20);
    const struct qms_block *note = block(d, "See ISO 9001:2015 clause 7.5.3.");
    cr_expect_eq(note->loc.line, 21);
    cr_expect_eq(note->loc.column, 239, "a paragraph in the middle of a line");
    const struct qms_block *footer = block(d, "Uncontrolled when printed");
    cr_expect_str_eq(footer->loc.part, "styles.xml");
    qms_doc_free(d);
}

/* ---- tables ------------------------------------------------------------------------ */

Test(odt, table_header_rows_and_multi_paragraph_cells)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *b = block(d, "Rev");
    cr_assert_eq(b->kind, QMS_BLOCK_TABLE_CELL);
    cr_assert(b->flags & QMS_BLOCK_IN_TABLE);
    const struct qms_table *t = &d->tables[b->table];
    cr_expect_eq(t->n_rows, 3);
    cr_expect_eq(t->n_cols, 3);
    cr_expect_eq(qms_table_cell(t, 0, 0)->header, 1);
    cr_expect_eq(qms_table_cell(t, 1, 0)->header, 0);
    cr_expect_str_eq(qms_table_cell(t, 2, 2)->text, "Added the approval step\nand the review period");
    cr_expect_str_eq(qms_table_cell(t, 2, 1)->text, "2025-03-02");
    qms_doc_free(d);
}

Test(odt, covered_cells_and_spans_keep_the_grid)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_table *t = &d->tables[0];
    const struct qms_cell *a1 = qms_table_cell(t, 0, 1);
    cr_assert_not_null(a1);
    cr_expect_str_eq(a1->text, "A1 spans two");
    cr_expect_eq(a1->col_span, 2);
    cr_expect_str_eq(qms_table_cell(t, 0, 2)->text, "C1");
    const struct qms_cell *a2 = qms_table_cell(t, 2, 0);
    cr_assert_not_null(a2);
    cr_expect_str_eq(a2->text, "A2 spans down");
    cr_expect_eq(a2->row_span, 2);
    cr_expect_str_eq(qms_table_cell(t, 2, 2)->text, "C3");
    qms_doc_free(d);
}

Test(odt, nested_table_has_parent_and_nested_flag)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_block *b = block(d, "inner two");
    cr_assert_eq(b->table, 1);
    cr_expect_eq(d->tables[1].parent, 0);
    cr_expect(b->flags & QMS_BLOCK_NESTED);
    cr_expect_eq(b->col, 1);
    cr_expect_str_eq(qms_table_cell(&d->tables[0], 2, 1)->text, "B3 holds a table");
    qms_doc_free(d);
}

Test(odt, repeated_cells_and_rows_are_copied)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_table *t = &d->tables[0];
    for (uint32_t c = 0; c < 3; c++)
        cr_expect_str_eq(qms_table_cell(t, 3, c)->text, "same");
    cr_expect_str_eq(qms_table_cell(t, 4, 2)->text, "end");
    cr_expect_str_eq(qms_table_cell(t, 5, 2)->text, "end");
    cr_expect_str_eq(qms_table_cell(t, 5, 1)->text, "", "an empty cell between content stays");
    qms_doc_free(d);
}

Test(odt, trailing_empty_repeats_are_dropped)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_table *t = &d->tables[0];
    /* 1,048,576 empty rows of 16,384 empty cells at the end: not materialised */
    cr_expect_eq(t->n_rows, 6);
    cr_expect_eq(t->n_cols, 3);
    cr_expect_eq(t->n_cells, 16);
    qms_doc_free(d);
}

Test(odt, empty_repeats_between_content_are_kept)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_table *t = &d->tables[2];
    cr_expect_str_eq(qms_table_cell(t, 0, 6)->text, "far right");
    cr_expect_str_eq(qms_table_cell(t, 0, 3)->text, "");
    cr_expect_not_null(qms_table_cell(t, 2, 1), "blank repeated rows before content are rows");
    cr_expect_str_eq(qms_table_cell(t, 3, 0)->text, "bottom");
    qms_doc_free(d);
}

Test(odt, huge_repeat_counts_are_capped)
{
    struct qms_doc *d = load("odt/tables.odt");
    const struct qms_table *t = &d->tables[2];
    /* a non-empty cell repeated 4e9 times in a row repeated 4e9 times */
    cr_expect_leq(t->n_cells, 5000);
    cr_expect_str_eq(qms_table_cell(t, 4, 0)->text, "bomb");
    block(d, "After the tables.");
    qms_doc_free(d);
}

/* ---- links, anchors, fields -------------------------------------------------------- */

Test(odt, hyperlinks_with_url_and_file_targets)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_link *url = NULL, *file = NULL;
    for (size_t i = 0; i < d->n_links; i++) {
        if (d->links[i].target_kind == QMS_TARGET_URL)
            url = &d->links[i];
        if (d->links[i].target_kind == QMS_TARGET_FILE)
            file = &d->links[i];
    }
    cr_assert_not_null(url);
    cr_expect_eq(url->kind, QMS_LINK_HYPERLINK);
    cr_expect_str_eq(url->target, "https://www.iso.org/standard/62085.html");
    cr_expect_str_eq(url->text, "ISO 9001");
    cr_assert_not_null(file);
    cr_expect_str_eq(file->target, "QP-8.7-01.odt#scope");
    cr_expect_str_eq(file->anchor, "scope");
    cr_expect_str_eq(file->text, "QP-8.7-01");
    cr_expect_str_eq(file->loc.part, "content.xml");
    cr_expect_eq(file->loc.block, block(d, "See ISO 9001 and QP-8.7-01, and section 1 Purpose.")->loc.block);
    qms_doc_free(d);
}

Test(odt, bookmarks_are_anchors_and_bookmark_refs_are_links)
{
    struct qms_doc *d = load("odt/procedure.odt");
    int toc = 0, plain = 0;
    for (size_t i = 0; i < d->n_anchors; i++) {
        cr_expect_eq(d->anchors[i].kind, QMS_ANCHOR_BOOKMARK);
        toc += !strcmp(d->anchors[i].name, "__RefHeading___Toc101");
        plain += !strcmp(d->anchors[i].name, "procedure");
    }
    cr_expect_eq(toc, 1, "bookmark-start counted once (not the -end)");
    cr_expect_eq(plain, 1);
    const struct qms_link *ref = NULL;
    for (size_t i = 0; i < d->n_links; i++)
        if (d->links[i].kind == QMS_LINK_BOOKMARK_REF)
            ref = &d->links[i];
    cr_assert_not_null(ref);
    cr_expect_eq(ref->target_kind, QMS_TARGET_ANCHOR);
    cr_expect_str_eq(ref->anchor, "__RefHeading___Toc101");
    cr_expect_str_eq(ref->text, "1 Purpose");
    qms_doc_free(d);
}

Test(odt, field_values_are_text_and_fields)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_field *user = NULL, *title = NULL, *var = NULL;
    for (size_t i = 0; i < d->n_fields; i++) {
        const struct qms_field *f = &d->fields[i];
        if (f->kind == QMS_FIELD_DOCPROPERTY)
            user = f;
        else if (f->name && !strcmp(f->name, "title"))
            title = f;
        else if (f->name && !strcmp(f->name, "owner"))
            var = f;
    }
    cr_assert_not_null(user);
    cr_expect_str_eq(user->name, "Document ID");
    cr_expect_str_eq(user->value, "QP-7.5-01");
    cr_assert_not_null(title);
    cr_expect_eq(title->kind, QMS_FIELD_VARIABLE);
    cr_expect_str_eq(title->value, "Document Control");
    cr_assert_not_null(var);
    cr_expect_str_eq(var->value, "Quality Manager");
    cr_expect_str_eq(var->instruction, "variable-get");
    qms_doc_free(d);
}

/* ---- notes, comments, frames, tracked changes -------------------------------------- */

Test(odt, footnote_is_a_note_block_after_its_paragraph)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *host = block(d, "This procedure defines how documents are controlled.");
    const struct qms_block *note = block(d, "See ISO 9001:2015 clause 7.5.3.");
    cr_expect_eq(note->kind, QMS_BLOCK_NOTE);
    cr_expect_eq(block_index(d, note), block_index(d, host) + 1);
    cr_expect_eq(note->loc.block, host->loc.block + 1);
    qms_doc_free(d);
}

Test(odt, annotation_is_a_comment_and_a_review_item)
{
    struct qms_doc *d = load("odt/procedure.odt");
    block(d, "Review every two years.");
    cr_expect_eq(block(d, "Is two years right?")->kind, QMS_BLOCK_COMMENT);
    cr_expect_eq(d->n_comments, 1);
    const struct qms_review_item *c = NULL;
    for (size_t i = 0; i < d->n_review; i++)
        if (d->review[i].kind == QMS_REVIEW_COMMENT)
            c = &d->review[i];
    cr_assert_not_null(c);
    cr_expect_str_eq(c->author, "Ann Auditor");
    cr_expect_str_eq(c->date, "2025-03-01T10:00:00");
    cr_expect_str_eq(c->text, "Is two years right?\nClause 7.5.3 asks for it.");
    cr_expect_eq(c->loc.block, block(d, "Review every two years.")->loc.block);
    qms_doc_free(d);
}

Test(odt, tracked_changes_are_counted_and_deleted_text_left_out)
{
    struct qms_doc *d = load("odt/procedure.odt");
    cr_expect_eq(d->n_insertions, 1);
    cr_expect_eq(d->n_deletions, 1);
    cr_expect_eq(d->n_format_changes, 1);
    cr_expect(!any_block_contains(d, "obsolete wording"), "deleted text is not body text");
    const struct qms_block *host = block(d, "Old text removed and newly inserted words.");
    for (size_t i = 0; i < d->n_review; i++) {
        const struct qms_review_item *r = &d->review[i];
        if (r->kind == QMS_REVIEW_DELETION) {
            cr_expect_str_eq(r->text, "obsolete wording");
            cr_expect_str_eq(r->author, "Rita Reviewer");
            cr_expect_eq(r->loc.block, host->loc.block, "located at its mark in the body");
        } else if (r->kind == QMS_REVIEW_INSERTION) {
            cr_expect_str_eq(r->text, "newly inserted");
            cr_expect_str_eq(r->date, "2025-03-01T11:00:00");
            cr_expect_eq(r->loc.block, host->loc.block);
        }
    }
    qms_doc_free(d);
}

Test(odt, text_box_is_its_own_block)
{
    struct qms_doc *d = load("odt/procedure.odt");
    cr_expect_eq(block(d, "Boxed reminder")->kind, QMS_BLOCK_TEXT_BOX);
    block(d, "After the frame.");
    qms_doc_free(d);
}

/* ---- styles.xml and meta.xml --------------------------------------------------------- */

Test(odt, master_page_headers_and_footers)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_block *h = block(d, "Document Control Procedure");
    cr_expect_eq(h->kind, QMS_BLOCK_HEADER);
    cr_expect_str_eq(h->loc.part, "styles.xml");
    const struct qms_block *id = block(d, "QP-7.5-01");
    cr_expect_eq(id->kind, QMS_BLOCK_HEADER, "a control table in the header stays header text");
    cr_expect_geq(id->table, 0);
    cr_expect_eq(block(d, "Page 1 of 2")->kind, QMS_BLOCK_FOOTER);
    cr_expect_eq(block(d, "Uncontrolled when printed")->kind, QMS_BLOCK_FOOTER);
    cr_expect_null(find_block(d, "Hidden left header"), "style:display=false is not shown");
    qms_doc_free(d);
}

Test(odt, meta_standard_properties)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_property *p = prop(d, QMS_PROP_ODT_META, "title");
    cr_assert_not_null(p);
    cr_expect_str_eq(p->value, "Document Control");
    cr_expect_str_eq(p->loc.part, "meta.xml");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_META, "initial-creator")->value, "Quinn Quality");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_META, "creator")->value, "Rita Reviewer");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_META, "creation-date")->type, "date");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_META, "date")->value, "2025-03-02T16:40:11.123");
    p = prop(d, QMS_PROP_ODT_META, "editing-cycles");
    cr_assert_not_null(p, "the save counter is its own property, not a revision");
    cr_expect_str_eq(p->value, "7");
    cr_expect_str_eq(p->type, "int");
    cr_expect_null(prop(d, QMS_PROP_ODT_META, "revision"));
    qms_doc_free(d);
}

Test(odt, user_defined_properties_keep_their_type)
{
    struct qms_doc *d = load("odt/procedure.odt");
    const struct qms_property *p = prop(d, QMS_PROP_ODT_USER, "Document ID");
    cr_assert_not_null(p);
    cr_expect_str_eq(p->value, "QP-7.5-01");
    cr_expect_str_eq(p->type, "string");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_USER, "Effective date")->type, "date");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_USER, "Review period (months)")->type, "float");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_USER, "Controlled")->value, "true");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_USER, "Controlled")->type, "boolean");
    qms_doc_free(d);
}

/* ---- variants ------------------------------------------------------------------------ */

Test(odt, ott_is_a_template)
{
    struct qms_doc *d = load("odt/template.ott");
    cr_expect(d->flags & QMS_DOC_TEMPLATE);
    cr_expect_eq(block(d, "1 Purpose")->kind, QMS_BLOCK_HEADING);
    qms_doc_free(d);
}

Test(odt, flat_fodt_reads_meta_styles_and_body)
{
    struct qms_doc *d = load("odt/flat.fodt");
    cr_expect(d->flags & QMS_DOC_FLAT_XML);
    const struct qms_block *h = block(d, "1 Purpose");
    cr_expect_eq(h->kind, QMS_BLOCK_HEADING);
    cr_expect_str_eq(h->loc.part, "content.xml");
    const struct qms_block *f = block(d, "QP-9.2-01 Rev B");
    cr_expect_eq(f->kind, QMS_BLOCK_FOOTER);
    cr_expect_str_eq(f->loc.part, "styles.xml");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_META, "title")->value, "Internal Audit");
    cr_expect_str_eq(prop(d, QMS_PROP_ODT_USER, "Document ID")->value, "QP-9.2-01");
    qms_doc_free(d);
}

Test(odt, broken_meta_xml_keeps_the_body)
{
    struct qms_doc *d = load("odt/broken-meta.odt");
    /* junk after the root of meta.xml, as in odfdom's test-input/invalid.odt */
    cr_expect_eq(block(d, "Body survives a broken meta.xml.")->kind, QMS_BLOCK_PARAGRAPH);
    const struct qms_property *title = prop(d, QMS_PROP_ODT_META, "title");
    cr_assert_not_null(title, "the metadata before the junk is kept");
    cr_expect_str_eq(title->value, "Kept title");
    qms_doc_free(d);
}

/* ---- pictures ------------------------------------------------------------------------ */

Test(odt, pictures_are_image_links_in_their_paragraph)
{
    struct qms_doc *d = load("odt/pictures.odt");
    const struct qms_link *image = NULL;
    size_t n_images = 0;
    for (size_t i = 0; i < d->n_links; i++)
        if (d->links[i].kind == QMS_LINK_IMAGE) {
            image = &d->links[i];
            n_images++;
        }
    cr_assert_eq(n_images, 1, "the picture in the deleted text is not one of this revision");
    cr_expect_str_eq(image->target, "Pictures/flow.png");
    /* between the heading it illustrates and the next one */
    const struct qms_block *flow = block(d, "2 Process flow"), *records = block(d, "3 Records");
    cr_expect_eq(image->loc.part, flow->loc.part);
    cr_expect_gt(image->loc.block, flow->loc.block);
    cr_expect_lt(image->loc.block, records->loc.block);
    qms_doc_free(d);
}
