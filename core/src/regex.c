/* PCRE2 for plugins: compiled once (init), matched from any thread. A compiled pattern is
 * shared read-only between workers; the match data (one offset pair, all a caller gets) is
 * each thread's own, made on its first match and freed when the thread ends. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Backtracking caps: hostile text must not make one match run for minutes. */
#define REGEX_MATCH_LIMIT 5000000u
#define REGEX_DEPTH_LIMIT 100000u

struct qms_regex {
    pcre2_code *code;
    pcre2_match_context *mctx;
    uint32_t max_lookbehind; /* characters a match may look back before its start */
};

static pthread_key_t match_data_key;
static pthread_once_t match_data_once = PTHREAD_ONCE_INIT;
static int match_data_key_ok;

static void match_data_free(void *md) { pcre2_match_data_free(md); }

static void match_data_key_init(void)
{
    match_data_key_ok = pthread_key_create(&match_data_key, match_data_free) == 0;
}

/* This thread's match data, or NULL (the caller then makes one for the call). */
static pcre2_match_data *thread_match_data(void)
{
    if (pthread_once(&match_data_once, match_data_key_init) != 0 || !match_data_key_ok)
        return NULL;
    pcre2_match_data *md = pthread_getspecific(match_data_key);
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        if (md && pthread_setspecific(match_data_key, md) != 0) {
            pcre2_match_data_free(md);
            md = NULL;
        }
    }
    return md;
}

struct qms_regex *qms_regex_compile(const char *pattern, int caseless, char *err, size_t err_size)
{
    if (!pattern) {
        if (err && err_size)
            snprintf(err, err_size, "no pattern");
        return NULL;
    }
    struct qms_regex *re = calloc(1, sizeof *re);
    if (!re) {
        if (err && err_size)
            snprintf(err, err_size, "out of memory");
        return NULL;
    }
    uint32_t flags = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
    int code = 0;
    PCRE2_SIZE offset = 0;
    re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags, &code, &offset, NULL);
    if (!re->code) {
        if (err && err_size) {
            PCRE2_UCHAR msg[256];
            if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
                snprintf((char *)msg, sizeof msg, "error %d", code);
            snprintf(err, err_size, "%s at offset %zu", (const char *)msg, (size_t)offset);
        }
        free(re);
        return NULL;
    }
    /* JIT is an optimisation only: without it matching still works. */
    (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    if (pcre2_pattern_info(re->code, PCRE2_INFO_MAXLOOKBEHIND, &re->max_lookbehind) != 0)
        re->max_lookbehind = UINT32_MAX; /* unknown: the whole subject before the start */
    re->mctx = pcre2_match_context_create(NULL);
    if (!re->mctx) {
        pcre2_code_free(re->code);
        free(re);
        if (err && err_size)
            snprintf(err, err_size, "out of memory");
        return NULL;
    }
    pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);
    return re;
}

/*
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), ASCII
 * eight bytes at a time. PCRE2 validates the subject on every match, byte by byte: with many
 * patterns over the same text that check cost more than the matching. What passes here is
 * valid for PCRE2 too, so the match runs with PCRE2_NO_UTF_CHECK; anything else is left to
 * PCRE2's own check, which then reports exactly what it always did.
 */
static int utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 32 <= len) {
            uint64_t w[4];
            memcpy(w, s + i, 32);
            if (!((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull)) {
                i += 32;
                continue;
            }
        }
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07u;
        } else {
            return 0;
        }
        if (len - i < n)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

int qms_regex_match(const struct qms_regex *re, const char *subject, size_t len, size_t start,
                    size_t *out_start, size_t *out_end)
{
    if (!re || !subject || start > len)
        return QMS_EUSAGE;
    pcre2_match_data *own = NULL, *md = thread_match_data();
    if (!md) {
        md = own = pcre2_match_data_create(1, NULL);
        if (!md)
            return QMS_ENOMEM;
    }
    /* PCRE2 checks the subject from the longest lookbehind before the start to the end: the
     * same part is checked here (a scan from a later start does not re-read the text before
     * it). Stepping back a character skips continuation bytes, as PCRE2 does. */
    size_t check = start;
    for (uint32_t n = re->max_lookbehind; n > 0 && check > 0; n--) {
        check--;
        while (check > 0 && ((unsigned char)subject[check] & 0xC0) == 0x80)
            check--;
    }
    uint32_t opts = 0;
    if ((start == len || ((unsigned char)subject[start] & 0xC0) != 0x80) &&
        utf8_valid((const unsigned char *)subject + check, len - check))
        opts = PCRE2_NO_UTF_CHECK;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, start, opts, md, re->mctx);
    int result;
    if (rc == PCRE2_ERROR_NOMATCH) {
        result = 0;
    } else if (rc < 0) {
        /* invalid UTF-8, match limit: the subject is not matched, the caller is told */
        result = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ? QMS_ETOOBIG
                                                                              : QMS_EFORMAT;
    } else {
        /* rc 0: a match whose groups did not fit the one pair, which is all we report */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (out_start)
            *out_start = ov[0];
        if (out_end)
            *out_end = ov[1] < ov[0] ? ov[0] : ov[1];
        result = 1;
    }
    pcre2_match_data_free(own);
    return result;
}

void qms_regex_free(struct qms_regex *re)
{
    if (!re)
        return;
    pcre2_match_context_free(re->mctx);
    pcre2_code_free(re->code);
    free(re);
}
