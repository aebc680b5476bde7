/* A stand-in plugin host for the iso9001 suite: loads the real iso9001.so with dlopen, hands
 * it a host API table that records findings and keeps digests, reads packs with
 * qms_yaml_load; and a small Markdown-ish builder for qms_doc models (front matter, headings,
 * paragraphs, list items, pipe tables with cells) so each test reads like its documents. */
#ifndef ISO9001_FAKEHOST_H
#define ISO9001_FAKEHOST_H

#include <stddef.h>

#include <qmslint/plugin.h>

#include "../../../plugins/iso9001/coverage.h"

struct fake_finding {
    char rule[64];
    char message[1024];
    char key[256];
    char path[256];
    unsigned line, column, block;
};

#define FAKE_MAX_FINDINGS 512
#define FAKE_MAX_DOCS 64

struct fake_host {
    const char *rules_dir;              /* where load_pack reads from (NULL: the source tree's) */
    const struct qms_node *rule_opts;   /* map: rule id -> options map, or NULL */
    const struct qms_node *plugin_opts; /* the plugin's options map, or NULL */
    char error[1024];                   /* first node_error / load_pack error */
    struct fake_finding findings[FAKE_MAX_FINDINGS];
    size_t n_findings;
    /* digests, one per document checked */
    void *blobs[FAKE_MAX_DOCS];
    size_t blob_len[FAKE_MAX_DOCS];
    struct qms_digest digests[FAKE_MAX_DOCS];
    size_t n_docs;
    int in_set;
};

int fake_init(struct fake_host *h, void **out_state);
/* Runs check_doc over docs and then check_set; returns the first negative result or 0.
 * The state stays alive (coverage readable) until fake_fini. */
int fake_run(struct fake_host *h, void *state, const struct qms_doc *const *docs, size_t n);
void fake_fini(void *state);
const struct iso_coverage *fake_coverage(void *state);

const struct qms_node *fake_yaml(const char *text);

/*
 * Builds a document from Markdown-ish text: front matter between "---" lines ("key: value"
 * properties), ATX headings, "| a | b |" rows (one table per run of rows: the first row is
 * the header, a |---| row is skipped; TABLE_CELL blocks and qms_cell cells), "- item" list
 * items, other non-blank lines one paragraph each. Line numbers are 1-based and exact.
 */
const struct qms_doc *fake_doc(const char *path, const char *markdown);
/* A copy of s that lives as long as the fake documents. */
const char *fake_str(const char *s);

/* init, run over the documents, fini; findings in h. Asserts init succeeds. */
void fake_check_set(struct fake_host *h, const struct qms_doc *const *docs, size_t n);
void fake_check_text(struct fake_host *h, const char *path, const char *markdown);

size_t fake_count(const struct fake_host *h, const char *rule);
const struct fake_finding *fake_first(const struct fake_host *h, const char *rule);
/* 1 when a finding of `rule` has exactly this message. */
int fake_has(const struct fake_host *h, const char *rule, const char *message);
/* Prints every finding (for failure messages). */
void fake_dump(const struct fake_host *h);
/* Asserts a finding of `rule` with exactly this message; dumps them all when there is none. */
void fake_expect(const struct fake_host *h, const char *rule, const char *message);

#endif
