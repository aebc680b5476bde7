/* The iso9001 plugin through the real host: plugin loader, rule pack, Markdown reader,
 * metadata, scheduler and digests, over fixtures/iso9001/ (copied to the build tree). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

static struct qms_result *result;

/* Checks the folder `root` with only the iso9001 plugin and the rules in `rules_dir`.
   Returns qms_engine_new's result (the error in *err). */
static int run_dir(const char *root, const char *rules_dir, struct qms_err *err)
{
    static const char *const plugin_paths[] = {QMS_TEST_PLUGIN_DIR};
    static const char *const only[] = {"iso9001"};
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_run_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.jobs = 2;
    opts.plugin_paths = plugin_paths;
    opts.n_plugin_paths = 1;
    opts.rules_dir = rules_dir ? rules_dir : QMS_TEST_SOURCE_DIR "/rules";
    opts.only_plugins = only;
    opts.n_only_plugins = 1;
    opts.no_default_plugin_dirs = 1;

    cr_assert_eq(qms_config_default(&cfg, err), 0, "%s", err->msg);
    int rc = qms_engine_new(&engine, cfg, &opts, err);
    if (rc < 0) {
        qms_config_free(cfg);
        return rc;
    }
    memset(&inputs, 0, sizeof inputs);
    const char *paths[] = {root};
    cr_assert_eq(qms_discover(&inputs, paths, 1, root, cfg, err), 0, "%s", err->msg);
    cr_assert_eq(qms_engine_run(engine, &inputs, &result, err), 0, "%s", err->msg);
    qms_inputs_free(&inputs);
    qms_engine_free(engine);
    qms_config_free(cfg);
    return 0;
}

static void run_fixture(const char *set)
{
    char rel[256];
    struct qms_err err = {{0}};
    snprintf(rel, sizeof rel, "iso9001/%s", set);
    char *root = qms_test_fixture(rel);
    cr_assert_eq(run_dir(root, NULL, &err), 0, "%s", err.msg);
    free(root);
}

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

static const struct qms_finding *find(const char *rule, const char *message)
{
    for (size_t i = 0; i < result->n_findings; i++)
        if (strcmp(result->findings[i].rule_id, rule) == 0 && strcmp(result->findings[i].message, message) == 0)
            return &result->findings[i];
    for (size_t i = 0; i < result->n_findings; i++)
        fprintf(stderr, "  %s:%u: %s [%s]\n", result->findings[i].path, result->findings[i].line,
                result->findings[i].message, result->findings[i].rule_id);
    cr_assert_fail("no %s finding \"%s\"", rule, message);
    return NULL;
}

static void expect_clean(void)
{
    for (size_t i = 0; i < result->n_findings; i++)
        cr_expect_fail("unexpected %s:%u: %s [%s]", result->findings[i].path, result->findings[i].line,
                       result->findings[i].message, result->findings[i].rule_id);
}

Test(iso9001, engine_full_set_is_clean, .fini = finish)
{
    run_fixture("full");
    cr_assert_eq(result->n_docs, 13);
    expect_clean();
}

Test(iso9001, engine_legacy_2008_set, .fini = finish)
{
    run_fixture("legacy-2008");
    const struct qms_finding *f =
        find("iso9001/legacy-clause", "'4.2.3 Control of documents' is ISO 9001:2008 numbering; in ISO 9001:2015 see "
                                      "7.5.2, 7.5.3");
    cr_assert_str_eq(f->path, "QM-2008_Quality_Manual.md");
    cr_assert_eq(f->line, 16);
    cr_assert_eq(f->severity, QMS_SEV_WARNING);
    find("iso9001/legacy-clause", "'clause 4.2.4' is ISO 9001:2008 numbering (Control of records); in ISO "
                                  "9001:2015 see 7.5.2, 7.5.3");
    find("iso9001/legacy-clause", "'clause 8.3' is ISO 9001:2008 numbering (Control of nonconforming product); in "
                                  "ISO 9001:2015 see 8.7, 10.2");
    find("iso9001/legacy-clause", "'clause 4.2.2' is ISO 9001:2008 numbering (Quality manual); in ISO 9001:2015 "
                                  "see 4.3, 4.4, 7.5.1 (the 2015 edition has no quality manual requirement) "
                                  "(property 'clauses')");
    f = find("iso9001/legacy-term", "'management representative' is ISO 9001:2008 wording; ISO 9001:2015 says "
                                    "assigned roles, responsibilities and authorities (5.3)");
    cr_assert_eq(f->severity, QMS_SEV_INFO);
    find("iso9001/legacy-term", "'preventive action' is ISO 9001:2008 wording; ISO 9001:2015 says actions to "
                                "address risks and opportunities (6.1)");
    cr_assert_eq(count("iso9001/legacy-clause"), 5);
    cr_assert_eq(count("iso9001/legacy-term"), 2);

    f = find("iso9001/unknown-clause", "clause 7.6 does not exist in ISO 9001:2015 (in ISO 9001:2008 it was "
                                       "'Control of monitoring and measuring equipment', now 7.1.5)");
    cr_assert_str_eq(f->path, "QP-2015_Procedure.md");
    find("iso9001/unknown-clause", "clause 8.8 does not exist in ISO 9001:2015");
    find("iso9001/unknown-clause", "clause 4.2.3 does not exist in ISO 9001:2015 (in ISO 9001:2008 it was "
                                   "'Control of documents', now 7.5.2, 7.5.3)");
    cr_assert_eq(count("iso9001/unknown-clause"), 3);
    find("iso9001/wrong-edition", "ISO 9001:2016 does not exist (editions: 1987, 1994, 2000, 2008, 2015)");
    find("iso9001/wrong-edition", "ISO 13485:2015 does not exist (editions: 1996, 2003, 2012, 2016)");
    cr_assert_eq(count("iso9001/wrong-edition"), 2);

    /* set-level findings go to the manual */
    f = find("iso9001/missing-documented-information",
             "no documented information found for 5.2.2 quality policy (maintain)");
    cr_assert_str_eq(f->path, "QM-2008_Quality_Manual.md");
    cr_assert_eq(f->severity, QMS_SEV_ERROR);
}

Test(iso9001, engine_section_numbered_procedure_has_no_citations, .fini = finish)
{
    run_fixture("section-numbered");
    cr_assert_eq(count("iso9001/unknown-clause"), 0);
    cr_assert_eq(count("iso9001/legacy-clause"), 0);
    cr_assert_eq(count("iso9001/legacy-term"), 0);
    cr_assert_eq(count("iso9001/wrong-edition"), 0);
    /* no manual: set-level findings at the set root */
    const struct qms_finding *f = find("iso9001/missing-documented-information",
                                       "no documented information found for 4.3 scope of the QMS (maintain)");
    cr_assert_str_eq(f->path, "");
}

Test(iso9001, engine_scope_without_justification, .fini = finish)
{
    run_fixture("scope-unjustified");
    const struct qms_finding *f = find("iso9001/exclusion-justification",
                                       "scope excludes 8.3 Design and development of products and services without "
                                       "a justification (4.3)");
    cr_assert_str_eq(f->path, "QM-003_Quality_Manual.md");
    cr_assert_eq(f->line, 11);
    find("iso9001/exclusion-justification",
         "scope excludes 8.4 Control of externally provided processes, products and services, which cannot be "
         "excluded (4.3 allows only requirements that do not affect conformity)");
    cr_assert_eq(count("iso9001/exclusion-justification"), 2);
    for (size_t i = 0; i < result->n_findings; i++)
        cr_assert_null(strstr(result->findings[i].message, "for 8.3."), "%s", result->findings[i].message);
}

Test(iso9001, engine_scope_with_justification, .fini = finish)
{
    run_fixture("scope-justified");
    cr_assert_eq(count("iso9001/exclusion-justification"), 0);
    for (size_t i = 0; i < result->n_findings; i++)
        cr_assert_null(strstr(result->findings[i].message, "for 8.3."), "%s", result->findings[i].message);
}

/* The full set copied to a temp folder without one file. */
static char *copy_without(const char *skip)
{
    char *src = qms_test_fixture("iso9001/full");
    char *dst = qms_test_tmpdir();
    DIR *d = opendir(src);
    cr_assert_not_null(d, "%s", src);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, skip) == 0)
            continue;
        char from[1024], to[1024];
        size_t len = 0;
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        char *text = qms_test_read(from, &len);
        cr_assert_not_null(text);
        cr_assert_eq(qms_test_write(to, text, len), 0);
        free(text);
    }
    closedir(d);
    free(src);
    return dst;
}

Test(iso9001, engine_full_set_without_audit_procedure_misses_audit_records, .fini = finish)
{
    struct qms_err err = {{0}};
    char *root = copy_without("QP-9.2-01_Internal_Audit.md");
    cr_assert_eq(run_dir(root, NULL, &err), 0, "%s", err.msg);
    free(root);
    cr_assert_eq(result->n_findings, 1);
    const struct qms_finding *f =
        find("iso9001/missing-record",
             "no record, form or procedure section found for 9.2.2 internal audit programme and results (retain)");
    cr_assert_str_eq(f->path, "QM-001_Quality_Manual.md");
    cr_assert_str_eq(f->key, "audit-evidence");
}

Test(iso9001, engine_full_set_without_manual_misses_policy_at_set_root, .fini = finish)
{
    struct qms_err err = {{0}};
    char *root = copy_without("QM-001_Quality_Manual.md");
    cr_assert_eq(run_dir(root, NULL, &err), 0, "%s", err.msg);
    free(root);
    const struct qms_finding *f =
        find("iso9001/missing-documented-information", "no documented information found for 5.2.2 quality policy (maintain)");
    cr_assert_str_eq(f->path, "");
}

/* A broken pack in a temp rules folder stops the run with file:line:column. */
static char *broken_rules_dir(void)
{
    char *file = qms_test_source("rules/iso9001-2015.yml");
    char *text = qms_test_read(file, NULL);
    free(file);
    cr_assert_not_null(text);
    char *at = strstr(text, "    kind: retain\n");
    cr_assert_not_null(at);
    memcpy(at, "    kind: RETAIN\n", 17);
    char *dir = qms_test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/iso9001-2015.yml", dir);
    cr_assert_eq(qms_test_write(path, text, strlen(text)), 0);
    free(text);
    return dir;
}

Test(iso9001, engine_refuses_broken_pack)
{
    struct qms_err err = {{0}};
    char *rules = broken_rules_dir();
    char *root = qms_test_fixture("iso9001/full");
    int rc = run_dir(root, rules, &err);
    free(rules);
    free(root);
    cr_assert_lt(rc, 0, "a broken pack was accepted");
    cr_assert_not_null(strstr(err.msg, "iso9001-2015.yml:"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "kind must be maintain or retain, not 'RETAIN'"), "%s", err.msg);
}

Test(iso9001, cli_exits_2_on_broken_pack)
{
    char *rules = broken_rules_dir();
    char *root = qms_test_fixture("iso9001/full");
    const char *argv[] = {"check", "--rules-dir", rules, "--plugin-path", QMS_TEST_PLUGIN_DIR, "--only-plugin",
                          "iso9001", root, NULL};
    char *out = NULL, *err = NULL;
    int rc = qms_test_run(NULL, argv, &out, &err);
    int has_pos = err && strstr(err, "iso9001-2015.yml:") != NULL;
    cr_expect_eq(rc, 2, "exit %d, stderr: %s", rc, err ? err : "");
    cr_expect(has_pos, "%s", err ? err : "(no stderr)");
    free(out);
    free(err);
    free(rules);
    free(root);
}
