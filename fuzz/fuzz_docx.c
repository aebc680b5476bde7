/* libFuzzer target: the DOCX reader. An input starting with "PK" is read as the package it
 * is; anything else is parts separated by NUL bytes (document.xml, styles.xml, core.xml,
 * custom.xml, comments.xml, header1.xml, footnotes.xml) packed into a DOCX (fuzz_zip.h). */
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
    if (fzip_docx(&z, data, size, &pkg, &len) != 0) {
        free(z.data);
        return 0;
    }
    if (qms_docx_read(&doc, "fuzz.docx", pkg, len, &limits, &err) == 0)
        qms_doc_free(doc);
    free(z.data);
    return 0;
}
