#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/zipxml.h"
#include "ziptest.h"

static struct qms_limits limits(void)
{
    struct qms_limits l;
    qms_limits_default(&l);
    return l;
}

Test(zipxml, reads_deflated_and_stored_entries)
{
    struct ziptest_entry e[] = {{"a.xml", "<a>hello</a>", 0, 0}, {"dir/b.txt", "stored", 0, 1}, {0}};
    size_t len;
    char *zipdata = ziptest_build(e, &len);
    cr_assert_not_null(zipdata);
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, zipdata, len, &l, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_zip_count(zip), 2);
    cr_assert(qms_zip_has(zip, "a.xml"));
    cr_assert(qms_zip_has(zip, "/dir/b.txt"), "a leading slash is ignored");
    cr_assert_not(qms_zip_has(zip, "c.xml"));
    char *out;
    size_t out_len;
    cr_assert_eq(qms_zip_read(zip, "dir/b.txt", &out, &out_len, &err), 0, "%s", err.msg);
    cr_assert_str_eq(out, "stored");
    cr_assert_eq(out_len, 6);
    free(out);
    cr_assert_eq(qms_zip_read(zip, "a.xml", &out, &out_len, &err), 0, "%s", err.msg);
    cr_assert_str_eq(out, "<a>hello</a>");
    free(out);
    cr_assert_lt(qms_zip_read(zip, "missing.xml", &out, &out_len, &err), 0);
    cr_assert(strstr(err.msg, "missing.xml"), "%s", err.msg);
    qms_zip_close(zip);
    free(zipdata);
}

Test(zipxml, refuses_ole_compound_file)
{
    char data[512] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, data, sizeof data, &l, &err), QMS_EUNSUPPORTED);
    cr_assert_str_eq(err.msg, "encrypted Office file or legacy .doc — not supported");
}

Test(zipxml, refuses_empty_and_non_zip)
{
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, "", 0, &l, &err), QMS_EFORMAT);
    cr_assert(strstr(err.msg, "empty file"), "%s", err.msg);
    const char *text = "This is just some plain text, long enough to be looked at as a zip.";
    cr_assert_eq(qms_zip_open(&zip, text, strlen(text), &l, &err), QMS_EFORMAT);
    cr_assert(strstr(err.msg, "not a zip archive"), "%s", err.msg);
}

Test(zipxml, refuses_truncated_zip)
{
    struct ziptest_entry e[] = {{"a.xml", "<a>some text to make the entry longer</a>", 0, 0}, {0}};
    size_t len;
    char *zipdata = ziptest_build(e, &len);
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_lt(qms_zip_open(&zip, zipdata, len / 2, &l, &err), 0);
    cr_assert(strstr(err.msg, "truncated"), "%s", err.msg);
    free(zipdata);
}

Test(zipxml, caps_entry_count)
{
    struct ziptest_entry e[] = {{"a", "1", 0, 0}, {"b", "2", 0, 0}, {"c", "3", 0, 0}, {0}};
    size_t len;
    char *zipdata = ziptest_build(e, &len);
    struct qms_limits l = limits();
    l.max_entries = 2;
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, zipdata, len, &l, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "3 entries (limit 2)"), "%s", err.msg);
    free(zipdata);
}

static char *zeros_zip(size_t n, size_t *len)
{
    char *zeros = calloc(1, n + 1);
    memset(zeros, 'A', n);
    struct ziptest_entry e[] = {{"bomb.xml", zeros, n, 0}, {0}};
    char *z = ziptest_build(e, len);
    free(zeros);
    return z;
}

Test(zipxml, caps_part_size_while_inflating)
{
    size_t len;
    char *zipdata = zeros_zip(4u << 20, &len);
    struct qms_limits l = limits();
    l.max_part_size = 1u << 20;
    l.max_ratio = 0;
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, zipdata, len, &l, &err), 0, "%s", err.msg);
    char *out = NULL;
    size_t out_len;
    cr_assert_eq(qms_zip_read(zip, "bomb.xml", &out, &out_len, &err), QMS_ETOOBIG);
    cr_assert_null(out);
    cr_assert(strstr(err.msg, "bomb.xml"), "%s", err.msg);
    qms_zip_close(zip);
    free(zipdata);
}

Test(zipxml, caps_compression_ratio)
{
    size_t len;
    char *zipdata = zeros_zip(8u << 20, &len);
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, zipdata, len, &l, &err), 0, "%s", err.msg);
    char *out = NULL;
    size_t out_len;
    cr_assert_eq(qms_zip_read(zip, "bomb.xml", &out, &out_len, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "compression ratio above 200"), "%s", err.msg);
    qms_zip_close(zip);
    free(zipdata);
}

Test(zipxml, caps_package_total)
{
    char *blob = malloc(300000);
    for (size_t i = 0; i < 300000; i++)
        blob[i] = (char)('a' + (i * 7919 % 26));
    struct ziptest_entry e[] = {{"a", blob, 300000, 0}, {"b", blob, 300000, 0}, {0}};
    size_t len;
    char *zipdata = ziptest_build(e, &len);
    struct qms_limits l = limits();
    l.max_total_size = 500000;
    struct qms_err err = {{0}};
    struct qms_zip *zip;
    cr_assert_eq(qms_zip_open(&zip, zipdata, len, &l, &err), 0, "%s", err.msg);
    char *out;
    cr_assert_eq(qms_zip_read(zip, "a", &out, NULL, &err), 0, "%s", err.msg);
    free(out);
    cr_assert_eq(qms_zip_read(zip, "b", &out, NULL, &err), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "package decompresses to more than"), "%s", err.msg);
    qms_zip_close(zip);
    free(zipdata);
    free(blob);
}

/* Reads every node; returns the last qms_xml_next result. */
static int drain(const char *xml, const struct qms_limits *l, struct qms_err *err, char *text,
                 size_t text_size)
{
    xmlTextReaderPtr r = qms_xml_reader_new(xml, strlen(xml), "p.xml", err);
    cr_assert_not_null(r);
    int rc;
    size_t n = 0;
    if (text_size)
        text[0] = '\0';
    while ((rc = qms_xml_next(r, "p.xml", l, err)) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_TEXT && text_size) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            n += (size_t)snprintf(text + n, text_size - n, "%s", v ? v : "");
            if (n >= text_size)
                n = text_size - 1;
        }
    }
    xmlFreeTextReader(r);
    return rc;
}

Test(zipxml, malformed_xml_names_part_and_line)
{
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    cr_assert_eq(drain("<a>\n<b>\n</a>", &l, &err, NULL, 0), QMS_EFORMAT);
    cr_assert(strstr(err.msg, "p.xml:3:"), "%s", err.msg);
    cr_assert(strstr(err.msg, "malformed XML"), "%s", err.msg);
}

Test(zipxml, external_entity_not_loaded)
{
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    char text[256];
    const char *xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>"
                      "<a>x&ext;y</a>";
    int rc = drain(xml, &l, &err, text, sizeof text);
    cr_assert_geq(rc, 0, "%s", err.msg);
    cr_assert_null(strstr(text, "root:"), "the external entity was expanded: %s", text);
    cr_assert(strstr(text, "x"), "%s", text);
}

Test(zipxml, entity_bomb_not_expanded)
{
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    static char xml[8192];
    size_t n = (size_t)snprintf(xml, sizeof xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                                                 "<!ENTITY lol0 \"lollollollollollollollollollol\">\n");
    for (int i = 1; i <= 9; i++)
        n += (size_t)snprintf(xml + n, sizeof xml - n,
                              "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;"
                              "&lol%d;&lol%d;&lol%d;\">\n",
                              i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                              i - 1);
    snprintf(xml + n, sizeof xml - n, "]>\n<lolz>&lol9;</lolz>");
    char text[4096];
    int rc = drain(xml, &l, &err, text, sizeof text);
    /* Either refused with a clear reason or read without expansion; never a billion lols. */
    if (rc < 0)
        cr_assert(strstr(err.msg, "p.xml"), "%s", err.msg);
    cr_assert_lt(strlen(text), 1000);
}

Test(zipxml, deep_nesting_refused)
{
    struct qms_limits l = limits();
    struct qms_err err = {{0}};
    size_t depth = 100000;
    char *xml = malloc(depth * 7 + 16);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(xml + n, "<a>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(xml + n, "</a>");
    cr_assert_eq(drain(xml, &l, &err, NULL, 0), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "p.xml: XML nested deeper than 256"), "%s", err.msg);
    free(xml);
}

Test(zipxml, depth_cap_follows_limits)
{
    struct qms_limits l = limits();
    l.max_depth = 3;
    struct qms_err err = {{0}};
    cr_assert_eq(drain("<a><b><c><d/></c></b></a>", &l, &err, NULL, 0), 0, "%s", err.msg);
    cr_assert_eq(drain("<a><b><c><d><e/></d></c></b></a>", &l, &err, NULL, 0), QMS_ETOOBIG);
    cr_assert(strstr(err.msg, "deeper than 3"), "%s", err.msg);
}

Test(zipxml, resolves_relationship_targets)
{
    char out[256];
    qms_zip_resolve(out, sizeof out, "word/document.xml", "header1.xml");
    cr_assert_str_eq(out, "word/header1.xml");
    qms_zip_resolve(out, sizeof out, "word/document.xml", "../media/x.png");
    cr_assert_str_eq(out, "media/x.png");
    qms_zip_resolve(out, sizeof out, "_rels/.rels", "/word/document.xml");
    cr_assert_str_eq(out, "word/document.xml");
    qms_zip_resolve(out, sizeof out, "", "word/./document.xml");
    cr_assert_str_eq(out, "word/document.xml");
    qms_zip_resolve(out, sizeof out, "word/document.xml", "../../../../etc/passwd");
    cr_assert_str_eq(out, "etc/passwd");
}
