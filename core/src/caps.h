/* Caps on hostile input. Defaults are generous for real documents and small for bombs;
 * every one can be overridden in .qmslint.yml under `limits:`. */
#ifndef QMS_CAPS_H
#define QMS_CAPS_H

#include <stddef.h>
#include <stdint.h>

struct qms_limits {
    uint64_t max_file_size;     /* bytes read from disk for one document (default 256 MiB) */
    uint64_t max_part_size;     /* decompressed bytes of one zip entry (default 256 MiB) */
    uint64_t max_total_size;    /* decompressed bytes read from one package (default 512 MiB) */
    uint32_t max_ratio;         /* decompressed / compressed size of one entry (default 200) */
    uint32_t max_entries;       /* entries in one zip (default 10,000) */
    uint32_t max_depth;         /* XML element nesting (default 256) */
    uint64_t max_line;          /* longest Markdown line in bytes (default 1 MiB) */
    uint64_t max_doc_memory;    /* arena bytes for one document model (default 512 MiB) */
};

void qms_limits_default(struct qms_limits *out);

#endif
