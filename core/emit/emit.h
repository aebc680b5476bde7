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

#endif
