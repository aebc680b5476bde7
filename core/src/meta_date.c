/* Dates in document-control metadata: ISO 8601, numeric d/m/y and m/d/y, month names in
 * English, German, Spanish and French. Ambiguous numeric dates are never guessed. */
#include "meta.h"

#include <limits.h>
#include <string.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int32_t qms_meta_days(int y, int m, int d)
{
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return INT32_MIN;
    /* Howard Hinnant's days_from_civil. */
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

enum tok_kind { TOK_NUM = 1, TOK_WORD };

struct tok {
    enum tok_kind kind;
    size_t start, len;
    long num;          /* TOK_NUM */
    char sep_before;   /* the separator between this token and the previous: ' ' '/' '-' '.' or 0 */
    int attached;      /* word glued to the previous number ("12th", "1er") */
};

#define MAX_TOKS 10

static int is_alpha_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Splits into numbers and words; returns the count or -1 when it is not date-like. */
static int tokenize(const char *s, size_t len, struct tok *toks)
{
    int n = 0;
    size_t i = 0;
    char sep = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
            if (!sep)
                sep = ' ';
            i++;
            continue;
        }
        if (c == '/' || c == '-' || c == '.') {
            if (sep && sep != ' ')
                return -1; /* "12//2024" */
            sep = (char)c;
            i++;
            continue;
        }
        if (n >= MAX_TOKS)
            return -1;
        struct tok *t = &toks[n];
        memset(t, 0, sizeof *t);
        t->start = i;
        t->sep_before = sep;
        if (c >= '0' && c <= '9') {
            t->kind = TOK_NUM;
            while (i < len && s[i] >= '0' && s[i] <= '9') {
                if (i - t->start >= 8)
                    return -1;
                t->num = t->num * 10 + (s[i] - '0');
                i++;
            }
        } else if (is_alpha_byte(c)) {
            t->kind = TOK_WORD;
            t->attached = n > 0 && !sep && toks[n - 1].kind == TOK_NUM;
            while (i < len && is_alpha_byte((unsigned char)s[i])) {
                if (i - t->start >= 40)
                    return -1;
                i++;
            }
        } else {
            return -1;
        }
        t->len = i - t->start;
        sep = 0;
        n++;
    }
    return n;
}

static int month_of(const struct qms_meta_opts *opts, const char *s, const struct tok *t)
{
    size_t end = 0;
    const struct qms_meta_word *w = qms_meta_match_list(&opts->months, s, t->start + t->len,
                                                        t->start, &end);
    if (w && end == t->start + t->len)
        return w->what;
    return 0;
}

static int is_weekday(const struct qms_meta_opts *opts, const char *s, const struct tok *t)
{
    size_t end = 0;
    const struct qms_meta_word *w = qms_meta_match_list(&opts->weekdays, s, t->start + t->len,
                                                        t->start, &end);
    return w && end == t->start + t->len;
}

static int is_filler(const char *s, const struct tok *t)
{
    static const char *const fillers[] = {"de", "del", "of", "the", "le", "den", "am", "el", "on",
                                          "der", "du", NULL};
    for (int j = 0; fillers[j]; j++) {
        size_t n = strlen(fillers[j]);
        if (t->len == n) {
            size_t k = 0;
            while (k < n && (s[t->start + k] | 0x20) == fillers[j][k])
                k++;
            if (k == n)
                return 1;
        }
    }
    return 0;
}

static int is_ordinal_suffix(const char *s, const struct tok *t)
{
    static const char *const suffixes[] = {"st", "nd", "rd", "th", "er", "re", "o", "a", "e", NULL};
    for (int j = 0; suffixes[j]; j++) {
        size_t n = strlen(suffixes[j]);
        if (t->len == n) {
            size_t k = 0;
            while (k < n && (s[t->start + k] | 0x20) == suffixes[j][k])
                k++;
            if (k == n)
                return 1;
        }
    }
    /* "1º" */
    return t->len == 2 && (unsigned char)s[t->start] == 0xC2 &&
           ((unsigned char)s[t->start + 1] == 0xBA || (unsigned char)s[t->start + 1] == 0xAA);
}

static int year_of(const struct tok *t)
{
    if (t->len == 4)
        return (int)t->num;
    if (t->len == 2)
        return t->num < 70 ? 2000 + (int)t->num : 1900 + (int)t->num;
    return -1;
}

static int result(int32_t d, int32_t *days, uint32_t *flags)
{
    if (d == INT32_MIN) {
        *flags |= QMS_META_UNPARSED;
        return 0;
    }
    *days = d;
    return 1;
}

/* a sep b sep c, all numbers. */
static int numeric_date(const struct qms_meta_opts *opts, const struct tok *t, int32_t *days,
                        uint32_t *flags)
{
    char s1 = t[1].sep_before, s2 = t[2].sep_before;
    if (s1 != s2 || (s1 != '/' && s1 != '-' && s1 != '.'))
        goto bad;
    if (t[0].len == 4) /* 2024-03-12, 2024/03/12 */
        return result(t[1].len <= 2 && t[2].len <= 2
                          ? qms_meta_days((int)t[0].num, (int)t[1].num, (int)t[2].num)
                          : INT32_MIN,
                      days, flags);
    if (t[0].len > 2 || t[1].len > 2)
        goto bad;
    int y = year_of(&t[2]);
    if (y < 0)
        goto bad;
    int a = (int)t[0].num, b = (int)t[1].num;
    int32_t dmy = qms_meta_days(y, b, a), mdy = qms_meta_days(y, a, b);
    /* Dots are day-first everywhere they are used (12.03.2024). */
    if (s1 == '.' || opts->date_order == QMS_DATE_DMY)
        return result(dmy, days, flags);
    if (opts->date_order == QMS_DATE_MDY)
        return result(mdy, days, flags);
    if (dmy != INT32_MIN && mdy != INT32_MIN && dmy != mdy) {
        *flags |= QMS_META_AMBIGUOUS;
        return 0;
    }
    return result(dmy != INT32_MIN ? dmy : mdy, days, flags);
bad:
    *flags |= QMS_META_UNPARSED;
    return 0;
}

int qms_meta_parse_date(const struct qms_meta_opts *opts, const char *s, size_t len,
                        int32_t *days, uint32_t *flags)
{
    *days = 0;
    while (len && (unsigned char)s[0] <= ' ')
        s++, len--;
    while (len && ((unsigned char)s[len - 1] <= ' ' || s[len - 1] == '.' || s[len - 1] == ','))
        len--;
    /* ISO 8601 with a time: 2024-03-12T10:00:00Z, "2024-03-12 10:00". */
    if (len > 10 && s[4] == '-' && s[7] == '-' &&
        (s[10] == 'T' || (s[10] == ' ' && len > 13 && s[13] == ':'))) {
        for (int k = 0; k < 10; k++)
            if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
                goto bad;
        len = 10;
    }
    struct tok all[MAX_TOKS], t[MAX_TOKS];
    int n_all = tokenize(s, len, all);
    if (n_all <= 0)
        goto bad;
    /* Drop fillers ("12 de marzo de 2024") and ordinal suffixes ("12th", "1er"). */
    int n = 0;
    for (int k = 0; k < n_all; k++) {
        if (all[k].kind == TOK_WORD &&
            (is_filler(s, &all[k]) || (all[k].attached && is_ordinal_suffix(s, &all[k])) ||
             (n == 0 && is_weekday(opts, s, &all[k]))))
            continue;
        t[n] = all[k];
        if (n > 0 && all[k].sep_before == 0 && k > 0 && t[n - 1].kind == all[k].kind)
            goto bad;
        n++;
    }
    if (n == 1 && t[0].kind == TOK_NUM && t[0].len == 8) /* 20240312 */
        return result(qms_meta_days((int)(t[0].num / 10000), (int)(t[0].num / 100 % 100),
                                    (int)(t[0].num % 100)),
                      days, flags);
    if (n == 3 && t[0].kind == TOK_NUM && t[1].kind == TOK_NUM && t[2].kind == TOK_NUM)
        return numeric_date(opts, t, days, flags);
    if (n == 3 && t[0].kind == TOK_NUM && t[1].kind == TOK_WORD && t[2].kind == TOK_NUM) {
        int m = month_of(opts, s, &t[1]);
        int y = year_of(&t[2]);
        if (m && y > 0 && t[0].len <= 2)
            return result(qms_meta_days(y, m, (int)t[0].num), days, flags);
        if (m && t[0].len == 4 && t[2].len <= 2) /* 2024-Mar-12 */
            return result(qms_meta_days((int)t[0].num, m, (int)t[2].num), days, flags);
        goto bad;
    }
    if (n == 3 && t[0].kind == TOK_WORD && t[1].kind == TOK_NUM && t[2].kind == TOK_NUM) {
        int m = month_of(opts, s, &t[0]);
        int y = year_of(&t[2]);
        if (m && y > 0 && t[1].len <= 2)
            return result(qms_meta_days(y, m, (int)t[1].num), days, flags);
        goto bad;
    }
    if (n == 2 && t[0].kind == TOK_WORD && t[1].kind == TOK_NUM && t[1].len == 4) {
        int m = month_of(opts, s, &t[0]); /* "March 2024": the first of the month */
        if (m)
            return result(qms_meta_days((int)t[1].num, m, 1), days, flags);
    }
    if (n == 2 && t[0].kind == TOK_NUM && t[1].kind == TOK_NUM && t[0].len <= 2 &&
        t[1].len == 4 && t[1].sep_before && t[1].sep_before != ' ') /* 03/2024, 03.2024 */
        return result(qms_meta_days((int)t[1].num, (int)t[0].num, 1), days, flags);
    if (n == 2 && t[0].kind == TOK_NUM && t[1].kind == TOK_NUM && t[0].len == 4 &&
        t[1].len <= 2 && t[1].sep_before == '-') /* 2024-03 */
        return result(qms_meta_days((int)t[0].num, (int)t[1].num, 1), days, flags);
bad:
    *flags |= QMS_META_UNPARSED;
    return 0;
}
