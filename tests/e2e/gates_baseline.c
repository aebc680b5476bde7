/* Baselines (issue 9): `qmslint baseline` records today's findings; `check --baseline` fails
 * only on new ones and counts the others. */
#include <criterion/criterion.h>
#include <string.h>

#include "gates.h"

#define STRICT_CONFIG \
    "rules:\n  structure/placeholder-text: error\n  structure/missing-section: off\n"

static char *legacy_set(void)
{
    return gates_set(".qmslint.yml", STRICT_CONFIG, "procedures/visitors.md",
                     "# Visitors\n\nContact: TBD\n\n## Parking\n\nSpaces: XXX\n", "forms/f1.md",
                     "# Form\n\nName: TBD\n", NULL);
}

static void edit(const char *dir, const char *rel, const char *text)
{
    e2e_write(dir, rel, text, strlen(text));
}

Test(baseline, round_trip_old_defects_pass_a_new_one_fails)
{
    char *dir = legacy_set();
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 1, "the legacy set fails without a baseline: %s", r.out);

    r = e2e_run(dir, ARGV("baseline", "."));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *text = gates_read(dir, ".qmslint-baseline.json");
    cr_assert(text, "baseline written at the set root");
    struct jv *b = gates_json(text);
    cr_assert_eq(jv_get(b, "version")->number, 1);
    cr_assert_eq(jv_get(b, "findings")->n, 3);
    cr_assert_null(strstr(text, "\"line\""), "no line numbers in a baseline");

    char *file = e2e_path(dir, ".qmslint-baseline.json");
    r = e2e_run(NULL, ARGV("check", "--baseline", file, dir));
    cr_assert_eq(r.status, 0, "old findings do not fail: %s", r.out);
    cr_assert(strstr(r.out, "3 in baseline"), "%s", r.out);
    cr_assert_null(strstr(r.out, "[structure/placeholder-text]"), "%s", r.out);

    edit(dir, "forms/f2.md", "# Form 2\n\nSigned: [Company Name]\n");
    r = e2e_run(NULL, ARGV("check", "--baseline", file, dir));
    cr_assert_eq(r.status, 1, "a new defect fails: %s", r.out);
    cr_assert(strstr(r.out, "forms/f2.md:3:"), "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 1, "only the new one: %s", r.out);
}

Test(baseline, moved_lines_are_still_the_same_finding)
{
    char *dir = legacy_set();
    cr_assert_eq(e2e_run(dir, ARGV("baseline")).status, 0);
    edit(dir, "procedures/visitors.md",
         "# Visitors\n\nA new introduction.\n\nAnd another paragraph.\n\nContact: TBD\n\n"
         "## Parking\n\nSpaces: XXX\n");
    struct run r = e2e_run(NULL, ARGV("check", "--baseline",
                                      e2e_path(dir, ".qmslint-baseline.json"), dir));
    cr_assert_eq(r.status, 0, "%s", r.out);
}

Test(baseline, a_second_copy_of_an_old_defect_is_new)
{
    char *dir = legacy_set();
    cr_assert_eq(e2e_run(dir, ARGV("baseline")).status, 0);
    edit(dir, "forms/f1.md", "# Form\n\nName: TBD\n\nDate: TBD\n");
    struct run r = e2e_run(NULL, ARGV("check", "--baseline",
                                      e2e_path(dir, ".qmslint-baseline.json"), dir));
    cr_assert_eq(r.status, 1, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 1, "%s", r.out);
}

Test(baseline, sarif_marks_new_and_unchanged_results)
{
    char *dir = legacy_set();
    cr_assert_eq(e2e_run(dir, ARGV("baseline")).status, 0);
    edit(dir, "forms/f2.md", "# Form 2\n\nLorem ipsum\n");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "sarif", "--baseline",
                                      e2e_path(dir, ".qmslint-baseline.json"), dir));
    cr_assert_eq(r.status, 1);
    cr_assert_eq(e2e_count(r.out, "\"baselineState\": \"unchanged\""), 3, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"baselineState\": \"new\""), 1, "%s", r.out);
}

Test(baseline, output_names_another_file)
{
    char *dir = legacy_set();
    char *file = e2e_path(dir, "custom-baseline.json");
    struct run r = e2e_run(dir, ARGV("baseline", "--output", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(gates_exists(dir, "custom-baseline.json"));
    cr_assert_not(gates_exists(dir, ".qmslint-baseline.json"));
}

Test(baseline, a_broken_baseline_file_stops_the_run)
{
    char *dir = legacy_set();
    edit(dir, "bad.json", "{\"version\": 1, \"findings\": [{\"fingerprint\": \"xyz\"}]}\n");
    struct run r = e2e_run(NULL, ARGV("check", "--baseline", e2e_path(dir, "bad.json"), dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "fingerprint"), "%s", r.err);
    r = e2e_run(NULL, ARGV("check", "--baseline", e2e_path(dir, "missing.json"), dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "missing.json"), "%s", r.err);
}

Test(baseline, the_config_names_the_baseline_for_check_and_baseline)
{
    char *dir = gates_set(".qmslint.yml", STRICT_CONFIG "baseline: ci/accepted.json\n",
                          "ci/.keep.md", "# Keep\n\nNothing to see.\n", "a.md", "# A\n\nTBD\n",
                          NULL);
    struct run r = e2e_run(dir, ARGV("baseline"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(gates_exists(dir, "ci/accepted.json"), "written where the config says");
    r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "no --baseline needed: %s", r.out);
    cr_assert(strstr(r.out, "1 in baseline"), "%s", r.out);
}
