/* Internals shared by engine.c (plugin host, host API), scheduler.c (the run) and regex.c.
 * Not part of any public interface. */
#ifndef QMS_ENGINE_INT_H
#define QMS_ENGINE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <qmslint/plugin.h>

#include "arena.h"
#include "engine.h"

/* Caps on what a plugin hands the host (hostile documents flow through plugin messages). */
#define QMS_MAX_MESSAGE 4096u
#define QMS_MAX_KEY 1024u
#define QMS_MAX_TITLE 4096u
#define QMS_MAX_DIGEST_DATA (16u << 20)

struct qms_run;
struct qms_job;
struct qms_meta_opts;

/*
 * The opaque context a plugin receives. One persistent per plugin (init, check_set, fini) and
 * one on the worker's stack per check_doc call, carrying the document being checked.
 */
struct qms_host {
    struct qms_engine *engine;
    size_t plugin;          /* index into engine->plugins */
    struct qms_run *run;    /* the run in progress, or NULL (init) */
    struct qms_job *job;    /* the document being checked (check_doc only), or NULL */
};

struct qms_plugin_slot {
    struct qms_loaded_plugin pub;  /* desc + file (file points at `file`) */
    char *file;
    void *dl;
    void *state;
    int inited;
    int in_init;
    struct qms_host host;
    char last_err[QMS_ERRBUF_SIZE]; /* the plugin's last complaint during init */
    int crashed;                   /* check_doc faulted (guard.c): no more calls, no fini */
};

struct qms_rule_entry {
    const struct qms_rule *rule;
    enum qms_severity severity;    /* in force after config */
    int explicit_severity;         /* 1: the config set it */
    size_t plugin;                 /* index into engine->plugins, SIZE_MAX for core rules */
};

struct qms_cache;

struct qms_engine {
    const struct qms_config *cfg;
    unsigned jobs;
    int32_t today;
    int release;
    int verbose;
    int progress;
    char *rules_dir;               /* resolved rules directory, or NULL when none exists */

    struct qms_plugin_slot *plugins;
    size_t n_plugins;
    char **skipped_plugins;        /* names disabled by config / not selected: their ids are accepted */
    size_t n_skipped_plugins;

    struct qms_rule_entry *rules;  /* sorted by id */
    size_t n_rules;
    const struct qms_rule **rule_list; /* the same, as the public listing */

    struct qms_arena *packs;       /* rule packs (main thread, init only) */
    struct qms_meta_opts *meta_opts; /* metadata vocabulary, or NULL (no rules dir) */

    pthread_mutex_t lock;          /* guards cfg_err */
    int has_cfg_err;
    char cfg_err[QMS_ERRBUF_SIZE]; /* first node_error / load_pack error */
    /* added by cache (issue 11) */
    int use_cache;                 /* run_opts.use_cache */
    char *cache_dir;               /* run_opts.cache_dir copy, or NULL */
    /* the cache being loaded ahead of a run (qms_engine_prefetch_cache) */
    int prefetching;
    pthread_t prefetch_thread;
    char *prefetch_root;
    struct qms_cache *prefetched;
};

/* Waits for a prefetched cache and hands it over when it was loaded for `root` (else frees it
 * and returns NULL). NULL root: only waits and frees. scheduler.c. */
struct qms_cache *qms_engine_prefetch_take(struct qms_engine *e, const char *root);

extern const struct qms_host_api qms_host_api_table;

/* The rule entry for an id, or NULL. Thread-safe (read-only table). */
const struct qms_rule_entry *qms_engine_rule_entry(const struct qms_engine *e, const char *rule_id);

/* Hooks the scheduler provides to the host API (scheduler.c). */
int qms_run_report(struct qms_host *host, const struct qms_rule_entry *rule,
                   const struct qms_finding_desc *f);
int qms_run_digest_put(struct qms_host *host, const void *data, size_t len);
const void *qms_run_digest_get(struct qms_host *host, const struct qms_digest *doc, size_t *out_len);

/* PCRE2 wrappers (regex.c); the host API's regex_* members. */
struct qms_regex *qms_regex_compile(const char *pattern, int caseless, char *err, size_t err_size);
int qms_regex_match(const struct qms_regex *re, const char *subject, size_t len, size_t start,
                    size_t *out_start, size_t *out_end);
void qms_regex_free(struct qms_regex *re);

#endif
