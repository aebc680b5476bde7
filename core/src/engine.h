/* The run: plugin host, scheduler, findings. One engine per process run. */
#ifndef QMS_ENGINE_H
#define QMS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/plugin.h>

#include "config.h"
#include "discover.h"
#include "errors.h"

struct qms_suppress_list; /* suppress.h: inline suppression directives of a document */

struct qms_run_opts {
    unsigned jobs;                    /* worker threads; 0: online CPUs */
    int32_t today;                    /* days since 1970-01-01; 0: the local date */
    int release;                      /* --release */
    const char *const *plugin_paths;  /* --plugin-path entries (trusted: from the command line) */
    size_t n_plugin_paths;
    const char *rules_dir;            /* NULL: QMSLINT_RULES_DIR, the install's, the source tree's */
    int verbose;
    int progress;                     /* 1: show "read N/M" on stderr when it takes > 1 s */
    const char *const *only_plugins;  /* NULL: every plugin found; else just these names */
    size_t n_only_plugins;
    int no_default_plugin_dirs;       /* 1: skip the install and build-tree plugin dirs (tests) */
    /* added by cache (issue 11): the per-document digest cache, see cache.h / docs/cache.md */
    int use_cache;                    /* 1: restore unchanged documents from the cache */
    const char *cache_dir;            /* NULL: $XDG_CACHE_HOME/qmslint (~/.cache/qmslint) */
};

/* A finding as the host keeps it: every string owned by the result. */
struct qms_finding {
    char *rule_id;
    enum qms_severity severity;
    char *message;
    char *path;                       /* document path (display), never NULL ("" for set-wide) */
    char *part;                       /* loc.part copy or NULL */
    char *section;                    /* loc.section copy or NULL */
    uint32_t line, column, block;
    char *key;                        /* what it is about (fingerprints) or NULL */
    const char *plugin;               /* plugin name (static for the engine's life) */
    /* added by gates (issue 9); zero from the engine, set by suppress/waivers/baseline */
    int suppressed;                   /* enum qms_suppression_kind */
    const char *justification;        /* why it is suppressed (owned by the result) or NULL */
    const char *fingerprint;          /* 32 hex digits (qms_result_fingerprint) or NULL */
};

/* One document as the run saw it, for emitters (json "documents", register, dump). */
struct qms_doc_summary {
    char *path;
    enum qms_format format;
    char *title;                      /* or NULL */
    int unreadable;
    char *reason;                     /* why it could not be read, or NULL */
    const struct qms_meta *meta;      /* owned by the result, or NULL */
    const struct qms_suppress_list *suppress; /* inline suppression directives (owned by the
                                                 result), or NULL: added by gates */
};

struct qms_result {
    struct qms_finding *findings; size_t n_findings;     /* sorted: path, line, block, column,
                                                             part, rule, message (a total order,
                                                             so any --jobs gives the same list) */
    struct qms_doc_summary *docs; size_t n_docs;          /* sorted by path */
    size_t counts[4];                                     /* by severity (index = qms_severity) */
    size_t n_skipped;
    double seconds;
    /* added by gates (issue 9): findings kept but not active (counts[] leaves them out) */
    size_t n_suppressed;              /* inline suppressions */
    size_t n_waived;                  /* waivers file */
    size_t n_baselined;               /* in the --baseline file */
    int baseline_used;                /* 1: --baseline given (SARIF baselineState) */
    /* added by cache (issue 11) */
    size_t n_read;                    /* documents read and checked in this run */
    size_t n_cached;                  /* documents restored from the cache (not read) */
    size_t n_hashed;                  /* documents whose content the cache hashed */
};

struct qms_engine;

/* Loaded plugin, for `qmslint plugins` / `rules`. */
struct qms_loaded_plugin {
    const struct qms_plugin *desc;
    const char *file;                 /* the .so it came from */
};

/*
 * Creates an engine: finds the rules directory, loads every plugin from the trusted search
 * path (opts->plugin_paths, QMSLINT_PLUGIN_PATH, the install's plugin dir, the build tree's),
 * checks their ABI, runs their init, then validates the config's rule ids against the
 * loaded rules. Any refusal: QMS_EPLUGIN / QMS_ECONFIG with the reason (naming the file,
 * both ABI versions, the missing symbol or the plugin's message).
 */
int qms_engine_new(struct qms_engine **out, const struct qms_config *cfg,
                   const struct qms_run_opts *opts, struct qms_err *err);
void qms_engine_free(struct qms_engine *e);

size_t qms_engine_plugin_count(const struct qms_engine *e);
const struct qms_loaded_plugin *qms_engine_plugin(const struct qms_engine *e, size_t i);
/* The rule with that id among the loaded plugins and core rules ("core/unreadable"), or NULL. */
const struct qms_rule *qms_engine_find_rule(const struct qms_engine *e, const char *rule_id);
/* Every rule, core first, then plugins in load order; sorted by id. */
size_t qms_engine_rules(const struct qms_engine *e, const struct qms_rule *const **out);
/* The severity in force for a rule after config (QMS_SEV_OFF when disabled). */
enum qms_severity qms_engine_rule_severity(const struct qms_engine *e, const char *rule_id);

/*
 * Checks a set: loads each input on the thread pool, runs every plugin's check_doc, frees
 * the model and keeps a digest; then check_set; then sorts. Unreadable documents become
 * core/unreadable findings. Output is identical for any number of jobs.
 * A plugin failing (negative return) is QMS_EPLUGIN naming the plugin and the document;
 * *out is then still set (the other plugins' findings) and the caller frees it. On any other
 * error *out is NULL. Call from one thread; check_doc runs on opts->jobs workers.
 */
int qms_engine_run(struct qms_engine *e, const struct qms_inputs *inputs,
                   struct qms_result **out, struct qms_err *err);
/*
 * Starts loading the document cache of the set rooted at `root` on a background thread, so
 * that it overlaps discovery; the next qms_engine_run for the same root uses it (another root:
 * it is dropped and the run opens its own). A no-op without the cache or when a thread cannot
 * be had. Call from the thread that calls qms_engine_run, before it.
 */
void qms_engine_prefetch_cache(struct qms_engine *e, const char *root);
void qms_result_free(struct qms_result *r);

/* Severity names: "off" "info" "warning" "error"; parse returns -1 for anything else. */
const char *qms_severity_name(enum qms_severity s);
int qms_severity_parse(const char *s);

/* ---- added by gates (issue 9): post-processing of a result ---- */

enum qms_suppression_kind {
    QMS_SUPPRESS_NONE = 0,
    QMS_SUPPRESS_INLINE = 1,          /* <!-- qmslint-disable -->, front matter, custom property */
    QMS_SUPPRESS_WAIVER = 2,          /* .qmslint-waivers.yml */
    QMS_SUPPRESS_BASELINE = 3         /* in the --baseline file */
};

/* Appends a finding to a finished result (strings copied into the result). Call
 * qms_result_finish afterwards. 0 or QMS_ENOMEM. Not thread-safe. */
int qms_result_add_finding(struct qms_result *r, const char *rule_id, enum qms_severity sev,
                           const char *message, const char *path,
                           const struct qms_location *loc, const char *key, const char *plugin);
/* A copy of s owned by the result, or NULL. */
char *qms_result_strdup(struct qms_result *r, const char *s);
/* Removes the findings for which keep() returns 0. */
void qms_result_filter(struct qms_result *r,
                       int (*keep)(const struct qms_finding *f, void *payload), void *payload);
/* Sorts the findings again and recounts: counts[] over active findings only, n_suppressed /
 * n_waived / n_baselined over the others. */
void qms_result_finish(struct qms_result *r);

#endif
