/* libFuzzer target: the ODT reader. An input starting with "PK" is read as the package it
 * is; anything else is parts separated by NUL bytes (content.xml, styles.xml, meta.xml)
 * packed into an ODT (fuzz_zip.h). Inputs starting with "<" also go through the flat .fodt
 * path. */
#include "fuzz_reader.h"
#include "fuzz_zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err;
    struct fzip z;
    const char *pkg = (const char *)data;
    size_t len = size;
    qms_fuzz_limits(&limits);
    err.msg[0] = '\0';
    if (size > 0 && data[0] == '<') {
        if (qms_odt_read(&doc, "fuzz.fodt", pkg, len, &limits, &err) == 0)
            qms_doc_free(doc);
        doc = NULL;
    }
    if (fzip_odt(&z, data, size, &pkg, &len) != 0) {
        free(z.data);
        return 0;
    }
    if (qms_odt_read(&doc, "fuzz.odt", pkg, len, &limits, &err) == 0)
        qms_doc_free(doc);
    free(z.data);
    return 0;
}
