/* The CI formats of `check` (issue 9): SARIF 2.1.0 validated against the published schema,
 * JUnit XML well-formed with the structure Jenkins and GitLab read, GitLab Code Quality with
 * its required fields. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gates.h"

/* Markdown and DOCX findings, each suppression form, a waiver and a baseline: every shape of
 * result the SARIF emitter writes. */
static const char *gates_inputs(void)
{
    return e2e_fixture("gates");
}

static struct jv *sarif_of(const char *dir, const char *const *extra, struct run *out)
{
    const char *argv[32] = {"check", "--format", "sarif"};
    size_t n = 3;
    for (size_t i = 0; extra && extra[i]; i++)
        argv[n++] = extra[i];
    argv[n++] = dir;
    argv[n] = NULL;
    struct run r = e2e_run(NULL, argv);
    cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
    if (out)
        *out = r;
    return gates_json(r.out);
}

static const struct jv *find_result(const struct jv *results, const char *uri, const char *rule)
{
    for (size_t i = 0; i < results->n; i++) {
        const struct jv *res = &results->items[i];
        const struct jv *u = jv_at(res, "locations.0.physicalLocation.artifactLocation.uri");
        if (u && strcmp(u->string, uri) == 0 && strcmp(jv_get(res, "ruleId")->string, rule) == 0)
            return res;
    }
    return NULL;
}

Test(sarif, validates_against_the_sarif_2_1_0_schema)
{
    char *schema = qms_test_shared("schemas/sarif-2.1.0.json");
    if (!schema)
        cr_skip("../shared is absent: no SARIF schema to validate against");
    gates_need("python3");
    if (gates_sh("python3 -c 'import jsonschema' 2>/dev/null") != 0)
        cr_skip("python3-jsonschema is not installed (scripts/setup.sh installs it)");
    char *dir = gates_set("waivers.yml",
                          "waivers:\n  - rule: structure/placeholder-text\n"
                          "    document: \"*plain-guide.docx\"\n"
                          "    justification: Template kept as issued\n"
                          "    approver: QA\n",
                          "baseline.json",
                          "{\"version\": 1, \"findings\": [{\"fingerprint\": "
                          "\"00000000000000000000000000000000\"}]}\n",
                          NULL);
    char *out = e2e_path(dir, "out.sarif");
    char *waivers = e2e_path(dir, "waivers.yml");
    char *baseline = e2e_path(dir, "baseline.json");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "sarif", "--output", out, "--waivers",
                                      waivers, "--baseline", baseline, gates_inputs()));
    cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
    /* the run really has suppressions, a waiver and a baseline state to validate */
    char *text = qms_test_read(out, NULL);
    cr_assert(text && strstr(text, "\"inSource\"") && strstr(text, "\"external\"") &&
              strstr(text, "\"baselineState\""), "%s", text);
    int st = gates_sh("python3 - '%s' '%s' <<'PY'\n"
                      "import json, sys, jsonschema\n"
                      "schema = json.load(open(sys.argv[1]))\n"
                      "doc = json.load(open(sys.argv[2]))\n"
                      "cls = jsonschema.validators.validator_for(schema)\n"
                      "errors = list(cls(schema).iter_errors(doc))\n"
                      "for e in errors[:5]: print(e.message, list(e.path), file=sys.stderr)\n"
                      "sys.exit(1 if errors else 0)\n"
                      "PY",
                      schema, out);
    cr_assert_eq(st, 0, "SARIF output does not validate against the 2.1.0 schema");
}

Test(sarif, driver_lists_every_loaded_rule_with_its_iso_clause)
{
    struct jv *root = sarif_of(gates_inputs(), NULL, NULL);
    cr_assert_str_eq(jv_get(root, "version")->string, "2.1.0");
    const struct jv *driver = jv_at(root, "runs.0.tool.driver");
    cr_assert_str_eq(jv_get(driver, "name")->string, "qmslint");
    cr_assert(jv_get(driver, "informationUri") && jv_get(driver, "version"));
    const struct jv *rules = jv_get(driver, "rules");
    struct run listing = e2e_run(NULL, ARGV("rules", "--format", "json"));
    struct jv *list = gates_json(listing.out);
    const struct jv *listed = list->type == JV_ARRAY ? list : jv_get(list, "rules");
    cr_assert(listed && listed->type == JV_ARRAY, "%s", listing.out);
    cr_assert_eq(rules->n, listed->n, "every loaded rule, no more: %zu vs %zu", rules->n, listed->n);
    int saw_clause = 0;
    for (size_t i = 0; i < rules->n; i++) {
        const struct jv *rule = &rules->items[i];
        cr_assert(jv_at(rule, "shortDescription.text") && jv_at(rule, "fullDescription.text") &&
                  jv_at(rule, "help.text") && jv_at(rule, "defaultConfiguration.level"));
        cr_assert(jv_at(rule, "properties") && jv_get(jv_get(rule, "properties"), "iso9001Clause"));
        if (strcmp(jv_get(rule, "id")->string, "structure/placeholder-text") == 0) {
            cr_assert_str_eq(jv_at(rule, "properties.iso9001Clause")->string, "7.5.2");
            saw_clause = 1;
        }
    }
    cr_assert(saw_clause);
    /* ruleIndex points at the rule with that id */
    const struct jv *results = jv_at(root, "runs.0.results");
    cr_assert(results->n > 0);
    for (size_t i = 0; i < results->n; i++) {
        const struct jv *res = &results->items[i];
        size_t idx = (size_t)jv_get(res, "ruleIndex")->number;
        cr_assert_lt(idx, rules->n);
        cr_assert_str_eq(jv_get(&rules->items[idx], "id")->string, jv_get(res, "ruleId")->string);
    }
}

Test(sarif, markdown_results_have_a_relative_uri_line_and_column)
{
    struct jv *root = sarif_of(gates_inputs(), NULL, NULL);
    const struct jv *res =
        find_result(jv_at(root, "runs.0.results"), "inline/ranges.md", "structure/placeholder-text");
    cr_assert(res, "no placeholder result for inline/ranges.md");
    const struct jv *loc = jv_at(res, "locations.0.physicalLocation");
    cr_assert_str_eq(jv_at(loc, "artifactLocation.uriBaseId")->string, "SRCROOT");
    cr_assert_eq(jv_at(loc, "region.startLine")->number, 3);
    cr_assert_eq(jv_at(loc, "region.startColumn")->number, 1);
    cr_assert_str_eq(jv_get(res, "level")->string, "warning");
    cr_assert(jv_at(res, "message.text"));
    const struct jv *base = jv_at(root, "runs.0.originalUriBaseIds.SRCROOT.uri");
    cr_assert(base && strncmp(base->string, "file:///", 8) == 0 &&
              base->string[strlen(base->string) - 1] == '/', "%s", base ? base->string : "none");
}

Test(sarif, docx_results_name_the_section_part_and_paragraph)
{
    struct jv *root = sarif_of(gates_inputs(), NULL, NULL);
    const struct jv *res = find_result(jv_at(root, "runs.0.results"), "docx/plain-guide.docx",
                                       "structure/placeholder-text");
    cr_assert(res);
    const struct jv *loc = jv_at(res, "locations.0");
    cr_assert_str_eq(jv_at(loc, "logicalLocations.0.name")->string, "1.1 Contacts");
    cr_assert_str_eq(jv_at(loc, "properties.part")->string, "word/document.xml");
    cr_assert_eq(jv_at(loc, "properties.paragraph")->number, 4);
    /* code scanning insists on a line: line 1, documented in docs/ci.md */
    cr_assert_eq(jv_at(loc, "physicalLocation.region.startLine")->number, 1);
}

Test(sarif, inline_suppressions_are_results_with_an_in_source_suppression)
{
    struct jv *root = sarif_of(gates_inputs(), NULL, NULL);
    const struct jv *res = find_result(jv_at(root, "runs.0.results"), "inline/front-matter.md",
                                       "structure/placeholder-text");
    cr_assert(res, "a suppressed finding is not lost");
    cr_assert_str_eq(jv_at(res, "suppressions.0.kind")->string, "inSource");
    cr_assert(strstr(jv_at(res, "suppressions.0.justification")->string, "qmslint-disable"));
    cr_assert_null(jv_get(res, "baselineState"), "no baseline given");
}

Test(sarif, fingerprints_survive_unrelated_edits)
{
    char *dir = gates_set("guide.md", "# Guide\n\nContact: TBD\n", NULL);
    struct jv *before = sarif_of(dir, NULL, NULL);
    const char *edited = "# Guide\n\nIntro.\n\nMore intro.\n\nContact: TBD\n";
    e2e_write(dir, "guide.md", edited, strlen(edited));
    struct jv *after = sarif_of(dir, NULL, NULL);
    const struct jv *a = jv_at(before, "runs.0.results.0");
    const struct jv *b = jv_at(after, "runs.0.results.0");
    cr_assert(a && b);
    cr_assert_neq(jv_at(a, "locations.0.physicalLocation.region.startLine")->number,
                  jv_at(b, "locations.0.physicalLocation.region.startLine")->number);
    const struct jv *fa = jv_get(jv_get(a, "partialFingerprints"), "qmslint/v1");
    const struct jv *fb = jv_get(jv_get(b, "partialFingerprints"), "qmslint/v1");
    cr_assert(fa && fb);
    cr_assert_eq(strlen(fa->string), 32);
    cr_assert_str_eq(fa->string, fb->string);
}

Test(junit, is_well_formed_xml_with_a_suite_per_plugin)
{
    char *dir = qms_test_tmpdir();
    char *out = e2e_path(dir, "junit.xml");
    struct run r = e2e_run(NULL, ARGV("check", "--fail-on", "warning", "--format", "junit",
                                      "--output", out, gates_inputs()));
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    char why[512] = "";
    cr_assert(gates_xml_file_ok(out, why, sizeof why), "junit.xml is not well-formed: %s", why);
    char *xml = qms_test_read(out, NULL);
    cr_assert_eq(e2e_count(xml, "<testsuites "), 1);
    /* --only-plugin structure: the core rules and the structure plugin */
    cr_assert_eq(e2e_count(xml, "<testsuite "), 2, "%s", xml);
    cr_assert(strstr(xml, "<testsuite name=\"structure\""));
    cr_assert(strstr(xml, "<testcase classname=\"inline/ranges.md\" name=\"structure/placeholder-text\""),
              "%s", xml);
    cr_assert(strstr(xml, "<failure type=\"warning\" message=\"2 findings\">"), "%s", xml);
    cr_assert(strstr(xml, "inline/ranges.md:14:1: warning: placeholder"), "%s", xml);
    /* a passing (document, rule) is a testcase too */
    cr_assert(strstr(xml, "name=\"structure/heading-skip\" file=\"inline/ranges.md\"/>"), "%s", xml);
}

Test(junit, findings_below_fail_on_are_output_not_failures)
{
    struct run r = e2e_run(NULL, ARGV("check", "--format", "junit", gates_inputs()));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "<failure"), "warnings do not fail at --fail-on error");
    cr_assert(strstr(r.out, "<system-out>"));
    cr_assert(strstr(r.out, "failures=\"0\""));
}

Test(junit, hostile_text_stays_well_formed)
{
    char *dir = gates_set("a&<b>.md", "# <Guide> & \"co\"\n\nContact: TBD \x01 ]]> \xff\n", NULL);
    char *out = e2e_path(dir, "j.xml");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "junit", "--output", out, dir));
    cr_assert(r.status == 0 || r.status == 1, "%s", r.err);
    char why[512] = "";
    cr_assert(gates_xml_file_ok(out, why, sizeof why), "%s: %s", why, qms_test_read(out, NULL));
    /* and with the XML tool CI images have, when it is installed */
    if (gates_sh("command -v xmllint >/dev/null 2>&1") == 0)
        cr_assert_eq(gates_sh("xmllint --noout '%s'", out), 0);
}

Test(gitlab, code_quality_issues_have_the_required_fields)
{
    struct run r = e2e_run(NULL, ARGV("check", "--format", "gitlab", gates_inputs()));
    cr_assert_eq(r.status, 0, "%s", r.err);
    struct jv *root = gates_json(r.out);
    cr_assert_eq(root->type, JV_ARRAY);
    cr_assert(root->n >= 4, "%zu issues", root->n);
    static const char *const severities[] = {"info", "minor", "major", "critical", "blocker"};
    for (size_t i = 0; i < root->n; i++) {
        const struct jv *it = &root->items[i];
        cr_assert(jv_get(it, "description") && jv_get(it, "check_name"));
        cr_assert_eq(jv_get(it, "location")->type, JV_OBJECT);
        cr_assert(jv_at(it, "location.path")->string[0]);
        const struct jv *begin = jv_at(it, "location.lines.begin");
        cr_assert(begin && begin->is_integer && begin->number >= 1);
        int ok = 0;
        for (size_t k = 0; k < 5; k++)
            ok |= strcmp(jv_get(it, "severity")->string, severities[k]) == 0;
        cr_assert(ok, "severity %s", jv_get(it, "severity")->string);
        for (size_t k = 0; k < i; k++)
            cr_assert_str_neq(jv_get(&root->items[k], "fingerprint")->string,
                              jv_get(it, "fingerprint")->string, "fingerprints are unique");
    }
    /* suppressed findings are not issues */
    cr_assert_null(strstr(r.out, "front-matter.md"));
    cr_assert(strstr(r.out, "\"severity\": \"minor\""), "warning -> minor");
}

Test(ci_formats, are_identical_for_any_number_of_jobs)
{
    static const char *const formats[] = {"sarif", "junit", "gitlab"};
    for (size_t i = 0; i < 3; i++) {
        struct run one = e2e_run(NULL, ARGV("check", "--jobs=1", "--format", formats[i],
                                            gates_inputs()));
        struct run many = e2e_run(NULL, ARGV("check", "--jobs=8", "--format", formats[i],
                                             gates_inputs()));
        cr_assert_eq(one.status, many.status);
        cr_assert_str_eq(one.out, many.out, "%s differs between --jobs 1 and 8", formats[i]);
    }
}
