/* Literal prefilter for PCRE2 patterns (see prefilter.h for what and why). */
#include "prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PF_DEPTH_MAX 16   /* group nesting followed; deeper patterns get no prefilter */
#define PF_CLASS_MAX 16   /* characters of a class kept as literals */
#define PF_REPEAT_MAX 1000

static unsigned char fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* ------------------------------------------------------------------------------------------ */
/* Sets of literals */

/* exact: `set` is every string the node can match (possibly ""). Otherwise every match
   contains one of `set`, and an empty set means nothing is known. */
struct pf_info {
    int exact;
    struct pf_set set;
};

/*
 * Rough occurrences of a byte per 10,000 bytes of prose (English letter frequencies; capitals,
 * digits and brackets rare). Each literal is looked for through its rarest byte, its anchor:
 * the scan only stops at anchor bytes, so the literals chosen are those with rare anchors.
 */
static unsigned byte_frequency(unsigned char c)
{
    static const unsigned short lower[26] = {
        650, 120, 230, 350, 1000, 180, 160, 500, 570, 10, 60, 330, 200,
        560, 620, 150, 8, 480, 510, 750, 220, 80, 190, 15, 160, 6};
    if (c >= 'a' && c <= 'z')
        return lower[c - 'a'];
    if (c >= 'A' && c <= 'Z')
        return lower[c - 'A'] / 20 + 1;
    if (c == ' ')
        return 1800;
    if (c == '.' || c == ',')
        return 100;
    if (c >= '0' && c <= '9')
        return 40;
    if (c == '-' || c == '\n')
        return 30;
    if (c >= 0x80)
        return 20;
    return 5;
}

/* How often the byte c of a literal occurs, both cases counted when caseless. */
static unsigned char_frequency(unsigned char c, int caseless)
{
    unsigned f = byte_frequency(c);
    if (caseless && c >= 'a' && c <= 'z')
        f += byte_frequency((unsigned char)(c - 32));
    return f;
}

/* Common letter pairs of English, German, French and Spanish prose, commonest first. */
static const char common_pairs[] =
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le "
    "ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec "
    "pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na "
    "ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab "
    "gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa "
    "ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi "
    "rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip "
    "ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa "
    "eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bs ik dd cy rp sk xi oe oy ws lv dl rf eu "
    "dg wr xa yi nm eb rb tm xc eh tc gy ja hn yp za ";

/* How often two adjacent bytes occur per 10,000 text positions, roughly. */
static double pair_frequency(unsigned char a, unsigned char b, int caseless)
{
    double f = char_frequency(a, caseless) * (double)char_frequency(b, caseless) / 10000.0;
    unsigned char la = fold(a), lb = fold(b);
    if (la >= 'a' && la <= 'z' && lb >= 'a' && lb <= 'z') {
        for (size_t i = 0; i + 1 < sizeof common_pairs - 1; i += 3)
            if (common_pairs[i] == la && common_pairs[i + 1] == lb) {
                double common = 300.0 - (double)i / 3.0; /* by rank */
                return common > f ? common : f;
            }
    }
    return f;
}

/*
 * A literal's anchor: the two adjacent bytes (its only byte, for a one-byte literal) the scan
 * looks for, the pair least often found in text. Returns its offset; *out_frequency how often
 * it occurs per 10,000 text positions.
 */
static unsigned char anchor_of(const char *s, size_t len, int caseless, double *out_frequency)
{
    unsigned char best = 0;
    double best_freq = char_frequency((unsigned char)s[0], caseless);
    for (size_t k = 0; k + 1 < len; k++) {
        double f = pair_frequency((unsigned char)s[k], (unsigned char)s[k + 1], caseless);
        if (k == 0 || f < best_freq) {
            best_freq = f;
            best = (unsigned char)k;
        }
    }
    if (out_frequency)
        *out_frequency = best_freq;
    return best;
}

struct pf_parser {
    const unsigned char *p;
    int caseless;
    int depth;
    int bail; /* a construct we do not follow: the whole pattern gets no prefilter */
};



static void info_none(struct pf_info *i)
{
    i->exact = 0;
    i->set.n = 0;
}

static void info_empty_string(struct pf_info *i)
{
    i->exact = 1;
    i->set.n = 1;
    i->set.items[0].len = 0;
}

static int set_has(const struct pf_set *s, const char *b, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].len == len && memcmp(s->items[i].s, b, len) == 0)
            return 1;
    return 0;
}

/* Adds a string unless present. 0, or -1 when the set is full or the string too long. */
static int set_add(struct pf_set *s, const char *b, size_t len)
{
    if (len > PF_STR_MAX)
        return -1;
    if (set_has(s, b, len))
        return 0;
    if (s->n == PF_SET_MAX)
        return -1;
    s->items[s->n].len = (unsigned char)len;
    memcpy(s->items[s->n].s, b, len);
    s->n++;
    return 0;
}

static int set_union(struct pf_set *out, const struct pf_set *a, const struct pf_set *b)
{
    struct pf_set r;
    r.n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (set_add(&r, a->items[i].s, a->items[i].len) < 0)
            return -1;
    for (size_t i = 0; i < b->n; i++)
        if (set_add(&r, b->items[i].s, b->items[i].len) < 0)
            return -1;
    *out = r;
    return 0;
}

/* Every concatenation of a string of a with one of b. */
static int set_cross(struct pf_set *out, const struct pf_set *a, const struct pf_set *b)
{
    struct pf_set r;
    r.n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            size_t la = a->items[i].len, lb = b->items[j].len;
            char buf[2 * PF_STR_MAX];
            if (la + lb > PF_STR_MAX)
                return -1;
            memcpy(buf, a->items[i].s, la);
            memcpy(buf + la, b->items[j].s, lb);
            if (set_add(&r, buf, la + lb) < 0)
                return -1;
        }
    *out = r;
    return 0;
}

/* The literals one of which every match contains (empty: nothing known). */
static void info_required(const struct pf_info *i, struct pf_set *out)
{
    *out = i->set;
    if (!i->exact)
        return;
    for (size_t k = 0; k < out->n; k++)
        if (out->items[k].len == 0)
            out->n = 0; /* the node may match "": it requires nothing */
}

/* The odds that a literal's next byte matches the text: letters of words come in runs (one
   in four, not their frequency), punctuation and brackets rarely. */
static double found_odds(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 0.25;
    if (c == ' ')
        return 0.2;
    if (c >= 0x80 || (c >= '0' && c <= '9'))
        return 0.05;
    return byte_frequency(c) / 10000.0;
}

/*
 * Lower is better. The scan stops at each anchor (per 10,000 bytes of text) and a literal
 * found costs a PCRE2 run over the block: "por" occurs in "report", "definir" hardly anywhere.
 */
static double set_cost(const struct pf_set *s, int caseless)
{
    double cost = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct pf_str *str = &s->items[i];
        double found = 1e7, stops;
        for (size_t k = 0; k < str->len; k++)
            found *= found_odds((unsigned char)str->s[k]);
        if (str->len == 0)
            return 1e30;
        anchor_of(str->s, str->len, caseless, &stops);
        cost += stops + found + 1;
    }
    return cost;
}

static void keep_better(struct pf_set *best, const struct pf_set *candidate, int caseless)
{
    if (candidate->n == 0)
        return;
    if (best->n == 0 || set_cost(candidate, caseless) < set_cost(best, caseless))
        *best = *candidate;
}

/* ------------------------------------------------------------------------------------------ */
/* Characters */

static size_t utf8_decode(const unsigned char *s, uint32_t *out_cp)
{
    if (s[0] < 0x80) {
        *out_cp = s[0];
        return 1;
    }
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (n == 0)
        return 0;
    uint32_t cp = s[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    *out_cp = cp;
    return n;
}

static size_t utf8_encode(uint32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Adds to *out every string that one character `cp` of the pattern matches. Caseless, PCRE2's
 * UCP folding ties 'k' to U+212A and 's' to U+017F, and the Latin-1 letters pairwise (bit 0x20)
 * except 'å', tied to U+212B too (left out here), and 'ß' (U+1E9E). Returns 0, or -1 when the
 * character's strings are unknown or do not fit.
 */
static int char_strings(uint32_t cp, int caseless, struct pf_set *out)
{
    char b[4];
    if (!caseless || cp > 0xFF) {
        if (caseless && cp >= 0x80)
            return -1; /* case partners unknown here */
        return set_add(out, b, utf8_encode(cp, b));
    }
    if (cp < 0x80) {
        unsigned char c = fold((unsigned char)cp);
        b[0] = (char)c;
        if (set_add(out, b, 1) < 0)
            return -1;
        if (c == 'k')
            return set_add(out, "\xE2\x84\xAA", 3);
        if (c == 's')
            return set_add(out, "\xC5\xBF", 2);
        return 0;
    }
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xDF || cp == 0xC5 || cp == 0xE5 || cp == 0xFF)
        return -1;
    if (set_add(out, b, utf8_encode(cp, b)) < 0)
        return -1;
    return set_add(out, b, utf8_encode(cp ^ 0x20u, b));
}

static void info_char(struct pf_parser *pp, uint32_t cp, struct pf_info *out)
{
    out->exact = 1;
    out->set.n = 0;
    if (char_strings(cp, pp->caseless, &out->set) < 0)
        info_none(out);
}

static int is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The character of "\n", "\t" ... (letters only), or 0. */
static uint32_t control_escape(unsigned char d)
{
    switch (d) {
    case 'a': return 0x07;
    case 'e': return 0x1B;
    case 'f': return 0x0C;
    case 'n': return 0x0A;
    case 'r': return 0x0D;
    case 't': return 0x09;
    default: return 0;
    }
}

/* Skips "\p{...}" / "\pL" after the 'p'. */
static void skip_property(struct pf_parser *pp)
{
    if (*pp->p == '{') {
        const unsigned char *end = (const unsigned char *)strchr((const char *)pp->p, '}');
        if (!end) {
            pp->bail = 1;
            return;
        }
        pp->p = end + 1;
    } else if (*pp->p) {
        pp->p++;
    } else {
        pp->bail = 1;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The pattern */

static void parse_alt(struct pf_parser *pp, struct pf_info *out);

/* [...]: a short class of known characters is a set of one-character strings. */
static void parse_class(struct pf_parser *pp, struct pf_info *out)
{
    uint32_t members[PF_CLASS_MAX];
    size_t n = 0;
    int known = 1, negated = 0, first = 1;
    if (*pp->p == '^') {
        negated = 1;
        pp->p++;
    }
    for (;;) {
        unsigned char c = *pp->p;
        uint32_t lo, hi;
        if (c == '\0') {
            pp->bail = 1;
            return;
        }
        if (c == ']' && !first) {
            pp->p++;
            break;
        }
        first = 0;
        if (c == '[' && (pp->p[1] == ':' || pp->p[1] == '.' || pp->p[1] == '=')) {
            pp->bail = 1; /* POSIX class */
            return;
        }
        int is_set = 0; /* \d, \w, \p{..}: a class of its own */
        if (c == '\\') {
            unsigned char d = pp->p[1];
            if (d != '\0' && d < 0x80 && !is_alnum_ascii(d)) {
                lo = d;
                pp->p += 2;
            } else if (control_escape(d)) {
                lo = control_escape(d);
                pp->p += 2;
            } else if (d != '\0' && strchr("dDwWsShHvV", d)) {
                pp->p += 2;
                is_set = 1;
            } else if (d == 'p' || d == 'P') {
                pp->p += 2;
                skip_property(pp);
                if (pp->bail)
                    return;
                is_set = 1;
            } else {
                pp->bail = 1;
                return;
            }
        } else {
            size_t len = utf8_decode(pp->p, &lo);
            if (len == 0) {
                pp->bail = 1;
                return;
            }
            pp->p += len;
        }
        if (is_set) {
            known = 0;
            continue;
        }
        hi = lo;
        if (*pp->p == '-' && pp->p[1] != ']' && pp->p[1] != '\0') {
            unsigned char d = pp->p[1];
            if (d == '\\') {
                unsigned char e = pp->p[2];
                if (e == '\0' || e >= 0x80 || is_alnum_ascii(e)) {
                    pp->bail = 1;
                    return;
                }
                hi = e;
                pp->p += 3;
            } else if (d == '[') {
                pp->bail = 1;
                return;
            } else {
                size_t len = utf8_decode(pp->p + 1, &hi);
                if (len == 0) {
                    pp->bail = 1;
                    return;
                }
                pp->p += 1 + len;
            }
            if (hi < lo) {
                pp->bail = 1;
                return;
            }
        }
        for (uint32_t ch = lo; known && ch <= hi; ch++) {
            if (n == PF_CLASS_MAX)
                known = 0;
            else
                members[n++] = ch;
        }
    }
    if (negated || !known) {
        info_none(out);
        return;
    }
    out->exact = 1;
    out->set.n = 0;
    for (size_t i = 0; i < n; i++)
        if (char_strings(members[i], pp->caseless, &out->set) < 0) {
            info_none(out);
            return;
        }
}

/* \x after the backslash. */
static void parse_escape(struct pf_parser *pp, struct pf_info *out)
{
    unsigned char d = *pp->p;
    if (d == '\0' || d >= 0x80) {
        pp->bail = 1;
        return;
    }
    pp->p++;
    if (!is_alnum_ascii(d)) {
        info_char(pp, d, out);
    } else if (control_escape(d)) {
        info_char(pp, control_escape(d), out);
    } else if (strchr("bBAzZGK", d)) {
        info_empty_string(out); /* zero-width */
    } else if (strchr("dDwWsShHvVRX", d)) {
        info_none(out);
    } else if (d == 'N' && *pp->p != '{') {
        info_none(out);
    } else if (d == 'p' || d == 'P') {
        skip_property(pp);
        info_none(out);
    } else {
        pp->bail = 1; /* \Q, \x, \1, \g, \k, \c, \n ...: not followed */
    }
}

static void parse_group(struct pf_parser *pp, struct pf_info *out)
{
    int look = 0;
    const unsigned char *p = pp->p;
    if (p[0] == '*') {
        pp->bail = 1;
        return;
    }
    if (p[0] == '?') {
        if (p[1] == ':' || p[1] == '>') {
            pp->p += 2;
        } else if (p[1] == '=' || p[1] == '!') {
            pp->p += 2;
            look = 1;
        } else if (p[1] == '<' && (p[2] == '=' || p[2] == '!')) {
            pp->p += 3;
            look = 1;
        } else if ((p[1] == '<' || (p[1] == 'P' && p[2] == '<') || p[1] == '\'')) {
            /* named group: (?<name>...), (?P<name>...), (?'name'...) */
            char close = p[1] == '\'' ? '\'' : '>';
            const char *end = strchr((const char *)p + 2, close);
            if (!end) {
                pp->bail = 1;
                return;
            }
            pp->p = (const unsigned char *)end + 1;
        } else {
            pp->bail = 1; /* options, conditions, recursion, comments ... */
            return;
        }
    }
    if (++pp->depth > PF_DEPTH_MAX) {
        pp->bail = 1;
        return;
    }
    parse_alt(pp, out);
    pp->depth--;
    if (pp->bail)
        return;
    if (*pp->p != ')') {
        pp->bail = 1;
        return;
    }
    pp->p++;
    if (look)
        info_empty_string(out);
}

static void parse_atom(struct pf_parser *pp, struct pf_info *out)
{
    unsigned char c = *pp->p;
    switch (c) {
    case '(':
        pp->p++;
        parse_group(pp, out);
        return;
    case '[':
        pp->p++;
        parse_class(pp, out);
        return;
    case '\\':
        pp->p++;
        parse_escape(pp, out);
        return;
    case '.':
        pp->p++;
        info_none(out);
        return;
    case '^':
    case '$':
        pp->p++;
        info_empty_string(out);
        return;
    case '*':
    case '+':
    case '?':
    case '{':
    case '}':
    case ']':
        pp->bail = 1;
        return;
    default: {
        uint32_t cp;
        size_t len = utf8_decode(pp->p, &cp);
        if (len == 0) {
            pp->bail = 1;
            return;
        }
        pp->p += len;
        info_char(pp, cp, out);
    }
    }
}

static int parse_count(struct pf_parser *pp, long *out)
{
    long v = 0;
    if (*pp->p < '0' || *pp->p > '9')
        return -1;
    while (*pp->p >= '0' && *pp->p <= '9') {
        v = v * 10 + (*pp->p - '0');
        if (v > 65535)
            return -1;
        pp->p++;
    }
    *out = v;
    return 0;
}

/* A quantifier after an atom: 0 and min/max (max -1: unbounded), 1 when there is none. */
static int parse_quantifier(struct pf_parser *pp, long *out_min, long *out_max)
{
    switch (*pp->p) {
    case '?':
        *out_min = 0, *out_max = 1;
        break;
    case '*':
        *out_min = 0, *out_max = -1;
        break;
    case '+':
        *out_min = 1, *out_max = -1;
        break;
    case '{':
        pp->p++;
        if (parse_count(pp, out_min) < 0) {
            pp->bail = 1; /* "{,n}" or a literal brace: meaning differs between versions */
            return 1;
        }
        *out_max = *out_min;
        if (*pp->p == ',') {
            pp->p++;
            *out_max = -1;
            if (*pp->p != '}' && parse_count(pp, out_max) < 0) {
                pp->bail = 1;
                return 1;
            }
        }
        if (*pp->p != '}') {
            pp->bail = 1;
            return 1;
        }
        break;
    default:
        return 1;
    }
    pp->p++;
    if (*pp->p == '+' || *pp->p == '?')
        pp->p++; /* possessive, lazy */
    return 0;
}

static void apply_quantifier(struct pf_info *item, long min, long max)
{
    if (min == 0) {
        struct pf_set empty;
        empty.n = 1;
        empty.items[0].len = 0;
        if (!item->exact || max != 1 || set_union(&item->set, &item->set, &empty) < 0)
            info_none(item);
        return;
    }
    if (!item->exact)
        return; /* still required at least once */
    /* min copies in a row are in every match; as many as fit are kept */
    struct pf_set power = item->set;
    long k = 1;
    for (; k < min && k < PF_REPEAT_MAX; k++) {
        struct pf_set next;
        if (set_cross(&next, &power, &item->set) < 0)
            break;
        power = next;
    }
    if (k == min && max == min) {
        item->set = power;
        return;
    }
    item->exact = 0;
    struct pf_info as_exact = {1, power};
    info_required(&as_exact, &item->set);
}

/* A sequence of atoms up to '|', ')' or the end. */
static void parse_seq(struct pf_parser *pp, struct pf_info *out)
{
    struct pf_info run;  /* exact strings of the atoms since the last break */
    struct pf_set best;  /* the best literals of what came before */
    int broken = 0;
    info_empty_string(&run);
    best.n = 0;
    while (*pp->p && *pp->p != '|' && *pp->p != ')') {
        struct pf_info item;
        long min, max;
        parse_atom(pp, &item);
        if (pp->bail)
            return;
        if (parse_quantifier(pp, &min, &max) == 0)
            apply_quantifier(&item, min, max);
        if (pp->bail)
            return;
        if (*pp->p == '?' || *pp->p == '*' || *pp->p == '+' || *pp->p == '{') {
            pp->bail = 1;
            return;
        }
        struct pf_set req;
        if (item.exact) {
            struct pf_set joined;
            if (set_cross(&joined, &run.set, &item.set) == 0) {
                run.set = joined;
                continue;
            }
            info_required(&run, &req);
            keep_better(&best, &req, pp->caseless);
            run = item;
            broken = 1;
            continue;
        }
        info_required(&run, &req);
        keep_better(&best, &req, pp->caseless);
        keep_better(&best, &item.set, pp->caseless);
        info_empty_string(&run);
        broken = 1;
    }
    if (!broken) {
        *out = run;
        return;
    }
    struct pf_set req;
    info_required(&run, &req);
    keep_better(&best, &req, pp->caseless);
    out->exact = 0;
    out->set = best;
}

static void parse_alt(struct pf_parser *pp, struct pf_info *out)
{
    parse_seq(pp, out);
    while (!pp->bail && *pp->p == '|') {
        struct pf_info next;
        pp->p++;
        parse_seq(pp, &next);
        if (pp->bail)
            return;
        if (out->exact && next.exact && set_union(&out->set, &out->set, &next.set) == 0)
            continue;
        struct pf_set a, b;
        info_required(out, &a);
        info_required(&next, &b);
        out->exact = 0;
        if (a.n == 0 || b.n == 0 || set_union(&out->set, &a, &b) < 0)
            out->set.n = 0; /* one branch requires nothing, or too many literals */
    }
}

int pf_required(const char *pattern, int caseless, struct pf_set *out)
{
    struct pf_parser pp = {(const unsigned char *)pattern, caseless != 0, 0, 0};
    struct pf_info info;
    out->n = 0;
    if (!pattern)
        return 0;
    parse_alt(&pp, &info);
    if (pp.bail || *pp.p != '\0')
        return 0; /* not followed, or a stray ')' */
    info_required(&info, out);
    return out->n > 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The index */

int pf_index_init(struct pf_index *ix, size_t n_patterns)
{
    memset(ix, 0, sizeof *ix);
    ix->n_patterns = n_patterns;
    ix->always = malloc(n_patterns ? n_patterns : 1);
    if (!ix->always)
        return -1;
    memset(ix->always, 1, n_patterns);
    return 0;
}

int pf_index_add(struct pf_index *ix, size_t pattern, const struct pf_set *set, int caseless)
{
    if (pattern >= ix->n_patterns || !ix->always[pattern] || set->n == 0)
        return 0;
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i].len == 0)
            return 0; /* "" occurs everywhere */
    if (ix->n_needles + set->n > ix->cap_needles) {
        size_t cap = (ix->n_needles + set->n) * 2;
        struct pf_needle *grown = realloc(ix->needles, cap * sizeof *grown);
        if (!grown)
            return -1;
        ix->needles = grown;
        ix->cap_needles = cap;
    }
    for (size_t i = 0; i < set->n; i++) {
        struct pf_needle *nd = &ix->needles[ix->n_needles++];
        nd->pattern = pattern;
        nd->caseless = caseless != 0;
        nd->len = set->items[i].len;
        memcpy(nd->s, set->items[i].s, nd->len);
        nd->anchor = anchor_of((const char *)nd->s, nd->len, nd->caseless, NULL);
    }
    ix->always[pattern] = 0;
    ix->n_filtered++;
    return 0;
}

/* Folded anchor pair; one-byte needles have PF_SINGLE as their second byte. */
#define PF_SINGLE 0x100u
static unsigned needle_key(const struct pf_needle *nd)
{
    unsigned b0 = fold(nd->s[nd->anchor]);
    return nd->len == 1 ? b0 << 9 | PF_SINGLE : b0 << 9 | fold(nd->s[nd->anchor + 1]);
}

static int needle_cmp(const void *a, const void *b)
{
    const struct pf_needle *x = a, *y = b;
    unsigned kx = needle_key(x), ky = needle_key(y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    if (x->pattern != y->pattern)
        return x->pattern < y->pattern ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->s, y->s, x->len);
}

/* The byte itself and, for a caseless ASCII letter, its capital. */
static size_t case_variants(unsigned char c, int caseless, unsigned char *out)
{
    out[0] = c;
    if (caseless && c >= 'a' && c <= 'z') {
        out[1] = (unsigned char)(c - 32);
        return 2;
    }
    return 1;
}

/* The index of the pair b0 b1 in pf_index.pairs: the two bytes as a native 16-bit load reads
   them, so the scan needs one load per position. */
static unsigned pair_index(unsigned char b0, unsigned char b1)
{
    unsigned char two[2] = {b0, b1};
    uint16_t w;
    memcpy(&w, two, 2);
    return w;
}

static unsigned pair_at(const unsigned char *t)
{
    uint16_t w;
    memcpy(&w, t, 2);
    return w;
}

int pf_index_build(struct pf_index *ix)
{
    if (!ix->pairs) {
        ix->pairs = malloc(65536);
        if (!ix->pairs)
            return -1;
    }
    memset(ix->pairs, 0, 65536);
    memset(ix->singles, 0, sizeof ix->singles);
    if (ix->n_needles)
        qsort(ix->needles, ix->n_needles, sizeof *ix->needles, needle_cmp);
    unsigned groups = 0;
    for (size_t start = 0, end; start < ix->n_needles; start = end) {
        unsigned key = needle_key(&ix->needles[start]);
        for (end = start; end < ix->n_needles && needle_key(&ix->needles[end]) == key; end++)
            ;
        if (key & PF_SINGLE) { /* one-byte needles: the slow path checks them */
            for (size_t k = start; k < end; k++) {
                unsigned char v[2];
                size_t nv = case_variants(ix->needles[k].s[0], ix->needles[k].caseless, v);
                for (size_t i = 0; i < nv; i++) {
                    ix->singles[v[i]] = 1;
                    for (unsigned next = 0; next < 256; next++)
                        ix->pairs[pair_index(v[i], (unsigned char)next)] = PF_GROUP_SLOW;
                }
            }
            continue;
        }
        /* the needles of one anchor pair get a group while there are numbers left */
        unsigned char group = PF_GROUP_SLOW;
        if (groups + 1 < PF_GROUP_SLOW) {
            group = (unsigned char)++groups;
            ix->group_start[group] = start;
            ix->group_end[group] = end;
        }
        for (size_t k = start; k < end; k++) {
            const struct pf_needle *nd = &ix->needles[k];
            unsigned char v0[2], v1[2];
            size_t n0 = case_variants(nd->s[nd->anchor], nd->caseless, v0);
            size_t n1 = case_variants(nd->s[nd->anchor + 1], nd->caseless, v1);
            for (size_t i = 0; i < n0; i++)
                for (size_t j = 0; j < n1; j++) {
                    unsigned char *cell = &ix->pairs[pair_index(v0[i], v1[j])];
                    *cell = *cell == 0 || *cell == group ? group : PF_GROUP_SLOW;
                }
        }
    }
    return 0;
}

static int needle_at(const struct pf_needle *nd, const unsigned char *t)
{
    if (!nd->caseless)
        return memcmp(nd->s, t, nd->len) == 0;
    for (size_t i = 0; i < nd->len; i++)
        if (fold(t[i]) != nd->s[i])
            return 0;
    return 1;
}

/* Verifies the needles whose key is `key` at anchor position i; returns how many patterns
   it newly allows. */
static size_t check_key(const struct pf_index *ix, unsigned key, const unsigned char *t, size_t len,
                        size_t i, unsigned char *may)
{
    size_t lo = 0, hi = ix->n_needles, found = 0;
    while (lo < hi) { /* the first needle with this key */
        size_t mid = lo + (hi - lo) / 2;
        if (needle_key(&ix->needles[mid]) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < ix->n_needles && needle_key(&ix->needles[k]) == key; k++) {
        const struct pf_needle *nd = &ix->needles[k];
        if (may[nd->pattern] || i < nd->anchor || i - nd->anchor + nd->len > len)
            continue;
        if (needle_at(nd, t + i - nd->anchor)) {
            may[nd->pattern] = 1;
            found++;
        }
    }
    return found;
}

static size_t check_at(const struct pf_index *ix, const unsigned char *t, size_t len, size_t i,
                       unsigned char *may)
{
    unsigned b0 = fold(t[i]);
    size_t found = 0;
    unsigned group = i + 1 < len ? ix->pairs[pair_at(t + i)] : PF_GROUP_SLOW;
    if (group != PF_GROUP_SLOW) { /* the needles of one anchor pair */
        for (size_t k = ix->group_start[group]; k < ix->group_end[group]; k++) {
            const struct pf_needle *nd = &ix->needles[k];
            if (may[nd->pattern] || i < nd->anchor || i - nd->anchor + nd->len > len)
                continue;
            if (needle_at(nd, t + i - nd->anchor)) {
                may[nd->pattern] = 1;
                found++;
            }
        }
        return found;
    }
    if (ix->singles[t[i]])
        found += check_key(ix, b0 << 9 | PF_SINGLE, t, len, i, may);
    if (i + 1 < len)
        found += check_key(ix, b0 << 9 | fold(t[i + 1]), t, len, i, may);
    return found;
}

void pf_index_scan(const struct pf_index *ix, const char *text, size_t len, unsigned char *may)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *pairs = ix->pairs;
    size_t left = ix->n_filtered, i = 0;
    memcpy(may, ix->always, ix->n_patterns);
    if (!pairs || len == 0)
        return;
    while (left > 0) {
        /* to the next anchor pair, eight positions at a time while there is none */
        while (i + 9 <= len &&
               !(pairs[pair_at(t + i)] | pairs[pair_at(t + i + 1)] | pairs[pair_at(t + i + 2)] |
                 pairs[pair_at(t + i + 3)] | pairs[pair_at(t + i + 4)] | pairs[pair_at(t + i + 5)] |
                 pairs[pair_at(t + i + 6)] | pairs[pair_at(t + i + 7)]))
            i += 8;
        while (i + 1 < len && !pairs[pair_at(t + i)])
            i++;
        if (i + 1 >= len)
            break;
        left -= check_at(ix, t, len, i, may);
        i++;
    }
    /* the last byte has no pair: only a one-byte needle can start there */
    if (left > 0 && ix->singles[t[len - 1]])
        check_at(ix, t, len, len - 1, may);
}

void pf_index_free(struct pf_index *ix)
{
    free(ix->always);
    free(ix->needles);
    free(ix->pairs);
    ix->always = NULL;
    ix->needles = NULL;
    ix->pairs = NULL;
}
