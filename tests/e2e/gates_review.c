/* Regression tests from the review of the CI gates (issue 9): suppression comments that must
 * not suppress, GitLab fingerprints and baselines with many copies of one finding. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gates.h"

Test(suppress_review, unterminated_nested_and_code_comments_do_not_suppress)
{
    char *dir = gates_set("a.md",
                          "# A\n\n"
                          "```\n<!-- qmslint-disable -->\n```\n\nTBD\n\n"           /* code block */
                          "Inline `<!-- qmslint-disable -->` code.\n\nTBD\n\n"      /* code span */
                          "<!-- <!-- qmslint-disable structure/placeholder-text -->\n\nTBD\n\n"
                          "<!-- qmslint-disable structure/placeholder-text\n\nTBD\n", /* open */
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    /* the last TBD is inside the never-closed comment (an HTML block to the end): not text */
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 3, "%s", r.out);
    cr_assert_null(strstr(r.out, "suppressed"), "%s", r.out);
}

Test(suppress_review, a_terminated_comment_still_suppresses)
{
    char *dir = gates_set("a.md",
                          "# A\n\n<!-- qmslint-disable structure/placeholder-text -->\n\nTBD\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 0, "%s", r.out);
    cr_assert(strstr(r.out, "1 suppressed inline"), "%s", r.out);
}

/* n lines "Item k: TBD": n findings with one fingerprint. */
static char *copies(size_t n)
{
    static char text[8192];
    size_t len = (size_t)snprintf(text, sizeof text, "# Form\n\n");
    for (size_t i = 0; i < n && len < sizeof text - 64; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "Item: TBD\n\n");
    return text;
}

Test(gitlab_review, copies_of_one_finding_get_numbered_unique_fingerprints)
{
    char *dir = gates_set("f.md", copies(5), NULL);
    struct run r = e2e_run(NULL, ARGV("check", "--format", "gitlab", dir));
    struct jv *root = gates_json(r.out);
    cr_assert_eq(root->type, JV_ARRAY);
    size_t n = 0;
    const char *base = NULL;
    for (size_t i = 0; i < root->n; i++) {
        const struct jv *it = &root->items[i];
        if (strcmp(jv_get(it, "check_name")->string, "structure/placeholder-text") != 0)
            continue;
        const char *fp = jv_get(it, "fingerprint")->string;
        if (!base) {
            base = fp;
            cr_assert_eq(strlen(fp), 32, "%s", fp);
        } else {
            char want[64];
            snprintf(want, sizeof want, "%s-%zu", base, n + 1);
            cr_assert_str_eq(fp, want, "copy %zu", n + 1);
        }
        n++;
    }
    cr_assert_eq(n, 5, "%s", r.out);
}

Test(baseline_review, each_baselined_copy_matches_once_and_the_next_is_new)
{
    char *dir = gates_set(".qmslint.yml", "rules:\n  structure/placeholder-text: error\n", "f.md",
                          copies(40), NULL);
    cr_assert_eq(e2e_run(dir, ARGV("baseline")).status, 0);
    char *file = e2e_path(dir, ".qmslint-baseline.json");
    struct run r = e2e_run(NULL, ARGV("check", "--baseline", file, dir));
    cr_assert_eq(r.status, 0, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 0, "%s", r.out);
    const char *in = strstr(r.out, " in baseline");
    cr_assert(in, "%s", r.out);
    while (in > r.out && in[-1] >= '0' && in[-1] <= '9')
        in--;
    char counted[64];
    snprintf(counted, sizeof counted, "%.*s in baseline", (int)(strspn(in, "0123456789")), in);
    e2e_write(dir, "f.md", copies(42), strlen(copies(42)));
    r = e2e_run(NULL, ARGV("check", "--baseline", file, dir));
    cr_assert_eq(r.status, 1, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 2, "%s", r.out);
    cr_assert(strstr(r.out, counted), "the same %s: %s", counted, r.out);
}

Test(suppress_review, a_comment_never_closed_in_a_quote_does_not_suppress_what_follows)
{
    /* the HTML block ends with its block quote; the comment inside never closed */
    char *dir = gates_set("a.md",
                          "# A\n\n> <!-- qmslint-disable structure/placeholder-text\n\nTBD\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 1, "%s", r.out);
    cr_assert_null(strstr(r.out, "suppressed"), "%s", r.out);
}

Test(sarif_review, a_colon_in_a_file_name_does_not_make_the_uri_a_scheme)
{
    char *dir = gates_set("Rev:A notes.md", "# Notes\n\nTBD\n", NULL);
    struct run r = e2e_run(NULL, ARGV("check", "--format", "sarif", dir));
    struct jv *root = gates_json(r.out);
    const struct jv *results = jv_at(root, "runs.0.results");
    cr_assert(results && results->n > 0, "%s", r.out);
    size_t found = 0;
    for (size_t i = 0; i < results->n; i++) {
        const struct jv *uri =
            jv_at(&results->items[i], "locations.0.physicalLocation.artifactLocation.uri");
        cr_assert(uri && uri->type == JV_STRING);
        cr_assert_null(strchr(uri->string, ':'), "%s", uri->string);
        found += strcmp(uri->string, "Rev%3AA%20notes.md") == 0;
    }
    cr_assert(found > 0, "%s", r.out);
}
