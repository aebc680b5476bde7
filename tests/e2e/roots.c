/* Which config is used and which folder paths are shown relative to (the set root). */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char placeholder_doc[] = "# Notes\n\nOwner: TBD\n";

Test(roots, config_folder_is_the_root_when_it_holds_the_paths)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, ".qmslint.yml", "version: 1\n", 11);
    e2e_write(dir, "procedures/a.md", placeholder_doc, strlen(placeholder_doc));
    char *sub = e2e_path(dir, "procedures");
    /* run from elsewhere, naming the subfolder: paths are still relative to the config */
    struct run r = e2e_run(NULL, ARGV("check", "-q", sub));
    cr_assert(e2e_some_line_matches(r.out, "^procedures/a\\.md:3:[0-9]+: warning: "), "%s%s", r.out,
              r.err);
}

Test(roots, config_is_found_from_the_checked_folder_upward)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, ".qmslint.yml", "rules:\n  structure/placeholder-text: off\n", 41);
    e2e_write(dir, "a/b/c.md", placeholder_doc, strlen(placeholder_doc));
    char *deep = e2e_path(dir, "a/b");
    struct run r = e2e_run(NULL, ARGV("check", deep));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "placeholder"), "the rule is off in the parent's config: %s",
                   r.out);
}

Test(roots, without_config_paths_are_relative_to_their_common_folder)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "x/one.md", placeholder_doc, strlen(placeholder_doc));
    e2e_write(dir, "y/two.md", placeholder_doc, strlen(placeholder_doc));
    char *x = e2e_path(dir, "x"), *y = e2e_path(dir, "y");
    struct run r = e2e_run(NULL, ARGV("check", "-q", x, y));
    cr_assert(e2e_some_line_matches(r.out, "^x/one\\.md:"), "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^y/two\\.md:"), "%s", r.out);
}

Test(roots, single_file_is_checked_alone)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "one.md", placeholder_doc, strlen(placeholder_doc));
    e2e_write(dir, "two.md", placeholder_doc, strlen(placeholder_doc));
    struct run r = e2e_run(dir, ARGV("check", "one.md"));
    cr_assert(strstr(r.out, "in 1 document\n"), "%s", r.out);
    cr_assert_null(strstr(r.out, "two.md"));
}

Test(roots, paths_after_double_dash_may_start_with_a_dash)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "-odd.md", placeholder_doc, strlen(placeholder_doc));
    struct run r = e2e_run(dir, ARGV("check", "--", "-odd.md"));
    cr_assert(strstr(r.out, "-odd.md:3:"), "%s%s", r.out, r.err);
}
