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
};

int qms_emit_text(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);
int qms_emit_json(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o);

/* JSON string escaping shared by every JSON-ish emitter. */
void qms_json_string(FILE *out, const char *s);

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
int qms_emit_dump_json(FILE *out, const struct qms_doc *doc);

#endif
