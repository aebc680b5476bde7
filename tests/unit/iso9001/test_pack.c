/* The rule pack: the shipped one loads; broken packs stop init with file:line:column;
 * plugin and rule options. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

static struct fake_host h;

/* A copy of the shipped pack with `from` replaced by `to` (first occurrence), in a temp rules
   dir; returns the dir. */
static char *shipped_pack(void)
{
    char *file = qms_test_source("rules/iso9001-2015.yml");
    char *text = qms_test_read(file, NULL);
    free(file);
    return text;
}

static char *tmp_dirs[4];

static void free_dirs(void)
{
    for (size_t i = 0; i < 4; i++) {
        free(tmp_dirs[i]);
        tmp_dirs[i] = NULL;
    }
}

static const char *broken_pack(const char *from, const char *to)
{
    char *text = shipped_pack();
    cr_assert_not_null(text);
    char *at = strstr(text, from);
    cr_assert_not_null(at, "'%s' not in the pack", from);
    size_t len = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(len + 1);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    memcpy(out + head, to, strlen(to));
    strcpy(out + head + strlen(to), at + strlen(from));
    char *dir = qms_test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/iso9001-2015.yml", dir);
    cr_assert_eq(qms_test_write(path, out, strlen(out)), 0);
    free(text);
    free(out);
    for (size_t i = 0; i < 4; i++)
        if (!tmp_dirs[i]) {
            tmp_dirs[i] = dir;
            break;
        }
    return dir;
}

static void expect_init_error(const char *dir, const char *fragment)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    h.rules_dir = dir;
    cr_assert_lt(fake_init(&h, &state), 0, "init accepted a broken pack");
    cr_assert_null(state);
    cr_assert_not_null(strstr(h.error, fragment), "error \"%s\" lacks \"%s\"", h.error, fragment);
    cr_assert_not_null(strstr(h.error, "iso9001-2015.yml:"), "no file:line:column in \"%s\"", h.error);
}

Test(iso9001, shipped_pack_loads)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_not_null(state);
    fake_fini(state);
}

Test(iso9001, pack_with_bad_kind_is_refused_at_its_line, .fini = free_dirs)
{
    const char *dir = broken_pack("    kind: maintain\n", "    kind: keep\n");
    expect_init_error(dir, "kind must be maintain or retain, not 'keep'");
    /* the first requirement's kind: line and column of the value */
    char *text = shipped_pack();
    unsigned line = 1;
    for (char *p = text; p < strstr(text, "    kind: maintain\n"); p++)
        line += *p == '\n';
    free(text);
    char where[64];
    snprintf(where, sizeof where, "iso9001-2015.yml:%u:11:", line);
    cr_assert_not_null(strstr(h.error, where), "\"%s\" is not at %s", h.error, where);
}

Test(iso9001, pack_with_clause_outside_the_tree_is_refused, .fini = free_dirs)
{
    const char *dir = broken_pack("    clause: \"5.2.2\"\n", "    clause: \"5.2.9\"\n");
    expect_init_error(dir, "requirement quality-policy: clause 5.2.9 is not in the clause tree");
}

Test(iso9001, pack_with_unknown_key_is_refused, .fini = free_dirs)
{
    const char *dir = broken_pack("    excludable: false\n", "    excludable: false\n    mandatory: yes\n");
    expect_init_error(dir, "unknown key 'mandatory' in a requirement");
}

Test(iso9001, pack_with_unquoted_comma_title_is_refused, .fini = free_dirs)
{
    const char *dir = broken_pack("title: \"Organizational roles, responsibilities and authorities\"",
                                  "title: Organizational roles, responsibilities and authorities");
    expect_init_error(dir, "unknown key 'responsibilities and authorities' in a clause");
}

Test(iso9001, pack_with_bad_legacy_target_is_refused, .fini = free_dirs)
{
    const char *dir = broken_pack("to: [\"7.1.5\"]", "to: [\"7.1.9\"]");
    expect_init_error(dir, "legacy clause 7.6: 7.1.9 is not in the clause tree");
}

Test(iso9001, pack_that_is_not_yaml_is_refused, .fini = free_dirs)
{
    const char *dir = broken_pack("version: 1\n", "version: 1\n- item\n");
    void *state = NULL;
    memset(&h, 0, sizeof h);
    h.rules_dir = dir;
    cr_assert_lt(fake_init(&h, &state), 0);
    cr_assert_not_null(strstr(h.error, "iso9001-2015.yml:"), "%s", h.error);
}

Test(iso9001, missing_pack_is_refused)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    char *dir = qms_test_tmpdir();
    h.rules_dir = dir;
    cr_assert_lt(fake_init(&h, &state), 0);
    cr_assert(h.error[0]);
    free(dir);
}

Test(iso9001, plugin_option_selects_another_pack, .fini = free_dirs)
{
    void *state = NULL;
    const char *dir = broken_pack("standard: ISO 9001:2015\n", "standard: ISO 9001:2015 (test copy)\n");
    char from[1024], to[1024];
    snprintf(from, sizeof from, "%s/iso9001-2015.yml", dir);
    snprintf(to, sizeof to, "%s/other.yml", dir);
    cr_assert_eq(rename(from, to), 0);
    memset(&h, 0, sizeof h);
    h.rules_dir = dir;
    h.plugin_opts = fake_yaml("pack: other.yml\n");
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    const struct qms_doc *doc = fake_doc("a.md", "# A\n\nSee clause 8.8.\n");
    cr_assert_eq(fake_run(&h, state, &doc, 1), 0);
    cr_assert(fake_has(&h, "iso9001/unknown-clause", "clause 8.8 does not exist in ISO 9001:2015 (test copy)"));
    fake_fini(state);
}

Test(iso9001, unknown_plugin_option_is_refused)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    h.plugin_opts = fake_yaml("packs: other.yml\n");
    cr_assert_lt(fake_init(&h, &state), 0);
    cr_assert_not_null(strstr(h.error, "unknown option 'packs'"), "%s", h.error);
}

Test(iso9001, bad_report_weak_value_is_refused)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    h.rule_opts = fake_yaml("iso9001/missing-record: {report_weak: maybe}\n");
    cr_assert_lt(fake_init(&h, &state), 0);
    cr_assert_not_null(strstr(h.error, "options.yml:1:"), "%s", h.error);
    cr_assert_not_null(strstr(h.error, "report_weak must be true or false"), "%s", h.error);
}
