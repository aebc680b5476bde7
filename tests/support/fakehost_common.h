/* Pieces shared by the suites' fake plugin hosts (tests/unit/<plugin>/fakehost.c): the
 * generic parts of a `struct qms_host_api` table (log, node_error, load_pack via
 * qms_yaml_load, rule severity, the core's regex wrappers and node_get), loading a plugin
 * with dlopen, recording and looking up findings, and the line-level steps of the
 * Markdown-ish document builders. Each suite keeps its own host struct and its specific
 * callbacks; these helpers take the buffers they work on explicitly. */
#ifndef TESTS_FAKEHOST_COMMON_H
#define TESTS_FAKEHOST_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <qmslint/plugin.h>

#include "engine_int.h"
#include "ynode.h"

struct qms_arena;

/* The members every fake host API table sets the same way; use inside its initializer. */
#define FH_HOST_API_COMMON                                                                     \
    .struct_size = sizeof(struct qms_host_api), .abi_major = QMS_ABI_MAJOR,                    \
    .abi_minor = QMS_ABI_MINOR, .regex_compile = qms_regex_compile,                            \
    .regex_match = qms_regex_match, .regex_free = qms_regex_free, .node_get = qms_node_get

/* One arena for everything the fake hosts build; lives as long as the test process. */
struct qms_arena *fh_arena(void);
char *fh_dupn(const char *s, size_t n);
/* A location at line/column with no part or section. */
struct qms_location fh_at(unsigned line, unsigned column);

/* Keeps msg in error[size] unless an error is already there (the first one wins). */
void fh_set_error(char *error, size_t size, const char *msg);
/* The host log: level >= 1 messages become the error. */
void fh_vlog(char *error, size_t size, int level, const char *fmt, va_list ap);
/* The host node_error: "file:line:col: text" when the node has a file, else "<tag>: text";
   tag NULL: the bare text. */
void fh_vnode_error(char *error, size_t size, const char *tag, const struct qms_node *node,
                    const char *fmt, va_list ap);
/* The host load_pack: reads rules_dir/name (rules_dir NULL: the source tree's rules/). */
int fh_load_pack(const char *rules_dir, const char *name, const struct qms_node **out,
                 char *error, size_t size);
/* The host rule_severity: off for off_rule, a warning for every other rule. */
enum qms_severity fh_rule_severity(const char *off_rule, const char *rule_id);

/* dlopens <plugin dir>/so_name (asserts), and its entry point's descriptor (asserts). */
void *fh_plugin_open(const char *so_name);
const struct qms_plugin *fh_plugin_entry(void *dl, const char *so_name);

/* Parses YAML text into a node tree (kept for the test's life); asserts it parses. */
const struct qms_node *fh_yaml(const char *text);

/* 1 when the host's report should take f: rule id and message set, rule id under prefix. */
int fh_finding_ok(const struct qms_finding_desc *f, const char *prefix);
/* Copies rule, message, key and location of f into a suite's finding struct `out`. */
#define FH_COPY_FINDING(out, f)                                                                \
    do {                                                                                       \
        snprintf((out)->rule, sizeof (out)->rule, "%s", (f)->rule_id);                         \
        snprintf((out)->message, sizeof (out)->message, "%s", (f)->message);                   \
        snprintf((out)->key, sizeof (out)->key, "%s", (f)->key ? (f)->key : "");               \
        (out)->line = (f)->loc.line;                                                           \
        (out)->column = (f)->loc.column;                                                       \
        (out)->block = (f)->loc.block;                                                         \
    } while (0)

/* Over an array of n finding structs of `stride` bytes whose first member is the rule id
   (char[]): how many have `rule`, and the index of the first (n when none). */
size_t fh_count(const void *findings, size_t n, size_t stride, const char *rule);
size_t fh_first(const void *findings, size_t n, size_t stride, const char *rule);

/* ---- line steps of the Markdown-ish document builders ---- */

/* A "key: value" front-matter line into pr (asserts the colon). */
void fh_md_property(struct qms_property *pr, const char *p, size_t len, unsigned line);
/* An ATX heading line into b (kind, level, text); returns the heading text. */
const char *fh_md_heading(struct qms_block *b, const char *p, size_t len);
/* A paragraph or "- item" list item line into b. */
void fh_md_paragraph(struct qms_block *b, const char *p, size_t len);
/* The cell of a "| a | b |" row between c and the next bar: a TABLE_CELL block with the
   trimmed text, its location (line, column of the text) in section; the caller sets table,
   row and col. Returns the block's text. */
const char *fh_md_cell(struct qms_block *cell, const char *p, const char *c, const char *bar,
                       unsigned line, const char *section);
/* Hangs the built arrays on doc. */
void fh_md_finish(struct qms_doc *doc, struct qms_block *blocks, size_t nb,
                  struct qms_property *props, size_t np, struct qms_table *tables, size_t nt);

#endif
