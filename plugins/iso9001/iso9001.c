/*
 * iso9001: ISO 9001:2015 documented-information coverage and clause citations.
 *
 *   iso9001/missing-documented-information  set: a "maintain" requirement nothing covers
 *   iso9001/missing-record                  set: a "retain" requirement nothing covers
 *   iso9001/unknown-clause                  a cited clause that does not exist
 *   iso9001/legacy-clause                   a citation in ISO 9001:2008 numbering
 *   iso9001/legacy-term                     ISO 9001:2008 vocabulary (info)
 *   iso9001/exclusion-justification         a scope exclusion without a reason, or of a
 *                                           requirement that cannot be excluded
 *   iso9001/wrong-edition                   a cited edition that does not exist
 *
 * Everything standard-specific is data (rules/iso9001-2015.yml, validated at init). check_doc
 * finds citations, declarations (front matter, clause columns, citations), headings and titles
 * that show a requirement, and scope exclusions, reports the per-document rules, and keeps a
 * digest (coverage.h); check_set decides coverage per requirement from the digests.
 *
 * Threads: init/check_set/fini on the main thread; check_doc only reads the state.
 */
#include <qmslint/meta.h>
#include <qmslint/plugin.h>
#include <qmslint/version.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"

#define RULE_MISSING_DOC "iso9001/missing-documented-information"
#define RULE_MISSING_REC "iso9001/missing-record"
#define RULE_UNKNOWN "iso9001/unknown-clause"
#define RULE_LEGACY_CLAUSE "iso9001/legacy-clause"
#define RULE_LEGACY_TERM "iso9001/legacy-term"
#define RULE_EXCLUSION "iso9001/exclusion-justification"
#define RULE_EDITION "iso9001/wrong-edition"

#define DEFAULT_PACK "iso9001-2015.yml"
#define SCAN_CAP (256u * 1024u)   /* bytes of one block / value scanned */
#define NORM_CAP (SCAN_CAP + 8u)
#define QUOTE_CAP 80              /* bytes of document text quoted or kept as evidence */
#define FINDINGS_CAP 200          /* findings per rule per document */
#define ENTRIES_CAP 4096          /* digest entries per document */
#define POOL_CAP (1u << 20)       /* digest string pool per document */
#define MENTION_REACH 80          /* a standard named this close before "clause N" owns it */
#define NUM_CAP 16

/* ------------------------------------------------------------------------------------------ */
/* State */

struct phrases {
    char **norm;                  /* " word word " (normalized, space-framed) */
    const char **raw;             /* as written in the pack */
    size_t n;
};

/*
 * The phrases of several lists (one list per requirement, or per legacy term) indexed by their
 * first word: one pass over a normalized text finds, for every list, the first of its phrases
 * the text contains, which is what phrases_find answers for one list. A strstr per phrase per
 * block made legacy terms and headings a third of the plugin's time.
 */
struct phrase_entry {
    const char *norm;             /* " w1 w2 " */
    size_t len;
    size_t first_len;             /* length of w1 */
    uint32_t hash;                /* of w1 */
    uint32_t group, index;        /* the list, and the phrase's place in it */
    uint32_t next;                /* the next entry of the bucket + 1; 0 ends it */
};

struct phrase_index {
    struct phrase_entry *entries; /* in (group, index) order */
    size_t n;
    uint32_t *buckets;            /* entry + 1 by first-word hash; 0 empty */
    uint64_t first_lengths[256];  /* bit (length % 64) set: a first word starting with that
                                     byte has that length (most words are passed over on it) */
    size_t mask;
    uint32_t *odd;                /* entries not of the " word ..." shape: found with strstr */
    size_t n_odd;
    size_t n_groups;
    size_t max_len;               /* of the indexed (not odd) phrases */
    size_t max_len_by_first[256]; /* ... of those whose first word starts with that byte */
};

struct iso_req {
    const char *id, *clause, *name, *summary, *condition;
    int retain, excludable;
    struct phrases headings, titles, records;
};

struct iso_legacy {
    const char *number, *title, *note;
    char *title_norm;
    const char **to;
    size_t n_to;
    int distinctive;
};

struct iso_term {
    const char *replacement;
    struct phrases forms;         /* the term first, then its translations */
};

struct iso_edition {
    const char *name;
    const char **years;
    size_t n_years;
};

struct iso_name {
    const char *pattern;          /* as written: spaces match any run of blanks, or none */
    int ours;                     /* names the pack's standard */
    int edition;                  /* index into editions, -1 */
};

struct iso_state {
    const struct qms_host_api *api;
    const char *standard;         /* "ISO 9001:2015" */
    const char *edition;          /* "2015" */
    const char *legacy_standard;  /* "ISO 9001:2008" */
    const char **clauses, **clause_titles;
    size_t n_clauses;
    struct iso_req *reqs;
    size_t n_reqs;
    struct iso_legacy *legacy;
    size_t n_legacy;
    const char **legacy_editions;
    size_t n_legacy_editions;
    struct iso_term *terms;
    size_t n_terms;
    struct iso_edition *editions;
    size_t n_editions;
    struct iso_name *names;
    size_t n_names;
    struct phrases decl_props, clause_columns, standard_props;
    struct phrases manual_types, manual_titles, record_types;
    const char **record_prefixes;
    size_t n_record_prefixes;
    struct phrases scope_headings, exclusion_headings, exclusion_words, justification_words;
    const char **excludable;
    size_t n_excludable;
    int report_weak_doc, report_weak_rec;
    /* built once at init from the above */
    struct phrase_index ix_headings, ix_titles, ix_records; /* a group per requirement */
    struct phrase_index ix_terms;                           /* a group per legacy term */
    unsigned char era_first[256];     /* bytes a standard name starts with (either case) */
    unsigned char full_first[256];    /* ... or a citation keyword */
    int names_need_digit;             /* every name has a digit: no digit, nothing to find */
    unsigned char byte_class[256];    /* BYTE_BLANK, BYTE_ALNUM, BYTE_HIGH */
    uint32_t *names_from;             /* names starting with lower-case byte b: */
    uint32_t *names_by_first;         /* names_by_first[names_from[b] .. names_from[b + 1]) */

    void **allocs;                /* everything of init, freed in fini */
    size_t n_allocs, cap_allocs;
    void **run_allocs;            /* the last check_set's coverage */
    size_t n_run_allocs, cap_run_allocs;
    char *run_chunk;              /* run_strdup's current block (one of run_allocs) */
    size_t run_chunk_left;        /* bytes still free at its end */
    struct iso_coverage coverage;
    int have_coverage;
};

static void *track(void ***list, size_t *n, size_t *cap, void *p)
{
    if (!p)
        return NULL;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void **grown = realloc(*list, ncap * sizeof *grown);
        if (!grown) {
            free(p);
            return NULL;
        }
        *list = grown;
        *cap = ncap;
    }
    (*list)[(*n)++] = p;
    return p;
}

static void *st_alloc(struct iso_state *st, size_t size)
{
    return track(&st->allocs, &st->n_allocs, &st->cap_allocs, calloc(1, size ? size : 1));
}

static void *run_alloc(struct iso_state *st, size_t size)
{
    return track(&st->run_allocs, &st->n_run_allocs, &st->cap_run_allocs, calloc(1, size ? size : 1));
}

#define RUN_CHUNK 65536 /* bytes: a 30,000-document set copies ~10^5 evidence strings */

/* A copy of s kept until run_free. Strings are cut from shared blocks: one calloc per string
 * was most of what check_set spent copying the evidence. */
static const char *run_strdup(struct iso_state *st, const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d;
    if (n + 1 > RUN_CHUNK / 4) {
        d = run_alloc(st, n + 1);
    } else {
        if (n + 1 > st->run_chunk_left) {
            st->run_chunk = run_alloc(st, RUN_CHUNK);
            st->run_chunk_left = st->run_chunk ? RUN_CHUNK : 0;
        }
        d = st->run_chunk_left ? st->run_chunk : NULL;
        if (d) {
            st->run_chunk += n + 1;
            st->run_chunk_left -= n + 1;
        }
    }
    if (!d)
        return "";
    memcpy(d, s ? s : "", n);
    d[n] = '\0';
    return d;
}

static void run_free(struct iso_state *st)
{
    for (size_t i = 0; i < st->n_run_allocs; i++)
        free(st->run_allocs[i]);
    st->n_run_allocs = 0;
    st->run_chunk = NULL;
    st->run_chunk_left = 0;
    memset(&st->coverage, 0, sizeof st->coverage);
    st->have_coverage = 0;
}

static void st_free(struct iso_state *st)
{
    if (!st)
        return;
    run_free(st);
    free(st->run_allocs);
    for (size_t i = 0; i < st->n_allocs; i++)
        free(st->allocs[i]);
    free(st->allocs);
    free(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Text. Every document string is hostile: lengths capped, output bounded. */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_wordy(int c) { return is_alpha(c) || is_digit(c) || c >= 0x80; }

/* Base letters of U+00C0..U+00FF. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y"};

static size_t utf8_seq(const unsigned char *s, size_t avail)
{
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

enum fold { FOLD_BLANK, FOLD_PUT, FOLD_RAW };

/* What a byte is to norm_text: an ASCII blank, letter or digit, or the start of more. */
enum { BYTE_BLANK, BYTE_ALNUM, BYTE_HIGH };

/* What norm_text makes of the non-ASCII character at p[0] (avail bytes left): a blank, the
   letters *put, or the bytes copied; returns how many bytes it takes. */
static size_t fold_multibyte(const unsigned char *p, size_t avail, const char **put, enum fold *how)
{
    size_t n = utf8_seq(p, avail);
    *put = NULL;
    *how = FOLD_BLANK;
    if (n == 0)
        return 1;
    if (n == 2 && p[0] == 0xC3) {
        *put = latin1_fold[p[1] - 0x80];
        if ((*put)[0] != ' ')
            *how = FOLD_PUT;
    } else if (n == 2 && p[0] == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
        *put = "oe";
        *how = FOLD_PUT;
    } else if (n == 2 && (p[0] == 0xC2 || p[0] == 0xCC || p[0] == 0xCD)) {
        /* NBSP, section sign, combining marks */
    } else if (n == 3 && p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) {
        /* dashes, quotes, spaces */
    } else {
        *how = FOLD_RAW;
    }
    return n;
}

/*
 * Normalizes s[0..len) into out (cap >= 3 bytes): " word word " — ASCII and Latin-1 letters
 * folded to lower-case base letters, anything not a letter or digit one space, framed by a
 * space on each side so whole-word phrases are found with strstr. Returns the length.
 *
 * No character makes more bytes than it takes, so the output is at most len + 2 bytes and
 * with cap >= len + 8 no cap check below can fire: that case (every scan of a document) runs
 * a loop without them, the same output written faster.
 */
/* norm_text's loop without cap checks: normalizes p[*at..len) into out from o (out[o - 1]
   written) until the input ends or o reaches `until`; moves *at. Writes at most 4 bytes past
   `until` and never more bytes than it reads. */
static size_t norm_run(char *out, size_t o, const unsigned char *p, size_t len, size_t *at, size_t until)
{
    size_t i = *at;
    while (i < len && o < until) {
        unsigned char c = p[i];
        if (c < 0x80) {
            /* a letter lowered, a digit, or a blank unless one is there already */
            char m = (unsigned)((c | 0x20) - 'a') < 26 ? (char)(c | 0x20) : is_digit(c) ? (char)c : ' ';
            out[o] = m;
            o += m != ' ' || out[o - 1] != ' ';
            i++;
            continue;
        }
        const char *put;
        enum fold how;
        size_t n = fold_multibyte(p + i, len - i, &put, &how);
        if (how == FOLD_RAW) {
            memcpy(out + o, p + i, n);
            o += n;
        } else if (how == FOLD_PUT) {
            size_t k = strlen(put);
            memcpy(out + o, put, k);
            o += k;
        } else if (out[o - 1] != ' ') {
            out[o++] = ' ';
        }
        i += n;
    }
    *at = i;
    return o;
}

static size_t norm_text(char *out, size_t cap, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, i = 0;
    if (cap < 3) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    out[o++] = ' ';
    if (len < SIZE_MAX - 8 && cap >= len + 8)
        o = norm_run(out, o, p, len, &i, SIZE_MAX);
    while (i < len && o + 6 < cap) {
        unsigned char c = p[i];
        const char *put = NULL;
        size_t n = 1;
        if (c < 0x80) {
            if (is_alpha(c) || is_digit(c)) {
                /* the common case, written directly (what `put` would do for one byte) */
                if (o + 3 >= cap)
                    break;
                out[o++] = (char)lower(c);
                i++;
                continue;
            }
        } else {
            enum fold how;
            n = fold_multibyte(p + i, len - i, &put, &how);
            if (how == FOLD_RAW) {
                if (o + n + 2 < cap) {
                    memcpy(out + o, p + i, n);
                    o += n;
                }
                i += n;
                continue;
            }
            if (how == FOLD_BLANK)
                put = NULL;
        }
        if (put) {
            size_t k = strlen(put);
            if (o + k + 2 >= cap)
                break;
            memcpy(out + o, put, k);
            o += k;
        } else if (out[o - 1] != ' ') {
            out[o++] = ' ';
        }
        i += n;
    }
    if (out[o - 1] != ' ')
        out[o++] = ' ';
    out[o] = '\0';
    return o;
}

/* The first phrase of `list` found in normalized text `t`, or -1. */
static long phrases_find(const struct phrases *list, const char *t)
{
    for (size_t i = 0; i < list->n; i++)
        if (strstr(t, list->norm[i]))
            return (long)i;
    return -1;
}

/* 1 when normalized `t` is exactly one of the phrases. */
static int phrases_equal(const struct phrases *list, const char *t)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(t, list->norm[i]) == 0)
            return 1;
    return 0;
}

static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

/* Indexes the phrases of lists[0..n_lists), list g being group g. Errors: -1 (out of memory). */
static int phrase_index_build(struct iso_state *st, struct phrase_index *ix, const struct phrases *const *lists,
                              size_t n_lists)
{
    size_t total = 0, n_buckets = 16;
    for (size_t g = 0; g < n_lists; g++)
        total += lists[g]->n;
    if (total >= UINT32_MAX / 4 || n_lists >= UINT32_MAX)
        return -1;
    while (n_buckets < total * 2)
        n_buckets *= 2;
    memset(ix, 0, sizeof *ix);
    ix->entries = st_alloc(st, (total + 1) * sizeof *ix->entries);
    ix->buckets = st_alloc(st, n_buckets * sizeof *ix->buckets);
    ix->odd = st_alloc(st, (total + 1) * sizeof *ix->odd);
    if (!ix->entries || !ix->buckets || !ix->odd)
        return -1;
    ix->mask = n_buckets - 1;
    ix->n_groups = n_lists;
    for (size_t g = 0; g < n_lists; g++)
        for (size_t i = 0; i < lists[g]->n; i++) {
            struct phrase_entry *e = &ix->entries[ix->n];
            const char *norm = lists[g]->norm[i];
            e->norm = norm;
            e->len = strlen(norm);
            e->group = (uint32_t)g;
            e->index = (uint32_t)i;
            const char *sp = e->len > 1 && norm[0] == ' ' ? memchr(norm + 1, ' ', e->len - 1) : NULL;
            if (!sp || sp == norm + 1) {
                ix->odd[ix->n_odd++] = (uint32_t)ix->n++;
                continue;
            }
            e->first_len = (size_t)(sp - norm - 1);
            e->hash = word_hash(norm + 1, e->first_len);
            if (e->len > ix->max_len)
                ix->max_len = e->len;
            if (e->len > ix->max_len_by_first[(unsigned char)norm[1]])
                ix->max_len_by_first[(unsigned char)norm[1]] = e->len;
            ix->first_lengths[(unsigned char)norm[1]] |= (uint64_t)1 << (e->first_len % 64);
            e->next = ix->buckets[e->hash & ix->mask];
            ix->buckets[e->hash & ix->mask] = (uint32_t)++ix->n;
        }
    return 0;
}

static void keep_first(long *best, const struct phrase_entry *e)
{
    if (best[e->group] < 0 || (long)e->index < best[e->group])
        best[e->group] = (long)e->index;
}

/*
 * For each group g of the index, lowers best[g] (-1: none yet) to the place of the first
 * phrase of list g that normalized text t[0..len) contains — phrases_find for every list at
 * once. A phrase starts with a space, so it can only start at one of t's spaces: each word
 * after a space is looked up once, and only the phrases starting with it are compared.
 */
static void phrase_index_scan(const struct phrase_index *ix, const char *t, size_t len, long *best)
{
    for (size_t k = 0; k < ix->n_odd; k++)
        if (strstr(t, ix->entries[ix->odd[k]].norm))
            keep_first(best, &ix->entries[ix->odd[k]]);
    if (ix->n == ix->n_odd)
        return;
    const char *end = t + len;
    const char *p = memchr(t, ' ', len);
    while (p) {
        const char *w = p + 1, *q = w;
        while (q < end && *q != ' ')
            q++;
        if (q >= end)
            break;
        size_t wl = (size_t)(q - w);
        if (!wl || !(ix->first_lengths[(unsigned char)*w] >> (wl % 64) & 1)) {
            p = q;
            continue;
        }
        uint32_t h = word_hash(w, wl);
        for (uint32_t x = ix->buckets[h & ix->mask]; x; x = ix->entries[x - 1].next) {
            const struct phrase_entry *e = &ix->entries[x - 1];
            if (e->hash == h && e->first_len == wl && e->len <= (size_t)(end - p) && memcmp(p, e->norm, e->len) == 0)
                keep_first(best, e);
        }
        p = q;
    }
}

/*
 * phrase_index_scan over norm_text(s[0..len)) without normalizing all of s: the raw text is
 * walked word by word, reading each word's normalized first byte and length (what norm_text
 * would make of it), and only from a word the index has a phrase for is the text normalized,
 * as far as the longest phrase. Normalizing is context-free after a blank, so that piece is
 * exactly the normalized text from that word on. buf has room for max_len + 16 bytes; an
 * index with odd phrases must use phrase_index_scan.
 */
static void phrase_index_scan_raw(const struct phrase_index *ix, const unsigned char *byte_class, const char *s,
                                  size_t len, char *buf, long *best)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        while (i < len && byte_class[p[i]] == BYTE_BLANK)
            i++;
        /* a word starts at `start`: its normalized first byte and length */
        size_t start = i, wl = 0;
        unsigned char first = 0;
        while (i < len) {
            size_t j = i;
            while (j < len && byte_class[p[j]] == BYTE_ALNUM)
                j++;
            if (j > i) {
                if (!wl)
                    first = (unsigned char)lower(p[i]);
                wl += j - i;
                i = j;
            }
            if (i >= len || byte_class[p[i]] == BYTE_BLANK)
                break;
            const char *put;
            enum fold how;
            size_t n = fold_multibyte(p + i, len - i, &put, &how);
            if (how == FOLD_BLANK) {
                if (!wl)
                    i += n; /* a blank, not a word */
                break;
            }
            if (!wl)
                first = how == FOLD_PUT ? (unsigned char)put[0] : p[i];
            wl += how == FOLD_PUT ? strlen(put) : n;
            i += n;
        }
        if (!wl)
            continue;
        if (wl > ix->max_len_by_first[first] || !(ix->first_lengths[first] >> (wl % 64) & 1))
            continue;
        size_t at = start;
        buf[0] = ' ';
        size_t o = norm_run(buf, 1, p, len, &at, ix->max_len_by_first[first] + 2);
        if (at >= len && buf[o - 1] != ' ')
            buf[o++] = ' ';
        buf[o] = '\0';
        uint32_t h = word_hash(buf + 1, wl);
        for (uint32_t x = ix->buckets[h & ix->mask]; x; x = ix->entries[x - 1].next) {
            const struct phrase_entry *e = &ix->entries[x - 1];
            if (e->hash == h && e->first_len == wl && e->len <= o && memcmp(buf, e->norm, e->len) == 0)
                keep_first(best, e);
        }
    }
}

/* Case-insensitive ASCII prefix of `word` at s[i..len); returns the end, or 0. Non-ASCII
   bytes compare exactly. */
static size_t match_word(const char *s, size_t len, size_t i, const char *word)
{
    size_t k = 0;
    for (; word[k]; k++)
        if (i + k >= len || lower((unsigned char)s[i + k]) != lower((unsigned char)word[k]))
            return 0;
    return i + k;
}

/* Length of a blank at s[i] (space, tab, newline, NBSP, narrow/thin NBSP), else 0. */
static size_t blank_at(const char *s, size_t len, size_t i)
{
    const unsigned char *p = (const unsigned char *)s;
    if (i >= len)
        return 0;
    if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
        return 1;
    if (p[i] == 0xC2 && i + 1 < len && p[i + 1] == 0xA0)
        return 2;
    if (p[i] == 0xE2 && i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] == 0xAF || p[i + 2] == 0x89))
        return 3;
    return 0;
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
    size_t n;
    while ((n = blank_at(s, len, i)) != 0)
        i += n;
    return i;
}

/* A standard name at s[i]: a blank in the pattern matches any run of blanks or none. */
static size_t match_name(const char *s, size_t len, size_t i, const char *pattern)
{
    for (const char *q = pattern; *q; q++) {
        if (*q == ' ') {
            i = skip_blanks(s, len, i);
            continue;
        }
        if (i >= len || lower((unsigned char)s[i]) != lower((unsigned char)*q))
            return 0;
        i++;
    }
    if (i < len && is_wordy((unsigned char)s[i]))
        return 0;
    return i;
}

/*
 * A clause number at s[i]: 1-2 digits, then up to three ".digits" groups of 1-2 digits. Not
 * preceded by a digit, '.', ':' or '/', not followed by a digit; a trailing '.' is not part
 * of it. Copies it to num and returns the end, or 0.
 */
static size_t parse_number(const char *s, size_t len, size_t i, char num[NUM_CAP], int *out_dotted)
{
    if (i >= len || !is_digit((unsigned char)s[i]))
        return 0;
    if (i > 0 && (is_digit((unsigned char)s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ':' ||
                  s[i - 1] == '/' || s[i - 1] == '-' || is_alpha((unsigned char)s[i - 1])))
        return 0;
    size_t j = i, groups = 0;
    for (;;) {
        size_t d = 0;
        while (j < len && is_digit((unsigned char)s[j]) && d < 3) {
            j++;
            d++;
        }
        if (d == 0 || d > 2)
            return 0;
        groups++;
        if (groups < 4 && j + 1 < len && s[j] == '.' && is_digit((unsigned char)s[j + 1])) {
            j++;
            continue;
        }
        break;
    }
    if (j < len && (is_digit((unsigned char)s[j]) || (s[j] == '.' && j + 1 < len && is_digit((unsigned char)s[j + 1]))))
        return 0;
    if (j - i >= NUM_CAP)
        return 0;
    memcpy(num, s + i, j - i);
    num[j - i] = '\0';
    if (out_dotted)
        *out_dotted = groups > 1;
    return j;
}

/* 1 when clause a is b or an ancestor of b at depth >= 2 ("8.3" of "8.3.4"), or b an ancestor
   of a: a citation of one declares or excludes the other. */
static int clause_relates(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (strcmp(a, b) == 0)
        return 1;
    if (na < nb && strncmp(a, b, na) == 0 && b[na] == '.' && strchr(a, '.'))
        return 1;
    if (nb < na && strncmp(a, b, nb) == 0 && a[nb] == '.')
        return 1;
    return 0;
}

/* 1 when clause c is `root` or inside it. */
static int clause_within(const char *c, const char *root)
{
    size_t n = strlen(root);
    return strncmp(c, root, n) == 0 && (c[n] == '\0' || c[n] == '.');
}

static long find_clause(const struct iso_state *st, const char *num)
{
    for (size_t i = 0; i < st->n_clauses; i++)
        if (strcmp(st->clauses[i], num) == 0)
            return (long)i;
    return -1;
}

static const struct iso_legacy *find_legacy(const struct iso_state *st, const char *num)
{
    for (size_t i = 0; i < st->n_legacy; i++)
        if (strcmp(st->legacy[i].number, num) == 0)
            return &st->legacy[i];
    return NULL;
}

static int is_excludable(const struct iso_state *st, const char *num)
{
    for (size_t i = 0; i < st->n_excludable; i++)
        if (clause_within(num, st->excludable[i]))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The rule pack */

static int valid_clause_number(const char *s)
{
    char num[NUM_CAP];
    size_t len = strlen(s);
    return len > 0 && parse_number(s, len, 0, num, NULL) == len;
}

static const struct qms_node *get(const struct iso_state *st, const struct qms_node *map, const char *key)
{
    return map && map->kind == QMS_NODE_MAP ? st->api->node_get(map, key) : NULL;
}

/* Errors go to node_error and return -1. */
static int bad(struct iso_state *st, struct qms_host *host, const struct qms_node *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    st->api->node_error(host, n, "%s", msg);
    return -1;
}

static int check_keys(struct iso_state *st, struct qms_host *host, const struct qms_node *map,
                      const char *const *allowed, const char *what)
{
    for (size_t i = 0; i < map->n_items; i++) {
        int ok = 0;
        for (size_t k = 0; allowed[k]; k++)
            ok |= strcmp(map->keys[i], allowed[k]) == 0;
        if (!ok)
            return bad(st, host, &map->items[i], "unknown key '%s' in %s", map->keys[i], what);
    }
    return 0;
}

static int scalar(struct iso_state *st, struct qms_host *host, const struct qms_node *map,
                  const char *key, int required, const char *what, const char **out)
{
    const struct qms_node *n = get(st, map, key);
    *out = NULL;
    if (!n)
        return required ? bad(st, host, map, "%s has no '%s'", what, key) : 0;
    if (n->kind != QMS_NODE_SCALAR || !n->scalar)
        return bad(st, host, n, "'%s' of %s must be a single value", key, what);
    *out = n->scalar;
    return 0;
}

static int seq(struct iso_state *st, struct qms_host *host, const struct qms_node *map,
               const char *key, int required, const char *what, const struct qms_node **out)
{
    const struct qms_node *n = get(st, map, key);
    *out = n;
    if (!n)
        return required ? bad(st, host, map, "%s has no '%s'", what, key) : 0;
    if (n->kind != QMS_NODE_SEQ)
        return bad(st, host, n, "'%s' of %s must be a list", key, what);
    return 0;
}

static int strings(struct iso_state *st, struct qms_host *host, const struct qms_node *list,
                   const char *what, const char ***out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!list)
        return 0;
    const char **v = st_alloc(st, (list->n_items + 1) * sizeof *v);
    if (!v)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < list->n_items; i++) {
        const struct qms_node *it = &list->items[i];
        if (it->kind != QMS_NODE_SCALAR || !it->scalar || !it->scalar[0])
            return bad(st, host, it, "%s: every item must be a non-empty text", what);
        v[i] = it->scalar;
    }
    *out = v;
    *n_out = list->n_items;
    return 0;
}

static int add_phrases(struct iso_state *st, struct qms_host *host, const struct qms_node *list,
                       const char *what, struct phrases *ph)
{
    const char **raw;
    size_t n;
    if (strings(st, host, list, what, &raw, &n) < 0)
        return -1;
    if (n == 0)
        return 0;
    char **norm = st_alloc(st, (ph->n + n) * sizeof *norm);
    const char **allraw = st_alloc(st, (ph->n + n) * sizeof *allraw);
    if (!norm || !allraw)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < ph->n; i++) {
        norm[i] = ph->norm[i];
        allraw[i] = ph->raw[i];
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(raw[i]);
        char *p = st_alloc(st, len * 2 + 4);
        if (!p)
            return bad(st, host, list, "out of memory");
        norm_text(p, len * 2 + 4, raw[i], len);
        if (strcmp(p, " ") == 0)
            return bad(st, host, &list->items[i], "%s: '%s' has no letters or digits", what, raw[i]);
        norm[ph->n + i] = p;
        allraw[ph->n + i] = raw[i];
    }
    ph->norm = norm;
    ph->raw = allraw;
    ph->n += n;
    return 0;
}

/* A list under map.key that may be absent (optional) into phrases. */
static int phrases_at(struct iso_state *st, struct qms_host *host, const struct qms_node *map,
                      const char *key, const char *what, struct phrases *ph)
{
    const struct qms_node *list;
    if (seq(st, host, map, key, 0, what, &list) < 0)
        return -1;
    return add_phrases(st, host, list, what, ph);
}

static int load_clauses(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *list;
    static const char *const keys[] = {"number", "title", NULL};
    if (seq(st, host, root, "clauses", 1, "the pack", &list) < 0)
        return -1;
    st->clauses = st_alloc(st, (list->n_items + 1) * sizeof *st->clauses);
    st->clause_titles = st_alloc(st, (list->n_items + 1) * sizeof *st->clause_titles);
    if (!st->clauses || !st->clause_titles)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < list->n_items; i++) {
        const struct qms_node *c = &list->items[i];
        const char *num, *title;
        if (c->kind != QMS_NODE_MAP)
            return bad(st, host, c, "a clause must be a map with 'number' and 'title'");
        if (check_keys(st, host, c, keys, "a clause") < 0 ||
            scalar(st, host, c, "number", 1, "a clause", &num) < 0 ||
            scalar(st, host, c, "title", 0, "a clause", &title) < 0)
            return -1;
        if (!valid_clause_number(num))
            return bad(st, host, get(st, c, "number"), "'%s' is not a clause number", num);
        if (find_clause(st, num) >= 0)
            return bad(st, host, get(st, c, "number"), "clause %s is listed twice", num);
        st->clauses[st->n_clauses] = num;
        st->clause_titles[st->n_clauses++] = title;
    }
    return 0;
}

static int load_requirements(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *list;
    static const char *const keys[] = {"id", "name", "clause", "kind", "summary", "condition",
                                       "excludable", "evidence", NULL};
    static const char *const ev_keys[] = {"headings", "titles", "records", NULL};
    static const char *const conditions[] = {"design-development", "traceability",
                                             "customer-property", "measurement-traceability"};
    if (seq(st, host, root, "requirements", 1, "the pack", &list) < 0)
        return -1;
    st->reqs = st_alloc(st, (list->n_items + 1) * sizeof *st->reqs);
    if (!st->reqs)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < list->n_items; i++) {
        const struct qms_node *r = &list->items[i];
        struct iso_req *q = &st->reqs[i];
        const char *kind, *excl;
        if (r->kind != QMS_NODE_MAP)
            return bad(st, host, r, "a requirement must be a map");
        if (check_keys(st, host, r, keys, "a requirement") < 0 ||
            scalar(st, host, r, "id", 1, "a requirement", &q->id) < 0 ||
            scalar(st, host, r, "name", 0, "a requirement", &q->name) < 0 ||
            scalar(st, host, r, "clause", 1, "a requirement", &q->clause) < 0 ||
            scalar(st, host, r, "kind", 1, "a requirement", &kind) < 0 ||
            scalar(st, host, r, "summary", 1, "a requirement", &q->summary) < 0 ||
            scalar(st, host, r, "condition", 0, "a requirement", &q->condition) < 0 ||
            scalar(st, host, r, "excludable", 0, "a requirement", &excl) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(st->reqs[k].id, q->id) == 0)
                return bad(st, host, get(st, r, "id"), "requirement id '%s' is used twice", q->id);
        if (find_clause(st, q->clause) < 0)
            return bad(st, host, get(st, r, "clause"), "requirement %s: clause %s is not in the clause tree",
                       q->id, q->clause);
        if (strcmp(kind, "maintain") == 0)
            q->retain = 0;
        else if (strcmp(kind, "retain") == 0)
            q->retain = 1;
        else
            return bad(st, host, get(st, r, "kind"), "requirement %s: kind must be maintain or retain, not '%s'",
                       q->id, kind);
        if (q->condition) {
            int ok = 0;
            for (size_t k = 0; k < sizeof conditions / sizeof conditions[0]; k++)
                ok |= strcmp(q->condition, conditions[k]) == 0;
            if (!ok)
                return bad(st, host, get(st, r, "condition"),
                           "requirement %s: unknown condition '%s' (design-development, traceability, "
                           "customer-property, measurement-traceability)", q->id, q->condition);
        }
        if (excl && strcmp(excl, "true") != 0 && strcmp(excl, "false") != 0)
            return bad(st, host, get(st, r, "excludable"), "requirement %s: excludable must be true or false",
                       q->id);
        q->excludable = excl && strcmp(excl, "true") == 0;
        const struct qms_node *ev = get(st, r, "evidence");
        if (!ev || ev->kind != QMS_NODE_MAP)
            return bad(st, host, ev ? ev : r, "requirement %s needs an 'evidence' map", q->id);
        if (check_keys(st, host, ev, ev_keys, "evidence") < 0 ||
            phrases_at(st, host, ev, "headings", "evidence headings", &q->headings) < 0 ||
            phrases_at(st, host, ev, "titles", "evidence titles", &q->titles) < 0 ||
            phrases_at(st, host, ev, "records", "evidence records", &q->records) < 0)
            return -1;
        if (q->headings.n + q->titles.n + q->records.n == 0)
            return bad(st, host, ev, "requirement %s has no evidence words", q->id);
        if (q->retain && q->records.n == 0 && q->headings.n == 0)
            return bad(st, host, ev, "retain requirement %s needs 'records' or 'headings'", q->id);
        st->n_reqs++;
    }
    return 0;
}

static int load_legacy(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *list;
    static const char *const keys[] = {"number", "title", "to", "note", "distinctive", NULL};
    if (seq(st, host, root, "legacy_clauses", 0, "the pack", &list) < 0)
        return -1;
    if (!list)
        return 0;
    st->legacy = st_alloc(st, (list->n_items + 1) * sizeof *st->legacy);
    if (!st->legacy)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < list->n_items; i++) {
        const struct qms_node *c = &list->items[i], *to;
        struct iso_legacy *l = &st->legacy[i];
        const char *dist;
        if (c->kind != QMS_NODE_MAP)
            return bad(st, host, c, "a legacy clause must be a map");
        if (check_keys(st, host, c, keys, "a legacy clause") < 0 ||
            scalar(st, host, c, "number", 1, "a legacy clause", &l->number) < 0 ||
            scalar(st, host, c, "title", 1, "a legacy clause", &l->title) < 0 ||
            scalar(st, host, c, "note", 0, "a legacy clause", &l->note) < 0 ||
            scalar(st, host, c, "distinctive", 0, "a legacy clause", &dist) < 0 ||
            seq(st, host, c, "to", 1, "a legacy clause", &to) < 0 ||
            strings(st, host, to, "to", &l->to, &l->n_to) < 0)
            return -1;
        if (!valid_clause_number(l->number))
            return bad(st, host, get(st, c, "number"), "'%s' is not a clause number", l->number);
        for (size_t k = 0; k < l->n_to; k++)
            if (find_clause(st, l->to[k]) < 0)
                return bad(st, host, &to->items[k], "legacy clause %s: %s is not in the clause tree",
                           l->number, l->to[k]);
        if (dist && strcmp(dist, "true") != 0 && strcmp(dist, "false") != 0)
            return bad(st, host, get(st, c, "distinctive"), "distinctive must be true or false");
        l->distinctive = dist && strcmp(dist, "true") == 0;
        size_t len = strlen(l->title);
        l->title_norm = st_alloc(st, len * 2 + 4);
        if (!l->title_norm)
            return bad(st, host, c, "out of memory");
        norm_text(l->title_norm, len * 2 + 4, l->title, len);
        st->n_legacy++;
    }
    return 0;
}

static int load_terms(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *list;
    static const char *const keys[] = {"term", "replacement", "also", NULL};
    if (seq(st, host, root, "legacy_terms", 0, "the pack", &list) < 0)
        return -1;
    if (!list)
        return 0;
    st->terms = st_alloc(st, (list->n_items + 1) * sizeof *st->terms);
    if (!st->terms)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < list->n_items; i++) {
        const struct qms_node *t = &list->items[i], *also;
        struct iso_term *term = &st->terms[i];
        if (t->kind != QMS_NODE_MAP)
            return bad(st, host, t, "a legacy term must be a map");
        const char *word;
        if (check_keys(st, host, t, keys, "a legacy term") < 0 ||
            scalar(st, host, t, "term", 1, "a legacy term", &word) < 0 ||
            scalar(st, host, t, "replacement", 1, "a legacy term", &term->replacement) < 0 ||
            seq(st, host, t, "also", 0, "a legacy term", &also) < 0)
            return -1;
        struct qms_node one = *get(st, t, "term");
        struct qms_node wrap = {QMS_NODE_SEQ, NULL, &one, NULL, 1, one.file, one.line, one.column};
        if (add_phrases(st, host, &wrap, "term", &term->forms) < 0 ||
            add_phrases(st, host, also, "also", &term->forms) < 0)
            return -1;
        st->n_terms++;
    }
    return 0;
}

static int load_editions(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *map = get(st, root, "editions");
    if (!map)
        return 0;
    if (map->kind != QMS_NODE_MAP)
        return bad(st, host, map, "'editions' must be a map of standard -> list of editions");
    st->editions = st_alloc(st, (map->n_items + 1) * sizeof *st->editions);
    if (!st->editions)
        return bad(st, host, map, "out of memory");
    for (size_t i = 0; i < map->n_items; i++) {
        struct iso_edition *e = &st->editions[i];
        e->name = map->keys[i];
        if (map->items[i].kind != QMS_NODE_SEQ)
            return bad(st, host, &map->items[i], "editions of %s must be a list", e->name);
        if (strings(st, host, &map->items[i], "editions", &e->years, &e->n_years) < 0)
            return -1;
        st->n_editions++;
    }
    return 0;
}

/* Compact form for comparing names: lower-case letters and digits only. */
static void compact(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++)
        if (is_alpha((unsigned char)*s) || is_digit((unsigned char)*s))
            out[o++] = (char)lower((unsigned char)*s);
    out[o] = '\0';
}

static int build_names(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    const struct qms_node *list;
    const char **cites;
    size_t n_cites;
    if (seq(st, host, root, "citation_names", 1, "the pack", &list) < 0 ||
        strings(st, host, list, "citation_names", &cites, &n_cites) < 0)
        return -1;
    if (n_cites == 0)
        return bad(st, host, list, "citation_names is empty");
    st->names = st_alloc(st, (n_cites + st->n_editions + 1) * sizeof *st->names);
    if (!st->names)
        return bad(st, host, list, "out of memory");
    for (size_t i = 0; i < n_cites; i++) {
        char a[128], b[128];
        struct iso_name *nm = &st->names[st->n_names++];
        nm->pattern = cites[i];
        nm->ours = 1;
        nm->edition = -1;
        compact(a, sizeof a, cites[i]);
        for (size_t k = 0; k < st->n_editions; k++) {
            compact(b, sizeof b, st->editions[k].name);
            if (b[0] && strstr(a, b) && (nm->edition < 0 ||
                                         strlen(st->editions[k].name) > strlen(st->editions[nm->edition].name)))
                nm->edition = (int)k;
        }
    }
    for (size_t k = 0; k < st->n_editions; k++) {
        char a[128], b[128];
        int ours = 0;
        compact(b, sizeof b, st->editions[k].name);
        for (size_t i = 0; i < n_cites; i++) {
            compact(a, sizeof a, cites[i]);
            ours |= strcmp(a, b) == 0;
        }
        if (ours)
            continue; /* already a citation name */
        struct iso_name *nm = &st->names[st->n_names++];
        nm->pattern = st->editions[k].name;
        nm->ours = 0;
        nm->edition = (int)k;
    }
    /* longest first, so "DIN EN ISO 9001" wins over "ISO 9001" and "ISO/IEC 27001" over "ISO 27001" */
    for (size_t i = 1; i < st->n_names; i++)
        for (size_t k = i; k > 0 && strlen(st->names[k].pattern) > strlen(st->names[k - 1].pattern); k--) {
            struct iso_name t = st->names[k];
            st->names[k] = st->names[k - 1];
            st->names[k - 1] = t;
        }
    return 0;
}

static int load_documents(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    static const char *const doc_keys[] = {"manual", "record", "declaration_properties", "clause_columns",
                                           "standard_properties", NULL};
    static const char *const manual_keys[] = {"types", "titles", NULL};
    static const char *const record_keys[] = {"types", "prefixes", NULL};
    const struct qms_node *docs = get(st, root, "documents"), *list;
    if (!docs || docs->kind != QMS_NODE_MAP)
        return bad(st, host, docs ? docs : root, "the pack needs a 'documents' map");
    const struct qms_node *manual = get(st, docs, "manual"), *record = get(st, docs, "record");
    if (check_keys(st, host, docs, doc_keys, "documents") < 0)
        return -1;
    if (!manual || manual->kind != QMS_NODE_MAP || !record || record->kind != QMS_NODE_MAP)
        return bad(st, host, docs, "documents needs 'manual' and 'record' maps");
    if (check_keys(st, host, manual, manual_keys, "documents.manual") < 0 ||
        check_keys(st, host, record, record_keys, "documents.record") < 0 ||
        phrases_at(st, host, manual, "types", "manual types", &st->manual_types) < 0 ||
        phrases_at(st, host, manual, "titles", "manual titles", &st->manual_titles) < 0 ||
        phrases_at(st, host, record, "types", "record types", &st->record_types) < 0 ||
        seq(st, host, record, "prefixes", 0, "documents.record", &list) < 0 ||
        strings(st, host, list, "prefixes", &st->record_prefixes, &st->n_record_prefixes) < 0 ||
        phrases_at(st, host, docs, "declaration_properties", "declaration properties", &st->decl_props) < 0 ||
        phrases_at(st, host, docs, "clause_columns", "clause columns", &st->clause_columns) < 0 ||
        phrases_at(st, host, docs, "standard_properties", "standard properties", &st->standard_props) < 0)
        return -1;
    return 0;
}

static int load_scope(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    static const char *const keys[] = {"headings", "exclusion_headings", "exclusion_words",
                                       "justification_words", "excludable_clauses", NULL};
    const struct qms_node *scope = get(st, root, "scope"), *list;
    if (!scope || scope->kind != QMS_NODE_MAP)
        return bad(st, host, scope ? scope : root, "the pack needs a 'scope' map");
    if (check_keys(st, host, scope, keys, "scope") < 0 ||
        phrases_at(st, host, scope, "headings", "scope headings", &st->scope_headings) < 0 ||
        phrases_at(st, host, scope, "exclusion_headings", "exclusion headings", &st->exclusion_headings) < 0 ||
        phrases_at(st, host, scope, "exclusion_words", "exclusion words", &st->exclusion_words) < 0 ||
        phrases_at(st, host, scope, "justification_words", "justification words", &st->justification_words) < 0 ||
        seq(st, host, scope, "excludable_clauses", 0, "scope", &list) < 0 ||
        strings(st, host, list, "excludable_clauses", &st->excludable, &st->n_excludable) < 0)
        return -1;
    for (size_t i = 0; i < st->n_excludable; i++)
        if (find_clause(st, st->excludable[i]) < 0)
            return bad(st, host, &list->items[i], "excludable clause %s is not in the clause tree",
                       st->excludable[i]);
    return 0;
}

static int load_pack(struct iso_state *st, struct qms_host *host, const struct qms_node *root)
{
    static const char *const keys[] = {"version", "standard", "edition", "legacy_standard",
                                       "legacy_editions", "citation_names", "clauses", "requirements",
                                       "legacy_clauses", "legacy_terms", "editions", "documents", "scope",
                                       NULL};
    const struct qms_node *list;
    if (!root || root->kind != QMS_NODE_MAP)
        return bad(st, host, root, "a rule pack must be a map");
    if (check_keys(st, host, root, keys, "the pack") < 0 ||
        scalar(st, host, root, "standard", 1, "the pack", &st->standard) < 0 ||
        scalar(st, host, root, "edition", 1, "the pack", &st->edition) < 0 ||
        scalar(st, host, root, "legacy_standard", 0, "the pack", &st->legacy_standard) < 0 ||
        seq(st, host, root, "legacy_editions", 0, "the pack", &list) < 0 ||
        strings(st, host, list, "legacy_editions", &st->legacy_editions, &st->n_legacy_editions) < 0 ||
        load_clauses(st, host, root) < 0 || load_requirements(st, host, root) < 0 ||
        load_legacy(st, host, root) < 0 || load_terms(st, host, root) < 0 ||
        load_editions(st, host, root) < 0 || build_names(st, host, root) < 0 ||
        load_documents(st, host, root) < 0 || load_scope(st, host, root) < 0)
        return -1;
    if (!st->legacy_standard)
        st->legacy_standard = "the previous edition";
    return 0;
}

static int bool_option(struct iso_state *st, struct qms_host *host, const char *rule, int *out)
{
    const struct qms_node *opts = st->api->rule_options(host, rule);
    if (!opts)
        return 0;
    if (opts->kind != QMS_NODE_MAP)
        return bad(st, host, opts, "options of %s must be a map", rule);
    for (size_t i = 0; i < opts->n_items; i++) {
        const struct qms_node *v = &opts->items[i];
        if (strcmp(opts->keys[i], "severity") == 0)
            continue;
        if (strcmp(opts->keys[i], "report_weak") != 0)
            return bad(st, host, v, "%s: unknown option '%s' (report_weak)", rule, opts->keys[i]);
        if (v->kind != QMS_NODE_SCALAR || !v->scalar ||
            (strcmp(v->scalar, "true") != 0 && strcmp(v->scalar, "false") != 0))
            return bad(st, host, v, "%s: report_weak must be true or false", rule);
        *out = strcmp(v->scalar, "true") == 0;
    }
    return 0;
}

static int build_match_tables(struct iso_state *st);

static int iso_init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    struct iso_state *st = calloc(1, sizeof *st);
    const struct qms_node *root = NULL;
    const char *pack = DEFAULT_PACK;
    *out_state = NULL;
    if (!st)
        return -1;
    st->api = api;
    const struct qms_node *popts = api->plugin_options(host);
    if (popts) {
        if (popts->kind != QMS_NODE_MAP) {
            bad(st, host, popts, "iso9001 options must be a map");
            st_free(st);
            return -1;
        }
        for (size_t i = 0; i < popts->n_items; i++) {
            const struct qms_node *v = &popts->items[i];
            if (strcmp(popts->keys[i], "enabled") == 0)
                continue;
            if (strcmp(popts->keys[i], "pack") != 0 || v->kind != QMS_NODE_SCALAR || !v->scalar) {
                bad(st, host, v, "iso9001: unknown option '%s' (pack: FILE.yml)", popts->keys[i]);
                st_free(st);
                return -1;
            }
            pack = v->scalar;
        }
    }
    if (api->load_pack(host, pack, &root) < 0 || load_pack(st, host, root) < 0 ||
        bool_option(st, host, RULE_MISSING_DOC, &st->report_weak_doc) < 0 ||
        bool_option(st, host, RULE_MISSING_REC, &st->report_weak_rec) < 0) {
        st_free(st);
        return -1;
    }
    if (build_match_tables(st) < 0) {
        bad(st, host, root, "out of memory");
        st_free(st);
        return -1;
    }
    *out_state = st;
    return 0;
}

static void iso_fini(void *state) { st_free(state); }

/* ------------------------------------------------------------------------------------------ */
/* One document: a growing digest and the per-rule finding counts. */

struct scan {
    const struct iso_state *st;
    const struct qms_host_api *api;
    struct qms_host *host;
    const struct qms_doc *doc;
    int failed;                          /* out of memory: check_doc returns an error */
    int era_2008;
    int names_ours;                      /* the document names ISO 9001 somewhere */
    int declares_scope;                  /* a property declares 4.3 */
    unsigned counts[8];
    struct iso_digest_entry *entries;
    size_t n_entries, cap_entries;
    uint32_t *entry_slots;               /* ENTRY_SLOTS: entry index + 1 by key hash, 0 empty */
    char *pool;
    size_t pool_len, pool_cap;
    char *norm, *norm2;                  /* norm_cap scratch (norm2 made on first use): large
                                            enough that norm_text never truncates what the
                                            scans give it (at most SCAN_CAP bytes) */
    size_t norm_cap;
    long *best;                          /* n_reqs * 3 + n_terms: phrase_index_scan results */
    /* the current block, for citations */
    const char *cur_section_norm;
    char consumed[16][128];              /* normalized 2008 titles quoted by legacy-clause: not
                                            reported again as legacy terms in this document */
    size_t n_consumed;
};

enum { C_UNKNOWN, C_LEGACY_CLAUSE, C_TERM, C_EXCL, C_EDITION };

static void report(struct scan *sc, int which, const char *rule, const struct qms_location *loc,
                   const char *key, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    if (sc->counts[which] >= FINDINGS_CAP)
        return;
    sc->counts[which]++;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct qms_finding_desc f;
    memset(&f, 0, sizeof f);
    f.rule_id = rule;
    f.message = msg;
    f.loc = *loc;
    f.key = key;
    sc->api->report(sc->host, &f);
}

static uint32_t pool_add(struct scan *sc, const char *s, size_t len)
{
    if (!s || len == 0)
        return 0;
    if (len > QUOTE_CAP * 3)
        len = QUOTE_CAP * 3;
    if (sc->pool_len + len + 1 > POOL_CAP)
        return 0;
    if (sc->pool_len + len + 1 > sc->pool_cap) {
        size_t cap = sc->pool_cap ? sc->pool_cap : 1024;
        while (cap < sc->pool_len + len + 1)
            cap *= 2;
        char *grown = realloc(sc->pool, cap);
        if (!grown) {
            sc->failed = 1;
            return 0;
        }
        sc->pool = grown;
        sc->pool_cap = cap;
    }
    uint32_t off = (uint32_t)sc->pool_len;
    memcpy(sc->pool + off, s, len);
    sc->pool[off + len] = '\0';
    sc->pool_len += len + 1;
    return off;
}

static uint32_t pool_str(struct scan *sc, const char *s) { return s ? pool_add(sc, s, strlen(s)) : 0; }

#define ENTRY_SLOTS 8192u /* a power of two, at least twice ENTRIES_CAP */

/* What makes two entries the same: kind, requirement, clause, and for a mapping-table row
 * also the documents it names (two rows for 9.2 naming QP-05 and QP-06 are two declarations). */
static uint32_t entry_key_hash(uint32_t kind, long req, const char *clause, const char *words)
{
    uint32_t h = 2166136261u;
    h = (h ^ kind) * 16777619u;
    h = (h ^ (uint32_t)req) * 16777619u;
    for (const char *p = clause ? clause : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    if (kind == ISO_EV_DECLARED_TABLE) {
        h = (h ^ 0xFFu) * 16777619u;
        for (const char *p = words ? words : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return h ^ (h >> 15);
}

static int entry_same(const struct scan *sc, const struct iso_digest_entry *e, uint32_t kind, long req,
                      const char *clause, const char *words)
{
    return e->kind == kind && e->requirement == (int32_t)req &&
           strcmp(sc->pool + e->clause_off, clause ? clause : "") == 0 &&
           (kind != ISO_EV_DECLARED_TABLE || strcmp(sc->pool + e->words_off, words ? words : "") == 0);
}

/* Adds an entry unless an equal one exists (see entry_key_hash). The lookup is a hash
 * probe: a scan over every entry made 100,000 citations in one document cost 4 * 10^8
 * compares. */
static void add_entry(struct scan *sc, uint32_t kind, long req, uint32_t flags, const struct qms_location *loc,
                      const char *clause, const char *text, size_t text_len, const char *words)
{
    if (sc->n_entries >= ENTRIES_CAP)
        return;
    if (!sc->entry_slots && !(sc->entry_slots = calloc(ENTRY_SLOTS, sizeof *sc->entry_slots))) {
        sc->failed = 1;
        return;
    }
    uint32_t slot = entry_key_hash(kind, req, clause, words) & (ENTRY_SLOTS - 1);
    for (; sc->entry_slots[slot]; slot = (slot + 1) & (ENTRY_SLOTS - 1))
        if (entry_same(sc, &sc->entries[sc->entry_slots[slot] - 1], kind, req, clause, words))
            return;
    if (sc->n_entries == sc->cap_entries) {
        size_t cap = sc->cap_entries ? sc->cap_entries * 2 : 32;
        struct iso_digest_entry *grown = realloc(sc->entries, cap * sizeof *grown);
        if (!grown) {
            sc->failed = 1;
            return;
        }
        sc->entries = grown;
        sc->cap_entries = cap;
    }
    struct iso_digest_entry e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.requirement = (int32_t)req;
    e.flags = flags;
    e.line = loc->line;
    e.column = loc->column;
    e.block = loc->block;
    e.part_off = pool_str(sc, loc->part);
    e.clause_off = pool_str(sc, clause);
    e.text_off = pool_add(sc, text, text ? (text_len > QUOTE_CAP ? QUOTE_CAP : text_len) : 0);
    e.words_off = pool_str(sc, words);
    sc->entries[sc->n_entries++] = e;
    sc->entry_slots[slot] = (uint32_t)sc->n_entries;
}

/* A declaration of clause `num`: one entry per requirement it relates to (or one with -1). */
static void declare(struct scan *sc, uint32_t kind, const char *num, const struct qms_location *loc,
                    const char *text, size_t text_len, const char *words)
{
    int any = 0;
    for (size_t r = 0; r < sc->st->n_reqs; r++)
        if (clause_relates(num, sc->st->reqs[r].clause)) {
            add_entry(sc, kind, (long)r, 0, loc, num, text, text_len, words);
            any = 1;
        }
    if (!any)
        add_entry(sc, kind, -1, 0, loc, num, text, text_len, words);
    if (strcmp(num, "4.3") == 0 && kind == ISO_EV_DECLARED_PROPERTY)
        sc->declares_scope = 1;
}

static int is_legacy_edition(const struct iso_state *st, int year)
{
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    for (size_t i = 0; i < st->n_legacy_editions; i++)
        if (strcmp(st->legacy_editions[i], y) == 0)
            return 1;
    return 0;
}

/* "7.5.2, 7.5.3" */
static void join_to(char *out, size_t cap, const struct iso_legacy *l)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n_to && o + 1 < cap; i++) {
        int n = snprintf(out + o, cap - o, "%s%s", i ? ", " : "", l->to[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

enum cite_source { SRC_TEXT, SRC_PROPERTY, SRC_TABLE };

/*
 * One clause citation: number, cited edition (0: none), the text after the number (for a
 * title), where. Decides unknown / legacy / declared.
 */
static void handle_cite(struct scan *sc, const char *num, int year, const char *after, size_t after_len,
                        enum cite_source src, const char *src_name, const struct qms_location *loc,
                        const char *span, size_t span_len, const char *row_words)
{
    const struct iso_state *st = sc->st;
    char where[160] = "";
    char title_norm[128];
    if (src == SRC_PROPERTY)
        snprintf(where, sizeof where, " (property '%.64s')", src_name);
    else if (src == SRC_TABLE)
        snprintf(where, sizeof where, " (column '%.64s')", src_name);
    if (after_len > 100)
        after_len = 100;
    norm_text(title_norm, sizeof title_norm, after ? after : "", after ? after_len : 0);

    const struct iso_legacy *l = find_legacy(st, num);
    long c = find_clause(st, num);
    int explicit_legacy = year && is_legacy_edition(st, year);
    int explicit_current = year && st->edition && atoi(st->edition) == year;
    int title_2008 = l && l->title_norm[1] && strncmp(title_norm, l->title_norm, strlen(l->title_norm) - 1) == 0 &&
                     (title_norm[strlen(l->title_norm) - 1] == ' ');
    int title_2015 = 0;
    if (c >= 0 && st->clause_titles[c]) {
        char t15[160];
        size_t tl = strlen(st->clause_titles[c]);
        norm_text(t15, sizeof t15, st->clause_titles[c], tl);
        size_t n15 = strlen(t15);
        title_2015 = n15 > 2 && strncmp(title_norm, t15, n15 - 1) == 0 && title_norm[n15 - 1] == ' ';
    }
    int legacy = 0;
    if (l && !explicit_current) {
        if (explicit_legacy)
            legacy = 1;
        else if (title_2008 && !title_2015)
            legacy = 1;
        else if (c < 0 && (l->distinctive || sc->era_2008))
            legacy = 1;
        else if (c >= 0 && sc->era_2008 && !year)
            legacy = 1;
    }
    if (year && !explicit_legacy && !explicit_current)
        return; /* another edition (1994, or one that does not exist): not ours to judge */
    if (explicit_legacy && !l)
        return; /* a 2008 number with the same meaning, or one we know nothing of */
    if (legacy) {
        char to[96];
        join_to(to, sizeof to, l);
        if (title_2008) {
            report(sc, C_LEGACY_CLAUSE, RULE_LEGACY_CLAUSE, loc, num, "'%s %s' is %s numbering; in %s see %s%s%s%s%s",
                   num, l->title, st->legacy_standard, st->standard, to, l->note ? " (" : "",
                   l->note ? l->note : "", l->note ? ")" : "", where);
            if (sc->n_consumed < 16)
                snprintf(sc->consumed[sc->n_consumed++], sizeof sc->consumed[0], "%s", l->title_norm);
        } else {
            report(sc, C_LEGACY_CLAUSE, RULE_LEGACY_CLAUSE, loc, num, "'clause %s' is %s numbering (%s); in %s see %s%s%s%s%s",
                   num, st->legacy_standard, l->title, st->standard, to, l->note ? " (" : "",
                   l->note ? l->note : "", l->note ? ")" : "", where);
        }
        return;
    }
    if (c < 0) {
        if (l) {
            char to[96];
            join_to(to, sizeof to, l);
            report(sc, C_UNKNOWN, RULE_UNKNOWN, loc, num, "clause %s does not exist in %s (in %s it was '%s', now %s)%s",
                   num, st->standard, st->legacy_standard, l->title, to, where);
        } else {
            report(sc, C_UNKNOWN, RULE_UNKNOWN, loc, num, "clause %s does not exist in %s%s", num, st->standard, where);
        }
        return;
    }
    uint32_t kind = src == SRC_PROPERTY ? ISO_EV_DECLARED_PROPERTY
                    : src == SRC_TABLE  ? ISO_EV_DECLARED_TABLE
                                        : ISO_EV_DECLARED_CITATION;
    declare(sc, kind, num, loc, span, span_len, src == SRC_TABLE ? row_words : src_name);
}

/* How much a keyword says about whose numbering follows it. */
enum kw_reach {
    KW_STANDARD, /* "Normkapitel": the standard's chapter, whatever else the document says */
    KW_CLAUSE,   /* "clause": the standard's in a QMS document, but contracts have clauses too */
    KW_GENERIC   /* "§", "article", "Kapitel", "chapitre", "apartado": laws, specifications and
                    the document's own chapters use them as much as ISO 9001 does */
};

struct keyword {
    const char *word;
    int strong;                          /* a single number ("clause 8") is enough */
    enum kw_reach reach;
};

static const struct keyword keywords[] = {
    {"clauses", 1, KW_CLAUSE}, {"clause", 1, KW_CLAUSE}, {"cl.", 1, KW_CLAUSE},
    {"cláusulas", 1, KW_CLAUSE}, {"cláusula", 1, KW_CLAUSE}, {"clausula", 1, KW_CLAUSE},
    {"normkapitel", 0, KW_STANDARD}, {"norm-kapitel", 0, KW_STANDARD}, {"kapitel", 0, KW_GENERIC},
    {"apartados", 0, KW_GENERIC}, {"apartado", 0, KW_GENERIC}, {"chapitre", 0, KW_GENERIC},
    {"articles", 0, KW_GENERIC}, {"article", 0, KW_GENERIC}, {"\xc2\xa7\xc2\xa7", 0, KW_GENERIC},
    {"\xc2\xa7", 0, KW_GENERIC},
};

/* A keyword at s[i] (at a word start): its end, *strong and, when wanted, its *reach. */
static size_t match_keyword(const char *s, size_t len, size_t i, int *strong, enum kw_reach *reach)
{
    if (i >= len)
        return 0;
    int first = lower((unsigned char)s[i]);
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
        if (first != lower((unsigned char)keywords[k].word[0]))
            continue; /* match_word would fail on the first byte */
        size_t e = match_word(s, len, i, keywords[k].word);
        if (!e)
            continue;
        if (is_alpha((unsigned char)keywords[k].word[0]) && e < len && is_wordy((unsigned char)s[e]) &&
            keywords[k].word[strlen(keywords[k].word) - 1] != '.')
            continue;
        *strong = keywords[k].strong;
        if (reach)
            *reach = keywords[k].reach;
        return e;
    }
    return 0;
}

/* Whether a keyword citation in a document that never names ISO 9001 is still one of ours:
 * "clause" with a number the standard could have (0 to 10: "clause 20.6" is a contract's), never
 * a generic keyword ("§ 20.8.3" of a specification, "Kapitel 4.2" of the document itself). */
static int unnamed_citation_is_ours(const char *s, size_t len, size_t j, enum kw_reach reach)
{
    if (reach == KW_STANDARD)
        return 1;
    if (reach == KW_GENERIC)
        return 0;
    unsigned top = 0;
    size_t d = j;
    while (d < len && d - j < 3 && s[d] >= '0' && s[d] <= '9')
        top = top * 10 + (unsigned)(s[d++] - '0');
    return d > j && top <= 10;
}

/* The tables scan_text, shown_in and legacy_terms match with, from the loaded pack. */
static int build_match_tables(struct iso_state *st)
{
    unsigned char name_lower[256], kw_lower[256];
    memset(name_lower, 0, sizeof name_lower);
    memset(kw_lower, 0, sizeof kw_lower);
    for (size_t k = 0; k < st->n_names; k++)
        name_lower[lower((unsigned char)st->names[k].pattern[0])] = 1;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        kw_lower[lower((unsigned char)keywords[k].word[0])] = 1;
    st->names_need_digit = 1;
    for (size_t k = 0; k < st->n_names; k++)
        st->names_need_digit &= strpbrk(st->names[k].pattern, "0123456789") != NULL;
    for (int c = 0; c < 256; c++) {
        st->byte_class[c] = c >= 0x80 ? BYTE_HIGH : is_alpha(c) || is_digit(c) ? BYTE_ALNUM : BYTE_BLANK;
        st->era_first[c] = name_lower[lower(c)];
        st->full_first[c] = (unsigned char)(name_lower[lower(c)] | kw_lower[lower(c)]);
    }
    /* the names by lower-case first byte, longest first within each as in st->names */
    st->names_from = st_alloc(st, 257 * sizeof *st->names_from);
    st->names_by_first = st_alloc(st, (st->n_names + 1) * sizeof *st->names_by_first);
    if (!st->names_from || !st->names_by_first)
        return -1;
    for (size_t k = 0; k < st->n_names; k++)
        st->names_from[lower((unsigned char)st->names[k].pattern[0]) + 1]++;
    for (size_t b = 0; b < 256; b++)
        st->names_from[b + 1] += st->names_from[b];
    uint32_t fill[256];
    memcpy(fill, st->names_from, sizeof fill);
    for (size_t k = 0; k < st->n_names; k++)
        st->names_by_first[fill[lower((unsigned char)st->names[k].pattern[0])]++] = (uint32_t)k;

    size_t n_lists = st->n_reqs > st->n_terms ? st->n_reqs : st->n_terms;
    const struct phrases **lists = malloc((n_lists + 1) * sizeof *lists);
    if (!lists)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < st->n_reqs; r++)
        lists[r] = &st->reqs[r].headings;
    rc |= phrase_index_build(st, &st->ix_headings, lists, st->n_reqs);
    for (size_t r = 0; r < st->n_reqs; r++)
        lists[r] = &st->reqs[r].titles;
    rc |= phrase_index_build(st, &st->ix_titles, lists, st->n_reqs);
    for (size_t r = 0; r < st->n_reqs; r++)
        lists[r] = &st->reqs[r].records;
    rc |= phrase_index_build(st, &st->ix_records, lists, st->n_reqs);
    for (size_t t = 0; t < st->n_terms; t++)
        lists[t] = &st->terms[t].forms;
    rc |= phrase_index_build(st, &st->ix_terms, lists, st->n_terms);
    free(lists);
    return rc < 0 ? -1 : 0;
}

/* After a number: ", 8.5.1", " and 9.2", " & 10.2", " / 7.5" continue the list. */
static size_t list_continues(const char *s, size_t len, size_t i)
{
    size_t j = skip_blanks(s, len, i);
    static const char *const joins[] = {",", "&", "/", "and", "und", "y", "et", "or", "oder", "o", "ou"};
    for (size_t k = 0; k < sizeof joins / sizeof joins[0]; k++) {
        size_t e = match_word(s, len, j, joins[k]);
        if (!e || (is_alpha((unsigned char)joins[k][0]) && e < len && is_wordy((unsigned char)s[e])))
            continue;
        e = skip_blanks(s, len, e);
        if (e < len && is_digit((unsigned char)s[e]))
            return e;
    }
    return 0;
}

/* Parses "clause" numbers from s[i]: a number and any list after it. Returns the end. */
static size_t cite_numbers(struct scan *sc, const char *s, size_t len, size_t start, size_t i, int strong,
                           int year, const struct qms_location *loc, int report_it)
{
    char num[NUM_CAP];
    int dotted = 0;
    size_t e = parse_number(s, len, i, num, &dotted);
    if (!e || (!strong && !dotted))
        return 0;
    for (;;) {
        if (report_it) {
            size_t a = skip_blanks(s, len, e);
            if (a < len && (s[a] == '-' || s[a] == ':'))
                a = skip_blanks(s, len, a + 1);
            handle_cite(sc, num, year, s + a, len - a, SRC_TEXT, NULL, loc, s + start, e - start, NULL);
        }
        size_t next = list_continues(s, len, e);
        if (!next)
            break;
        size_t e2 = parse_number(s, len, next, num, &dotted);
        if (!e2)
            break;
        e = e2;
    }
    return e;
}

/* A 4-digit year after a standard name (":2015", "-2015", ": 2015"); 0 when none. */
static int parse_year(const char *s, size_t len, size_t i, size_t *out_end)
{
    size_t j = skip_blanks(s, len, i);
    if (j < len && (s[j] == ':' || s[j] == '-'))
        j = skip_blanks(s, len, j + 1);
    else if (j != i || j >= len)
        return 0;
    else
        return 0;
    if (j + 4 > len)
        return 0;
    for (size_t k = 0; k < 4; k++)
        if (!is_digit((unsigned char)s[j + k]))
            return 0;
    if (j + 4 < len && is_digit((unsigned char)s[j + 4]))
        return 0;
    *out_end = j + 4;
    return atoi((char[5]){s[j], s[j + 1], s[j + 2], s[j + 3], 0});
}

enum scan_mode { SCAN_ERA, SCAN_FULL };

/*
 * Where scan_text may stop in s[0..min(len, SCAN_CAP)): whatever a name or keyword starts,
 * only a digit at or after it finishes — names (all with a digit) compare digits exactly, and
 * a keyword cites nothing without a number. So nothing is found past the last digit, and
 * most blocks have none (0).
 */
static size_t scan_stop(const struct iso_state *st, const char *s, size_t len)
{
    size_t stop = len > SCAN_CAP ? SCAN_CAP : len;
    if (st->names_need_digit)
        while (stop > 0 && !is_digit((unsigned char)s[stop - 1]))
            stop--;
    return stop;
}

/*
 * Scans one text for standard names (wrong-edition, era), and clause citations. In SCAN_ERA
 * mode only counts editions of our standard in *legacy_seen / *current_seen. `stop` is
 * scan_stop(s, len), or SIZE_MAX to have it worked out here.
 */
static void scan_text(struct scan *sc, const char *s, size_t len, const struct qms_location *loc, enum scan_mode mode,
                      int *legacy_seen, int *current_seen, size_t stop)
{
    const struct iso_state *st = sc->st;
    size_t mention_end = 0;
    int mention_ours = 0, mention_year = 0, have_mention = 0;
    if (len > SCAN_CAP)
        len = SCAN_CAP;
    /* the bytes a name (or, in full mode, a keyword) starts with: most words start none */
    const unsigned char *first = mode == SCAN_ERA ? st->era_first : st->full_first;
    if (stop > len)
        stop = scan_stop(st, s, len);
    for (size_t i = 0; i < stop;) {
        unsigned char c = (unsigned char)s[i];
        if (!first[c]) {
            if (c < 0x80) {
                i++;
            } else {
                size_t n = utf8_seq((const unsigned char *)s + i, len - i);
                i += n ? n : 1;
            }
            continue;
        }
        if (i > 0 && is_wordy((unsigned char)s[i - 1]) && c < 0x80) {
            i++;
            continue;
        }
        size_t end = 0, name_start = i;
        const struct iso_name *nm = NULL;
        int lc = lower(c);
        for (size_t k = st->names_from[lc]; k < st->names_from[lc + 1] && !end; k++)
            if ((end = match_name(s, len, i, st->names[st->names_by_first[k]].pattern)) != 0)
                nm = &st->names[st->names_by_first[k]];
        if (nm) {
            size_t yend = end;
            int year = parse_year(s, len, end, &yend);
            if (mode == SCAN_ERA) {
                if (nm->ours)
                    sc->names_ours = 1;
                if (nm->ours && year && is_legacy_edition(st, year))
                    (*legacy_seen)++;
                if (nm->ours && year && st->edition && atoi(st->edition) == year)
                    (*current_seen)++;
                i = yend;
                continue;
            }
            if (year && nm->edition >= 0) {
                const struct iso_edition *ed = &st->editions[nm->edition];
                char y[8];
                int known = 0;
                snprintf(y, sizeof y, "%d", year);
                for (size_t k = 0; k < ed->n_years; k++)
                    known |= strcmp(ed->years[k], y) == 0;
                if (!known) {
                    char list[160] = "", key[96];
                    size_t o = 0;
                    for (size_t k = 0; k < ed->n_years && o + 1 < sizeof list; k++) {
                        int n = snprintf(list + o, sizeof list - o, "%s%s", k ? ", " : "", ed->years[k]);
                        if (n < 0)
                            break;
                        o += (size_t)n;
                    }
                    snprintf(key, sizeof key, "%s:%d", ed->name, year);
                    report(sc, C_EDITION, RULE_EDITION, loc, key, "%s:%d does not exist (editions: %s)", ed->name, year,
                           list);
                }
            }
            have_mention = 1;
            mention_ours = nm->ours;
            mention_year = year;
            mention_end = yend;
            i = yend;
            if (nm->ours) {
                /* "ISO 9001:2015 9.2", "ISO 9001 cl. 8.4", "ISO 9001:2015, clause 7.5" */
                size_t j = skip_blanks(s, len, i);
                if (j < len && s[j] == ',')
                    j = skip_blanks(s, len, j + 1);
                int strong = 1;
                size_t kw = match_keyword(s, len, j, &strong, NULL);
                if (kw)
                    j = skip_blanks(s, len, kw);
                size_t e = cite_numbers(sc, s, len, name_start, j, 1, year, loc, 1);
                if (e)
                    i = e;
            }
            continue;
        }
        int strong = 0;
        enum kw_reach reach = KW_GENERIC;
        size_t kw = mode == SCAN_FULL ? match_keyword(s, len, i, &strong, &reach) : 0;
        if (kw) {
            size_t j = skip_blanks(s, len, kw);
            if (!sc->names_ours && !unnamed_citation_is_ours(s, len, j, reach)) {
                i = kw;
                continue;
            }
            int year = 0;
            if (have_mention && i >= mention_end && i - mention_end <= MENTION_REACH) {
                if (!mention_ours) {
                    size_t e = cite_numbers(sc, s, len, i, j, strong, 0, loc, 0);
                    i = e ? e : kw;
                    continue;
                }
                year = mention_year;
            }
            size_t e = cite_numbers(sc, s, len, i, j, strong, year, loc, 1);
            i = e ? e : kw;
            continue;
        }
        i += c < 0x80 ? 1 : (utf8_seq((const unsigned char *)s + i, len - i) ? utf8_seq((const unsigned char *)s + i, len - i) : 1);
    }
}

/* Every bare clause number in a value (front matter, clause column): "4.3, 6.2", "[7.5]". */
static void bare_numbers(struct scan *sc, const char *s, size_t len, enum cite_source src, const char *src_name,
                         const struct qms_location *loc, const char *next_cell, const char *row_words)
{
    char num[NUM_CAP];
    if (len > 4096)
        len = 4096;
    for (size_t i = 0; i < len; i++) {
        size_t e = parse_number(s, len, i, num, NULL);
        if (!e)
            continue;
        size_t a = skip_blanks(s, len, e);
        if (a < len && (s[a] == '-' || s[a] == ':'))
            a = skip_blanks(s, len, a + 1);
        const char *after = s + a;
        size_t after_len = len - a;
        if (after_len == 0 && next_cell) {
            after = next_cell;
            after_len = strlen(next_cell);
        }
        handle_cite(sc, num, 0, after, after_len, src, src_name, loc, s + i, e - i, row_words);
        i = e;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Document classification */

static const char *prop_value(const struct qms_doc *doc, const char *const *names)
{
    for (size_t i = 0; i < doc->n_properties; i++)
        for (size_t k = 0; names[k]; k++) {
            const char *a = doc->properties[i].name, *b = names[k];
            if (!a)
                continue;
            while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) {
                a++;
                b++;
            }
            if (!*a && !*b && doc->properties[i].value[0])
                return doc->properties[i].value;
        }
    return NULL;
}

/* The title used for matching, and where it is. */
static const char *doc_title(const struct qms_doc *doc, struct qms_location *out_loc)
{
    static const char *const names[] = {"title", "dc:title", NULL};
    memset(out_loc, 0, sizeof *out_loc);
    if (doc->meta) {
        const struct qms_meta_value *v = qms_meta_first(doc->meta, QMS_META_TITLE);
        if (v && v->value && v->value[0]) {
            *out_loc = v->loc;
            return v->value;
        }
    }
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == QMS_BLOCK_TITLE ||
            (doc->blocks[i].kind == QMS_BLOCK_HEADING && doc->blocks[i].level == 1)) {
            *out_loc = doc->blocks[i].loc;
            return doc->blocks[i].text;
        }
    for (size_t i = 0; i < doc->n_properties; i++) {
        const char *n = doc->properties[i].name;
        if (n && (strcmp(n, names[0]) == 0 || strcmp(n, names[1]) == 0) && doc->properties[i].value[0]) {
            *out_loc = doc->properties[i].loc;
            return doc->properties[i].value;
        }
    }
    return NULL;
}

static int type_in(const struct phrases *types, const char *value)
{
    char n[128];
    norm_text(n, sizeof n, value, strlen(value));
    return phrases_equal(types, n);
}

static uint32_t doc_flags(const struct iso_state *st, const struct qms_doc *doc, const char *title, const char **out_id)
{
    static const char *const type_names[] = {"type", "doc_type", "document_type", "doctype", NULL};
    static const char *const id_names[] = {"id", "doc_id", "document_id", "doc_no", "document_number", NULL};
    uint32_t flags = 0;
    const char *type = NULL, *id = NULL;
    if (doc->meta) {
        const struct qms_meta_value *v = qms_meta_first(doc->meta, QMS_META_TYPE);
        if (v)
            type = v->value;
        v = qms_meta_first(doc->meta, QMS_META_ID);
        if (v)
            id = v->value;
    }
    if (!type)
        type = prop_value(doc, type_names);
    if (!id)
        id = prop_value(doc, id_names);
    *out_id = id;
    if (type && type_in(&st->manual_types, type))
        flags |= ISO_DOC_MANUAL;
    if (type && type_in(&st->record_types, type))
        flags |= ISO_DOC_RECORD;
    if (!type) {
        const char *base = strrchr(doc->path ? doc->path : "", '/');
        base = base ? base + 1 : (doc->path ? doc->path : "");
        const char *cands[2] = {id, base};
        for (size_t c = 0; c < 2; c++)
            for (size_t k = 0; cands[c] && k < st->n_record_prefixes; k++) {
                size_t n = strlen(st->record_prefixes[k]);
                if (match_word(cands[c], strlen(cands[c]), 0, st->record_prefixes[k]) == n)
                    flags |= ISO_DOC_RECORD;
            }
    }
    if (title && !(flags & ISO_DOC_RECORD)) {
        char n[512];
        norm_text(n, sizeof n, title, strlen(title));
        if (phrases_find(&st->manual_titles, n) >= 0 && (!type || (flags & ISO_DOC_MANUAL)))
            flags |= ISO_DOC_MANUAL;
    }
    return flags;
}

static int skip_block(const struct qms_block *b)
{
    return b->kind == QMS_BLOCK_CODE || b->kind == QMS_BLOCK_MARKUP_COMMENT || b->kind == QMS_BLOCK_COMMENT ||
           (b->flags & QMS_BLOCK_FRONT_MATTER);
}

/* ------------------------------------------------------------------------------------------ */
/* Scope exclusions: "Clause 8.3 is excluded because ..." in a scope section. */

static size_t sentence_end(const char *s, size_t len, size_t i)
{
    for (; i < len; i++) {
        char c = s[i];
        if ((c == '.' || c == '!' || c == '?' || c == ';') &&
            (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == '\t') &&
            !(c == '.' && i > 0 && is_digit((unsigned char)s[i - 1]) && i + 1 < len && is_digit((unsigned char)s[i + 1])) &&
            !(c == '.' && i >= 2 && (s[i - 2] == ' ' || i == 2) && lower((unsigned char)s[i - 1]) == 'l' &&
              lower((unsigned char)s[i - 2]) == 'c'))
            return i + 1;
    }
    return len;
}

static void scan_exclusions(struct scan *sc, const struct qms_block *b)
{
    const struct iso_state *st = sc->st;
    const char *s = b->text;
    size_t len = b->text_len < SCAN_CAP ? b->text_len : SCAN_CAP;
    if (!sc->norm2 && !(sc->norm2 = malloc(sc->norm_cap))) {
        sc->failed = 1;
        return;
    }
    char *tail_norm = sc->norm2;
    for (size_t start = 0; start < len;) {
        size_t end = sentence_end(s, len, start);
        norm_text(sc->norm, sc->norm_cap, s + start, end - start);
        if (phrases_find(&st->exclusion_words, sc->norm) >= 0) {
            /* the reason: in this sentence, or the next one unless that is an exclusion too */
            int justified = phrases_find(&st->justification_words, sc->norm) >= 0;
            if (!justified && end < len) {
                size_t next_end = sentence_end(s, len, end);
                norm_text(tail_norm, sc->norm_cap, s + end, next_end - end);
                justified = phrases_find(&st->exclusion_words, tail_norm) < 0 &&
                            phrases_find(&st->justification_words, tail_norm) >= 0;
            }
            norm_text(sc->norm, sc->norm_cap, s + start, end - start);
            char num[NUM_CAP];
            for (size_t i = start; i < end; i++) {
                int dotted = 0;
                size_t e = parse_number(s, end, i, num, &dotted);
                if (!e)
                    continue;
                i = e;
                if (find_clause(st, num) < 0 || (!dotted && !(i > 0)))
                    continue;
                long cl = find_clause(st, num);
                const char *title = st->clause_titles[cl] ? st->clause_titles[cl] : "";
                int excludable = is_excludable(st, num);
                uint32_t flags = (justified ? ISO_EX_JUSTIFIED : 0) | (excludable ? 0 : ISO_EX_NOT_EXCLUDABLE);
                if (!excludable)
                    report(sc, C_EXCL, RULE_EXCLUSION, &b->loc, num,
                           "scope excludes %s%s%s, which cannot be excluded (4.3 allows only requirements that do "
                           "not affect conformity)", num, title[0] ? " " : "", title);
                else if (!justified)
                    report(sc, C_EXCL, RULE_EXCLUSION, &b->loc, num,
                           "scope excludes %s%s%s without a justification (4.3)", num, title[0] ? " " : "", title);
                int any = 0;
                for (size_t r = 0; r < st->n_reqs; r++)
                    if (clause_relates(num, st->reqs[r].clause)) {
                        add_entry(sc, ISO_EV_EXCLUSION, (long)r, flags, &b->loc, num, s + start, end - start, NULL);
                        any = 1;
                    }
                if (!any)
                    add_entry(sc, ISO_EV_EXCLUSION, -1, flags, &b->loc, num, s + start, end - start, NULL);
            }
        }
        start = end;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* check_doc */

static void shown_in(struct scan *sc, uint32_t kind, const char *text, const struct qms_location *loc,
                     int is_record_doc)
{
    const struct iso_state *st = sc->st;
    size_t len = strlen(text);
    if (len > 4096)
        len = 4096;
    size_t n = norm_text(sc->norm, sc->norm_cap, text, len);
    long *heading = sc->best, *title = heading + st->n_reqs, *record = title + st->n_reqs;
    for (size_t r = 0; r < st->n_reqs * 3; r++)
        heading[r] = -1;
    phrase_index_scan(&st->ix_headings, sc->norm, n, heading);
    if (kind == ISO_EV_SHOWN_TITLE)
        phrase_index_scan(&st->ix_titles, sc->norm, n, title);
    if (kind == ISO_EV_SHOWN_TITLE && is_record_doc)
        phrase_index_scan(&st->ix_records, sc->norm, n, record);
    for (size_t r = 0; r < st->n_reqs; r++) {
        const struct iso_req *q = &st->reqs[r];
        if (heading[r] >= 0) {
            add_entry(sc, kind, (long)r, 0, loc, NULL, text, len, q->headings.raw[heading[r]]);
            continue;
        }
        if (kind == ISO_EV_SHOWN_TITLE && title[r] >= 0) {
            add_entry(sc, kind, (long)r, 0, loc, NULL, text, len, q->titles.raw[title[r]]);
            continue;
        }
        if (kind == ISO_EV_SHOWN_TITLE && is_record_doc && q->retain && record[r] >= 0)
            add_entry(sc, ISO_EV_SHOWN_RECORD, (long)r, 0, loc, NULL, text, len, q->records.raw[record[r]]);
    }
}

static void legacy_terms(struct scan *sc, const struct qms_block *b)
{
    const struct iso_state *st = sc->st;
    size_t len = b->text_len < SCAN_CAP ? b->text_len : SCAN_CAP;
    long *found = sc->best + st->n_reqs * 3;
    for (size_t t = 0; t < st->n_terms; t++)
        found[t] = -1;
    if (st->ix_terms.n_odd == 0 && st->ix_terms.max_len + 16 <= sc->norm_cap) {
        phrase_index_scan_raw(&st->ix_terms, st->byte_class, b->text, len, sc->norm, found);
    } else {
        size_t n = norm_text(sc->norm, sc->norm_cap, b->text, len);
        phrase_index_scan(&st->ix_terms, sc->norm, n, found);
    }
    for (size_t t = 0; t < st->n_terms; t++) {
        const struct iso_term *term = &st->terms[t];
        long f = found[t];
        if (f < 0)
            continue;
        int consumed = 0;
        for (size_t k = 0; k < sc->n_consumed; k++)
            consumed |= strstr(sc->consumed[k], term->forms.norm[f]) != NULL;
        if (consumed)
            continue;
        report(sc, C_TERM, RULE_LEGACY_TERM, &b->loc, term->forms.raw[0], "'%s' is %s wording; %s says %s",
               term->forms.raw[f], st->legacy_standard, st->standard, term->replacement);
    }
}

/* Is column `col` of table t a clause column (its header cell names one)? */
static int clause_column(const struct iso_state *st, const struct qms_table *t, int has_header_flag,
                         uint32_t col, char *norm, const char **out_name)
{
    for (size_t i = 0; i < t->n_cells; i++) {
        const struct qms_cell *c = &t->cells[i];
        if (c->col != col || (has_header_flag ? !c->header : c->row != 0))
            continue;
        size_t len = strlen(c->text);
        norm_text(norm, 512, c->text, len > 400 ? 400 : len);
        if (phrases_equal(&st->clause_columns, norm)) {
            *out_name = c->text;
            return 1;
        }
    }
    return 0;
}

static int table_has_header_flag(const struct qms_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        if (t->cells[i].header)
            return 1;
    return 0;
}

static int cell_row_cmp(const void *a, const void *b)
{
    const struct qms_cell *x = *(const struct qms_cell *const *)a, *y = *(const struct qms_cell *const *)b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x < y ? -1 : x > y; /* cells of a row in model order */
}

/* The table's cells sorted by row (malloc'd; NULL when out of memory), so that the cells of
 * one row are found without scanning the whole table: quadratic on a 100,000-cell table. */
static const struct qms_cell **cells_by_row(const struct qms_table *t)
{
    const struct qms_cell **order = malloc((t->n_cells ? t->n_cells : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < t->n_cells; i++)
        order[i] = &t->cells[i];
    if (t->n_cells > 1)
        qsort(order, t->n_cells, sizeof *order, cell_row_cmp);
    return order;
}

/* Marks clause columns in *clause_cols (1024 tables x max_cols, made on the first one). */
static void scan_tables(struct scan *sc, unsigned char **clause_cols, size_t max_cols)
{
    const struct qms_doc *doc = sc->doc;
    char hnorm[512];
    for (size_t ti = 0; ti < doc->n_tables && ti < 1024; ti++) {
        const struct qms_table *t = &doc->tables[ti];
        int has_header_flag = table_has_header_flag(t);
        const struct qms_cell **order = NULL;
        for (uint32_t col = 0; col < t->n_cols && col < max_cols; col++) {
            const char *name = NULL;
            if (!clause_column(sc->st, t, has_header_flag, col, hnorm, &name))
                continue;
            if (!*clause_cols && !(*clause_cols = calloc(1024 * max_cols, 1))) {
                sc->failed = 1;
                free(order);
                return;
            }
            (*clause_cols)[ti * max_cols + col] = 1;
            if (!order && !(order = cells_by_row(t))) {
                sc->failed = 1;
                return;
            }
            for (size_t i = 0; i < t->n_cells; i++) {
                const struct qms_cell *c = &t->cells[i];
                if (c->col != col || (has_header_flag ? c->header != 0 : c->row == 0))
                    continue;
                /* the other cells of the row: the title next to the number, and the documents named */
                char row[256] = "";
                const char *next = NULL;
                size_t o = 0;
                size_t lo = 0, hi = t->n_cells;
                while (lo < hi) { /* the row's first cell */
                    size_t mid = lo + (hi - lo) / 2;
                    if (order[mid]->row < c->row)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                for (size_t k = lo; k < t->n_cells && order[k]->row == c->row; k++) {
                    const struct qms_cell *d = order[k];
                    if (d == c)
                        continue;
                    if (d->col == col + 1)
                        next = d->text;
                    int n = snprintf(row + o, sizeof row - o, "%s%.120s", o ? " | " : "", d->text);
                    if (n < 0 || (size_t)n >= sizeof row - o) {
                        o = sizeof row - 1;
                        break;
                    }
                    o += (size_t)n;
                }
                bare_numbers(sc, c->text, strlen(c->text), SRC_TABLE, name, &c->loc, next, row);
            }
        }
        free(order);
    }
}

#define MAX_COLS 64

static int build_digest(struct scan *sc, uint32_t flags, const char *title, const char *id,
                        const struct qms_location *title_loc)
{
    struct iso_digest_header h;
    memset(&h, 0, sizeof h);
    h.magic = ISO_DIGEST_MAGIC;
    h.version = ISO_DIGEST_VERSION;
    h.doc_flags = flags;
    h.title_off = title ? pool_add(sc, title, strlen(title) > 200 ? 200 : strlen(title)) : 0;
    h.id_off = id ? pool_add(sc, id, strlen(id) > 100 ? 100 : strlen(id)) : 0;
    h.title_line = title_loc->line;
    h.title_column = title_loc->column;
    h.title_block = title_loc->block;
    if (sc->failed)
        return -1;
    h.n_entries = (uint32_t)sc->n_entries;
    h.pool_len = (uint32_t)sc->pool_len;
    size_t size = sizeof h + sc->n_entries * sizeof(struct iso_digest_entry) + sc->pool_len;
    unsigned char *blob = malloc(size);
    if (!blob)
        return -1;
    memcpy(blob, &h, sizeof h);
    if (sc->n_entries)
        memcpy(blob + sizeof h, sc->entries, sc->n_entries * sizeof(struct iso_digest_entry));
    memcpy(blob + sizeof h + sc->n_entries * sizeof(struct iso_digest_entry), sc->pool, sc->pool_len);
    int rc = sc->api->digest_put ? sc->api->digest_put(sc->host, blob, size) : 0;
    free(blob);
    return rc < 0 ? rc : 0;
}

static int iso_check_doc(void *state, const struct qms_host_api *api, struct qms_host *host, const struct qms_doc *doc)
{
    const struct iso_state *st = state;
    struct scan sc;
    int rc = -1;
    memset(&sc, 0, sizeof sc);
    sc.st = st;
    sc.api = api;
    sc.host = host;
    sc.doc = doc;
    /* norm_text writes at most len + 3 bytes and truncates nothing with 8 to spare; headings
       and titles are cut at 4096 bytes */
    size_t longest = 4096;
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].text_len > longest)
            longest = doc->blocks[i].text_len < SCAN_CAP ? doc->blocks[i].text_len : SCAN_CAP;
    sc.norm_cap = longest + 16;
    sc.norm = malloc(sc.norm_cap);
    sc.best = malloc((st->n_reqs * 3 + st->n_terms + 1) * sizeof *sc.best);
    unsigned char *clause_cols = NULL;
    size_t *stops = malloc((doc->n_blocks + 1) * sizeof *stops); /* scan_stop of each block */
    if (!sc.norm || !sc.best || !stops)
        goto out;
    sc.pool = malloc(1024);
    if (!sc.pool)
        goto out;
    sc.pool_cap = 1024;
    sc.pool[0] = '\0';
    sc.pool_len = 1;

    /* Era: does the document say it follows the previous edition? */
    int legacy_seen = 0, current_seen = 0;
    for (size_t i = 0; i < doc->n_properties; i++) {
        char n[128];
        const char *name = doc->properties[i].name ? doc->properties[i].name : "";
        norm_text(n, sizeof n, name, strlen(name));
        if (phrases_equal(&st->standard_props, n))
            scan_text(&sc, doc->properties[i].value, strlen(doc->properties[i].value), &doc->properties[i].loc,
                      SCAN_ERA, &legacy_seen, &current_seen, SIZE_MAX);
    }
    for (size_t i = 0; i < doc->n_blocks; i++) {
        if (skip_block(&doc->blocks[i]))
            continue;
        stops[i] = scan_stop(st, doc->blocks[i].text, doc->blocks[i].text_len);
        if (stops[i])
            scan_text(&sc, doc->blocks[i].text, doc->blocks[i].text_len, &doc->blocks[i].loc, SCAN_ERA, &legacy_seen,
                      &current_seen, stops[i]);
    }
    sc.era_2008 = legacy_seen > 0 && current_seen == 0;

    /* Properties: declarations, and citations / editions in any other value. */
    for (size_t i = 0; i < doc->n_properties; i++) {
        const struct qms_property *p = &doc->properties[i];
        char n[128];
        const char *name = p->name ? p->name : "";
        norm_text(n, sizeof n, name, strlen(name));
        if (phrases_equal(&st->decl_props, n))
            bare_numbers(&sc, p->value, strlen(p->value), SRC_PROPERTY, name, &p->loc, NULL, NULL);
        else
            scan_text(&sc, p->value, strlen(p->value), &p->loc, SCAN_FULL, NULL, NULL, SIZE_MAX);
    }

    struct qms_location title_loc;
    const char *title = doc_title(doc, &title_loc);
    const char *id = NULL;
    uint32_t flags = doc_flags(st, doc, title, &id);
    if (sc.era_2008)
        flags |= ISO_DOC_ERA_2008;
    if (title)
        shown_in(&sc, ISO_EV_SHOWN_TITLE, title, &title_loc, (flags & ISO_DOC_RECORD) != 0);

    scan_tables(&sc, &clause_cols, MAX_COLS);

    int in_scope = 0, in_exclusions = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if (skip_block(b))
            continue;
        if (clause_cols && b->kind == QMS_BLOCK_TABLE_CELL && b->table >= 0 && b->table < 1024 && b->col >= 0 &&
            b->col < MAX_COLS && clause_cols[(size_t)b->table * MAX_COLS + (size_t)b->col])
            continue; /* its numbers were read as the clause column */
        if (b->kind == QMS_BLOCK_HEADING || b->kind == QMS_BLOCK_TITLE) {
            size_t len = b->text_len > 4096 ? 4096 : b->text_len;
            norm_text(sc.norm, sc.norm_cap, b->text, len);
            in_exclusions = phrases_find(&st->exclusion_headings, sc.norm) >= 0;
            in_scope = in_exclusions || phrases_find(&st->scope_headings, sc.norm) >= 0;
            shown_in(&sc, ISO_EV_SHOWN_HEADING, b->text, &b->loc, 0);
        } else if (in_exclusions || (in_scope && ((flags & ISO_DOC_MANUAL) || sc.declares_scope))) {
            scan_exclusions(&sc, b);
        }
        if (stops[i])
            scan_text(&sc, b->text, b->text_len, &b->loc, SCAN_FULL, NULL, NULL, stops[i]);
        legacy_terms(&sc, b);
        if (sc.failed)
            goto out;
    }
    rc = build_digest(&sc, flags, title, id, &title_loc);
out:
    free(stops);
    free(sc.norm);
    free(sc.norm2);
    free(sc.best);
    free(sc.entries);
    free(sc.entry_slots);
    free(sc.pool);
    free(clause_cols);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* check_set: coverage per requirement */

static const char *req_name(const struct iso_req *q, char *buf, size_t cap)
{
    if (q->name)
        return q->name;
    snprintf(buf, cap, "%s", q->id);
    for (char *p = buf; *p; p++)
        if (*p == '-')
            *p = ' ';
    return buf;
}

/* The file name of path without its extension, as row_names looks it up: "" when there is
 * none or it is shorter than 3 bytes (too short to name a document). */
static void row_stem(const char *path, char *stem, size_t cap)
{
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : path;
    stem[0] = '\0';
    if (!base || !base[0])
        return;
    snprintf(stem, cap, "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    if (strlen(stem) < 3)
        stem[0] = '\0';
}

/* 1 when a table declaration's row names document d (by id, or by its file name's stem from
 * row_stem, computed once per document rather than once per row). */
static int row_names(const char *row, const char *id, const char *stem)
{
    if (!row || !row[0])
        return 0;
    if (id && id[0] && strstr(row, id))
        return 1;
    return stem[0] && strstr(row, stem) != NULL;
}

static int iso_check_set(void *state, const struct qms_host_api *api, struct qms_host *host, const struct qms_set *set)
{
    struct iso_state *st = state;
    run_free(st);
    size_t n = set->n_docs;
    const struct iso_digest_header **dg = run_alloc(st, (n + 1) * sizeof *dg);
    struct iso_coverage_item *items = run_alloc(st, (st->n_reqs + 1) * sizeof *items);
    if (!dg || !items)
        return -1;
    const char *fix_path = "";
    struct qms_location fix_loc;
    memset(&fix_loc, 0, sizeof fix_loc);
    for (size_t d = 0; d < n; d++) {
        size_t len = 0;
        const void *blob = api->digest_get(host, &set->docs[d], &len);
        dg[d] = iso_digest_header_of(blob, len);
        if (dg[d] && (dg[d]->doc_flags & ISO_DOC_MANUAL) && !fix_path[0]) {
            fix_path = set->docs[d].path;
            fix_loc.line = dg[d]->title_line ? dg[d]->title_line : 1;
            fix_loc.column = dg[d]->title_column ? dg[d]->title_column : 1;
            fix_loc.block = dg[d]->title_block;
        }
    }
    size_t any_docs = 0;
    for (size_t d = 0; d < n; d++)
        any_docs += dg[d] != NULL;

    /* The entries bucketed by requirement, in document then entry order: scanning every
     * entry of every document for each requirement, and again for each document that shows
     * it, is quadratic in the size of the set. */
    size_t *bucket = calloc(st->n_reqs + 2, sizeof *bucket);
    if (!bucket)
        return -1;
    size_t n_refs = 0;
    for (size_t d = 0; d < n; d++)
        for (size_t e = 0; dg[d] && e < dg[d]->n_entries; e++) {
            int32_t req = iso_digest_entry_at(dg[d], e)->requirement;
            if (req >= 0 && (size_t)req < st->n_reqs) {
                bucket[(size_t)req + 2]++;
                n_refs++;
            }
        }
    for (size_t r = 0; r < st->n_reqs; r++)
        bucket[r + 2] += bucket[r + 1];
    struct entry_ref {
        size_t d, e;
    } *refs = malloc((n_refs ? n_refs : 1) * sizeof *refs);
    if (!refs) {
        free(bucket);
        return -1;
    }
    for (size_t d = 0; d < n; d++)
        for (size_t e = 0; dg[d] && e < dg[d]->n_entries; e++) {
            int32_t req = iso_digest_entry_at(dg[d], e)->requirement;
            if (req >= 0 && (size_t)req < st->n_reqs) {
                struct entry_ref *ref = &refs[bucket[(size_t)req + 1]++];
                ref->d = d;
                ref->e = e;
            }
        }
    /* now bucket[r] .. bucket[r + 1] are requirement r's entries; and tables[table_from[r]
     * .. table_from[r + 1]] the places in refs of its mapping-table rows, in the same order:
     * walking all of r's entries for every document that shows r, to compare only the rows,
     * was quadratic (12 s of a 30,000-document set) */
    size_t *tables = malloc((n_refs ? n_refs : 1) * sizeof *tables);
    size_t *table_from = malloc((st->n_reqs + 1) * sizeof *table_from);
    if (!tables || !table_from) {
        free(tables);
        free(table_from);
        free(refs);
        free(bucket);
        return -1;
    }
    size_t n_tables = 0;
    for (size_t r = 0; r < st->n_reqs; r++) {
        table_from[r] = n_tables;
        for (size_t k = bucket[r]; k < bucket[r + 1]; k++)
            if (iso_digest_entry_at(dg[refs[k].d], refs[k].e)->kind == ISO_EV_DECLARED_TABLE)
                tables[n_tables++] = k;
    }
    table_from[st->n_reqs] = n_tables;
    size_t table_budget = (size_t)1 << 22; /* mapping-table rows compared, per set */

    for (size_t r = 0; r < st->n_reqs; r++) {
        const struct iso_req *q = &st->reqs[r];
        struct iso_coverage_item *it = &items[r];
        char namebuf[128];
        it->requirement = q->id;
        it->clause = q->clause;
        it->name = run_strdup(st, req_name(q, namebuf, sizeof namebuf));
        it->summary = q->summary;
        it->retain = q->retain;
        it->condition = q->condition;
        int excluded = 0, unjustified = 1;
        size_t n_ev = bucket[r + 1] - bucket[r];
        for (size_t k = bucket[r]; k < bucket[r + 1];) {
            size_t d = refs[k].d;
            int decl = 0, shown = 0;
            for (; k < bucket[r + 1] && refs[k].d == d; k++) {
                const struct iso_digest_entry *en = iso_digest_entry_at(dg[d], refs[k].e);
                if (en->kind >= ISO_EV_DECLARED_PROPERTY && en->kind <= ISO_EV_DECLARED_CITATION)
                    decl = 1;
                else if (en->kind >= ISO_EV_SHOWN_HEADING && en->kind <= ISO_EV_SHOWN_RECORD)
                    shown = 1;
                else if (en->kind == ISO_EV_EXCLUSION && !(en->flags & ISO_EX_NOT_EXCLUDABLE)) {
                    excluded = 1;
                    if (en->flags & ISO_EX_JUSTIFIED)
                        unjustified = 0;
                }
            }
            it->declared |= decl;
            it->shown |= shown;
            if (decl && shown && !it->covered_by)
                it->covered_by = set->docs[d].path;
            if (shown && !it->covered_by) {
                /* declared for this document by a mapping-table row elsewhere */
                const char *id = iso_digest_str(dg[d], dg[d]->id_off);
                char stem[256];
                if (table_from[r] < table_from[r + 1] && table_budget)
                    row_stem(set->docs[d].path, stem, sizeof stem);
                for (size_t x = table_from[r]; x < table_from[r + 1] && table_budget; x++) {
                    size_t m = tables[x];
                    const struct iso_digest_entry *en = iso_digest_entry_at(dg[refs[m].d], refs[m].e);
                    table_budget--;
                    if (row_names(iso_digest_str(dg[refs[m].d], en->words_off), id, stem)) {
                        it->covered_by = set->docs[d].path;
                        break;
                    }
                }
            }
        }
        if (it->covered_by)
            it->covered_by = run_strdup(st, it->covered_by);
        struct iso_cov_evidence *ev = run_alloc(st, (n_ev + 1) * sizeof *ev);
        if (!ev) {
            free(tables);
            free(table_from);
            free(refs);
            free(bucket);
            return -1;
        }
        const char *path_copy = NULL; /* of refs[k - 1].d: a document's entries are adjacent */
        for (size_t k = bucket[r]; k < bucket[r + 1]; k++) {
            size_t d = refs[k].d;
            const struct iso_digest_entry *en = iso_digest_entry_at(dg[d], refs[k].e);
            struct iso_cov_evidence *v = &ev[it->n_evidence++];
            if (!path_copy || refs[k - 1].d != d)
                path_copy = run_strdup(st, set->docs[d].path);
            v->path = path_copy;
            v->kind = en->kind;
            v->flags = en->flags;
            v->line = en->line;
            v->column = en->column;
            v->block = en->block;
            v->part = en->part_off ? run_strdup(st, iso_digest_str(dg[d], en->part_off)) : NULL;
            v->clause = run_strdup(st, iso_digest_str(dg[d], en->clause_off));
            v->text = run_strdup(st, iso_digest_str(dg[d], en->text_off));
            v->words = run_strdup(st, iso_digest_str(dg[d], en->words_off));
        }
        it->evidence = ev;
        if (excluded && q->excludable) {
            it->status = q->condition ? ISO_COV_NOT_APPLICABLE : ISO_COV_EXCLUDED;
            it->exclusion_unjustified = unjustified;
        } else if (it->covered_by) {
            it->status = ISO_COV_COVERED;
        } else if (it->declared || it->shown) {
            it->status = ISO_COV_WEAK;
        } else {
            it->status = ISO_COV_MISSING;
        }
        st->coverage.counts[it->status]++;

        if (!any_docs)
            continue;
        int weak_on = q->retain ? st->report_weak_rec : st->report_weak_doc;
        const char *rule = q->retain ? RULE_MISSING_REC : RULE_MISSING_DOC;
        struct qms_finding_desc f;
        char msg[512];
        memset(&f, 0, sizeof f);
        f.rule_id = rule;
        f.path = fix_path;
        f.loc = fix_loc;
        f.key = q->id;
        f.message = msg;
        if (it->status == ISO_COV_MISSING) {
            if (q->retain)
                snprintf(msg, sizeof msg, "no record, form or procedure section found for %s %s (retain)", q->clause,
                         it->name);
            else
                snprintf(msg, sizeof msg, "no documented information found for %s %s (maintain)", q->clause, it->name);
            api->report(host, &f);
        } else if (it->status == ISO_COV_WEAK && weak_on) {
            snprintf(msg, sizeof msg, "%s %s (%s) is only %s", q->clause, it->name, q->retain ? "retain" : "maintain",
                     it->declared ? "declared: no heading, title or record shows it"
                                  : "shown: no document declares the clause");
            api->report(host, &f);
        }
    }
    free(tables);
    free(table_from);
    free(refs);
    free(bucket);
    st->coverage.standard = st->standard;
    st->coverage.items = items;
    st->coverage.n_items = st->n_reqs;
    st->coverage.fix_path = run_strdup(st, fix_path);
    st->have_coverage = 1;
    return 0;
}

/* The coverage of the last check_set (see coverage.h). */
QMS_PLUGIN_EXPORT const struct iso_coverage *qms_iso9001_coverage(void *plugin_state);
QMS_PLUGIN_EXPORT const struct iso_coverage *qms_iso9001_coverage(void *plugin_state)
{
    struct iso_state *st = plugin_state;
    return st && st->have_coverage ? &st->coverage : NULL;
}

/* ------------------------------------------------------------------------------------------ */

static const struct qms_rule rules[] = {
    {RULE_MISSING_DOC, QMS_SEV_ERROR, "7.5.1",
     "a documented-information requirement to maintain (scope, policy, objectives ...) that no document covers",
     "ISO 9001:2015 requires some information to be maintained as documented information: the QMS scope (4.3), "
     "process information (4.4.2), the quality policy (5.2.2), quality objectives (6.2.1), production information "
     "(8.5.1). A requirement is covered when a document declares the clause (front matter, clause column, "
     "citation) and shows it (a heading or title). Add the document, or declare the clause in the one that has it.",
     0},
    {RULE_MISSING_REC, QMS_SEV_WARNING, "7.5.1",
     "a documented-information requirement to retain (records) with no form, record or procedure section",
     "Retained documented information (records) is evidence an auditor asks for: calibration (7.1.5.1), "
     "competence (7.2), requirements review (8.2.3.2), design (8.3), suppliers (8.4.1), release (8.6), "
     "nonconformity (8.7.2), monitoring (9.1.1), audit (9.2.2), management review (9.3.3), corrective action "
     "(10.2.2). Add a form or record, or a procedure section that provides for it.",
     0},
    {RULE_UNKNOWN, QMS_SEV_WARNING, NULL, "a citation of a clause that does not exist in ISO 9001:2015",
     "A citation such as \"clause 7.6\" or \"ISO 9001:2015 8.8\" points at nothing; where the number existed in "
     "ISO 9001:2008 the message names its old meaning and the 2015 counterpart.", 0},
    {RULE_LEGACY_CLAUSE, QMS_SEV_WARNING, NULL, "a clause cited in ISO 9001:2008 numbering",
     "\"4.2.3 Control of documents\" or \"ISO 9001:2008 8.2.2\" uses the numbering of the withdrawn edition; the "
     "message names the ISO 9001:2015 clauses to cite instead.", 0},
    {RULE_LEGACY_TERM, QMS_SEV_INFO, NULL, "ISO 9001:2008 vocabulary in a 2015 document set",
     "Terms such as \"preventive action\", \"management representative\" or \"documented procedure\" are not "
     "used by ISO 9001:2015; the message gives the 2015 wording.", 0},
    {RULE_EXCLUSION, QMS_SEV_WARNING, "4.3",
     "the scope excludes a requirement without a justification, or one that cannot be excluded",
     "ISO 9001:2015 4.3 lets a requirement be determined not applicable only with a justification, and only "
     "when it does not affect conformity of products and services or customer satisfaction.", 0},
    {RULE_EDITION, QMS_SEV_WARNING, NULL, "a cited edition of a standard that does not exist",
     "\"ISO 9001:2016\" or \"ISO 13485:2015\" names an edition that was never published: usually a typo or a "
     "confusion with another standard.", 0},
};

static const struct qms_plugin descriptor = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "iso9001",
    .version = QMS_VERSION,
    .description = "ISO 9001:2015 documented-information coverage, clause citations, legacy numbering and terms, "
                   "scope exclusions, cited editions",
    .rules = rules,
    .n_rules = sizeof rules / sizeof rules[0],
    .init = iso_init,
    .check_doc = iso_check_doc,
    .check_set = iso_check_set,
    .fini = iso_fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &descriptor; }
