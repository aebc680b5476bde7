/* Regression tests from the security review of the DOCX reader. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "reader.h"
#include "testutil.h"
#include "../zipxml/ziptest.h"

#define R_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static const char pkg_rels[] =
    "<Relationships xmlns=\"" R_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>";

static const char body[] =
    "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>Body</w:t></w:r></w:p></w:body></w:document>";

static const char header[] =
    "<w:hdr xmlns:w=\"" W_NS "\"><w:p><w:r><w:t>Doc No: QP-007</w:t></w:r></w:p></w:hdr>";

static struct qms_doc *read_with_doc_rels(const char *doc_rels, struct qms_err *err, int *rc)
{
    struct ziptest_entry e[] = {{"_rels/.rels", pkg_rels, 0, 0},
                                {"word/document.xml", body, 0, 0},
                                {"word/_rels/document.xml.rels", doc_rels, 0, 0},
                                {"word/header1.xml", header, 0, 0},
                                {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    cr_assert_not_null(zip);
    struct qms_doc *doc = NULL;
    *rc = qms_docx_read(&doc, "review.docx", zip, len, NULL, err);
    free(zip);
    return doc;
}

static size_t count_kind(const struct qms_doc *doc, enum qms_block_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i++)
        n += doc->blocks[i].kind == kind;
    return n;
}

/* A Relationship without Id, Type or Target used to be taken for a failed allocation: the
 * whole document was refused as "out of memory". */
Test(docx_review, relationship_missing_attributes_is_skipped)
{
    const char *doc_rels =
        "<Relationships xmlns=\"" R_NS "\">"
        "<Relationship Id=\"rId7\" Type=\"" REL_T "image\"/>"
        "<Relationship Type=\"" REL_T "footer\" Target=\"footer9.xml\"/>"
        "<Relationship Id=\"rId8\" Target=\"x.xml\"/>"
        "<Relationship Id=\"rId1\" Type=\"" REL_T "header\" Target=\"header1.xml\"/>"
        "</Relationships>";
    struct qms_err err = {{0}};
    int rc = -1;
    struct qms_doc *doc = read_with_doc_rels(doc_rels, &err, &rc);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_expect_eq(count_kind(doc, QMS_BLOCK_HEADER), 1);
    qms_doc_free(doc);
}

/* Every section of a Word file may name the same header; a hostile one names it 20,000
 * times. The part is read once. */
Test(docx_review, header_named_by_many_relationships_is_read_once)
{
    size_t n = 20000, cap = 200 + n * 160, o = 0;
    char *doc_rels = malloc(cap);
    cr_assert_not_null(doc_rels);
    o += (size_t)snprintf(doc_rels + o, cap - o, "<Relationships xmlns=\"" R_NS "\">");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(doc_rels + o, cap - o,
                              "<Relationship Id=\"rId%zu\" Type=\"" REL_T "%s\" Target=\"header1.xml\"/>",
                              i + 1, i % 2 ? "footer" : "header");
    snprintf(doc_rels + o, cap - o, "</Relationships>");
    struct qms_err err = {{0}};
    int rc = -1;
    struct qms_doc *doc = read_with_doc_rels(doc_rels, &err, &rc);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_expect_eq(count_kind(doc, QMS_BLOCK_HEADER) + count_kind(doc, QMS_BLOCK_FOOTER), 1);
    qms_doc_free(doc);
    free(doc_rels);
}

/* A part reached as a header and, through an unrelated relationship type, as an image is
 * still read as the header. */
Test(docx_review, non_story_relationship_does_not_hide_a_header)
{
    const char *doc_rels =
        "<Relationships xmlns=\"" R_NS "\">"
        "<Relationship Id=\"rId1\" Type=\"" REL_T "image\" Target=\"header1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" REL_T "header\" Target=\"header1.xml\"/>"
        "</Relationships>";
    struct qms_err err = {{0}};
    int rc = -1;
    struct qms_doc *doc = read_with_doc_rels(doc_rels, &err, &rc);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_expect_eq(count_kind(doc, QMS_BLOCK_HEADER), 1);
    qms_doc_free(doc);
}

/* A refusal names the part; a part name with control bytes cannot break the message. */
Test(docx_review, refusal_message_is_one_printable_line)
{
    const char *rels =
        "<Relationships xmlns=\"" R_NS "\">"
        "<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" Target=\"word/doc&#10;ument.xml\"/>"
        "</Relationships>";
    struct ziptest_entry e[] = {{"_rels/.rels", rels, 0, 0},
                                {"word/doc\nument.xml", "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p>", 0, 0},
                                {0}};
    size_t len = 0;
    char *zip = ziptest_build(e, &len);
    cr_assert_not_null(zip);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_docx_read(&doc, "ctl.docx", zip, len, NULL, &err);
    free(zip);
    cr_assert_neq(rc, 0, "the truncated main part was accepted");
    cr_expect(strstr(err.msg, "word/doc ument.xml") != NULL, "got: %s", err.msg);
    for (const char *p = err.msg; *p; p++)
        cr_expect((unsigned char)*p >= 0x20 && *p != 0x7F, "control byte 0x%02x in: %s",
                  (unsigned char)*p, err.msg);
}
