/* Regression tests from the security review of the structure plugin. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "fakehost.h"

#define EMPTY "structure/empty-section"

static struct fake_host review_host;

/* n headings, each followed by an image the reader kept only as a link (a DOCX drawing):
 * every heading looked through all images before its own, n^2 / 2 location compares. */
static struct qms_doc *headings_with_images(size_t n, int last_empty)
{
    struct qms_docb b;
    cr_assert_eq(qms_docb_init(&b, "pictures.md", QMS_FORMAT_MARKDOWN, NULL), 0);
    uint32_t line = 1;
    for (size_t i = 0; i < n; i++) {
        char text[32];
        snprintf(text, sizeof text, "Figure %zu", i);
        struct qms_location loc = {0};
        loc.line = line++;
        loc.column = 1;
        cr_assert(qms_docb_add_block(&b, QMS_BLOCK_HEADING, 2, text, strlen(text), loc));
        if (last_empty && i + 1 == n)
            break;
        loc.line = line++;
        cr_assert(qms_docb_add_link(&b, QMS_LINK_IMAGE, "fig.png", "", loc));
    }
    struct qms_doc *doc = NULL;
    cr_assert_eq(qms_docb_finish(&b, &doc), 0);
    return doc;
}

Test(structure_review, many_sections_holding_only_images_stay_linear)
{
    struct qms_doc *doc = headings_with_images(40000, 0);
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(&review_host, &state), 0, "init failed: %s", review_host.error);
    clock_t start = clock();
    cr_assert_eq(fake_plugin_check(&review_host, state, doc), 0);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    fake_plugin_fini(state);
    cr_expect_eq(fake_count(&review_host, EMPTY), 0, "an image is content");
    cr_expect_lt(seconds, 10.0, "took %.1f s", seconds);
    qms_doc_free(doc);
}

Test(structure_review, image_sections_in_a_normal_document_still_checked)
{
    struct qms_doc *doc = headings_with_images(50, 1);
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(&review_host, &state), 0, "init failed: %s", review_host.error);
    cr_assert_eq(fake_plugin_check(&review_host, state, doc), 0);
    fake_plugin_fini(state);
    cr_assert_eq(fake_count(&review_host, EMPTY), 1);
    cr_expect_str_eq(fake_first(&review_host, EMPTY)->message, "section 'Figure 49' is empty");
    qms_doc_free(doc);
}
