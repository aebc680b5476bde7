/* libFuzzer target: the markdown reader over arbitrary bytes. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err;
    qms_fuzz_limits(&limits);
    err.msg[0] = '\0';
    if (qms_md_read(&doc, "fuzz.md", (const char *)data, size, &limits, &err) == 0)
        qms_doc_free(doc);
    return 0;
}
