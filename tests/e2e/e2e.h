/* Helpers for the end-to-end suite: running the built qmslint, and a small strict JSON
 * parser so the tests can check the output is valid JSON and read its fields. */
#ifndef QMS_E2E_H
#define QMS_E2E_H

#include <stddef.h>

#include "testutil.h"

/* qms_test_run with stdout/stderr always non-NULL strings. For `check`, `rules` and
 * `plugins`, e2e_run adds "--only-plugin structure" after the command, so expected outputs
 * do not change each time a plugin lands; e2e_run_all runs with every plugin found. */
struct run {
    int status;
    char *out;
    char *err;
};
struct run e2e_run(const char *cwd, const char *const *argv);
struct run e2e_run_all(const char *cwd, const char *const *argv);
/* e2e_run controlling NO_COLOR: `env_no_color` NULL unsets it, else sets it to that value. */
struct run e2e_run_env(const char *cwd, const char *const *argv, const char *env_no_color);

/* Number of occurrences of needle in hay. */
size_t e2e_count(const char *hay, const char *needle);
/* Number of lines (newline-terminated) of s. */
size_t e2e_lines(const char *s);
/* 1 when every line of s matches the POSIX extended regex (anchored by the caller). */
int e2e_all_lines_match(const char *s, const char *ere, char *bad_line, size_t bad_size);
/* 1 when some line of s matches the regex. */
int e2e_some_line_matches(const char *s, const char *ere);

/* A fixture set folder in the build tree ("e2e/clean"). */
char *e2e_fixture(const char *rel);
/* Writes a file under dir (creating folders); aborts the test on failure. */
void e2e_write(const char *dir, const char *rel, const char *data, size_t len);
char *e2e_path(const char *dir, const char *rel);

/* ---- JSON ---- */
enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };
struct jv {
    enum jv_type type;
    int boolean;
    double number;
    int is_integer;
    char *string;            /* JV_STRING: decoded UTF-8 */
    struct jv *items;        /* ARRAY items, OBJECT values */
    char **keys;             /* OBJECT keys */
    size_t n;
};
/* Parses a complete JSON text (RFC 8259, UTF-8 validated). NULL on any error, with a
 * reason in `why` when non-NULL. */
struct jv *jv_parse(const char *text, char *why, size_t why_size);
/* Member of an object, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key);
/* Path lookup "summary.error", "documents.0.path". */
const struct jv *jv_at(const struct jv *root, const char *path);

#endif
