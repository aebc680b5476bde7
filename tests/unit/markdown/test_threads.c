/* The reader keeps no global state: documents read on several threads at once come out the
 * same as when read alone. */
#include "md_test.h"

#include <pthread.h>

struct job {
    const char *data;
    size_t len;
    size_t n_blocks, n_links, n_anchors, n_properties;
    int rc;
};

static void *read_many(void *arg)
{
    struct job *j = arg;
    for (int round = 0; round < 20; round++) {
        struct qms_doc *d = NULL;
        struct qms_err err = {{0}};
        j->rc = qms_md_read(&d, "t.md", j->data, j->len, NULL, &err);
        if (j->rc)
            return NULL;
        j->n_blocks = d->n_blocks;
        j->n_links = d->n_links;
        j->n_anchors = d->n_anchors;
        j->n_properties = d->n_properties;
        qms_doc_free(d);
    }
    return NULL;
}

Test(markdown, concurrent_reads_agree)
{
    static const char *const names[] = {"links.md", "tables.md", "front-matter.md", "headings.md"};
    struct job jobs[8];
    pthread_t threads[8];
    char *data[4];
    for (int i = 0; i < 4; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "markdown/%s", names[i]);
        char *path = qms_test_fixture(rel);
        size_t len = 0;
        data[i] = qms_test_read(path, &len);
        cr_assert_not_null(data[i]);
        free(path);
        jobs[i].data = jobs[i + 4].data = data[i];
        jobs[i].len = jobs[i + 4].len = len;
    }
    for (int i = 0; i < 8; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, read_many, &jobs[i]), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(jobs[i].rc, 0);
        cr_assert_eq(jobs[i].n_blocks, jobs[i + 4].n_blocks);
        cr_assert_eq(jobs[i].n_links, jobs[i + 4].n_links);
        cr_assert_eq(jobs[i].n_anchors, jobs[i + 4].n_anchors);
        cr_assert_eq(jobs[i].n_properties, jobs[i + 4].n_properties);
        struct qms_doc *d = md_fixture(names[i]);
        cr_assert_eq(d->n_blocks, jobs[i].n_blocks);
        cr_assert_eq(d->n_links, jobs[i].n_links);
        qms_doc_free(d);
    }
    for (int i = 0; i < 4; i++)
        free(data[i]);
}
