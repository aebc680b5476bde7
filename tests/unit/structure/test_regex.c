/*
 * The core's PCRE2 wrapper as the plugins call it (host API regex_match): it checks UTF-8
 * over the part of the subject PCRE2 would inspect, reuses one match data per thread and
 * reports the whole match even when the pattern has more groups than it keeps.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "errors.h"

static struct qms_regex *compile(const char *pattern)
{
    char err[256] = "";
    struct qms_regex *re = qms_regex_compile(pattern, 0, err, sizeof err);
    cr_assert_not_null(re, "'%s': %s", pattern, err);
    return re;
}

static int match(const char *pattern, const char *subject, size_t start, size_t *out_start,
                 size_t *out_end)
{
    struct qms_regex *re = compile(pattern);
    int rc = qms_regex_match(re, subject, strlen(subject), start, out_start, out_end);
    qms_regex_free(re);
    return rc;
}

Test(regex, invalid_utf8_before_a_later_start_is_not_read)
{
    size_t s = 0, e = 0;
    /* as PCRE2 itself: the text before the start (and its lookbehind) is not checked */
    cr_expect_eq(match("abc", "\xff  abc", 3, &s, &e), 1);
    cr_expect(s == 3 && e == 6);
    cr_expect_eq(match("(?<=\\s\\s)abc", "\xff\x80\x80 abc", 5, &s, &e), 0);
    cr_expect_eq(match("(?<=x)abc", "\xff" "xabc", 2, &s, &e), 1);
}

Test(regex, invalid_utf8_the_match_may_read_is_an_error)
{
    size_t s = 0, e = 0;
    cr_expect_eq(match("abc", "\xff  abc", 0, &s, &e), QMS_EFORMAT);
    cr_expect_eq(match("abc", "  abc\xff", 3, &s, &e), QMS_EFORMAT);
    /* a lookbehind of three characters reaches back over the continuation bytes to 0xFF */
    cr_expect_eq(match("(?<=\\s\\s\\s)abc", "\xff\x80\x80 abc", 5, &s, &e), QMS_EFORMAT);
    cr_expect_eq(match("\\babc", "\xff" "abc", 1, &s, &e), QMS_EFORMAT);
    /* a start inside a character */
    cr_expect_lt(match("x", "\xC3\xA9x", 1, &s, &e), 0);
}

Test(regex, whole_match_reported_when_groups_exceed_the_kept_pair)
{
    size_t s = 0, e = 0;
    cr_assert_eq(match("(a)(b)(c)(d)", "xxabcd", 0, &s, &e), 1);
    cr_expect(s == 2 && e == 6);
    cr_assert_eq(match("a\\Kb", "zab", 0, &s, &e), 1);
    cr_expect(s == 2 && e == 3);
}

Test(regex, valid_non_ascii_subject_matches_from_any_start)
{
    const char *text = "caf\xC3\xA9 r\xC3\xA9sum\xC3\xA9 caf\xC3\xA9";
    struct qms_regex *re = compile("caf\xC3\xA9");
    size_t pos = 0, s, e, n = 0;
    while (qms_regex_match(re, text, strlen(text), pos, &s, &e) == 1) {
        n++;
        pos = e;
    }
    cr_expect_eq(n, 2);
    qms_regex_free(re);
}

struct worker {
    struct qms_regex *re;
    int matched;
};

static void *run_worker(void *arg)
{
    struct worker *w = arg;
    char text[64];
    for (int i = 0; i < 2000; i++) {
        size_t s, e;
        snprintf(text, sizeof text, "item %d: (TBD) and %d", i, i * 7);
        if (qms_regex_match(w->re, text, strlen(text), 0, &s, &e) == 1 && e - s == 3)
            w->matched++;
    }
    return NULL;
}

/* Each thread has its own match data: threads that match at once see their own results,
   and the data of a finished thread is freed (ASan's leak check). */
Test(regex, threads_match_with_their_own_match_data)
{
    struct qms_regex *re = compile("(T)(B)(D)");
    struct worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i].re = re;
        w[i].matched = 0;
        cr_assert_eq(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(w[i].matched, 2000);
    }
    qms_regex_free(re);
}
