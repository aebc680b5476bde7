/* A stand-in plugin host for the structure suite: loads the real structure.so with dlopen,
 * hands it a host API table that records findings, reads packs with qms_yaml_load, compiles
 * patterns with the core's PCRE2 wrapper; and a tiny Markdown-ish builder for qms_doc models
 * so each test reads like the document it checks. */
#ifndef STRUCTURE_FAKEHOST_H
#define STRUCTURE_FAKEHOST_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/plugin.h>

struct fake_finding {
    char rule[64];
    char message[1024];
    char key[256];
    unsigned line, column, block;
};

#define FAKE_MAX_FINDINGS 256

struct fake_host {
    const char *rules_dir;              /* where load_pack reads from */
    const struct qms_node *rule_opts;   /* map: rule id -> options map, or NULL */
    const struct qms_node *plugin_opts; /* the plugin's options map, or NULL */
    const char *off_rule;               /* a rule the "config" turns off, or NULL */
    char error[1024];                   /* first node_error / load_pack error */
    struct fake_finding findings[FAKE_MAX_FINDINGS];
    size_t n_findings;
};

/* Loads structure.so from the build tree and runs init with `h`. Returns init's result; the
 * plugin state in *out_state. */
int fake_plugin_init(struct fake_host *h, void **out_state);
/* init with a host API table that claims to be only `struct_size` bytes (an older host). */
int fake_plugin_init_old_host(struct fake_host *h, uint32_t struct_size, void **out_state);
int fake_plugin_check(struct fake_host *h, void *state, const struct qms_doc *doc);
void fake_plugin_fini(void *state);
const struct qms_plugin *fake_plugin_desc(void);

/* Parses YAML text into a node tree (kept for the test's life). */
const struct qms_node *fake_yaml(const char *text);

/*
 * Builds a document from Markdown-ish text: optional front matter between "---" lines
 * ("key: value" properties), ATX headings, ``` fences (one CODE block), "<!-- -->" lines
 * (MARKUP_COMMENT), "| a | b |" rows (TABLE_CELL blocks and one table), "- item" list items,
 * other non-blank lines paragraphs (one per line). Line numbers are 1-based and exact.
 */
const struct qms_doc *fake_doc(const char *path, const char *markdown);

/* Runs the plugin (default packs, given options) over a document; findings in h. */
void fake_check_text(struct fake_host *h, const char *path, const char *markdown);

/* Findings of one rule, and the first with that rule (NULL when none). */
size_t fake_count(const struct fake_host *h, const char *rule);
const struct fake_finding *fake_first(const struct fake_host *h, const char *rule);

#endif
