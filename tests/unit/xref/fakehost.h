/* A stand-in host for the xref suite: loads the real xref.so, hands it a host API table that
 * records findings and keeps digests in memory, and builds documents, metadata records and
 * sets by hand so each test reads like the document set it checks. */
#ifndef XREF_FAKEHOST_H
#define XREF_FAKEHOST_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/meta.h>
#include <qmslint/plugin.h>

struct fake_finding {
    char rule[64];
    char path[256];
    char message[1024];
    char key[256];
    unsigned line, column, block;
};

#define FAKE_MAX_FINDINGS 256
#define FAKE_MAX_DOCS 16

struct fake_digest {
    const char *path;
    void *data;
    size_t len;
};

struct fake_host {
    const struct qms_node *rule_opts;    /* map: rule id -> options, or NULL */
    const struct qms_node *plugin_opts;  /* the plugin's options, or NULL */
    const char *off_rule;                /* a rule the "config" turns off */
    const char *current;                 /* the document check_doc is running on */
    const char *corrupt_digest_of;       /* digest_get returns garbage for this path */
    char error[1024];
    struct fake_digest digests[FAKE_MAX_DOCS];
    size_t n_digests;
    struct fake_finding findings[FAKE_MAX_FINDINGS];
    size_t n_findings;
};

/* A document under construction: a Markdown-like model with a metadata record. */
struct fake_doc {
    struct qms_doc doc;
    struct qms_meta meta;
    struct qms_block blocks[64];
    struct qms_link links[16];
    struct qms_anchor anchors[16];
    struct qms_meta_value values[QMS_META_N_FIELDS][2];
    struct qms_meta_register_entry entries[16];
    struct qms_table tables[4];
    unsigned line;
};

struct fake_doc *fake_doc_new(const char *path);
/* The metadata record: any argument may be NULL. rev is "C", "04", "1.2". */
void fake_meta(struct fake_doc *d, const char *id, const char *title, const char *rev,
               const char *status, const char *type);
/* An approved procedure with this ID, title and revision, its title as the first heading. */
struct fake_doc *fake_procedure(const char *path, const char *id, const char *title, const char *rev);
/* A paragraph (one line); in `section` (may be NULL). */
void fake_para(struct fake_doc *d, const char *text);
/* A heading, with its GitHub slug as an anchor. */
void fake_heading(struct fake_doc *d, unsigned level, const char *text);
/* A link on the next line; kind/target kind as the readers would set them. */
void fake_link(struct fake_doc *d, enum qms_link_kind kind, const char *target, const char *text);
/* A one-row-per-call revision-history table cell with this text. */
void fake_history_cell(struct fake_doc *d, const char *text);
/* A register entry (and its table cell block); section may be NULL. */
void fake_entry(struct fake_doc *d, const char *id, const char *title, const char *rev,
                const char *status, const char *section);

/* init with the host; 0 or the plugin's failure. */
int fake_init(struct fake_host *h, void **out_state);
/* check_doc over every document, then check_set with root `root`. Asserts success. */
void fake_run(struct fake_host *h, struct fake_doc **docs, size_t n, const char *root);

const struct qms_node *fake_yaml(const char *text);
/* Frees the kept digests and clears the host for another run. */
void fake_reset(struct fake_host *h);

size_t fake_count(const struct fake_host *h, const char *rule);
/* The first finding of rule whose message contains needle (NULL: any), or NULL. */
const struct fake_finding *fake_find(const struct fake_host *h, const char *rule, const char *needle);
void fake_dump(const struct fake_host *h);

/* fake_run over the listed documents with no root, then fake_dump (shown when a test fails). */
#define FAKE_RUN(h, ...)                                                                           \
    do {                                                                                           \
        struct fake_doc *docs_[] = {__VA_ARGS__};                                                  \
        fake_run((h), docs_, sizeof docs_ / sizeof docs_[0], NULL);                                \
        fake_dump(h);                                                                              \
    } while (0)

#endif
