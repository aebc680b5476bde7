/* YAML (libyaml) -> a read-only qms_node tree with line:column, in an arena. Used for the
 * config, rule packs and front matter. Anchors/aliases are refused (no billion laughs),
 * depth and size are capped. */
#ifndef QMS_YNODE_H
#define QMS_YNODE_H

#include <stddef.h>

#include <qmslint/plugin.h>

#include "arena.h"
#include "errors.h"

/*
 * Parses one YAML document. `file` names it in messages and in node->file; `line_offset` is
 * added to every line (front matter starts after "---"). An empty document yields NULL in
 * *out and returns 0. Errors: QMS_ECONFIG with "file:line:column: reason" in err.
 */
int qms_yaml_parse(const struct qms_node **out, struct qms_arena *arena, const char *file,
                   const char *data, size_t len, unsigned line_offset, struct qms_err *err);
/* Reads and parses a file (capped at 16 MiB). */
int qms_yaml_load(const struct qms_node **out, struct qms_arena *arena, const char *file,
                  struct qms_err *err);

/* The value of `key` in a map, or NULL (also for non-maps). */
const struct qms_node *qms_node_get(const struct qms_node *map, const char *key);
/* Scalar helpers: return 0 and the value, or QMS_ECONFIG with "file:line:column: ..." in err. */
int qms_node_bool(const struct qms_node *n, int *out, struct qms_err *err);
int qms_node_long(const struct qms_node *n, long min, long max, long *out, struct qms_err *err);
/* err->msg = "file:line:column: <formatted>", returns QMS_ECONFIG. */
int qms_node_err(struct qms_err *err, const struct qms_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Added by config: where the i-th key of a map was written. Only for maps built by
 * qms_yaml_parse (the positions are stored after the keys array); falls back to the map's
 * own position when i is out of range. */
void qms_node_key_pos(const struct qms_node *map, size_t i, uint32_t *out_line,
                      uint32_t *out_column);
/* Like qms_node_err, at the position of the i-th key of `map` (built by qms_yaml_parse). */
int qms_node_key_err(struct qms_err *err, const struct qms_node *map, size_t i, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

#endif
