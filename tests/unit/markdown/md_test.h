/* Helpers shared by the Markdown reader suites. */
#ifndef MD_TEST_H
#define MD_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "reader.h"
#include "testutil.h"

/* Reads Markdown from a string with default limits; fails the test on an error. */
static inline struct qms_doc *md_parse(const char *text)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_md_read(&doc, "test.md", text, strlen(text), &limits, &err);
    cr_assert_eq(rc, 0, "qms_md_read failed (%d): %s", rc, err.msg);
    cr_assert_not_null(doc);
    return doc;
}

/* Reads a fixture from fixtures/markdown/ (the copy in the build tree). */
static inline struct qms_doc *md_fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "markdown/%s", name);
    char *path = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    cr_assert_not_null(data, "fixture %s missing", path);
    struct qms_limits limits;
    qms_limits_default(&limits);
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_md_read(&doc, rel, data, len, &limits, &err);
    cr_assert_eq(rc, 0, "%s: %s", rel, err.msg);
    free(data);
    free(path);
    return doc;
}

/* Expects a refusal with exactly `code` and `message`. */
static inline void md_expect_error(const char *data, size_t len, const struct qms_limits *limits,
                                   int code, const char *message)
{
    struct qms_limits defaults;
    if (!limits) {
        qms_limits_default(&defaults);
        limits = &defaults;
    }
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    int rc = qms_md_read(&doc, "bad.md", data, len, limits, &err);
    cr_assert_eq(rc, code, "expected %d, got %d (%s)", code, rc, err.msg);
    cr_assert_null(doc);
    cr_assert_str_eq(err.msg, message);
}

/* The n-th (0-based) block of a kind, or NULL. */
static inline const struct qms_block *md_block(const struct qms_doc *d, enum qms_block_kind kind,
                                               size_t n)
{
    for (size_t i = 0; i < d->n_blocks; i++)
        if (d->blocks[i].kind == kind && n-- == 0)
            return &d->blocks[i];
    return NULL;
}

static inline size_t md_count(const struct qms_doc *d, enum qms_block_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_blocks; i++)
        n += d->blocks[i].kind == kind;
    return n;
}

/* The first block whose text is `text`, or NULL. */
static inline const struct qms_block *md_block_text(const struct qms_doc *d, const char *text)
{
    for (size_t i = 0; i < d->n_blocks; i++)
        if (strcmp(d->blocks[i].text, text) == 0)
            return &d->blocks[i];
    return NULL;
}

static inline const struct qms_link *md_link_to(const struct qms_doc *d, const char *target)
{
    for (size_t i = 0; i < d->n_links; i++)
        if (strcmp(d->links[i].target, target) == 0)
            return &d->links[i];
    return NULL;
}

static inline const struct qms_property *md_prop(const struct qms_doc *d, const char *name, size_t n)
{
    for (size_t i = 0; i < d->n_properties; i++)
        if (strcmp(d->properties[i].name, name) == 0 && n-- == 0)
            return &d->properties[i];
    return NULL;
}

static inline const struct qms_anchor *md_anchor(const struct qms_doc *d, const char *name)
{
    for (size_t i = 0; i < d->n_anchors; i++)
        if (strcmp(d->anchors[i].name, name) == 0)
            return &d->anchors[i];
    return NULL;
}

#define md_assert_loc(loc_, line_, col_)                                                           \
    do {                                                                                           \
        cr_assert_eq((loc_).line, (uint32_t)(line_), "line %u, expected %u", (loc_).line,         \
                     (uint32_t)(line_));                                                           \
        cr_assert_eq((loc_).column, (uint32_t)(col_), "column %u, expected %u", (loc_).column,    \
                     (uint32_t)(col_));                                                            \
        cr_assert_null((loc_).part);                                                               \
    } while (0)

/*
 * The examples of a CommonMark / GFM spec file: each sits between a line of 32 backticks
 * followed by " example" and a closing line of 32 backticks; the Markdown is what comes before
 * the "." separator line, with '→' standing for a tab. Calls cb for each ("example-N.md") and
 * returns their number.
 */
static inline size_t md_spec_examples(const char *text,
                                      void (*cb)(const char *name, const char *data, size_t len,
                                                 void *payload),
                                      void *payload)
{
    static const char fence[] = "````````````````````````````````";
    size_t n = 0;
    const char *p = text;
    char *buf = NULL;
    size_t cap = 0;
    while ((p = strstr(p, fence)) != NULL) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            break;
        if (!strstr(p, " example") || strstr(p, " example") > eol) {
            p = eol;
            continue;
        }
        const char *start = eol + 1, *end = strstr(start, fence);
        if (!end)
            break;
        const char *sep = start;
        while (sep < end &&
               !(sep[0] == '.' && sep[1] == '\n' && (sep == start || sep[-1] == '\n')))
            sep = strchr(sep, '\n') ? strchr(sep, '\n') + 1 : end;
        size_t len = (size_t)(sep - start);
        if (cap < len * 3 + 1) {
            cap = len * 3 + 1;
            char *nb = realloc(buf, cap);
            cr_assert_not_null(nb);
            buf = nb;
        }
        size_t w = 0;
        for (size_t i = 0; i < len; i++) {
            if (i + 2 < len && memcmp(start + i, "\xe2\x86\x92", 3) == 0) {
                buf[w++] = '\t';
                i += 2;
            } else {
                buf[w++] = start[i];
            }
        }
        char name[64];
        snprintf(name, sizeof name, "example-%zu.md", n + 1);
        cb(name, buf, w, payload);
        n++;
        p = end + sizeof fence - 1;
    }
    free(buf);
    return n;
}

#endif
