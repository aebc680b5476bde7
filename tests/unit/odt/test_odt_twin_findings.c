/*
 * The twin procedure (fixtures/odt/twin/: one document saved as ODT and as DOCX) gives the same
 * findings from every plugin through the real host. Each twin is checked alone, as its own set;
 * findings are compared by rule, section and message, with what legitimately differs between
 * the formats folded: the file extension, the part name and the paragraph number.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

/* 2026-01-15 as days since 1970-01-01. */
#define TODAY 20468

static void replace_all(char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    char *p = s;
    while ((p = strstr(p, from))) {
        memmove(p + tl, p + fl, strlen(p + fl) + 1);
        memcpy(p, to, tl);
        p += tl;
    }
}

/* "paragraph 12" -> "paragraph #", "¶12" -> "¶#" */
static void fold_numbers_after(char *s, const char *word)
{
    size_t wl = strlen(word);
    for (char *p = strstr(s, word); p; p = strstr(p + wl, word)) {
        char *q = p + wl;
        char *e = q;
        while (*e >= '0' && *e <= '9')
            e++;
        if (e > q) {
            *q = '#';
            memmove(q + 1, e, strlen(e) + 1);
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, folded "rule | section | message" lines for one twin checked alone. */
static char **findings_of(const char *name, size_t *out_n)
{
    char rel[256];
    snprintf(rel, sizeof rel, "odt/twin/%s", name);
    char *src = qms_test_fixture(rel);
    size_t len = 0;
    char *data = qms_test_read(src, &len);
    cr_assert_not_null(data, "fixture %s missing", src);
    char *dir = qms_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, data, len), 0);

    static const char *const plugin_paths[] = {QMS_TEST_PLUGIN_DIR};
    struct qms_run_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.jobs = 1;
    opts.today = TODAY;
    opts.plugin_paths = plugin_paths;
    opts.n_plugin_paths = 1;
    opts.no_default_plugin_dirs = 1;
    opts.rules_dir = QMS_TEST_SOURCE_DIR "/rules";

    struct qms_err err = {{0}};
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_result *result = NULL;
    cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);
    cr_assert_gt(qms_engine_plugin_count(engine), 2, "the plugins were not found");
    memset(&inputs, 0, sizeof inputs);
    const char *paths[] = {dir};
    cr_assert_eq(qms_discover(&inputs, paths, 1, dir, cfg, &err), 0, "%s", err.msg);
    cr_assert_eq(inputs.n_docs, 1);
    cr_assert_eq(qms_engine_run(engine, &inputs, &result, &err), 0, "%s", err.msg);

    char **lines = calloc(result->n_findings + 1, sizeof *lines);
    for (size_t i = 0; i < result->n_findings; i++) {
        const struct qms_finding *f = &result->findings[i];
        size_t n = strlen(f->rule_id) + strlen(f->message) + (f->section ? strlen(f->section) : 0) + 64;
        char *line = malloc(n + 64);
        snprintf(line, n + 64, "%s | %s | %s", f->rule_id, f->section ? f->section : "-", f->message);
        replace_all(line, "QP-7.5-02.docx", "QP-7.5-02.X");
        replace_all(line, "QP-7.5-02.odt", "QP-7.5-02.X");
        replace_all(line, "word/document.xml", "PART");
        replace_all(line, "content.xml", "PART");
        fold_numbers_after(line, "paragraph ");
        fold_numbers_after(line, "\xc2\xb6");
        lines[i] = line;
    }
    if (result->n_findings > 1)
        qsort(lines, result->n_findings, sizeof *lines, cmp_str);
    *out_n = result->n_findings;
    qms_result_free(result);
    qms_inputs_free(&inputs);
    qms_engine_free(engine);
    qms_config_free(cfg);
    free(data);
    free(src);
    free(dir);
    return lines;
}

Test(odt, twin_docx_gives_the_same_findings)
{
    size_t n_odt = 0, n_docx = 0;
    char **odt = findings_of("QP-7.5-02.odt", &n_odt);
    char **docx = findings_of("QP-7.5-02.docx", &n_docx);
    for (size_t i = 0; i < n_odt || i < n_docx; i++)
        cr_log_info("odt:  %s\n      docx: %s", i < n_odt ? odt[i] : "(none)",
                    i < n_docx ? docx[i] : "(none)");
    cr_assert_gt(n_odt, 0, "the twin is meant to have findings (a set of one document)");
    cr_assert_eq(n_odt, n_docx, "ODT gives %zu findings, DOCX %zu", n_odt, n_docx);
    for (size_t i = 0; i < n_odt; i++)
        cr_expect_str_eq(odt[i], docx[i]);
}
