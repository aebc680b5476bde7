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

static void read_example(const char *name, const char *data, size_t len, void *payload)
{
    (void)payload;
    read_one(name, data, len);
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
        examples += md_spec_examples(data, read_example, NULL);
        files++;
        free(data);
    }
    closedir(dh);
    cr_log_info("%zu files, %zu examples", files, examples);
    cr_assert_gt(files, 0);
    cr_assert_gt(examples, 600, "found only %zu examples", examples);
    free(dir);
}
