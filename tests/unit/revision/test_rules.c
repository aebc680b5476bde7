/* The revision rules over hand-written metadata records, through a fake host: each test
 * builds the record the extractor would produce and checks the exact finding. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakehost.h"

static struct rv_host h;

static void setup(void) { rv_host_init(&h); }

static void expect_none(void)
{
    for (size_t i = 0; i < h.n_findings; i++)
        cr_expect_fail("unexpected [%s] %s", h.findings[i].rule, h.findings[i].message);
}

TestSuite(revision, .init = setup);

Test(revision, plugin_declares_nine_rules_self_approved_off_by_default)
{
    const struct qms_plugin *p = rv_plugin();
    cr_assert_str_eq(p->name, "revision");
    cr_assert_eq(p->n_rules, 9);
    for (size_t i = 0; i < p->n_rules; i++) {
        cr_assert_eq(strncmp(p->rules[i].id, "revision/", 9), 0);
        cr_assert_not_null(p->rules[i].clause);
        cr_assert_eq(p->rules[i].default_off, strcmp(p->rules[i].id, "revision/self-approved") == 0,
                     "%s", p->rules[i].id);
    }
}

Test(revision, clean_document_has_no_findings)
{
    rv_run(&h, &rv_clean_doc()->doc);
    expect_none();
}

Test(revision, document_without_metadata_record_is_skipped)
{
    struct rv_doc *d = rv_doc_new("x.md");
    d->doc.meta = NULL;
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 0);
}

/* ---- missing-field ---- */

Test(revision, missing_field_reports_each_absent_required_field)
{
    struct rv_doc *d = rv_doc_new("notes.md");
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Purchasing", NULL, 1);
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/missing-field"), 4);
    cr_assert_str_eq(h.findings[0].message, "required field 'document ID' is missing");
    cr_assert_str_eq(h.findings[0].key, "id");
    cr_assert_eq(h.findings[0].line, 1);
    cr_assert_str_eq(h.findings[1].message, "required field 'revision' is missing");
    cr_assert_str_eq(h.findings[2].message, "required field 'effective date' is missing");
    cr_assert_str_eq(h.findings[3].message, "required field 'approver' is missing");
}

Test(revision, missing_field_placeholder_counts_as_missing)
{
    struct rv_doc *d = rv_clean_doc();
    d->meta.fields[QMS_META_APPROVER].n = 0;
    rv_add_flagged(d, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "TBD", QMS_META_PLACEHOLDER, 14);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "required field 'approver' is only a placeholder: 'TBD' "
                                            "in control block (required for a procedure)");
    cr_assert_eq(h.findings[0].line, 14);
}

Test(revision, missing_field_forms_need_less)
{
    struct rv_doc *d = rv_doc_new("FRM-004.md");
    rv_add(d, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "FRM-004", NULL, 2);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_FRONT_MATTER, "Supplier evaluation", NULL, 3);
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "2", NULL, 4);
    rv_add(d, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "FRM", "form", 0);
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, missing_field_options_override_pack)
{
    struct rv_doc *d = rv_doc_new("FRM-004.md");
    rv_add(d, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "FRM-004", NULL, 2);
    rv_add(d, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "FRM", "form", 0);
    h.rule_opts = rv_yaml("revision/missing-field:\n"
                          "  by_type:\n"
                          "    form: [id, owner]\n");
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "required field 'owner' is missing (required for a form)");
}

Test(revision, missing_field_unknown_field_option_is_refused_with_position)
{
    void *state = NULL;
    h.rule_opts = rv_yaml("revision/missing-field:\n"
                          "  required: [id, colour]\n");
    cr_assert_lt(rv_init(&h, &state), 0);
    cr_assert_null(state);
    cr_assert(strstr(h.error, "options.yml:2:18: required: unknown field 'colour'"), "%s", h.error);
}

Test(revision, unknown_option_key_is_refused_with_position)
{
    void *state = NULL;
    h.rule_opts = rv_yaml("revision/review-overdue:\n"
                          "  period: 12\n");
    cr_assert_lt(rv_init(&h, &state), 0);
    cr_assert(strstr(h.error, "options.yml:2:11: unknown option 'period' for revision/review-overdue "
                              "(known: review_period_months)"), "%s", h.error);
}

/* ---- inconsistent ---- */

Test(revision, inconsistent_revision_names_every_source)
{
    struct rv_doc *d = rv_clean_doc();
    d->meta.fields[QMS_META_REVISION].n = 0;
    d->meta.n_history = 0;
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "00", "0", 4);
    rv_history(d, "00", "2024-01-10", 20);
    d->hist[0].revision.raw = "00";
    rv_history(d, "1", "2025-06-01", 21);
    d->hist[1].revision.raw = "01";
    rv_history_done(d);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1, "%s", h.findings[0].message);
    cr_assert_str_eq(h.findings[0].rule, "revision/inconsistent");
    cr_assert_str_eq(h.findings[0].message,
                     "revision differs between sources: front matter '00', revision history '01'");
    cr_assert_eq(h.findings[0].line, 21);
    cr_assert_str_eq(h.findings[0].key, "revision");
}

Test(revision, inconsistent_same_revision_written_differently_is_consistent)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_HEADER, "Rev. C", "C", 1);
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_FOOTER, "c", "C", 1);
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, inconsistent_id_compares_case_and_separators_loosely)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_ID, QMS_META_SRC_HEADER, "qp 007", NULL, 1);
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, inconsistent_id_file_name_and_header)
{
    struct rv_doc *d = rv_doc_new("SOP-IT-004_Document_Control.docx");
    d->doc.format = QMS_FORMAT_DOCX;
    struct qms_meta_value *v = rv_add(d, QMS_META_ID, QMS_META_SRC_HEADER, "SOP-106", NULL, 0);
    v->loc.part = "word/header1.xml";
    v->loc.block = 1;
    rv_add(d, QMS_META_ID, QMS_META_SRC_FILE_NAME, "SOP-IT-004", NULL, 0);
    h.off_rule = "revision/missing-field";
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message,
                     "document ID differs between sources: header 'SOP-106', file name 'SOP-IT-004'");
}

Test(revision, inconsistent_title_is_fuzzy)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_CORE_PROPERTY, "CONTROL OF DOCUMENTS procedure", NULL, 0);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_HEADER, "Control of documents.", NULL, 0);
    rv_run(&h, &d->doc);
    expect_none();
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_CUSTOM_PROPERTY, "Purchasing", NULL, 0);
    h.n_findings = 0;
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/inconsistent"), 1);
    cr_assert(strstr(h.findings[0].message, "custom property 'Purchasing'"), "%s", h.findings[0].message);
}

Test(revision, inconsistent_ignores_placeholders_and_unparsed_values)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add_flagged(d, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_HEADER, "DD/MM/YYYY", QMS_META_PLACEHOLDER, 1);
    rv_add_flagged(d, QMS_META_REVISION, QMS_META_SRC_FOOTER, "draft-ish", QMS_META_UNPARSED, 1);
    h.off_rule = "revision/date-invalid";
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, inconsistent_fields_option_limits_comparison)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_STATUS, QMS_META_SRC_HEADER, "Draft", "draft", 1);
    h.rule_opts = rv_yaml("revision/inconsistent:\n  fields: [id, revision]\n");
    rv_run(&h, &d->doc);
    expect_none();
}

/* ---- history-order ---- */

static struct rv_doc *history_doc(const char *const *revs, const char *const *dates, size_t n)
{
    struct rv_doc *d = rv_clean_doc();
    d->meta.n_history = 0;
    d->meta.fields[QMS_META_REVISION].n = 0;
    for (size_t i = 0; i < n; i++)
        rv_history(d, revs[i], dates[i], 20 + (unsigned)i);
    rv_history_done(d);
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, d->hist[d->meta.history_current].revision.value,
           NULL, 4);
    h.off_rule = "revision/review-overdue";
    return d;
}

Test(revision, history_order_revision_out_of_order)
{
    const char *revs[] = {"A", "C", "B", "D"};
    const char *dates[] = {"2022-01-01", "2023-01-01", "2023-06-01", "2025-06-01"};
    rv_run(&h, &history_doc(revs, dates, 4)->doc);
    cr_assert_eq(h.n_findings, 1, "%s", h.findings[0].message);
    cr_assert_str_eq(h.findings[0].message, "revision history out of order: revision 'B' comes after 'C'");
    cr_assert_eq(h.findings[0].line, 22);
}

Test(revision, history_order_duplicate_revision)
{
    const char *revs[] = {"1", "2", "2", "3"};
    const char *dates[] = {"2022-01-01", "2023-01-01", "2023-06-01", "2025-06-01"};
    rv_run(&h, &history_doc(revs, dates, 4)->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "revision history lists revision '2' twice");
}

Test(revision, history_order_dates_going_backwards)
{
    const char *revs[] = {"A", "B", "C"};
    const char *dates[] = {"2022-01-01", "2024-03-01", "2023-06-01"};
    rv_run(&h, &history_doc(revs, dates, 3)->doc);
    cr_assert_eq(rv_count(&h, "revision/history-order"), 1);
    cr_assert_str_eq(rv_first(&h, "revision/history-order")->message,
                     "revision history dates go backwards: revision 'C' dated 2023-06-01, after 'B' "
                     "dated 2024-03-01");
}

Test(revision, history_order_gap_reported_unless_allowed)
{
    const char *revs[] = {"A", "B", "D"};
    const char *dates[] = {"2022-01-01", "2023-01-01", "2025-06-01"};
    struct rv_doc *d = history_doc(revs, dates, 3);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "revision history skips from 'B' to 'D'");
    h.n_findings = 0;
    h.rule_opts = rv_yaml("revision/history-order: {allow_gaps: true}\n");
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, history_order_newest_first_table_is_in_order)
{
    const char *revs[] = {"1.2", "1.1", "1.0"};
    const char *dates[] = {"2025-06-01", "2024-01-01", "2023-01-01"};
    struct rv_doc *d = history_doc(revs, dates, 3);
    cr_assert_eq(d->meta.history_current, 0);
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, history_order_drafts_letters_then_numbers_is_not_a_gap)
{
    const char *revs[] = {"A", "B", "1", "2"};
    const char *dates[] = {"2022-01-01", "2022-02-01", "2023-01-01", "2025-06-01"};
    rv_run(&h, &history_doc(revs, dates, 4)->doc);
    expect_none();
}

/* ---- date-invalid ---- */

Test(revision, date_invalid_impossible_date)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add_flagged(d, QMS_META_APPROVAL_DATE, QMS_META_SRC_CONTROL_BLOCK, "2025-02-30",
                   QMS_META_UNPARSED, 13);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "approval date '2025-02-30' in control block is not a valid date");
    cr_assert_eq(h.findings[0].line, 13);
}

Test(revision, date_invalid_placeholder_in_optional_field_and_history)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add_flagged(d, QMS_META_REVIEW_DATE, QMS_META_SRC_FRONT_MATTER, "YYYY-MM-DD", QMS_META_PLACEHOLDER, 9);
    d->hist[1].date.flags = QMS_META_PLACEHOLDER;
    d->hist[1].date.raw = "[DATE]";
    d->hist[1].date.value = "";
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 2);
    cr_assert_str_eq(h.findings[0].message, "review date is a placeholder: 'YYYY-MM-DD' in front matter");
    cr_assert_str_eq(h.findings[1].message,
                     "date is a placeholder: '[DATE]' in revision history row 'B'");
}

Test(revision, date_invalid_ambiguous_date_asks_for_an_order)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add_flagged(d, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_HEADER, "03/04/2025", QMS_META_AMBIGUOUS, 1);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert(strstr(h.findings[0].message, "effective date '03/04/2025' in header is ambiguous"), "%s",
              h.findings[0].message);
}

Test(revision, date_invalid_effective_before_approval)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_APPROVAL_DATE, QMS_META_SRC_FRONT_MATTER, "2025-06-20", NULL, 9);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "effective date 2025-06-01 (front matter) is before the "
                                            "approval date 2025-06-20 (front matter)");
    cr_assert_eq(h.findings[0].line, 6);
}

Test(revision, date_invalid_future_beyond_tolerance)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_APPROVAL_DATE, QMS_META_SRC_FRONT_MATTER, "2025-05-20", NULL, 9);
    d->vals[QMS_META_EFFECTIVE_DATE][0].date = rv_days("2026-03-01"); /* 45 days ahead: tolerated */
    rv_run(&h, &d->doc);
    expect_none();
    d->vals[QMS_META_EFFECTIVE_DATE][0].date = rv_days("2027-01-15");
    d->vals[QMS_META_EFFECTIVE_DATE][0].value = "2027-01-15";
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message,
                     "effective date 2027-01-15 in front matter is 365 days in the future (tolerance 60)");
    h.n_findings = 0;
    h.rule_opts = rv_yaml("revision/date-invalid: {future_tolerance_days: 400}\n");
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, date_invalid_bad_tolerance_option)
{
    void *state = NULL;
    h.rule_opts = rv_yaml("revision/date-invalid:\n  future_tolerance_days: soon\n");
    cr_assert_lt(rv_init(&h, &state), 0);
    cr_assert(strstr(h.error, "options.yml:2:26: future_tolerance_days must be a whole number"), "%s",
              h.error);
}

/* ---- review-overdue ---- */

Test(revision, review_overdue_after_default_24_months)
{
    struct rv_doc *d = rv_clean_doc();
    h.today = rv_days("2027-06-02");
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/review-overdue"), 1);
    cr_assert_str_eq(rv_first(&h, "revision/review-overdue")->message,
                     "last reviewed 2025-06-01 (effective date in front matter): the review period of "
                     "24 months ended 2027-06-01");
    h.n_findings = 0;
    h.today = rv_days("2027-06-01");
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/review-overdue"), 0);
}

Test(revision, review_overdue_period_option)
{
    struct rv_doc *d = rv_clean_doc();
    h.rule_opts = rv_yaml("revision/review-overdue: {review_period_months: 6}\n");
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/review-overdue"), 1);
    cr_assert(strstr(rv_first(&h, "revision/review-overdue")->message, "6 months ended 2025-12-01"));
}

Test(revision, review_overdue_due_date_in_the_past)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_REVIEW_DATE, QMS_META_SRC_FRONT_MATTER, "2025-12-31", NULL, 9);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "review was due on 2025-12-31 (front matter), 15 days ago");
    cr_assert_eq(h.findings[0].line, 9);
}

Test(revision, review_overdue_future_due_date_wins_over_period)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_REVIEW_DATE, QMS_META_SRC_FRONT_MATTER, "2028-01-01", NULL, 9);
    h.today = rv_days("2027-12-01");
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, review_overdue_skips_obsolete_documents)
{
    struct rv_doc *d = rv_clean_doc();
    d->vals[QMS_META_STATUS][0].value = "obsolete";
    h.today = rv_days("2030-01-01");
    rv_run(&h, &d->doc);
    expect_none();
}

/* ---- self-approved ---- */

Test(revision, self_approved_same_person)
{
    struct rv_doc *d = rv_clean_doc();
    d->vals[QMS_META_APPROVER][0].value = "J. Smith; Jane Director";
    d->vals[QMS_META_OWNER][0].value = "jane  director";
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "approver 'J. Smith; Jane Director' (front matter) is also "
                                            "the author/owner 'jane  director' (front matter)");
}

Test(revision, self_approved_different_people_pass)
{
    rv_run(&h, &rv_clean_doc()->doc);
    cr_assert_eq(rv_count(&h, "revision/self-approved"), 0);
}

/* ---- unreleased-changes ---- */

Test(revision, unreleased_changes_in_approved_document)
{
    struct rv_doc *d = rv_clean_doc();
    rv_review(d, QMS_REVIEW_INSERTION, "word/document.xml", 12, "4 Procedure");
    rv_review(d, QMS_REVIEW_INSERTION, "word/document.xml", 14, "4 Procedure");
    rv_review(d, QMS_REVIEW_DELETION, "word/document.xml", 15, "4 Procedure");
    rv_review(d, QMS_REVIEW_COMMENT, "word/comments.xml", 1, NULL);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message,
                     "document is 'approved' (front matter) but still has 2 tracked insertions, 1 "
                     "tracked deletion, 1 comment; first in word/document.xml paragraph 12 (section "
                     "'4 Procedure')");
    cr_assert_eq(h.findings[0].block, 12);
}

Test(revision, unreleased_changes_in_draft_are_fine)
{
    struct rv_doc *d = rv_clean_doc();
    d->vals[QMS_META_STATUS][0].value = "draft";
    rv_review(d, QMS_REVIEW_COMMENT, "word/comments.xml", 1, NULL);
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, unreleased_changes_format_changes_only_when_configured)
{
    struct rv_doc *d = rv_clean_doc();
    rv_review(d, QMS_REVIEW_FORMAT_CHANGE, "word/document.xml", 3, NULL);
    rv_run(&h, &d->doc);
    expect_none();
    h.rule_opts = rv_yaml("revision/unreleased-changes: {format_changes: true}\n");
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert(strstr(h.findings[0].message, "1 tracked format change;"), "%s", h.findings[0].message);
}

/* ---- draft-status ---- */

Test(revision, draft_status_only_in_release_mode)
{
    struct rv_doc *d = rv_clean_doc();
    d->vals[QMS_META_STATUS][0].raw = "In Review";
    d->vals[QMS_META_STATUS][0].value = "in-review";
    rv_run(&h, &d->doc);
    expect_none();
    h.release = 1;
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message,
                     "document status is 'in-review' ('In Review' in front matter): not releasable");
    cr_assert_eq(h.findings[0].line, 5);
}

Test(revision, draft_status_approved_passes_release)
{
    h.release = 1;
    rv_run(&h, &rv_clean_doc()->doc);
    expect_none();
}

Test(revision, draft_status_bad_status_option)
{
    void *state = NULL;
    h.rule_opts = rv_yaml("revision/draft-status:\n  statuses: [draft, pending]\n");
    cr_assert_lt(rv_init(&h, &state), 0);
    cr_assert(strstr(h.error, "options.yml:2:21: statuses: unknown status 'pending'"), "%s", h.error);
}

/* ---- id-format ---- */

Test(revision, id_format_unparsed_id_fails_metadata_pattern)
{
    struct rv_doc *d = rv_clean_doc();
    rv_add_flagged(d, QMS_META_ID, QMS_META_SRC_CUSTOM_PROPERTY, "purchasing-proc", QMS_META_UNPARSED, 0);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "document ID 'purchasing-proc' (custom property) does not "
                                            "match the document ID pattern (metadata.id_pattern)");
    cr_assert_str_eq(h.findings[0].key, "purchasing-proc");
}

Test(revision, id_format_configured_pattern)
{
    struct rv_doc *d = rv_clean_doc();
    h.rule_opts = rv_yaml("revision/id-format:\n  pattern: 'QMS-[0-9]{3}'\n");
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1, "one finding per distinct ID");
    cr_assert_str_eq(h.findings[0].message,
                     "document ID 'QP-007' (front matter) does not match the pattern 'QMS-[0-9]{3}'");
    h.n_findings = 0;
    h.rule_opts = rv_yaml("revision/id-format:\n  pattern: '[A-Z]{2}-[0-9]{3}'\n");
    rv_run(&h, &d->doc);
    expect_none();
}

Test(revision, id_format_bad_pattern_is_refused)
{
    void *state = NULL;
    h.rule_opts = rv_yaml("revision/id-format:\n  pattern: 'QP-(['\n");
    cr_assert_lt(rv_init(&h, &state), 0);
    cr_assert(strstr(h.error, "options.yml:2:12: bad pattern 'QP-(['"), "%s", h.error);
}

/* ---- hostile values ---- */

Test(revision, long_values_are_cut_in_messages)
{
    static char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[1] = (char)0xC3; /* a stray UTF-8 lead byte and a control character */
    big[2] = '\n';
    struct rv_doc *d = rv_clean_doc();
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_HEADER, big, NULL, 1);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_FOOTER, big + 100, NULL, 1);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_lt(strlen(h.findings[0].message), 400);
    cr_assert_null(strchr(h.findings[0].message, '\n'));
}

Test(revision, history_order_newest_first_with_duplicate_reports_only_the_duplicate)
{
    const char *revs[] = {"3", "2", "2", "1"};
    const char *dates[] = {"2025-06-01", "2024-01-01", "2024-01-01", "2023-01-01"};
    rv_run(&h, &history_doc(revs, dates, 4)->doc);
    cr_assert_eq(rv_count(&h, "revision/history-order"), 1);
    cr_assert_str_eq(rv_first(&h, "revision/history-order")->message,
                     "revision history lists revision '2' twice");
}

Test(revision, review_overdue_from_revision_history_row)
{
    struct rv_doc *d = rv_clean_doc();
    d->meta.fields[QMS_META_EFFECTIVE_DATE].n = 0;
    h.off_rule = "revision/missing-field";
    h.today = rv_days("2028-01-01");
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "last reviewed 2025-06-01 (revision history row 'C'): the "
                                            "review period of 24 months ended 2027-06-01");
    cr_assert_eq(h.findings[0].line, 22);
}

Test(revision, date_invalid_row_without_revision_is_named_by_number)
{
    struct rv_doc *d = rv_clean_doc();
    d->hist[1].date.flags = QMS_META_UNPARSED;
    d->hist[1].date.raw = d->hist[1].date.value = "31.02.2024";
    d->hist[1].revision.raw = "";
    rv_run(&h, &d->doc);
    cr_assert_eq(rv_count(&h, "revision/date-invalid"), 1);
    cr_assert_str_eq(rv_first(&h, "revision/date-invalid")->message,
                     "date '31.02.2024' in revision history row 2 is not a valid date");
}

Test(revision, missing_field_external_document_needs_id_and_title_only)
{
    struct rv_doc *d = rv_doc_new("EXT-009.md");
    rv_add(d, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "EXT-009", NULL, 2);
    rv_add(d, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "EXT", "external", 0);
    rv_run(&h, &d->doc);
    cr_assert_eq(h.n_findings, 1);
    cr_assert_str_eq(h.findings[0].message, "required field 'title' is missing (required for an external)");
}
