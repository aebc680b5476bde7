/* Exit status by severity: --fail-on and the config's fail_on, and 2 for config errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

Test(exit_codes, clean_set_exits_zero)
{
    char *dir = e2e_fixture("e2e/clean");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "exit %d\nstdout: %s\nstderr: %s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, "0 errors, 0 warnings, 0 info in 1 document\n");
}

Test(exit_codes, warnings_pass_the_default_fail_on_error)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "warning: "), "a warning expected: %s", r.out);
}

Test(exit_codes, fail_on_warning_fails_on_a_warning)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run(NULL, ARGV("check", "--fail-on", "warning", dir));
    cr_assert_eq(r.status, 1, "exit %d\n%s%s", r.status, r.out, r.err);
}

Test(exit_codes, fail_on_warning_ignores_info)
{
    char *dir = e2e_fixture("e2e/info");
    struct run r = e2e_run(NULL, ARGV("check", "--fail-on=warning", dir));
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "info: "), "an info finding expected: %s", r.out);
}

Test(exit_codes, fail_on_info_fails_on_info)
{
    char *dir = e2e_fixture("e2e/info");
    struct run r = e2e_run(NULL, ARGV("check", "--fail-on", "info", dir));
    cr_assert_eq(r.status, 1, "exit %d\n%s%s", r.status, r.out, r.err);
}

static char *set_with_unreadable(void)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "good.md", "# Good\n\nText.\n", 14);
    e2e_write(dir, "broken.md", "# Broken\n\x01\x02\x00\x03binary\n", 20);
    return dir;
}

Test(exit_codes, unreadable_document_is_an_error_finding)
{
    char *dir = set_with_unreadable();
    struct run r = e2e_run(dir, ARGV("check"));
    cr_assert_eq(r.status, 1, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(e2e_some_line_matches(r.out, "^broken\\.md(:[0-9]+(:[0-9]+)?)?: error: .*\\[core/unreadable\\]$"),
              "%s", r.out);
    cr_assert(strstr(r.out, "in 2 documents"), "%s", r.out);
}

Test(exit_codes, fail_on_never_always_exits_zero)
{
    char *dir = set_with_unreadable();
    struct run r = e2e_run(dir, ARGV("check", "--fail-on", "never"));
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "[core/unreadable]"));
}

Test(exit_codes, config_fail_on_applies_and_the_command_line_wins)
{
    char *dir = qms_test_tmpdir();
    char *fix = e2e_fixture("e2e/warnings/guide.md");
    size_t len = 0;
    char *guide = qms_test_read(fix, &len);
    cr_assert(guide);
    e2e_write(dir, "guide.md", guide, len);
    e2e_write(dir, ".qmslint.yml", "fail_on: warning\n", 17);
    struct run r = e2e_run(dir, ARGV("check"));
    cr_assert_eq(r.status, 1, "config fail_on: warning; exit %d\n%s%s", r.status, r.out, r.err);
    r = e2e_run(dir, ARGV("check", "--fail-on", "error"));
    cr_assert_eq(r.status, 0, "--fail-on error wins; exit %d\n%s%s", r.status, r.out, r.err);
}

Test(exit_codes, bad_config_exits_two_with_its_position)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "a.md", "# A\n\nText.\n", 11);
    e2e_write(dir, ".qmslint.yml", "version: 1\nrulez: {}\n", 21);
    struct run r = e2e_run(dir, ARGV("check"));
    cr_assert_eq(r.status, 2, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert_eq(e2e_lines(r.err), 1, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: .*\\.qmslint\\.yml:2:1: .*rulez"), "%s",
              r.err);
    cr_assert_str_empty(r.out);
}

Test(exit_codes, explicit_config_file_is_used)
{
    char *dir = qms_test_tmpdir(), *cfgdir = qms_test_tmpdir();
    e2e_write(dir, "a.md", "# A\n\nText.\n", 11);
    e2e_write(cfgdir, "strict.yml", "fail_on: [1, 2]\n", 16);
    char *cfg = e2e_path(cfgdir, "strict.yml");
    struct run r = e2e_run(dir, ARGV("check", "--config", cfg));
    cr_assert_eq(r.status, 2, "a bad --config must stop the run: %d %s", r.status, r.err);
    cr_assert(strstr(r.err, "strict.yml:1:"), "%s", r.err);
}

Test(exit_codes, unknown_rule_in_config_exits_two)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "a.md", "# A\n\nText.\n", 11);
    const char *cfg = "rules:\n  structure/no-such-rule: off\n";
    e2e_write(dir, ".qmslint.yml", cfg, strlen(cfg));
    struct run r = e2e_run(dir, ARGV("check"));
    cr_assert_eq(r.status, 2, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.err, ".qmslint.yml:2:"), "%s", r.err);
}
