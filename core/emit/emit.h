/* Emitters: a result -> bytes. Each writes to a FILE* and returns 0 or a negative QMS_E*. */
#ifndef QMS_EMIT_H
#define QMS_EMIT_H

#include <stdio.h>

#include "../src/engine.h"

struct qms_emit_opts {
    int color;                 /* text: ANSI colour (a TTY without NO_COLOR) */
    int quiet;                 /* text: findings only, no summary */
    const struct qms_engine *engine; /* rule metadata (clause, summary) */
    const char *tool_version;
    /* added by gates (issue 9) */
    const char *root;          /* sarif: absolute set root (originalUriBaseIds SRCROOT) or NULL */
    const char *set_uri;       /* sarif/gitlab: file named by set-wide findings (the config,
                                  relative to the root), NULL: "." */
    int fail_level;            /* junit: findings at or above are failures (0: every finding;
                                  -1: none, --fail-on never) */
};

int qms_emit_text(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);
int qms_emit_json(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);

/* JSON string escaping shared by every JSON-ish emitter. */
void qms_json_string(FILE *out, const char *s);

/* A small write buffer in front of a FILE: the JSON documents list is millions of short
 * pieces (78 MB at 30,000 documents), each a stdio call otherwise. Flush before writing to
 * `out` directly again. */
struct qms_jbuf {
    FILE *out;
    size_t n;
    char buf[8192];
};
void qms_jbuf_init(struct qms_jbuf *b, FILE *out);
void qms_jbuf_put(struct qms_jbuf *b, const char *s, size_t n);
void qms_jbuf_puts(struct qms_jbuf *b, const char *s);
/* s as a JSON string (escaped as qms_json_string), or null for NULL. */
void qms_jbuf_string(struct qms_jbuf *b, const char *s);
void qms_jbuf_flush(struct qms_jbuf *b);

/* ---- added by the CLI: shared helpers and the model dump (`qmslint dump`) ---- */

/* "markdown", "docx", "odt" or "unknown". Static strings. */
const char *qms_emit_format_name(enum qms_format f);

/* Decodes the UTF-8 sequence at s (len > 0 bytes available): returns its length (1..4) and
 * the code point in *out_cp, or returns 1 with *out_cp = 0xFFFD for an invalid byte. */
size_t qms_utf8_next(const char *s, size_t len, unsigned long *out_cp);

/* The whole document model as loaded: every block, table and cell, link, anchor, property,
 * review item and field with its location. Text is one item per line (strings quoted with
 * C escapes); JSON follows docs/output-json.md ("dump" section). Return 0 or QMS_EIO. */
int qms_emit_dump_text(FILE *out, const struct qms_doc *doc);
/* The metadata record's fields on one line: {"id": [value, ...], "title": [...], ...}, each
 * value with its raw text, label, source, flags and location (as in `dump`); "null" for NULL. */
void qms_emit_meta_fields_json(FILE *out, const struct qms_meta *m);
int qms_emit_dump_json(FILE *out, const struct qms_doc *doc);

/* ---- added by gates (issue 9): CI formats. Active findings are those with suppressed == 0;
 * each emitter says what it does with the others. Deterministic. ---- */

/* SARIF 2.1.0 (docs/output-sarif.md): every loaded rule, active findings as results,
 * suppressed ones with `suppressions`, baselineState when r->baseline_used. */
int qms_emit_sarif(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);
/* JUnit XML: a testsuite per plugin, a testcase per (document, enabled rule). */
int qms_emit_junit(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);
/* GitLab Code Quality JSON: an array of active findings. */
int qms_emit_gitlab(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);
/* By name ("text", "json", "sarif", "junit", "gitlab"); QMS_EUSAGE for another name. */
int qms_emit_by_name(FILE *out, const char *format, const struct qms_result *r,
                     const struct qms_emit_opts *o);

#endif
