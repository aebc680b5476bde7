/*
 * libFuzzer target: the markdown reader over arbitrary bytes, read twice: with the block
 * scanner (md_block.c) allowed and with it turned off. The two results must be the same
 * (return code, message, model field by field); a difference aborts with what differed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_reader.h"
#include "md_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qms_limits limits;
    qms_fuzz_limits(&limits);
    char msg[512];
    if (md_read_both("fuzz.md", (const char *)data, size, &limits, msg, sizeof msg) < 0) {
        fprintf(stderr, "fuzz_markdown: the block scanner and the grammar disagree: %s\n", msg);
        abort();
    }
    return 0;
}
