/* The report and register emitters on hand-built results: escaping, ordering, statuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>

#include "report.h"

/* ---- building blocks ---- */

struct doc_fixture {
    struct qms_meta meta;
    struct qms_meta_value values[QMS_META_N_FIELDS];
};

static void set_field(struct doc_fixture *f, enum qms_meta_field field, const char *value)
{
    struct qms_meta_value *v = &f->values[field];
    memset(v, 0, sizeof *v);
    v->value = value;
    v->raw = value;
    v->source = QMS_META_SRC_FRONT_MATTER;
    f->meta.fields[field].items = v;
    f->meta.fields[field].n = 1;
}

static struct doc_fixture docs_meta[3];
static struct qms_doc_summary docs[3];
static struct qms_result result;
static struct iso_cov_evidence evidence[2];
static struct iso_coverage_item items[3];
static struct iso_coverage coverage;

static void build(const char *hostile)
{
    memset(docs_meta, 0, sizeof docs_meta);
    memset(docs, 0, sizeof docs);
    memset(&result, 0, sizeof result);
    /* sorted by path as the engine gives them; IDs in another order, one without an ID */
    docs[0].path = "a b\".md";
    set_field(&docs_meta[0], QMS_META_ID, "QP-002");
    set_field(&docs_meta[0], QMS_META_TITLE, hostile);
    docs[1].path = "m.md";
    docs[1].title = "No id here";
    docs[2].path = "z.md";
    set_field(&docs_meta[2], QMS_META_ID, "QM-001");
    set_field(&docs_meta[2], QMS_META_TITLE, "=HYPERLINK(\"http://x\")");
    set_field(&docs_meta[2], QMS_META_REVISION, "C");
    for (int i = 0; i < 3; i++)
        docs[i].meta = i == 1 ? NULL : &docs_meta[i].meta;
    result.docs = docs;
    result.n_docs = 3;

    memset(evidence, 0, sizeof evidence);
    evidence[0].path = "a b\".md";
    evidence[0].kind = ISO_EV_SHOWN_HEADING;
    evidence[0].line = 7;
    evidence[0].text = hostile;
    evidence[0].words = "quality policy";
    evidence[1].path = "z.md";
    evidence[1].kind = ISO_EV_EXCLUSION;
    evidence[1].clause = "8.3";
    evidence[1].text = "Clause 8.3 does not apply.";

    memset(items, 0, sizeof items);
    items[0].requirement = "quality-policy";
    items[0].clause = "5.2.2";
    items[0].name = "quality policy";
    items[0].status = ISO_COV_COVERED;
    items[0].declared = items[0].shown = 1;
    items[0].covered_by = "a b\".md";
    items[0].evidence = &evidence[0];
    items[0].n_evidence = 1;
    items[1].requirement = "design-inputs";
    items[1].clause = "8.3.3";
    items[1].name = "design inputs";
    items[1].retain = 1;
    items[1].status = ISO_COV_NOT_APPLICABLE;
    items[1].exclusion_unjustified = 1;
    items[1].evidence = &evidence[1];
    items[1].n_evidence = 1;
    items[2].requirement = "corrective-action-record";
    items[2].clause = "10.2.2";
    items[2].name = "corrective action";
    items[2].retain = 1;
    items[2].status = ISO_COV_MISSING;
    memset(&coverage, 0, sizeof coverage);
    coverage.standard = "ISO 9001:2015";
    coverage.items = items;
    coverage.n_items = 3;
}

typedef int (*report_fn)(FILE *, const struct qms_report *);

/* Every rendered buffer, freed after each test (LeakSanitizer runs in the ASan build). */
static char *rendered[8];
static size_t n_rendered;

static char *keep(char *buf)
{
    cr_assert_lt(n_rendered, sizeof rendered / sizeof rendered[0]);
    rendered[n_rendered++] = buf;
    return buf;
}

static void free_rendered(void)
{
    while (n_rendered)
        free(rendered[--n_rendered]);
}

TestSuite(report, .fini = free_rendered);

static char *render(report_fn fn, const char *hostile)
{
    build(hostile);
    struct qms_report rep;
    memset(&rep, 0, sizeof rep);
    rep.result = &result;
    rep.coverage = &coverage;
    rep.tool_version = "test";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(fn(f, &rep), 0);
    fclose(f);
    return keep(buf);
}

/* ---- tests ---- */

Test(report, html_escapes_a_script_title)
{
    char *html = render(qms_emit_report_html, "<script>alert(1)</script>");
    cr_assert_null(strstr(html, "<script"), "%s", html);
    cr_assert(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

Test(report, html_escapes_attribute_breaking_quotes)
{
    char *html = render(qms_emit_report_html, "\" onmouseover=\"alert(1)");
    cr_assert_null(strstr(html, "\" onmouseover"), "%s", html);
    cr_assert(strstr(html, "&quot; onmouseover=&quot;alert(1)"));
}

Test(report, html_percent_encodes_links)
{
    char *html = render(qms_emit_report_html, "t");
    cr_assert(strstr(html, "href=\"a%20b%22.md\""), "%s", html);
}

Test(report, html_shows_status_as_word_and_colour)
{
    char *html = render(qms_emit_report_html, "t");
    cr_assert(strstr(html, "<span class=\"badge s-covered\">&#10004; covered</span>"));
    cr_assert(strstr(html, "<span class=\"badge s-missing\">&#10008; missing</span>"));
}

Test(report, unjustified_exclusion_is_reported_as_missing)
{
    build("t");
    cr_assert_eq(qms_report_effective_status(&items[1]), ISO_COV_MISSING);
    items[1].exclusion_unjustified = 0;
    cr_assert_eq(qms_report_effective_status(&items[1]), ISO_COV_NOT_APPLICABLE);
    char *sarif = render(qms_emit_report_sarif, "t");
    cr_assert(strstr(sarif, "\"ruleId\": \"iso9001-coverage/design-inputs\", \"ruleIndex\": 1, "
                            "\"kind\": \"fail\", \"level\": \"error\""),
              "%s", sarif);
}

Test(report, sarif_covered_requirement_passes_with_its_evidence)
{
    char *sarif = render(qms_emit_report_sarif, "t");
    cr_assert(strstr(sarif, "\"ruleId\": \"iso9001-coverage/quality-policy\", \"ruleIndex\": 0, "
                            "\"kind\": \"pass\", \"level\": \"none\""),
              "%s", sarif);
    cr_assert(strstr(sarif, "\"uri\": \"a%20b%22.md\""), "%s", sarif);
    cr_assert(strstr(sarif, "\"region\": {\"startLine\": 7}"), "%s", sarif);
}

Test(report, csv_defuses_formula_cells)
{
    build("t");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(qms_emit_register(f, &result, "csv"), 0);
    fclose(f);
    keep(buf);
    cr_assert(strstr(buf, "\"'=HYPERLINK(\"\"http://x\"\")\""), "%s", buf);
}

Test(report, markdown_escapes_table_breaking_characters)
{
    char *md = render(qms_emit_report_md, "a | b <i>x</i> [l](http://e)");
    cr_assert(strstr(md, "a \\| b &lt;i&gt;x&lt;/i&gt; \\[l\\](http://e)"), "%s", md);
    cr_assert_null(strstr(md, "<i>"));
}

Test(report, register_sorts_by_id_and_puts_documents_without_one_last)
{
    build("t");
    struct qms_register_row *rows = qms_register_rows(&result);
    cr_assert_not_null(rows);
    cr_assert_str_eq(rows[0].id, "QM-001");
    cr_assert_str_eq(rows[1].id, "QP-002");
    cr_assert_str_eq(rows[2].id, "");
    cr_assert_str_eq(rows[2].path, "m.md");
    cr_assert_str_eq(rows[2].title, "No id here", "falls back to the document title");
    free(rows);
}

Test(report, register_rejects_an_unknown_format)
{
    build("t");
    cr_assert_eq(qms_emit_register(stdout, &result, "html"), QMS_EUSAGE);
}

Test(report, clause_groups_are_the_top_level_clauses_4_to_10)
{
    cr_assert_eq(qms_report_clause_group("4.3"), 4);
    cr_assert_eq(qms_report_clause_group("10.2.2"), 10);
    cr_assert_eq(qms_report_clause_group("9"), 9);
    cr_assert_eq(qms_report_clause_group("3.1"), 0);
    cr_assert_eq(qms_report_clause_group("11.1"), 0);
    cr_assert_eq(qms_report_clause_group("4x"), 0);
    cr_assert_eq(qms_report_clause_group(""), 0);
    cr_assert_eq(qms_report_clause_group(NULL), 0);
}

Test(report, json_summary_counts_effective_statuses)
{
    char *json = render(qms_emit_report_json, "t");
    cr_assert(strstr(json, "\"requirements\": 3, \"covered\": 1, \"weak\": 0, \"missing\": 2, "
                           "\"excluded\": 0, \"not_applicable\": 0"),
              "%s", json);
}

Test(report, invalid_utf8_stays_valid_in_html)
{
    char *html = render(qms_emit_report_html, "bad \xff\xfe byte");
    cr_assert(strstr(html, "bad &#xFFFD;&#xFFFD; byte"), "%s", html);
}

Test(report, html_locates_docx_evidence_by_part_and_paragraph)
{
    build("t");
    evidence[0].part = "word/document.xml";
    evidence[0].block = 12;
    evidence[0].line = 40; /* an XML line: meaningless to a person reading in Word */
    struct qms_report rep;
    memset(&rep, 0, sizeof rep);
    rep.result = &result;
    rep.coverage = &coverage;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(qms_emit_report_html(f, &rep), 0);
    fclose(f);
    keep(buf);
    cr_assert(strstr(buf, "word/document.xml paragraph 12"), "%s", buf);
    cr_assert_null(strstr(buf, "line 40"));
}
