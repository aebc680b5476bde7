/* libFuzzer target: the Markdown reader, then metadata extraction over the model (front
 * matter, control block, revision history, register tables, dates, revisions, IDs). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_reader.h"
#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qms_meta_opts *meta_opts(void)
{
    static struct qms_meta_opts *opts;
    static int tried;
    if (!tried) {
        struct qms_err err;
        const char *dir = getenv("QMSLINT_RULES_DIR");
        tried = 1;
        if (qms_meta_opts_load(&opts, dir ? dir : QMS_FUZZ_RULES_DIR, NULL, &err)) {
            fprintf(stderr, "fuzz_meta: cannot load labels.yml: %s\n", err.msg);
            opts = NULL;
        }
    }
    return opts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err;
    const struct qms_meta_opts *opts = meta_opts();
    if (!opts)
        return 0;
    qms_fuzz_limits(&limits);
    if (qms_md_read(&doc, "QP-001_fuzz.md", (const char *)data, size, &limits, &err) == 0) {
        const struct qms_meta *meta = NULL;
        if (qms_meta_extract(&meta, doc, qms_doc_arena(doc), opts, &err) == 0)
            doc->meta = meta;
        qms_doc_free(doc);
    }
    return 0;
}
