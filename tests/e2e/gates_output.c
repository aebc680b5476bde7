/* --output FILE (issue 9): atomic writes, several --format/--output pairs in one run, and a
 * failing run that leaves no partial file. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>

#include "gates.h"

static size_t entries(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    cr_assert(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(output_file, writes_the_report_to_the_file_and_nothing_to_stdout)
{
    char *out_dir = qms_test_tmpdir();
    char *out = e2e_path(out_dir, "report.json");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", "--output", out,
                                      e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.out);
    struct jv *root = gates_json(qms_test_read(out, NULL));
    cr_assert(jv_at(root, "summary.findings")->number > 0);
    cr_assert_eq(entries(out_dir), 1, "no temporary file left beside the report");
}

Test(output_file, several_format_output_pairs_in_one_run)
{
    char *out_dir = qms_test_tmpdir();
    char *sarif = e2e_path(out_dir, "qmslint.sarif");
    char *junit = e2e_path(out_dir, "junit.xml");
    char *gitlab = e2e_path(out_dir, "gl-code-quality.json");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "text", "--format", "sarif",
                                      "--output", sarif, "--format", "junit", "-o", junit,
                                      "--format=gitlab", "--output=" , e2e_fixture("e2e/warnings")));
    /* "--output=" is an empty file name: refused before anything runs */
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--output"), "%s", r.err);
    r = e2e_run(NULL, ARGV("check", "--format", "text", "--format", "sarif", "--output", sarif,
                           "--format", "junit", "-o", junit, "--format", "gitlab", "--output",
                           gitlab, e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[structure/placeholder-text]"), "text on stdout: %s", r.out);
    cr_assert(strstr(qms_test_read(sarif, NULL), "\"version\": \"2.1.0\""));
    cr_assert(strstr(qms_test_read(junit, NULL), "<testsuites"));
    cr_assert_eq(gates_json(qms_test_read(gitlab, NULL))->type, JV_ARRAY);
    cr_assert_eq(entries(out_dir), 3);
}

Test(output_file, output_alone_is_the_text_report)
{
    char *out_dir = qms_test_tmpdir();
    char *out = e2e_path(out_dir, "lint.txt");
    struct run r = e2e_run(NULL, ARGV("check", "--output", out, e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.out);
    cr_assert(strstr(qms_test_read(out, NULL), "warning: placeholder"));
}

Test(output_file, a_failing_run_leaves_no_partial_file)
{
    char *dir = gates_set(".qmslint.yml", "rules:\n  structure/no-such-rule: error\n", "a.md",
                          "# A\n\nTBD\n", NULL);
    char *out = e2e_path(dir, "report.sarif");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "sarif", "--output", out, dir));
    cr_assert_eq(r.status, 2, "a bad config stops the run: %s", r.err);
    cr_assert_not(gates_exists(dir, "report.sarif"), "no report from a failed run");
    cr_assert_eq(entries(dir), 2, "no temporary file either");
}

Test(output_file, a_failing_run_keeps_the_previous_report)
{
    char *dir = gates_set("a.md", "# A\n\nTBD\n", "report.json", "previous\n", NULL);
    char *out = e2e_path(dir, "report.json");
    /* the waivers file is invalid: exit 2 after the documents were checked */
    const char *bad = "waivers:\n  - rule: structure/placeholder-text\n    document: a.md\n";
    e2e_write(dir, "w.yml", bad, strlen(bad));
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", "--output", out, "--waivers",
                                      e2e_path(dir, "w.yml"), dir));
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "justification"), "%s", r.err);
    cr_assert_str_eq(qms_test_read(out, NULL), "previous\n");
}

Test(output_file, an_unwritable_folder_is_an_error)
{
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", "--output",
                                      "/nonexistent-folder/x.json", e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent-folder/x.json"), "%s", r.err);
}

Test(output_file, a_symlinked_report_is_replaced_behind_its_link)
{
    char *dir = gates_set("reports/real.json", "old\n", NULL);
    char *link = e2e_path(dir, "latest.json");
    cr_assert_eq(gates_sh("ln -s reports/real.json '%s'", link), 0);
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", "--output", link,
                                      e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(gates_sh("test -L '%s'", link), 0, "the link is kept");
    cr_assert(strstr(gates_read(dir, "reports/real.json"), "\"schema_version\""));
    cr_assert_eq(entries(e2e_path(dir, "reports")), 1, "no temporary file left");
}

Test(output_file, a_folder_is_refused)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", "--output", dir,
                                      e2e_fixture("e2e/warnings")));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "is a folder"), "%s", r.err);
}
