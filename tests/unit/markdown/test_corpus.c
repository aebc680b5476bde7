/* Robustness: every Markdown file of the shared corpus and every example snippet of the
 * CommonMark / GFM spec files in it load without a crash (run under ASan too). */
#include "md_test.h"

#include <dirent.h>
#include <stdio.h>

static int read_one(const char *name, const char *data, size_t len)
{
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    int rc = qms_md_read(&d, name, data, len, NULL, &err);
    if (rc == 0) {
        cr_assert_not_null(d);
        for (size_t i = 0; i < d->n_blocks; i++) {
            cr_assert_not_null(d->blocks[i].text);
            cr_assert_eq(strlen(d->blocks[i].text), d->blocks[i].text_len);
            cr_assert_geq(d->blocks[i].loc.line, 1);
            cr_assert_geq(d->blocks[i].loc.column, 1);
        }
        for (size_t i = 0; i < d->n_links; i++)
            cr_assert_geq(d->links[i].loc.line, 1);
        qms_doc_free(d);
    } else {
        cr_assert_neq(err.msg[0], '\0', "%s: refused without a reason", name);
    }
    return rc;
}

/* Spec examples sit between "```````````````````````````````` example" and a closing fence
 * of 32 backticks; the marker '→' stands for a tab. */
static size_t run_examples(const char *file, const char *text)
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
        /* the example is the Markdown before the "." separator line */
        const char *sep = start;
        while (sep < end && !(sep[0] == '.' && (sep[1] == '\n') && (sep == start || sep[-1] == '\n')))
            sep = strchr(sep, '\n') ? strchr(sep, '\n') + 1 : end;
        size_t len = (size_t)(sep - start);
        if (cap < len * 3 + 1) {
            cap = len * 3 + 1;
            buf = realloc(buf, cap);
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
        read_one(name, buf, w);
        n++;
        p = end + sizeof fence - 1;
    }
    free(buf);
    (void)file;
    return n;
}

Test(markdown, corpus_files_and_spec_examples_load, .timeout = 600)
{
    char *dir = qms_test_shared("corpus/md");
    if (!dir)
        cr_skip_test("../shared/corpus/md is absent");
    DIR *dh = opendir(dir);
    cr_assert_not_null(dh);
    struct dirent *e;
    size_t files = 0, examples = 0;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *data = qms_test_read(path, &len);
        if (!data)
            continue;
        read_one(e->d_name, data, len);
        examples += run_examples(e->d_name, data);
        files++;
        free(data);
    }
    closedir(dh);
    cr_log_info("%zu files, %zu examples", files, examples);
    cr_assert_gt(files, 0);
    cr_assert_gt(examples, 600, "found only %zu examples", examples);
    free(dir);
}
