/* Inline suppressions: what a document says about its own findings.
 *   Markdown   <!-- qmslint-disable [rule-id ...] -->   from here on (no id: every rule)
 *              <!-- qmslint-enable [rule-id ...] -->    back on (no id: every rule)
 *              <!-- qmslint-disable-next-line rule-id --> the line after the comment only
 *   front matter  qmslint-disable: [rule-id, ...]     the whole document
 *   DOCX / ODT    custom property qmslint-disable     "rule-id, rule-id" for the whole document
 * The directives are collected while the model is alive (the scheduler calls
 * qms_suppress_scan in its worker) and applied to the finished result. */
#ifndef QMS_SUPPRESS_H
#define QMS_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/model.h>

#include "arena.h"
#include "engine.h"

enum qms_directive_kind {
    QMS_DIRECTIVE_DISABLE = 1,
    QMS_DIRECTIVE_ENABLE,
    QMS_DIRECTIVE_NEXT_LINE,
    QMS_DIRECTIVE_DOCUMENT          /* front matter / custom property: the whole document */
};

struct qms_directive {
    enum qms_directive_kind kind;
    const char *rule_id;            /* NULL: every rule */
    uint32_t line, column;          /* where it is written (0 when unknown) */
    const char *part;               /* DOCX/ODT part of the property, or NULL */
};

struct qms_suppress_list {
    const struct qms_directive *items; /* in document order */
    size_t n;
};

/* Most rule ids one comment or property may name. */
#define QMS_SUPPRESS_MAX_IDS 64
/* Most directives kept per document (a hostile file cannot grow this without bound). */
#define QMS_SUPPRESS_MAX_DIRECTIVES 4096

/*
 * Collects a document's directives into `a`. *out is NULL when the document has none.
 * 0 or QMS_ENOMEM. Thread-safe for different arenas (called from the workers).
 */
int qms_suppress_scan(const struct qms_suppress_list **out, const struct qms_doc *doc,
                      struct qms_arena *a);
/* A deep copy into another arena (NULL in, NULL out); NULL with *bad set when out of memory. */
const struct qms_suppress_list *qms_suppress_copy(struct qms_arena *a,
                                                  const struct qms_suppress_list *src, int *bad);

/*
 * Marks the findings the documents' directives suppress (QMS_SUPPRESS_INLINE, with a
 * justification naming the directive), and adds a core/unknown-suppression finding for each
 * rule id no loaded rule has. Call qms_result_finish afterwards. 0 or QMS_ENOMEM.
 */
int qms_suppress_apply(struct qms_result *r, const struct qms_engine *e);

/* 1 when `rule_id` names a loaded rule, a "plugin/" + "*" wildcard of a loaded plugin, or a
 * rule of a plugin the config or --only-plugin left out. */
int qms_suppress_rule_known(const struct qms_engine *e, const char *rule_id);

#endif
