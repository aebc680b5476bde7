/* `qmslint report`: the gap report of the sets in fixtures/report/ and fixtures/sample-qms,
 * in every format. Runs with the iso9001 plugin only, so other plugins' work in progress does
 * not change what these tests see. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static struct run report(const char *set, const char *format)
{
    char *dir = e2e_fixture(set);
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--format",
                                          format, dir));
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    return r;
}

static struct jv *report_json(const char *set)
{
    struct run r = report(set, "json");
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert_not_null(root, "invalid JSON (%s):\n%s", why, r.out);
    return root;
}

/* The requirement with that id in a report's JSON. */
static const struct jv *requirement(const struct jv *root, const char *id)
{
    const struct jv *reqs = jv_get(root, "requirements");
    cr_assert(reqs && reqs->type == JV_ARRAY);
    for (size_t i = 0; i < reqs->n; i++) {
        const struct jv *rid = jv_get(&reqs->items[i], "id");
        if (rid && rid->type == JV_STRING && strcmp(rid->string, id) == 0)
            return &reqs->items[i];
    }
    cr_assert_fail("no requirement %s", id);
    return NULL;
}

static const char *str_at(const struct jv *root, const char *path)
{
    const struct jv *v = jv_at(root, path);
    cr_assert(v && v->type == JV_STRING, "%s is not a string", path);
    return v->string;
}

static double num_at(const struct jv *root, const char *path)
{
    const struct jv *v = jv_at(root, path);
    cr_assert(v && v->type == JV_NUMBER, "%s is not a number", path);
    return v->number;
}

Test(report, fully_covered_set_has_every_requirement_covered)
{
    struct jv *root = report_json("report/covered");
    double n = num_at(root, "summary.requirements");
    cr_assert_gt(n, 20);
    cr_assert_eq(num_at(root, "summary.covered"), n);
    cr_assert_eq(num_at(root, "summary.missing"), 0);
    cr_assert_eq(num_at(root, "summary.weak"), 0);
    const struct jv *policy = requirement(root, "quality-policy");
    cr_assert_str_eq(str_at(policy, "status"), "covered");
    cr_assert_str_eq(str_at(policy, "covered_by"), "QM-100_Quality_Manual.md");
    cr_assert_str_eq(str_at(policy, "evidence.0.document_id"), "QM-100");
}

Test(report, missing_quality_policy_is_missing_with_no_evidence)
{
    struct jv *root = report_json("report/no-policy");
    const struct jv *policy = requirement(root, "quality-policy");
    cr_assert_str_eq(str_at(policy, "status"), "missing");
    cr_assert_str_eq(str_at(policy, "clause"), "5.2.2");
    const struct jv *ev = jv_get(policy, "evidence");
    cr_assert(ev && ev->type == JV_ARRAY && ev->n == 0, "quality policy has evidence");
    cr_assert_str_eq(str_at(requirement(root, "qms-scope"), "status"), "covered");
}

Test(report, html_matrix_says_quality_policy_missing_without_evidence)
{
    struct run r = report("report/no-policy", "html");
    const char *row = strstr(r.out, "<tr class=\"req\" id=\"req-quality-policy\"");
    cr_assert_not_null(row, "no quality-policy row:\n%s", r.out);
    const char *end = strstr(row, "</tr>");
    cr_assert_not_null(end);
    char *tr = strndup(row, (size_t)(end - row));
    cr_assert(strstr(tr, "data-status=\"missing\""), "%s", tr);
    cr_assert(strstr(tr, "class=\"badge s-missing\""), "%s", tr);
    cr_assert(strstr(tr, " missing</span>"), "status word missing: %s", tr);
    cr_assert(strstr(tr, "no evidence found in the set"), "%s", tr);
    cr_assert_null(strstr(tr, "<a href"), "a missing requirement links evidence: %s", tr);
}

Test(report, excluded_design_with_justification_is_not_applicable)
{
    struct jv *root = report_json("report/excluded-design");
    static const char *const design[] = {"design-inputs", "design-controls", "design-outputs",
                                         "design-changes"};
    for (size_t i = 0; i < 4; i++) {
        const struct jv *req = requirement(root, design[i]);
        cr_assert_str_eq(str_at(req, "status"), "not-applicable", "%s", design[i]);
        cr_assert_eq(jv_get(req, "exclusion_unjustified")->boolean, 0);
        const struct jv *ev = jv_get(req, "evidence");
        int justified = 0;
        for (size_t e = 0; ev && e < ev->n; e++) {
            const struct jv *kind = jv_get(&ev->items[e], "kind");
            const struct jv *j = jv_get(&ev->items[e], "justified");
            if (kind && strcmp(kind->string, "exclusion") == 0 && j && j->boolean)
                justified = 1;
        }
        cr_assert(justified, "%s: no justified exclusion evidence", design[i]);
    }
    cr_assert_eq(num_at(root, "summary.not_applicable"), 4);
}

Test(report, excluded_design_html_shows_not_applicable_badge)
{
    struct run r = report("report/excluded-design", "html");
    cr_assert(strstr(r.out, "id=\"req-design-inputs\" data-status=\"not-applicable\""));
    cr_assert(strstr(r.out, "(justified)"));
}

Test(report, exclusion_without_justification_is_a_gap)
{
    struct jv *root = report_json("report/excluded-unjustified");
    const struct jv *req = requirement(root, "design-inputs");
    cr_assert_str_eq(str_at(req, "status"), "missing");
    cr_assert_eq(jv_get(req, "exclusion_unjustified")->boolean, 1);
    cr_assert_str_eq(str_at(req, "evidence.0.kind"), "exclusion");
    cr_assert_eq(jv_at(req, "evidence.0.justified")->boolean, 0);
    struct run html = report("report/excluded-unjustified", "html");
    cr_assert(strstr(html.out, "id=\"req-design-inputs\" data-status=\"missing\""));
    cr_assert(strstr(html.out, "excluded without a justification"));
}

Test(report, document_strings_are_escaped_in_html)
{
    char *dir = e2e_fixture("report/escaping");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--only-plugin",
                                          "structure", "--format", "html", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "<script"), "unescaped <script> in the report");
    cr_assert_null(strstr(r.out, "<img"), "unescaped <img> in the report");
    cr_assert_null(strstr(r.out, "<b>bold"), "unescaped <b> in the report");
    cr_assert(strstr(r.out, "&lt;script&gt;alert(1)&lt;/script&gt;"),
              "the title is not shown as text");
}

Test(report, document_strings_are_escaped_in_markdown)
{
    struct run r = report("report/escaping", "md");
    cr_assert_null(strstr(r.out, "<script"), "%s", r.out);
    cr_assert(strstr(r.out, "&lt;script&gt;"), "%s", r.out);
}

Test(report, sarif_has_pass_fail_and_not_applicable_results_with_evidence)
{
    struct run r = report("report/excluded-design", "sarif");
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert_not_null(root, "%s", why);
    cr_assert_str_eq(str_at(root, "version"), "2.1.0");
    const struct jv *results = jv_at(root, "runs.0.results");
    cr_assert(results && results->type == JV_ARRAY && results->n > 20);
    int pass = 0, fail = 0, na = 0;
    for (size_t i = 0; i < results->n; i++) {
        const struct jv *res = &results->items[i];
        const char *kind = str_at(res, "kind"), *rule = str_at(res, "ruleId");
        const char *level = str_at(res, "level");
        if (strcmp(kind, "pass") == 0) {
            pass++;
            cr_assert_str_eq(level, "none");
            cr_assert(jv_get(res, "locations"), "a pass without evidence: %s", rule);
        } else if (strcmp(kind, "fail") == 0) {
            fail++;
            cr_assert(strcmp(level, "error") == 0 || strcmp(level, "warning") == 0);
        } else if (strcmp(kind, "notApplicable") == 0) {
            na++;
            cr_assert_str_eq(level, "none");
        }
        if (strcmp(rule, "iso9001-coverage/quality-policy") == 0) {
            cr_assert_str_eq(kind, "pass");
            cr_assert_str_eq(str_at(res, "locations.0.physicalLocation.artifactLocation.uri"),
                             "QM-300_Quality_Manual.md");
        }
        if (strcmp(rule, "iso9001-coverage/design-inputs") == 0)
            cr_assert_str_eq(kind, "notApplicable");
    }
    cr_assert(pass > 0 && fail > 0 && na == 4, "pass %d fail %d notApplicable %d", pass, fail, na);
}

Test(report, csv_has_one_row_per_requirement)
{
    struct run r = report("report/covered", "csv");
    struct jv *root = report_json("report/covered");
    size_t lines = e2e_count(r.out, "\r\n");
    cr_assert_eq(lines, (size_t)num_at(root, "summary.requirements") + 1, "%s", r.out);
    cr_assert(strncmp(r.out, "Clause,Requirement,Name,Kind,Status", 35) == 0);
    cr_assert(strstr(r.out, "\"5.2.2\",\"quality-policy\",\"quality policy\",\"maintain\","
                            "\"covered\""),
              "%s", r.out);
}

Test(report, sample_set_html_has_every_section_and_the_register)
{
    struct run r = report("sample-qms", "html");
    static const char *const sections[] = {"id=\"summary\"", "id=\"chart\"", "id=\"matrix\"",
                                           "id=\"register\"", "id=\"findings\"", "<svg"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        cr_assert(strstr(r.out, sections[i]), "no %s", sections[i]);
    /* the DOCX and the ODT of the sample set are in the register */
    cr_assert(strstr(r.out, "QP-8.4-01_External_Providers.docx"));
    cr_assert(strstr(r.out, "WI-7.1-01_Calibration.odt"));
    /* self-contained: nothing fetched from elsewhere */
    cr_assert_null(strstr(r.out, "<script"));
    cr_assert_null(strstr(r.out, "<link"));
    cr_assert_null(strstr(r.out, "src="));
    cr_assert_null(strstr(r.out, "url("));
}

Test(report, output_file_links_documents_relative_to_it)
{
    char *tmp = qms_test_tmpdir();
    char *out = e2e_path(tmp, "out/gap.html");
    cr_assert_eq(mkdir(e2e_path(tmp, "out"), 0700), 0);
    char *dir = e2e_fixture("report/covered");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", dir, "-o", out));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    char *html = qms_test_read(out, NULL);
    cr_assert_not_null(html);
    cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0, "-o without --format is html");
    /* href="../../.../report/covered/QM-100_Quality_Manual.md": resolves from out/ */
    const char *href = strstr(html, "href=\"");
    cr_assert_not_null(href);
    href += 6;
    const char *q = strchr(href, '"');
    char *rel = strndup(href, (size_t)(q - href));
    cr_assert(strstr(rel, "QM-100_Quality_Manual.md"), "%s", rel);
    char *resolved = e2e_path(e2e_path(tmp, "out"), rel);
    struct stat st;
    cr_assert_eq(stat(resolved, &st), 0, "link %s does not resolve from the report", rel);
}

Test(report, rejects_a_format_it_does_not_write)
{
    char *dir = e2e_fixture("report/covered");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--format",
                                          "junit", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not a report format"), "%s", r.err);
}

Test(report, without_the_iso9001_plugin_says_coverage_is_unavailable)
{
    char *dir = e2e_fixture("report/covered");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "structure", "--format",
                                          "json", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"coverage_available\": false"), "%s", r.out);
    cr_assert(strstr(r.err, "no coverage: the iso9001 plugin is not loaded"), "%s", r.err);
}

Test(report, sarif_validates_against_the_sarif_2_1_0_schema)
{
    char *schema = qms_test_shared("schemas/sarif-2.1.0.json");
    if (!schema)
        cr_skip("../shared is absent: no SARIF schema to validate against");
    if (system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        cr_skip("python3-jsonschema is not installed (scripts/setup.sh installs it)");
    char *tmp = qms_test_tmpdir();
    char *out = e2e_path(tmp, "gap.sarif");
    char *dir = e2e_fixture("sample-qms");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", dir, "-o", out));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "python3 - '%s' '%s' <<'PY'\n"
             "import json, sys, jsonschema\n"
             "schema = json.load(open(sys.argv[1]))\n"
             "doc = json.load(open(sys.argv[2]))\n"
             "cls = jsonschema.validators.validator_for(schema)\n"
             "errors = list(cls(schema).iter_errors(doc))\n"
             "for e in errors[:5]: print(e.message, list(e.path), file=sys.stderr)\n"
             "sys.exit(1 if errors else 0)\n"
             "PY",
             schema, out);
    cr_assert_eq(system(cmd), 0, "the report's SARIF does not validate against the schema");
}

Test(report, same_bytes_for_any_number_of_jobs)
{
    char *dir = e2e_fixture("sample-qms");
    struct run one = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--only-plugin",
                                            "structure", "-j", "1", "--format", "html", dir));
    struct run two = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--only-plugin",
                                            "structure", "-j", "4", "--format", "html", dir));
    cr_assert_eq(one.status, 0, "%s", one.err);
    cr_assert_eq(two.status, 0, "%s", two.err);
    cr_assert_str_eq(one.out, two.out);
}
