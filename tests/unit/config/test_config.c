/* .qmslint.yml: finding, schema validation with exact messages, rules, plugins, excludes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "errors.h"
#include "testutil.h"

static struct qms_err err;

/* Writes `yaml` as DIR/.qmslint.yml in a fresh tmpdir and loads it; *out_path gets the path. */
static int load_text(struct qms_config **out, const char *yaml, char **out_path)
{
    char *dir = qms_test_tmpdir();
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/.qmslint.yml", dir);
    cr_assert_eq(qms_test_write(path, yaml, strlen(yaml)), 0);
    if (out_path)
        *out_path = path;
    free(dir);
    memset(&err, 0, sizeof err);
    return qms_config_load(out, path, &err);
}

/* Loads `yaml` expecting QMS_ECONFIG with "<path>:<where>" as the whole message. */
static void expect_error(const char *yaml, const char *where)
{
    struct qms_config *cfg = (void *)1;
    char *path, expected[1024];
    int rc = load_text(&cfg, yaml, &path);
    cr_assert_eq(rc, QMS_ECONFIG, "rc %d for:\n%s", rc, yaml);
    cr_assert_null(cfg);
    snprintf(expected, sizeof expected, "%s:%s", path, where);
    cr_assert_str_eq(err.msg, expected);
    free(path);
}

Test(config, unknown_top_level_key_lists_allowed_keys)
{
    expect_error("version: 1\nrulez:\n  a/b: off\n",
                 "2:1: unknown key 'rulez' (expected one of: version, rules, plugins, exclude, "
                 "fail_on, limits, metadata, baseline, waivers)");
}

Test(config, unknown_nested_key_in_limits)
{
    struct qms_config *cfg;
    char *path = qms_test_fixture("config/unknown-nested-key.yml"), expected[1024];
    cr_assert_eq(qms_config_load(&cfg, path, &err), QMS_ECONFIG);
    snprintf(expected, sizeof expected,
             "%s:4:3: unknown key 'max_size' in limits (expected one of: max_file_size, "
             "max_part_size, max_total_size, max_ratio, max_entries, max_depth, max_line, "
             "max_doc_memory)",
             path);
    cr_assert_str_eq(err.msg, expected);
}

Test(config, plugin_path_key_is_refused_with_reason)
{
    expect_error("plugin_path: ./evil\n",
                 "1:1: unknown key 'plugin_path': plugin directories can only be given on the "
                 "command line (--plugin-path), never in a config file");
}

Test(config, bad_severity_names_allowed_values)
{
    expect_error("rules:\n  structure/heading-skip: loud\n",
                 "2:27: bad severity 'loud' for rule 'structure/heading-skip' (expected one of: "
                 "off, info, warning, error)");
}

Test(config, bad_severity_inside_rule_map)
{
    expect_error("rules:\n  structure/empty-section:\n    severity: fatal\n",
                 "3:15: bad severity 'fatal' for rule 'structure/empty-section' (expected one "
                 "of: off, info, warning, error)");
}

Test(config, bad_rule_id_shape)
{
    expect_error("rules:\n  Structure/Heading: off\n",
                 "2:3: bad rule id 'Structure/Heading' (expected 'plugin/rule' or 'plugin/*', "
                 "lower-case letters, digits and hyphens)");
    expect_error("rules:\n  heading-skip: off\n",
                 "2:3: bad rule id 'heading-skip' (expected 'plugin/rule' or 'plugin/*', "
                 "lower-case letters, digits and hyphens)");
}

Test(config, rule_given_a_sequence_is_wrong_type)
{
    expect_error("rules:\n  structure/heading-skip: [off]\n",
                 "2:27: expected a severity (off, info, warning, error) or a map of options for "
                 "rule 'structure/heading-skip', got a sequence");
}

Test(config, bad_size_limit)
{
    expect_error("limits:\n  max_file_size: 12 parsecs\n",
                 "2:18: bad value '12 parsecs' for limits.max_file_size (expected a positive "
                 "integer, optionally followed by KB, MB, GB, KiB, MiB or GiB)");
}

Test(config, zero_and_negative_limits_are_refused)
{
    expect_error("limits:\n  max_depth: 0\n",
                 "2:14: bad value '0' for limits.max_depth (expected a positive integer up to "
                 "4294967295)");
    expect_error("limits:\n  max_ratio: -5\n",
                 "2:14: bad value '-5' for limits.max_ratio (expected a positive integer up to "
                 "4294967295)");
}

Test(config, count_limit_refuses_size_suffix_and_overflow)
{
    expect_error("limits:\n  max_entries: 10KB\n",
                 "2:16: bad value '10KB' for limits.max_entries (expected a positive integer up "
                 "to 4294967295)");
    expect_error("limits:\n  max_entries: 4294967296\n",
                 "2:16: bad value '4294967296' for limits.max_entries (expected a positive "
                 "integer up to 4294967295)");
    expect_error("limits:\n  max_line: 99999999999999999999 GB\n",
                 "2:13: bad value '99999999999999999999 GB' for limits.max_line (expected a "
                 "positive integer, optionally followed by KB, MB, GB, KiB, MiB or GiB)");
}

Test(config, wrong_types_for_sections)
{
    expect_error("exclude: drafts\n",
                 "1:10: expected a sequence of glob patterns for exclude, got a scalar");
    expect_error("rules: [a]\n", "1:8: expected a map for rules, got a sequence");
    expect_error("metadata: yes\n", "1:11: expected a map for metadata, got a scalar");
    expect_error("- a\n- b\n",
                 "1:1: expected a map at the top level (keys: version, rules, plugins, exclude, "
                 "fail_on, limits, metadata, baseline, waivers), got a sequence");
    expect_error("plugins:\n  xref: maybe\n",
                 "2:9: expected a boolean (true/false, yes/no, on/off), got 'maybe'");
    expect_error("plugins:\n  xref:\n    enabled: [1]\n",
                 "3:14: expected a boolean (true/false, yes/no, on/off), got a sequence");
    expect_error("exclude:\n  - {a: b}\n", "2:5: expected a glob pattern in exclude, got a map");
}

Test(config, bad_version_and_fail_on)
{
    expect_error("version: 2\n", "1:10: unsupported version '2' (expected 1)");
    expect_error("fail_on: sometimes\n",
                 "1:10: bad value 'sometimes' for fail_on (expected one of: error, warning, "
                 "info, never)");
}

Test(config, malformed_yaml_has_position)
{
    expect_error("version: 1\nrules:\n  structure/heading-skip: off\n   structure/empty-section: off\n",
                 "4:27: mapping values are not allowed in this context");
}

Test(config, duplicate_key_names_first_position)
{
    expect_error("rules:\n  structure/heading-skip: off\n  structure/heading-skip: error\n",
                 "3:3: duplicate key 'structure/heading-skip' (first at 2:3)");
}

Test(config, alias_is_refused)
{
    expect_error("plugins:\n  xref: &on true\n  iso9001: *on\n",
                 "2:9: anchors and aliases are not supported (&on)");
}

Test(config, missing_file_is_an_io_error)
{
    struct qms_config *cfg = (void *)1;
    cr_assert_eq(qms_config_load(&cfg, "/nonexistent/.qmslint.yml", &err), QMS_EIO);
    cr_assert_null(cfg);
    cr_assert_str_eq(err.msg, "/nonexistent/.qmslint.yml: No such file or directory");
}

Test(config, full_example_loads_every_section)
{
    struct qms_config *cfg;
    const struct qms_rule_config *r;
    const struct qms_plugin_config *p;
    char *path = qms_test_fixture("config/full.yml");
    cr_assert_eq(qms_config_load(&cfg, path, &err), 0, "%s", err.msg);
    cr_assert_str_eq(cfg->path, path);
    cr_assert_not_null(cfg->root);
    cr_assert_eq(cfg->root[0], '/');
    cr_assert_not_null(cfg->tree);
    cr_assert_str_eq(cfg->fail_on, "warning");

    cr_assert_eq(cfg->n_rules, 4);
    r = qms_config_rule(cfg, "structure/heading-skip");
    cr_assert_not_null(r);
    cr_assert(r->severity_set);
    cr_assert_eq(r->severity, QMS_SEV_OFF);
    cr_assert_null(r->options);
    r = qms_config_rule(cfg, "structure/missing-section");
    cr_assert_eq(r->severity, QMS_SEV_ERROR);
    cr_assert_not_null(r->options);
    cr_assert_eq(r->options->kind, QMS_NODE_MAP);
    cr_assert_eq(r->node->line, 10);
    /* wildcard entry for a plugin */
    r = qms_config_rule(cfg, "revision/review-overdue");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->id, "revision/*");
    cr_assert_eq(r->severity, QMS_SEV_INFO);
    cr_assert_null(qms_config_rule(cfg, "xref/dangling"));
    cr_assert_null(qms_config_rule(cfg, "revisionx/a"));

    cr_assert_eq(cfg->n_plugins, 3);
    p = qms_config_plugin(cfg, "iso9001");
    cr_assert_not_null(p);
    cr_assert_eq(p->enabled, 0);
    p = qms_config_plugin(cfg, "xref");
    cr_assert_eq(p->enabled, 1);
    cr_assert_not_null(p->options);
    cr_assert_null(qms_config_plugin(cfg, "nope"));

    cr_assert_eq(cfg->n_excludes, 4);
    cr_assert_eq(cfg->limits.max_file_size, 64ull << 20);
    cr_assert_eq(cfg->limits.max_part_size, 128ull << 20);
    cr_assert_eq(cfg->limits.max_total_size, 1ull << 30);
    cr_assert_eq(cfg->limits.max_ratio, 150);
    cr_assert_eq(cfg->limits.max_entries, 20000);
    cr_assert_eq(cfg->limits.max_depth, 128);
    cr_assert_eq(cfg->limits.max_line, 512ull << 10);
    cr_assert_eq(cfg->limits.max_doc_memory, 1073741824ull);
    cr_assert_not_null(cfg->metadata);
    cr_assert_eq(cfg->metadata->kind, QMS_NODE_MAP);
    qms_config_free(cfg);
}

Test(config, defaults_have_no_file_and_default_limits)
{
    struct qms_config *cfg;
    struct qms_limits lim;
    cr_assert_eq(qms_config_default(&cfg, &err), 0);
    memset(&lim, 0, sizeof lim); /* padding */
    qms_limits_default(&lim);
    cr_assert_null(cfg->path);
    cr_assert_null(cfg->root);
    cr_assert_null(cfg->tree);
    cr_assert_null(cfg->fail_on);
    cr_assert_null(cfg->metadata);
    cr_assert_eq(cfg->n_rules + cfg->n_plugins + cfg->n_excludes, 0);
    cr_assert_eq(memcmp(&cfg->limits, &lim, sizeof lim), 0);
    cr_assert_eq(cfg->limits.max_file_size, 256ull << 20);
    cr_assert_null(qms_config_rule(cfg, "structure/heading-skip"));
    cr_assert_eq(qms_config_excluded(cfg, "a.md"), 0);
    qms_config_free(cfg);
}

Test(config, empty_file_and_partial_limits_keep_defaults)
{
    struct qms_config *cfg;
    cr_assert_eq(load_text(&cfg, "# nothing configured yet\n", NULL), 0, "%s", err.msg);
    cr_assert_eq(cfg->limits.max_ratio, 200);
    cr_assert_null(cfg->tree);
    qms_config_free(cfg);
    cr_assert_eq(load_text(&cfg, "limits:\n  max_ratio: 50\n", NULL), 0, "%s", err.msg);
    cr_assert_eq(cfg->limits.max_ratio, 50);
    cr_assert_eq(cfg->limits.max_entries, 10000);
    qms_config_free(cfg);
}

Test(config, empty_sections_are_allowed)
{
    struct qms_config *cfg;
    cr_assert_eq(load_text(&cfg, "version: 1\nrules:\n  # structure/heading-skip: off\nplugins: ~\n"
                                 "exclude:\nlimits: null\nmetadata:\n", NULL),
                 0, "%s", err.msg);
    cr_assert_eq(cfg->n_rules + cfg->n_plugins + cfg->n_excludes, 0);
    cr_assert_null(cfg->metadata);
    qms_config_free(cfg);
    expect_error("fail_on:\n", "1:9: bad value '' for fail_on (expected one of: error, warning, "
                                "info, never)");
}

Test(config, plugin_map_without_enabled_is_enabled)
{
    struct qms_config *cfg;
    cr_assert_eq(load_text(&cfg, "plugins:\n  structure:\n    strict: yes\n  xref: off\n", NULL), 0,
                 "%s", err.msg);
    cr_assert_eq(qms_config_plugin(cfg, "structure")->enabled, 1);
    cr_assert_eq(qms_config_plugin(cfg, "xref")->enabled, 0);
    qms_config_free(cfg);
}

/* ---- finding the file */

static char *mkdirs(const char *base, const char *rel)
{
    char *p = malloc(strlen(base) + strlen(rel) + 2), *q;
    sprintf(p, "%s/%s", base, rel);
    for (q = p + strlen(base) + 1; *q; q++) {
        if (*q == '/') {
            *q = '\0';
            mkdir(p, 0700);
            *q = '/';
        }
    }
    mkdir(p, 0700);
    return p;
}

static void touch(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, "version: 1\n", 11), 0);
}

Test(config, find_walks_upward_to_the_nearest_file)
{
    char *top = realpath(qms_test_tmpdir(), NULL), found[1024], expected[1024];
    char *deep = mkdirs(top, "repo/docs/procedures");
    mkdirs(top, "repo/.git");
    touch(top, "repo/.qmslint.yml");
    cr_assert_eq(qms_config_find(found, sizeof found, deep), 1);
    snprintf(expected, sizeof expected, "%s/repo/.qmslint.yml", top);
    cr_assert_str_eq(found, expected);
    /* a nearer one wins; .yml before .yaml in the same folder */
    touch(top, "repo/docs/.qmslint.yaml");
    cr_assert_eq(qms_config_find(found, sizeof found, deep), 1);
    snprintf(expected, sizeof expected, "%s/repo/docs/.qmslint.yaml", top);
    cr_assert_str_eq(found, expected);
    touch(top, "repo/docs/.qmslint.yml");
    cr_assert_eq(qms_config_find(found, sizeof found, deep), 1);
    snprintf(expected, sizeof expected, "%s/repo/docs/.qmslint.yml", top);
    cr_assert_str_eq(found, expected);
}

Test(config, find_starts_from_a_file_folder)
{
    char *top = realpath(qms_test_tmpdir(), NULL), found[1024], expected[1024], file[1024];
    char *docs = mkdirs(top, "docs");
    mkdirs(top, ".git");
    touch(top, ".qmslint.yml");
    touch(docs, "QP-01.md");
    snprintf(file, sizeof file, "%s/QP-01.md", docs);
    cr_assert_eq(qms_config_find(found, sizeof found, file), 1);
    snprintf(expected, sizeof expected, "%s/.qmslint.yml", top);
    cr_assert_str_eq(found, expected);
}

Test(config, find_stops_at_the_repository_root)
{
    char *top = realpath(qms_test_tmpdir(), NULL), found[1024];
    char *deep = mkdirs(top, "outer/repo/docs");
    touch(top, "outer/.qmslint.yml");     /* above the repository: must not be used */
    mkdirs(top, "outer/repo/.git");
    cr_assert_eq(qms_config_find(found, sizeof found, deep), 0);
    /* a .git file (worktree) also marks the root */
    {
        char *top2 = realpath(qms_test_tmpdir(), NULL);
        char *deep2 = mkdirs(top2, "outer/wt/docs");
        touch(top2, "outer/.qmslint.yml");
        touch(top2, "outer/wt/.git");
        cr_assert_eq(qms_config_find(found, sizeof found, deep2), 0);
    }
}

Test(config, find_returns_zero_for_missing_start_or_small_buffer)
{
    char *top = realpath(qms_test_tmpdir(), NULL), found[8];
    mkdirs(top, ".git");
    touch(top, ".qmslint.yml");
    cr_assert_eq(qms_config_find(found, sizeof found, "/nonexistent/qmslint/x"), 0);
    cr_assert_eq(qms_config_find(found, sizeof found, top), 0);
}

/* ---- excludes */

static struct qms_config *with_excludes(const char *yaml)
{
    struct qms_config *cfg;
    cr_assert_eq(load_text(&cfg, yaml, NULL), 0, "%s", err.msg);
    return cfg;
}

Test(config, exclude_star_does_not_cross_folders)
{
    struct qms_config *cfg = with_excludes("exclude:\n  - templates/*.md\n");
    cr_assert_eq(qms_config_excluded(cfg, "templates/form.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "templates/old/form.md"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "docs/templates/form.md"), 0);
    qms_config_free(cfg);
}

Test(config, exclude_double_star_crosses_folders)
{
    struct qms_config *cfg = with_excludes("exclude:\n  - \"**/archive/**\"\n  - docs/**/old-*.md\n");
    cr_assert_eq(qms_config_excluded(cfg, "archive/QP-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "a/b/archive/c/QP-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "archived/QP-01.md"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "x/archive/"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "docs/old-QP.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "docs/x/y/old-QP.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "docs/x/y/QP.md"), 0);
    qms_config_free(cfg);
}

Test(config, exclude_without_slash_matches_basename_anywhere)
{
    struct qms_config *cfg = with_excludes("exclude:\n  - \"*.tmp.md\"\n  - drafts\n  - \"[Xx]-?.md\"\n");
    cr_assert_eq(qms_config_excluded(cfg, "a.tmp.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "deep/er/a.tmp.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "a.md"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "drafts/QP-09.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "x/drafts/y/QP-09.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "drafts-old/QP-09.md"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "forms/x-1.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "forms/X-2.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "forms/y-1.md"), 0);
    qms_config_free(cfg);
}

Test(config, exclude_trailing_slash_matches_folders_only)
{
    struct qms_config *cfg = with_excludes("exclude:\n  - old/\n  - ./legacy/forms/\n");
    cr_assert_eq(qms_config_excluded(cfg, "old/QP-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "a/old/QP-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "a/old"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "a/old/"), 1); /* discover asks about folders so */
    cr_assert_eq(qms_config_excluded(cfg, "legacy/forms/F-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "legacy/F-01.md"), 0);
    cr_assert_eq(qms_config_excluded(cfg, "./legacy/forms/F-01.md"), 1);
    qms_config_free(cfg);
}

Test(config, exclude_pattern_with_slash_is_anchored_at_root)
{
    struct qms_config *cfg = with_excludes("exclude:\n  - /docs/QP-01.md\n");
    cr_assert_eq(qms_config_excluded(cfg, "docs/QP-01.md"), 1);
    cr_assert_eq(qms_config_excluded(cfg, "x/docs/QP-01.md"), 0);
    qms_config_free(cfg);
}

Test(config, exclude_hostile_pattern_is_fast)
{
    struct qms_config *cfg = with_excludes(
        "exclude:\n  - \"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\"\n"
        "  - \"**a**a**a**a**a**a**a**a**a**a**a**a**a**a**a**a**b\"\n");
    char path[4097];
    memset(path, 'a', 4096);
    path[4096] = '\0';
    cr_assert_eq(qms_config_excluded(cfg, path), 0);
    path[4095] = 'b';
    cr_assert_eq(qms_config_excluded(cfg, path), 1);
    qms_config_free(cfg);
}

Test(config, empty_exclude_pattern_is_refused)
{
    expect_error("exclude:\n  - ''\n", "2:5: empty pattern in exclude");
}

Test(config, baseline_and_waivers_must_stay_inside_the_config_folder)
{
    expect_error("baseline: /etc/qmslint-baseline.json\n",
                 "1:11: baseline: must be a path inside the config's folder (no absolute path, no "
                 "'..'); give other files on the command line");
    expect_error("waivers: ../elsewhere/waivers.yml\n",
                 "1:10: waivers: must be a path inside the config's folder (no absolute path, no "
                 "'..'); give other files on the command line");
    expect_error("baseline: ci/../../x.json\n",
                 "1:11: baseline: must be a path inside the config's folder (no absolute path, no "
                 "'..'); give other files on the command line");
}

Test(config, baseline_inside_the_config_folder_is_accepted)
{
    char *dir = qms_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/.qmslint.yml", dir);
    const char *yaml = "baseline: ci/..baseline.json\nwaivers: waivers.yml\n";
    cr_assert_eq(qms_test_write(path, yaml, strlen(yaml)), 0);
    struct qms_config *cfg = NULL;
    struct qms_err e = {{0}};
    cr_assert_eq(qms_config_load(&cfg, path, &e), 0, "%s", e.msg);
    cr_assert_not_null(strstr(cfg->baseline, "/ci/..baseline.json"), "%s", cfg->baseline);
    qms_config_free(cfg);
}

Test(config, limits_cannot_switch_the_bomb_guards_off)
{
    expect_error("limits:\n  max_part_size: 64 GiB\n", "2:18: limits.max_part_size may be at most 2 GiB");
    expect_error("limits:\n  max_ratio: 1000000\n", "2:14: limits.max_ratio may be at most 10000");
    expect_error("limits:\n  max_entries: 50000000\n",
                 "2:16: limits.max_entries may be at most 1000000");
}
