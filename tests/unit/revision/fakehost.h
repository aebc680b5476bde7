/* A stand-in plugin host for the revision suite: loads the real revision.so with dlopen and
 * hands it a host API table that records findings, with a fixed "today", a release-mode
 * switch, YAML rule options and the core's PCRE2 wrapper. Plus a builder for a qms_doc whose
 * metadata record (qms_meta) is written by hand, value by value, so each test states exactly
 * what the extractor would have found. */
#ifndef REVISION_FAKEHOST_H
#define REVISION_FAKEHOST_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/meta.h>
#include <qmslint/plugin.h>

struct rv_finding {
    char rule[64];
    char message[1024];
    char key[256];
    unsigned line, column, block;
};

#define RV_MAX_FINDINGS 128

struct rv_host {
    const char *rules_dir;              /* NULL: the source tree's rules/ */
    const struct qms_node *rule_opts;   /* map: rule id -> options map, or NULL */
    const char *off_rule;               /* a rule the "config" turns off, or NULL */
    int32_t today;                      /* days since 1970 */
    int release;
    char error[1024];                   /* first node_error / load_pack error */
    struct rv_finding findings[RV_MAX_FINDINGS];
    size_t n_findings;
};

void rv_host_init(struct rv_host *h);
const struct qms_plugin *rv_plugin(void);
int rv_init(struct rv_host *h, void **out_state);
/* init, check_doc, fini; asserts init and check succeed. */
void rv_run(struct rv_host *h, const struct qms_doc *doc);

const struct qms_node *rv_yaml(const char *text);

size_t rv_count(const struct rv_host *h, const char *rule);
const struct rv_finding *rv_first(const struct rv_host *h, const char *rule);

/* days since 1970 of "YYYY-MM-DD" */
int32_t rv_days(const char *iso);

/* ---- documents with a hand-written metadata record ---- */

struct rv_doc {
    struct qms_doc doc;
    struct qms_meta meta;
    struct qms_meta_value vals[QMS_META_N_FIELDS][8];
    struct qms_meta_history_row hist[16];
    struct qms_review_item review[8];
};

struct rv_doc *rv_doc_new(const char *path);
/* Adds a value: `value` normalized (NULL: same as raw), at Markdown line `line`. For revision
   fields the scheme and key are derived from `value` (letters, numbers, dotted); for date
   fields `value` "YYYY-MM-DD" sets `date`. */
struct qms_meta_value *rv_add(struct rv_doc *d, enum qms_meta_field f, enum qms_meta_source src,
                              const char *raw, const char *value, unsigned line);
/* A placeholder / unparsed value. */
struct qms_meta_value *rv_add_flagged(struct rv_doc *d, enum qms_meta_field f,
                                      enum qms_meta_source src, const char *raw, uint32_t flags,
                                      unsigned line);
/* A history row: revision (normalized) and date ("YYYY-MM-DD", "" for none, or anything else
   as an unparsed raw date). */
struct qms_meta_history_row *rv_history(struct rv_doc *d, const char *rev, const char *date,
                                        unsigned line);
/* Sets history_current as the extractor does (last row, or first when strictly decreasing),
   and adds the current row's revision to the revision field. */
void rv_history_done(struct rv_doc *d);
void rv_review(struct rv_doc *d, enum qms_review_kind kind, const char *part, unsigned block,
               const char *section);
/* A complete, clean procedure: every required field, consistent, effective 2025-06-01. */
struct rv_doc *rv_clean_doc(void);

#endif
