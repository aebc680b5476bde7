#include "caps.h"

void qms_limits_default(struct qms_limits *out)
{
    out->max_file_size = 256ull << 20;
    out->max_part_size = 256ull << 20;
    out->max_total_size = 512ull << 20;
    out->max_ratio = 200;
    out->max_entries = 10000;
    out->max_depth = 256;
    out->max_line = 1ull << 20;
    out->max_doc_memory = 512ull << 20;
}
