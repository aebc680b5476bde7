/* The structure plugin through the real host: plugin loader, rule packs, Markdown reader and
 * scheduler over fixtures/structure/ — a failing and a passing document per rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

static struct qms_result *result;

static void engine_opts(struct qms_run_opts *opts)
{
    static const char *const plugin_paths[] = {QMS_TEST_PLUGIN_DIR};
    static const char *const only[] = {"structure"};
    memset(opts, 0, sizeof *opts);
    opts->jobs = 2;
    opts->plugin_paths = plugin_paths;
    opts->n_plugin_paths = 1;
    opts->rules_dir = QMS_TEST_SOURCE_DIR "/rules";
    opts->only_plugins = only;
    opts->n_only_plugins = 1;
}

/* A config from YAML text (written to a temp .qmslint.yml), or the defaults for NULL. */
/* Checks one fixture with only the structure plugin loaded; findings in `result`. */
static void run_fixture_with(const char *name, const char *yaml)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_run_opts opts;
    char rel[256];

    snprintf(rel, sizeof rel, "structure/%s", name);
    char *path = qms_test_fixture(rel);
    char *root = qms_test_fixture("structure");
    struct qms_config *cfg = qms_test_config(yaml, NULL);
    engine_opts(&opts);
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);
    memset(&inputs, 0, sizeof inputs);
    const char *paths[] = {path};
    cr_assert_eq(qms_discover(&inputs, paths, 1, root, cfg, &err), 0, "%s", err.msg);
    cr_assert_eq(inputs.n_docs, 1);
    cr_assert_eq(qms_engine_run(engine, &inputs, &result, &err), 0, "%s", err.msg);
    qms_inputs_free(&inputs);
    qms_engine_free(engine);
    qms_config_free(cfg);
    free(path);
    free(root);
}

static void run_fixture(const char *name) { run_fixture_with(name, NULL); }

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

/* The n-th finding (0-based) of a rule. */
static const struct qms_finding *nth(const char *rule, size_t n)
{
    for (size_t i = 0; i < result->n_findings; i++)
        if (strcmp(result->findings[i].rule_id, rule) == 0 && n-- == 0)
            return &result->findings[i];
    cr_assert_fail("no finding %zu of %s", n, rule);
    return NULL;
}

static void expect_clean(void)
{
    for (size_t i = 0; i < result->n_findings; i++)
        cr_expect_fail("unexpected %s:%u: %s [%s]", result->findings[i].path, result->findings[i].line,
                       result->findings[i].message, result->findings[i].rule_id);
}

Test(structure, engine_lists_the_four_rules_with_their_severities)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_run_opts opts;
    struct qms_config *cfg = qms_test_config(NULL, NULL);
    engine_opts(&opts);
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);
    static const struct {
        const char *id;
        enum qms_severity severity;
    } want[] = {{"structure/missing-section", QMS_SEV_WARNING},
                {"structure/empty-section", QMS_SEV_WARNING},
                {"structure/heading-skip", QMS_SEV_INFO},
                {"structure/placeholder-text", QMS_SEV_WARNING}};
    for (size_t i = 0; i < 4; i++) {
        const struct qms_rule *r = qms_engine_find_rule(engine, want[i].id);
        cr_assert_not_null(r, "%s not loaded", want[i].id);
        cr_assert_eq(r->default_severity, want[i].severity, "%s", want[i].id);
        cr_assert_eq(qms_engine_rule_severity(engine, want[i].id), want[i].severity);
    }
    qms_engine_free(engine);
    qms_config_free(cfg);
}

Test(structure, engine_config_options_reach_the_plugin, .fini = finish)
{
    run_fixture_with("placeholder-text-fail.md",
                     "rules:\n"
                     "  structure/placeholder-text:\n"
                     "    severity: error\n"
                     "    ignore_patterns: [TBD, Lorem ipsum]\n");
    cr_assert_eq(count("structure/placeholder-text"), 4);
    for (size_t i = 0; i < result->n_findings; i++) {
        cr_assert_eq(result->findings[i].severity, QMS_SEV_ERROR);
        cr_assert_null(strstr(result->findings[i].message, "'TBD'"), "%s", result->findings[i].message);
    }
}

Test(structure, engine_bad_option_stops_with_file_line_column)
{
    struct qms_err err = {{0}};
    struct qms_engine *engine = NULL;
    struct qms_run_opts opts;
    char *path = NULL, expected[4096];
    struct qms_config *cfg = qms_test_config("rules:\n"
                                    "  structure/missing-section:\n"
                                    "    ignore_types: [procedure, leaflet]\n",
                                    &path);
    engine_opts(&opts);
    cr_assert_lt(qms_engine_new(&engine, cfg, &opts, &err), 0);
    cr_assert_null(engine);
    snprintf(expected, sizeof expected, "%s:3:31: ignore_types: unknown document type 'leaflet'", path);
    cr_assert(strstr(err.msg, expected), "%s", err.msg);
    qms_config_free(cfg);
    free(path);
}

Test(structure, engine_missing_section_fixture_fails, .fini = finish)
{
    run_fixture("missing-section-fail.md");
    cr_assert_eq(count("structure/missing-section"), 2);
    const struct qms_finding *f = nth("structure/missing-section", 0);
    cr_assert_eq(f->severity, QMS_SEV_WARNING);
    cr_assert_eq(f->line, 1);
    cr_assert_str_eq(f->path, "missing-section-fail.md");
    /* sorted by path, line, column, rule; the two have the same place, so compare as a set */
    const char *a = nth("structure/missing-section", 0)->message;
    const char *b = nth("structure/missing-section", 1)->message;
    const char *scope = "procedure QP-04 has no 'Scope' section (type from property 'type: procedure')";
    const char *records = "procedure QP-04 has no 'Records' section (type from property 'type: procedure')";
    cr_assert((strcmp(a, scope) == 0 && strcmp(b, records) == 0) ||
              (strcmp(a, records) == 0 && strcmp(b, scope) == 0), "%s | %s", a, b);
}

Test(structure, engine_missing_section_fixture_passes, .fini = finish)
{
    run_fixture("missing-section-pass.md");
    expect_clean();
}

Test(structure, engine_german_procedure_fixture_passes, .fini = finish)
{
    run_fixture("missing-section-pass-de.md");
    expect_clean();
}

Test(structure, engine_empty_section_fixture_fails, .fini = finish)
{
    run_fixture("empty-section-fail.md");
    cr_assert_eq(count("structure/empty-section"), 3);
    cr_assert_str_eq(nth("structure/empty-section", 0)->message, "section 'Decisions' is empty");
    cr_assert_eq(nth("structure/empty-section", 0)->line, 8);
    cr_assert_eq(nth("structure/empty-section", 0)->column, 1);
    cr_assert_str_eq(nth("structure/empty-section", 1)->message, "section 'Actions' is empty");
    cr_assert_eq(nth("structure/empty-section", 1)->line, 10);
    cr_assert_str_eq(nth("structure/empty-section", 2)->message, "section 'Next meeting' is empty");
    cr_assert_eq(nth("structure/empty-section", 2)->line, 14);
    cr_assert_eq(result->n_findings, 3);
}

Test(structure, engine_empty_section_fixture_passes, .fini = finish)
{
    run_fixture("empty-section-pass.md");
    expect_clean();
}

Test(structure, engine_heading_skip_fixture_fails, .fini = finish)
{
    run_fixture("heading-skip-fail.md");
    cr_assert_eq(result->n_findings, 1);
    const struct qms_finding *f = nth("structure/heading-skip", 0);
    cr_assert_str_eq(f->message, "heading level jumps from 2 to 4");
    cr_assert_eq(f->severity, QMS_SEV_INFO);
    cr_assert_eq(f->line, 7);
}

Test(structure, engine_heading_skip_fixture_passes, .fini = finish)
{
    run_fixture("heading-skip-pass.md");
    expect_clean();
}

Test(structure, engine_placeholder_fixture_fails, .fini = finish)
{
    run_fixture("placeholder-text-fail.md");
    static const struct {
        unsigned line;
        const char *message;
    } want[] = {
        {2, "placeholder 'TBD' left in property 'owner' ('to be determined' marker)"},
        {7, "placeholder '<< Supplier Name >>' left in text (merge-field or template marker)"},
        {9, "placeholder '[Company Name]' left in text (template field for the organization's name)"},
        {11, "placeholder 'TBD' left in text ('to be determined' marker)"},
        {11, "placeholder 'Lorem ipsum' left in text (dummy text from a template)"},
        {13, "placeholder 'DD/MM/YYYY' left in text (date format mask instead of a date)"},
        {15, "placeholder 'Click or tap here to enter text.' left in text (unfilled Word content control)"},
    };
    size_t n = sizeof want / sizeof want[0];
    cr_assert_eq(count("structure/placeholder-text"), n);
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < n; k++) {
            const struct qms_finding *f = nth("structure/placeholder-text", k);
            seen |= f->line == want[i].line && strcmp(f->message, want[i].message) == 0;
        }
        cr_expect(seen, "missing line %u: %s", want[i].line, want[i].message);
    }
}

Test(structure, engine_placeholder_fixture_passes, .fini = finish)
{
    run_fixture("placeholder-text-pass.md");
    expect_clean();
}

Test(structure, engine_word_procedure_without_heading_styles, .fini = finish)
{
    /* labels and a layout table provide sections; the unfilled content control is found */
    run_fixture("QP-12-complaints.docx");
    cr_assert_eq(count("structure/missing-section"), 1);
    cr_assert_str_eq(nth("structure/missing-section", 0)->message,
                     "procedure QP-12 has no 'Records' section (type from ID prefix QP-)");
    cr_assert_eq(count("structure/placeholder-text"), 1);
    cr_assert_str_eq(nth("structure/placeholder-text", 0)->message,
                     "placeholder 'Click or tap here to enter text.' left in text (unfilled Word "
                     "content control)");
    cr_assert_str_eq(nth("structure/placeholder-text", 0)->part, "word/document.xml");
    cr_assert_eq(result->n_findings, 2);
}
