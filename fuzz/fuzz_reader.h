/* Shared body of the reader fuzz targets: one reader over the input, then free. The limits are
 * the defaults except the memory-bound ones, lowered so libFuzzer's RSS limit measures leaks
 * and blow-ups rather than a legitimate 256 MiB part. */
#ifndef QMS_FUZZ_READER_H
#define QMS_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "doc.h"

static inline void qms_fuzz_limits(struct qms_limits *limits)
{
    qms_limits_default(limits);
    limits->max_part_size = 16u << 20;
    limits->max_total_size = 32u << 20;
    limits->max_doc_memory = 64u << 20;
}

#endif
