/* Test helper: builds a zip archive in memory with libzip (used by the zipxml and docx suites). */
#ifndef QMS_ZIPTEST_H
#define QMS_ZIPTEST_H

#include <stdlib.h>
#include <string.h>

#include <zip.h>

struct ziptest_entry {
    const char *name;
    const char *data; /* NUL-terminated unless len is set */
    size_t len;
    int store;        /* 1: stored, 0: deflated */
};

/* A malloc'd zip holding the entries (terminated by a NULL name); *out_len set. NULL on error. */
static inline char *ziptest_build(const struct ziptest_entry *entries, size_t *out_len)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
    if (!za) {
        zip_source_free(src);
        return NULL;
    }
    for (const struct ziptest_entry *e = entries; e->name; e++) {
        size_t len = e->len ? e->len : strlen(e->data);
        zip_source_t *part = zip_source_buffer(za, e->data, len, 0);
        zip_int64_t idx = zip_file_add(za, e->name, part, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(part);
            zip_discard(za);
            zip_source_free(src);
            return NULL;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        zip_source_free(src);
        return NULL;
    }
    zip_stat_t st;
    zip_source_stat(src, &st);
    char *buf = malloc(st.size ? st.size : 1);
    zip_source_open(src);
    zip_int64_t got = zip_source_read(src, buf, st.size);
    zip_source_close(src);
    zip_source_free(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    *out_len = (size_t)st.size;
    return buf;
}

#endif
