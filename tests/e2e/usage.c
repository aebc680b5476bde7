/* The command line itself: version, help, and every usage error with exit status 2 and one
 * "qmslint: ..." line on stderr. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void assert_usage_error(struct run r, const char *fragment)
{
    cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_assert(strncmp(r.err, "qmslint: ", 9) == 0, "stderr: %s", r.err);
    cr_assert_eq(e2e_lines(r.err), 1, "one line expected: %s", r.err);
    cr_assert(strstr(r.err, fragment), "'%s' not in: %s", fragment, r.err);
    cr_assert_str_empty(r.out, "nothing on stdout: %s", r.out);
}

Test(cli, version_prints_name_and_version)
{
    struct run r = e2e_run(NULL, ARGV("--version"));
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "qmslint 0.1.0\n");
}

Test(cli, help_lists_every_command_on_stdout)
{
    const char *const *forms[] = {ARGV("--help"), ARGV("-h"), ARGV("help")};
    for (size_t i = 0; i < 3; i++) {
        struct run r = e2e_run(NULL, forms[i]);
        cr_assert_eq(r.status, 0);
        for (const char *const *w = ARGV("check", "dump", "rules", "plugins", "--fail-on",
                                         "--format", "exit status");
             *w; w++)
            cr_assert(strstr(r.out, *w), "help lacks %s", *w);
    }
}

Test(cli, no_command_is_a_usage_error)
{
    const char *const argv[] = {NULL};
    struct run r = e2e_run(NULL, argv);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "usage: qmslint"));
}

Test(cli, unknown_command_is_refused)
{
    assert_usage_error(e2e_run(NULL, ARGV("lint")), "unknown command 'lint'");
}

Test(cli, unknown_option_is_refused)
{
    assert_usage_error(e2e_run(NULL, ARGV("check", "--frobnicate")),
                       "unknown option '--frobnicate'");
    assert_usage_error(e2e_run(NULL, ARGV("check", "-Z")), "unknown option '-Z'");
}

Test(cli, option_without_its_value_is_refused)
{
    assert_usage_error(e2e_run(NULL, ARGV("check", "--format")), "'--format' needs a value");
}

Test(cli, bad_option_values_are_refused)
{
    assert_usage_error(e2e_run(NULL, ARGV("check", "--format", "xml")), "unknown format 'xml'");
    assert_usage_error(e2e_run(NULL, ARGV("check", "--fail-on", "fatal")),
                       "unknown level 'fatal'");
    assert_usage_error(e2e_run(NULL, ARGV("check", "--jobs", "many")), "--jobs");
    assert_usage_error(e2e_run(NULL, ARGV("check", "-j", "-3")), "--jobs");
    assert_usage_error(e2e_run(NULL, ARGV("check", "--today", "2024-02-30")),
                       "'2024-02-30' is not a date");
    assert_usage_error(e2e_run(NULL, ARGV("check", "--today=yesterday")), "not a date");
    assert_usage_error(e2e_run(NULL, ARGV("check", "--quiet=yes")), "takes no value");
}

Test(cli, quiet_and_verbose_exclude_each_other)
{
    assert_usage_error(e2e_run(NULL, ARGV("check", "-q", "-v")), "--quiet and --verbose");
}

Test(cli, leap_day_is_a_valid_today)
{
    char *dir = e2e_fixture("e2e/clean");
    struct run r = e2e_run(NULL, ARGV("check", "--today", "2024-02-29", dir));
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
}

Test(cli, missing_path_is_a_usage_error)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("check", "no-such-folder"));
    assert_usage_error(r, "no-such-folder: no such file or directory");
}

Test(cli, dump_needs_exactly_one_file)
{
    assert_usage_error(e2e_run(NULL, ARGV("dump")), "exactly one FILE");
}

Test(cli, rules_takes_no_arguments)
{
    assert_usage_error(e2e_run(NULL, ARGV("rules", "extra")), "takes no arguments");
}

/* --output landed with issue 9 (tests/e2e/gates_output.c); what stays a usage error is an
 * --output without its file. */
Test(cli, output_option_needs_a_file)
{
    assert_usage_error(e2e_run(NULL, ARGV("check", "--output")), "--output");
}

Test(cli, only_plugin_with_an_unknown_name_is_refused)
{
    char *dir = e2e_fixture("e2e/clean");
    struct run r = e2e_run_all(NULL, ARGV("check", "--only-plugin", "no-such-plugin", dir));
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "no-such-plugin"), "%s", r.err);
    cr_assert_str_empty(r.out);
}
