/* Region allocator: one per document (and one per config / rule pack). Everything allocated
 * from it dies with qms_arena_free; nothing is freed one by one. Not thread-safe: an arena
 * belongs to the thread that builds it. */
#ifndef QMS_ARENA_H
#define QMS_ARENA_H

#include <stddef.h>

struct qms_arena;

/* A new empty arena, or NULL when out of memory. `cap` limits its total size (0: no limit). */
struct qms_arena *qms_arena_new(size_t cap);
void qms_arena_free(struct qms_arena *a);
/* Hands the arena a read-only mmap(2) of `len` bytes: unmapped by qms_arena_free, so what
 * points into it lives exactly as long as the arena's allocations. One per arena; QMS_EINTERNAL
 * when it already has one. */
int qms_arena_adopt_map(struct qms_arena *a, void *map, size_t len);

/* `size` zeroed bytes aligned for any type; NULL when out of memory or over the cap. */
void *qms_arena_alloc(struct qms_arena *a, size_t size);
/* `size` bytes aligned for any type, not zeroed (a buffer about to be filled). */
void *qms_arena_alloc_raw(struct qms_arena *a, size_t size);
/* A copy of s[0..len) plus a NUL; NULL on failure. */
char *qms_arena_strndup(struct qms_arena *a, const char *s, size_t len);
char *qms_arena_strdup(struct qms_arena *a, const char *s);
/* printf into the arena. */
char *qms_arena_printf(struct qms_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for digests and the memory benchmark). */
size_t qms_arena_used(const struct qms_arena *a);

/*
 * A growable array of fixed-size elements inside an arena: growth doubles and copies, the
 * old storage is left to the arena. `qms_vec_push` returns the new zeroed element or NULL.
 */
struct qms_vec {
    void *items;
    size_t len, cap, elem_size;
};
void qms_vec_init(struct qms_vec *v, size_t elem_size);
void *qms_vec_push(struct qms_arena *a, struct qms_vec *v);

/*
 * A growable byte buffer on the heap with a hard cap (curl's dynbuf): appending past the
 * cap fails with QMS_ETOOBIG and leaves the buffer as it was.
 */
struct qms_buf {
    char *data;   /* NUL-terminated while len > 0 */
    size_t len, cap, max;
};
void qms_buf_init(struct qms_buf *b, size_t max);
int qms_buf_append(struct qms_buf *b, const char *s, size_t len);
int qms_buf_appendc(struct qms_buf *b, char c);
int qms_buf_printf(struct qms_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qms_buf_reset(struct qms_buf *b);
void qms_buf_free(struct qms_buf *b);

#endif
