/* Helpers for the CI-gate tests (issue 9): temporary sets, shell commands, files. */
#ifndef QMS_E2E_GATES_H
#define QMS_E2E_GATES_H

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A fresh temporary folder holding the given files: pairs of (relative path, text), NULL
 * terminated. Aborts the test on failure. */
char *gates_set(const char *first_rel, ...);
/* Runs `sh -c` on the formatted command; returns its exit status (-1 when it did not exit). */
int gates_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* dir/rel read whole, or NULL. */
char *gates_read(const char *dir, const char *rel);
/* 1 when dir/rel exists. */
int gates_exists(const char *dir, const char *rel);
/* The file parsed as JSON (the test fails when it is not). */
struct jv *gates_json(const char *text);
/* 1 when the file is well-formed XML (libxml2, no network, no entities); the first error in
 * `why`. */
int gates_xml_file_ok(const char *path, char *why, size_t why_size);
/* Skips the test when `program` is not on PATH. */
void gates_need(const char *program);

#endif
