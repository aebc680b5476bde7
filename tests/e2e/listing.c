/* `qmslint rules` and `qmslint plugins`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

Test(listing, rules_lists_structure_rules_with_severity_and_summary)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("rules"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.out, "^RULE +SEVERITY +CLAUSE +SUMMARY$"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^structure/missing-section +warning +[-0-9.]+ +[^ ]"),
              "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^structure/heading-skip +info +"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^structure/empty-section +warning +"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^structure/placeholder-text +warning +"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^core/unreadable +error +"), "%s", r.out);
}

Test(listing, rules_are_sorted_by_id)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("rules"));
    char prev[256] = "";
    char *line = strtok(r.out, "\n"); /* header */
    cr_assert(line);
    size_t n = 0;
    while ((line = strtok(NULL, "\n"))) {
        char id[256];
        cr_assert_eq(sscanf(line, "%255s", id), 1);
        cr_assert(strcmp(prev, id) < 0, "%s after %s", id, prev);
        strcpy(prev, id);
        n++;
    }
    cr_assert(n >= 5);
}

Test(listing, rules_json_is_valid)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("rules", "--format", "json"));
    cr_assert_eq(r.status, 0);
    struct jv *root = jv_parse(r.out, NULL, 0);
    cr_assert(root, "%s", r.out);
    const struct jv *rules = jv_get(root, "rules");
    cr_assert(rules && rules->n >= 5);
    cr_assert(jv_get(&rules->items[0], "id") && jv_get(&rules->items[0], "clause") &&
              jv_get(&rules->items[0], "default_severity") && jv_get(&rules->items[0], "summary"));
}

Test(listing, plugins_lists_structure_with_its_file_and_rule_count)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("plugins"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.out, "^PLUGIN +VERSION +RULES +FILE$"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^structure +[0-9][^ ]* +4 +/.*/structure\\.so$"), "%s",
              r.out);
}

Test(listing, unloadable_plugin_in_plugin_path_is_refused)
{
    /* A .so in a --plugin-path folder that is not a plugin stops the command with exit 2. */
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "plugins/fake.so", "not an ELF file", 15);
    char *pdir = e2e_path(dir, "plugins");
    struct run r = e2e_run_all(dir, ARGV("plugins", "--plugin-path", pdir));
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.out);
    cr_assert(strstr(r.err, "fake.so"), "%s", r.err);
    cr_assert_eq(e2e_lines(r.err), 1, "%s", r.err);
}

Test(listing, plugin_refusal_stops_check_with_exit_two_and_no_output)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "plugins/fake.so", "not an ELF file", 15);
    e2e_write(dir, "docs/a.md", "# A\n\nText.\n", 11);
    char *pdir = e2e_path(dir, "plugins");
    struct run r =
        e2e_run_all(dir, ARGV("check", "--format", "json", "--plugin-path", pdir, "docs"));
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.out);
    cr_assert_str_empty(r.out);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: .*fake\\.so"), "%s", r.err);
}
