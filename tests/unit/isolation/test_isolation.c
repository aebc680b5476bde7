/* Crash isolation: a plugin that faults in check_doc is named with the document, the other
 * plugins' findings survive, and the run ends with exit 2 (core/src/guard.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

static void write_doc(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, text, strlen(text)), 0, "cannot write %s", path);
}

static char *case_dir(const char *name)
{
    static char buf[4][4096];
    static unsigned next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", QMS_TEST_TESTPLUGIN_DIR, name);
    return b;
}

/* Count of findings of a rule for a path. */
static size_t count_of(const struct qms_result *r, const char *rule, const char *path)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (strcmp(r->findings[i].rule_id, rule) == 0 && strcmp(r->findings[i].path, path) == 0)
            n++;
    return n;
}

static int run_engine(const char *dir, unsigned jobs, struct qms_result **out, struct qms_err *err,
                      struct qms_engine **engine, struct qms_config **cfg,
                      struct qms_inputs *inputs)
{
    const char *dirs[2];
    dirs[0] = case_dir("good");
    dirs[1] = case_dir("doc-crashes");
    unsetenv("QMSLINT_PLUGIN_PATH");
    cr_assert_eq(qms_config_default(cfg, err), 0, "%s", err->msg);
    struct qms_run_opts opts = {0};
    opts.jobs = jobs;
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = 2;
    opts.no_default_plugin_dirs = 1;
    cr_assert_eq(qms_engine_new(engine, *cfg, &opts, err), 0, "%s", err->msg);
    const char *paths[] = {dir};
    cr_assert_eq(qms_discover(inputs, paths, 1, NULL, *cfg, err), 0, "%s", err->msg);
    return qms_engine_run(*engine, inputs, out, err);
}

static void crash_keeps_others(unsigned jobs)
{
    char *dir = qms_test_tmpdir();
    write_doc(dir, "a.md", "# A\n");
    write_doc(dir, "crash-2.md", "# C\n");
    write_doc(dir, "crash-1.md", "# C\n");
    write_doc(dir, "z.md", "# Z\n");
    struct qms_result *r = NULL;
    struct qms_err err = {{0}};
    struct qms_engine *e = NULL;
    struct qms_config *cfg = NULL;
    struct qms_inputs inputs;
    memset(&inputs, 0, sizeof inputs);
    int rc = run_engine(dir, jobs, &r, &err, &e, &cfg, &inputs);
    cr_assert_eq(rc, QMS_EPLUGIN, "rc %d: %s", rc, err.msg);
    /* the first crashing document in input order is named, whatever thread hit it first */
    cr_assert_str_eq(err.msg,
                     "plugin doc-crashes crashed (SIGSEGV) in check_doc on crash-1.md; it was "
                     "skipped for the rest of the run, so its findings are incomplete");
    cr_assert_not_null(r);
    /* the well-behaved plugin saw every document, crash or not */
    cr_assert_eq(count_of(r, "good/per-doc", "a.md"), 1);
    cr_assert_eq(count_of(r, "good/per-doc", "crash-1.md"), 1);
    cr_assert_eq(count_of(r, "good/per-doc", "crash-2.md"), 1);
    cr_assert_eq(count_of(r, "good/per-doc", "z.md"), 1);
    /* and its check_set ran */
    size_t set = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        set += strcmp(r->findings[i].rule_id, "good/set") == 0;
    cr_assert_eq(set, 1);
    qms_result_free(r);
    qms_inputs_free(&inputs);
    qms_engine_free(e); /* the crashed plugin's fini is not called: it would fault too */
    qms_config_free(cfg);
    free(dir);
}

Test(isolation, crash_in_plugin_code_keeps_other_findings_one_job) { crash_keeps_others(1); }

Test(isolation, crash_in_plugin_code_keeps_other_findings_parallel) { crash_keeps_others(3); }

Test(isolation, crashed_plugin_findings_before_the_crash_are_kept)
{
    char *dir = qms_test_tmpdir();
    write_doc(dir, "crash.md", "# C\n");
    struct qms_result *r = NULL;
    struct qms_err err = {{0}};
    struct qms_engine *e = NULL;
    struct qms_config *cfg = NULL;
    struct qms_inputs inputs;
    memset(&inputs, 0, sizeof inputs);
    cr_assert_eq(run_engine(dir, 1, &r, &err, &e, &cfg, &inputs), QMS_EPLUGIN);
    cr_assert_eq(count_of(r, "doc-crashes/seen", "crash.md"), 1);
    qms_result_free(r);
    qms_inputs_free(&inputs);
    qms_engine_free(e);
    qms_config_free(cfg);
    free(dir);
}

Test(isolation, cli_exits_2_naming_plugin_and_document)
{
    char *dir = qms_test_tmpdir();
    write_doc(dir, "a.md", "# A\n");
    write_doc(dir, "crash.md", "# C\n");
    const char *argv[] = {"check", "--plugin-path", case_dir("good"), "--plugin-path",
                          case_dir("doc-crashes"), "--format", "json", ".", NULL};
    char *out = NULL, *err = NULL;
    int rc = qms_test_run(dir, argv, &out, &err);
    cr_assert_eq(rc, 2, "exit %d\n%s", rc, err ? err : "");
    cr_assert_not_null(err);
    cr_assert(strstr(err, "plugin doc-crashes crashed (SIGSEGV) in check_doc on crash.md") != NULL,
              "%s", err);
    /* the report is still written, with what the other plugin found on every document */
    cr_assert_not_null(out);
    cr_assert(strstr(out, "\"schema_version\"") != NULL, "no JSON report on stdout:\n%s", out);
    cr_assert(strstr(out, "\"good/per-doc\"") != NULL, "the good plugin's findings are lost:\n%s",
              out);
    free(out);
    free(err);
    free(dir);
}

Test(isolation, fault_inside_the_host_still_names_plugin_and_document)
{
    char *dir = qms_test_tmpdir();
    write_doc(dir, "wild.md", "# W\n");
    const char *argv[] = {"check", "--plugin-path", case_dir("doc-crashes"), ".", NULL};
    char *out = NULL, *err = NULL;
    int rc = qms_test_run(dir, argv, &out, &err);
    cr_assert_eq(rc, 2, "exit %d\n%s", rc, err ? err : "");
    cr_assert_not_null(err);
    cr_assert(strstr(err, "qmslint: plugin doc-crashes crashed (SIGSEGV) in check_doc on wild.md "
                          "outside its own code") != NULL,
              "%s", err);
    free(out);
    free(err);
    free(dir);
}
