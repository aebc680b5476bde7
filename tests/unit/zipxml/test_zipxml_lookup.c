/* Part lookup by name (binary search over the sorted central directory since the review):
 * the same answers as the old in-order scan, for every name a package can hold. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/zipxml.h"
#include "ziptest.h"

static struct qms_zip *open_entries(const struct ziptest_entry *e, char **out_buf)
{
    size_t len = 0;
    char *buf = ziptest_build(e, &len);
    cr_assert_not_null(buf);
    struct qms_zip *zip = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_zip_open(&zip, buf, len, NULL, &err), 0, "%s", err.msg);
    *out_buf = buf;
    return zip;
}

static char *read_part(struct qms_zip *zip, const char *name)
{
    char *data = NULL;
    size_t len = 0;
    struct qms_err err = {{0}};
    if (qms_zip_read(zip, name, &data, &len, &err) != 0)
        return NULL;
    return data;
}

Test(zipxml_lookup, exact_name_wins_over_other_case)
{
    struct ziptest_entry e[] = {{"Word/Document.xml", "upper", 0, 1},
                                {"word/document.xml", "exact", 0, 1},
                                {"WORD/DOCUMENT.XML", "shout", 0, 1},
                                {0}};
    char *buf;
    struct qms_zip *zip = open_entries(e, &buf);
    char *d = read_part(zip, "word/document.xml");
    cr_expect_str_eq(d, "exact");
    free(d);
    /* no exact entry: the first in directory order of any case */
    d = read_part(zip, "word/DOCUMENT.xml");
    cr_expect_str_eq(d, "upper");
    free(d);
    qms_zip_close(zip);
    free(buf);
}

Test(zipxml_lookup, case_insensitive_match_is_first_in_directory_order)
{
    struct ziptest_entry e[] = {{"b.xml", "b", 0, 1},
                                {"DOCPROPS/CORE.XML", "first", 0, 1},
                                {"docProps/Core.xml", "second", 0, 1},
                                {0}};
    char *buf;
    struct qms_zip *zip = open_entries(e, &buf);
    char *d = read_part(zip, "docProps/core.xml");
    cr_expect_str_eq(d, "first");
    free(d);
    cr_expect(qms_zip_has(zip, "docprops/core.XML"));
    cr_expect(!qms_zip_has(zip, "docProps/core.xm"));
    cr_expect(!qms_zip_has(zip, "docProps/core.xmlx"));
    cr_expect(!qms_zip_has(zip, ""));
    cr_expect(!qms_zip_has(zip, "/"));
    qms_zip_close(zip);
    free(buf);
}

Test(zipxml_lookup, leading_slashes_are_ignored_on_both_sides)
{
    struct ziptest_entry e[] = {{"/content.xml", "slashed", 0, 1}, {"meta.xml", "meta", 0, 1}, {0}};
    char *buf;
    struct qms_zip *zip = open_entries(e, &buf);
    cr_expect(qms_zip_has(zip, "content.xml"));
    cr_expect(qms_zip_has(zip, "//content.xml"));
    cr_expect(qms_zip_has(zip, "/meta.xml"));
    char *d = read_part(zip, "content.xml");
    cr_expect_str_eq(d, "slashed");
    free(d);
    qms_zip_close(zip);
    free(buf);
}

/* 10,000 entries (the default cap) and a lookup of each, present and absent: a linear scan
 * per lookup made this 10^8 string compares. */
Test(zipxml_lookup, every_name_of_a_full_package_is_found, .timeout = 60)
{
    enum { N = 10000 };
    struct ziptest_entry *e = calloc(N + 1, sizeof *e);
    char (*names)[32] = calloc(N, sizeof *names);
    cr_assert(e && names);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "word/media/image%05d.png", (i * 7919) % N);
        e[i].name = names[i];
        e[i].data = names[i];
        e[i].store = 1;
    }
    char *buf;
    struct qms_zip *zip = open_entries(e, &buf);
    cr_assert_eq(qms_zip_count(zip), (size_t)N);
    for (int i = 0; i < N; i++) {
        char name[40];
        snprintf(name, sizeof name, "WORD/media/image%05d.png", i);
        cr_assert(qms_zip_has(zip, name), "%s not found", name);
        snprintf(name, sizeof name, "word/media/image%05d.jpg", i);
        cr_assert(!qms_zip_has(zip, name), "%s found", name);
    }
    char *d = read_part(zip, "word/media/image00042.png");
    cr_expect_str_eq(d, "word/media/image00042.png");
    free(d);
    qms_zip_close(zip);
    free(buf);
    free(e);
    free(names);
}

/* One text node over libxml2's 10,000,000-byte limit is a cap, reported as one (it was
 * "malformed XML: xmlSAX2Characters: huge text node"). */
Test(zipxml_lookup, huge_text_node_is_a_cap_not_malformed_xml)
{
    size_t n = 10u * 1000u * 1000u + 4096u;
    char *xml = malloc(n + 16);
    cr_assert_not_null(xml);
    memcpy(xml, "<a>", 3);
    memset(xml + 3, 'x', n);
    memcpy(xml + 3 + n, "</a>", 5);
    struct qms_limits l;
    qms_limits_default(&l);
    struct qms_err err = {{0}};
    xmlTextReaderPtr r = qms_xml_reader_new(xml, strlen(xml), "word/document.xml", &err);
    cr_assert_not_null(r);
    int rc;
    while ((rc = qms_xml_next(r, "word/document.xml", &l, &err)) == 1)
        ;
    xmlFreeTextReader(r);
    free(xml);
    cr_expect_eq(rc, QMS_ETOOBIG, "%s", err.msg);
    cr_expect(strstr(err.msg, "word/document.xml:1: one text run longer than 10000000 bytes") != NULL,
              "%s", err.msg);
}

/* libxml2 printed such errors with a line of the document's text to stderr (from every
 * worker thread, whatever XML_PARSE_NOERROR says): nothing may reach the terminal but our
 * one-line reason. */
Test(zipxml_lookup, parser_errors_print_nothing, .init = cr_redirect_stderr)
{
    size_t n = 10u * 1000u * 1000u + 16u;
    char *xml = malloc(n + 64);
    cr_assert_not_null(xml);
    memcpy(xml, "<a>", 3);
    memset(xml + 3, 'y', n);
    memcpy(xml + 3 + n, "</a><b xml:id=\"1 2\"/>", 22);
    struct qms_limits l;
    qms_limits_default(&l);
    struct qms_err err = {{0}};
    xmlTextReaderPtr r = qms_xml_reader_new(xml, strlen(xml), "content.xml", &err);
    cr_assert_not_null(r);
    while (qms_xml_next(r, "content.xml", &l, &err) == 1)
        ;
    xmlFreeTextReader(r);
    free(xml);
    fflush(stderr);
    cr_expect_stderr_eq_str("");
}
