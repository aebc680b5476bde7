/* Changed-files mode (issue 9): `check --changed FILE...` checks the whole set (from the
 * config's folder or the repository root) and reports only what concerns the named files. */
#include <criterion/criterion.h>
#include <string.h>

#include "gates.h"

static char *two_doc_set(void)
{
    return gates_set(".qmslint.yml", "rules:\n  structure/missing-section: off\n", "a.md",
                     "# A\n\nOwner: TBD\n", "sub/b.md", "# B\n\nOwner: TBD\n", NULL);
}

Test(changed, reports_only_findings_in_the_named_files)
{
    char *dir = two_doc_set();
    struct run r = e2e_run(dir, ARGV("check", "--changed", "sub/b.md"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "sub/b.md:3:1: warning: placeholder"), "%s", r.out);
    cr_assert_null(strstr(r.out, "a.md:3"), "%s", r.out);
    /* the whole set was loaded: both documents counted */
    cr_assert(strstr(r.out, "in 2 documents"), "%s", r.out);
}

Test(changed, finds_the_set_root_from_a_subfolder)
{
    char *dir = two_doc_set();
    struct run r = e2e_run(e2e_path(dir, "sub"), ARGV("check", "--changed", "b.md"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "sub/b.md:3:1:"), "paths relative to the set root: %s", r.out);
    cr_assert(strstr(r.out, "in 2 documents"), "%s", r.out);
}

Test(changed, uses_the_repository_root_without_a_config)
{
    char *dir = gates_set("a.md", "# A\n\nTBD\n", "docs/b.md", "# B\n\nTBD\n", NULL);
    e2e_write(dir, ".git/HEAD", "ref: refs/heads/main\n", 21);
    struct run r = e2e_run(e2e_path(dir, "docs"), ARGV("check", "--changed", "b.md"));
    cr_assert(strstr(r.out, "docs/b.md:3:1:"), "%s", r.out);
    cr_assert_null(strstr(r.out, "\na.md"), "%s", r.out);
    cr_assert(strstr(r.out, "in 2 documents"), "%s", r.out);
}

Test(changed, other_files_and_no_files_report_nothing)
{
    char *dir = two_doc_set();
    e2e_write(dir, "notes.txt", "x\n", 2);
    struct run r = e2e_run(dir, ARGV("check", "--changed", "notes.txt"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "placeholder"), "%s", r.out);
    r = e2e_run(dir, ARGV("check", "--changed"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.out);
}

Test(changed, a_dangling_reference_is_judged_against_the_whole_set)
{
    char *so = e2e_path(QMS_TEST_PLUGIN_DIR, "xref.so");
    if (!qms_test_read(so, NULL))
        cr_skip("the xref plugin is not built");
    char *dir = gates_set(".qmslint.yml",
                          "plugins:\n  structure: false\n  revision: false\n  iso9001: false\n",
                          "QP-001.md", "# QP-001 Control\n\nSee QP-002 and QP-009.\n", "QP-002.md",
                          "# QP-002 Records\n\nSee QP-001.\n", NULL);
    /* QP-002 exists elsewhere in the set: only QP-009 dangles */
    struct run r = e2e_run_all(dir, ARGV("check", "--changed", "QP-001.md"));
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "QP-009") && strstr(r.out, "[xref/dangling]"), "%s", r.out);
    cr_assert_null(strstr(r.out, "QP-002 is"), "%s", r.out);
    r = e2e_run_all(dir, ARGV("check", "--changed", "QP-002.md"));
    cr_assert_eq(r.status, 0, "the defect is not in QP-002: %s", r.out);
}
