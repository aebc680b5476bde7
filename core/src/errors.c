#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one (overlong forms,
 * surrogates and code points above U+10FFFF are refused); *cp receives the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned long v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points that must not reach a terminal or break a one-line message: C0 and C1
 * controls, DEL, the Unicode line / paragraph separators and the bidi overrides and
 * isolates ("Trojan Source"). */
static int unsafe_cp(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Makes msg one line of valid, printable UTF-8 in place: white-space controls become a
 * space, other unsafe code points and invalid bytes '?'; a sequence cut short at the end
 * (vsnprintf truncation) is dropped. The text never grows. */
static void sanitize(char *msg)
{
    unsigned char *s = (unsigned char *)msg;
    size_t n = strlen(msg), r = 0, w = 0;
    while (r < n) {
        unsigned long cp = 0;
        size_t len = utf8_seq(s + r, n - r, &cp);
        if (len == 0) {
            /* A lead byte whose sequence runs off the end: the truncated tail. */
            if (s[r] >= 0xC2 && s[r] <= 0xF4 && n - r < 4) {
                size_t want = s[r] >= 0xF0 ? 4 : s[r] >= 0xE0 ? 3 : 2, k = 1;
                while (r + k < n && (s[r + k] & 0xC0) == 0x80)
                    k++;
                if (r + k == n && k < want)
                    break;
            }
            s[w++] = '?';
            r++;
            continue;
        }
        if (unsafe_cp(cp)) {
            s[w++] = (cp == '\n' || cp == '\r' || cp == '\t' || cp == 0x2028 || cp == 0x2029)
                         ? ' '
                         : '?';
            r += len;
            continue;
        }
        memmove(s + w, s + r, len);
        w += len;
        r += len;
    }
    s[w] = '\0';
}

int qms_err_set(struct qms_err *err, int code, const char *fmt, ...)
{
    if (err) {
        /* Formatted aside first: an argument may be err->msg itself. */
        char tmp[QMS_ERRBUF_SIZE];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        if (n < 0)
            snprintf(tmp, sizeof tmp, "error %d", code);
        sanitize(tmp);
        memcpy(err->msg, tmp, strlen(tmp) + 1);
    }
    return code;
}
