/* The xref plugin through the real host: plugin loader, DOCX / ODT / Markdown readers,
 * metadata extraction, digests and check_set over the fixture sets in fixtures/xref/:
 * clean/ (a DOCX procedure citing an ODT form and a Markdown work instruction, a Markdown
 * master list with an external-documents section), faulty/ (one problem per rule, a DOCX
 * register) and register-odt/ (a Spanish ODT master list, "PG 01 Rev. 05" citations). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

static struct qms_result *result;

static void engine_opts(struct qms_run_opts *opts, unsigned jobs)
{
    static const char *const plugin_paths[] = {QMS_TEST_PLUGIN_DIR};
    static const char *const only[] = {"xref"};
    memset(opts, 0, sizeof *opts);
    opts->jobs = jobs;
    opts->plugin_paths = plugin_paths;
    opts->n_plugin_paths = 1;
    opts->rules_dir = QMS_TEST_SOURCE_DIR "/rules";
    opts->only_plugins = only;
    opts->n_only_plugins = 1;
    opts->no_default_plugin_dirs = 1;
}

/* Checks the fixture set fixtures/xref/<name> with only xref loaded; findings in `result`. */
static void run_set_with(const char *name, const char *yaml, unsigned jobs)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_run_opts opts;
    char rel[256];
    snprintf(rel, sizeof rel, "xref/%s", name);
    char *root = qms_test_fixture(rel);
    struct qms_config *cfg = qms_test_config(yaml, NULL);
    engine_opts(&opts, jobs);
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);
    memset(&inputs, 0, sizeof inputs);
    const char *paths[] = {root};
    cr_assert_eq(qms_discover(&inputs, paths, 1, root, cfg, &err), 0, "%s", err.msg);
    cr_assert_gt(inputs.n_docs, 2);
    cr_assert_eq(qms_engine_run(engine, &inputs, &result, &err), 0, "%s", err.msg);
    qms_inputs_free(&inputs);
    qms_engine_free(engine);
    qms_config_free(cfg);
    free(root);
}

static void run_set(const char *name) { run_set_with(name, NULL, 2); }

static void finish(void)
{
    qms_result_free(result);
    result = NULL;
}

static size_t count(const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < result->n_findings; i++)
        n += strcmp(result->findings[i].rule_id, rule) == 0;
    return n;
}

/* The finding of `rule` on `path` whose message contains `needle`, or NULL. */
static const struct qms_finding *find(const char *rule, const char *path, const char *needle)
{
    for (size_t i = 0; i < result->n_findings; i++) {
        const struct qms_finding *f = &result->findings[i];
        if (strcmp(f->rule_id, rule) == 0 && strcmp(f->path, path) == 0 &&
            strstr(f->message, needle))
            return f;
    }
    return NULL;
}

static void expect(const char *rule, const char *path, const char *needle)
{
    cr_expect_not_null(find(rule, path, needle), "no %s on %s mentioning '%s'", rule, path, needle);
}

static void dump_findings(void)
{
    for (size_t i = 0; i < result->n_findings; i++)
        cr_log_info("%s:%u ¶%u: %s [%s]", result->findings[i].path, result->findings[i].line,
                    result->findings[i].block, result->findings[i].message,
                    result->findings[i].rule_id);
}

Test(xref, engine_lists_the_nine_rules_with_their_default_severities)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_run_opts opts;
    struct qms_config *cfg = qms_test_config(NULL, NULL);
    engine_opts(&opts, 1);
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);
    static const struct {
        const char *id;
        enum qms_severity severity;
    } want[] = {{"xref/dangling", QMS_SEV_ERROR},         {"xref/obsolete-target", QMS_SEV_ERROR},
                {"xref/revision-mismatch", QMS_SEV_WARNING}, {"xref/broken-link", QMS_SEV_WARNING},
                {"xref/broken-anchor", QMS_SEV_WARNING},  {"xref/title-mismatch", QMS_SEV_WARNING},
                {"xref/duplicate-id", QMS_SEV_ERROR},     {"xref/master-list", QMS_SEV_WARNING},
                {"xref/orphan", QMS_SEV_INFO}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct qms_rule *r = qms_engine_find_rule(engine, want[i].id);
        cr_assert_not_null(r, "%s not loaded", want[i].id);
        cr_expect_eq(r->default_severity, want[i].severity, "%s", want[i].id);
        cr_expect_not_null(r->clause);
    }
    qms_engine_free(engine);
    qms_config_free(cfg);
}

Test(xref, clean_mixed_format_set_has_no_findings, .fini = finish)
{
    run_set("clean");
    dump_findings();
    cr_expect_eq(result->n_findings, 0, "a correct DOCX/ODT/Markdown set is clean");
    cr_expect_eq(result->n_docs, 4);
}

Test(xref, faulty_set_reports_each_problem_once_with_its_place, .fini = finish)
{
    run_set("faulty");
    dump_findings();
    const char *qp = "QP-011_Purchasing.docx", *wi = "WI-031_Inspection.md";
    const char *frm = "forms/FRM-021 Nonconformity Report.odt", *reg = "MDL-002_Document_Register.docx";

    /* DOCX procedure: the ODT form by a wrong title, the Markdown WI by a stale revision */
    expect("xref/dangling", qp, "QP-099");
    expect("xref/revision-mismatch", qp, "cites WI-031 Rev A, but WI-031 is at revision C");
    expect("xref/title-mismatch", qp, "\"Training Record\", but its title is \"Nonconformity Report\"");
    expect("xref/obsolete-target", qp, "QP-005, which is obsolete");
    expect("xref/broken-link", qp, "forms/Missing Form.odt does not exist");
    expect("xref/broken-anchor", qp, "#NoSuchBookmark");
    const struct qms_finding *f = find("xref/dangling", qp, "QP-099");
    cr_assert_not_null(f);
    cr_expect_str_eq(f->part, "word/document.xml");
    cr_expect_gt(f->block, 0);

    /* ODT form: a bookmark reference to nothing, a link out of the set; "supersedes QP-005"
       is not a use of the obsolete document */
    expect("xref/broken-anchor", frm, "#missing-mark");
    expect("xref/broken-link", frm, "leaves the document set");
    cr_expect_null(find("xref/obsolete-target", frm, "QP-005"));

    /* Markdown WI: wikilinks to a missing ID and a missing name, anchors in and across files */
    expect("xref/dangling", wi, "SOP-77");
    expect("xref/broken-link", wi, "[[No Such Page]]");
    expect("xref/broken-anchor", wi, "WI-032_Duplicate.md#missing-heading");
    expect("xref/broken-anchor", wi, "#nope");
    f = find("xref/broken-anchor", wi, "#nope");
    cr_assert_not_null(f);
    cr_expect_eq(f->line, 15);
    cr_expect_null(find("xref/broken-anchor", wi, "#inspection"));
    cr_expect_null(find("xref/broken-link", wi, "Nonconformity Report"),
                   "[[Nonconformity Report]] is the title of the ODT form");

    expect("xref/duplicate-id", "WI-032_Duplicate.md", "WI-031_Inspection.md and WI-032_Duplicate.md");

    /* DOCX register: one finding per disagreement, on the register, naming the document */
    expect("xref/master-list", reg, "gives QP-011 revision B, but QP-011_Purchasing.docx is at revision A");
    expect("xref/master-list", reg, "titles FRM-021 \"Training Record\"");
    expect("xref/master-list", reg, "gives WI-031 status draft");
    expect("xref/master-list", reg, "lists QP-098, but no document");
    expect("xref/master-list", reg, "FRM-099 (FRM-099_Unused.md) is not listed");
    cr_expect_eq(count("xref/master-list"), 5);

    expect("xref/orphan", "FRM-099_Unused.md", "FRM-099");
    cr_expect_eq(count("xref/orphan"), 1);
    cr_expect_eq(count("xref/dangling"), 3); /* QP-099, SOP-77, EXT-200 */
    cr_expect_eq(count("xref/broken-anchor"), 4);
    cr_expect_eq(count("xref/broken-link"), 3);
    cr_expect_eq(count("xref/title-mismatch"), 1);
    cr_expect_eq(count("xref/revision-mismatch"), 1);
    cr_expect_eq(count("xref/obsolete-target"), 1);
    cr_expect_eq(count("xref/duplicate-id"), 1);
    cr_expect_eq(result->n_findings, 20);
}

Test(xref, external_documents_option_silences_declared_ids, .fini = finish)
{
    run_set_with("faulty", "plugins:\n  xref:\n    external_documents: [\"EXT-2*\"]\n", 2);
    cr_expect_null(find("xref/dangling", "QP-011_Purchasing.docx", "EXT-200"));
    cr_expect_not_null(find("xref/dangling", "QP-011_Purchasing.docx", "QP-099"));
}

Test(xref, rule_option_external_documents_and_severity_override, .fini = finish)
{
    run_set_with("faulty",
                 "rules:\n  xref/dangling:\n    severity: warning\n    external_documents: [EXT-200, QP-099]\n"
                 "  xref/orphan: off\n",
                 2);
    cr_expect_eq(count("xref/dangling"), 1); /* SOP-77 only */
    cr_expect_eq(count("xref/orphan"), 0);
    const struct qms_finding *f = find("xref/dangling", "WI-031_Inspection.md", "SOP-77");
    cr_assert_not_null(f);
    cr_expect_eq(f->severity, QMS_SEV_WARNING);
}

Test(xref, odt_register_and_space_separated_ids, .fini = finish)
{
    run_set("register-odt");
    dump_findings();
    expect("xref/revision-mismatch", "IT_01_Recepcion.md", "cites PG 01 Rev 05, but PG 01 is at revision 04");
    cr_expect_eq(count("xref/revision-mismatch"), 1, "PG 01 Rev. 04 is current");
    expect("xref/master-list", "LM-001_Lista_maestra.odt", "gives PG 01 revision 05");
    expect("xref/master-list", "LM-001_Lista_maestra.odt", "lists PG 02");
    cr_expect_eq(count("xref/master-list"), 2);
    cr_expect_eq(count("xref/dangling"), 0);
    cr_expect_eq(count("xref/orphan"), 0, "IT 01 is cited by title and listed");
}

Test(xref, findings_do_not_depend_on_the_number_of_jobs, .fini = finish)
{
    run_set_with("faulty", NULL, 1);
    size_t n = result->n_findings;
    char **lines = calloc(n, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        lines[i] = malloc(1200);
        snprintf(lines[i], 1200, "%s|%u|%u|%s|%s", result->findings[i].path, result->findings[i].line,
                 result->findings[i].block, result->findings[i].rule_id, result->findings[i].message);
    }
    finish();
    run_set_with("faulty", NULL, 2);
    cr_assert_eq(result->n_findings, n);
    for (size_t i = 0; i < n; i++) {
        char line[1200];
        snprintf(line, sizeof line, "%s|%u|%u|%s|%s", result->findings[i].path, result->findings[i].line,
                 result->findings[i].block, result->findings[i].rule_id, result->findings[i].message);
        cr_expect_str_eq(line, lines[i]);
        free(lines[i]);
    }
    free(lines);
}

Test(xref, unknown_plugin_option_stops_the_run)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_run_opts opts;
    struct qms_config *cfg = qms_test_config("plugins:\n  xref:\n    external_docs: [X-1]\n", NULL);
    engine_opts(&opts, 1);
    cr_expect_neq(qms_engine_new(&engine, cfg, &opts, &err), 0);
    cr_expect(strstr(err.msg, "external_docs") != NULL, "message: %s", err.msg);
    qms_engine_free(engine);
    qms_config_free(cfg);
}
