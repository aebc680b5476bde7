/* The CI emitters on hand-built results: set-wide findings, DOCX locations, suppressed
 * findings and hostile strings, without running a check. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gates.h"

static char *capture(int (*fn)(FILE *, const struct qms_result *, const struct qms_emit_opts *),
                     const struct qms_result *r, const struct qms_emit_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(fn(f, r, o), 0);
    fclose(f);
    char *copy = strdup(buf);
    free(buf);
    return copy;
}

static struct qms_result sample(struct qms_finding *f)
{
    memset(f, 0, 3 * sizeof *f);
    f[0] = (struct qms_finding){.rule_id = "iso9001/missing-documented-information",
                                .severity = QMS_SEV_ERROR, .message = "no quality policy found",
                                .path = "", .plugin = "iso9001",
                                .fingerprint = "0123456789abcdef0123456789abcdef"};
    f[1] = (struct qms_finding){.rule_id = "xref/dangling", .severity = QMS_SEV_WARNING,
                                .message = "QP-019 \"<&>\" \x01 is not in the set",
                                .path = "Proc dures/QP 006 #1.docx", .part = "word/document.xml",
                                .block = 42, .section = "7 References", .key = "QP-019",
                                .plugin = "xref",
                                .fingerprint = "fedcba9876543210fedcba9876543210"};
    f[2] = f[1];
    f[2].suppressed = QMS_SUPPRESS_WAIVER;
    f[2].justification = "accepted by QA";
    f[2].block = 50;
    struct qms_result r;
    memset(&r, 0, sizeof r);
    r.findings = f;
    r.n_findings = 3;
    r.counts[QMS_SEV_ERROR] = 1;
    r.counts[QMS_SEV_WARNING] = 1;
    r.n_waived = 1;
    return r;
}

Test(ci_emitters, sarif_places_set_wide_findings_on_the_config_file)
{
    struct qms_finding f[3];
    struct qms_result r = sample(f);
    struct qms_emit_opts o = {.tool_version = "9.9.9", .set_uri = ".qmslint.yml",
                              .root = "/srv/qms set"};
    struct jv *root = gates_json(capture(qms_emit_sarif, &r, &o));
    const struct jv *res = jv_at(root, "runs.0.results");
    cr_assert_eq(res->n, 3, "suppressed findings stay, with their suppression");
    cr_assert_str_eq(jv_at(&res->items[0], "locations.0.physicalLocation.artifactLocation.uri")
                         ->string,
                     ".qmslint.yml");
    cr_assert_null(jv_at(&res->items[0], "locations.0.physicalLocation.region"));
    cr_assert_str_eq(jv_at(&res->items[0], "locations.0.logicalLocations.0.name")->string, "(set)");
    /* percent-encoded relative URI, DOCX properties */
    cr_assert_str_eq(jv_at(&res->items[1], "locations.0.physicalLocation.artifactLocation.uri")
                         ->string,
                     "Proc%20dures/QP%20006%20%231.docx");
    cr_assert_eq(jv_at(&res->items[1], "locations.0.properties.paragraph")->number, 42);
    cr_assert_str_eq(jv_at(&res->items[2], "suppressions.0.justification")->string,
                     "accepted by QA");
    cr_assert_str_eq(jv_at(root, "runs.0.originalUriBaseIds.SRCROOT.uri")->string,
                     "file:///srv/qms%20set/");
}

Test(ci_emitters, gitlab_gives_every_issue_a_path_and_a_line)
{
    struct qms_finding f[3];
    struct qms_result r = sample(f);
    struct qms_emit_opts o = {.set_uri = ".qmslint.yml"};
    struct jv *root = gates_json(capture(qms_emit_gitlab, &r, &o));
    cr_assert_eq(root->n, 2, "the waived finding is not an issue");
    cr_assert_str_eq(jv_at(root, "0.location.path")->string, ".qmslint.yml");
    cr_assert_str_eq(jv_at(root, "0.severity")->string, "major");
    cr_assert_eq(jv_at(root, "1.location.lines.begin")->number, 1);
    cr_assert_str_eq(jv_at(root, "1.severity")->string, "minor");
}

Test(ci_emitters, junit_escapes_and_lists_set_wide_findings)
{
    struct qms_finding f[3];
    struct qms_result r = sample(f);
    struct qms_doc_summary d = {.path = "Proc dures/QP 006 #1.docx", .format = QMS_FORMAT_DOCX};
    r.docs = &d;
    r.n_docs = 1;
    struct qms_emit_opts o = {.fail_level = QMS_SEV_WARNING};
    char *xml = capture(qms_emit_junit, &r, &o);
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "j.xml", xml, strlen(xml));
    char why[512] = "";
    cr_assert(gates_xml_file_ok(e2e_path(dir, "j.xml"), why, sizeof why), "%s\n%s", why, xml);
    /* no engine: no rule list, so no suites; the document is still escaped when listed */
    cr_assert(strstr(xml, "<testsuites name=\"qmslint\" tests=\"0\""), "%s", xml);
}
