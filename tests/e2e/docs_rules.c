/* Docs move with code: every rule `qmslint rules` lists has its page in docs/rules/, with a
 * failing and a passing example, and the rules index names it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

Test(docs, every_rule_has_a_page_with_examples_and_an_index_entry)
{
    const char *argv[] = {"rules", NULL};
    char *out = NULL;
    cr_assert_eq(qms_test_run(NULL, argv, &out, NULL), 0);
    char *index = qms_test_read(QMS_TEST_SOURCE_DIR "/docs/rules/README.md", NULL);
    cr_assert_not_null(index, "docs/rules/README.md is missing");
    size_t checked = 0;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "RULE", 4) == 0)
            continue;
        char id[128];
        if (sscanf(line, "%127s", id) != 1 || !strchr(id, '/'))
            continue;
        char page[256], link[160];
        snprintf(link, sizeof link, "%s", id);
        *strchr(link, '/') = '-';
        snprintf(page, sizeof page, "%s/docs/rules/%s.md", QMS_TEST_SOURCE_DIR, link);
        char *text = qms_test_read(page, NULL);
        cr_expect_not_null(text, "no docs page for %s (%s)", id, page);
        if (text) {
            cr_expect_not_null(strstr(text, "ailing example"), "%s: no failing example", page);
            cr_expect_not_null(strstr(text, "assing example"), "%s: no passing example", page);
            free(text);
        }
        char needle[200];
        snprintf(needle, sizeof needle, "(%s.md)", link);
        cr_expect_not_null(strstr(index, needle), "docs/rules/README.md does not list %s", id);
        checked++;
    }
    cr_expect_gt(checked, 20, "qmslint rules listed only %zu rules", checked);
    free(index);
    free(out);
}
