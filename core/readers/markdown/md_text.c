/* Byte-level helpers of the Markdown reader: input checks, UTF-8, slugs, entities. */
#include "md_internal.h"

#include <string.h>

int qms_md_check_text(const char *data, size_t len, uint64_t max_line, struct qms_err *err)
{
    if (len && memchr(data, '\0', len))
        return qms_err_set(err, QMS_EFORMAT, "binary file, not Markdown");
    const unsigned char *s = (const unsigned char *)data;
    size_t line_start = 0;
    unsigned long long line = 1;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (max_line && i - line_start >= max_line && c != '\n' && c != '\r')
            return qms_err_set(err, QMS_ETOOBIG, "line %llu is longer than %llu bytes", line,
                               (unsigned long long)max_line);
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                i++;
            i++;
            line++;
            line_start = i;
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t min;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            min = 0x80;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            min = 0x800;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            goto bad;
        }
        if (len - i < n)
            goto bad;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += n;
        continue;
    bad:
        return qms_err_set(err, QMS_EFORMAT, "invalid UTF-8 at line %llu, column %llu", line,
                           (unsigned long long)(i - line_start + 1));
    }
    if (max_line && len - line_start > max_line)
        return qms_err_set(err, QMS_ETOOBIG, "line %llu is longer than %llu bytes", line,
                           (unsigned long long)max_line);
    return 0;
}

int qms_md_check_nesting(const char *data, size_t len, struct qms_err *err)
{
    unsigned long long line = 1;
    size_t i = 0;
    while (i < len) {
        size_t cols = 0, quotes = 0;
        for (;;) {
            if (i < len && (data[i] == ' ' || data[i] == '\t')) {
                cols = data[i] == '\t' ? cols + 4 - cols % 4 : cols + 1;
                i++;
            } else if (i < len && data[i] == '>') {
                quotes++;
                cols++;
                i++;
            } else if (i + 1 < len && (data[i] == '-' || data[i] == '*' || data[i] == '+') &&
                       (data[i + 1] == ' ' || data[i + 1] == '\t')) {
                cols++;
                i++;
            } else if (i < len && data[i] >= '0' && data[i] <= '9') {
                size_t j = i;
                while (j < len && j - i < 10 && data[j] >= '0' && data[j] <= '9')
                    j++;
                if (j + 1 < len && (data[j] == '.' || data[j] == ')') &&
                    (data[j + 1] == ' ' || data[j + 1] == '\t')) {
                    cols += j + 1 - i;
                    i = j + 1;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        size_t bound = quotes + (cols - quotes) / 2;
        if (bound > QMS_MD_MAX_NESTING)
            return qms_err_set(err, QMS_ETOOBIG,
                               "line %llu nests block quotes or lists more than %d deep", line,
                               QMS_MD_MAX_NESTING);
        const char *nl = memchr(data + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - data) + 1;
        line++;
    }
    return 0;
}

uint32_t qms_md_utf8_decode(const char *str, size_t len, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)str;
    *out_len = 1;
    if (!len)
        return 0xFFFD;
    if (s[0] < 0x80)
        return s[0];
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (!n || n > len)
        return 0xFFFD;
    uint32_t cp = s[0] & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    *out_len = n;
    return cp;
}

int qms_md_utf8_append(struct qms_buf *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return qms_buf_append(out, b, n);
}

uint32_t qms_md_lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x137 && cp != 0x130)
        return cp | 1;
    if (cp >= 0x139 && cp <= 0x148)
        return (cp & 1) ? cp + 1 : cp;
    if (cp >= 0x14A && cp <= 0x177)
        return cp | 1;
    if (cp == 0x178)
        return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E)
        return (cp & 1) ? cp + 1 : cp;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    return cp;
}

/* Punctuation and symbols GitHub drops from slugs, for the ranges real headings use. */
static int slug_drops(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-' || cp == '_' ||
                 cp == ' ');
    if (cp >= 0x80 && cp <= 0xBF)
        return !(cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 ||
                 cp == 0xBA || cp == 0xBC || cp == 0xBD || cp == 0xBE);
    if (cp == 0xD7 || cp == 0xF7)
        return 1;
    if (cp >= 0x2000 && cp <= 0x206F) /* general punctuation, spaces, invisible operators */
        return 1;
    if (cp >= 0x20A0 && cp <= 0x20CF) /* currency */
        return 1;
    if (cp >= 0x2100 && cp <= 0x214F) /* letterlike symbols: mostly symbols */
        return 1;
    if (cp >= 0x2190 && cp <= 0x2BFF) /* arrows, math, technical, box, shapes, dingbats */
        return 1;
    if (cp >= 0x2E00 && cp <= 0x2E7F) /* supplemental punctuation */
        return 1;
    if (cp >= 0x3000 && cp <= 0x303F && cp != 0x3005 && cp != 0x3006 && cp != 0x3007)
        return 1;
    if (cp >= 0xFE10 && cp <= 0xFE6F) /* vertical forms, small forms */
        return 1;
    if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
        (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
        return 1;
    if (cp >= 0x1F000 && cp <= 0x1FAFF) /* emoji and pictographs */
        return 1;
    if (cp == 0xFEFF || cp == 0xFFFD)
        return 1;
    return 0;
}

int qms_md_slug(struct qms_buf *out, const char *text, size_t len)
{
    qms_buf_reset(out);
    size_t i = 0;
    while (i < len) {
        size_t n;
        uint32_t cp = qms_md_lower(qms_md_utf8_decode(text + i, len - i, &n));
        i += n;
        if (slug_drops(cp))
            continue;
        int rc = cp == ' ' ? qms_buf_appendc(out, '-') : qms_md_utf8_append(out, cp);
        if (rc)
            return rc;
    }
    return 0;
}

struct named_entity {
    const char *name;
    uint32_t cp;
};

static const struct named_entity entities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},      {"copy", 0xA9},     {"reg", 0xAE},
    {"trade", 0x2122},  {"mdash", 0x2014},   {"ndash", 0x2013},  {"hellip", 0x2026},
    {"laquo", 0xAB},    {"raquo", 0xBB},     {"sect", 0xA7},     {"para", 0xB6},
    {"deg", 0xB0},      {"times", 0xD7},     {"middot", 0xB7},   {"bull", 0x2022},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"euro", 0x20AC},   {"plusmn", 0xB1},    {"le", 0x2264},     {"ge", 0x2265},
    {"auml", 0xE4},     {"ouml", 0xF6},      {"uuml", 0xFC},     {"Auml", 0xC4},
    {"Ouml", 0xD6},     {"Uuml", 0xDC},      {"szlig", 0xDF},    {"eacute", 0xE9},
};

int qms_md_entity(struct qms_buf *out, const char *s, size_t len)
{
    if (len < 3 || s[0] != '&' || s[len - 1] != ';')
        return 0;
    if (s[1] == '#') {
        uint32_t cp = 0;
        size_t i = 2;
        int hex = i < len && (s[i] == 'x' || s[i] == 'X');
        if (hex)
            i++;
        if (i >= len - 1 || len - 1 - i > 8)
            return 0;
        for (; i < len - 1; i++) {
            char c = s[i];
            uint32_t d;
            if (c >= '0' && c <= '9')
                d = (uint32_t)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                d = (uint32_t)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                d = (uint32_t)(c - 'A' + 10);
            else
                return 0;
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10FFFF)
                cp = 0x110000; /* stays out of range: becomes U+FFFD */
        }
        return qms_md_utf8_append(out, cp) == 0;
    }
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        size_t n = strlen(entities[k].name);
        if (n == len - 2 && memcmp(entities[k].name, s + 1, n) == 0)
            return qms_md_utf8_append(out, entities[k].cp) == 0;
    }
    return 0;
}

int qms_md_label_key(struct qms_buf *out, const char *s, size_t len)
{
    qms_buf_reset(out);
    int space = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = out->len > 0;
            i++;
            continue;
        }
        if (space && qms_buf_appendc(out, ' '))
            return QMS_ETOOBIG;
        space = 0;
        size_t n;
        uint32_t cp = qms_md_lower(qms_md_utf8_decode(s + i, len - i, &n));
        if (cp == 0xDF) { /* full case folding of sharp s, as CommonMark's example does */
            if (qms_buf_append(out, "ss", 2))
                return QMS_ETOOBIG;
        } else if (qms_md_utf8_append(out, cp)) {
            return QMS_ETOOBIG;
        }
        i += n;
    }
    return 0;
}
