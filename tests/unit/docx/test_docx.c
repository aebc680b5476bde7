#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "reader.h"
#include "testutil.h"
#include "../zipxml/ziptest.h"

static struct qms_doc *load_fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "docx/%s", name);
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data, "fixture %s missing (build qms_fixtures)", path);
    struct qms_limits limits;
    qms_limits_default(&limits);
    struct qms_err err = {{0}};
    struct qms_doc *doc = NULL;
    int rc = qms_docx_read(&doc, name, data, len, &limits, &err);
    cr_assert_eq(rc, 0, "%s: %s", name, err.msg);
    free(data);
    free(path);
    return doc;
}

static const struct qms_block *find_block(const struct qms_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (strcmp(doc->blocks[i].text, text) == 0)
            return &doc->blocks[i];
    return NULL;
}

static const struct qms_block *block_containing(const struct qms_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (strstr(doc->blocks[i].text, text))
            return &doc->blocks[i];
    return NULL;
}

static size_t count_text(const struct qms_doc *doc, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const char *p = doc->blocks[i].text;
        while ((p = strstr(p, needle)) != NULL) {
            n++;
            p += strlen(needle);
        }
    }
    return n;
}

static const struct qms_property *find_prop(const struct qms_doc *doc, enum qms_prop_source src,
                                            const char *name)
{
    for (size_t i = 0; i < doc->n_properties; i++)
        if (doc->properties[i].source == src && strcmp(doc->properties[i].name, name) == 0)
            return &doc->properties[i];
    return NULL;
}

/* ---- structure ---- */

Test(docx, title_style_becomes_title_block)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->format, QMS_FORMAT_DOCX);
    const struct qms_block *b = find_block(doc, "Control of Documented Information");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_TITLE);
    cr_assert_str_eq(b->style, "Title");
    qms_doc_free(doc);
}

Test(docx, heading_from_localized_style_id)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *b = find_block(doc, "1 Purpose of QP-006");
    cr_assert_not_null(b, "runs split over three rsids must join into one word");
    cr_assert_eq(b->kind, QMS_BLOCK_HEADING);
    cr_assert_eq(b->level, 1);
    const struct qms_block *h2 = find_block(doc, "2 References");
    cr_assert_not_null(h2);
    cr_assert_eq(h2->kind, QMS_BLOCK_HEADING, "style name 'Heading 2' matches in any case");
    cr_assert_eq(h2->level, 2);
    qms_doc_free(doc);
}

Test(docx, heading_from_outline_level)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *chain = find_block(doc, "3 Procedure");
    cr_assert_not_null(chain);
    cr_assert_eq(chain->kind, QMS_BLOCK_HEADING);
    cr_assert_eq(chain->level, 3, "outlineLvl 2 on the basedOn style");
    const struct qms_block *para = find_block(doc, "3.1 Steps");
    cr_assert_not_null(para);
    cr_assert_eq(para->kind, QMS_BLOCK_HEADING);
    cr_assert_eq(para->level, 4, "outlineLvl 3 on the paragraph");
    qms_doc_free(doc);
}

Test(docx, special_run_content)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *b = block_containing(doc, "Tab\tthen");
    cr_assert_not_null(b);
    cr_assert(strstr(b->text, "then\nbreak\ncr"), "%s", b->text);
    cr_assert(strstr(b->text, "non-breaking"), "no-break hyphen: %s", b->text);
    cr_assert(strstr(b->text, "cooperation"), "soft hyphen is invisible: %s", b->text);
    cr_assert(strstr(b->text, "\xE2\x9C\x93"), "w:sym U+2713: %s", b->text);
    qms_doc_free(doc);
}

Test(docx, list_items_with_level)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *b = find_block(doc, "Second level item");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, QMS_BLOCK_LIST_ITEM);
    cr_assert_eq(b->level, 2);
    const struct qms_block *s = find_block(doc, "Bullet from style");
    cr_assert_not_null(s);
    cr_assert_eq(s->kind, QMS_BLOCK_LIST_ITEM, "numbering inherited from the style");
    cr_assert_eq(s->level, 1);
    qms_doc_free(doc);
}

Test(docx, table_spans_resolved)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->n_tables, 2);
    const struct qms_table *t = &doc->tables[0];
    cr_assert_eq(t->parent, -1);
    cr_assert_eq(t->n_rows, 3);
    cr_assert_eq(t->n_cols, 3);
    const struct qms_cell *head = qms_table_cell(t, 0, 1);
    cr_assert_not_null(head);
    cr_assert_str_eq(head->text, "Revision history");
    cr_assert_eq(head->col_span, 2);
    cr_assert_eq(head->header, 1);
    const struct qms_cell *merged = qms_table_cell(t, 2, 0);
    cr_assert_not_null(merged);
    cr_assert_str_eq(merged->text, "A", "vMerge continues the cell above");
    cr_assert_eq(merged->row_span, 2);
    const struct qms_cell *two = qms_table_cell(t, 1, 1);
    cr_assert_str_eq(two->text, "First issue\nSecond line");
    const struct qms_cell *date = qms_table_cell(t, 2, 2);
    cr_assert_str_eq(date->text, "2024-02-01");
    const struct qms_block *b = find_block(doc, "2024-02-01");
    cr_assert_eq(b->kind, QMS_BLOCK_TABLE_CELL);
    cr_assert_eq(b->table, 0);
    cr_assert_eq(b->row, 2);
    cr_assert_eq(b->col, 2);
    cr_assert(b->flags & QMS_BLOCK_IN_TABLE);
    qms_doc_free(doc);
}

Test(docx, nested_table_has_parent)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->n_tables, 2);
    cr_assert_eq(doc->tables[1].parent, 0);
    cr_assert_str_eq(doc->tables[1].cells[0].text, "Nested cell");
    const struct qms_block *b = find_block(doc, "Nested cell");
    cr_assert_eq(b->table, 1);
    cr_assert(b->flags & QMS_BLOCK_NESTED);
    qms_doc_free(doc);
}

Test(docx, text_box_read_once_from_choice)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(count_text(doc, "Boxed note"), 1, "mc:Fallback must not double the text");
    const struct qms_block *b = find_block(doc, "Boxed note");
    cr_assert_eq(b->kind, QMS_BLOCK_TEXT_BOX);
    cr_assert_not_null(find_block(doc, "After the box"));
    qms_doc_free(doc);
}

Test(docx, headers_footers_notes_comments)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *h = find_block(doc, "Doc No. QP-006 \tRev C");
    cr_assert_not_null(h);
    cr_assert_eq(h->kind, QMS_BLOCK_HEADER);
    cr_assert_str_eq(h->loc.part, "word/header1.xml");
    cr_assert_null(h->loc.section, "a header is not under the body's last heading");
    cr_assert_eq(find_block(doc, "Controlled copy")->kind, QMS_BLOCK_FOOTER);
    cr_assert_eq(find_block(doc, " See the quality manual.")->kind, QMS_BLOCK_NOTE);
    cr_assert_eq(find_block(doc, "Endnote about records.")->kind, QMS_BLOCK_NOTE);
    cr_assert_eq(count_text(doc, "SEPARATOR"), 0, "separator footnotes are skipped");
    const struct qms_block *c = find_block(doc, "Please cite clause 7.5.3.");
    cr_assert_eq(c->kind, QMS_BLOCK_COMMENT);
    cr_assert_str_eq(c->loc.part, "word/comments.xml");
    qms_doc_free(doc);
}

Test(docx, tracked_changes_counted_with_locations)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->n_insertions, 2);
    cr_assert_eq(doc->n_deletions, 2);
    cr_assert_eq(doc->n_format_changes, 1);
    const struct qms_block *b = block_containing(doc, "Records are kept");
    cr_assert_str_eq(b->text, "Records are kept for ten years in the archive.",
                     "insertions kept, deletions and moved-from text excluded");
    int seen_delete = 0;
    for (size_t i = 0; i < doc->n_review; i++) {
        const struct qms_review_item *r = &doc->review[i];
        if (r->kind == QMS_REVIEW_DELETION && strcmp(r->text, "for five years") == 0) {
            seen_delete = 1;
            cr_assert_str_eq(r->author, "John Editor");
            cr_assert_str_eq(r->date, "2024-02-02T10:00:00Z");
            cr_assert_str_eq(r->loc.part, "word/document.xml");
            cr_assert_eq(r->loc.block, 4);
            cr_assert_str_eq(r->loc.section, "1 Purpose of QP-006");
        }
    }
    cr_assert(seen_delete);
    qms_doc_free(doc);
}

Test(docx, comment_review_item_points_into_body)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->n_comments, 1);
    for (size_t i = 0; i < doc->n_review; i++) {
        const struct qms_review_item *r = &doc->review[i];
        if (r->kind != QMS_REVIEW_COMMENT)
            continue;
        cr_assert_str_eq(r->author, "Auditor");
        cr_assert_str_eq(r->text, "Please cite clause 7.5.3.");
        cr_assert_str_eq(r->loc.part, "word/document.xml");
        cr_assert_eq(r->loc.block, 5);
    }
    qms_doc_free(doc);
}

Test(docx, fields_recorded_and_results_kept)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_not_null(find_block(doc, "QP-006 see Purpose on page 3"),
                       "field results stay, instructions (and nested results in them) do not");
    int docprop = 0, ref_links = 0;
    for (size_t i = 0; i < doc->n_fields; i++) {
        const struct qms_field *f = &doc->fields[i];
        if (f->kind == QMS_FIELD_DOCPROPERTY) {
            docprop = 1;
            cr_assert_str_eq(f->name, "DocumentNumber");
            cr_assert_str_eq(f->value, "QP-006");
        }
    }
    for (size_t i = 0; i < doc->n_links; i++) {
        const struct qms_link *l = &doc->links[i];
        if (l->kind == QMS_LINK_XREF_FIELD) {
            ref_links++;
            cr_assert_str_eq(l->anchor, "_Toc1");
            cr_assert_eq(l->target_kind, QMS_TARGET_ANCHOR);
        }
    }
    cr_assert(docprop);
    cr_assert_eq(ref_links, 2, "REF and PAGEREF");
    qms_doc_free(doc);
}

Test(docx, hyperlinks_resolved_through_rels)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    int external = 0, anchor = 0, field = 0;
    for (size_t i = 0; i < doc->n_links; i++) {
        const struct qms_link *l = &doc->links[i];
        if (l->kind != QMS_LINK_HYPERLINK)
            continue;
        if (strcmp(l->text, "ISO 9001") == 0) {
            external = 1;
            cr_assert_str_eq(l->target, "https://www.iso.org/standard/62085.html");
            cr_assert_eq(l->target_kind, QMS_TARGET_URL);
            cr_assert_eq(l->loc.block, 7);
        } else if (strcmp(l->text, "section 1") == 0) {
            anchor = 1;
            cr_assert_eq(l->target_kind, QMS_TARGET_ANCHOR);
            cr_assert_str_eq(l->anchor, "_Toc1");
        } else if (strcmp(l->text, "QP-007") == 0) {
            field = 1;
            cr_assert_str_eq(l->target, "QP-007.docx#scope");
            cr_assert_eq(l->target_kind, QMS_TARGET_FILE);
        }
    }
    cr_assert(external && anchor && field);
    qms_doc_free(doc);
}

Test(docx, bookmarks_are_anchors_without_goback)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    cr_assert_eq(doc->n_anchors, 1);
    cr_assert_eq(doc->anchors[0].kind, QMS_ANCHOR_BOOKMARK);
    cr_assert_str_eq(doc->anchors[0].name, "_Toc1");
    cr_assert_eq(doc->anchors[0].loc.block, 2);
    qms_doc_free(doc);
}

Test(docx, content_controls_with_tag_and_alias)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    int block = 0, inl = 0;
    for (size_t i = 0; i < doc->n_fields; i++) {
        const struct qms_field *f = &doc->fields[i];
        if (f->kind != QMS_FIELD_CONTENT_CONTROL)
            continue;
        if (strcmp(f->name, "qms_revision") == 0) {
            block = 1;
            cr_assert_str_eq(f->alias, "Revision");
            cr_assert_str_eq(f->value, "Rev C");
        } else if (strcmp(f->name, "qms_owner") == 0) {
            inl = 1;
            cr_assert_str_eq(f->alias, "Owner");
            cr_assert_str_eq(f->value, "Quality Manager");
        }
    }
    cr_assert(block && inl);
    cr_assert_not_null(find_block(doc, "Owner: Quality Manager"));
    qms_doc_free(doc);
}

Test(docx, properties_core_app_custom)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_property *p = find_prop(doc, QMS_PROP_CORE, "revision");
    cr_assert_not_null(p, "cp:revision is its own property");
    cr_assert_str_eq(p->value, "42");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CORE, "title")->value,
                     "Control of Documented Information");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CORE, "creator")->value, "Jane Quality");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CORE, "lastModifiedBy")->value, "John Editor");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CORE, "modified")->type, "date");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_APP, "Template")->value, "QMS-Procedure.dotx");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_APP, "Company")->value, "Acme Quality Ltd");
    cr_assert_null(find_prop(doc, QMS_PROP_APP, "TitlesOfParts"));
    const struct qms_property *num = find_prop(doc, QMS_PROP_CUSTOM, "DocumentNumber");
    cr_assert_str_eq(num->value, "QP-006");
    cr_assert_str_eq(num->type, "lpwstr");
    cr_assert_str_eq(num->loc.part, "docProps/custom.xml");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CUSTOM, "EffectiveDate")->type, "filetime");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CUSTOM, "Approved")->value, "true");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CUSTOM, "Copies")->type, "i4");
    qms_doc_free(doc);
}

Test(docx, locations_part_ordinal_line_section)
{
    struct qms_doc *doc = load_fixture("word-features.docx");
    const struct qms_block *b = find_block(doc, "ISO 9001 and section 1 and QP-007");
    cr_assert_not_null(b);
    cr_assert_str_eq(b->loc.part, "word/document.xml");
    cr_assert_eq(b->loc.block, 7);
    cr_assert_eq(b->loc.line, 42);
    cr_assert_str_eq(b->loc.section, "2 References");
    qms_doc_free(doc);
}

Test(docx, strict_ooxml_with_other_prefix_and_main_part)
{
    struct qms_doc *doc = load_fixture("strict-ns0.docx");
    cr_assert(doc->flags & QMS_DOC_STRICT_OOXML);
    const struct qms_block *h = find_block(doc, "Scope");
    cr_assert_not_null(h);
    cr_assert_eq(h->kind, QMS_BLOCK_HEADING);
    cr_assert_str_eq(h->loc.part, "word/main.xml");
    cr_assert_not_null(find_block(doc, "Write to the quality team"));
    cr_assert_eq(doc->n_links, 1);
    cr_assert_str_eq(doc->links[0].target, "mailto:quality@example.com");
    cr_assert_str_eq(find_prop(doc, QMS_PROP_CORE, "title")->value, "Strict sample");
    qms_doc_free(doc);
}

Test(docx, macro_enabled_and_template_flags)
{
    struct qms_doc *docm = load_fixture("macro.docm");
    cr_assert(docm->flags & QMS_DOC_MACRO_ENABLED);
    cr_assert_not(docm->flags & QMS_DOC_TEMPLATE);
    cr_assert_not_null(find_block(docm, "Macro-enabled form"));
    qms_doc_free(docm);
    struct qms_doc *dotx = load_fixture("template.dotx");
    cr_assert(dotx->flags & QMS_DOC_TEMPLATE);
    cr_assert_not(dotx->flags & QMS_DOC_MACRO_ENABLED);
    qms_doc_free(dotx);
    struct qms_doc *docx = load_fixture("word-features.docx");
    cr_assert_eq(docx->flags & (QMS_DOC_MACRO_ENABLED | QMS_DOC_TEMPLATE | QMS_DOC_STRICT_OOXML), 0);
    qms_doc_free(docx);
}

/* ---- bad input: each refused with its reason ---- */

static const char rels_xml[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

static int read_bytes(const char *data, size_t len, const struct qms_limits *limits,
                      struct qms_err *err)
{
    struct qms_doc *doc = NULL;
    int rc = qms_docx_read(&doc, "bad.docx", data, len, limits, err);
    if (doc)
        qms_doc_free(doc);
    return rc;
}

static int read_document_xml_with(const char *document_xml, size_t len,
                                  const struct qms_limits *limits, struct qms_err *err)
{
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0},
                                {"word/document.xml", document_xml, len, 0},
                                {0}};
    size_t zlen = 0;
    char *zip = ziptest_build(e, &zlen);
    cr_assert_not_null(zip);
    int rc = read_bytes(zip, zlen, limits, err);
    free(zip);
    return rc;
}

static int read_document_xml(const char *document_xml, size_t len, struct qms_err *err)
{
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0},
                                {"word/document.xml", document_xml, len, 0},
                                {0}};
    size_t zlen = 0;
    char *zip = ziptest_build(e, &zlen);
    cr_assert_not_null(zip);
    struct qms_limits limits;
    qms_limits_default(&limits);
    int rc = read_bytes(zip, zlen, &limits, err);
    free(zip);
    return rc;
}

Test(docx_bad, not_a_zip)
{
    struct qms_err err = {{0}};
    const char *text = "Just some text saved with a .docx extension by mistake.";
    cr_assert_eq(read_bytes(text, strlen(text), NULL, &err), QMS_EFORMAT);
    cr_assert_str_eq(err.msg, "not a zip archive");
}

Test(docx_bad, empty_file)
{
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes("", 0, NULL, &err), QMS_EFORMAT);
    cr_assert_str_eq(err.msg, "empty file (0 bytes)");
}

Test(docx_bad, ole_compound_file)
{
    char data[1024] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes(data, sizeof data, NULL, &err), QMS_EUNSUPPORTED);
    cr_assert_str_eq(err.msg, "encrypted Office file or legacy .doc — not supported");
}

Test(docx_bad, zip_without_document)
{
    struct ziptest_entry e[] = {{"hello.txt", "hello", 0, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes(zip, len, NULL, &err), QMS_EFORMAT);
    cr_assert_str_eq(err.msg, "no word/document.xml in the package (not a Word document)");
    free(zip);
}

Test(docx_bad, truncated_file)
{
    char *path = qms_test_fixture("docx/word-features.docx");
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data);
    struct qms_err err = {{0}};
    cr_assert_lt(read_bytes(data, len / 2, NULL, &err), 0);
    cr_assert(strstr(err.msg, "truncated"), "%s", err.msg);
    free(data);
    free(path);
}

Test(docx_bad, malformed_xml_names_part_and_line)
{
    const char *xml = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n"
                      "<w:body>\n<w:p><w:r><w:t>unclosed</w:r></w:p>\n</w:body></w:document>";
    struct qms_err err = {{0}};
    cr_assert_eq(read_document_xml(xml, strlen(xml), &err), QMS_EFORMAT);
    cr_assert(strstr(err.msg, "word/document.xml:3:"), "%s", err.msg);
    cr_assert(strstr(err.msg, "malformed XML"), "%s", err.msg);
}

Test(docx_bad, zip_bomb_ratio)
{
    size_t n = 20u << 20;
    char *xml = malloc(n);
    const char *head = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>";
    size_t h = strlen(head);
    memcpy(xml, head, h);
    memset(xml + h, 'A', n - h);
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0}, {"word/document.xml", xml, n, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    free(xml);
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes(zip, len, NULL, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "word/document.xml: compression ratio above 200"), "%s", err.msg);
    free(zip);
}

Test(docx_bad, part_size_cap_from_limits)
{
    char *xml = malloc(300000);
    const char *head = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    size_t h = strlen(head);
    memcpy(xml, head, h);
    for (size_t i = h; i < 300000; i++)
        xml[i] = (char)('a' + (i * 31 % 26));
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0}, {"word/document.xml", xml, 300000, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    free(xml);
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_part_size = 100000;
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes(zip, len, &limits, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "word/document.xml"), "%s", err.msg);
    free(zip);
}

Test(docx_bad, entry_count_cap_from_limits)
{
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0}, {"a", "1", 0, 0}, {"b", "2", 0, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_entries = 2;
    struct qms_err err = {{0}};
    cr_assert_eq(read_bytes(zip, len, &limits, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "entries (limit 2)"), "%s", err.msg);
    free(zip);
}

Test(docx_bad, entity_bomb_not_expanded)
{
    char xml[8192];
    size_t n = (size_t)snprintf(xml, sizeof xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [\n"
                                                 "<!ENTITY a0 \"BOOMBOOMBOOMBOOM\">\n");
    for (int i = 1; i <= 9; i++)
        n += (size_t)snprintf(xml + n, sizeof xml - n,
                              "<!ENTITY a%d \"&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;\">\n",
                              i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    snprintf(xml + n, sizeof xml - n,
             "]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
             "<w:body><w:p><w:r><w:t>x&a9;y</w:t></w:r></w:p></w:body></w:document>");
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0}, {"word/document.xml", xml, 0, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_docx_read(&doc, "bomb.docx", zip, len, NULL, &err);
    if (rc == 0) {
        for (size_t i = 0; i < doc->n_blocks; i++)
            cr_assert_null(strstr(doc->blocks[i].text, "BOOM"), "entity expanded");
        qms_doc_free(doc);
    } else {
        cr_assert(strstr(err.msg, "word/document.xml"), "%s", err.msg);
    }
    free(zip);
}

Test(docx_bad, external_entity_not_loaded)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>before&ext;after</w:t></w:r></w:p></w:body></w:document>";
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0}, {"word/document.xml", xml, 0, 0}, {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_docx_read(&doc, "xxe.docx", zip, len, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(doc->n_blocks, 1);
    cr_assert_str_eq(doc->blocks[0].text, "beforeafter");
    qms_doc_free(doc);
    free(zip);
}

Test(docx_bad, nesting_100000_deep)
{
    size_t depth = 100000;
    const char *head = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    size_t h = strlen(head);
    char *xml = malloc(h + depth * 16 + 64);
    memcpy(xml, head, h);
    size_t n = h;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(xml + n, "<w:sdt>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(xml + n, "</w:sdt>");
    n += (size_t)sprintf(xml + n, "</w:body></w:document>");
    struct qms_err err = {{0}};
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_ratio = 0; /* so the depth cap, not the ratio cap, is what stops it */
    cr_assert_eq(read_document_xml_with(xml, n, &limits, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "word/document.xml: XML nested deeper than 256"), "%s", err.msg);
    free(xml);
}

Test(docx_bad, main_part_not_wordprocessingml)
{
    const char *xml = "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"/>";
    struct qms_err err = {{0}};
    cr_assert_eq(read_document_xml(xml, strlen(xml), &err), QMS_EFORMAT);
    cr_assert_str_eq(err.msg, "word/document.xml: main part is not a WordprocessingML document");
}

Test(docx, google_docs_layout)
{
    struct qms_doc *doc = load_fixture("google-docs.docx");
    cr_assert_eq(find_block(doc, "Internal Audit")->kind, QMS_BLOCK_TITLE);
    const struct qms_block *h = find_block(doc, "Audit programme");
    cr_assert_not_null(h);
    cr_assert_eq(h->kind, QMS_BLOCK_HEADING);
    cr_assert_eq(h->level, 1);
    cr_assert_eq(doc->n_links, 1);
    cr_assert_str_eq(doc->links[0].target, "https://docs.example.com/QP-010");
    cr_assert_str_eq(doc->links[0].text, "QP-010");
    cr_assert_eq(doc->n_tables, 1);
    cr_assert_eq(doc->tables[0].n_cols, 2);
    cr_assert_eq(doc->n_properties, 0);
    cr_assert_eq(doc->n_anchors, 1);
    cr_assert_str_eq(doc->anchors[0].name, "_heading=h.gjdgxs");
    qms_doc_free(doc);
}

#define W_OPEN "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
#define W_CLOSE "</w:body></w:document>"

static struct qms_doc *load_xml(const char *document_xml)
{
    struct ziptest_entry e[] = {{"_rels/.rels", rels_xml, 0, 0},
                                {"word/document.xml", document_xml, 0, 0},
                                {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_docx_read(&doc, "inline.docx", zip, len, NULL, &err), 0, "%s", err.msg);
    free(zip);
    return doc;
}

Test(docx, drop_cap_joins_its_paragraph)
{
    struct qms_doc *doc = load_xml(W_OPEN
        "<w:p><w:pPr><w:framePr w:dropCap=\"drop\" w:lines=\"3\"/></w:pPr><w:r><w:t>S</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>cope of the procedure.</w:t></w:r></w:p>" W_CLOSE);
    cr_assert_eq(doc->n_blocks, 1);
    cr_assert_str_eq(doc->blocks[0].text, "Scope of the procedure.");
    qms_doc_free(doc);
}

Test(docx, unbalanced_and_deep_fields_keep_text)
{
    char xml[65536];
    size_t n = (size_t)snprintf(xml, sizeof xml, "%s<w:p>", W_OPEN);
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(xml + n, sizeof xml - n,
                              "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>IF</w:instrText></w:r>"
                              "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
    n += (size_t)snprintf(xml + n, sizeof xml - n, "<w:r><w:t>deep</w:t></w:r>");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(xml + n, sizeof xml - n, "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    snprintf(xml + n, sizeof xml - n,
             "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t> text</w:t></w:r></w:p>%s", W_CLOSE);
    struct qms_doc *doc = load_xml(xml);
    cr_assert_eq(doc->n_blocks, 1);
    cr_assert_str_eq(doc->blocks[0].text, "deep text");
    qms_doc_free(doc);
}

Test(docx, malformed_secondary_part_is_skipped)
{
    const char *doc_rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
        "</Relationships>";
    struct ziptest_entry e[] = {
        {"_rels/.rels", rels_xml, 0, 0},
        {"word/document.xml", W_OPEN "<w:p><w:r><w:t>Body</w:t></w:r></w:p>" W_CLOSE, 0, 0},
        {"word/_rels/document.xml.rels", doc_rels, 0, 0},
        {"word/header1.xml", "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p>", 0, 0},
        {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_docx_read(&doc, "hdr.docx", zip, len, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(doc->n_blocks, 1);
    cr_assert_str_eq(doc->blocks[0].text, "Body");
    qms_doc_free(doc);
    free(zip);
}

Test(docx, ruby_guide_is_not_text)
{
    struct qms_doc *doc = load_xml(W_OPEN
        "<w:p><w:r><w:ruby><w:rt><w:r><w:t>とうきょう</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>東京</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>" W_CLOSE);
    cr_assert_eq(doc->n_blocks, 1);
    cr_assert_str_eq(doc->blocks[0].text, "東京");
    qms_doc_free(doc);
}
