/* The plugin host refuses broken plugins with a message naming the file and the reason. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "testutil.h"

/* Static buffers (a ring) so the suite stays leak-free under ASan. */
static char *case_dir(const char *name)
{
    static char ring[8][4096];
    static unsigned next;
    char *p = ring[next++ % 8];
    snprintf(p, 4096, "%s/%s", QMS_TEST_TESTPLUGIN_DIR, name);
    return p;
}

/* Loads the plugins of the given test folders only (no env, no default dirs). */
static int load(struct qms_engine **out, const struct qms_config *cfg, const char *const *cases,
                size_t n, struct qms_err *err)
{
    const char *dirs[8];
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        dirs[i] = case_dir(cases[i]);
    unsetenv("QMSLINT_PLUGIN_PATH");
    struct qms_run_opts opts = {0};
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = n;
    opts.no_default_plugin_dirs = 1;
    opts.jobs = 1;
    return qms_engine_new(out, cfg, &opts, err);
}

static void expect_refusal(const char *name, const char *so, const char *reason)
{
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {name};
    int rc = load(&e, NULL, cases, 1, &err);
    cr_assert_eq(rc, QMS_EPLUGIN, "rc %d: %s", rc, err.msg);
    cr_assert_null(e);
    char want[4096];
    snprintf(want, sizeof want, "%s/%s/%s: %s", QMS_TEST_TESTPLUGIN_DIR, name, so, reason);
    cr_assert_str_eq(err.msg, want);
}

Test(host, refuses_newer_major_abi)
{
    expect_refusal("abi-major", "abi-major.so", "plugin ABI 2.0, qmslint supports 1.0");
}

Test(host, refuses_newer_minor_abi)
{
    expect_refusal("abi-minor", "abi-minor.so", "plugin ABI 1.1, qmslint supports 1.0");
}

Test(host, refuses_missing_entry_symbol)
{
    expect_refusal("no-entry", "no-entry.so", "no qms_plugin_entry symbol");
}

Test(host, refuses_failing_init_with_its_message)
{
    expect_refusal("init-fails", "init-fails.so", "init failed: rule pack example.yml is broken");
}

Test(host, refuses_rule_id_outside_its_namespace)
{
    expect_refusal("bad-rule-id", "bad-rule-id.so",
                   "rule id \"structure/stolen\" must start with \"bad-rule-id/\" (lower case, hyphens)");
}

Test(host, loads_a_good_plugin_and_lists_its_rules)
{
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, NULL, cases, 1, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    const struct qms_loaded_plugin *p = qms_engine_plugin(e, 0);
    cr_assert_str_eq(p->desc->name, "good");
    cr_assert(strstr(p->file, "/good/good.so") != NULL, "%s", p->file);

    const struct qms_rule *const *rules = NULL;
    size_t n = qms_engine_rules(e, &rules);
    /* the core's own rules (core/unreadable, ...) plus the plugin's six */
    size_t n_core = 0, n_good = 0, has_unreadable = 0;
    for (size_t i = 0; i < n; i++) {
        n_core += strncmp(rules[i]->id, "core/", 5) == 0;
        n_good += strncmp(rules[i]->id, "good/", 5) == 0;
        has_unreadable += strcmp(rules[i]->id, "core/unreadable") == 0;
    }
    cr_assert_eq(n_good, 6);
    cr_assert_eq(n_core + n_good, n, "only core and good rules are listed");
    cr_assert_eq(has_unreadable, 1);
    for (size_t i = 1; i < n; i++)
        cr_assert(strcmp(rules[i - 1]->id, rules[i]->id) < 0, "not sorted at %zu", i);
    cr_assert_not_null(qms_engine_find_rule(e, "good/tbd"));
    cr_assert_null(qms_engine_find_rule(e, "good/nope"));
    cr_assert_eq(qms_engine_rule_severity(e, "good/per-doc"), QMS_SEV_WARNING);
    cr_assert_eq(qms_engine_rule_severity(e, "good/off-by-default"), QMS_SEV_OFF);
    cr_assert_eq(qms_engine_rule_severity(e, "core/unreadable"), QMS_SEV_ERROR);
    qms_engine_free(e);
}

Test(host, first_plugin_of_a_name_wins, .init = cr_redirect_stderr)
{
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good", "good-copy"};
    cr_assert_eq(load(&e, NULL, cases, 2, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    cr_assert(strstr(qms_engine_plugin(e, 0)->file, "/good/good.so") != NULL);
    qms_engine_free(e);
    fflush(stderr);
    char want[8192];
    snprintf(want, sizeof want,
             "qmslint: %s/good-copy/good.so: plugin \"good\" already loaded from %s/good/good.so; ignored\n",
             QMS_TEST_TESTPLUGIN_DIR, QMS_TEST_TESTPLUGIN_DIR);
    cr_assert_stderr_eq_str(want);
}

Test(host, never_loads_from_the_current_directory)
{
    char *dir = case_dir("good");
    cr_assert_eq(chdir(dir), 0);
    /* a relative entry in QMSLINT_PLUGIN_PATH would mean the cwd: ignored */
    setenv("QMSLINT_PLUGIN_PATH", ".:good", 1);
    struct qms_run_opts opts = {0};
    opts.no_default_plugin_dirs = 1;
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_engine_new(&e, NULL, &opts, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 0);
    qms_engine_free(e);
}

Test(host, loads_from_the_environment_path)
{
    char env[8192];
    snprintf(env, sizeof env, "/nonexistent/dir:%s/good", QMS_TEST_TESTPLUGIN_DIR);
    setenv("QMSLINT_PLUGIN_PATH", env, 1);
    struct qms_run_opts opts = {0};
    opts.no_default_plugin_dirs = 1;
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_engine_new(&e, NULL, &opts, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    qms_engine_free(e);
}

static struct qms_config *config_from(const char *yaml)
{
    char *dir = qms_test_tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/.qmslint.yml", dir);
    free(dir);
    cr_assert_eq(qms_test_write(path, yaml, strlen(yaml)), 0);
    struct qms_config *cfg = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_config_load(&cfg, path, &err), 0, "%s", err.msg);
    return cfg;
}

Test(host, plugin_disabled_in_config_is_not_loaded_and_its_rules_accepted)
{
    struct qms_config *cfg = config_from("plugins:\n  init-fails: false\n"
                                         "rules:\n  init-fails/x: error\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"init-fails", "good"};
    cr_assert_eq(load(&e, cfg, cases, 2, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    cr_assert_str_eq(qms_engine_plugin(e, 0)->desc->name, "good");
    qms_engine_free(e);
    qms_config_free(cfg);
}

Test(host, unknown_rule_in_config_names_file_line_column)
{
    struct qms_config *cfg = config_from("rules:\n  good/per-doc: error\n  good/typo: off\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), QMS_ECONFIG, "%s", err.msg);
    cr_assert(strstr(err.msg, ".qmslint.yml:3:") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "unknown rule \"good/typo\"") != NULL, "%s", err.msg);
    qms_config_free(cfg);
}

Test(host, unknown_plugin_in_config_is_refused)
{
    struct qms_config *cfg = config_from("plugins:\n  nosuch:\n    enabled: true\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), QMS_ECONFIG, "%s", err.msg);
    cr_assert(strstr(err.msg, "unknown plugin \"nosuch\"") != NULL, "%s", err.msg);
    qms_config_free(cfg);
}

Test(host, only_selected_plugins_are_loaded)
{
    const char *only[] = {"doc-fails"};
    const char *dirs[] = {NULL, NULL};
    dirs[0] = case_dir("good");
    dirs[1] = case_dir("doc-fails");
    unsetenv("QMSLINT_PLUGIN_PATH");
    struct qms_run_opts opts = {0};
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = 2;
    opts.no_default_plugin_dirs = 1;
    opts.only_plugins = only;
    opts.n_only_plugins = 1;
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_engine_new(&e, NULL, &opts, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    cr_assert_str_eq(qms_engine_plugin(e, 0)->desc->name, "doc-fails");
    qms_engine_free(e);
}

Test(host, severity_names_round_trip)
{
    for (int s = QMS_SEV_OFF; s <= QMS_SEV_ERROR; s++)
        cr_assert_eq(qms_severity_parse(qms_severity_name((enum qms_severity)s)), s);
    cr_assert_eq(qms_severity_parse("fatal"), -1);
    cr_assert_eq(qms_severity_parse(NULL), -1);
}

Test(host, selecting_a_missing_plugin_is_refused)
{
    const char *only[] = {"nosuch"};
    const char *dirs[] = {case_dir("good")};
    unsetenv("QMSLINT_PLUGIN_PATH");
    struct qms_run_opts opts = {0};
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = 1;
    opts.no_default_plugin_dirs = 1;
    opts.only_plugins = only;
    opts.n_only_plugins = 1;
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_engine_new(&e, NULL, &opts, &err), QMS_EPLUGIN);
    cr_assert_str_eq(err.msg,
                     "plugin nosuch is not loaded (not on the plugin path, or disabled in the config)");
}

Test(host, load_pack_reads_the_rules_directory)
{
    struct qms_config *cfg = config_from("plugins:\n  good:\n    pack: document-types.yml\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), 0, "%s", err.msg);
    qms_engine_free(e);
    qms_config_free(cfg);
}

Test(host, load_pack_failure_fails_init_with_the_reason)
{
    struct qms_config *cfg = config_from("plugins:\n  good:\n    pack: no-such-pack.yml\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), QMS_EPLUGIN, "%s", err.msg);
    cr_assert(strstr(err.msg, "good.so: init failed: ") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "no-such-pack.yml") != NULL, "%s", err.msg);
    qms_config_free(cfg);
}

Test(host, load_pack_refuses_paths)
{
    struct qms_config *cfg = config_from("plugins:\n  good:\n    pack: ../etc/passwd\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), QMS_EPLUGIN, "%s", err.msg);
    cr_assert(strstr(err.msg, "init failed: good: bad rule pack name \"../etc/passwd\"") != NULL, "%s",
              err.msg);
    qms_config_free(cfg);
}

Test(host, node_error_stops_the_run_with_file_line_column)
{
    struct qms_config *cfg = config_from("plugins:\n  good:\n    reject: nope\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), QMS_ECONFIG, "%s", err.msg);
    cr_assert(strstr(err.msg, ".qmslint.yml:3:13: value 'nope' is not allowed") != NULL, "%s", err.msg);
    cr_assert_null(e);
    qms_config_free(cfg);
}

Test(host, disabling_an_absent_plugin_is_accepted)
{
    struct qms_config *cfg = config_from("plugins:\n  elsewhere: false\nrules:\n  elsewhere/x: off\n");
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    const char *cases[] = {"good"};
    cr_assert_eq(load(&e, cfg, cases, 1, &err), 0, "%s", err.msg);
    qms_engine_free(e);
    qms_config_free(cfg);
}

Test(host, same_directory_twice_loads_once, .init = cr_redirect_stderr)
{
    char env[8192];
    snprintf(env, sizeof env, "%s/good:%s/good/", QMS_TEST_TESTPLUGIN_DIR, QMS_TEST_TESTPLUGIN_DIR);
    setenv("QMSLINT_PLUGIN_PATH", env, 1);
    const char *dirs[] = {case_dir("good")};
    struct qms_run_opts opts = {0};
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = 1;
    opts.no_default_plugin_dirs = 1;
    struct qms_engine *e = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_engine_new(&e, NULL, &opts, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_plugin_count(e), 1);
    qms_engine_free(e);
    fflush(stderr);
    cr_assert_stderr_eq_str("", "a directory named twice is not a rival plugin");
}
