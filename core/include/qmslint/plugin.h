/*
 * qmslint plugin ABI.
 *
 * A plugin is a shared object exporting one symbol:
 *
 *     const struct qms_plugin *qms_plugin_entry(void);
 *
 * The host loads it with dlopen(RTLD_NOW | RTLD_LOCAL) from a trusted search path only,
 * calls qms_plugin_entry, and accepts the descriptor when abi_major equals QMS_ABI_MAJOR and
 * abi_minor is not newer than the host's. Plugins never link against the core: everything
 * they need reaches them through `struct qms_host_api`, a table of function pointers that
 * only grows at its end (check `api->struct_size` before using a newer member).
 *
 * Callback contracts (the host guarantees the threading, the plugin the reentrancy):
 *
 *  init(api, host, &state)   once, on the main thread, before any document. Reads rule packs
 *                            and options through the API. Returns 0, or a negative value to
 *                            refuse (the run stops with exit 2 and the plugin's message).
 *  check_doc(state, api, host, doc)
 *                            once per document, possibly on several threads at once for
 *                            different documents: must not mutate `state` without its own
 *                            locking. `doc` and everything it points to is valid only during
 *                            the call. Report findings with api->report; keep data for the
 *                            set with api->digest_put.
 *  check_set(state, api, host, set)
 *                            once, on the main thread, after every check_doc has returned.
 *  fini(state)               once, on the main thread, last. May be NULL.
 *
 * Every string a plugin hands the host is copied; the plugin keeps ownership of its own
 * memory and never frees host memory, nor the reverse.
 */
#ifndef QMSLINT_PLUGIN_H
#define QMSLINT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QMS_ABI_MAJOR 1
#define QMS_ABI_MINOR 0

enum qms_severity {
    QMS_SEV_OFF = 0,
    QMS_SEV_INFO = 1,
    QMS_SEV_WARNING = 2,
    QMS_SEV_ERROR = 3
};

/* One rule a plugin provides. Ids are "plugin/rule", lower case with hyphens. */
struct qms_rule {
    const char *id;
    enum qms_severity default_severity;
    const char *clause;      /* ISO 9001:2015 clause it serves ("7.5.2"), or NULL */
    const char *summary;     /* one line */
    const char *help;        /* a paragraph: why it matters and how to fix it */
    uint32_t default_off;    /* 1: disabled unless the config enables it */
};

/* Opaque host context handed to every callback. */
struct qms_host;

/* A parsed YAML node (rule packs and plugin options). Read-only, owned by the host. */
enum qms_node_kind { QMS_NODE_SCALAR = 1, QMS_NODE_SEQ, QMS_NODE_MAP };

struct qms_node {
    enum qms_node_kind kind;
    const char *scalar;           /* SCALAR: the value; MAP/SEQ: NULL */
    const struct qms_node *items; /* SEQ: the items; MAP: values, parallel to `keys` */
    const char *const *keys;      /* MAP: the keys */
    size_t n_items;
    const char *file;             /* where it was read, for messages */
    uint32_t line, column;        /* 1-based */
};

/* A finding as a plugin reports it; the host copies every string. */
struct qms_finding_desc {
    const char *rule_id;          /* one of the plugin's rule ids */
    enum qms_severity severity;   /* QMS_SEV_OFF: the rule's configured severity */
    const char *message;          /* one line, names what and where */
    const char *path;             /* document path; NULL in check_doc means the current one */
    struct qms_location loc;
    const char *key;              /* what the finding is about, stable across unrelated edits
                                     (e.g. the dangling ID); used for fingerprints. May be NULL */
};

/* Compiled regular expression (PCRE2 inside the host). */
struct qms_regex;

/* What the host keeps of a document for check_set. */
struct qms_digest {
    const char *path;
    enum qms_format format;
    const char *title;                /* first title or heading text, or NULL */
    const struct qms_meta *meta;      /* NULL when metadata extraction is unavailable */
    const struct qms_link *links;     size_t n_links;
    const struct qms_anchor *anchors; size_t n_anchors;
    const struct qms_property *properties; size_t n_properties;
    uint32_t n_insertions, n_deletions, n_comments;
    uint32_t unreadable;              /* 1: the document could not be loaded */
    void *reserved[4];
};

struct qms_set {
    const struct qms_digest *docs;    /* sorted by path */
    size_t n_docs;
    const char *root;                 /* the set root (absolute), for resolving links */
};

struct qms_host_api {
    uint32_t struct_size;             /* sizeof(struct qms_host_api) of the host */
    uint32_t abi_major, abi_minor;

    /* Report a finding. Thread-safe. Returns 0, or a negative value for an unknown rule. */
    int (*report)(struct qms_host *host, const struct qms_finding_desc *finding);

    /* printf-style message to stderr, shown with --verbose (level 0) or always (level 1). */
    void (*log)(struct qms_host *host, int level, const char *fmt, ...);

    /*
     * Load a YAML rule pack from the rules directory ("document-types.yml"). The tree lives
     * until fini. Returns 0, or negative with a file:line:column message in the host's error
     * buffer (the run then stops with exit 2). Main thread only (init).
     */
    int (*load_pack)(struct qms_host *host, const char *name, const struct qms_node **out);

    /* The options node of a rule ("rules: {id: {options...}}") or of the plugin
       ("plugins: {name: {...}}"), or NULL. Valid until fini. Thread-safe. */
    const struct qms_node *(*rule_options)(struct qms_host *host, const char *rule_id);
    const struct qms_node *(*plugin_options)(struct qms_host *host);

    /* The severity the config gives a rule (QMS_SEV_OFF when disabled). Thread-safe. */
    enum qms_severity (*rule_severity)(struct qms_host *host, const char *rule_id);

    /* Report a problem in a rule pack or option node; the run stops with exit 2 after init. */
    void (*node_error)(struct qms_host *host, const struct qms_node *node, const char *fmt, ...);

    /*
     * Regular expressions (PCRE2, UTF mode). compile: NULL on error, with the reason in
     * `err` (of `err_size` bytes). match: 1 and the match span in out_start/out_end (byte
     * offsets), 0 for no match, negative on error. Compiled patterns are shared read-only
     * between threads; free them in fini.
     */
    struct qms_regex *(*regex_compile)(const char *pattern, int caseless, char *err, size_t err_size);
    int (*regex_match)(const struct qms_regex *re, const char *subject, size_t len, size_t start,
                       size_t *out_start, size_t *out_end);
    void (*regex_free)(struct qms_regex *re);

    /* Small helpers on document values. */
    const struct qms_node *(*node_get)(const struct qms_node *map, const char *key);

    /* "Today" for date rules: --today, or the local date. Days since 1970-01-01. */
    int32_t (*today)(struct qms_host *host);

    /* Release mode (--release). */
    int (*release_mode)(struct qms_host *host);

    /* Keep plugin data for check_set. Copies `len` bytes; call from check_doc only, at most
       once per document. digest_get returns it (or NULL) for a digest in check_set. */
    int (*digest_put)(struct qms_host *host, const void *data, size_t len);
    const void *(*digest_get)(struct qms_host *host, const struct qms_digest *doc, size_t *out_len);
};

struct qms_plugin {
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;             /* sizeof(struct qms_plugin) as compiled by the plugin */
    const char *name;                 /* "structure": the prefix of its rule ids */
    const char *version;
    const char *description;
    const struct qms_rule *rules;
    size_t n_rules;
    int (*init)(const struct qms_host_api *api, struct qms_host *host, void **out_state);
    int (*check_doc)(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc);
    int (*check_set)(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_set *set);
    void (*fini)(void *state);
    void *reserved[8];
};

/* The symbol every plugin exports. */
typedef const struct qms_plugin *(*qms_plugin_entry_fn)(void);
#define QMS_PLUGIN_ENTRY_SYMBOL "qms_plugin_entry"

#if defined(_WIN32)
#define QMS_PLUGIN_EXPORT __declspec(dllexport)
#else
#define QMS_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Defined by each plugin (declared here so plugins build cleanly with -Wmissing-prototypes);
   the host never calls it directly, only through dlsym. */
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);

#ifdef __cplusplus
}
#endif
#endif
