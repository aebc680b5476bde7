/* Output is byte-identical whatever the number of worker threads. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *generated_set(size_t n)
{
    char *dir = qms_test_tmpdir();
    for (size_t i = 0; i < n; i++) {
        char name[64], body[512];
        snprintf(name, sizeof name, "%s/QP-%03zu.md", i % 3 ? "procedures" : "forms", i);
        int len = snprintf(body, sizeof body,
                           "# Document %zu\n\nOwner: %s\n\n## Part one\n\n%s"
                           "Text of document %zu.\n\n## Empty\n\n## Last\n\nDone.\n",
                           i, i % 2 ? "TBD" : "Quality manager",
                           i % 4 == 0 ? "#### Deep\n\n" : "", i);
        e2e_write(dir, name, body, (size_t)len);
    }
    e2e_write(dir, "broken.md", "\xff\xfe not UTF-8\n", 13);
    return dir;
}

Test(determinism, jobs_1_and_jobs_8_give_identical_text, .timeout = 120)
{
    char *dir = generated_set(60);
    struct run one = e2e_run(dir, ARGV("check", "--jobs", "1"));
    struct run eight = e2e_run(dir, ARGV("check", "-j8"));
    cr_assert_eq(one.status, eight.status);
    cr_assert(e2e_lines(one.out) > 60, "findings expected: %s", one.out);
    cr_assert_str_eq(one.out, eight.out);
}

Test(determinism, jobs_1_and_jobs_8_give_identical_json, .timeout = 120)
{
    char *dir = generated_set(60);
    struct run one = e2e_run(dir, ARGV("check", "--format", "json", "--jobs=1"));
    struct run eight = e2e_run(dir, ARGV("check", "--format", "json", "--jobs=8"));
    cr_assert_str_eq(one.out, eight.out);
    cr_assert(jv_parse(one.out, NULL, 0));
}

Test(determinism, repeated_runs_are_identical, .timeout = 120)
{
    char *dir = generated_set(20);
    struct run a = e2e_run(dir, ARGV("check", "--format", "json"));
    struct run b = e2e_run(dir, ARGV("check", "--format", "json"));
    cr_assert_str_eq(a.out, b.out);
}

Test(determinism, findings_are_sorted_by_path_then_line)
{
    char *dir = generated_set(12);
    struct run r = e2e_run(dir, ARGV("check", "-q", "-j4"));
    char prev_path[256] = "";
    unsigned prev_line = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        char path[256];
        unsigned ln = 0;
        char *colon = strchr(line, ':');
        cr_assert(colon);
        snprintf(path, sizeof path, "%.*s", (int)(colon - line), line);
        sscanf(colon + 1, "%u", &ln);
        int cmp = strcmp(prev_path, path);
        cr_assert(cmp < 0 || (cmp == 0 && ln >= prev_line), "out of order: %s after %s:%u", line,
                  prev_path, prev_line);
        snprintf(prev_path, sizeof prev_path, "%s", path);
        prev_line = ln;
    }
}
