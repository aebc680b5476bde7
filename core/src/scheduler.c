/* The run: a pthread pool reads each document and runs every plugin's check_doc on it, keeps a
 * digest and frees the model; then check_set on the main thread; then findings are sorted so
 * the output is the same for any number of jobs. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "cache.h"
#include "doc.h"
#include "engine_int.h"
#include "guard.h"
#include "meta.h"
#include "reader.h"
#include "suppress.h"

#define MAX_JOBS 256u

/* What one plugin kept of one document (digest_put). */
struct qms_pdata {
    const void *data;
    size_t len;
    int set;
};

struct qms_job {
    struct qms_run *run;
    size_t index;              /* into inputs->docs and run->digests */
    const char *display_path;
    struct qms_arena *arena;   /* the worker's digest arena */
    struct qms_pdata *pdata;   /* one per plugin */
};

struct qms_run {
    struct qms_engine *e;
    const struct qms_inputs *in;
    struct qms_limits limits;
    struct qms_digest *digests;     /* parallel to in->docs while running */
    char **reasons;                 /* why a document could not be read, parallel to digests */

    pthread_mutex_t lock;           /* guards everything below */
    pthread_cond_t progress;
    size_t next, done;
    struct qms_arena *farena;       /* finding strings */
    struct qms_finding *findings;
    size_t n_findings, cap_findings;
    int oom;
    int failed;                     /* a check_doc returned < 0: the lowest (doc, plugin) wins */
    size_t fail_doc, fail_plugin;
    int crashed;                    /* a check_doc faulted: the lowest (doc, plugin) wins */
    size_t crash_doc, crash_plugin;
    int crash_signal;
    size_t *crash_at;               /* per plugin: lowest document it faulted on, or SIZE_MAX */
    /* cache (issue 11): which document's check_doc produced each finding (SIZE_MAX: none) */
    struct qms_cache *cache;        /* NULL: no cache this run */
    size_t *fdoc;
    size_t n_fdoc, cap_fdoc;
    size_t n_read, n_cached;        /* documents read / restored (atomic) */
};

struct result_impl {
    struct qms_result pub;          /* first: the public pointer is the wrapper's */
    struct qms_arena *arena;
    size_t cap_findings;            /* allocated length of pub.findings */
    /* The digests' arenas (the workers' and the cache's): the documents' summaries point
       into them instead of holding a second copy of every metadata record. */
    struct qms_arena **kept;
    size_t n_kept;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- findings */

/* How many bytes of s a one-line copy keeps: at most `cap`, cut on a UTF-8 boundary. */
static size_t line_cut(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap + 1);
    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

/* Copies at most `cap` bytes, cut on a UTF-8 boundary, control characters made spaces: a
 * finding's text is one line whatever the document held. */
static char *copy_line(struct qms_arena *a, const char *s, size_t cap)
{
    if (!s)
        return NULL;
    size_t n = line_cut(s, cap);
    char *out = qms_arena_strndup(a, s, n);
    if (!out)
        return NULL;
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return out;
}

/* Room for one more finding (zeroed, not yet counted), or NULL with run->oom set. */
static struct qms_finding *finding_slot(struct qms_run *run)
{
    if (run->n_findings == run->cap_findings) {
        size_t cap = run->cap_findings ? run->cap_findings * 2 : 256;
        struct qms_finding *grown = realloc(run->findings, cap * sizeof *grown);
        if (!grown) {
            run->oom = 1;
            return NULL;
        }
        run->findings = grown;
        run->cap_findings = cap;
    }
    struct qms_finding *f = &run->findings[run->n_findings];
    memset(f, 0, sizeof *f);
    return f;
}

/* Appends a finding; run->lock must be held. */
static int push_finding(struct qms_run *run, const char *rule_id, enum qms_severity sev,
                        const char *message, const char *path, const struct qms_location *loc,
                        const char *key, const char *plugin)
{
    struct qms_finding *f = finding_slot(run);
    if (!f)
        return QMS_ENOMEM;
    struct qms_arena *a = run->farena;
    f->rule_id = qms_arena_strdup(a, rule_id);
    f->severity = sev;
    f->message = copy_line(a, message, QMS_MAX_MESSAGE);
    /* The path stays as the file is named (emitters escape it): suppressions, JUnit and the
       JSON documents list match findings to documents by it. */
    f->path = qms_arena_strndup(a, path ? path : "", path ? strnlen(path, 4096) : 0);
    if (loc) {
        f->part = copy_line(a, loc->part, 1024);
        f->section = copy_line(a, loc->section, 1024);
        f->line = loc->line;
        f->column = loc->column;
        f->block = loc->block;
    }
    f->key = copy_line(a, key, QMS_MAX_KEY);
    f->plugin = plugin;
    if (!f->rule_id || !f->message || !f->path || (loc && loc->part && !f->part) ||
        (loc && loc->section && !f->section) || (key && !f->key)) {
        run->oom = 1;
        return QMS_ENOMEM;
    }
    run->n_findings++;
    return 0;
}

/* cache (issue 11): appends a finding restored from the cache; its strings stay in the
 * cache's arena, which the result keeps (the cache only loads what push_finding makes).
 * run->lock must be held. */
static int push_restored(struct qms_run *run, const struct qms_cache_finding *cf)
{
    struct qms_finding *f = finding_slot(run);
    if (!f)
        return QMS_ENOMEM;
    run->n_findings++;
    f->rule_id = (char *)cf->rule_id;
    f->severity = cf->severity;
    f->message = (char *)cf->message;
    f->path = (char *)cf->path;
    f->part = (char *)cf->part;
    f->section = (char *)cf->section;
    f->line = cf->line;
    f->column = cf->column;
    f->block = cf->block;
    f->key = (char *)cf->key;
    f->plugin = cf->plugin;
    return 0;
}

/* cache (issue 11): remembers that the last finding came from document `doc`; lock held. */
static void note_finding_doc(struct qms_run *run, size_t doc)
{
    if (!run->cache || run->n_findings == 0)
        return;
    if (run->cap_fdoc < run->n_findings) {
        size_t cap = run->cap_findings > run->n_findings ? run->cap_findings : run->n_findings;
        size_t *grown = realloc(run->fdoc, cap * sizeof *grown);
        if (!grown) {
            run->oom = 1;
            return;
        }
        run->fdoc = grown;
        run->cap_fdoc = cap;
    }
    while (run->n_fdoc < run->n_findings - 1)
        run->fdoc[run->n_fdoc++] = SIZE_MAX;
    run->fdoc[run->n_findings - 1] = doc;
    run->n_fdoc = run->n_findings;
}

int qms_run_report(struct qms_host *host, const struct qms_rule_entry *rule,
                   const struct qms_finding_desc *f)
{
    struct qms_run *run = host->run;
    enum qms_severity sev;
    if (rule->explicit_severity || f->severity == QMS_SEV_OFF || rule->severity == QMS_SEV_OFF)
        sev = rule->severity;
    else
        sev = (unsigned)f->severity > QMS_SEV_ERROR ? QMS_SEV_ERROR : f->severity;
    if (sev == QMS_SEV_OFF)
        return 0; /* disabled: dropped, not an error */
    const char *path = f->path ? f->path : host->job ? host->job->display_path : "";
    pthread_mutex_lock(&run->lock);
    int rc = push_finding(run, rule->rule->id, sev, f->message, path, &f->loc, f->key,
                          run->e->plugins[host->plugin].pub.desc->name);
    if (rc == 0 && host->job)
        note_finding_doc(run, host->job->index);
    pthread_mutex_unlock(&run->lock);
    return rc;
}

/* ---------------------------------------------------------------- digests */

int qms_run_digest_put(struct qms_host *host, const void *data, size_t len)
{
    struct qms_job *job = host->job;
    if (!job || !host->run)
        return QMS_EUSAGE; /* check_doc only */
    struct qms_pdata *pd = &job->pdata[host->plugin];
    if (pd->set)
        return QMS_EUSAGE;
    if (len > QMS_MAX_DIGEST_DATA)
        return QMS_ETOOBIG;
    void *copy = qms_arena_alloc(job->arena, len ? len : 1);
    if (!copy)
        return QMS_ENOMEM;
    if (len)
        memcpy(copy, data, len);
    pd->data = copy;
    pd->len = len;
    pd->set = 1;
    return 0;
}

const void *qms_run_digest_get(struct qms_host *host, const struct qms_digest *doc, size_t *out_len)
{
    struct qms_run *run = host->run;
    if (!run || !run->in)
        return NULL;
    uintptr_t p = (uintptr_t)doc, lo = (uintptr_t)run->digests,
              hi = (uintptr_t)(run->digests + run->in->n_docs);
    if (p < lo || p >= hi || (p - lo) % sizeof *doc != 0)
        return NULL; /* not one of this run's digests */
    const struct qms_pdata *pd = doc->reserved[0];
    if (!pd || !pd[host->plugin].set)
        return NULL;
    if (out_len)
        *out_len = pd[host->plugin].len;
    return pd[host->plugin].data;
}

/* ---------------------------------------------------------------- digest copies */

/* The strings of one document's digest are copied once each: a section heading is the
 * loc.section of every value, link and anchor under it, a label or a part name repeats, a
 * value often equals its raw text. A small open-addressing table (per worker, emptied per
 * document by bumping its generation) hands out the copy already made. */
#define POOL_SLOTS 4096u
struct pool_slot {
    const char *copy;
    uint64_t hash;
    uint32_t len;
    uint32_t gen;
    int line;                         /* made by copy_line (control characters replaced) */
};

struct strpool {
    struct pool_slot *slots;          /* POOL_SLOTS, or NULL: every string copied */
    uint32_t gen, used;
};

/* What a digest is copied with: the worker's arena, its pool, and the first failure. */
struct dcopy {
    struct qms_arena *a;
    struct strpool *pool;
    int bad;
};

static void pool_next_document(struct strpool *p)
{
    if (!p->slots)
        return;
    if (++p->gen == 0) {
        memset(p->slots, 0, POOL_SLOTS * sizeof *p->slots);
        p->gen = 1;
    }
    p->used = 0;
}

static uint64_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* s[0..n) as one line (control characters made spaces when `line`), copied once per
 * document. A copy is handed out again only for the same kind of copy of the same bytes. */
static const char *pool_copy(struct dcopy *dc, const char *s, size_t n, int line)
{
    struct strpool *p = dc->pool;
    struct pool_slot *slot = NULL;
    uint64_t h = 0;
    if (p && p->slots && n <= UINT32_MAX) {
        h = bytes_hash(s, n);
        for (uint32_t i = (uint32_t)h & (POOL_SLOTS - 1);; i = (i + 1) & (POOL_SLOTS - 1)) {
            struct pool_slot *sl = &p->slots[i];
            if (sl->gen != p->gen) {
                if (p->used < POOL_SLOTS / 4 * 3)
                    slot = sl; /* free: the copy made below goes here */
                break;
            }
            if (sl->hash == h && sl->len == n && sl->line == line && memcmp(sl->copy, s, n) == 0)
                return sl->copy;
        }
    }
    char *out = qms_arena_strndup(dc->a, s, n);
    if (!out) {
        dc->bad = 1;
        return NULL;
    }
    if (line)
        for (char *c = out; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = ' ';
    if (slot) {
        slot->copy = out;
        slot->hash = h;
        slot->len = (uint32_t)n;
        slot->line = line;
        slot->gen = p->gen;
        p->used++;
    }
    return out;
}

/* copy_line through the pool. */
static const char *dc_line(struct dcopy *dc, const char *s, size_t cap)
{
    if (!s)
        return NULL;
    size_t n = line_cut(s, cap);
    return pool_copy(dc, s, n, 1);
}

static const char *dc_str(struct dcopy *dc, const char *s)
{
    return s ? pool_copy(dc, s, strlen(s), 0) : NULL;
}

static const char *dc_str_or_empty(struct dcopy *dc, const char *s)
{
    return pool_copy(dc, s ? s : "", s ? strlen(s) : 0, 0);
}

/* Locations in digests name a part and a section for messages; a hostile document can make a
 * heading megabytes long and put hundreds of links under it, so both are cut to one line of
 * at most QMS_MAX_LOC_TEXT bytes (else each link would copy the whole heading). */
#define QMS_MAX_LOC_TEXT 512u
static void copy_loc(struct dcopy *dc, struct qms_location *dst, const struct qms_location *src)
{
    *dst = *src;
    dst->part = dc_line(dc, src->part, QMS_MAX_LOC_TEXT);
    dst->section = dc_line(dc, src->section, QMS_MAX_LOC_TEXT);
}

static void *dc_array(struct dcopy *dc, size_t n, size_t size)
{
    void *p = n <= SIZE_MAX / size ? qms_arena_alloc(dc->a, n * size) : NULL;
    if (!p)
        dc->bad = 1;
    return p;
}

/* ---------------------------------------------------------------- metadata copies */

static void copy_value(struct dcopy *dc, struct qms_meta_value *dst, const struct qms_meta_value *src)
{
    *dst = *src;
    dst->value = dc_str(dc, src->value);
    dst->raw = dc_str(dc, src->raw);
    dst->label = dc_str(dc, src->label);
    copy_loc(dc, &dst->loc, &src->loc);
}

/* A deep copy of a metadata record (the document's arena dies with the document). */
static const struct qms_meta *copy_meta(struct dcopy *dc, const struct qms_meta *src)
{
    struct qms_meta *m = dc_array(dc, 1, sizeof *m);
    if (!m)
        return NULL;
    *m = *src;
    memset(m->reserved, 0, sizeof m->reserved);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        const struct qms_meta_values *sv = &src->fields[f];
        m->fields[f].items = NULL;
        m->fields[f].n = 0;
        if (!sv->n || !sv->items)
            continue;
        struct qms_meta_value *items = dc_array(dc, sv->n, sizeof *items);
        if (!items)
            return NULL;
        for (size_t i = 0; i < sv->n; i++)
            copy_value(dc, &items[i], &sv->items[i]);
        m->fields[f].items = items;
        m->fields[f].n = sv->n;
    }
    m->history = NULL;
    m->n_history = 0;
    if (src->n_history && src->history) {
        struct qms_meta_history_row *rows = dc_array(dc, src->n_history, sizeof *rows);
        if (!rows)
            return NULL;
        for (size_t i = 0; i < src->n_history; i++) {
            const struct qms_meta_history_row *r = &src->history[i];
            copy_value(dc, &rows[i].revision, &r->revision);
            copy_value(dc, &rows[i].date, &r->date);
            rows[i].description = dc_str(dc, r->description);
            rows[i].people = dc_str(dc, r->people);
            copy_loc(dc, &rows[i].loc, &r->loc);
        }
        m->history = rows;
        m->n_history = src->n_history;
    }
    m->register_entries = NULL;
    m->n_register_entries = 0;
    if (src->n_register_entries && src->register_entries) {
        struct qms_meta_register_entry *es = dc_array(dc, src->n_register_entries, sizeof *es);
        if (!es)
            return NULL;
        for (size_t i = 0; i < src->n_register_entries; i++) {
            const struct qms_meta_register_entry *r = &src->register_entries[i];
            copy_value(dc, &es[i].id, &r->id);
            es[i].title = dc_str(dc, r->title);
            copy_value(dc, &es[i].revision, &r->revision);
            copy_value(dc, &es[i].status, &r->status);
            copy_value(dc, &es[i].date, &r->date);
            copy_loc(dc, &es[i].loc, &r->loc);
        }
        m->register_entries = es;
        m->n_register_entries = src->n_register_entries;
    }
    return dc->bad ? NULL : m;
}

/* Keeps what set rules need; every string copied (once) into the worker's arena. */
static int build_digest(struct qms_digest *d, struct dcopy *dc, const struct qms_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if ((b->kind == QMS_BLOCK_TITLE || b->kind == QMS_BLOCK_HEADING) && b->text) {
            d->title = dc_line(dc, b->text, QMS_MAX_TITLE);
            break;
        }
    }
    if (doc->n_links) {
        struct qms_link *links = dc_array(dc, doc->n_links, sizeof *links);
        if (!links)
            return QMS_ENOMEM;
        for (size_t i = 0; i < doc->n_links; i++) {
            const struct qms_link *s = &doc->links[i];
            links[i].kind = s->kind;
            links[i].target_kind = s->target_kind;
            links[i].target = dc_str_or_empty(dc, s->target);
            links[i].anchor = s->anchor ? dc_str_or_empty(dc, s->anchor) : NULL;
            links[i].text = dc_str_or_empty(dc, s->text);
            copy_loc(dc, &links[i].loc, &s->loc);
        }
        d->links = links;
        d->n_links = doc->n_links;
    }
    if (doc->n_anchors) {
        struct qms_anchor *anchors = dc_array(dc, doc->n_anchors, sizeof *anchors);
        if (!anchors)
            return QMS_ENOMEM;
        for (size_t i = 0; i < doc->n_anchors; i++) {
            anchors[i].kind = doc->anchors[i].kind;
            anchors[i].name = dc_str_or_empty(dc, doc->anchors[i].name);
            copy_loc(dc, &anchors[i].loc, &doc->anchors[i].loc);
        }
        d->anchors = anchors;
        d->n_anchors = doc->n_anchors;
    }
    if (doc->n_properties) {
        struct qms_property *props = dc_array(dc, doc->n_properties, sizeof *props);
        if (!props)
            return QMS_ENOMEM;
        for (size_t i = 0; i < doc->n_properties; i++) {
            const struct qms_property *s = &doc->properties[i];
            props[i].source = s->source;
            props[i].name = dc_str_or_empty(dc, s->name);
            props[i].value = dc_str_or_empty(dc, s->value);
            props[i].type = s->type ? dc_str_or_empty(dc, s->type) : NULL;
            copy_loc(dc, &props[i].loc, &s->loc);
        }
        d->properties = props;
        d->n_properties = doc->n_properties;
    }
    d->n_insertions = doc->n_insertions;
    d->n_deletions = doc->n_deletions;
    d->n_comments = doc->n_comments;
    /* the record lives in the document's arena, which is about to be freed */
    if (doc->meta && !(d->meta = copy_meta(dc, doc->meta)))
        return QMS_ENOMEM;
    return dc->bad ? QMS_ENOMEM : 0;
}

/* ---------------------------------------------------------------- workers */

static void note_failure(struct qms_run *run, size_t doc, size_t plugin)
{
    pthread_mutex_lock(&run->lock);
    if (!run->failed || doc < run->fail_doc || (doc == run->fail_doc && plugin < run->fail_plugin)) {
        run->failed = 1;
        run->fail_doc = doc;
        run->fail_plugin = plugin;
    }
    pthread_mutex_unlock(&run->lock);
}

/* A plugin faulted in check_doc (guard.c recovered): disable it for the rest of the run. */
static void note_crash(struct qms_run *run, size_t doc, size_t plugin, int sig)
{
    pthread_mutex_lock(&run->lock);
    run->e->plugins[plugin].crashed = 1;
    if (doc < run->crash_at[plugin])
        __atomic_store_n(&run->crash_at[plugin], doc, __ATOMIC_RELEASE);
    if (!run->crashed || doc < run->crash_doc ||
        (doc == run->crash_doc && plugin < run->crash_plugin)) {
        run->crashed = 1;
        run->crash_doc = doc;
        run->crash_plugin = plugin;
        run->crash_signal = sig;
    }
    pthread_mutex_unlock(&run->lock);
}

/* cache (issue 11): a document whose entry is valid gets back its digest, its plugins'
 * blobs, its inline suppressions and the findings check_doc made, as if read and checked. */
static void restore_cached(struct qms_run *run, struct qms_job *job, struct qms_digest *d,
                           const struct qms_cache_entry *ce)
{
    struct qms_engine *e = run->e;
    const char *path = d->path;
    void *pdata = d->reserved[0];
    *d = ce->digest; /* strings in the cache's arena, which lives until the run ends */
    d->path = path;
    d->reserved[0] = pdata;
    for (size_t p = 0; p < e->n_plugins; p++) {
        job->pdata[p].data = ce->blobs[p].data;
        job->pdata[p].len = ce->blobs[p].len;
        job->pdata[p].set = ce->blobs[p].set;
    }
    int bad = 0;
    d->reserved[2] = (void *)ce->suppress; /* in the cache's arena, kept by the result */
    pthread_mutex_lock(&run->lock);
    for (size_t i = 0; i < ce->n_findings && !bad; i++) {
        if (push_restored(run, &ce->findings[i]) < 0)
            bad = 1;
        else
            note_finding_doc(run, job->index);
    }
    if (bad)
        run->oom = 1;
    run->n_cached++;
    pthread_mutex_unlock(&run->lock);
}

static void process_one(struct qms_run *run, size_t index, struct qms_arena *arena,
                        struct strpool *pool)
{
    struct qms_engine *e = run->e;
    const struct qms_input *input = &run->in->docs[index];
    struct qms_digest *d = &run->digests[index];
    struct qms_job job = {run, index, input->display_path, arena, NULL};

    d->path = qms_arena_strdup(arena, input->display_path ? input->display_path : "");
    d->format = input->format;
    job.pdata = qms_arena_alloc(arena, (e->n_plugins ? e->n_plugins : 1) * sizeof *job.pdata);
    if (!d->path || !job.pdata) {
        pthread_mutex_lock(&run->lock);
        run->oom = 1;
        pthread_mutex_unlock(&run->lock);
        return;
    }
    if (d->path)
        job.display_path = d->path;
    d->reserved[0] = job.pdata;
    if (run->cache) {
        const struct qms_cache_entry *ce =
            qms_cache_lookup(run->cache, index, job.display_path, input);
        if (ce) {
            restore_cached(run, &job, d, ce);
            return;
        }
    }
    __atomic_add_fetch(&run->n_read, 1, __ATOMIC_RELAXED);

    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_read_file(&doc, input->fs_path, job.display_path, &run->limits, &err);
    if (rc < 0 || !doc) {
        d->unreadable = 1;
        if (!err.msg[0])
            snprintf(err.msg, sizeof err.msg, "error %d", rc);
        run->reasons[index] = copy_line(arena, err.msg, sizeof err.msg);
        char message[QMS_ERRBUF_SIZE + 32];
        snprintf(message, sizeof message, "cannot read: %s", err.msg);
        enum qms_severity sev = qms_engine_rule_severity(e, "core/unreadable");
        if (sev != QMS_SEV_OFF) {
            struct qms_location loc = {0};
            pthread_mutex_lock(&run->lock);
            push_finding(run, "core/unreadable", sev, message, job.display_path, &loc, NULL, "core");
            pthread_mutex_unlock(&run->lock);
        }
        return;
    }
    if (e->meta_opts) {
        /* extract: plugins compare the normalized record instead of re-parsing */
        const struct qms_meta *meta = NULL;
        struct qms_err merr = {{0}};
        if (qms_meta_extract(&meta, doc, qms_doc_arena(doc), e->meta_opts, &merr) == 0)
            doc->meta = meta;
        else if (e->verbose)
            fprintf(stderr, "qmslint: %s: no metadata: %s\n", job.display_path, merr.msg);
    }
    for (size_t p = 0; p < e->n_plugins; p++) {
        struct qms_plugin_slot *s = &e->plugins[p];
        if (!s->pub.desc->check_doc)
            continue;
        struct qms_host host = {e, p, run, &job};
        /* Faulted on an earlier document: not called again on later ones. Earlier ones still
           in flight are checked, so the first faulting document in input order is always the
           one named, whatever the number of jobs. */
        if (index > __atomic_load_n(&run->crash_at[p], __ATOMIC_ACQUIRE))
            continue;
        int sig = 0;
        int prc = qms_guard_check_doc(s->pub.desc, s->state, &qms_host_api_table, &host, doc,
                                      s->pub.desc->name, job.display_path, &sig);
        if (prc == QMS_GUARD_CRASHED)
            note_crash(run, index, p, sig);
        else if (prc < 0)
            note_failure(run, index, p);
    }
    {
        /* inline suppressions (gates): the comments die with the model, the directives stay */
        const struct qms_suppress_list *sl = NULL;
        int bad = qms_suppress_scan(&sl, doc, arena) < 0;
        if (sl) {
            pthread_mutex_lock(&run->lock);
            d->reserved[2] = (void *)qms_suppress_copy(run->farena, sl, &bad);
            pthread_mutex_unlock(&run->lock);
        }
        if (bad) {
            pthread_mutex_lock(&run->lock);
            run->oom = 1;
            pthread_mutex_unlock(&run->lock);
        }
    }
    struct dcopy dc = {arena, pool, 0};
    pool_next_document(pool);
    if (build_digest(d, &dc, doc) < 0) {
        pthread_mutex_lock(&run->lock);
        run->oom = 1;
        pthread_mutex_unlock(&run->lock);
    }
    qms_doc_free(doc);
    if (run->cache)
        qms_cache_read_done(run->cache, index, input->fs_path);
}

struct worker {
    struct qms_run *run;
    struct qms_arena *arena;
    struct strpool pool;
    pthread_t thread;
    int started;
};

static void *worker_main(void *payload)
{
    struct worker *w = payload;
    struct qms_run *run = w->run;
    /* no memory for the pool: every string is simply copied */
    w->pool.slots = calloc(POOL_SLOTS, sizeof *w->pool.slots);
    w->pool.gen = 0;
    qms_guard_thread_begin();
    int finished_one = 0;
    for (;;) {
        /* One lock per document: the last one's count and the next one's index. The main
           thread is woken only when it has something to do (it shows progress on its own
           timer): a wake-up per restored document was a context switch each. */
        pthread_mutex_lock(&run->lock);
        if (finished_one) {
            run->done++;
            if (run->done == run->in->n_docs || run->oom)
                pthread_cond_signal(&run->progress);
        }
        if (run->next >= run->in->n_docs || run->oom) {
            pthread_mutex_unlock(&run->lock);
            break;
        }
        size_t index = run->next++;
        pthread_mutex_unlock(&run->lock);
        process_one(run, index, w->arena, &w->pool);
        finished_one = 1;
    }
    qms_guard_thread_end();
    free(w->pool.slots);
    w->pool.slots = NULL;
    return NULL;
}

static unsigned job_count(const struct qms_engine *e, size_t n_docs)
{
    long n = e->jobs ? (long)e->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if ((unsigned long)n > MAX_JOBS)
        n = MAX_JOBS;
    if ((size_t)n > n_docs)
        n = n_docs ? (long)n_docs : 1;
    return (unsigned)n;
}

/* Runs the pool; the calling thread shows progress (after 1 s, when asked) until it is done. */
static int run_pool(struct qms_run *run, struct worker *workers, unsigned n_workers, double start)
{
    unsigned started = 0;
    qms_readers_init();
    for (unsigned i = 0; i < n_workers; i++) {
        workers[i].run = run;
        if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0) {
            workers[i].started = 1;
            started++;
        }
    }
    if (!started) {
        /* no threads to be had: do the work here */
        worker_main(&workers[0]);
        return 0;
    }
    size_t total = run->in->n_docs;
    int shown = 0;
    pthread_mutex_lock(&run->lock);
    while (run->done < total && !(run->oom && run->done >= run->next)) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&run->progress, &run->lock, &until);
        if (run->e->progress && now_seconds() - start >= 1.0) {
            fprintf(stderr, "\rqmslint: read %zu/%zu documents", run->done, total);
            fflush(stderr);
            shown = 1;
        }
    }
    pthread_mutex_unlock(&run->lock);
    for (unsigned i = 0; i < n_workers; i++)
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
    if (shown) {
        fprintf(stderr, "\r%60s\r", "");
        fflush(stderr);
    }
    return 0;
}

/* ---------------------------------------------------------------- sorting and results */

static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b) { return (a > b) - (a < b); }

static int finding_cmp(const void *pa, const void *pb)
{
    const struct qms_finding *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->path, b->path)))
        return c;
    if ((c = cmp_u32(a->line, b->line)))
        return c;
    if ((c = cmp_u32(a->block, b->block)))
        return c;
    if ((c = cmp_u32(a->column, b->column)))
        return c;
    if ((c = cmp_opt(a->part, b->part)))
        return c;
    if ((c = strcmp(a->rule_id, b->rule_id)))
        return c;
    if ((c = strcmp(a->message, b->message)))
        return c;
    if ((c = cmp_u32(a->severity, b->severity)))
        return c;
    if ((c = cmp_opt(a->key, b->key)))
        return c;
    return cmp_opt(a->section, b->section);
}

static int digest_cmp(const void *pa, const void *pb)
{
    const struct qms_digest *a = pa, *b = pb;
    return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

void qms_result_free(struct qms_result *r)
{
    if (!r)
        return;
    struct result_impl *impl = (struct result_impl *)r;
    free(r->findings);
    free(r->docs);
    qms_arena_free(impl->arena);
    for (size_t i = 0; i < impl->n_kept; i++)
        qms_arena_free(impl->kept[i]);
    free(impl->kept);
    free(impl);
}

static int build_summaries(struct qms_result *r, struct qms_arena *a, const struct qms_run *run,
                           const size_t *order)
{
    size_t n = run->in->n_docs;
    r->docs = calloc(n ? n : 1, sizeof *r->docs);
    if (!r->docs)
        return QMS_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        const struct qms_digest *d = &run->digests[k];
        struct qms_doc_summary *s = &r->docs[k];
        size_t src = order[k];
        /* path, title and metadata stay in the digests' arenas, which the result keeps */
        s->path = (char *)(d->path ? d->path : "");
        s->format = d->format;
        s->title = (char *)d->title;
        s->unreadable = (int)d->unreadable;
        s->reason = run->reasons[src] ? qms_arena_strdup(a, run->reasons[src]) : NULL;
        s->meta = d->meta;
        s->suppress = d->reserved[2];
        if (run->reasons[src] && !s->reason)
            return QMS_ENOMEM;
    }
    r->n_docs = n;
    return 0;
}

/* The result takes the arenas the digests live in (every worker's, and the cache's for
 * restored documents): its summaries share the digests' metadata records. */
static int keep_digest_arenas(struct result_impl *impl, struct worker *workers, unsigned n_workers,
                              struct qms_cache *cache)
{
    impl->kept = calloc((size_t)n_workers + QMS_CACHE_ARENAS, sizeof *impl->kept);
    if (!impl->kept)
        return QMS_ENOMEM;
    for (unsigned i = 0; i < n_workers; i++) {
        impl->kept[impl->n_kept++] = workers[i].arena;
        workers[i].arena = NULL;
    }
    if (cache)
        impl->n_kept += qms_cache_take_arenas(cache, impl->kept + impl->n_kept);
    return 0;
}

/* cache (issue 11): hands every document's check_doc output to the cache, in input order,
 * before check_set adds set findings and the digests are sorted. */
static void cache_collect(struct qms_run *run)
{
    if (qms_cache_unchanged(run->cache))
        return; /* every document restored exactly as recorded: the file stays as it is */
    size_t n = run->in->n_docs, np = run->e->n_plugins;
    size_t *start = calloc(n + 1, sizeof *start);
    const struct qms_finding **by_doc = calloc(run->n_findings ? run->n_findings : 1, sizeof *by_doc);
    struct qms_cache_blob *blobs = calloc(np ? np : 1, sizeof *blobs);
    if (!start || !by_doc || !blobs)
        goto done;
    /* counting sort of the findings by document, order within a document kept */
    for (size_t i = 0; i < run->n_fdoc; i++)
        if (run->fdoc[i] < n)
            start[run->fdoc[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    size_t *fill = calloc(n ? n : 1, sizeof *fill);
    if (!fill)
        goto done;
    for (size_t i = 0; i < run->n_fdoc; i++)
        if (run->fdoc[i] < n)
            by_doc[start[run->fdoc[i]] + fill[run->fdoc[i]]++] = &run->findings[i];
    free(fill);
    for (size_t i = 0; i < n; i++) {
        const struct qms_digest *d = &run->digests[i];
        const struct qms_pdata *pd = d->reserved[0];
        for (size_t p = 0; p < np; p++) {
            blobs[p].data = pd ? pd[p].data : NULL;
            blobs[p].len = pd ? pd[p].len : 0;
            blobs[p].set = pd ? pd[p].set : 0;
        }
        qms_cache_put(run->cache, i, d, blobs, d->reserved[2], by_doc + start[i],
                      start[i + 1] - start[i]);
    }
done:
    free(start);
    free(by_doc);
    free(blobs);
}

/* ---- loading the cache while discovery lists the set ---- */

static void *prefetch_run(void *arg)
{
    struct qms_engine *e = arg;
    if (qms_cache_open(&e->prefetched, e, e->prefetch_root, 0) < 0)
        e->prefetched = NULL;
    return NULL;
}

void qms_engine_prefetch_cache(struct qms_engine *e, const char *root)
{
    if (!e || !e->use_cache || !root || !root[0])
        return;
    qms_cache_free(qms_engine_prefetch_take(e, NULL)); /* one at a time */
    if (!(e->prefetch_root = strdup(root)))
        return;
    e->prefetched = NULL;
    if (pthread_create(&e->prefetch_thread, NULL, prefetch_run, e) != 0) {
        free(e->prefetch_root);
        e->prefetch_root = NULL;
        return;
    }
    e->prefetching = 1;
}

struct qms_cache *qms_engine_prefetch_take(struct qms_engine *e, const char *root)
{
    if (!e || !e->prefetching)
        return NULL;
    pthread_join(e->prefetch_thread, NULL);
    e->prefetching = 0;
    struct qms_cache *c = e->prefetched;
    e->prefetched = NULL;
    int same = root && e->prefetch_root && strcmp(root, e->prefetch_root) == 0;
    free(e->prefetch_root);
    e->prefetch_root = NULL;
    if (same)
        return c;
    qms_cache_free(c);
    return NULL;
}

int qms_engine_run(struct qms_engine *e, const struct qms_inputs *inputs, struct qms_result **out,
                   struct qms_err *err)
{
    if (!out)
        return qms_err_set(err, QMS_EUSAGE, "qms_engine_run: no output");
    *out = NULL;
    if (!e || !inputs)
        return qms_err_set(err, QMS_EUSAGE, "qms_engine_run: no engine or inputs");
    double start = now_seconds();
    size_t n = inputs->n_docs;

    struct qms_run run;
    memset(&run, 0, sizeof run);
    run.e = e;
    run.in = inputs;
    if (e->cfg)
        run.limits = e->cfg->limits;
    else
        qms_limits_default(&run.limits);
    pthread_mutex_init(&run.lock, NULL);
    pthread_cond_init(&run.progress, NULL);

    unsigned n_workers = job_count(e, n);
    struct worker *workers = calloc(n_workers, sizeof *workers);
    struct result_impl *impl = calloc(1, sizeof *impl);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    run.digests = calloc(n ? n : 1, sizeof *run.digests);
    run.reasons = calloc(n ? n : 1, sizeof *run.reasons);
    run.farena = qms_arena_new(0);
    run.crash_at = malloc((e->n_plugins ? e->n_plugins : 1) * sizeof *run.crash_at);
    for (size_t p = 0; run.crash_at && p < e->n_plugins; p++)
        run.crash_at[p] = SIZE_MAX;
    int rc = 0;
    if (!workers || !impl || !order || !run.digests || !run.reasons || !run.farena ||
        !run.crash_at)
        rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
    for (unsigned i = 0; rc == 0 && i < n_workers; i++)
        if (!(workers[i].arena = qms_arena_new(0)))
            rc = qms_err_set(err, QMS_ENOMEM, "out of memory");

    /* a cache loaded while discovery ran (qms_engine_prefetch_cache), if it is this set's */
    struct qms_cache *pre = qms_engine_prefetch_take(e, inputs->root);
    if (rc == 0 && n && e->use_cache && pre && qms_cache_set_docs(pre, n) == 0) {
        run.cache = pre;
        pre = NULL;
    }
    qms_cache_free(pre);
    if (rc == 0 && n && e->use_cache && !run.cache &&
        qms_cache_open(&run.cache, e, inputs->root, n) < 0)
        run.cache = NULL; /* no memory for it: run without */
    if (rc == 0 && n) {
        qms_guard_install();
        run_pool(&run, workers, n_workers, start);
        qms_guard_uninstall();
    }
    if (rc == 0 && run.oom)
        rc = qms_err_set(err, QMS_ENOMEM, "out of memory while checking documents");
    if (rc == 0 && run.cache && !run.crashed && !run.failed)
        cache_collect(&run);

    /* check_set sees digests sorted by path; `order` remembers where each came from */
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            run.digests[i].reserved[1] = (void *)(uintptr_t)i;
        size_t sorted = 1; /* discovery lists documents in path order: normally no sort */
        while (sorted < n && digest_cmp(&run.digests[sorted - 1], &run.digests[sorted]) <= 0)
            sorted++;
        if (sorted < n)
            qsort(run.digests, n, sizeof *run.digests, digest_cmp);
        for (size_t i = 0; i < n; i++) {
            order[i] = (size_t)(uintptr_t)run.digests[i].reserved[1];
            run.digests[i].reserved[1] = NULL;
        }
        struct qms_set set = {run.digests, n, inputs->root};
        for (size_t p = 0; p < e->n_plugins; p++) {
            struct qms_plugin_slot *s = &e->plugins[p];
            if (!s->pub.desc->check_set || s->crashed)
                continue;
            s->host.run = &run;
            int prc = s->pub.desc->check_set(s->state, &qms_host_api_table, &s->host, &set);
            s->host.run = NULL;
            if (prc < 0 && !run.failed) {
                run.failed = 2;
                run.fail_plugin = p;
            }
        }
        if (run.oom)
            rc = qms_err_set(err, QMS_ENOMEM, "out of memory while checking the set");
    }

    if (rc == 0) {
        impl->arena = run.farena;
        run.farena = NULL;
        struct qms_result *r = &impl->pub;
        if (run.n_findings > 1)
            qsort(run.findings, run.n_findings, sizeof *run.findings, finding_cmp);
        r->findings = run.findings;
        r->n_findings = run.n_findings;
        impl->cap_findings = run.cap_findings;
        run.findings = NULL;
        for (size_t i = 0; i < r->n_findings; i++)
            r->counts[r->findings[i].severity & 3]++;
        r->n_skipped = inputs->n_skipped;
        if (build_summaries(r, impl->arena, &run, order) < 0)
            rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
        r->seconds = now_seconds() - start;
    }
    if (rc == 0 && run.cache) {
        impl->pub.n_hashed = qms_cache_hashed(run.cache);
        if (!run.crashed && !run.failed)
            qms_cache_save(run.cache);
        if (e->verbose)
            fprintf(stderr, "qmslint: cache: %zu documents restored, %zu read, %zu hashed\n",
                    run.n_cached, run.n_read, impl->pub.n_hashed);
    }
    if (rc == 0 && keep_digest_arenas(impl, workers, n_workers, run.cache) < 0)
        rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
    if (rc == 0) {
        impl->pub.n_read = run.n_read;
        impl->pub.n_cached = run.n_cached;
    }
    if (rc == 0 && run.crashed) {
        rc = qms_err_set(err, QMS_EPLUGIN,
                         "plugin %s crashed (%s) in check_doc on %s; it was skipped for the "
                         "rest of the run, so its findings are incomplete",
                         e->plugins[run.crash_plugin].pub.desc->name,
                         qms_guard_signal_name(run.crash_signal),
                         inputs->docs[run.crash_doc].display_path
                             ? inputs->docs[run.crash_doc].display_path : "?");
    } else if (rc == 0 && run.failed) {
        const char *name = e->plugins[run.fail_plugin].pub.desc->name;
        if (run.failed == 1)
            rc = qms_err_set(err, QMS_EPLUGIN, "plugin %s failed on %s", name,
                             inputs->docs[run.fail_doc].display_path);
        else
            rc = qms_err_set(err, QMS_EPLUGIN, "plugin %s failed in check_set", name);
    }

    for (unsigned i = 0; workers && i < n_workers; i++)
        qms_arena_free(workers[i].arena);
    free(workers);
    free(order);
    free(run.digests);
    free(run.reasons);
    free(run.crash_at);
    free(run.findings);
    free(run.fdoc);
    qms_cache_free(run.cache);
    qms_arena_free(run.farena);
    pthread_cond_destroy(&run.progress);
    pthread_mutex_destroy(&run.lock);
    if (rc == 0 || rc == QMS_EPLUGIN) {
        *out = &impl->pub; /* a failing plugin still leaves the others' findings */
        return rc;
    }
    qms_result_free(impl ? &impl->pub : NULL);
    return rc;
}

/* ---------------------------------------------------------------- gates (issue 9) */

char *qms_result_strdup(struct qms_result *r, const char *s)
{
    if (!r || !s)
        return NULL;
    return qms_arena_strdup(((struct result_impl *)r)->arena, s);
}

int qms_result_add_finding(struct qms_result *r, const char *rule_id, enum qms_severity sev,
                           const char *message, const char *path,
                           const struct qms_location *loc, const char *key, const char *plugin)
{
    struct result_impl *impl = (struct result_impl *)r;
    if (!impl->arena && !(impl->arena = qms_arena_new(0)))
        return QMS_ENOMEM;
    struct qms_run run;
    memset(&run, 0, sizeof run);
    run.farena = impl->arena;
    run.findings = r->findings;
    run.n_findings = r->n_findings;
    run.cap_findings = impl->cap_findings > r->n_findings ? impl->cap_findings : r->n_findings;
    int rc = push_finding(&run, rule_id, sev, message, path, loc, key, plugin);
    r->findings = run.findings;
    r->n_findings = run.n_findings;
    impl->cap_findings = run.cap_findings;
    return rc;
}

void qms_result_filter(struct qms_result *r,
                       int (*keep)(const struct qms_finding *f, void *payload), void *payload)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (keep(&r->findings[i], payload))
            r->findings[kept++] = r->findings[i];
    r->n_findings = kept;
}

void qms_result_finish(struct qms_result *r)
{
    if (r->n_findings > 1)
        qsort(r->findings, r->n_findings, sizeof *r->findings, finding_cmp);
    memset(r->counts, 0, sizeof r->counts);
    r->n_suppressed = r->n_waived = r->n_baselined = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        switch (f->suppressed) {
        case QMS_SUPPRESS_INLINE: r->n_suppressed++; break;
        case QMS_SUPPRESS_WAIVER: r->n_waived++; break;
        case QMS_SUPPRESS_BASELINE: r->n_baselined++; break;
        default: r->counts[f->severity & 3]++; break;
        }
    }
}
