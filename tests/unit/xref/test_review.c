/* Regression tests from the review of xref's look-ups (indexes replacing linear scans):
 * duplicate-ID runs, anchor matching forms, the primary holder of an ID, wikilinks merged
 * with the ID of their block. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

static struct fake_host host;

static void reset(void) { fake_reset(&host); }
TestSuite(xref_review, .init = reset, .fini = reset);

#define RUN(...) FAKE_RUN(&host, __VA_ARGS__)

Test(xref_review, every_later_holder_of_an_id_names_the_first)
{
    struct fake_doc *a = fake_procedure("a/QP-001.md", "QP-001", "Purchasing", "A");
    struct fake_doc *b = fake_procedure("b/QP-001.md", "QP-001", "Purchasing", "A");
    struct fake_doc *c = fake_procedure("c/QP-001.md", "QP-001", "Purchasing", "A");
    struct fake_doc *d = fake_procedure("d/QP-002.md", "QP-002", "Sales", "A");
    RUN(a, b, c, d);
    cr_expect_eq(fake_count(&host, "xref/duplicate-id"), 2);
    cr_expect_not_null(fake_find(&host, "xref/duplicate-id",
                                 "QP-001 is claimed by both a/QP-001.md and b/QP-001.md"));
    cr_expect_not_null(fake_find(&host, "xref/duplicate-id",
                                 "QP-001 is claimed by both a/QP-001.md and c/QP-001.md"));
}

Test(xref_review, anchors_match_exactly_in_any_case_percent_decoded_or_as_a_slug)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_heading(a, 2, "Supplier Approval");
    fake_heading(a, 2, "Records");
    fake_link(a, QMS_LINK_HYPERLINK, "#supplier-approval", "exact");
    fake_link(a, QMS_LINK_HYPERLINK, "#SUPPLIER-APPROVAL", "case");
    fake_link(a, QMS_LINK_HYPERLINK, "#Supplier%20Approval", "decoded, then its slug");
    fake_link(a, QMS_LINK_HYPERLINK, "#Supplier Approval", "slug");
    fake_link(a, QMS_LINK_HYPERLINK, "#records", "another");
    fake_link(a, QMS_LINK_HYPERLINK, "#supplier-approvals", "missing");
    fake_link(a, QMS_LINK_HYPERLINK, "#", "empty: nothing to check");
    fake_link(a, QMS_LINK_HYPERLINK, "QP-002.md#SCOPE", "other document, other case");
    fake_link(a, QMS_LINK_HYPERLINK, "QP-002.md#scop", "other document, missing");
    struct fake_doc *b = fake_procedure("QP-002.md", "QP-002", "Sales", "A");
    fake_heading(b, 2, "Scope");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/broken-anchor"), 2);
    cr_expect_not_null(fake_find(&host, "xref/broken-anchor", "'#supplier-approvals'"));
    cr_expect_not_null(fake_find(&host, "xref/broken-anchor", "QP-002.md#scop'"));
}

Test(xref_review, an_id_resolves_to_the_document_whose_own_id_it_is)
{
    /* a.md also carries QP-020 (a second ID, listed first by path); b.md is QP-020 */
    struct fake_doc *a = fake_procedure("a.md", "QP-010", "Old Combined Procedure", "B");
    a->values[QMS_META_ID][1] = a->values[QMS_META_ID][0];
    a->values[QMS_META_ID][1].value = a->values[QMS_META_ID][1].raw = "QP-020";
    a->meta.fields[QMS_META_ID].n = 2;
    struct fake_doc *b = fake_procedure("b.md", "QP-020", "Calibration", "C");
    struct fake_doc *c = fake_procedure("c.md", "WI-001", "Inspection", "1");
    fake_para(c, "Follow QP-020 Rev A.");
    RUN(a, b, c);
    const struct fake_finding *f = fake_find(&host, "xref/revision-mismatch", NULL);
    cr_assert_not_null(f);
    cr_expect_str_eq(f->message, "cites QP-020 Rev A, but QP-020 is at revision C (b.md)");
}

Test(xref_review, a_wikilink_merges_with_the_id_of_its_own_block_only)
{
    /* the wikilink's block (its paragraph) holds no ID; the earlier paragraph's QP-007 is
       another citation: both stay, and the wikilink's title is checked on its own */
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_para(a, "See QP-007 \"Control of Documents\".");
    fake_link(a, QMS_LINK_WIKILINK, "QP-007 Purchasing Rules", "QP-007 Purchasing Rules");
    struct fake_doc *b = fake_procedure("QP-007.md", "QP-007", "Control of Documents", "C");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/title-mismatch"), 1);
    cr_expect_not_null(fake_find(&host, "xref/title-mismatch", "\"Purchasing Rules\""));
}

Test(xref_review, each_register_disagreement_has_its_own_key)
{
    /* one entry, three disagreements: a baseline must tell them apart */
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "B");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "Marketing", "A", "draft", NULL);
    RUN(a, reg);
    cr_assert_eq(fake_count(&host, "xref/master-list"), 3);
    const char *keys[3];
    size_t n = 0;
    for (size_t i = 0; i < host.n_findings && n < 3; i++)
        if (!strcmp(host.findings[i].rule, "xref/master-list"))
            keys[n++] = host.findings[i].key;
    cr_assert_eq(n, 3);
    cr_expect_str_neq(keys[0], keys[1]);
    cr_expect_str_neq(keys[0], keys[2]);
    cr_expect_str_neq(keys[1], keys[2]);
    for (size_t i = 0; i < 3; i++)
        cr_expect(strncmp(keys[i], "QP-001 ", 7) == 0, "key '%s' names the ID", keys[i]);
}
