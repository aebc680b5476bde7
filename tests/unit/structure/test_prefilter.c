/*
 * The placeholder prefilter (plugins/structure/prefilter.c) must never skip a text its pattern
 * matches. These tests hold it against PCRE2 itself (through the core's wrapper, compiled as
 * the plugin compiles them): every pattern of rules/placeholders.yml and a set of awkward
 * ones, over example texts in many case and Unicode spellings.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../plugins/structure/prefilter.c"

#include "engine_int.h"
#include "fakehost.h"
#include "fakehost_common.h"
#include "ynode.h"

/* ---- UTF-8 helpers for building spellings ---- */

static size_t decode(const char *s, uint32_t *cps, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < cap;) {
        size_t len = utf8_decode(p, &cps[n]);
        cr_assert(len > 0, "bad UTF-8 in test text '%s'", s);
        p += len;
        n++;
    }
    return n;
}

static void encode(const uint32_t *cps, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char b[4];
        size_t len = utf8_encode(cps[i], b);
        cr_assert(o + len < cap);
        memcpy(out + o, b, len);
        o += len;
    }
    out[o] = '\0';
}

static int latin1_letter(uint32_t c) { return c >= 0xC0 && c <= 0xFE && c != 0xD7 && c != 0xF7 && c != 0xDF; }

enum spelling { AS_IS, UPPER, LOWER, SWAPPED, KELVIN, LONG_S, ANGSTROM, N_SPELLINGS };

static uint32_t respell(uint32_t c, enum spelling how)
{
    int lower = (c >= 'a' && c <= 'z') || (latin1_letter(c) && c >= 0xE0);
    int upper = (c >= 'A' && c <= 'Z') || (latin1_letter(c) && c < 0xE0);
    switch (how) {
    case UPPER:
        return lower ? c ^ 0x20 : c;
    case LOWER:
        return upper ? c ^ 0x20 : c;
    case SWAPPED:
        return lower || upper ? c ^ 0x20 : c;
    case KELVIN:
        return c == 'k' || c == 'K' ? 0x212A : c;
    case LONG_S:
        return c == 's' || c == 'S' ? 0x17F : c;
    case ANGSTROM:
        return c == 0xE5 || c == 0xC5 ? 0x212B : c;
    default:
        return c;
    }
}

static void spell(const char *s, enum spelling how, int embed, char *out, size_t cap)
{
    uint32_t cps[512];
    size_t n = decode(s, cps, 500);
    for (size_t i = 0; i < n; i++)
        cps[i] = respell(cps[i], how);
    char body[2048];
    encode(cps, n, body, sizeof body);
    if (embed)
        snprintf(out, cap, "Text \xC2\xAB %s \xC2\xBB, r\xC3\xA9sum\xC3\xA9.", body);
    else
        snprintf(out, cap, "%s", body);
}

/* ---- patterns and texts ---- */

struct pattern {
    const char *source;
    int caseless;
};

static const struct pattern awkward[] = {
    {"klick", 1}, {"STRASSE|stra\xC3\x9F" "e", 1}, {"\xC3\xA9t\xC3\xA9", 1}, {"[sz]x", 1},
    {"\xC3\xA5sa", 1}, {"(?:ab|[cd]e)+f", 0}, {"[<\\[]x|y{2}z", 0}, {"\\bT\\.?B\\.?D\\b", 1},
    {"(?<=x)abc(?=y)", 0}, {"a\\Kbc", 0}, {"x{3}", 1}, {"(?:foo)?bar", 0}, {"foo|bar?", 1},
    {"[^a]bc", 0}, {"\\d{2}-\\d{2}", 0}, {"caf[e\xC3\xA9]", 1}, {"\xC3\x84\xC3\x96\xC3\x9C", 1},
    {"k", 1}, {"S", 1}, {"\\p{Lu}{2}x", 0}, {"(a)(b)\\2", 0}, {"(?i)abc", 0}, {"\\x{41}bc", 0},
    {"[[:alpha:]]bc", 0}, {"(?:a|b|c|d|e|f|g|h)(?:i|j|k|l|m|n|o|p)(?:q|r|s|t)x", 1},
    {"\\[\\s*name\\s*\\]", 1}, {"<<[^<>\\n]{1,200}>>", 0}, {"(?<name>sk)y", 1}, {"^sky$", 1},
    {"(?>ab+)c", 0}, {"a(?:b|)c", 0}, {"ab{2,3}c", 0}, {"\\.\\?\\*", 0}, {"\\Qa.b\\E", 0},
    {"(*UCP)abc", 0}, {"a{,3}b", 0}, {"\\N{U+41}bc", 0}, {"ki\xC3\x9F", 1}, {"\xC3\xBF" "x", 1},
    {"\xC2\xB5m", 1}, {"[k-m]s", 1}, {"\\tx|\\ny", 0}};

static const char *const texts[] = {
    /* the examples of rules/placeholders.yml and the structure suite */
    "TBD", "T.B.D.", "tb.d", "TBC", "TBA", "FIXME", "TODO", "TODO EL PERSONAL", "[Company Name]",
    "[ your company's name ]", "[Nombre de la empresa]", "[Nom de l\xE2\x80\x99" "entreprise]",
    "[Firmenname]", "[Soci\xC3\xA9t\xC3\xA9]", "[Insert logo here]", "[hier Text einf\xC3\xBCgen]",
    "[Ins\xC3\xA9rez le nom]", "<insert process owner>", "< einf\xC3\xBCgen x>", "<<FirstName>>",
    "[Name]", "[Signature]", "[DATE]", "[Effective date]", "Lorem ipsum", "XXX", "xxxx", "???",
    "Click here to enter text.", "Click or tap here to enter a date.", "Choose an item.",
    "Haga clic aqu\xC3\xAD para escribir texto.", "Haga clic o pulse aqu\xC3\xAD para especificar una fecha.",
    "Elija un elemento.", "Klicken Sie hier, um Text einzugeben.",
    "Klicken oder tippen Sie hier, um ein Datum einzugeben.", "W\xC3\xA4hlen Sie ein Element aus.",
    "Cliquez ici pour taper du texte.", "Cliquez ou appuyez ici pour entrer une date.",
    "Choisissez un \xC3\xA9l\xC3\xA9ment.", "Insert text here", "Type your text here",
    "DD/MM/YYYY", "TT.MM.JJJJ", "MM-DD-YY", "YYYY-MM-DD", "AAAA/MM/JJ", "Your Company Name",
    "N.N.", "N. N.", "por definir", "por determinar", "a definir", "noch offen",
    "noch festzulegen", "\xC3\xA0 d\xC3\xA9" "finir", "\xC3\xA0 compl\xC3\xA9ter",
    "\xC3\xA0 pr\xC3\xA9" "ciser", "\xC3\xA0 d\xC3\xA9terminer",
    /* for the awkward patterns */
    "klick", "stra\xC3\x9F" "e", "STRASSE", "\xC3\xA9t\xC3\xA9", "sx", "zx", "\xC3\xA5sa", "abf",
    "ababdef", "[x", "<x", "yyz", "xabcy", "abc", "xxx", "bar", "foo", "ba", "zbc", "12-34",
    "cafe", "caf\xC3\xA9", "\xC3\xA4\xC3\xB6\xC3\xBC", "k", "s", "ABx", "abb", "aiqx", "hpTX",
    "[ Name ]", "<<a>>", "sky", "abbc", "ac", "abbbc", ".?*", "a.b", "aaab", "Abc",
    "ki\xC3\x9F", "\xC3\xBF" "x", "\xC2\xB5m", "ms", "\tx", "\ny"};

static struct qms_regex *compile(const char *source, int caseless)
{
    char err[256] = "";
    struct qms_regex *re = qms_regex_compile(source, caseless, err, sizeof err);
    cr_assert_not_null(re, "pattern '%s' does not compile: %s", source, err);
    return re;
}

/* Every spelling of every text that `re` matches passes the prefilter of `source`. */
static size_t check_never_skips(const char *source, int caseless, struct qms_regex *re)
{
    struct pf_index ix;
    struct pf_set needs;
    unsigned char may[1];
    size_t matched = 0;
    cr_assert_eq(pf_index_init(&ix, 1), 0);
    if (pf_required(source, caseless, &needs))
        cr_assert_eq(pf_index_add(&ix, 0, &needs, caseless), 0);
    cr_assert_eq(pf_index_build(&ix), 0);
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (int how = AS_IS; how < N_SPELLINGS; how++)
            for (int embed = 0; embed < 2; embed++) {
                char text[4096];
                size_t s = 0, e = 0;
                spell(texts[t], (enum spelling)how, embed, text, sizeof text);
                if (qms_regex_match(re, text, strlen(text), 0, &s, &e) != 1)
                    continue;
                matched++;
                pf_index_scan(&ix, text, strlen(text), may);
                cr_expect_eq(may[0], 1, "pattern '%s' matches '%s' but the prefilter skips it",
                             source, text);
            }
    pf_index_free(&ix);
    return matched;
}

Test(prefilter, placeholder_patterns_never_skip_a_match)
{
    struct qms_err err;
    const struct qms_node *pack = NULL;
    memset(&err, 0, sizeof err);
    cr_assert_eq(qms_yaml_load(&pack, fh_arena(), QMS_TEST_SOURCE_DIR "/rules/placeholders.yml", &err), 0);
    const struct qms_node *patterns = qms_node_get(pack, "patterns");
    cr_assert(patterns && patterns->kind == QMS_NODE_SEQ && patterns->n_items > 10);
    for (size_t i = 0; i < patterns->n_items; i++) {
        const struct qms_node *p = &patterns->items[i];
        const struct qms_node *caseless = qms_node_get(p, "caseless");
        int icase = caseless && strcmp(caseless->scalar, "true") == 0;
        const char *source = qms_node_get(p, "pattern")->scalar;
        struct pf_set needs;
        /* the pack's patterns are all understood: none runs on every block */
        cr_expect_eq(pf_required(source, icase, &needs), 1, "no prefilter for '%s'", source);
        struct qms_regex *re = compile(source, icase);
        cr_expect_gt(check_never_skips(source, icase, re), 0, "no example text matches '%s'", source);
        qms_regex_free(re);
    }
}

Test(prefilter, awkward_patterns_never_skip_a_match)
{
    for (size_t i = 0; i < sizeof awkward / sizeof awkward[0]; i++) {
        struct qms_regex *re = compile(awkward[i].source, awkward[i].caseless);
        check_never_skips(awkward[i].source, awkward[i].caseless, re);
        qms_regex_free(re);
    }
}

/* The case folding the prefilter assumes is PCRE2's: under UTF + UCP + caseless, the only
   non-ASCII characters equal to an ASCII letter are U+017F and U+212A, and the only ones
   outside Latin-1 equal to a Latin-1 letter is U+212B (for å, which is left out). */
Test(prefilter, caseless_partners_are_the_ones_pcre2_has)
{
    struct qms_regex *ascii = compile("^[a-z]$", 1);
    struct qms_regex *latin1 = compile("^[\xC3\x80-\xC3\x96\xC3\x98-\xC3\x9E\xC3\xA0-\xC3\xB6\xC3\xB8-\xC3\xBE]$", 1);
    for (uint32_t cp = 0x80; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char b[5];
        size_t n = utf8_encode(cp, b);
        b[n] = '\0';
        if (qms_regex_match(ascii, b, n, 0, NULL, NULL) == 1)
            cr_expect(cp == 0x17F || cp == 0x212A, "U+%04X matches [a-z] caselessly", (unsigned)cp);
        if (cp > 0xFF && qms_regex_match(latin1, b, n, 0, NULL, NULL) == 1)
            cr_expect(cp == 0x212B, "U+%04X matches a Latin-1 letter caselessly", (unsigned)cp);
    }
    qms_regex_free(ascii);
    qms_regex_free(latin1);
}

static int required_has(const struct pf_set *s, const char *str)
{
    return set_has(s, str, strlen(str));
}

Test(prefilter, literals_of_optional_parts_are_not_required)
{
    struct pf_set s;
    cr_assert_eq(pf_required("T\\.?B\\.?D", 1, &s), 1);
    cr_expect_eq(s.n, 4);
    cr_expect(required_has(&s, "tbd") && required_has(&s, "t.b.d") && required_has(&s, "tb.d"));
    cr_expect_eq(pf_required("a?b?", 0, &s), 0);
    cr_expect_eq(pf_required("(?:abc)*", 0, &s), 0);
    cr_expect_eq(pf_required("abc|d*", 0, &s), 0);
    cr_expect_eq(pf_required("abc|\\w+", 0, &s), 0);
    cr_assert_eq(pf_required("x{3,}", 0, &s), 1);
    cr_expect(s.n == 1 && required_has(&s, "xxx"));
}

Test(prefilter, caseless_k_and_s_include_their_unicode_partners)
{
    struct pf_set s;
    cr_assert_eq(pf_required("sk", 1, &s), 1);
    cr_expect(required_has(&s, "sk") && required_has(&s, "\xC5\xBFk") &&
              required_has(&s, "s\xE2\x84\xAA") && required_has(&s, "\xC5\xBF\xE2\x84\xAA"));
    cr_assert_eq(pf_required("sk", 0, &s), 1);
    cr_expect(s.n == 1 && required_has(&s, "sk"));
}

Test(prefilter, constructs_it_does_not_follow_give_no_prefilter)
{
    static const char *const unknown[] = {"(?i)abc", "\\Qabc\\E", "(a)bc\\1", "[[:alpha:]]bcd",
                                          "(*UCP)abc", "abc{,3}", "\\x41bcd", "abc)", "(?#c)abc",
                                          "(?(1)a|b)cde", "\\N{U+41}bc", "abc\\"};
    struct pf_set s;
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        cr_expect_eq(pf_required(unknown[i], 0, &s), 0, "'%s' got a prefilter", unknown[i]);
}

Test(prefilter, needles_at_the_edges_of_the_text_are_found)
{
    static const struct pattern pats[] = {{"\\[", 0}, {"abc", 1}, {"x.y", 0}, {"q", 1}};
    struct pf_index ix;
    unsigned char may[4];
    cr_assert_eq(pf_index_init(&ix, 4), 0);
    for (size_t i = 0; i < 4; i++) {
        struct pf_set s;
        cr_assert_eq(pf_required(pats[i].source, pats[i].caseless, &s), 1);
        cr_assert_eq(pf_index_add(&ix, i, &s, pats[i].caseless), 0);
    }
    cr_assert_eq(pf_index_build(&ix), 0);
    static const char *const texts_for[4][3] = {{"[", "ab[", "[ab"}, {"ABC", "zzabc", "aBcz"},
                                                {"x.y", "zx.y", "x.yz"}, {"Q", "zq", "qz"}};
    for (size_t p = 0; p < 4; p++)
        for (size_t t = 0; t < 3; t++) {
            pf_index_scan(&ix, texts_for[p][t], strlen(texts_for[p][t]), may);
            cr_expect_eq(may[p], 1, "'%s' not found in '%s'", pats[p].source, texts_for[p][t]);
        }
    pf_index_scan(&ix, "none of them", 12, may);
    cr_expect(!may[0] && !may[1] && !may[2] && !may[3]);
    pf_index_scan(&ix, "", 0, may);
    cr_expect(!may[0] && !may[1] && !may[2] && !may[3]);
    pf_index_free(&ix);
}

/* More anchor pairs than the index has groups for: the rest take the slow path. */
Test(prefilter, many_patterns_share_the_slow_path)
{
    enum { N = 600 };
    struct pf_index ix;
    static unsigned char may[N];
    char words[N][8];
    cr_assert_eq(pf_index_init(&ix, N), 0);
    for (size_t i = 0; i < N; i++) {
        struct pf_set s;
        snprintf(words[i], sizeof words[i], "%c%c%c%c", 'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26),
                 'q', 'z');
        cr_assert_eq(pf_required(words[i], (int)(i % 2), &s), 1);
        cr_assert_eq(pf_index_add(&ix, i, &s, (int)(i % 2)), 0);
    }
    cr_assert_eq(pf_index_build(&ix), 0);
    for (size_t i = 0; i < N; i++) {
        char text[64];
        snprintf(text, sizeof text, "some text %.7s and more", words[i]);
        pf_index_scan(&ix, text, strlen(text), may);
        cr_expect_eq(may[i], 1, "'%s' not found", words[i]);
        size_t n = 0;
        for (size_t k = 0; k < N; k++)
            n += may[k];
        cr_expect_eq(n, 1, "'%s' allowed %zu patterns", words[i], n);
    }
    pf_index_free(&ix);
}

/* Through the plugin: a placeholder spelled with U+017F is still reported. */
Test(prefilter, plugin_reports_placeholder_spelled_with_long_s)
{
    static struct fake_host host;
    fake_check_text(&host, "notes.md", "# Notes\nLorem ip\xC5\xBFum dolor.\n");
    cr_assert_eq(fake_count(&host, "structure/placeholder-text"), 1);
}
