/* xref rules on hand-built documents and digests through a fake host (fakehost.h): every
 * rule positive and negative, the citation forms, options and hostile records. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

static struct fake_host host;

/* Every test starts from a clean host and leaves no digest behind. */
static void reset(void) { fake_reset(&host); }
TestSuite(xref, .init = reset, .fini = reset);

#define RUN(...) FAKE_RUN(&host, __VA_ARGS__)

/* ---- dangling ---- */

Test(xref, dangling_id_in_body_text_is_reported_once_per_document)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Suppliers are approved per QP-099.");
    fake_para(a, "Again: QP-099.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 1);
    const struct fake_finding *f = fake_find(&host, "xref/dangling", "QP-099");
    cr_assert_not_null(f);
    cr_expect_str_eq(f->path, "QP-001.md");
    cr_expect_str_eq(f->key, "QP-099");
    cr_expect_eq(f->line, 9);
    cr_expect_eq(f->column, 28, "column of the ID inside the paragraph");
}

Test(xref, id_carried_by_a_document_is_not_dangling)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Records go on FRM-001.");
    struct fake_doc *b = fake_procedure("FRM-001.md", "FRM-001", "Supplier Form", "1");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 0);
}

Test(xref, own_id_and_revision_history_are_not_references)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "QP-001 describes purchasing.");
    fake_history_cell(a, "Merged QP-050 into this procedure");
    RUN(a);
    cr_expect_eq(host.n_findings, 0);
}

Test(xref, external_documents_option_accepts_ids_and_globs)
{
    host.plugin_opts = fake_yaml("external_documents: [\"EXT-*\", QP-700]\n");
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "See EXT-100, QP-700 and QP-800.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 1);
    cr_expect_not_null(fake_find(&host, "xref/dangling", "QP-800"));
}

Test(xref, codes_with_prefixes_no_document_uses_are_not_dangling)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Use the leak test rig LT-2 on series XZ-300 meters; see QP-002 and SOP-IT-9.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 2, "QP (used in the set) and SOP (a type prefix)");
    cr_expect_null(fake_find(&host, "xref/dangling", "LT-2"));
    cr_expect_null(fake_find(&host, "xref/dangling", "XZ-300"));
}

Test(xref, external_documents_register_declares_ids_external)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Apply SUP-100 and EXT-200.");
    struct fake_doc *reg = fake_doc_new("LM-002.md");
    fake_meta(reg, "LM-002", "Externe Dokumente", "1", "approved", "register");
    fake_heading(reg, 1, "Externe Dokumente");
    fake_entry(reg, "SUP-100", "Supplier handbook", "7", "effective", NULL);
    fake_entry(reg, "EXT-200", "Calibration standard", "2", "effective", NULL);
    RUN(a, reg);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 0);
    cr_expect_eq(fake_count(&host, "xref/master-list"), 0, "an external register lists no set documents");
}

Test(xref, external_section_of_a_master_list_declares_ids_external)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Apply SUP-100.");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "Purchasing", "A", "approved", "Internal documents");
    fake_entry(reg, "SUP-100", "Supplier handbook", "7", "effective", "External documents");
    RUN(a, reg);
    cr_expect_eq(host.n_findings, 0);
}

/* ---- obsolete-target ---- */

Test(xref, citing_an_obsolete_document_is_reported)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Old approvals follow QP-005.");
    struct fake_doc *b = fake_doc_new("QP-005.md");
    fake_meta(b, "QP-005", "Old approvals", "1", "superseded", "procedure");
    RUN(a, b);
    const struct fake_finding *f = fake_find(&host, "xref/obsolete-target", "QP-005, which is superseded");
    cr_expect_not_null(f);
}

Test(xref, supersedes_sentence_and_obsolete_citer_are_not_reported)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "This procedure supersedes QP-005.");
    struct fake_doc *b = fake_doc_new("QP-005.md");
    fake_meta(b, "QP-005", "Old approvals", "1", "obsolete", "procedure");
    fake_para(b, "See QP-006.");
    struct fake_doc *c = fake_doc_new("QP-006.md");
    fake_meta(c, "QP-006", "Older approvals", "1", "withdrawn", "procedure");
    RUN(a, b, c);
    cr_expect_eq(fake_count(&host, "xref/obsolete-target"), 0);
}

Test(xref, supersede_words_come_from_the_pack_in_every_language)
{
    struct fake_doc *a = fake_procedure("VA-001.md", "VA-001", "Einkauf", "A");
    fake_para(a, "Dieses Verfahren ersetzt QP-005.");
    fake_para(a, "Alte Freigaben: siehe QP-006.");
    struct fake_doc *b = fake_doc_new("QP-005.md");
    fake_meta(b, "QP-005", "Alte Freigaben", "1", "obsolete", "procedure");
    struct fake_doc *c = fake_doc_new("QP-006.md");
    fake_meta(c, "QP-006", "Alte Lieferanten", "1", "obsolete", "procedure");
    RUN(a, b, c);
    cr_expect_eq(fake_count(&host, "xref/obsolete-target"), 1);
    cr_expect_not_null(fake_find(&host, "xref/obsolete-target", "QP-006"));
}

Test(xref, master_list_status_makes_a_target_obsolete)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Use FRM-009.");
    struct fake_doc *b = fake_procedure("FRM-009.md", "FRM-009", "Old form", "1");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "Purchasing", "A", "approved", NULL);
    fake_entry(reg, "FRM-009", "Old form", "1", "obsolete", NULL);
    RUN(a, b, reg);
    cr_expect_not_null(fake_find(&host, "xref/obsolete-target", "FRM-009, which is obsolete"));
}

/* ---- revision-mismatch ---- */

static void pinned(const char *text, const char *target_id, const char *target_rev, size_t want)
{
    fake_reset(&host);
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_para(a, text);
    struct fake_doc *b = fake_procedure("target.md", target_id, "Control of Documents", target_rev);
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/revision-mismatch"), want, "%s (target at %s)", text,
                 target_rev);
}

Test(xref, revision_pinned_citation_forms)
{
    pinned("See QP-007 Rev A.", "QP-007", "C", 1);
    pinned("See QP-007 (Rev. A).", "QP-007", "C", 1);
    pinned("See QP-007 rev.A for details.", "QP-007", "C", 1);
    pinned("See PG 01 Rev. 05.", "PG 01", "04", 1);
    pinned("See QP-007 Rev C.", "QP-007", "C", 0);
    pinned("See QP-007 (Rev. C).", "QP-007", "C", 0);
    pinned("See PG 01 Rev. 04.", "PG 01", "04", 0);
    pinned("See QP-007 Revision 2.", "QP-007", "2.0", 0);
    pinned("See QP-007 reviewed yearly.", "QP-007", "C", 0);
}

Test(xref, revision_mismatch_message_names_both_revisions)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_para(a, "Follow QP-007 Rev A.");
    struct fake_doc *b = fake_procedure("QP-007.md", "QP-007", "Control of Documents", "C");
    RUN(a, b);
    const struct fake_finding *f = fake_find(&host, "xref/revision-mismatch", NULL);
    cr_assert_not_null(f);
    cr_expect_str_eq(f->message, "cites QP-007 Rev A, but QP-007 is at revision C (QP-007.md)");
}

/* ---- title-mismatch ---- */

Test(xref, cited_title_tolerates_case_punctuation_and_word_order)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_para(a, "Follow QP-007 \"document control\".");
    fake_para(a, "Follow QP-007 – “Control of Documents”.");
    fake_para(a, "Follow QP-008 \"Internal Audit\".");
    fake_link(a, QMS_LINK_WIKILINK, "QP-008 SOP Internal Auditing", "QP-008 SOP Internal Auditing");
    struct fake_doc *b = fake_procedure("QP-007.md", "QP-007", "Document Control", "C");
    struct fake_doc *c = fake_procedure("QP-008.md", "QP-008", "Internal Auditing Procedure", "B");
    RUN(a, b, c);
    cr_expect_eq(fake_count(&host, "xref/title-mismatch"), 0);
}

Test(xref, cited_title_of_another_document_is_reported_with_both_titles)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_para(a, "Log it on FRM-021 “Training Record”.");
    struct fake_doc *b = fake_procedure("FRM-021.odt", "FRM-021", "Nonconformity Report", "1");
    RUN(a, b);
    const struct fake_finding *f = fake_find(&host, "xref/title-mismatch", NULL);
    cr_assert_not_null(f);
    cr_expect(strstr(f->message, "\"Training Record\"") && strstr(f->message, "\"Nonconformity Report\""),
              "%s", f->message);
}

Test(xref, wikilink_title_is_compared)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_link(a, QMS_LINK_WIKILINK, "SOP-01 Training Records", "SOP-01 Training Records");
    struct fake_doc *b = fake_procedure("SOP-01.md", "SOP-01", "Document Control", "1");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/title-mismatch"), 1);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 0);
}

/* ---- broken-link ---- */

Test(xref, percent_encoded_link_to_a_set_document_resolves)
{
    struct fake_doc *a = fake_procedure("procs/QP-001.md", "QP-001", "Purchasing", "A");
    fake_link(a, QMS_LINK_HYPERLINK, "../forms/FRM%20001%20Supplier.odt", "form");
    fake_link(a, QMS_LINK_HYPERLINK, "https://example.com/missing.pdf", "web");
    fake_link(a, QMS_LINK_HYPERLINK, "mailto:qa@example.com", "mail");
    struct fake_doc *b = fake_procedure("forms/FRM 001 Supplier.odt", "FRM-001", "Supplier", "1");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/broken-link"), 0);
    cr_expect_null(fake_find(&host, "xref/orphan", "FRM-001"), "the link counts as a reference");
}

Test(xref, missing_file_is_reported_and_existing_non_document_is_fine)
{
    char *root = qms_test_tmpdir();
    char file[4096];
    snprintf(file, sizeof file, "%s/assets/logo file.png", root);
    cr_assert_eq(qms_test_write(file, "png", 3), 0);
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_link(a, QMS_LINK_IMAGE, "assets/logo%20file.png", "logo");
    fake_link(a, QMS_LINK_HYPERLINK, "assets/missing%20file.pdf#page=2", "missing");
    fake_link(a, QMS_LINK_HYPERLINK, "../../etc/passwd", "outside");
    struct fake_doc *docs[] = {a};
    fake_run(&host, docs, 1, root);
    fake_dump(&host);
    cr_expect_eq(fake_count(&host, "xref/broken-link"), 2);
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "assets/missing file.pdf does not exist"));
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "leaves the document set"));
    free(root);
}

Test(xref, wikilink_resolves_by_file_name_title_or_id)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    fake_link(a, QMS_LINK_WIKILINK, "QP-007_Document_Control", "x");
    fake_link(a, QMS_LINK_WIKILINK, "Control of Documents", "y");
    fake_link(a, QMS_LINK_WIKILINK, "Nothing Like This", "z");
    struct fake_doc *b = fake_procedure("QP-007_Document_Control.md", "QP-007", "Documents Control", "C");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/broken-link"), 1);
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "[[Nothing Like This]]"));
}

Test(xref, wikilink_title_drops_every_stop_word_and_only_those)
{
    struct fake_doc *a = fake_procedure("WI-001.md", "WI-001", "Inspection", "1");
    /* stop words of several languages, first bytes and lengths, one of them not ASCII */
    fake_link(a, QMS_LINK_WIKILINK, "Verfahrensanweisung für die Lenkung von Dokumenten", "de");
    fake_link(a, QMS_LINK_WIKILINK, "Procédure pour la Lenkung des Dokumenten", "fr");
    fake_link(a, QMS_LINK_WIKILINK, "SOP: Work Instruction to Lenkung a Dokumenten", "en");
    /* near misses of stop words are words of the title */
    fake_link(a, QMS_LINK_WIKILINK, "Lenkung fur Dokumenten", "fur");
    fake_link(a, QMS_LINK_WIKILINK, "Lenkung forms Dokumenten", "forms");
    fake_link(a, QMS_LINK_WIKILINK, "Lenkung th Dokumenten", "th");
    struct fake_doc *b = fake_procedure("DOC-1.md", "QP-009", "Lenkung Dokumenten", "1");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/broken-link"), 3);
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "[[Lenkung fur Dokumenten]]"));
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "[[Lenkung forms Dokumenten]]"));
    cr_expect_not_null(fake_find(&host, "xref/broken-link", "[[Lenkung th Dokumenten]]"));
}

/* ---- broken-anchor ---- */

Test(xref, in_document_anchor_must_exist)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_heading(a, 2, "Supplier Approval");
    fake_link(a, QMS_LINK_HYPERLINK, "#supplier-approval", "ok");
    fake_link(a, QMS_LINK_XREF_FIELD, "_Ref123", "missing bookmark");
    fake_link(a, QMS_LINK_HYPERLINK, "#nope", "missing");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/broken-anchor"), 2);
    cr_expect_not_null(fake_find(&host, "xref/broken-anchor", "'#_Ref123'"));
    cr_expect_not_null(fake_find(&host, "xref/broken-anchor", "'#nope'"));
}

Test(xref, cross_document_anchor_uses_the_target_anchors)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_link(a, QMS_LINK_HYPERLINK, "WI-002.md#scope", "ok");
    fake_link(a, QMS_LINK_HYPERLINK, "WI-002.md#gone", "bad");
    fake_link(a, QMS_LINK_WIKILINK, "WI-002#Scope", "wiki heading");
    struct fake_doc *b = fake_procedure("WI-002.md", "WI-002", "Inspection", "1");
    fake_heading(b, 2, "Scope");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/broken-anchor"), 1);
    cr_expect_not_null(fake_find(&host, "xref/broken-anchor", "WI-002.md#gone"));
}

/* ---- duplicate-id ---- */

Test(xref, duplicate_id_names_both_paths)
{
    struct fake_doc *a = fake_procedure("a/QP-001.md", "QP-001", "Purchasing", "A");
    struct fake_doc *b = fake_procedure("b/QP-001.docx", "QP-001", "Purchasing", "A");
    struct fake_doc *c = fake_procedure("c/QP-002.md", "QP-002", "Sales", "A");
    RUN(a, b, c);
    cr_expect_eq(fake_count(&host, "xref/duplicate-id"), 1);
    const struct fake_finding *f = fake_find(&host, "xref/duplicate-id", NULL);
    cr_assert_not_null(f);
    cr_expect_str_eq(f->message, "QP-001 is claimed by both a/QP-001.md and b/QP-001.docx");
    cr_expect_str_eq(f->path, "b/QP-001.docx");
}

/* ---- master-list ---- */

Test(xref, master_list_one_finding_per_disagreement)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "B");
    struct fake_doc *b = fake_procedure("QP-002.md", "QP-002", "Sales", "A");
    struct fake_doc *c = fake_procedure("QP-003.md", "QP-003", "Design", "A");
    struct fake_doc *d = fake_procedure("QP-004.md", "QP-004", "Production", "A");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "Purchasing", "A", "approved", NULL);   /* stale revision */
    fake_entry(reg, "QP-002", "Marketing", "A", "approved", NULL);    /* other title */
    fake_entry(reg, "QP-003", "Design", "A", "draft", NULL);          /* other status */
    fake_entry(reg, "QP-009", "Ghost", "A", "approved", NULL);        /* no document */
    /* QP-004 not listed */
    RUN(a, b, c, d, reg);
    cr_expect_eq(fake_count(&host, "xref/master-list"), 5);
    cr_expect_not_null(fake_find(&host, "xref/master-list", "gives QP-001 revision A, but QP-001.md is at revision B"));
    cr_expect_not_null(fake_find(&host, "xref/master-list", "titles QP-002 \"Marketing\", but QP-002.md is titled \"Sales\""));
    cr_expect_not_null(fake_find(&host, "xref/master-list", "gives QP-003 status draft, but QP-003.md says approved"));
    cr_expect_not_null(fake_find(&host, "xref/master-list", "lists QP-009, but no document"));
    const struct fake_finding *f = fake_find(&host, "xref/master-list", "QP-004 (QP-004.md) is not listed");
    cr_assert_not_null(f);
    cr_expect_str_eq(f->path, "MDL-001.md", "on the register");
    for (size_t i = 0; i < host.n_findings; i++)
        if (!strcmp(host.findings[i].rule, "xref/master-list"))
            cr_expect_str_eq(host.findings[i].path, "MDL-001.md");
}

Test(xref, master_list_agreeing_with_the_set_is_clean)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "B");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "purchasing", "B", "effective", NULL);
    fake_entry(reg, "MDL-001", "Master List", "1", "approved", NULL);
    RUN(a, reg);
    cr_expect_eq(host.n_findings, 0);
}

Test(xref, register_rows_are_not_read_as_citations)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    struct fake_doc *reg = fake_doc_new("MDL-001.md");
    fake_meta(reg, "MDL-001", "Master List", "1", "approved", "register");
    fake_entry(reg, "QP-001", "Purchasing", "A", "approved", NULL);
    fake_para(reg, "Replaces QP-077");
    struct qms_block *cell = &reg->blocks[reg->doc.n_blocks - 1];
    cell->kind = QMS_BLOCK_TABLE_CELL;
    cell->table = reg->blocks[reg->doc.n_blocks - 2].table;
    cell->row = 1;
    cell->col = 1;
    fake_para(reg, "Also see QP-078.");
    RUN(a, reg);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 1, "QP-078 in the text, not QP-077 in the table");
    cr_expect_not_null(fake_find(&host, "xref/dangling", "QP-078"));
}

/* ---- orphan ---- */

Test(xref, unreferenced_unlisted_document_is_an_orphan)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Use FRM-001.");
    struct fake_doc *b = fake_procedure("FRM-001.md", "FRM-001", "Supplier Form", "1");
    struct fake_doc *c = fake_procedure("FRM-002.md", "FRM-002", "Forgotten Form", "1");
    struct fake_doc *m = fake_doc_new("QM-001.md");
    fake_meta(m, "QM-001", "Quality Manual", "1", "approved", "manual");
    RUN(a, b, c, m);
    cr_expect_eq(fake_count(&host, "xref/orphan"), 2, "QP-001 and FRM-002; not the manual, not FRM-001");
    cr_expect_not_null(fake_find(&host, "xref/orphan", "FRM-002"));
    cr_expect_not_null(fake_find(&host, "xref/orphan", "QP-001"));
    cr_expect_null(fake_find(&host, "xref/orphan", "FRM-001"));
}

Test(xref, a_cited_id_claimed_twice_is_a_duplicate_not_an_orphan)
{
    struct fake_doc *m = fake_doc_new("QM-001.md");
    fake_meta(m, "QM-001", "Quality Manual", "1", "approved", "manual");
    fake_para(m, "Documents are controlled per QP-001.");
    struct fake_doc *a = fake_procedure("QP-001_a.md", "QP-001", "Document Control", "1");
    struct fake_doc *b = fake_procedure("QP-001_b.md", "QP-001", "Records Control", "1");
    struct fake_doc *c = fake_procedure("QP-002_a.md", "QP-002", "Uncited", "1");
    struct fake_doc *d = fake_procedure("QP-002_b.md", "QP-002", "Uncited Twin", "1");
    RUN(m, a, b, c, d);
    cr_expect_eq(fake_count(&host, "xref/duplicate-id"), 2);
    cr_expect_null(fake_find(&host, "xref/orphan", "QP-001"), "QP-001 is cited");
    /* an ID nobody cites stays an orphan, once per claimant */
    cr_expect_eq(fake_count(&host, "xref/orphan"), 2);
    cr_expect_not_null(fake_find(&host, "xref/orphan", "QP-002"));
}

Test(xref, quoted_title_citation_counts_as_a_reference)
{
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "Audits follow the “Internal Auditing” procedure.");
    struct fake_doc *b = fake_procedure("QP-008.md", "QP-008", "Internal Auditing", "1");
    fake_para(b, "Purchasing is described in QP-001.");
    RUN(a, b);
    cr_expect_eq(fake_count(&host, "xref/orphan"), 0);
}

Test(xref, quoted_titles_in_every_quote_form_and_position_are_references)
{
    /* a quote filling the paragraph, ending it, right after a dash or a no-break space (other
       bytes that start like a quote), and text that is not quoted at all */
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "“Internal Auditing”");
    fake_para(a, "Training follows \"Training Plan\"");
    fake_para(a, "See –„Control of Records“ and\xc2\xa0«Supplier Evaluation»");
    fake_para(a, "Unquoted Title is not cited, nor is “ Empty ” ” “.");
    struct fake_doc *b = fake_procedure("QP-008.md", "QP-008", "Internal Auditing", "1");
    fake_para(b, "Purchasing is described in QP-001.");
    struct fake_doc *c = fake_procedure("QP-009.md", "QP-009", "Training Plan", "1");
    struct fake_doc *d = fake_procedure("QP-010.md", "QP-010", "Control of Records", "1");
    struct fake_doc *e = fake_procedure("QP-011.md", "QP-011", "Supplier Evaluation", "1");
    struct fake_doc *f = fake_procedure("QP-012.md", "QP-012", "Unquoted Title", "1");
    RUN(a, b, c, d, e, f);
    cr_expect_eq(fake_count(&host, "xref/orphan"), 1, "only the unquoted title");
    cr_expect_not_null(fake_find(&host, "xref/orphan", "QP-012"));
}

/* ---- configuration and hostile input ---- */

Test(xref, rule_turned_off_reports_nothing)
{
    host.off_rule = "xref/dangling";
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "See QP-099.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 0);
}

Test(xref, unknown_option_and_bad_pattern_refuse_init)
{
    void *state = NULL;
    host.plugin_opts = fake_yaml("external_docs: [X]\n");
    cr_expect_neq(fake_init(&host, &state), 0);
    cr_expect(strstr(host.error, "external_docs") != NULL, "%s", host.error);
    memset(&host, 0, sizeof host);
    host.plugin_opts = fake_yaml("id_pattern: \"([A-Z\"\n");
    cr_expect_neq(fake_init(&host, &state), 0);
    cr_expect(strstr(host.error, "id_pattern") != NULL, "%s", host.error);
}

Test(xref, custom_id_pattern_from_options)
{
    host.plugin_opts = fake_yaml("id_pattern: 'DOC#[0-9]+'\n");
    struct fake_doc *a = fake_procedure("DOC1.md", "DOC#1", "Purchasing", "A");
    fake_para(a, "See DOC#2 and QP-099.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 1);
    cr_expect_not_null(fake_find(&host, "xref/dangling", "DOC#2"));
}

Test(xref, corrupt_digest_is_ignored)
{
    host.corrupt_digest_of = "QP-001.md";
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, "See QP-099.");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 0);
}

Test(xref, hostile_text_is_capped)
{
    size_t n = 200000;
    char *text = malloc(n + 1);
    for (size_t i = 0; i < n; i += 10)
        memcpy(text + i, "QP-1 \"a\" ", 10 <= n - i ? 10 : n - i);
    text[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!text[i])
            text[i] = ' ';
    struct fake_doc *a = fake_procedure("QP-001.md", "QP-001", "Purchasing", "A");
    fake_para(a, text);
    char *longlink = malloc(10000);
    memset(longlink, 'a', 9999);
    longlink[9999] = '\0';
    fake_link(a, QMS_LINK_HYPERLINK, longlink, "long");
    fake_link(a, QMS_LINK_HYPERLINK, "x%00y.md", "nul");
    RUN(a);
    cr_expect_eq(fake_count(&host, "xref/dangling"), 1);
    free(longlink);
    free(text);
}
