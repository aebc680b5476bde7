/* The per-document digest cache (issue 11): what check_doc made of a document (its digest,
 * every plugin's digest_put blob, its findings and its inline-suppression directives) kept
 * in $XDG_CACHE_HOME/qmslint/<hash of the set root>.qmscache, so an unchanged document is
 * neither read nor checked again. See docs/cache.md for the key and the invalidation rules.
 *
 * Used by scheduler.c only. The cache file is loaded and validated whole before the pool
 * starts (a corrupt, truncated or foreign file is ignored); lookups are then read-only and
 * safe from any worker, each worker touching only its own document's slot. */
#ifndef QMS_CACHE_H
#define QMS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/plugin.h>

#include "arena.h"
#include "discover.h"
#include "suppress.h"

struct qms_engine;
struct qms_cache;

/* A finding check_doc produced, as kept in the cache. */
struct qms_cache_finding {
    const char *rule_id, *message, *path, *part, *section, *key;
    const char *plugin;               /* the engine's static name of the plugin, or "core" */
    enum qms_severity severity;
    uint32_t line, column, block;
};

/* One plugin's digest_put blob. */
struct qms_cache_blob {
    const void *data;
    size_t len;
    int set;
};

struct qms_cache_entry {
    const char *path;                 /* display path (the key within the set) */
    struct qms_digest digest;         /* reserved[] zero; strings owned by the cache */
    const struct qms_cache_blob *blobs; /* one per loaded plugin, in load order */
    const struct qms_suppress_list *suppress; /* or NULL */
    const struct qms_cache_finding *findings;
    size_t n_findings;
};

/*
 * Opens the cache for a run over the set rooted at `root` with `n_docs` documents: computes
 * the run key (version, plugins, config, options, rule packs), finds the file and loads it
 * when it is valid for that key. *out is NULL when caching is off or impossible (no cache
 * folder, the folder is inside the set); that is not an error. 0 or QMS_ENOMEM.
 */
int qms_cache_open(struct qms_cache **out, const struct qms_engine *e, const char *root,
                   size_t n_docs);
void qms_cache_free(struct qms_cache *c);

/*
 * For document `index` (its display path, and the input discovery made of it): the valid
 * entry, or NULL when the document must be read. Uses discovery's stat of the file (stats it
 * when there is none) and hashes its content when the stat alone cannot prove it unchanged.
 * Thread-safe for distinct indexes.
 */
const struct qms_cache_entry *qms_cache_lookup(struct qms_cache *c, size_t index,
                                               const char *display_path,
                                               const struct qms_input *input);
/* After a document was read and checked: stats it again; a file that changed meanwhile is not
 * stored. Thread-safe for distinct indexes. */
void qms_cache_read_done(struct qms_cache *c, size_t index, const char *fs_path);

/*
 * Adds document `index` to the file to be written (a hit or a fresh read; unreadable ones and
 * files that changed during the run are skipped silently). `findings` are the n check_doc
 * findings of the document. 0 or QMS_ENOMEM. Main thread, after the pool.
 */
int qms_cache_put(struct qms_cache *c, size_t index, const struct qms_digest *d,
                  const struct qms_cache_blob *blobs, const struct qms_suppress_list *suppress,
                  const struct qms_finding *const *findings, size_t n);
/* 1 when every document was restored from the cache exactly as recorded (nothing to write:
 * skip qms_cache_put and the file stays as it is). */
int qms_cache_unchanged(const struct qms_cache *c);
/* Finishes the file written by qms_cache_put (streamed to a temporary file) and renames it
 * into place: atomic. Failures are not errors (the run's
 * result does not depend on the cache): a line on stderr with --verbose. */
void qms_cache_save(struct qms_cache *c);

/* Sizes the per-document state for n_docs documents (a cache opened ahead of discovery, with
 * n_docs 0). 0 or QMS_ENOMEM. */
int qms_cache_set_docs(struct qms_cache *c, size_t n_docs);

/* Hands over the arenas the loaded entries live in (restored digests point into them), at
 * most QMS_CACHE_ARENAS into `out`; returns how many. The caller frees them, after the cache. */
#define QMS_CACHE_ARENAS 2
size_t qms_cache_take_arenas(struct qms_cache *c, struct qms_arena **out);

/* Counters for the result: documents whose content was hashed. */
size_t qms_cache_hashed(const struct qms_cache *c);

/* The cache file's checksum (fast, detects damage; not an authenticator), for the tests. */
struct qms_fsum {
    uint64_t v[4];
    uint64_t len;
    unsigned char buf[32];
    size_t n;
};
void qms_fsum_init(struct qms_fsum *s);
void qms_fsum_update(struct qms_fsum *s, const void *data, size_t len);
void qms_fsum_final(struct qms_fsum *s, unsigned char out[32]);

/* SHA-256 (FIPS 180-4), exposed for the tests. */
struct qms_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
};
void qms_sha256_init(struct qms_sha256 *s);
void qms_sha256_update(struct qms_sha256 *s, const void *data, size_t len);
void qms_sha256_final(struct qms_sha256 *s, unsigned char out[32]);

#endif
