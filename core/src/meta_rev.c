/* Revisions: letters (A..Z, AA), numbers (1, 01, 00), dotted (1.2, 2.0.1), r-numbers (r3,
 * R03), with or without a label ("Rev. C", "Issue 2", "Revisión 05", "v1.0"). */
#include "meta.h"

#include <stdio.h>
#include <string.h>

#define REV_COMPONENT_MAX 0xFFFFFu

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* What may follow a revision token: nothing, or a space / '(' / '-' / ',' / ';' / '|'
 * and anything ("Version 0.2 (draft)", "C - Page 1"). */
static int ends_token(const char *s, size_t len, size_t i)
{
    return i >= len || s[i] == ' ' || s[i] == '\t' || s[i] == '(' || s[i] == '-' ||
           s[i] == ',' || s[i] == ';' || s[i] == '|' || s[i] == '\n' || s[i] == '\r' ||
           (unsigned char)s[i] == 0xE2 /* em/en dash */;
}

/* Digits of s[i..) (at most 9), or 0. */
static size_t digit_run(const char *s, size_t len, size_t i)
{
    size_t k = i;
    while (k < len && k - i < 9 && is_digit(s[k]))
        k++;
    return k - i;
}

static int valid_dm(long a, long b)
{
    return a >= 1 && a <= 31 && b >= 1 && b <= 12;
}

int qms_meta_date_shaped(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && ((unsigned char)s[i] <= ' ' || s[i] == '*' || s[i] == '('))
        i++;
    long comp[3];
    size_t width[3];
    int n = 0, padded = 0;
    char sep = 0;
    while (n < 3) {
        size_t w = digit_run(s, len, i);
        if (!w)
            return 0;
        long v = 0;
        for (size_t k = 0; k < w; k++)
            v = v * 10 + (s[i + k] - '0');
        padded |= w == 2 && s[i] == '0';
        comp[n] = v;
        width[n++] = w;
        i += w;
        if (i + 1 < len && (s[i] == '.' || s[i] == '/' || s[i] == '-') && is_digit(s[i + 1]) &&
            (!sep || sep == s[i])) {
            sep = s[i++];
            continue;
        }
        break;
    }
    if (!ends_token(s, len, i) && !(i + 1 == len && s[i] == '.'))
        return 0;
#define YEAR(k) (width[k] == 4 && comp[k] >= 1900 && comp[k] <= 2199)
    if (n == 2) /* 03/2024, 2024-03, 03.2024 */
        return (YEAR(1) && width[0] <= 2 && comp[0] >= 1 && comp[0] <= 12) ||
               (YEAR(0) && width[1] <= 2 && comp[1] >= 1 && comp[1] <= 12 && sep != '.');
    if (n != 3)
        return 0;
    if (YEAR(0)) /* 2024-03-12 */
        return width[1] <= 2 && width[2] <= 2 && valid_dm(comp[2], comp[1]);
    if (width[0] > 2 || width[1] > 2)
        return 0;
    if (YEAR(2)) /* 12.03.2024, 8.28.2011 */
        return valid_dm(comp[0], comp[1]) || valid_dm(comp[1], comp[0]);
    /* A two-digit year: only with a zero-padded part (1.10.09, 03/04/24), for 1.2.3 is a version */
    return width[2] == 2 && (padded || sep == '/') &&
           (valid_dm(comp[0], comp[1]) || valid_dm(comp[1], comp[0]));
#undef YEAR
}

int qms_meta_parse_revision(const struct qms_meta_opts *opts, const char *s, size_t len,
                            char *canon, size_t canon_cap, enum qms_rev_scheme *scheme,
                            uint64_t *key)
{
    *scheme = QMS_REV_NONE;
    *key = 0;
    if (canon_cap)
        canon[0] = '\0';
    size_t i = 0;
    while (i < len && ((unsigned char)s[i] <= ' ' || s[i] == '*' || s[i] == '('))
        i++;
    /* A label first: "Rev. C", "Issue 2", "Revisión: 05". */
    if (opts) {
        size_t end = 0;
        const struct qms_meta_word *w = qms_meta_match_list(&opts->labels, s, len, i, &end);
        if (w && w->what == QMS_META_REVISION) {
            i = end;
            while (i < len && (s[i] == ' ' || s[i] == '.' || s[i] == ':' || s[i] == '#' ||
                               s[i] == '\t'))
                i++;
        }
    }
    /* Rev03, RevC (file names) */
    if (i + 3 < len && (s[i] | 0x20) == 'r' && s[i + 1] == 'e' && s[i + 2] == 'v' && (is_digit(s[i + 3]) || (s[i + 3] >= 'A' && s[i + 3] <= 'Z')))
        i += 3;
    /* "R 0.1", "V 2" */
    if (i + 2 < len && (s[i] == 'R' || s[i] == 'V' || s[i] == 'v') && s[i + 1] == ' ' &&
        is_digit(s[i + 2]))
        i += 2;
    /* r3, R03, v1.2, V2 */
    if (i + 1 < len && (s[i] == 'r' || s[i] == 'R' || s[i] == 'v' || s[i] == 'V') &&
        is_digit(s[i + 1]))
        i++;
    if (i >= len)
        return 0;
    if (is_digit(s[i])) {
        if (qms_meta_date_shaped(s + i, len - i))
            return 0; /* "Version: 8.28.2011", "Ausgabe 03/2024", "Rev. 2024-03-12": a date */
        uint32_t comp[3] = {0, 0, 0};
        int n = 0;
        size_t start = i;
        for (;;) {
            if (n == 3)
                return 0;
            uint64_t v = 0;
            size_t digits = 0;
            while (i < len && is_digit(s[i])) {
                v = v * 10 + (uint64_t)(s[i] - '0');
                if (v > REV_COMPONENT_MAX || ++digits > 7)
                    return 0;
                i++;
            }
            comp[n++] = (uint32_t)v;
            if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
                i++;
                continue;
            }
            break;
        }
        (void)start;
        if (!ends_token(s, len, i) && !(i + 1 == len && s[i] == '.'))
            return 0;
        *scheme = n == 1 ? QMS_REV_NUMBER : QMS_REV_DOTTED;
        *key = ((uint64_t)comp[0] << 40) | ((uint64_t)comp[1] << 20) | comp[2];
        if (n == 1)
            snprintf(canon, canon_cap, "%u", comp[0]);
        else if (n == 2)
            snprintf(canon, canon_cap, "%u.%u", comp[0], comp[1]);
        else
            snprintf(canon, canon_cap, "%u.%u.%u", comp[0], comp[1], comp[2]);
        return 1;
    }
    if (is_letter(s[i])) {
        size_t start = i;
        while (i < len && is_letter(s[i]) && i - start < 4)
            i++;
        size_t n = i - start;
        if (n > 3 || (i < len && (is_letter(s[i]) || is_digit(s[i]))))
            return 0;
        if (!ends_token(s, len, i) && !(i + 1 == len && s[i] == '.'))
            return 0;
        uint64_t k = 0;
        for (size_t j = 0; j < n; j++)
            k = k * 26 + (uint64_t)((s[start + j] | 0x20) - 'a' + 1);
        /* Two or three letters are a revision only in capitals ("AB"; not "to", "Run"). */
        for (size_t j = 0; n > 1 && j < n; j++)
            if (s[start + j] < 'A' || s[start + j] > 'Z')
                return 0;
        *scheme = QMS_REV_LETTER;
        *key = k;
        if (canon_cap > n) {
            for (size_t j = 0; j < n; j++)
                canon[j] = (char)(s[start + j] & ~0x20);
            canon[n] = '\0';
        }
        return 1;
    }
    return 0;
}
