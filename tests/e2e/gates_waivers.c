/* Waivers (issue 9): .qmslint-waivers.yml entries with a justification, approver and expiry;
 * waived findings are counted and emitted as SARIF suppressions; expired waivers report. */
#include <criterion/criterion.h>
#include <string.h>

#include "gates.h"

#define WAIVERS                                                                                    \
    "waivers:\n"                                                                                   \
    "  - rule: structure/placeholder-text\n"                                                       \
    "    document: \"forms/*.md\"\n"                                                               \
    "    justification: Blank forms keep their placeholders by design.\n"                          \
    "    approver: J. Smith (QA manager)\n"                                                        \
    "    expires: 2030-06-30\n"

static char *waived_set(const char *waivers)
{
    return gates_set(".qmslint.yml", "rules:\n  structure/missing-section: off\n",
                     ".qmslint-waivers.yml", waivers, "forms/f1.md", "# Form\n\nName: TBD\n",
                     "procedures/p1.md", "# Procedure\n\nOwner: TBD\n", NULL);
}

Test(waivers, the_default_file_waives_matching_findings_and_counts_them)
{
    char *dir = waived_set(WAIVERS);
    struct run r = e2e_run(NULL, ARGV("check", "--today", "2026-01-01", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "forms/f1.md"), "%s", r.out);
    cr_assert(strstr(r.out, "procedures/p1.md:3:1: warning: placeholder"), "%s", r.out);
    cr_assert(strstr(r.out, "; 1 waived"), "%s", r.out);
    struct jv *j = gates_json(e2e_run(NULL, ARGV("check", "--format", "json", "--today",
                                                 "2026-01-01", dir)).out);
    cr_assert_eq(jv_at(j, "summary.waived")->number, 1);
}

Test(waivers, sarif_carries_the_justification_and_approver)
{
    char *dir = waived_set(WAIVERS);
    struct run r = e2e_run(NULL, ARGV("check", "--format", "sarif", "--today", "2026-01-01", dir));
    struct jv *root = gates_json(r.out);
    const struct jv *results = jv_at(root, "runs.0.results");
    int found = 0;
    for (size_t i = 0; i < results->n; i++) {
        const struct jv *s = jv_at(&results->items[i], "suppressions.0");
        if (!s)
            continue;
        found++;
        cr_assert_str_eq(jv_get(s, "kind")->string, "external");
        const char *why = jv_get(s, "justification")->string;
        cr_assert(strstr(why, "Blank forms keep their placeholders by design."), "%s", why);
        cr_assert(strstr(why, "J. Smith (QA manager)") && strstr(why, "2030-06-30"), "%s", why);
    }
    cr_assert_eq(found, 1);
}

Test(waivers, an_expired_waiver_stops_waiving_and_is_reported)
{
    char *dir = waived_set(WAIVERS);
    struct run r = e2e_run(NULL, ARGV("check", "--today", "2030-07-01", dir));
    cr_assert(strstr(r.out, "forms/f1.md:3:1: warning: placeholder"), "%s", r.out);
    cr_assert(strstr(r.out, ".qmslint-waivers.yml:2:5: warning: waiver for "
                            "structure/placeholder-text on forms/*.md expired on 2030-06-30"),
              "%s", r.out);
    cr_assert(strstr(r.out, "[core/expired-waiver]"));
    cr_assert_null(strstr(r.out, "waived"), "%s", r.out);
    /* the last day is still covered */
    r = e2e_run(NULL, ARGV("check", "--today", "2030-06-30", dir));
    cr_assert_null(strstr(r.out, "expired-waiver"), "%s", r.out);
}

Test(waivers, clause_restricts_a_waiver_to_rules_serving_it)
{
    char *dir = waived_set("waivers:\n  - rule: \"structure/*\"\n    document: \"*\"\n"
                           "    clause: \"8.5\"\n    justification: production only\n");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 2, "7.5.2 is not 8.5: %s", r.out);
    dir = waived_set("waivers:\n  - rule: \"structure/*\"\n    document: \"*\"\n"
                     "    clause: \"7.5\"\n    justification: documented information\n");
    r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 0, "%s", r.out);
    cr_assert(strstr(r.out, "2 waived"), "%s", r.out);
}

Test(waivers, a_waiver_without_justification_stops_the_run)
{
    char *dir = waived_set("waivers:\n  - rule: structure/placeholder-text\n    document: x.md\n");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, ".qmslint-waivers.yml:2:5: waiver without 'justification'"), "%s",
              r.err);
}

Test(waivers, unknown_keys_and_bad_dates_are_errors_with_a_position)
{
    char *dir = waived_set("waivers:\n  - rule: structure/placeholder-text\n    document: x.md\n"
                           "    justification: ok\n    expiry: 2030-01-01\n");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, ":5:5: unknown key 'expiry'"), "%s", r.err);
    dir = waived_set("waivers:\n  - rule: structure/placeholder-text\n    document: x.md\n"
                     "    justification: ok\n    expires: 2030-02-30\n");
    r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not a date"), "%s", r.err);
}

Test(waivers, a_waiver_for_an_unknown_rule_is_reported)
{
    char *dir = waived_set("waivers:\n  - rule: structure/placeholder-txt\n    document: \"*\"\n"
                           "    justification: typo\n");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert(strstr(r.out, ".qmslint-waivers.yml:2:5: warning: waiver names unknown rule "
                            "'structure/placeholder-txt' [core/unknown-suppression]"),
              "%s", r.out);
}

Test(waivers, the_config_can_name_another_waivers_file)
{
    char *dir = gates_set(".qmslint.yml",
                          "rules:\n  structure/missing-section: off\nwaivers: audit/waivers.yml\n",
                          "audit/waivers.yml", WAIVERS, "forms/f1.md", "# Form\n\nName: TBD\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", "--today", "2026-01-01", dir));
    cr_assert(strstr(r.out, "1 waived"), "%s%s", r.out, r.err);
    e2e_write(dir, ".qmslint.yml", "waivers: missing.yml\n", 21);
    r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 2, "a configured waivers file must exist: %s", r.out);
    cr_assert(strstr(r.err, "missing.yml"), "%s", r.err);
}
