/* Rule packs and the options that pick them: validated with file:line:column messages. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

static struct fake_host host;

/* A rules folder holding the real placeholders.yml and `types` as NAME. */
static char *rules_with(const char *name, const char *types)
{
    char *dir = qms_test_tmpdir(), path[4096];
    size_t len = 0;
    char *placeholders = qms_test_read(QMS_TEST_SOURCE_DIR "/rules/placeholders.yml", &len);
    cr_assert_not_null(placeholders);
    snprintf(path, sizeof path, "%s/placeholders.yml", dir);
    cr_assert_eq(qms_test_write(path, placeholders, len), 0);
    free(placeholders);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, types, strlen(types)), 0);
    return dir;
}

static void expect_init_error(const char *types, const char *where)
{
    void *state = NULL;
    char expected[4096];
    host.rules_dir = rules_with("document-types.yml", types);
    cr_assert_lt(fake_plugin_init(&host, &state), 0);
    cr_assert_null(state);
    snprintf(expected, sizeof expected, "%s/document-types.yml:%s", host.rules_dir, where);
    cr_assert_str_eq(host.error, expected);
}

Test(structure, shipped_packs_load_and_every_pattern_compiles)
{
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(&host, &state), 0, "%s", host.error);
    cr_assert_not_null(state);
    fake_plugin_fini(state);
}

Test(structure, descriptor_lists_four_rules_with_default_severities)
{
    const struct qms_plugin *p = fake_plugin_desc();
    cr_assert_eq(p->abi_major, QMS_ABI_MAJOR);
    cr_assert_str_eq(p->name, "structure");
    cr_assert_eq(p->n_rules, 4);
    cr_assert_str_eq(p->rules[0].id, "structure/missing-section");
    cr_assert_eq(p->rules[0].default_severity, QMS_SEV_WARNING);
    cr_assert_str_eq(p->rules[1].id, "structure/empty-section");
    cr_assert_eq(p->rules[1].default_severity, QMS_SEV_WARNING);
    cr_assert_str_eq(p->rules[2].id, "structure/heading-skip");
    cr_assert_eq(p->rules[2].default_severity, QMS_SEV_INFO);
    cr_assert_str_eq(p->rules[3].id, "structure/placeholder-text");
    cr_assert_eq(p->rules[3].default_severity, QMS_SEV_WARNING);
}

Test(structure, pack_unknown_key_is_refused_with_position)
{
    expect_init_error("types:\n  - name: memo\n    sections: [Body]\n    colour: blue\n",
                      "4:13: unknown key 'colour' in a document type");
}

Test(structure, pack_type_without_sections_is_refused)
{
    expect_init_error("types:\n  - name: memo\n    id_prefixes: [MEMO-]\n",
                      "2:5: document type 'memo' needs a list of sections");
}

Test(structure, pack_bad_id_prefix_is_refused)
{
    expect_init_error("types:\n  - name: memo\n    id_prefixes: [M/E]\n    sections: [Body]\n",
                      "3:19: id prefix 'M/E' must be letters with an optional trailing '-', '_' or '.'");
}

Test(structure, pack_that_is_not_a_map_is_refused)
{
    expect_init_error("- just\n- a list\n", "1:1: document-types.yml must be a map with 'types'");
}

Test(structure, document_types_option_picks_another_pack)
{
    host.rules_dir = rules_with("memo-types.yml",
                                "types:\n  - name: memo\n    id_prefixes: [MEMO-]\n"
                                "    sections:\n      - name: Body\n        synonyms: [Body, Text]\n");
    /* a folder part is ignored: packs come from the rules folder only */
    host.rule_opts = fake_yaml("structure/missing-section:\n  document_types: elsewhere/memo-types.yml\n");
    fake_check_text(&host, "MEMO-1.md", "# MEMO-1 Lunch\n## Menu\nSoup.\n");
    cr_assert_eq(fake_count(&host, "structure/missing-section"), 1);
    cr_assert_str_eq(host.findings[0].message, "memo MEMO-1 has no 'Body' section (type from ID prefix MEMO-)");
}

Test(structure, missing_pack_fails_init)
{
    void *state = NULL;
    host.rule_opts = fake_yaml("structure/missing-section:\n  document_types: nope.yml\n");
    cr_assert_lt(fake_plugin_init(&host, &state), 0);
    cr_assert(strstr(host.error, "nope.yml"), "%s", host.error);
}

Test(structure, older_host_without_regex_api_is_refused_with_reason)
{
    void *state = NULL;
    uint32_t size = (uint32_t)offsetof(struct qms_host_api, regex_compile);
    cr_assert_lt(fake_plugin_init_old_host(&host, size, &state), 0);
    cr_assert_null(state);
    cr_assert_str_eq(host.error, "structure: the host API is older than this plugin needs");
}
