/* Label normalization and vocabulary matching for the metadata extractor. */
#include "meta.h"

#include <string.h>

#define FOLD_SKIP (-2)
#define FOLD_END (-1)

/*
 * The next comparison byte of s at *i (advancing *i): ASCII lower case, Latin-1 letters
 * without accents, "º"/"°" as 'o'; FOLD_SKIP for what comparisons ignore (white space,
 * no-break spaces, '.', '*', '`', '_', '-'); other bytes as they are.
 */
static int fold_char(const char *s, size_t len, size_t *i)
{
    if (*i >= len)
        return FOLD_END;
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' || c == '*' ||
            c == '`' || c == '_' || c == '-')
            return FOLD_SKIP;
        if (c >= 'A' && c <= 'Z')
            return c + 32;
        return c;
    }
    if (*i + 1 < len) {
        unsigned char d = (unsigned char)s[*i + 1];
        if (c == 0xC2 && (d == 0xB0 || d == 0xBA)) {
            *i += 2;
            return 'o';
        }
        if (c == 0xC2 && d == 0xA0) {
            *i += 2;
            return FOLD_SKIP;
        }
        if (c == 0xC3 && d >= 0x80 && d <= 0xBF) {
            static const char map[64] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
                                        "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
            char m = map[d - 0x80];
            if (m) {
                *i += 2;
                return (unsigned char)m;
            }
        }
    }
    if (c == 0xE2 && *i + 2 < len && (unsigned char)s[*i + 1] == 0x80) {
        unsigned char e = (unsigned char)s[*i + 2];
        if ((e >= 0x80 && e <= 0x8B) || e == 0xAF) { /* en/em/thin/narrow spaces */
            *i += 3;
            return FOLD_SKIP;
        }
        if (e == 0x98 || e == 0x99) { /* ‘ ’: Word's and LibreOffice's apostrophe */
            *i += 3;
            return '\'';
        }
    }
    (*i)++;
    return c;
}

size_t qms_meta_norm(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0, i = 0;
    if (cap == 0)
        return 0;
    for (;;) {
        int c = fold_char(s, len, &i);
        if (c == FOLD_END)
            break;
        if (c == FOLD_SKIP)
            continue;
        if (n + 1 >= cap)
            break;
        out[n++] = (char)c;
    }
    while (n > 0 && out[n - 1] == ':')
        n--;
    out[n] = '\0';
    return n;
}

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

size_t qms_meta_match_word(const char *s, size_t len, size_t pos, const struct qms_meta_word *word)
{
    size_t i = pos, k = 0;
    if (!word->len)
        return 0;
    while (k < word->len) {
        size_t before = i;
        int c = fold_char(s, len, &i);
        if (c == FOLD_END)
            return 0;
        if (c == FOLD_SKIP) {
            /* A line break ends a label: "Rev\nDate" is two labels. */
            if (s[before] == '\n' && k > 0)
                return 0;
            continue;
        }
        if ((unsigned char)word->norm[k] != (unsigned)c)
            return 0;
        k++;
    }
    /* The phrase must end where a word ends: "rev" is not the start of "review". A no-break
       or narrow space (French "Référence\u00a0:") or a typographic apostrophe ends a word. */
    size_t next = i;
    int after = i < len && (unsigned char)s[i] >= 0x80 ? fold_char(s, len, &next) : 0;
    if (i < len && is_word_byte((unsigned char)s[i]) && after != FOLD_SKIP && after != '\'') {
        unsigned char last = (unsigned char)word->norm[word->len - 1];
        if (is_word_byte(last))
            return 0;
    }
    return i;
}

const struct qms_meta_word *qms_meta_match_list(const struct qms_meta_wordlist *list,
                                                const char *s, size_t len, size_t pos,
                                                size_t *end)
{
    /* Only the phrases that start with the folded byte found at pos. */
    size_t i = pos;
    int c;
    do
        c = fold_char(s, len, &i);
    while (c == FOLD_SKIP);
    if (c < 0 || c > 255)
        return NULL;
    for (size_t j = list->first[c]; j < list->first[c + 1] && j < list->n; j++) {
        size_t e = qms_meta_match_word(s, len, pos, &list->items[j]);
        if (e) {
            if (end)
                *end = e;
            return &list->items[j];
        }
    }
    return NULL;
}

static int has_alnum(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2) { /* U+2000..U+2FFF: dashes, quotes, bullets, symbols */
            i += 2;
            continue;
        }
        if (c >= 0x80 && c < 0xC0)
            continue;
        if (is_word_byte(c))
            return 1;
    }
    return 0;
}

/* "YYYY-MM-DD", "XX/XX/XXXX", "TT.MM.JJJJ": only date-mask letters and separators. */
static int is_date_mask(const char *s, size_t len)
{
    size_t letters = 0, seps = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c && strchr("xXyYmMdDjJaAtT", c))
            letters++;
        else if (c == '/' || c == '.' || c == '-' || c == '_' || c == ' ')
            seps++;
        else
            return 0;
    }
    return letters >= 4 && seps >= 1;
}

int qms_meta_is_placeholder(const struct qms_meta_opts *opts, const char *s, size_t len)
{
    while (len && (unsigned char)s[0] <= ' ')
        s++, len--;
    while (len && (unsigned char)s[len - 1] <= ' ')
        len--;
    if (!len || !has_alnum(s, len))
        return 1;
    char open = s[0], close = s[len - 1];
    if ((open == '[' && close == ']') || (open == '<' && close == '>') ||
        (open == '{' && close == '}'))
        return 1;
    if (is_date_mask(s, len))
        return 1;
    char norm[128];
    if (len >= 120)
        return 0;
    size_t n = qms_meta_norm(norm, sizeof norm, s, len);
    for (size_t j = 0; opts && j < opts->placeholders.n; j++)
        if (opts->placeholders.items[j].len == n && !memcmp(opts->placeholders.items[j].norm, norm, n))
            return 1;
    /* Word's "Error! Unknown document property name." where a field has no value. */
    if (n >= 6 && !memcmp(norm, "error!", 6))
        return 1;
    /* Word's own "Click or tap here to enter text." in an empty content control. */
    if (n > 9 && !memcmp(norm, "clickortap", 10))
        return 1;
    if (n > 9 && !memcmp(norm, "clickhere", 9))
        return 1;
    return 0;
}
