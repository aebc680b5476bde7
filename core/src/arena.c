#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "errors.h"

/* Chunks grow geometrically from 16 KiB; an allocation larger than a chunk gets its own. */
#define ARENA_FIRST_CHUNK (16u * 1024u)
#define ARENA_MAX_CHUNK (4u * 1024u * 1024u)
#define ARENA_ALIGN 16u

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct qms_arena {
    struct chunk *head;
    size_t cap, total, used;
    size_t next_size;
    void *map; /* a read-only file mapping that lives as long as the arena, or NULL */
    size_t map_len;
};

struct qms_arena *qms_arena_new(size_t cap)
{
    struct qms_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->cap = cap;
    a->next_size = ARENA_FIRST_CHUNK;
    return a;
}

void qms_arena_free(struct qms_arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    if (a->map)
        munmap(a->map, a->map_len);
    free(a);
}

int qms_arena_adopt_map(struct qms_arena *a, void *map, size_t len)
{
    if (!a || a->map)
        return QMS_EINTERNAL;
    a->map = map;
    a->map_len = len;
    return 0;
}

/* `size` bytes starting at a multiple of `align` (a power of two up to ARENA_ALIGN), not
 * zeroed. Strings take align 1: a short string costs its length, not 16 bytes. */
static void *arena_take(struct qms_arena *a, size_t size, size_t align)
{
    if (size == 0)
        size = 1;
    /* The chunk header and the alignment are added to the request below: keep the sum from
       wrapping. */
    if (size > SIZE_MAX - 2 * ARENA_ALIGN - sizeof(struct chunk))
        return NULL;
    struct chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < size) {
        size_t want = a->next_size;
        size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        if (want < need)
            want = need;
        /* Written as subtractions: total + want could wrap around for a huge request. */
        if (a->cap && (a->total > a->cap || want > a->cap - a->total)) {
            want = need;
            if (a->total > a->cap || want > a->cap - a->total)
                return NULL;
        }
        c = malloc(sizeof *c + want);
        if (!c)
            return NULL;
        c->size = want;
        c->used = 0;
        /* A big one-off allocation goes behind the current chunk so its free space is kept. */
        if (a->head && want == need && a->head->size - a->head->used > 256) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        a->total += want;
        if (a->next_size < ARENA_MAX_CHUNK)
            a->next_size *= 2;
        at = 0;
    }
    void *p = c->data + at;
    a->used += size + (at - c->used);
    c->used = at + size;
    return p;
}

void *qms_arena_alloc(struct qms_arena *a, size_t size)
{
    void *p = arena_take(a, size, ARENA_ALIGN);
    if (p)
        memset(p, 0, size ? size : 1);
    return p;
}

void *qms_arena_alloc_raw(struct qms_arena *a, size_t size)
{
    return arena_take(a, size, ARENA_ALIGN);
}

char *qms_arena_strndup(struct qms_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = arena_take(a, len + 1, 1);
    if (!d)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *qms_arena_strdup(struct qms_arena *a, const char *s)
{
    return s ? qms_arena_strndup(a, s, strlen(s)) : NULL;
}

char *qms_arena_printf(struct qms_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *d = qms_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

size_t qms_arena_used(const struct qms_arena *a) { return a ? a->used : 0; }

void qms_vec_init(struct qms_vec *v, size_t elem_size)
{
    v->items = NULL;
    v->len = v->cap = 0;
    v->elem_size = elem_size;
}

void *qms_vec_push(struct qms_arena *a, struct qms_vec *v)
{
    if (v->len == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 8;
        if (v->elem_size == 0 || v->cap > SIZE_MAX / 2 || ncap > SIZE_MAX / v->elem_size)
            return NULL;
        void *n = qms_arena_alloc(a, ncap * v->elem_size);
        if (!n)
            return NULL;
        if (v->len)
            memcpy(n, v->items, v->len * v->elem_size);
        v->items = n;
        v->cap = ncap;
    }
    void *slot = (char *)v->items + v->len * v->elem_size;
    memset(slot, 0, v->elem_size);
    v->len++;
    return slot;
}

void qms_buf_init(struct qms_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : SIZE_MAX - 1;
}

int qms_buf_append(struct qms_buf *b, const char *s, size_t len)
{
    if (len > b->max - b->len)
        return QMS_ETOOBIG;
    if (b->len + len + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->len + len + 1)
            ncap = ncap > SIZE_MAX / 2 ? b->len + len + 1 : ncap * 2;
        char *n = realloc(b->data, ncap);
        if (!n)
            return QMS_ENOMEM;
        b->data = n;
        b->cap = ncap;
    }
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int qms_buf_appendc(struct qms_buf *b, char c) { return qms_buf_append(b, &c, 1); }

int qms_buf_printf(struct qms_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return QMS_EINTERNAL;
    if ((size_t)n < sizeof small)
        return qms_buf_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return QMS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = qms_buf_append(b, big, (size_t)n);
    free(big);
    return rc;
}

void qms_buf_reset(struct qms_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void qms_buf_free(struct qms_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
