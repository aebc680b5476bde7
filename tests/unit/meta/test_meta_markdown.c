/* The metadata record of Markdown fixtures read by qms_md_read (fixtures/meta/). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "meta.h"
#include "reader.h"
#include "testutil.h"
#include "meta_test.h"

static struct qms_meta_opts *opts;
static struct qms_doc *D;

static void setup(void)
{
    struct qms_err err = {{0}};
    char *rules = qms_test_source("rules");
    cr_assert_eq(qms_meta_opts_load(&opts, rules, NULL, &err), 0, "%s", err.msg);
    free(rules);
}

static void teardown(void)
{
    qms_doc_free(D);
    D = NULL;
    qms_meta_opts_free(opts);
}

TestSuite(meta_markdown, .init = setup, .fini = teardown);

static const struct qms_meta *read_md(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "meta/%s", name);
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert(data, "cannot read %s", path);
    struct qms_err err = {{0}};
    cr_assert_eq(qms_md_read(&D, name, data, len, NULL, &err), 0, "%s: %s", name, err.msg);
    free(data);
    free(path);
    const struct qms_meta *m = NULL;
    cr_assert_eq(qms_meta_extract(&m, D, qms_doc_arena(D), opts, &err), 0, "%s", err.msg);
    return m;
}

Test(meta_markdown, file_name_title_control_lines_and_front_matter_disagree)
{
    const struct qms_meta *m = read_md("QP-007_RevC.md");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "QP-009");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "QP-008");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, "QP-007");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "QP-007");
    cr_expect_eq(m->fields[QMS_META_ID].n, 4);
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "B");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "C");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "D");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, "C");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Control of Documents");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Quality Manager");
    cr_expect_eq(m->n_history, 3);
    const struct qms_meta_value *fm = val(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, 0);
    cr_expect_eq(fm->loc.line, 2, "front matter doc_id is on line 2");
    const struct qms_meta_value *cb = val(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_expect_eq(cb->loc.line, 12);
    /* The reader joins a paragraph's soft breaks: the three lines are one block on line 12. */
    cr_expect_eq(val(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, 0)->loc.line, 12);
}

Test(meta_markdown, spanish_front_matter_and_history_table)
{
    const struct qms_meta *m = read_md("PG-01_Control_de_documentos.md");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "PG 01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "5");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_FRONT_MATTER, "effective");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FRONT_MATTER, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_FRONT_MATTER, "Dirección");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "PG-01");
    cr_assert_eq(m->n_history, 3);
    cr_expect(m->history[0].date.flags & QMS_META_AMBIGUOUS, "10/01/2019 is ambiguous");
    cr_expect_eq(m->history[1].date.date, qms_meta_days(2021, 6, 15));
    cr_expect_str_eq(m->history[2].description, "Cambio de alcance");
    cr_expect_str_eq(m->history[2].people, "Dirección");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "5");
}

Test(meta_markdown, german_register)
{
    const struct qms_meta *m = read_md("Dokumentenliste.md");
    cr_assert_eq(m->n_register_entries, 3);
    const struct qms_meta_register_entry *e = m->register_entries;
    cr_expect_str_eq(e[0].id.value, "QM-001");
    cr_expect_str_eq(e[0].status.value, "approved");
    cr_expect_eq(e[0].date.date, qms_meta_days(2024, 2, 1));
    cr_expect_str_eq(e[1].id.value, "VA-04");
    cr_expect(e[1].date.flags & QMS_META_PLACEHOLDER);
    cr_expect_str_eq(e[2].revision.value, "1.2");
    cr_expect_str_eq(e[2].status.value, "obsolete");
    cr_expect_gt(e[2].loc.line, e[0].loc.line);
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_TITLE_HEADING, "register");
}

Test(meta_markdown, french_control_lines)
{
    const struct qms_meta *m = read_md("PR-004_Maitrise_des_documents.md");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "PR-004");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "B");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "draft");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Pierre Martin");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "Marie Curie");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_REVIEW_DATE, QMS_META_SRC_CONTROL_BLOCK, "2025-12-01");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Maîtrise des documents");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "procedure");
}

Test(meta_markdown, placeholders_and_ambiguous_dates)
{
    const struct qms_meta *m = read_md("WI-003_placeholders.md");
    const struct qms_meta_value *v = val(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FRONT_MATTER, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_PLACEHOLDER);
    cr_expect_str_eq(v->raw, "YYYY-MM-DD");
    v = val(m, QMS_META_REVIEW_DATE, QMS_META_SRC_FRONT_MATTER, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_AMBIGUOUS);
    cr_expect_eq(v->date, 0);
    v = val(m, QMS_META_APPROVER, QMS_META_SRC_FRONT_MATTER, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_PLACEHOLDER);
    v = val(m, QMS_META_OWNER, QMS_META_SRC_FRONT_MATTER, 0);
    cr_assert(v, "an empty author is kept as a placeholder");
    cr_expect(v->flags & QMS_META_PLACEHOLDER);
    v = val(m, QMS_META_APPROVAL_DATE, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_PLACEHOLDER);
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "1.2");
    cr_expect_eq(val(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, 0)->rev_scheme, QMS_REV_DOTTED);
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "work-instruction");
}

Test(meta_markdown, pipe_separated_control_line_and_two_digit_history)
{
    const struct qms_meta *m = read_md("SOP-IT-004_Document_Control.md");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "SOP-101");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "SOP-106");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "SOP-IT-004");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "2");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "effective");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "0");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "1");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, "Document Control");
}

Test(meta_markdown, control_table_and_signature_table)
{
    const struct qms_meta *m = read_md("QM-001_Quality_Manual.md");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CONTROL_BLOCK, "QM-001");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CONTROL_BLOCK, "3");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, "2024-03-12");
    EXPECT_VALUE(m, QMS_META_REVIEW_DATE, QMS_META_SRC_CONTROL_BLOCK, "2025-03-12");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Quality Manager");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTROL_BLOCK, "released");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Quality Manual");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "manual");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_TITLE_HEADING, "manual");
    cr_expect_eq(m->history_table, -1, "Role | Name | Signature | Date is not a revision history");
    cr_expect_eq(m->n_register_entries, 0);
}
