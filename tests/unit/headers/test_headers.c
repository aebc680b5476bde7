/* The installed SDK headers compile alone, as C11 with -pedantic and as C++ (libgit2's
 * tests/headertest). The header_*.c files of this suite check each header at build time with
 * the project's compiler; these tests check every header in core/include/qmslint/ — including
 * ones added later — with the system's C and C++ compilers, and skip when one is missing. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static int have_program(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    int rc = system(cmd);
    return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

/* Compiles a file holding only `#include <qmslint/NAME>` for each header; returns how many
 * were checked, failing the test on the first that does not compile. */
static int check_headers(const char *compiler, const char *lang_flags, const char *ext)
{
    char *include_dir = qms_test_source("core/include");
    char *header_dir = qms_test_source("core/include/qmslint");
    char *tmp = qms_test_tmpdir();
    cr_assert_not_null(include_dir);
    cr_assert_not_null(header_dir);
    cr_assert_not_null(tmp);
    DIR *d = opendir(header_dir);
    cr_assert_not_null(d, "cannot list %s", header_dir);
    int checked = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 3 || strcmp(de->d_name + n - 2, ".h") != 0)
            continue;
        char src[1024], cmd[4096], include[640];
        snprintf(src, sizeof src, "%.600s/alone_%.200s.%s", tmp, de->d_name, ext);
        /* A declaration after the header: a header of macros only (version.h) would otherwise
         * leave an empty translation unit, which -pedantic refuses. */
        snprintf(include, sizeof include,
                 "#include <qmslint/%.500s>\ntypedef int qms_header_compiles_alone;\n", de->d_name);
        cr_assert_eq(qms_test_write(src, include, strlen(include)), 0);
        snprintf(cmd, sizeof cmd,
                 "%.32s %.100s -Wall -Wextra -Werror -fsyntax-only -I'%.1000s' '%.1024s' 2>'%.1024s.log'",
                 compiler, lang_flags, include_dir, src, src);
        int rc = system(cmd);
        char log_path[1100];
        snprintf(log_path, sizeof log_path, "%.1024s.log", src);
        char *log = qms_test_read(log_path, NULL);
        cr_assert(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
                  "qmslint/%s does not compile alone with %s %s:\n%s", de->d_name, compiler,
                  lang_flags, log ? log : "");
        free(log);
        checked++;
    }
    closedir(d);
    free(include_dir);
    free(header_dir);
    free(tmp);
    return checked;
}

Test(headers, each_header_compiles_alone_as_pedantic_c11)
{
    const char *cc = have_program("cc") ? "cc" : have_program("gcc") ? "gcc" : NULL;
    if (!cc)
        cr_skip_test("no C compiler on PATH");
    int n = check_headers(cc, "-std=c11 -pedantic-errors -x c", "c");
    cr_expect_geq(n, 3, "expected at least model.h, plugin.h and version.h, checked %d", n);
}

Test(headers, each_header_compiles_alone_as_cplusplus)
{
    const char *cxx = have_program("g++") ? "g++" : have_program("c++") ? "c++" : NULL;
    if (!cxx)
        cr_skip_test("no C++ compiler on PATH");
    int n = check_headers(cxx, "-std=c++11 -pedantic-errors -x c++", "cpp");
    cr_expect_geq(n, 3, "expected at least model.h, plugin.h and version.h, checked %d", n);
}
