/* iso9001 per-document rules through a fake host: clause citations (unknown, legacy),
 * section numbers that are not citations, legacy terms and cited editions. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"

#define UNKNOWN "iso9001/unknown-clause"
#define LEGACY "iso9001/legacy-clause"
#define TERM "iso9001/legacy-term"
#define EDITION "iso9001/wrong-edition"

static struct fake_host h;

static void check(const char *md)
{
    memset(&h, 0, sizeof h);
    fake_check_text(&h, "doc.md", md);
}

static void expect(const char *rule, const char *message) { fake_expect(&h, rule, message); }

/* Findings of the per-document rules (the set-level ones fire for any one-document set). */
static size_t doc_findings(void)
{
    return fake_count(&h, UNKNOWN) + fake_count(&h, LEGACY) + fake_count(&h, TERM) + fake_count(&h, EDITION) +
           fake_count(&h, "iso9001/exclusion-justification");
}

Test(iso9001, unknown_clause_names_its_2008_meaning)
{
    check("# Calibration\n\nMeasuring equipment is controlled per clause 7.6.\n");
    expect(UNKNOWN, "clause 7.6 does not exist in ISO 9001:2015 (in ISO 9001:2008 it was 'Control of monitoring "
                    "and measuring equipment', now 7.1.5)");
    cr_assert_eq(fake_first(&h, UNKNOWN)->line, 3);
    cr_assert_str_eq(fake_first(&h, UNKNOWN)->key, "7.6");
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, unknown_clause_that_never_existed)
{
    check("# Audit\n\nAudits follow ISO 9001:2015 clause 8.8.\n");
    expect(UNKNOWN, "clause 8.8 does not exist in ISO 9001:2015");
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, unknown_clause_when_2015_edition_is_cited_explicitly)
{
    check("# Documents\n\nSee ISO 9001:2015 4.2.3 for document control.\n");
    expect(UNKNOWN, "clause 4.2.3 does not exist in ISO 9001:2015 (in ISO 9001:2008 it was 'Control of "
                    "documents', now 7.5.2, 7.5.3)");
    cr_assert_eq(fake_count(&h, LEGACY), 0);
}

Test(iso9001, existing_clauses_in_every_citation_form_are_accepted)
{
    check("# Overview\n\n"
          "Meets clause 7.5.3 and § 7.5.2.\n"
          "Purchasing (ISO 9001 cl. 8.4) and ISO 9001:2015 9.2 apply.\n"
          "Siehe Kapitel 8.5, apartado 8.5.1, chapitre 8.5.2 and article 8.5.3.\n"
          "Also clauses 9.1.1, 9.1.2 and 10.2, and clause 10.\n");
    cr_assert_eq(doc_findings(), 0);
}

Test(iso9001, list_of_clauses_is_checked_item_by_item)
{
    check("# Overview\n\nThis procedure covers clauses 7.5, 7.6 and 8.8.\n");
    cr_assert_eq(fake_count(&h, UNKNOWN), 2);
    expect(UNKNOWN, "clause 8.8 does not exist in ISO 9001:2015");
}

Test(iso9001, section_numbers_are_not_citations)
{
    check("# QP-12 Warehouse\n\n"
          "## 5 Procedure\n\n"
          "### 5.2 Step 2\n\n"
          "### 7.6 Storage\n\n"
          "Store castings on racks 1.2 to 4.2.3 by weight class.\n"
          "- 8.8 Pick the order (see section 7.6 above).\n"
          "| Section | Topic |\n"
          "|---|---|\n"
          "| 7.6 | Storage |\n"
          "Version 2.1.3 of the template; figure 4.2.4; call extension 12.4.\n");
    cr_assert_eq(doc_findings(), 0);
}

Test(iso9001, numbers_of_other_standards_are_not_ours)
{
    check("# Suppliers\n\nCertificates to ISO 13485:2016 clause 4.2.4 and ISO 14001:2015 clause 6.1.2 are accepted.\n");
    cr_assert_eq(doc_findings(), 0);
}

Test(iso9001, generic_keywords_cite_iso_9001_only_in_a_document_that_names_it)
{
    /* a specification, a law, the document's own chapters: nothing here is ISO 9001 */
    check("# Type inference\n\nAs described in \xc2\xa7 20.6.4, inference runs per argument; array "
          "creation (\xc2\xa7 7.5.10.2) is extended. Article 12.3 of the regulation and siehe Kapitel 8.8 "
          "apply; chapitre 11.2 et apartado 3.9.\n");
    cr_assert_eq(doc_findings(), 0);
    /* the same keyword where the document names the standard */
    check("# Audit\n\nThis procedure implements ISO 9001.\n\nAudits follow \xc2\xa7 8.8.\n");
    expect(UNKNOWN, "clause 8.8 does not exist in ISO 9001:2015");
    /* "Normkapitel" is the standard's chapter whatever the document names */
    check("# Audit\n\nAudits folgen Normkapitel 8.8.\n");
    expect(UNKNOWN, "clause 8.8 does not exist in ISO 9001:2015");
}

Test(iso9001, clause_numbers_beyond_the_standard_in_an_unnamed_document_are_not_ours)
{
    check("# Terms\n\nPayment is due as set out in clause 20.6 and clauses 14.1 and 14.2.\n");
    cr_assert_eq(doc_findings(), 0);
    /* in a document that names the standard, the same number is a wrong citation */
    check("# Terms\n\nISO 9001 applies; see clause 20.6.\n");
    expect(UNKNOWN, "clause 20.6 does not exist in ISO 9001:2015");
}

Test(iso9001, legacy_clause_with_its_2008_title)
{
    check("# Documents\n\nDocuments are controlled as required by clause 4.2.3 Control of documents.\n");
    expect(LEGACY, "'4.2.3 Control of documents' is ISO 9001:2008 numbering; in ISO 9001:2015 see 7.5.2, 7.5.3");
    /* the quoted 2008 title is not reported a second time as a legacy term */
    cr_assert_eq(fake_count(&h, TERM), 0);
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, legacy_clause_bare_distinctive_number)
{
    check("# Records\n\nRecords are kept under clause 4.2.4.\n");
    expect(LEGACY, "'clause 4.2.4' is ISO 9001:2008 numbering (Control of records); in ISO 9001:2015 see 7.5.2, "
                   "7.5.3");
    cr_assert_eq(fake_count(&h, UNKNOWN), 0);
}

Test(iso9001, legacy_clause_with_2008_edition_cited)
{
    check("# Audit\n\nInternal audits meet ISO 9001:2008 8.2.2.\n");
    expect(LEGACY, "'clause 8.2.2' is ISO 9001:2008 numbering (Internal audit); in ISO 9001:2015 see 9.2");
}

Test(iso9001, legacy_clause_existing_number_with_2008_title)
{
    check("# NC\n\nSee clause 8.3 Control of nonconforming product.\n");
    expect(LEGACY, "'8.3 Control of nonconforming product' is ISO 9001:2008 numbering; in ISO 9001:2015 see 8.7, "
                   "10.2");
}

Test(iso9001, legacy_clause_in_front_matter_property)
{
    check("---\nclauses: [4.2.4, 7.5]\n---\n# Records\n");
    expect(LEGACY, "'clause 4.2.4' is ISO 9001:2008 numbering (Control of records); in ISO 9001:2015 see 7.5.2, "
                   "7.5.3 (property 'clauses')");
    cr_assert_eq(fake_first(&h, LEGACY)->line, 2);
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, document_declaring_2008_reads_citations_as_2008)
{
    check("---\nstandard: ISO 9001:2008\n---\n# Manual\n\nNonconforming product is handled under clause 8.3.\n");
    expect(LEGACY, "'clause 8.3' is ISO 9001:2008 numbering (Control of nonconforming product); in ISO 9001:2015 "
                   "see 8.7, 10.2");
}

Test(iso9001, document_citing_2015_reads_existing_numbers_as_2015)
{
    check("# Design\n\nThis procedure meets ISO 9001:2015; design is clause 8.3.\n");
    cr_assert_eq(doc_findings(), 0);
}

Test(iso9001, clause_column_values_are_citations)
{
    check("# Cross reference\n\n"
          "| Clause | Title | Document |\n"
          "|---|---|---|\n"
          "| 4.2.3 | Control of documents | QP-01 |\n"
          "| 7.6 | Calibration | QP-02 |\n"
          "| 7.5.3 | Control of documented information | QP-01 |\n");
    expect(LEGACY, "'4.2.3 Control of documents' is ISO 9001:2008 numbering; in ISO 9001:2015 see 7.5.2, 7.5.3 "
                   "(column 'Clause')");
    expect(UNKNOWN, "clause 7.6 does not exist in ISO 9001:2015 (in ISO 9001:2008 it was 'Control of monitoring "
                    "and measuring equipment', now 7.1.5) (column 'Clause')");
    cr_assert_eq(fake_first(&h, LEGACY)->line, 5);
    cr_assert_eq(doc_findings(), 2);
}

Test(iso9001, legacy_term_with_2015_wording)
{
    check("# Improvement\n\nEvery preventive action is logged.\n");
    expect(TERM, "'preventive action' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks and "
                 "opportunities (6.1)");
    cr_assert_eq(fake_first(&h, TERM)->line, 3);
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, legacy_term_in_german)
{
    check("# Verbesserung\n\nJede vorbeugende Maßnahme wird erfasst.\n");
    expect(TERM, "'vorbeugende Maßnahme' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks "
                 "and opportunities (6.1)");
}

Test(iso9001, no_legacy_term_in_2015_wording)
{
    check("# Planning\n\nActions to address risks and opportunities are planned yearly.\n"
          "Top management assigns roles, responsibilities and authorities.\n");
    cr_assert_eq(doc_findings(), 0);
}

Test(iso9001, wrong_edition_of_iso_9001)
{
    check("# Purpose\n\nThis procedure meets ISO 9001:2016.\n");
    expect(EDITION, "ISO 9001:2016 does not exist (editions: 1987, 1994, 2000, 2008, 2015)");
    cr_assert_str_eq(fake_first(&h, EDITION)->key, "ISO 9001:2016");
    cr_assert_eq(doc_findings(), 1);
}

Test(iso9001, wrong_edition_of_another_standard)
{
    check("# References\n\n- ISO 13485:2015\n- EN ISO 13485:2016\n");
    expect(EDITION, "ISO 13485:2015 does not exist (editions: 1996, 2003, 2012, 2016)");
    cr_assert_eq(fake_count(&h, EDITION), 1);
}

Test(iso9001, existing_editions_and_amendments_pass)
{
    check("# References\n\n- DIN EN ISO 9001:2015\n- ISO 9001:2015/Amd 1:2024\n- ISO/IEC 27001:2022\n"
          "- ISO 9001-2008 (withdrawn)\n- ISO 19011:2018\n");
    cr_assert_eq(fake_count(&h, EDITION), 0);
}

Test(iso9001, wrong_edition_in_front_matter)
{
    check("---\nstandard: ISO 9001:2016\n---\n# Manual\n");
    expect(EDITION, "ISO 9001:2016 does not exist (editions: 1987, 1994, 2000, 2008, 2015)");
    cr_assert_eq(fake_first(&h, EDITION)->line, 2);
}

Test(iso9001, hostile_text_is_bounded)
{
    /* 300 KiB of citations, invalid UTF-8 and a NUL-free run of digits and dots */
    size_t n = 300 * 1024;
    char *text = malloc(n + 64);
    cr_assert_not_null(text);
    strcpy(text, "# T\n\n");
    size_t o = strlen(text);
    static const char piece[] = "clause 8.8 \xff\xfe \xc3 9.9.9.9.9.9 ISO 9001:20 ISO 9001:2016 ";
    while (o + sizeof piece < n) {
        memcpy(text + o, piece, sizeof piece - 1);
        o += sizeof piece - 1;
    }
    text[o++] = '\n';
    text[o] = '\0';
    check(text);
    free(text);
    /* "ISO 9001:2016 ... clause 8.8" cites the (non-existent) 2016 edition: only the first
       "clause 8.8" is read against ISO 9001:2015 */
    cr_assert_eq(fake_count(&h, UNKNOWN), 1);
    cr_assert_eq(fake_count(&h, EDITION), 200);
}
