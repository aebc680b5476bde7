/* The ODT reader on bad input: each refusal has a one-line reason, nothing crashes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../zipxml/ziptest.h"
#include "doc.h"
#include "reader.h"
#include "testutil.h"

#define CONTENT_HEAD                                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
#define CONTENT_TAIL "</office:text></office:body></office:document-content>\n"
#define MIME_TEXT "application/vnd.oasis.opendocument.text"

struct outcome {
    int rc;
    struct qms_err err;
    struct qms_doc *doc;
};

static struct outcome read_bytes(const char *path, const char *data, size_t len)
{
    struct outcome o = {0};
    struct qms_limits limits;
    qms_limits_default(&limits);
    o.rc = qms_odt_read(&o.doc, path, data, len, &limits, &o.err);
    if (o.rc != 0)
        cr_expect_null(o.doc, "no document on failure");
    return o;
}

static struct outcome read_fixture(const char *rel)
{
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data, "fixture %s missing", path);
    struct outcome o = read_bytes(rel, data, len);
    free(data);
    free(path);
    return o;
}

/* A package with a mimetype entry and the given content.xml. */
static struct outcome read_package(const char *content, size_t content_len)
{
    struct ziptest_entry entries[] = {
        {"mimetype", MIME_TEXT, 0, 1},
        {"content.xml", content, content_len, 0},
        {NULL, NULL, 0, 0},
    };
    size_t len = 0;
    char *zip = ziptest_build(entries, &len);
    cr_assert_not_null(zip);
    struct outcome o = read_bytes("test.odt", zip, len);
    free(zip);
    return o;
}

Test(odt, not_a_zip_is_refused)
{
    const char text[] = "This is a plain text file someone renamed to .odt.\n";
    struct outcome o = read_bytes("renamed.odt", text, sizeof text - 1);
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "not a zip archive");
}

Test(odt, zero_byte_file_is_refused)
{
    struct outcome o = read_bytes("empty.odt", "", 0);
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "empty file (0 bytes)");
}

Test(odt, truncated_package_is_refused)
{
    char *path = qms_test_fixture("odt/procedure.odt");
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data);
    struct outcome o = read_bytes("truncated.odt", data, len / 2);
    cr_expect_lt(o.rc, 0);
    cr_expect(strstr(o.err.msg, "zip") != NULL, "reason: %s", o.err.msg);
    free(data);
    free(path);
}

Test(odt, package_without_content_xml_is_refused)
{
    struct outcome o = read_fixture("odt/no-content.odt");
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "no content.xml in the package (not OpenDocument?)");
}

Test(odt, word_package_named_odt_is_refused_as_docx)
{
    struct ziptest_entry entries[] = {
        {"[Content_Types].xml", "<Types/>", 0, 0},
        {"word/document.xml", "<w:document/>", 0, 0},
        {NULL, NULL, 0, 0},
    };
    size_t len = 0;
    char *zip = ziptest_build(entries, &len);
    struct outcome o = read_bytes("report.odt", zip, len);
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "a Word (DOCX) package, not OpenDocument");
    free(zip);
}

Test(odt, encrypted_package_is_refused)
{
    struct outcome o = read_fixture("odt/encrypted.odt");
    cr_expect_eq(o.rc, QMS_EUNSUPPORTED);
    cr_expect_str_eq(o.err.msg, "encrypted OpenDocument — not supported");
}

Test(odt, spreadsheet_renamed_odt_is_refused)
{
    struct outcome o = read_fixture("odt/spreadsheet.odt");
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "not an OpenDocument text document (media type "
                                "application/vnd.oasis.opendocument.spreadsheet)");
}

Test(odt, spreadsheet_body_without_mimetype_is_refused)
{
    struct outcome o = read_fixture("odt/spreadsheet-body.odt");
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect_str_eq(o.err.msg, "not an OpenDocument text document (office:spreadsheet body)");
}

Test(odt, malformed_content_xml_is_refused_with_position)
{
    struct outcome o = read_fixture("odt/malformed.odt");
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect(strncmp(o.err.msg, "content.xml:6:", 14) == 0, "reason: %s", o.err.msg);
    cr_expect(strstr(o.err.msg, "malformed XML") != NULL, "reason: %s", o.err.msg);
}

Test(odt, malformed_flat_xml_names_the_file)
{
    const char fodt[] = "<?xml version=\"1.0\"?>\n<office:document xmlns:office=\"urn:oasis:"
                        "names:tc:opendocument:xmlns:office:1.0\">\n<office:body>\n";
    struct outcome o = read_bytes("docs/broken.fodt", fodt, sizeof fodt - 1);
    cr_expect_eq(o.rc, QMS_EFORMAT);
    cr_expect(strncmp(o.err.msg, "broken.fodt:", 12) == 0, "reason: %s", o.err.msg);
}

Test(odt, zip_bomb_is_refused)
{
    /* 64 MiB of spaces deflate ~1000:1, far above the ratio cap */
    size_t n = (size_t)64 << 20;
    char *content = malloc(n);
    cr_assert_not_null(content);
    size_t head = strlen(CONTENT_HEAD "<text:p>");
    memcpy(content, CONTENT_HEAD "<text:p>", head);
    memset(content + head, ' ', n - head);
    struct outcome o = read_package(content, n);
    free(content);
    cr_expect_eq(o.rc, QMS_ETOOBIG);
    cr_expect(strstr(o.err.msg, "content.xml: compression ratio above") != NULL, "reason: %s",
              o.err.msg);
}

Test(odt, entity_bomb_is_not_expanded)
{
    const char content[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>\n"
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
        "<text:p>before &lol9; after</text:p>" CONTENT_TAIL;
    struct outcome o = read_package(content, sizeof content - 1);
    if (o.rc != 0) {
        cr_expect(strstr(o.err.msg, "entity") != NULL, "reason: %s", o.err.msg);
        return;
    }
    for (size_t i = 0; i < o.doc->n_blocks; i++)
        cr_expect_lt(o.doc->blocks[i].text_len, 1000, "an entity was expanded");
    qms_doc_free(o.doc);
}

Test(odt, external_entity_is_not_loaded)
{
    const char content[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE x [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
        "<text:p>x&secret;y</text:p>" CONTENT_TAIL;
    struct outcome o = read_package(content, sizeof content - 1);
    if (o.rc == 0) {
        for (size_t i = 0; i < o.doc->n_blocks; i++)
            cr_expect(strstr(o.doc->blocks[i].text, "root:") == NULL);
        qms_doc_free(o.doc);
    }
}

Test(odt, deep_nesting_is_refused)
{
    char *content = malloc(64 * 1024);
    cr_assert_not_null(content);
    strcpy(content, CONTENT_HEAD "<text:p>");
    for (int i = 0; i < 400; i++)
        strcat(content, "<text:span>");
    strcat(content, "deep");
    for (int i = 0; i < 400; i++)
        strcat(content, "</text:span>");
    strcat(content, "</text:p>" CONTENT_TAIL);
    struct outcome o = read_package(content, strlen(content));
    free(content);
    cr_expect_eq(o.rc, QMS_ETOOBIG);
    cr_expect_str_eq(o.err.msg, "content.xml: XML nested deeper than 256");
}

Test(odt, text_s_count_is_capped)
{
    const char content[] = CONTENT_HEAD "<text:p>a<text:s text:c=\"4000000000\"/>b</text:p>"
                                        "<text:p>c<text:s text:c=\"-5\"/>d</text:p>" CONTENT_TAIL;
    struct outcome o = read_package(content, sizeof content - 1);
    cr_assert_eq(o.rc, 0, "%s", o.err.msg);
    cr_assert_geq(o.doc->n_blocks, 2);
    cr_expect_lt(o.doc->blocks[0].text_len, 100);
    cr_expect_str_eq(o.doc->blocks[1].text, "c d");
    qms_doc_free(o.doc);
}

Test(odt, macro_storage_sets_the_macro_flag)
{
    const char content[] = CONTENT_HEAD "<text:p>With a Basic library.</text:p>" CONTENT_TAIL;
    struct ziptest_entry entries[] = {
        {"mimetype", MIME_TEXT, 0, 1},
        {"content.xml", content, 0, 0},
        {"Basic/Standard/Module1.xml", "<script/>", 0, 0},
        {NULL, NULL, 0, 0},
    };
    size_t len = 0;
    char *zip = ziptest_build(entries, &len);
    struct outcome o = read_bytes("macro.odt", zip, len);
    free(zip);
    cr_assert_eq(o.rc, 0, "%s", o.err.msg);
    cr_expect(o.doc->flags & QMS_DOC_MACRO_ENABLED);
    qms_doc_free(o.doc);
}

Test(odt, hostile_strings_stay_well_formed)
{
    /* control characters, invalid UTF-8 in attributes, empty names: no crash, no leak */
    const char content[] =
        CONTENT_HEAD "<text:p text:style-name=\"\">x<text:a xlink:href=\"\" "
                     "xmlns:xlink=\"http://www.w3.org/1999/xlink\"/><text:bookmark text:name=\"\"/>"
                     "<text:bookmark-ref text:ref-name=\"\"/><text:user-defined/>"
                     "<text:change text:change-id=\"nope\"/><text:change-end/>"
                     "<text:note><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p>"
                     "<table:table-cell xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">"
                     "<text:p>stray cell</text:p></table:table-cell>" CONTENT_TAIL;
    struct outcome o = read_package(content, sizeof content - 1);
    cr_assert_eq(o.rc, 0, "%s", o.err.msg);
    for (size_t i = 0; i < o.doc->n_blocks; i++)
        cr_expect_eq(strlen(o.doc->blocks[i].text), o.doc->blocks[i].text_len);
    qms_doc_free(o.doc);
}

Test(odt, locations_count_lines_past_65535)
{
    /* libxml2 node line numbers stop at 65535; ours do not */
    size_t lines = 70000;
    size_t cap = strlen(CONTENT_HEAD) + lines + 256;
    char *content = malloc(cap);
    cr_assert_not_null(content);
    strcpy(content, CONTENT_HEAD);
    size_t n = strlen(content);
    memset(content + n, '\n', lines);
    n += lines;
    strcpy(content + n, "  <!-- <text:p>not this</text:p> --><text:p>far down</text:p>" CONTENT_TAIL);
    struct outcome o = read_package(content, strlen(content));
    free(content);
    cr_assert_eq(o.rc, 0, "%s", o.err.msg);
    cr_assert_eq(o.doc->n_blocks, 1);
    cr_expect_eq(o.doc->blocks[0].loc.line, 2 + lines);
    cr_expect_eq(o.doc->blocks[0].loc.column, 37);
    qms_doc_free(o.doc);
}
