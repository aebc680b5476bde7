/*
 * Literal prefilter for the placeholder patterns. Most blocks match none of them, yet PCRE2
 * (even JIT-compiled) tries each pattern at every position where its first character occurs:
 * a 't' starts a TBD attempt, any word start a "\b(?:insert|enter|...)" one. At init each
 * pattern is reduced to a set of literal strings one of which every match must contain
 * (TBD: "tbd", "t.bd", "tb.d", "t.b.d"); at check time one pass over a block finds which
 * patterns' literals occur, and only those patterns are handed to PCRE2.
 *
 * The reduction is conservative: any construct it does not fully understand (inline options,
 * \Q..\E, backreferences, \x escapes, POSIX classes, verbs ...) gives "nothing known", and the
 * pattern then runs on every block as before. Caseless patterns fold ASCII letters and know
 * the three non-ASCII code points PCRE2's UCP case folding ties to ASCII or Latin-1 letters
 * (U+017F long s, U+212A Kelvin sign, U+212B Angstrom sign): see the unit tests, which check
 * that against PCRE2 itself.
 *
 * Built into the structure plugin only; the tests include prefilter.c directly.
 */
#ifndef STRUCTURE_PREFILTER_H
#define STRUCTURE_PREFILTER_H

#include <stddef.h>

#define PF_STR_MAX 24 /* bytes of one literal */
#define PF_SET_MAX 48 /* literals in one set */

struct pf_str {
    unsigned char len;
    char s[PF_STR_MAX];
};

/* Literals; `caseless` ones are stored with ASCII letters in lower case. */
struct pf_set {
    size_t n;
    struct pf_str items[PF_SET_MAX];
};

/*
 * Fills *out with literals one of which occurs in every match of `pattern` (compiled by the
 * host with PCRE2_UTF | PCRE2_UCP, and PCRE2_CASELESS when `caseless`). Returns 1 when such a
 * set was found, 0 when nothing is known (every text may match). Pure; no allocation.
 */
int pf_required(const char *pattern, int caseless, struct pf_set *out);

#define PF_GROUP_SLOW 255

struct pf_needle {
    size_t pattern;
    int caseless;
    unsigned char len;
    unsigned char anchor;         /* offset of its rarest byte pair, where the scan looks for it */
    unsigned char s[PF_STR_MAX];
};

/* All patterns' literals, indexed for one pass over a text. Read-only once built. */
struct pf_index {
    size_t n_patterns;
    unsigned char *always;        /* [n_patterns]: 1 when the pattern has no prefilter */
    size_t n_filtered;            /* patterns with a prefilter */
    struct pf_needle *needles;    /* sorted by folded anchor */
    size_t n_needles, cap_needles;
    unsigned char *pairs;         /* [65536] by two text bytes: 0 no needle is anchored there,
                                     else its group, or PF_GROUP_SLOW: look the key up */
    size_t group_start[PF_GROUP_SLOW + 1], group_end[PF_GROUP_SLOW + 1];
    unsigned char singles[256];   /* 1: a one-byte needle is this byte */
};

/* An empty index for n_patterns patterns, all without a prefilter. 0, or -1 out of memory. */
int pf_index_init(struct pf_index *ix, size_t n_patterns);

/* Gives pattern `pattern` the prefilter `set` (from pf_required with the same `caseless`). */
int pf_index_add(struct pf_index *ix, size_t pattern, const struct pf_set *set, int caseless);

/* Sorts and indexes the needles; call once after the last pf_index_add. 0, or -1 out of
   memory. */
int pf_index_build(struct pf_index *ix);

/* may[p] = 1 for every pattern p that may match text[0..len), 0 for those that cannot.
   Thread-safe on a built index. */
void pf_index_scan(const struct pf_index *ix, const char *text, size_t len, unsigned char *may);

void pf_index_free(struct pf_index *ix);

#endif
