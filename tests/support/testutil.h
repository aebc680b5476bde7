/* Shared helpers for the Criterion suites. */
#ifndef QMS_TESTUTIL_H
#define QMS_TESTUTIL_H

#include <stddef.h>

/* Path of a fixture in the build tree ("sample-qms/QP-01.md" -> build/fixtures/...). Static buffer
 * per call site is not needed: returns a malloc'd string the test may leak (one process per test). */
char *qms_test_fixture(const char *rel);
/* Path inside the source tree. */
char *qms_test_source(const char *rel);
/* ../shared/<rel> or NULL when ../shared is absent (tests then cr_skip). */
char *qms_test_shared(const char *rel);
/* Reads a whole file; NULL on error. *len set when len != NULL. */
char *qms_test_read(const char *path, size_t *len);
/* Writes a file (creating parent folders). 0 on success. */
int qms_test_write(const char *path, const char *data, size_t len);
/* A fresh empty temporary folder (mkdtemp); malloc'd path. */
char *qms_test_tmpdir(void);

/* Runs the qmslint binary with argv (NULL-terminated, without argv[0]) in `cwd` (NULL: current),
 * capturing stdout and stderr. Returns the exit code (or -1); *out and *err are malloc'd (may be NULL). */
int qms_test_run(const char *cwd, const char *const *argv, char **out, char **err);

struct qms_config;
/* A config as the engine reads it: the defaults for NULL, else `yaml` written to a fresh
 * folder's .qmslint.yml and loaded (asserts on failure). The file's path goes to *out_path
 * (malloc'd) when out_path is not NULL. */
struct qms_config *qms_test_config(const char *yaml, char **out_path);

#endif
