/* The per-document digest cache (issue 11). File layout (all integers little-endian):
 *
 *   "QMSLCACH"  u64 format  u64 payload length  [32] checksum of the payload (qms_fsum)
 *   payload:    [32] run key  i64 written-at (ns)  u32 plugins  entry...
 *               u64 offset of each entry (from the payload's start)  u64 entries
 *   entry:      str path  u64 size ino dev  i64 mtime ctime  [32] content SHA-256
 *               digest  blobs  suppressions  findings
 *
 * A string is u32 0 for NULL; u32 (length + 1) then its bytes and a NUL; or u32 (0x80000000 |
 * k) for the same bytes as the k-th string written in the same entry (a section heading is
 * the location of every value under it). The file is read whole into memory and restored
 * entries point into it: a string is never copied. Anything that does not decode exactly
 * (magic, format, length, checksum, key, a count past the end, a reference forward, a bad
 * enum, a finding string the host would not have made) makes the whole file ignored: it is
 * only ever an optimisation. */
#include "cache.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qmslint/meta.h>
#include <qmslint/version.h>

#include "engine_int.h"

#define CACHE_MAGIC "QMSLCACH"
#define CACHE_FORMAT 4u
#define CACHE_HEADER 56u                 /* magic 8 + format 8 + length 8 + sum 32 */
#define CACHE_MAX_FILE (2ull << 30)      /* 2 GB: anything larger is not ours */
#define CACHE_MAX_STR (16u << 20)
#define CACHE_STR_REF 0x80000000u
#define WPOOL_SLOTS 4096u                /* strings an entry's writer can refer back to */
#define CACHE_MAX_RULE_FILE (64u << 20)
#define RACY_NS 2000000000LL             /* stat trusted only for files older than this */
#define DECODE_SPLIT 2048u               /* entries from which a second thread decodes half */

/* ---------------------------------------------------------------- SHA-256 */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
        uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + mj;
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void qms_sha256_init(struct qms_sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->n = 0;
}

void qms_sha256_update(struct qms_sha256 *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    s->len += len;
    if (s->n) {
        size_t take = 64 - s->n < len ? 64 - s->n : len;
        memcpy(s->buf + s->n, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n < 64)
            return;
        sha256_block(s->h, s->buf);
        s->n = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha256_block(s->h, p);
    if (len) {
        memcpy(s->buf, p, len);
        s->n = len;
    }
}

void qms_sha256_final(struct qms_sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->len * 8;
    unsigned char pad[72] = {0x80};
    size_t padlen = s->n < 56 ? 56 - s->n : 120 - s->n;
    unsigned char lenb[8];
    for (int i = 0; i < 8; i++)
        lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
    qms_sha256_update(s, pad, padlen);
    qms_sha256_update(s, lenb, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

/* ---------------------------------------------------------------- the file checksum */

/* A fast 4-lane multiply-rotate checksum (the xxHash64 construction): it detects a damaged
 * file at memory speed. It is not an authenticator, nor meant to be: the cache's defence
 * against planted entries is where it lives (see cache_folder) and who owns it. */
#define P1 11400714785074694791ull
#define P2 14029467366897019727ull
#define P3 1609587929392839161ull
#define P4 9650029242287828579ull
#define P5 2870177450012600261ull
#define ROL64(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void fsum_block(uint64_t v[4], const unsigned char *p)
{
    for (int i = 0; i < 4; i++)
        v[i] = ROL64(v[i] + le64(p + 8 * i) * P2, 31) * P1;
}

void qms_fsum_init(struct qms_fsum *s)
{
    s->v[0] = P1 + P2;
    s->v[1] = P2;
    s->v[2] = 0;
    s->v[3] = 0 - P1;
    s->len = 0;
    s->n = 0;
}

void qms_fsum_update(struct qms_fsum *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    s->len += len;
    if (s->n) {
        size_t take = 32 - s->n < len ? 32 - s->n : len;
        memcpy(s->buf + s->n, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n < 32)
            return;
        fsum_block(s->v, s->buf);
        s->n = 0;
    }
    for (; len >= 32; p += 32, len -= 32)
        fsum_block(s->v, p);
    if (len) {
        memcpy(s->buf, p, len);
        s->n = len;
    }
}

void qms_fsum_final(struct qms_fsum *s, unsigned char out[32])
{
    uint64_t h = ROL64(s->v[0], 1) + ROL64(s->v[1], 7) + ROL64(s->v[2], 12) + ROL64(s->v[3], 18);
    h ^= s->len * P5;
    size_t i = 0;
    for (; i + 8 <= s->n; i += 8) {
        h ^= ROL64(le64(s->buf + i) * P2, 31) * P1;
        h = ROL64(h, 27) * P1 + P4;
    }
    for (; i < s->n; i++) {
        h ^= s->buf[i] * P5;
        h = ROL64(h, 11) * P1;
    }
    uint64_t words[4] = {h, s->v[1] ^ h, s->v[2] ^ h, s->v[3] ^ h};
    for (int w = 0; w < 4; w++) {
        uint64_t x = words[w];
        x ^= x >> 33;
        x *= P2;
        x ^= x >> 29;
        x *= P3;
        x ^= x >> 32;
        for (int b = 0; b < 8; b++)
            out[8 * w + b] = (unsigned char)(x >> (8 * b));
    }
}

/* ---------------------------------------------------------------- the cache object */

struct fkey {
    uint64_t size, ino, dev;
    int64_t mtime, ctime;
};

struct centry {
    struct qms_cache_entry pub;
    struct fkey st;
    unsigned char hash[32];
    const unsigned char *raw;        /* its bytes in the loaded file */
    size_t raw_len;
};

enum { SLOT_NONE = 0, SLOT_HIT, SLOT_READ };

struct centry;

struct slot {
    const struct centry *hit;        /* the entry used, or NULL */
    int state;
    int storable;
    struct fkey st;
    unsigned char hash[32];
};

/* The strings written in the current entry, by content, for back references. */
struct wpool_slot {
    const char *s;
    size_t len;
    uint32_t index;
    uint32_t gen;
};

struct wbuf {
    unsigned char *p;
    size_t len, cap;
    int oom;
    int toolong;
    struct wpool_slot *pool;         /* WPOOL_SLOTS, or NULL: no references */
    uint32_t gen, n_strs, n_pooled;
};

struct qms_cache {
    const struct qms_engine *e;
    char *file;
    char *dir;
    unsigned char key[32];
    int64_t started;                 /* wall clock when this run opened the cache */
    int64_t written;                 /* written-at of the loaded file */
    size_t n_plugins;
    struct qms_arena *arena;         /* the loaded entries */
    struct qms_arena *arena2;        /* the half a second thread decoded, or NULL */
    struct centry *entries;          /* sorted by path */
    size_t n_entries;
    struct slot *slots;
    size_t n_docs;
    struct wbuf out;                 /* encoded entries not yet written */
    uint64_t n_out;
    uint64_t *offsets;               /* where each entry written starts in the payload */
    size_t cap_offsets;
    int fd;                          /* the temporary file being written, or -1 */
    char *tmp;
    struct qms_fsum sum;             /* of the payload written so far */
    uint64_t payload_len;
    int write_failed;
    size_t hashed;
    int verbose;
};

static int64_t key_ns(struct timespec ts) { return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec; }

static void fkey_of(struct fkey *k, const struct stat *st)
{
    memset(k, 0, sizeof *k);
    k->size = (uint64_t)st->st_size;
    k->ino = (uint64_t)st->st_ino;
    k->dev = (uint64_t)st->st_dev;
    k->mtime = key_ns(st->st_mtim);
    k->ctime = key_ns(st->st_ctim);
}

static int fkey_eq(const struct fkey *a, const struct fkey *b)
{
    return a->size == b->size && a->ino == b->ino && a->dev == b->dev && a->mtime == b->mtime &&
           a->ctime == b->ctime;
}

size_t qms_cache_hashed(const struct qms_cache *c)
{
    return c ? __atomic_load_n(&c->hashed, __ATOMIC_RELAXED) : 0;
}

/* ---------------------------------------------------------------- writer */

static void w_bytes(struct wbuf *w, const void *p, size_t n)
{
    if (w->oom)
        return;
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap - w->len < n) {
            if (cap > SIZE_MAX / 2) {
                w->oom = 1;
                return;
            }
            cap *= 2;
        }
        unsigned char *grown = realloc(w->p, cap);
        if (!grown) {
            w->oom = 1;
            return;
        }
        w->p = grown;
        w->cap = cap;
    }
    if (n)
        memcpy(w->p + w->len, p, n);
    w->len += n;
}

static void w_u64(struct wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, 8);
}

static void w_u32(struct wbuf *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, 4);
}

static void w_u8(struct wbuf *w, unsigned v)
{
    unsigned char b = (unsigned char)v;
    w_bytes(w, &b, 1);
}

static uint64_t str_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* A new entry: its strings are numbered from 0 again. */
static void w_entry_begin(struct wbuf *w)
{
    w->n_strs = 0;
    w->n_pooled = 0;
    if (w->pool && ++w->gen == 0) {
        memset(w->pool, 0, WPOOL_SLOTS * sizeof *w->pool);
        w->gen = 1;
    }
}

static void w_str(struct wbuf *w, const char *s)
{
    if (!s) {
        w_u32(w, 0);
        return;
    }
    size_t n = strlen(s);
    if (n >= CACHE_MAX_STR) {
        w->toolong = 1; /* not storable: the caller drops the entry */
        return;
    }
    struct wpool_slot *free_slot = NULL;
    if (w->pool) {
        uint64_t h = str_hash(s, n);
        for (uint32_t i = (uint32_t)h & (WPOOL_SLOTS - 1);; i = (i + 1) & (WPOOL_SLOTS - 1)) {
            struct wpool_slot *sl = &w->pool[i];
            if (sl->gen != w->gen) {
                if (w->n_pooled < WPOOL_SLOTS / 4 * 3)
                    free_slot = sl;
                break;
            }
            if (sl->len == n && memcmp(sl->s, s, n) == 0) {
                w_u32(w, CACHE_STR_REF | sl->index);
                return;
            }
        }
    }
    if (w->n_strs >= CACHE_STR_REF - 1) {
        w->toolong = 1;
        return;
    }
    if (free_slot) {
        free_slot->s = s;
        free_slot->len = n;
        free_slot->index = w->n_strs;
        free_slot->gen = w->gen;
        w->n_pooled++;
    }
    w->n_strs++;
    w_u32(w, (uint32_t)n + 1);
    w_bytes(w, s, n + 1); /* with its NUL: the reader points into the file */
}

static void w_loc(struct wbuf *w, const struct qms_location *l)
{
    w_str(w, l->part);
    w_u32(w, l->line);
    w_u32(w, l->column);
    w_u32(w, l->block);
    w_str(w, l->section);
}

static void w_value(struct wbuf *w, const struct qms_meta_value *v)
{
    w_str(w, v->value);
    w_str(w, v->raw);
    w_str(w, v->label);
    w_u32(w, (uint32_t)v->source);
    w_u32(w, v->flags);
    w_u32(w, (uint32_t)v->date);
    w_u32(w, (uint32_t)v->rev_scheme);
    w_u64(w, v->rev_key);
    w_loc(w, &v->loc);
}

static void w_meta(struct wbuf *w, const struct qms_meta *m)
{
    w_u8(w, m != NULL);
    if (!m)
        return;
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        size_t n = m->fields[f].items ? m->fields[f].n : 0;
        w_u64(w, n);
        for (size_t i = 0; i < n; i++)
            w_value(w, &m->fields[f].items[i]);
    }
    size_t nh = m->history ? m->n_history : 0;
    w_u64(w, nh);
    for (size_t i = 0; i < nh; i++) {
        const struct qms_meta_history_row *r = &m->history[i];
        w_value(w, &r->revision);
        w_value(w, &r->date);
        w_str(w, r->description);
        w_str(w, r->people);
        w_loc(w, &r->loc);
    }
    w_u32(w, (uint32_t)m->history_table);
    w_u64(w, m->history_current);
    size_t nr = m->register_entries ? m->n_register_entries : 0;
    w_u64(w, nr);
    for (size_t i = 0; i < nr; i++) {
        const struct qms_meta_register_entry *r = &m->register_entries[i];
        w_value(w, &r->id);
        w_str(w, r->title);
        w_value(w, &r->revision);
        w_value(w, &r->status);
        w_value(w, &r->date);
        w_loc(w, &r->loc);
    }
    w_u32(w, (uint32_t)m->register_table);
}

static void w_digest(struct wbuf *w, const struct qms_digest *d)
{
    w_str(w, d->path);
    w_u32(w, (uint32_t)d->format);
    w_str(w, d->title);
    w_meta(w, d->meta);
    size_t nl = d->links ? d->n_links : 0;
    w_u64(w, nl);
    for (size_t i = 0; i < nl; i++) {
        const struct qms_link *l = &d->links[i];
        w_u32(w, (uint32_t)l->kind);
        w_u32(w, (uint32_t)l->target_kind);
        w_str(w, l->target);
        w_str(w, l->anchor);
        w_str(w, l->text);
        w_loc(w, &l->loc);
    }
    size_t na = d->anchors ? d->n_anchors : 0;
    w_u64(w, na);
    for (size_t i = 0; i < na; i++) {
        w_u32(w, (uint32_t)d->anchors[i].kind);
        w_str(w, d->anchors[i].name);
        w_loc(w, &d->anchors[i].loc);
    }
    size_t np = d->properties ? d->n_properties : 0;
    w_u64(w, np);
    for (size_t i = 0; i < np; i++) {
        const struct qms_property *p = &d->properties[i];
        w_u32(w, (uint32_t)p->source);
        w_str(w, p->name);
        w_str(w, p->value);
        w_str(w, p->type);
        w_loc(w, &p->loc);
    }
    w_u32(w, d->n_insertions);
    w_u32(w, d->n_deletions);
    w_u32(w, d->n_comments);
}

/* ---------------------------------------------------------------- reader */

struct rbuf {
    const unsigned char *p;
    size_t len, pos;
    int bad;
    struct qms_arena *a;
    const char **strs;               /* the current entry's strings, for back references */
    size_t n_strs, cap_strs;
    const char *last_plugin_str, *last_plugin; /* plugin_name's last answer */
};

static const unsigned char *r_take(struct rbuf *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static uint64_t r_u64(struct rbuf *r)
{
    const unsigned char *b = r_take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t r_u32(struct rbuf *r)
{
    const unsigned char *b = r_take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static unsigned r_u8(struct rbuf *r)
{
    const unsigned char *b = r_take(r, 1);
    return b ? *b : 0;
}

/* An enum value: anything past `max` is corrupt (plugins may index tables by it). */
static uint32_t r_enum(struct rbuf *r, uint32_t max)
{
    uint32_t v = r_u32(r);
    if (v > max)
        r->bad = 1;
    return r->bad ? 0 : v;
}

/* A count of items each at least `min` bytes long: more than what is left is corrupt. */
static size_t r_count(struct rbuf *r, size_t min)
{
    uint64_t n = r_u64(r);
    if (r->bad || n > (r->len - r->pos) / (min ? min : 1)) {
        r->bad = 1;
        return 0;
    }
    return (size_t)n;
}

/* A string of the file (in place: the buffer lives as long as the entries). */
static const char *r_str(struct rbuf *r)
{
    uint32_t n = r_u32(r);
    if (r->bad || n == 0)
        return NULL;
    if (n & CACHE_STR_REF) {
        uint32_t k = n & ~CACHE_STR_REF;
        if (k >= r->n_strs) {
            r->bad = 1;
            return NULL;
        }
        return r->strs[k];
    }
    if (n > CACHE_MAX_STR) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *b = r_take(r, n);
    if (!b)
        return NULL;
    if (b[n - 1] != '\0' || memchr(b, '\0', n - 1)) {
        r->bad = 1;
        return NULL;
    }
    if (r->n_strs == r->cap_strs) {
        size_t cap = r->cap_strs ? r->cap_strs * 2 : 256;
        const char **grown = realloc(r->strs, cap * sizeof *grown);
        if (!grown) {
            r->bad = 1;
            return NULL;
        }
        r->strs = grown;
        r->cap_strs = cap;
    }
    r->strs[r->n_strs++] = (const char *)b;
    return (const char *)b;
}

/* A finding string as push_finding makes it: at most `cap` bytes, and with `line` no
 * control character. Anything else is not ours. */
static const char *r_finding_str(struct rbuf *r, size_t cap, int line, int nonnull)
{
    const char *s = r_str(r);
    if (!s) {
        if (nonnull)
            r->bad = 1;
        return NULL;
    }
    size_t n = strnlen(s, cap + 1);
    if (n > cap)
        r->bad = 1;
    for (size_t i = 0; line && i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            r->bad = 1;
    return s;
}

static const char *r_str_nonnull(struct rbuf *r)
{
    const char *s = r_str(r);
    if (!s)
        r->bad = 1;
    return s;
}

static void *r_alloc(struct rbuf *r, size_t n, size_t size)
{
    if (r->bad || n == 0)
        return NULL;
    void *p = qms_arena_alloc(r->a, n * size);
    if (!p)
        r->bad = 1;
    return p;
}

static void r_loc(struct rbuf *r, struct qms_location *l)
{
    l->part = r_str(r);
    l->line = r_u32(r);
    l->column = r_u32(r);
    l->block = r_u32(r);
    l->section = r_str(r);
}

static void r_value(struct rbuf *r, struct qms_meta_value *v)
{
    v->value = r_str(r);
    v->raw = r_str(r);
    v->label = r_str(r);
    v->source = (enum qms_meta_source)r_enum(r, QMS_META_SRC_ID_PREFIX);
    v->flags = r_u32(r);
    v->date = (int32_t)r_u32(r);
    uint32_t scheme = r_u32(r);
    if (scheme > QMS_REV_DOTTED)
        r->bad = 1;
    v->rev_scheme = (enum qms_rev_scheme)scheme;
    v->rev_key = r_u64(r);
    r_loc(r, &v->loc);
}

#define MIN_LOC 20u
#define MIN_VALUE (12u + 16u + 8u + MIN_LOC)

static const struct qms_meta *r_meta(struct rbuf *r)
{
    if (!r_u8(r))
        return NULL;
    struct qms_meta *m = r_alloc(r, 1, sizeof *m);
    if (!m)
        return NULL;
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        size_t n = r_count(r, MIN_VALUE);
        if (n > 256)
            r->bad = 1; /* the extractor keeps at most 256 values per field */
        struct qms_meta_value *items = r_alloc(r, n, sizeof *items);
        for (size_t i = 0; items && i < n; i++)
            r_value(r, &items[i]);
        m->fields[f].items = items;
        m->fields[f].n = items ? n : 0;
    }
    size_t nh = r_count(r, 2 * MIN_VALUE + 8 + MIN_LOC);
    struct qms_meta_history_row *rows = r_alloc(r, nh, sizeof *rows);
    for (size_t i = 0; rows && i < nh; i++) {
        r_value(r, &rows[i].revision);
        r_value(r, &rows[i].date);
        rows[i].description = r_str(r);
        rows[i].people = r_str(r);
        r_loc(r, &rows[i].loc);
    }
    m->history = rows;
    m->n_history = rows ? nh : 0;
    m->history_table = (int32_t)r_u32(r);
    m->history_current = (size_t)r_u64(r);
    if (m->n_history && m->history_current >= m->n_history)
        r->bad = 1;
    size_t nr = r_count(r, 4 * MIN_VALUE + 4 + MIN_LOC);
    struct qms_meta_register_entry *es = r_alloc(r, nr, sizeof *es);
    for (size_t i = 0; es && i < nr; i++) {
        r_value(r, &es[i].id);
        es[i].title = r_str(r);
        r_value(r, &es[i].revision);
        r_value(r, &es[i].status);
        r_value(r, &es[i].date);
        r_loc(r, &es[i].loc);
    }
    m->register_entries = es;
    m->n_register_entries = es ? nr : 0;
    m->register_table = (int32_t)r_u32(r);
    return r->bad ? NULL : m;
}

static void r_digest(struct rbuf *r, struct qms_digest *d)
{
    memset(d, 0, sizeof *d);
    d->path = r_str_nonnull(r);
    d->format = (enum qms_format)r_enum(r, QMS_FORMAT_ODT);
    d->title = r_str(r);
    d->meta = r_meta(r);
    size_t nl = r_count(r, 8 + 12 + MIN_LOC);
    struct qms_link *links = r_alloc(r, nl, sizeof *links);
    for (size_t i = 0; links && i < nl; i++) {
        links[i].kind = (enum qms_link_kind)r_enum(r, QMS_LINK_WIKILINK);
        links[i].target_kind = (enum qms_target_kind)r_enum(r, QMS_TARGET_NAME);
        links[i].target = r_str_nonnull(r);
        links[i].anchor = r_str(r);
        links[i].text = r_str_nonnull(r);
        r_loc(r, &links[i].loc);
    }
    d->links = links;
    d->n_links = links ? nl : 0;
    size_t na = r_count(r, 4 + 4 + MIN_LOC);
    struct qms_anchor *anchors = r_alloc(r, na, sizeof *anchors);
    for (size_t i = 0; anchors && i < na; i++) {
        anchors[i].kind = (enum qms_anchor_kind)r_enum(r, QMS_ANCHOR_EXPLICIT);
        anchors[i].name = r_str_nonnull(r);
        r_loc(r, &anchors[i].loc);
    }
    d->anchors = anchors;
    d->n_anchors = anchors ? na : 0;
    size_t np = r_count(r, 4 + 12 + MIN_LOC);
    struct qms_property *props = r_alloc(r, np, sizeof *props);
    for (size_t i = 0; props && i < np; i++) {
        props[i].source = (enum qms_prop_source)r_enum(r, QMS_PROP_ODT_USER);
        props[i].name = r_str_nonnull(r);
        props[i].value = r_str_nonnull(r);
        props[i].type = r_str(r);
        r_loc(r, &props[i].loc);
    }
    d->properties = props;
    d->n_properties = props ? np : 0;
    d->n_insertions = r_u32(r);
    d->n_deletions = r_u32(r);
    d->n_comments = r_u32(r);
}

/* The engine's own (static) name for a plugin name read from the file, or NULL. */
static const char *plugin_name(const struct qms_engine *e, const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "core") == 0)
        return "core";
    for (size_t p = 0; p < e->n_plugins; p++)
        if (strcmp(e->plugins[p].pub.desc->name, name) == 0)
            return e->plugins[p].pub.desc->name;
    return NULL;
}

static void r_entry(struct rbuf *r, struct centry *ce, const struct qms_engine *e, size_t n_plugins)
{
    memset(ce, 0, sizeof *ce);
    r->n_strs = 0;
    ce->pub.path = r_str_nonnull(r);
    ce->st.size = r_u64(r);
    ce->st.ino = r_u64(r);
    ce->st.dev = r_u64(r);
    ce->st.mtime = (int64_t)r_u64(r);
    ce->st.ctime = (int64_t)r_u64(r);
    const unsigned char *h = r_take(r, 32);
    if (h)
        memcpy(ce->hash, h, 32);
    r_digest(r, &ce->pub.digest);
    if (!r->bad && strcmp(ce->pub.digest.path, ce->pub.path) != 0)
        r->bad = 1;
    struct qms_cache_blob *blobs = qms_arena_alloc(r->a, (n_plugins ? n_plugins : 1) * sizeof *blobs);
    if (!blobs)
        r->bad = 1;
    for (size_t p = 0; blobs && !r->bad && p < n_plugins; p++) {
        blobs[p].set = (int)r_u8(r);
        uint64_t len = r_u64(r);
        if (len > QMS_MAX_DIGEST_DATA || blobs[p].set > 1 || (!blobs[p].set && len)) {
            r->bad = 1;
            break;
        }
        const unsigned char *b = r_take(r, (size_t)len);
        if (blobs[p].set && b) {
            void *copy = qms_arena_alloc(r->a, len ? (size_t)len : 1);
            if (!copy) {
                r->bad = 1;
                break;
            }
            if (len)
                memcpy(copy, b, (size_t)len);
            blobs[p].data = copy;
            blobs[p].len = (size_t)len;
        }
    }
    ce->pub.blobs = blobs;
    if (r_u8(r)) {
        size_t n = r_count(r, 4 + 4 + 8 + 4);
        struct qms_directive *items = r_alloc(r, n, sizeof *items);
        for (size_t i = 0; items && i < n; i++) {
            uint32_t kind = r_u32(r);
            if (kind < QMS_DIRECTIVE_DISABLE || kind > QMS_DIRECTIVE_DOCUMENT)
                r->bad = 1;
            items[i].kind = (enum qms_directive_kind)kind;
            items[i].rule_id = r_str(r);
            items[i].line = r_u32(r);
            items[i].column = r_u32(r);
            items[i].part = r_str(r);
        }
        struct qms_suppress_list *sl = r_alloc(r, 1, sizeof *sl);
        if (sl) {
            sl->items = items;
            sl->n = items ? n : 0;
        }
        ce->pub.suppress = sl;
    }
    size_t nf = r_count(r, 7 * 4 + 16);
    struct qms_cache_finding *fs = r_alloc(r, nf, sizeof *fs);
    for (size_t i = 0; fs && !r->bad && i < nf; i++) {
        struct qms_cache_finding *f = &fs[i];
        /* restored findings share these strings: they must be what push_finding makes */
        f->rule_id = r_str_nonnull(r);
        f->message = r_finding_str(r, QMS_MAX_MESSAGE, 1, 1);
        f->path = r_finding_str(r, 4096, 0, 1);
        f->part = r_finding_str(r, 1024, 1, 0);
        f->section = r_finding_str(r, 1024, 1, 0);
        f->key = r_finding_str(r, QMS_MAX_KEY, 1, 0);
        const char *name = r_str(r);
        if (name != r->last_plugin_str) { /* one back reference for every finding of a plugin */
            r->last_plugin_str = name;
            r->last_plugin = plugin_name(e, name);
        }
        f->plugin = r->last_plugin;
        uint32_t sev = r_u32(r);
        if (!f->plugin || sev < QMS_SEV_INFO || sev > QMS_SEV_ERROR)
            r->bad = 1;
        f->severity = (enum qms_severity)sev;
        f->line = r_u32(r);
        f->column = r_u32(r);
        f->block = r_u32(r);
    }
    ce->pub.findings = fs;
    ce->pub.n_findings = fs ? nf : 0;
}

/* ---------------------------------------------------------------- the run key */

static void key_bytes(struct qms_sha256 *s, const void *p, size_t n)
{
    uint64_t len = n;
    qms_sha256_update(s, &len, sizeof len);
    qms_sha256_update(s, p, n);
}

static void key_str(struct qms_sha256 *s, const char *str)
{
    key_bytes(s, str ? str : "", str ? strlen(str) : 0);
    qms_sha256_update(s, str ? "+" : "-", 1);
}

static void key_u64(struct qms_sha256 *s, uint64_t v) { qms_sha256_update(s, &v, sizeof v); }

/* A file's bytes into the key. -1 when it cannot be read. */
static int key_file(struct qms_sha256 *s, const char *path, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > cap) {
        close(fd);
        return -1;
    }
    key_u64(s, (uint64_t)st.st_size);
    unsigned char buf[65536];
    ssize_t n;
    uint64_t total = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        qms_sha256_update(s, buf, (size_t)n);
        total += (uint64_t)n;
    }
    close(fd);
    if (n < 0)
        return -1;
    key_u64(s, total);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file at the top of the rules folder (the packs plugins may load and
 * labels.yml), in name order. -1 on a read error. */
static int key_rules(struct qms_sha256 *s, const char *dir)
{
    key_str(s, dir);
    if (!dir)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **grown = nc < 100000 ? realloc(names, nc * sizeof *grown) : NULL;
            if (!grown) {
                rc = -1;
                break;
            }
            names = grown;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char path[8192];
        struct stat st;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) {
            rc = -1;
            break;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        key_str(s, names[i]);
        rc = key_file(s, path, CACHE_MAX_RULE_FILE);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int run_key(unsigned char out[32], const struct qms_engine *e, const char *root)
{
    struct qms_sha256 s;
    qms_sha256_init(&s);
    key_str(&s, "qmslint-cache");
    key_str(&s, QMS_VERSION);
    key_u64(&s, CACHE_FORMAT);
    key_u64(&s, sizeof(void *));
    key_str(&s, root);
    key_u64(&s, (uint64_t)(int64_t)e->today);
    key_u64(&s, (uint64_t)e->release);
    /* the effective config: its bytes (limits, severities, options, metadata vocabulary) */
    const char *cfg_path = e->cfg ? e->cfg->path : NULL;
    key_str(&s, cfg_path);
    if (cfg_path && key_file(&s, cfg_path, CACHE_MAX_RULE_FILE) < 0)
        return -1;
    if (key_rules(&s, e->rules_dir) < 0)
        return -1;
    key_u64(&s, e->n_plugins);
    for (size_t p = 0; p < e->n_plugins; p++) {
        const struct qms_plugin_slot *ps = &e->plugins[p];
        struct stat st;
        key_str(&s, ps->pub.desc->name);
        key_str(&s, ps->pub.desc->version);
        key_str(&s, ps->file);
        if (!ps->file || stat(ps->file, &st) != 0)
            return -1;
        key_u64(&s, (uint64_t)st.st_size);
        key_u64(&s, (uint64_t)key_ns(st.st_mtim));
        key_u64(&s, (uint64_t)key_ns(st.st_ctim));
        key_u64(&s, (uint64_t)st.st_ino);
    }
    key_u64(&s, e->n_skipped_plugins);
    for (size_t i = 0; i < e->n_skipped_plugins; i++)
        key_str(&s, e->skipped_plugins[i]);
    qms_sha256_final(&s, out);
    return 0;
}

/* ---------------------------------------------------------------- folder and file */

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", a, b);
    return out;
}

/* Absolute, symlink-free form of a folder that may not exist yet: its nearest existing
 * ancestor resolved, the rest appended. Heap string or NULL. */
static char *resolve_dir(const char *dir, int depth)
{
    char *r = realpath(dir, NULL);
    if (r || depth > 64)
        return r;
    const char *slash = strrchr(dir, '/');
    if (!slash || !slash[1] || strcmp(slash + 1, "..") == 0 || strcmp(slash + 1, ".") == 0)
        return NULL;
    char *parent = slash == dir ? strdup("/") : strndup(dir, (size_t)(slash - dir));
    if (!parent)
        return NULL;
    char *rp = resolve_dir(parent, depth + 1);
    free(parent);
    if (!rp)
        return NULL;
    char *out = strcmp(rp, "/") == 0 ? join("", slash + 1) : join(rp, slash + 1);
    free(rp);
    return out;
}

static int is_under(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return 1;
    return strncmp(root, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int mkdirs(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        buf[i] = c;
    }
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* The cache folder (absolute), or NULL when there is none or it lies inside the set. */
static char *cache_folder(const struct qms_engine *e, const char *root)
{
    char *dir = NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (e->cache_dir && e->cache_dir[0])
        dir = strdup(e->cache_dir);
    else if (xdg && xdg[0] == '/')
        dir = join(xdg, "qmslint");
    else if (home && home[0] == '/')
        dir = join(home, ".cache/qmslint");
    if (!dir)
        return NULL;
    if (dir[0] != '/') {
        char cwd[4096];
        char *abs = getcwd(cwd, sizeof cwd) ? join(cwd, dir) : NULL;
        free(dir);
        if (!(dir = abs))
            return NULL;
    }
    char *resolved = resolve_dir(dir, 0);
    free(dir);
    if (!resolved)
        return NULL;
    char *rroot = realpath(root, NULL);
    int inside = is_under(rroot ? rroot : root, resolved);
    free(rroot);
    if (inside) {
        /* qmslint never writes into the folder it checks, and a checked folder must not be
           able to hand us cache entries */
        if (e->verbose)
            fprintf(stderr, "qmslint: cache: %s is inside the checked set: not used\n", resolved);
        free(resolved);
        return NULL;
    }
    return resolved;
}

static void hex(char *out, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static uint64_t get_le64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const struct centry *)a)->pub.path, ((const struct centry *)b)->pub.path);
}

/* Entries [from, to) of the file, each of which must end exactly where the next begins. */
struct decode_part {
    struct qms_cache *c;
    const unsigned char *payload, *table;
    size_t payload_len, from, to, n;
    struct qms_arena *a;
    struct centry *entries;
    int ok;
};

static void *decode_part_run(void *payload)
{
    struct decode_part *d = payload;
    uint64_t start = get_le64(d->table + 8 * d->from);
    struct rbuf r = {d->payload, d->payload_len, (size_t)start, 0, d->a, NULL, 0, 0, NULL, NULL};
    for (size_t i = d->from; !r.bad && i < d->to; i++) {
        uint64_t end = i + 1 < d->n ? get_le64(d->table + 8 * (i + 1)) : d->payload_len;
        size_t full = r.len;
        r.len = (size_t)end; /* an entry cannot read into the next */
        size_t begin = r.pos;
        r_entry(&r, &d->entries[i], d->c->e, d->c->n_plugins);
        if (r.pos != r.len)
            r.bad = 1;
        d->entries[i].raw = d->payload + begin;
        d->entries[i].raw_len = r.pos - begin;
        r.len = full;
    }
    free(r.strs);
    d->ok = !r.bad;
    return NULL;
}

/* Decodes every entry; on a large file a second thread decodes the second half into its
 * own arena. 1 when every entry decoded exactly. */
static int decode_entries(struct qms_cache *c, const struct rbuf *r, const unsigned char *table,
                          struct centry *entries, size_t n)
{
    struct decode_part parts[2] = {
        {c, r->p, table, r->len, 0, n, n, c->arena, entries, 0},
        {c, r->p, table, r->len, n, n, n, NULL, entries, 0},
    };
    long cpus = c->e->jobs ? (long)c->e->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    pthread_t thread;
    int threaded = 0;
    if (n >= DECODE_SPLIT && cpus > 1 && (c->arena2 = qms_arena_new(0))) {
        parts[0].to = parts[1].from = n / 2;
        parts[1].a = c->arena2;
        threaded = pthread_create(&thread, NULL, decode_part_run, &parts[1]) == 0;
        if (!threaded)
            parts[0].to = parts[1].from = n; /* no thread to be had: all of it here */
    }
    decode_part_run(&parts[0]);
    if (threaded)
        pthread_join(thread, NULL);
    return parts[0].ok && (parts[1].from == parts[1].to || parts[1].ok);
}

/* Reads and validates the file; any defect: the reason, and no entries. */
static const char *load(struct qms_cache *c)
{
    int fd = open(c->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? NULL : "cannot open";
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return "not a regular file";
    }
    if (st.st_uid != geteuid()) {
        close(fd);
        return "not owned by this user";
    }
    if ((uint64_t)st.st_size < CACHE_HEADER || (uint64_t)st.st_size > CACHE_MAX_FILE) {
        close(fd);
        return "truncated or too large";
    }
    size_t size = (size_t)st.st_size;
    /* Mapped, not read: no copy, and the pages come straight from the page cache. The file is
       only ever replaced by rename (qms_cache_save), never rewritten in place, so the mapped
       inode keeps its bytes. The entries' arena owns the mapping: restored strings point
       into it. Reading into the arena is the fallback. */
    unsigned char *buf = NULL;
    size_t got = 0;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map != MAP_FAILED && qms_arena_adopt_map(c->arena, map, size) == 0) {
        buf = map;
        got = size;
    } else {
        if (map != MAP_FAILED)
            munmap(map, size);
        if (!(buf = qms_arena_alloc_raw(c->arena, size))) {
            close(fd);
            return "out of memory";
        }
        while (got < size) {
            ssize_t n = read(fd, buf + got, size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
    }
    close(fd);
    const char *why = NULL;
    unsigned char sum[32];
    if (got != size)
        why = "short read";
    else if (memcmp(buf, CACHE_MAGIC, 8) != 0)
        why = "bad magic";
    else if (get_le64(buf + 8) != CACHE_FORMAT)
        why = "other format version";
    else if (get_le64(buf + 16) != size - CACHE_HEADER)
        why = "length mismatch (truncated)";
    if (!why) {
        struct qms_fsum s;
        qms_fsum_init(&s);
        qms_fsum_update(&s, buf + CACHE_HEADER, size - CACHE_HEADER);
        qms_fsum_final(&s, sum);
        if (memcmp(sum, buf + 24, 32) != 0)
            why = "checksum mismatch";
    }
    struct rbuf r = {buf + CACHE_HEADER, size - CACHE_HEADER, 0, 0, c->arena, NULL, 0, 0, NULL, NULL};
    if (!why) {
        const unsigned char *k = r_take(&r, 32);
        if (!k || memcmp(k, c->key, 32) != 0)
            why = "stale (version, plugins, config, options or rule packs changed)";
        c->written = (int64_t)r_u64(&r);
        if (!why && r_u32(&r) != c->n_plugins)
            why = "plugin count mismatch";
    }
    if (!why) {
        size_t n = 0;
        if (r.len - r.pos < 8) {
            r.bad = 1;
        } else {
            uint64_t count = get_le64(r.p + r.len - 8); /* the trailer */
            r.len -= 8;
            if (count > (r.len - r.pos) / 64)
                r.bad = 1;
            else
                n = (size_t)count;
        }
        if (r.bad)
            why = "bad entry count";
        struct centry *entries = n && !why ? calloc(n, sizeof *entries) : NULL;
        if (n && !entries)
            why = "out of memory";
        /* the offset table: entry i spans [off[i], off[i + 1]), the last one up to the table */
        const unsigned char *table = NULL;
        if (!why && (r.len - r.pos) / 8 < n)
            why = "bad entry table";
        if (!why) {
            r.len -= 8 * n;
            table = r.p + r.len;
            uint64_t prev = r.pos;
            for (size_t i = 0; !why && i < n; i++) {
                uint64_t at = get_le64(table + 8 * i);
                if ((i == 0 && at != r.pos) || (i > 0 && at <= prev) || at >= r.len)
                    why = "bad entry table";
                prev = at;
            }
        }
        if (!why && n == 0 && r.pos != r.len)
            why = "trailing bytes";
        if (!why && n && !decode_entries(c, &r, table, entries, n))
            why = "corrupt entry";
        if (!why && n > 1) {
            /* written in the set's order, so normally sorted already */
            size_t sorted = 1;
            while (sorted < n && strcmp(entries[sorted - 1].pub.path, entries[sorted].pub.path) < 0)
                sorted++;
            if (sorted < n) {
                qsort(entries, n, sizeof *entries, cmp_entries);
                for (size_t i = 1; i < n; i++)
                    if (strcmp(entries[i - 1].pub.path, entries[i].pub.path) == 0)
                        why = "duplicate entry";
            }
        }
        if (why) {
            free(entries);
        } else {
            c->entries = entries;
            c->n_entries = n;
        }
    }
    free(r.strs);
    return why;
}

int qms_cache_open(struct qms_cache **out, const struct qms_engine *e, const char *root,
                   size_t n_docs)
{
    *out = NULL;
    if (!e || !e->use_cache || !root || !root[0])
        return 0;
    struct qms_cache *c = calloc(1, sizeof *c);
    if (!c)
        return QMS_ENOMEM;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    c->started = key_ns(now);
    c->e = e;
    c->verbose = e->verbose;
    c->n_plugins = e->n_plugins;
    c->n_docs = n_docs;
    c->fd = -1;
    c->slots = calloc(n_docs ? n_docs : 1, sizeof *c->slots);
    c->arena = qms_arena_new(0);
    if (!c->slots || !c->arena) {
        qms_cache_free(c);
        return QMS_ENOMEM;
    }
    if (run_key(c->key, e, root) < 0 || !(c->dir = cache_folder(e, root))) {
        if (e->verbose)
            fprintf(stderr, "qmslint: cache: not used (no cache folder, or a plugin, config or "
                            "rule pack cannot be read)\n");
        qms_cache_free(c);
        return 0;
    }
    unsigned char rh[32];
    struct qms_sha256 s;
    qms_sha256_init(&s);
    qms_sha256_update(&s, root, strlen(root));
    qms_sha256_final(&s, rh);
    char name[64];
    hex(name, rh, 16);
    strcat(name, ".qmscache");
    if (!(c->file = join(c->dir, name))) {
        qms_cache_free(c);
        return QMS_ENOMEM;
    }
    const char *why = load(c);
    if (why) {
        if (e->verbose)
            fprintf(stderr, "qmslint: cache: %s ignored: %s\n", c->file, why);
        qms_arena_free(c->arena);
        qms_arena_free(c->arena2);
        c->arena2 = NULL;
        c->arena = qms_arena_new(0);
        if (!c->arena) {
            qms_cache_free(c);
            return QMS_ENOMEM;
        }
    }
    *out = c;
    return 0;
}

void qms_cache_free(struct qms_cache *c)
{
    if (!c)
        return;
    if (c->fd >= 0) {
        close(c->fd);
        unlink(c->tmp); /* not committed */
    }
    free(c->tmp);
    free(c->entries);
    free(c->slots);
    free(c->out.p);
    free(c->out.pool);
    free(c->offsets);
    free(c->file);
    free(c->dir);
    qms_arena_free(c->arena);
    qms_arena_free(c->arena2);
    free(c);
}

int qms_cache_set_docs(struct qms_cache *c, size_t n_docs)
{
    struct slot *slots = calloc(n_docs ? n_docs : 1, sizeof *slots);
    if (!slots)
        return QMS_ENOMEM;
    free(c->slots);
    c->slots = slots;
    c->n_docs = n_docs;
    return 0;
}

size_t qms_cache_take_arenas(struct qms_cache *c, struct qms_arena **out)
{
    size_t n = 0;
    if (c && c->arena)
        out[n++] = c->arena;
    if (c && c->arena2)
        out[n++] = c->arena2;
    if (c)
        c->arena = c->arena2 = NULL;
    return n;
}

/* ---------------------------------------------------------------- lookups */

static int hash_file(const char *path, unsigned char out[32], const struct fkey *expect)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    struct fkey k;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    fkey_of(&k, &st);
    if (!fkey_eq(&k, expect)) {
        close(fd);
        return -1; /* replaced since the stat: not cacheable this time */
    }
    struct qms_sha256 s;
    qms_sha256_init(&s);
    unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        qms_sha256_update(&s, buf, (size_t)n);
    close(fd);
    if (n < 0)
        return -1;
    qms_sha256_final(&s, out);
    return 0;
}

/* The entry for `path`; `hint` is where it is when the set has not changed (entries and
 * documents are both in path order). */
static const struct centry *find_entry(const struct qms_cache *c, const char *path, size_t hint)
{
    if (hint < c->n_entries && strcmp(path, c->entries[hint].pub.path) == 0)
        return &c->entries[hint];
    size_t lo = 0, hi = c->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(path, c->entries[mid].pub.path);
        if (cmp == 0)
            return &c->entries[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct qms_cache_entry *qms_cache_lookup(struct qms_cache *c, size_t index,
                                               const char *display_path,
                                               const struct qms_input *input)
{
    const char *fs_path = input ? input->fs_path : NULL;
    if (!c || index >= c->n_docs || !display_path || !fs_path)
        return NULL;
    struct slot *sl = &c->slots[index];
    sl->state = SLOT_READ;
    sl->storable = 0;
    if (input->has_stat) {
        /* discovery's stat, moments ago: a change since is caught like one made after a
           stat here (by the stat after reading, and by the next run) */
        memset(&sl->st, 0, sizeof sl->st);
        sl->st.size = input->size;
        sl->st.ino = input->ino;
        sl->st.dev = input->dev;
        sl->st.mtime = input->mtime_ns;
        sl->st.ctime = input->ctime_ns;
    } else {
        struct stat st;
        if (stat(fs_path, &st) != 0 || !S_ISREG(st.st_mode))
            return NULL;
        fkey_of(&sl->st, &st);
    }
    const struct centry *ce = find_entry(c, display_path, index);
    if (ce && ce->st.size == sl->st.size) {
        /* The stat alone proves nothing changed only when it is identical (ctime cannot be
           set back, unlike mtime) and the file was last changed well before that cache was
           written (a change within the timestamp granularity leaves the stat as it was). */
        int64_t last = ce->st.mtime > ce->st.ctime ? ce->st.mtime : ce->st.ctime;
        if (fkey_eq(&ce->st, &sl->st) && last < c->written - RACY_NS && c->written <= c->started) {
            memcpy(sl->hash, ce->hash, 32);
            sl->state = SLOT_HIT;
            sl->storable = 1;
            sl->hit = ce;
            return &ce->pub;
        }
        __atomic_add_fetch(&c->hashed, 1, __ATOMIC_RELAXED);
        if (hash_file(fs_path, sl->hash, &sl->st) < 0)
            return NULL;
        sl->storable = 1;
        if (memcmp(sl->hash, ce->hash, 32) == 0) {
            sl->state = SLOT_HIT;
            sl->hit = ce;
            return &ce->pub;
        }
        return NULL;
    }
    __atomic_add_fetch(&c->hashed, 1, __ATOMIC_RELAXED);
    if (hash_file(fs_path, sl->hash, &sl->st) == 0)
        sl->storable = 1;
    return NULL;
}

void qms_cache_read_done(struct qms_cache *c, size_t index, const char *fs_path)
{
    if (!c || index >= c->n_docs)
        return;
    struct slot *sl = &c->slots[index];
    struct stat st;
    struct fkey k;
    if (stat(fs_path, &st) != 0) {
        sl->storable = 0;
        return;
    }
    fkey_of(&k, &st);
    if (!fkey_eq(&k, &sl->st))
        sl->storable = 0; /* changed while it was being read */
}

/* ---------------------------------------------------------------- writing */

int qms_cache_unchanged(const struct qms_cache *c)
{
    if (!c || c->n_docs != c->n_entries || qms_cache_hashed(c))
        return 0;
    for (size_t i = 0; i < c->n_docs; i++) {
        const struct slot *sl = &c->slots[i];
        if (sl->state != SLOT_HIT || !sl->hit || !fkey_eq(&sl->hit->st, &sl->st))
            return 0;
    }
    return 1;
}

static int write_all(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Writes the encoded entries to the temporary file: the file is streamed, never held whole. */
static void flush_out(struct qms_cache *c)
{
    if (c->fd < 0 || c->write_failed || !c->out.len)
        return;
    qms_fsum_update(&c->sum, c->out.p, c->out.len);
    c->payload_len += c->out.len;
    if (write_all(c->fd, c->out.p, c->out.len) < 0)
        c->write_failed = 1;
    c->out.len = 0;
}

/* The temporary file: a zero header (filled in at the end), then the payload's start. */
static int begin_write(struct qms_cache *c)
{
    if (mkdirs(c->dir) != 0)
        return -1;
    size_t n = strlen(c->file) + 64;
    if (!(c->tmp = malloc(n)))
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(c->tmp, n, "%s.%ld.%lx.tmp", c->file, (long)getpid(), (unsigned long)ts.tv_nsec);
    c->fd = open(c->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (c->fd < 0)
        return -1;
    unsigned char zero[CACHE_HEADER] = {0};
    if (write_all(c->fd, zero, sizeof zero) < 0)
        return -1;
    qms_fsum_init(&c->sum);
    c->payload_len = 0;
    c->out.pool = calloc(WPOOL_SLOTS, sizeof *c->out.pool); /* none: no back references */
    w_bytes(&c->out, c->key, 32);
    w_u64(&c->out, (uint64_t)c->started);
    w_u32(&c->out, (uint32_t)c->n_plugins);
    return c->out.oom ? -1 : 0;
}

static void entry_written(struct qms_cache *c, size_t mark);

int qms_cache_put(struct qms_cache *c, size_t index, const struct qms_digest *d,
                  const struct qms_cache_blob *blobs, const struct qms_suppress_list *suppress,
                  const struct qms_finding *const *findings, size_t n)
{
    if (!c || index >= c->n_docs || c->write_failed)
        return 0;
    const struct slot *sl = &c->slots[index];
    if (sl->state == SLOT_NONE || !sl->storable || d->unreadable || !d->path)
        return 0;
    if (c->fd < 0 && begin_write(c) < 0) {
        c->write_failed = 1;
        return 0;
    }
    struct wbuf *w = &c->out;
    size_t mark = w->len;
    if (sl->state == SLOT_HIT && sl->hit && sl->hit->raw && fkey_eq(&sl->hit->st, &sl->st)) {
        /* restored exactly as recorded (same stat, same content, same digest, blobs and
           findings): its bytes are copied as they were read, not encoded again */
        w_bytes(w, sl->hit->raw, sl->hit->raw_len);
        entry_written(c, mark);
        return 0;
    }
    w_entry_begin(w);
    w_str(w, d->path);
    w_u64(w, sl->st.size);
    w_u64(w, sl->st.ino);
    w_u64(w, sl->st.dev);
    w_u64(w, (uint64_t)sl->st.mtime);
    w_u64(w, (uint64_t)sl->st.ctime);
    w_bytes(w, sl->hash, 32);
    w_digest(w, d);
    for (size_t p = 0; p < c->n_plugins; p++) {
        int set = blobs && blobs[p].set;
        w_u8(w, (unsigned)set);
        w_u64(w, set ? blobs[p].len : 0);
        if (set)
            w_bytes(w, blobs[p].data, blobs[p].len);
    }
    w_u8(w, suppress != NULL);
    if (suppress) {
        w_u64(w, suppress->n);
        for (size_t i = 0; i < suppress->n; i++) {
            const struct qms_directive *it = &suppress->items[i];
            w_u32(w, (uint32_t)it->kind);
            w_str(w, it->rule_id);
            w_u32(w, it->line);
            w_u32(w, it->column);
            w_str(w, it->part);
        }
    }
    w_u64(w, n);
    for (size_t i = 0; i < n; i++) {
        const struct qms_finding *f = findings[i];
        w_str(w, f->rule_id);
        w_str(w, f->message);
        w_str(w, f->path);
        w_str(w, f->part);
        w_str(w, f->section);
        w_str(w, f->key);
        w_str(w, f->plugin);
        w_u32(w, (uint32_t)f->severity);
        w_u32(w, f->line);
        w_u32(w, f->column);
        w_u32(w, f->block);
    }
    if (w->toolong && !w->oom) {
        /* a string over the cap: this document is simply not cached */
        w->toolong = 0;
        w->len = mark;
        return 0;
    }
    entry_written(c, mark);
    return 0;
}

/* Records where the entry just encoded from `mark` on starts, and streams the buffer out. */
static void entry_written(struct qms_cache *c, size_t mark)
{
    struct wbuf *w = &c->out;
    if (c->n_out == c->cap_offsets) {
        size_t cap = c->cap_offsets ? c->cap_offsets * 2 : 1024;
        uint64_t *grown = realloc(c->offsets, cap * sizeof *grown);
        if (!grown)
            w->oom = 1;
        else {
            c->offsets = grown;
            c->cap_offsets = cap;
        }
    }
    if (!w->oom)
        c->offsets[c->n_out] = c->payload_len + mark;
    c->n_out++;
    if (w->oom)
        c->write_failed = 1; /* out of memory: nothing is saved */
    else if (w->len >= (1u << 20))
        flush_out(c);
}

/* Removes other sets' cache files unused for 30 days and temporary files a killed run left
 * (older than a day). Only our own names, only regular files. */
static void prune(const struct qms_cache *c)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        int tmp = n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0 && strstr(de->d_name, ".qmscache.");
        int cache = n > 9 && strcmp(de->d_name + n - 9, ".qmscache") == 0;
        if (!tmp && !cache)
            continue;
        char *path = join(c->dir, de->d_name);
        struct stat st;
        if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            now - st.st_mtime > (tmp ? 86400 : 30 * 86400) && strcmp(path, c->file) != 0)
            unlink(path);
        free(path);
    }
    closedir(d);
}

void qms_cache_save(struct qms_cache *c)
{
    if (!c)
        return;
    if (c->fd < 0 && !c->write_failed) {
        if (c->verbose)
            fprintf(stderr, "qmslint: cache: up to date (%s)\n", c->file ? c->file : "");
        return;
    }
    const char *why = NULL;
    if (!c->write_failed) {
        for (uint64_t i = 0; i < c->n_out; i++) {
            w_u64(&c->out, c->offsets[i]);
            if (c->out.len >= (1u << 20))
                flush_out(c);
        }
        w_u64(&c->out, c->n_out); /* the trailer */
        if (c->out.oom)
            c->write_failed = 1;
        flush_out(c);
    }
    if (!c->write_failed) {
        unsigned char sum[32];
        struct wbuf hdr = {0};
        qms_fsum_final(&c->sum, sum);
        w_bytes(&hdr, CACHE_MAGIC, 8);
        w_u64(&hdr, CACHE_FORMAT);
        w_u64(&hdr, c->payload_len);
        w_bytes(&hdr, sum, 32);
        if (hdr.oom || hdr.len != CACHE_HEADER || pwrite(c->fd, hdr.p, hdr.len, 0) != (ssize_t)hdr.len)
            c->write_failed = 1;
        free(hdr.p);
    }
    if (c->fd >= 0 && close(c->fd) != 0)
        c->write_failed = 1;
    c->fd = -1;
    if (!c->write_failed && rename(c->tmp, c->file) != 0)
        why = strerror(errno);
    else if (c->write_failed)
        why = "write failed";
    if (why && c->tmp)
        unlink(c->tmp);
    if (why && c->verbose)
        fprintf(stderr, "qmslint: cache: cannot write %s: %s\n", c->file, why);
    else if (!why && c->verbose)
        fprintf(stderr, "qmslint: cache: wrote %llu documents to %s\n",
                (unsigned long long)c->n_out, c->file);
    if (!why)
        prune(c);
}
