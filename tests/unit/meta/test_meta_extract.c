/* The metadata record of hand-built documents: every source, language and table kind. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "meta.h"
#include "testutil.h"
#include "meta_test.h"

/* rules/ of the source tree (the path is freed here so leak checks stay quiet). */
static const char *rules_dir(void)
{
    static char dir[4096];
    char *p = qms_test_source("rules");
    snprintf(dir, sizeof dir, "%s", p ? p : "rules");
    free(p);
    return dir;
}

static struct qms_meta_opts *opts;

static void setup(void)
{
    struct qms_err err = {{0}};
    cr_assert_eq(qms_meta_opts_load(&opts, rules_dir(), NULL, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
    qms_meta_opts_free(opts);
}

TestSuite(meta_extract, .init = setup, .fini = teardown);

static struct qms_docb B;
static uint32_t next_line;

static void begin(const char *path, enum qms_format fmt)
{
    cr_assert_eq(qms_docb_init(&B, path, fmt, NULL), 0);
    next_line = 1;
}

static struct qms_location here(void)
{
    struct qms_location l = {0};
    l.line = next_line++;
    l.block = l.line;
    return l;
}

static void block(enum qms_block_kind kind, uint32_t level, const char *text)
{
    cr_assert(qms_docb_add_block(&B, kind, level, text, strlen(text), here()));
}

static void prop(enum qms_prop_source src, const char *name, const char *value)
{
    cr_assert(qms_docb_add_property(&B, src, name, value, "string", here()));
}

/* A table from rows of cells ("" for an empty cell); cells also become blocks. */
static void table(size_t rows, size_t cols, const char *const *cells)
{
    int32_t t = qms_docb_table_begin(&B, -1, here());
    cr_assert_geq(t, 0);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            const char *text = cells[r * cols + c];
            struct qms_location l = here();
            struct qms_cell *cell = qms_docb_table_add_cell(&B, t, (uint32_t)r, (uint32_t)c, text,
                                                            strlen(text), l);
            cr_assert(cell);
            cell->header = r == 0;
            struct qms_block *b = qms_docb_add_block(&B, QMS_BLOCK_TABLE_CELL, 0, text, strlen(text), l);
            cr_assert(b);
            b->table = t;
            b->row = (int32_t)r;
            b->col = (int32_t)c;
            b->flags |= QMS_BLOCK_IN_TABLE;
        }
    cr_assert_eq(qms_docb_table_end(&B, t), 0);
}

static struct qms_doc *D;

static const struct qms_meta *extract(void)
{
    cr_assert_eq(qms_docb_finish(&B, &D), 0);
    const struct qms_meta *m = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_meta_extract(&m, D, qms_doc_arena(D), opts, &err), 0, "%s", err.msg);
    cr_assert(m);
    return m;
}

Test(meta_extract, front_matter_keys)
{
    begin("docs/qp-007.md", QMS_FORMAT_MARKDOWN);
    prop(QMS_PROP_FRONT_MATTER, "doc_id", "QP-007");
    prop(QMS_PROP_FRONT_MATTER, "title", "Document Control");
    prop(QMS_PROP_FRONT_MATTER, "revision", "r2");
    prop(QMS_PROP_FRONT_MATTER, "status", "approved");
    prop(QMS_PROP_FRONT_MATTER, "effective_date", "2024-03-12");
    prop(QMS_PROP_FRONT_MATTER, "review_due", "2025-03-12");
    prop(QMS_PROP_FRONT_MATTER, "approvers", "A. Approver");
    prop(QMS_PROP_FRONT_MATTER, "approvers", "B. Approver");
    prop(QMS_PROP_FRONT_MATTER, "owner", "Quality Manager");
    prop(QMS_PROP_FRONT_MATTER, "approved_date", "2024-03-01");
    prop(QMS_PROP_FRONT_MATTER, "doc_type", "procedure");
    prop(QMS_PROP_FRONT_MATTER, "training.due_days", "30");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "QP-007");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_FRONT_MATTER, "Document Control");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "2");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_FRONT_MATTER, "approved");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FRONT_MATTER, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_REVIEW_DATE, QMS_META_SRC_FRONT_MATTER, "2025-03-12");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_FRONT_MATTER, "Quality Manager");
    EXPECT_VALUE(m, QMS_META_APPROVAL_DATE, QMS_META_SRC_FRONT_MATTER, "2024-03-01");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_FRONT_MATTER, "procedure");
    cr_expect_eq(m->fields[QMS_META_APPROVER].n, 2);
    cr_expect_str_eq(m->fields[QMS_META_ID].items[0].label, "doc_id");
    cr_expect_eq(m->fields[QMS_META_EFFECTIVE_DATE].items[0].date, qms_meta_days(2024, 3, 12));
    cr_expect_eq(m->fields[QMS_META_ID].items[0].loc.line, 1);
    qms_doc_free(D);
}

Test(meta_extract, docx_core_and_custom_properties)
{
    begin("QP-007.docx", QMS_FORMAT_DOCX);
    prop(QMS_PROP_CORE, "title", "Control of Documents");
    prop(QMS_PROP_CORE, "creator", "Un-named");
    prop(QMS_PROP_CORE, "revision", "17"); /* Word's save counter: not the revision */
    prop(QMS_PROP_CUSTOM, "Document Number", "QP-007");
    prop(QMS_PROP_CUSTOM, "Rev", "C");
    prop(QMS_PROP_CUSTOM, "Freigegeben von", "M. Müller");
    prop(QMS_PROP_APP, "Company", "ACME");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_CORE_PROPERTY, "Control of Documents");
    const struct qms_meta_value *owner = val(m, QMS_META_OWNER, QMS_META_SRC_CORE_PROPERTY, 0);
    cr_assert(owner);
    cr_expect(owner->flags & QMS_META_PLACEHOLDER, "Un-named is no author");
    cr_expect_str_eq(owner->raw, "Un-named");
    cr_expect_null(val(m, QMS_META_REVISION, QMS_META_SRC_CORE_PROPERTY, 0));
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CUSTOM_PROPERTY, "QP-007");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CUSTOM_PROPERTY, "C");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CUSTOM_PROPERTY, "M. Müller");
    qms_doc_free(D);
}

Test(meta_extract, odt_meta_and_user_fields)
{
    begin("PG-01.odt", QMS_FORMAT_ODT);
    prop(QMS_PROP_ODT_META, "dc:title", "Control de documentos");
    prop(QMS_PROP_ODT_META, "meta:initial-creator", "Ana García");
    prop(QMS_PROP_ODT_META, "dc:creator", "Last Editor");
    prop(QMS_PROP_ODT_USER, "Código", "PG 01");
    prop(QMS_PROP_ODT_USER, "Revisión", "05");
    prop(QMS_PROP_ODT_USER, "Estado", "OBSOLETO");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_ODT_META, "Control de documentos");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_ODT_META, "Ana García");
    cr_expect_eq(m->fields[QMS_META_OWNER].n, 1, "dc:creator is the last editor");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_ODT_USER, "PG 01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_ODT_USER, "5");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_ODT_USER, "obsolete");
    qms_doc_free(D);
}

Test(meta_extract, header_and_footer_text)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_HEADER, 0, "Doc No: QP-007  Rev: C");
    block(QMS_BLOCK_FOOTER, 0, "QP-008 Rev. D — Page 1 of 3");
    block(QMS_BLOCK_FOOTER, 0, "Effective Date: 12 March 2024 | Approved by: J. Smith");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_HEADER, "QP-007");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_HEADER, "C");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FOOTER, "QP-008");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FOOTER, "D");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FOOTER, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_FOOTER, "J. Smith");
    cr_expect_eq(m->fields[QMS_META_ID].n, 2);
    cr_expect_str_eq(val(m, QMS_META_REVISION, QMS_META_SRC_HEADER, 0)->label, "Rev");
    qms_doc_free(D);
}

Test(meta_extract, header_repeated_on_every_page_counts_once)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_HEADER, 0, "Doc No: QP-007  Rev: C");
    block(QMS_BLOCK_HEADER, 0, "Doc No: QP-007  Rev: C");
    const struct qms_meta *m = extract();
    cr_expect_eq(m->fields[QMS_META_ID].n, 1);
    cr_expect_eq(m->fields[QMS_META_REVISION].n, 1);
    qms_doc_free(D);
}

Test(meta_extract, header_label_and_value_in_separate_cells)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_HEADER, 0, "Dokumentnummer");
    block(QMS_BLOCK_HEADER, 0, "VA-04");
    block(QMS_BLOCK_HEADER, 0, "Revisionsstand");
    block(QMS_BLOCK_HEADER, 0, "03");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_HEADER, "VA-04");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_HEADER, "3");
    qms_doc_free(D);
}

Test(meta_extract, control_block_lines_near_the_top)
{
    begin("sop.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "Document Control");
    block(QMS_BLOCK_PARAGRAPH, 0, "**Document ID:** SOP-01\n**Revision:** 02\n**Status:** Draft (for Training)");
    block(QMS_BLOCK_LIST_ITEM, 1, "Effective Date: YYYY-MM-DD");
    block(QMS_BLOCK_PARAGRAPH, 0, "Reference: ISO 9001:2015 clause 7.5");
    block(QMS_BLOCK_PARAGRAPH, 0, "Owner: Quality Manager Approver: CEO");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "SOP-01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "2");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "draft");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Quality Manager");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "CEO");
    const struct qms_meta_value *eff = val(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_assert(eff);
    cr_expect(eff->flags & QMS_META_PLACEHOLDER);
    cr_expect_str_eq(eff->value, "");
    cr_expect_str_eq(eff->raw, "YYYY-MM-DD");
    cr_expect_eq(m->fields[QMS_META_ID].n, 1, "'Reference: ISO 9001' is not a document ID");
    qms_doc_free(D);
}

Test(meta_extract, control_lines_far_below_are_ignored)
{
    begin("sop.md", QMS_FORMAT_MARKDOWN);
    for (int i = 0; i < 60; i++)
        block(QMS_BLOCK_PARAGRAPH, 0, "Some procedure text.");
    block(QMS_BLOCK_PARAGRAPH, 0, "Document ID: SOP-99");
    const struct qms_meta *m = extract();
    cr_expect_eq(m->fields[QMS_META_ID].n, 0, "a label below the control region counts");
    qms_doc_free(D);
}

Test(meta_extract, control_table_key_value_and_labels_over_values)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    const char *kv[] = {"Document No.", "QP-007", "Revision", "C",
                        "Approved by", "J. Smith", "Approval date", "2024-02-01"};
    table(4, 2, kv);
    const char *vertical[] = {"Owner", "Status", "Review date",
                              "Quality Manager", "Approved", "[DATE]"};
    table(2, 3, vertical);
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "QP-007");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "C");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "J. Smith");
    EXPECT_VALUE(m, QMS_META_APPROVAL_DATE, QMS_META_SRC_CONTROL_BLOCK, "2024-02-01");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Quality Manager");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "approved");
    const struct qms_meta_value *rd = val(m, QMS_META_REVIEW_DATE, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_assert(rd);
    cr_expect(rd->flags & QMS_META_PLACEHOLDER);
    cr_expect_eq(m->history_table, -1);
    cr_expect_eq(m->register_table, -1);
    qms_doc_free(D);
}

Test(meta_extract, content_controls_by_tag_or_alias)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    struct qms_location l = here();
    cr_assert(qms_docb_add_field(&B, QMS_FIELD_CONTENT_CONTROL, "DocID", NULL, NULL, "WI-003", l));
    cr_assert(qms_docb_add_field(&B, QMS_FIELD_CONTENT_CONTROL, "x1", "Approver", NULL,
                                 "Click or tap here to enter text.", l));
    cr_assert(qms_docb_add_field(&B, QMS_FIELD_DOCPROPERTY, "Revision", NULL, NULL, "B", l));
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTENT_CONTROL, "WI-003");
    const struct qms_meta_value *ap = val(m, QMS_META_APPROVER, QMS_META_SRC_CONTENT_CONTROL, 0);
    cr_assert(ap);
    cr_expect(ap->flags & QMS_META_PLACEHOLDER);
    cr_expect_str_eq(ap->label, "Approver");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FIELD, "B");
    qms_doc_free(D);
}

Test(meta_extract, revision_history_in_english_last_row_is_current)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    for (int i = 0; i < 50; i++)
        block(QMS_BLOCK_PARAGRAPH, 0, "Body text.");
    const char *h[] = {"Revision", "Date", "Description of Changes", "Approved By",
                       "A", "2023-01-10", "Initial release", "J. Smith",
                       "B", "2023-06-01", "Scope updated", "J. Smith",
                       "C", "31/02/2024", "New form", "K. Jones"};
    table(4, 4, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_history, 3);
    cr_expect_eq(m->history_table, 0);
    cr_expect_eq(m->history_current, 2);
    cr_expect_str_eq(m->history[0].revision.value, "A");
    cr_expect_eq(m->history[1].date.date, qms_meta_days(2023, 6, 1));
    cr_expect_str_eq(m->history[1].description, "Scope updated");
    cr_expect_str_eq(m->history[2].people, "K. Jones");
    cr_expect(m->history[2].date.flags & QMS_META_UNPARSED);
    cr_expect_str_eq(m->history[2].date.raw, "31/02/2024");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "C");
    qms_doc_free(D);
}

Test(meta_extract, revision_history_in_spanish)
{
    begin("PG 01.md", QMS_FORMAT_MARKDOWN);
    for (int i = 0; i < 45; i++)
        block(QMS_BLOCK_PARAGRAPH, 0, "Texto.");
    const char *h[] = {"Fecha", "Rev.", "Descripción", "Responsable",
                       "12 de marzo de 2021", "00", "Emisión inicial", "Calidad",
                       "03/02/2022", "01", "Cambio de alcance", "Calidad"};
    table(3, 4, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_history, 2);
    cr_expect_eq(m->history[0].date.date, qms_meta_days(2021, 3, 12));
    cr_expect(m->history[1].date.flags & QMS_META_AMBIGUOUS, "03/02/2022 is ambiguous");
    cr_expect_eq(m->history[1].revision.rev_scheme, QMS_REV_NUMBER);
    cr_expect_str_eq(m->history[1].description, "Cambio de alcance");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "1");
    qms_doc_free(D);
}

Test(meta_extract, revision_history_newest_first)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    const char *h[] = {"Version", "Date", "Author", "Description",
                       "2.0", "2024-01-01", "PS", "Major rewrite",
                       "1.1", "2023-01-01", "PS", "Fixes",
                       "1.0", "2022-01-01", "PS", "First"};
    table(4, 4, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_history, 3);
    cr_expect_eq(m->history_current, 0);
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "2.0");
    qms_doc_free(D);
}

Test(meta_extract, register_in_german)
{
    begin("Dokumentenliste.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "Dokumentenliste");
    const char *r[] = {"Dokumentnummer", "Titel", "Revision", "Status", "Gültig ab",
                       "QM-001", "Qualitätsmanagementhandbuch", "C", "Freigegeben", "01.02.2024",
                       "", "", "", "", "",
                       "VA-04", "Lenkung von Dokumenten", "03", "Entwurf", "TT.MM.JJJJ",
                       "FB-12", "Schulungsnachweis", "1.2", "Veraltet", "5. März 2023"};
    table(5, 5, r);
    const struct qms_meta *m = extract();
    cr_expect_eq(m->register_table, 0);
    cr_assert_eq(m->n_register_entries, 3);
    const struct qms_meta_register_entry *e = m->register_entries;
    cr_expect_str_eq(e[0].id.value, "QM-001");
    cr_expect_str_eq(e[0].title, "Qualitätsmanagementhandbuch");
    cr_expect_str_eq(e[0].revision.value, "C");
    cr_expect_str_eq(e[0].status.value, "approved");
    cr_expect_eq(e[0].date.date, qms_meta_days(2024, 2, 1));
    cr_expect_str_eq(e[1].status.value, "draft");
    cr_expect(e[1].date.flags & QMS_META_PLACEHOLDER);
    cr_expect_str_eq(e[2].status.value, "obsolete");
    cr_expect_str_eq(e[2].revision.value, "1.2");
    cr_expect_eq(e[2].date.date, qms_meta_days(2023, 3, 5));
    cr_expect_eq(m->n_history, 0);
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_TITLE_HEADING, "register");
    qms_doc_free(D);
}

Test(meta_extract, file_name_id_revision_and_title)
{
    begin("set/QP-007_RevC.docx", QMS_FORMAT_DOCX);
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "QP-007");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, "C");
    cr_expect_eq(m->fields[QMS_META_TITLE].n, 0);
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "procedure");
    qms_doc_free(D);

    begin("SOP-IT-004_Document_Control.docx", QMS_FORMAT_DOCX);
    m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "SOP-IT-004");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, "Document Control");
    cr_expect_eq(m->fields[QMS_META_REVISION].n, 0);
    qms_doc_free(D);

    begin("SOP-001_r1.md", QMS_FORMAT_MARKDOWN);
    m = extract();
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, "1");
    qms_doc_free(D);

    begin("PG 01 (07) Control de documentos.odt", QMS_FORMAT_ODT);
    m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "PG 01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, "7");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, "Control de documentos");
    qms_doc_free(D);
}

Test(meta_extract, register_with_one_title_and_id_column)
{
    begin("Document List QMS.md", QMS_FORMAT_MARKDOWN);
    const char *r[] = {"Title / Doc-ID", "Version", "Release Date", "Process Owner",
                       "SOP-001 Document Control", "2.0", "2024-01-10", "QMO",
                       "SOP-002 - CAPA", "1.3", "2023-11-02", "QMO"};
    table(3, 4, r);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_register_entries, 2);
    cr_expect_str_eq(m->register_entries[0].id.value, "SOP-001");
    cr_expect_str_eq(m->register_entries[0].title, "Document Control");
    cr_expect_str_eq(m->register_entries[1].title, "CAPA");
    cr_expect_str_eq(m->register_entries[1].revision.value, "1.3");
    cr_expect_eq(m->n_history, 0, "a register is not a revision history");
    qms_doc_free(D);
}

Test(meta_extract, slug_file_name_reads_as_a_title)
{
    begin("sop/document-control.md", QMS_FORMAT_MARKDOWN);
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, "document control");
    cr_expect_eq(m->fields[QMS_META_ID].n, 0);
    qms_doc_free(D);
}

Test(meta_extract, title_heading_with_id)
{
    begin("a.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "SOP-IT-004: Document Control Procedure");
    block(QMS_BLOCK_HEADING, 1, "Second heading");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, "SOP-IT-004");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Document Control Procedure");
    cr_expect_eq(m->fields[QMS_META_TITLE].n, 1);
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_TITLE_HEADING, "procedure");
    qms_doc_free(D);

    begin("b.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_TITLE, 0, "Quality Manual (QM-001)");
    m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, "QM-001");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Quality Manual");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "manual");
    qms_doc_free(D);
}

Test(meta_extract, file_name_header_and_front_matter_disagree)
{
    begin("SOP-IT-004_Document_Control.md", QMS_FORMAT_MARKDOWN);
    prop(QMS_PROP_FRONT_MATTER, "id", "SOP-101");
    prop(QMS_PROP_FRONT_MATTER, "revision", "00");
    block(QMS_BLOCK_PARAGRAPH, 0, "Document ID: SOP-106");
    const char *h[] = {"Rev", "Date", "Description", "01", "2024-01-01", "First"};
    table(2, 3, h);
    const struct qms_meta *m = extract();
    cr_expect_eq(m->fields[QMS_META_ID].n, 3);
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "SOP-101");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "SOP-106");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "SOP-IT-004");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "0");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "1");
    const struct qms_meta_value *a = val(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, 0);
    const struct qms_meta_value *b = val(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, 0);
    cr_expect_eq(qms_meta_rev_cmp(a, b), -1);
    qms_doc_free(D);
}

Test(meta_extract, status_words_in_four_languages)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    prop(QMS_PROP_FRONT_MATTER, "status", "Freigegeben");
    prop(QMS_PROP_FRONT_MATTER, "estado", "OBSOLETO");
    prop(QMS_PROP_FRONT_MATTER, "statut", "Brouillon");
    prop(QMS_PROP_FRONT_MATTER, "lifecycle", "In Review");
    prop(QMS_PROP_FRONT_MATTER, "status", "Frozen");
    const struct qms_meta *m = extract();
    const char *want[] = {"approved", "obsolete", "draft", "in-review", "Frozen"};
    cr_assert_eq(m->fields[QMS_META_STATUS].n, 5);
    for (int i = 0; i < 5; i++)
        cr_expect_str_eq(m->fields[QMS_META_STATUS].items[i].value, want[i]);
    cr_expect(m->fields[QMS_META_STATUS].items[4].flags & QMS_META_UNPARSED);
    qms_doc_free(D);
}

Test(meta_extract, unparseable_values_are_kept_raw_with_a_flag)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    prop(QMS_PROP_FRONT_MATTER, "effective_date", "soon");
    prop(QMS_PROP_FRONT_MATTER, "revision", "final-ish");
    prop(QMS_PROP_FRONT_MATTER, "doc_id", "12345");
    prop(QMS_PROP_FRONT_MATTER, "effective", "04/05/2024");
    const struct qms_meta *m = extract();
    const struct qms_meta_value *d = &m->fields[QMS_META_EFFECTIVE_DATE].items[0];
    cr_expect(d->flags & QMS_META_UNPARSED);
    cr_expect_str_eq(d->value, "soon");
    cr_expect_eq(d->date, 0);
    cr_expect(m->fields[QMS_META_EFFECTIVE_DATE].items[1].flags & QMS_META_AMBIGUOUS);
    cr_expect(m->fields[QMS_META_REVISION].items[0].flags & QMS_META_UNPARSED);
    cr_expect_eq(m->fields[QMS_META_REVISION].items[0].rev_scheme, QMS_REV_NONE);
    cr_expect(m->fields[QMS_META_ID].items[0].flags & QMS_META_UNPARSED);
    cr_expect_str_eq(m->fields[QMS_META_ID].items[0].value, "12345");
    cr_expect_null(qms_meta_first(m, QMS_META_EFFECTIVE_DATE));
    qms_doc_free(D);
}

Test(meta_extract, hostile_text_is_capped_and_survives)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    size_t n = 300000;
    char *big = malloc(n + 1);
    cr_assert(big);
    static const char unit[] = "Rev: \xff\xfe QP-1 Doc No: ";
    for (size_t i = 0; i < n; i++)
        big[i] = unit[i % (sizeof unit - 1)];
    big[n] = '\0';
    block(QMS_BLOCK_HEADER, 0, big);
    prop(QMS_PROP_FRONT_MATTER, "title", big);
    block(QMS_BLOCK_PARAGRAPH, 0, big);
    const char *cells[] = {"Rev", "Date", big, "\xc3", "\xe2\x80", big};
    table(2, 3, cells);
    const struct qms_meta *m = extract();
    const struct qms_meta_value *t = val(m, QMS_META_TITLE, QMS_META_SRC_FRONT_MATTER, 0);
    cr_assert(t);
    cr_expect_leq(strlen(t->raw), 512);
    free(big);
    qms_doc_free(D);
}

Test(meta_extract, empty_document_has_an_empty_record)
{
    begin("", QMS_FORMAT_MARKDOWN);
    const struct qms_meta *m = extract();
    for (int f = 0; f < QMS_META_N_FIELDS; f++)
        cr_expect_eq(m->fields[f].n, 0, "%s", qms_meta_field_name(f));
    cr_expect_eq(m->history_table, -1);
    qms_doc_free(D);
}

/* A 20,000-row master list: cell lookups must not be quadratic (this would take minutes). */
Test(meta_extract, large_register_is_parsed_in_linear_time, .timeout = 30)
{
    begin("master-list.docx", QMS_FORMAT_DOCX);
    enum { ROWS = 20000, COLS = 4 };
    int32_t t = qms_docb_table_begin(&B, -1, here());
    const char *head[COLS] = {"Doc #", "Title", "Rev", "Status"};
    for (uint32_t r = 0; r <= ROWS; r++)
        for (uint32_t c = 0; c < COLS; c++) {
            char text[64];
            if (r == 0)
                snprintf(text, sizeof text, "%s", head[c]);
            else if (c == 0)
                snprintf(text, sizeof text, "SOP-%05u", r);
            else
                snprintf(text, sizeof text, c == 1 ? "Procedure %u" : c == 2 ? "%u" : "Approved", r % 50);
            cr_assert(qms_docb_table_add_cell(&B, t, r, c, text, strlen(text), here()));
        }
    cr_assert_eq(qms_docb_table_end(&B, t), 0);
    const struct qms_meta *m = extract();
    cr_expect_eq(m->n_register_entries, ROWS);
    cr_expect_str_eq(m->register_entries[ROWS - 1].id.value, "SOP-20000");
    qms_doc_free(D);
}

Test(meta_extract, hostile_spans_are_clamped)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    int32_t t = qms_docb_table_begin(&B, -1, here());
    const char *cells[] = {"Rev", "Date", "Description", "A", "2024-01-01", "x"};
    for (uint32_t i = 0; i < 6; i++) {
        struct qms_cell *c = qms_docb_table_add_cell(&B, t, i / 3, i % 3, cells[i], strlen(cells[i]), here());
        cr_assert(c);
        if (i == 3) {
            c->row_span = UINT32_MAX;
            c->col_span = UINT32_MAX;
        }
    }
    cr_assert_eq(qms_docb_table_end(&B, t), 0);
    const struct qms_meta *m = extract();
    cr_expect_leq(m->n_history, 1);
    qms_doc_free(D);
}

Test(meta_extract, values_per_field_are_capped)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    for (int i = 0; i < 2000; i++) {
        char name[32];
        snprintf(name, sizeof name, "Person %d", i);
        prop(QMS_PROP_FRONT_MATTER, "approvers", name);
    }
    const struct qms_meta *m = extract();
    cr_expect_eq(m->fields[QMS_META_APPROVER].n, 256);
    cr_expect_str_eq(m->fields[QMS_META_APPROVER].items[255].value, "Person 255");
    qms_doc_free(D);
}

/* ---- regressions (field review) ---- */

/* A newest-first table with a duplicated row: 3, 2, 2, 1 is still newest first, so row 0 is
   current (it was the last row, revision 1, because the revisions did not strictly decrease). */
Test(meta_extract, newest_first_history_with_duplicate_row_takes_the_first_row)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    const char *h[] = {"Rev", "Date", "Description",
                       "3", "2024-05-01", "Scope widened",
                       "2", "2023-05-01", "Typo",
                       "2", "2023-05-01", "Typo",
                       "1", "2022-05-01", "First issue"};
    table(5, 3, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_history, 4);
    cr_expect_eq(m->history_current, 0);
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "3");
    qms_doc_free(D);
}

/* Oldest first with a duplicate (1, 2, 2, 3) stays oldest first. */
Test(meta_extract, oldest_first_history_with_duplicate_row_takes_the_last_row)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    const char *h[] = {"Rev", "Date", "Description",
                       "A", "2022-05-01", "First issue",
                       "B", "2023-05-01", "Typo",
                       "B", "2023-05-01", "Typo",
                       "C", "2024-05-01", "Scope widened"};
    table(5, 3, h);
    const struct qms_meta *m = extract();
    cr_expect_eq(m->history_current, 3);
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "C");
    qms_doc_free(D);
}

/* Without comparable revisions the dates decide: newest date first means row 0. */
Test(meta_extract, history_without_revisions_ordered_by_dates)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    const char *h[] = {"Date", "Description", "Author",
                       "2024-05-01", "Scope widened", "PS",
                       "2022-05-01", "First issue", "PS"};
    table(3, 3, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_history, 2);
    cr_expect_eq(m->history_current, 0);
    qms_doc_free(D);
}

/* "Version: 8.28.2011" in a footer is the date of the form's layout, not a revision. */
Test(meta_extract, footer_date_under_version_label_is_not_a_revision)
{
    begin("form.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_PARAGRAPH, 0, "Body.");
    block(QMS_BLOCK_FOOTER, 0, "Privacy Notice:    This form is confidential.       Version: 8.28.2011");
    block(QMS_BLOCK_FOOTER, 0, "Privacy Notice:    This form is confidential.       Version: 1.10.09");
    block(QMS_BLOCK_FOOTER, 0, "Ausgabe: 03/2024");
    block(QMS_BLOCK_HEADER, 0, "QP-007 Rev. 2024-03-12");
    block(QMS_BLOCK_HEADER, 0, "Stand: 12.03.2024  Version 2.0.1");
    const struct qms_meta *m = extract();
    for (size_t i = 0; i < m->fields[QMS_META_REVISION].n; i++)
        cr_expect_str_eq(m->fields[QMS_META_REVISION].items[i].value, "2.0.1",
                         "revision '%s' from %s", m->fields[QMS_META_REVISION].items[i].raw,
                         qms_meta_source_name(m->fields[QMS_META_REVISION].items[i].source));
    cr_expect_eq(m->fields[QMS_META_REVISION].n, 1);
    qms_doc_free(D);
}

Test(meta_extract, control_table_date_under_version_is_not_a_revision)
{
    begin("x.docx", QMS_FORMAT_DOCX);
    const char *t[] = {"Dokumentnummer", "VA-04", "Ausgabe", "03.2024", "Revision", "02"};
    table(3, 2, t);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->fields[QMS_META_REVISION].n, 1);
    cr_expect_str_eq(m->fields[QMS_META_REVISION].items[0].value, "2");
    qms_doc_free(D);
}

/* Plugins learn whether an ID conforms to the configured pattern from a flag. */
Test(meta_extract, id_values_flag_a_whole_match_of_the_id_pattern)
{
    begin("QP-007_Document_Control.md", QMS_FORMAT_MARKDOWN);
    prop(QMS_PROP_FRONT_MATTER, "doc_id", "QP-007");
    prop(QMS_PROP_FRONT_MATTER, "document_number", "QP-007 (Rev C)");
    prop(QMS_PROP_FRONT_MATTER, "id", "qp7");
    const struct qms_meta *m = extract();
    const struct qms_meta_value *a = val(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, 0);
    const struct qms_meta_value *b = val(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, 1);
    const struct qms_meta_value *c = val(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, 2);
    const struct qms_meta_value *f = val(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, 0);
    cr_assert(a && b && c && f);
    cr_expect(a->flags & QMS_META_ID_MATCH);
    cr_expect_not(b->flags & QMS_META_ID_MATCH, "'%s' has more than the ID", b->raw);
    cr_expect_str_eq(b->value, "QP-007");
    cr_expect_not(c->flags & QMS_META_ID_MATCH);
    cr_expect(c->flags & QMS_META_UNPARSED);
    cr_expect(f->flags & QMS_META_ID_MATCH);
    qms_doc_free(D);
}

Test(meta_extract, register_ids_flag_the_id_pattern_match)
{
    begin("REG-001.md", QMS_FORMAT_MARKDOWN);
    const char *r[] = {"Doc No", "Title", "Rev", "Status",
                       "QP-001", "Control of documents", "A", "Approved",
                       "Procedure 2", "Purchasing", "B", "Approved"};
    table(3, 4, r);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->n_register_entries, 2);
    cr_expect(m->register_entries[0].id.flags & QMS_META_ID_MATCH);
    cr_expect_not(m->register_entries[1].id.flags & QMS_META_ID_MATCH);
    qms_doc_free(D);
}


/* A responsibilities list near the top ("Ersteller: erstellt und ändert das Dokument.") names
   roles and their duties, not the document's owner. */
Test(meta_extract, role_descriptions_are_not_owners)
{
    begin("VA-01.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_PARAGRAPH, 0, "Erstellt von: Anna Schmidt");
    block(QMS_BLOCK_PARAGRAPH, 0, "Freigegeben von: Dr. Klaus Weber");
    block(QMS_BLOCK_LIST_ITEM, 0, "Ersteller: erstellt und ändert das Dokument.");
    block(QMS_BLOCK_LIST_ITEM, 0, "Rédacteur : rédige le document.");
    block(QMS_BLOCK_LIST_ITEM, 0, "Approver: signs off the procedure after review.");
    block(QMS_BLOCK_LIST_ITEM, 0, "Author: Quality Manager");
    const struct qms_meta *m = extract();
    cr_expect_eq(m->fields[QMS_META_OWNER].n, 2);
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Anna Schmidt");
    const struct qms_meta_value *o2 = val(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, 1);
    cr_expect(o2 && !strcmp(o2->value, "Quality Manager"));
    cr_expect_eq(m->fields[QMS_META_APPROVER].n, 1);
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "Dr. Klaus Weber");
    qms_doc_free(D);
}

/* A document whose sections are level-1 headings has no title heading: "Purpose" is not the
   title that disagrees with the title property. */
Test(meta_extract, first_of_several_level_one_headings_is_not_the_title)
{
    begin("policy.docx", QMS_FORMAT_DOCX);
    prop(QMS_PROP_CORE, "dc:title", "Vendor Rating Policy");
    block(QMS_BLOCK_HEADING, 1, "Purpose");
    block(QMS_BLOCK_PARAGRAPH, 0, "Why.");
    block(QMS_BLOCK_HEADING, 1, "Scope");
    block(QMS_BLOCK_PARAGRAPH, 0, "What.");
    const struct qms_meta *m = extract();
    cr_expect_null(val(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, 0));
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_CORE_PROPERTY, "Vendor Rating Policy");
    qms_doc_free(D);

    /* the only level-1 heading, or one carrying the ID, is the title */
    begin("a.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "Supplier Evaluation");
    block(QMS_BLOCK_HEADING, 2, "Purpose");
    m = extract();
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Supplier Evaluation");
    qms_doc_free(D);
    begin("b.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_HEADING, 1, "QP-008 Supplier Evaluation");
    block(QMS_BLOCK_HEADING, 1, "1 Purpose");
    m = extract();
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Supplier Evaluation");
    qms_doc_free(D);
}

/* "Release Date: May 28, 2007 [eBook #21636]", "Gültig ab: 12.03.2024 (Revision 03)". */
Test(meta_extract, date_followed_by_a_remark_in_brackets_is_parsed)
{
    begin("x.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_PARAGRAPH, 0, "Release Date: May 28, 2007 [eBook #21636]");
    block(QMS_BLOCK_PARAGRAPH, 0, "Gültig ab: 12.03.2024 (Revision 03)");
    block(QMS_BLOCK_PARAGRAPH, 0, "Review date: 31.02.2024 (see note)");
    const struct qms_meta *m = extract();
    cr_assert_eq(m->fields[QMS_META_EFFECTIVE_DATE].n, 2);
    cr_expect_str_eq(m->fields[QMS_META_EFFECTIVE_DATE].items[0].value, "2007-05-28");
    cr_expect_str_eq(m->fields[QMS_META_EFFECTIVE_DATE].items[1].value, "2024-03-12");
    const struct qms_meta_value *r = val(m, QMS_META_REVIEW_DATE, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_assert(r);
    cr_expect(r->flags & QMS_META_UNPARSED, "an impossible date stays unparsed");
    cr_expect_str_eq(r->raw, "31.02.2024 (see note)");
    qms_doc_free(D);
}

/* A yes/no custom property named like a label ("Référence" = true) is not a document ID. */
Test(meta_extract, boolean_properties_are_not_values)
{
    begin("x.odt", QMS_FORMAT_ODT);
    cr_assert(qms_docb_add_property(&B, QMS_PROP_ODT_USER, "Référence", "true", "boolean", here()));
    cr_assert(qms_docb_add_property(&B, QMS_PROP_ODT_USER, "Document ID", "QP-001", "string", here()));
    const struct qms_meta *m = extract();
    cr_assert_eq(m->fields[QMS_META_ID].n, 1);
    cr_expect_str_eq(m->fields[QMS_META_ID].items[0].value, "QP-001");
    qms_doc_free(D);
}

/* Vocabulary seen in German and Spanish sets: "Stand", "Fecha de edición", "DEROGADO",
   history columns "Änderungsgrund", "Erstellt", "Naturaleza del cambio". */
Test(meta_extract, german_and_spanish_vocabulary_variants)
{
    begin("VA-04.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_PARAGRAPH, 0, "Stand: 03/2024");
    block(QMS_BLOCK_PARAGRAPH, 0, "Estado: DEROGADO");
    block(QMS_BLOCK_PARAGRAPH, 0, "Fecha de edición: 25/03/2024");
    for (int i = 0; i < 45; i++)
        block(QMS_BLOCK_PARAGRAPH, 0, "Text.");
    const char *h[] = {"Version", "Datum", "Änderungsgrund", "Erstellt", "Geprüft",
                       "01", "14.01.2021", "Erstausgabe", "A. Schmidt", "B. Meyer"};
    table(2, 5, h);
    const struct qms_meta *m = extract();
    cr_assert_eq(m->fields[QMS_META_EFFECTIVE_DATE].n, 2);
    cr_expect_str_eq(m->fields[QMS_META_EFFECTIVE_DATE].items[0].value, "2024-03-01");
    cr_expect_str_eq(m->fields[QMS_META_EFFECTIVE_DATE].items[1].value, "2024-03-25");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "withdrawn");
    cr_assert_eq(m->n_history, 1);
    cr_expect_str_eq(m->history[0].description, "Erstausgabe");
    cr_expect_str_eq(m->history[0].people, "A. Schmidt");
    qms_doc_free(D);
}

/* French typography as Word and LibreOffice autocorrect it: a no-break (U+00A0) or narrow
   no-break (U+202F) space before ':', typographic apostrophes, no-break spaces in dates. */
Test(meta_extract, french_typography_no_break_spaces_and_apostrophes)
{
    begin("PR-7.5-01.docx", QMS_FORMAT_DOCX);
    block(QMS_BLOCK_PARAGRAPH, 0, "Référence\xc2\xa0: PR-7.5-01");
    block(QMS_BLOCK_PARAGRAPH, 0, "Indice\xe2\x80\xaf: C");
    block(QMS_BLOCK_PARAGRAPH, 0, "Date d\xe2\x80\x99" "application\xc2\xa0: 12\xc2\xa0mars\xc2\xa0" "2024");
    block(QMS_BLOCK_PARAGRAPH, 0, "Approuvé par\xe2\x80\xaf: Philippe Dubois");
    block(QMS_BLOCK_FOOTER, 0, "Indice\xc2\xa0: C \xe2\x80\x94 Page 1/2");
    const struct qms_meta *m = extract();
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "PR-7.5-01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "C");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FOOTER, "C");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "Philippe Dubois");
    qms_doc_free(D);

    /* a key/value table: "Date d’application" | "12 mars 2024" */
    begin("x.odt", QMS_FORMAT_ODT);
    const char *t[] = {"Date d\xe2\x80\x99" "application", "12\xc2\xa0mars 2024",
                       "Référence\xc2\xa0", "PR-7.5-01"};
    table(2, 2, t);
    m = extract();
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "PR-7.5-01");
    qms_doc_free(D);
}

/* A title word names the document's type only as a type phrase: "External Providers" is the
   subject of a procedure, an "Operating Manual" is not the quality manual. */
Test(meta_extract, subject_words_in_titles_are_not_types)
{
    static const char *const titles[] = {"Control of External Providers",
                                         "Operating Manual for the Press", "Manuel utilisateur"};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        begin("x.md", QMS_FORMAT_MARKDOWN);
        block(QMS_BLOCK_HEADING, 1, titles[i]);
        const struct qms_meta *m = extract();
        cr_expect_eq(m->fields[QMS_META_TYPE].n, 0, "'%s' typed '%s'", titles[i],
                     m->fields[QMS_META_TYPE].n ? m->fields[QMS_META_TYPE].items[0].value : "");
        qms_doc_free(D);
    }
    begin("x.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "Register of External Documents");
    const struct qms_meta *m = extract();
    cr_expect(m->fields[QMS_META_TYPE].n >= 1);
    qms_doc_free(D);
    begin("x.md", QMS_FORMAT_MARKDOWN);
    block(QMS_BLOCK_HEADING, 1, "Manuel qualité");
    m = extract();
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_TITLE_HEADING, "manual");
    qms_doc_free(D);
}
