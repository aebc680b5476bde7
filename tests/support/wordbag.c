#include "wordbag.h"

#include <stdlib.h>
#include <string.h>

void qms_words_add(struct qms_words *w, const char *s, size_t n)
{
    if (w->len == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->items = realloc(w->items, w->cap * sizeof *w->items);
    }
    char *copy = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        copy[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    copy[n] = '\0';
    w->items[w->len++] = copy;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void qms_words_sort(struct qms_words *w)
{
    if (w->len > 1)
        qsort(w->items, w->len, sizeof *w->items, cmp_str);
}

void qms_words_free(struct qms_words *w)
{
    for (size_t i = 0; i < w->len; i++)
        free(w->items[i]);
    free(w->items);
    memset(w, 0, sizeof *w);
}

size_t qms_words_common(const struct qms_words *a, const struct qms_words *b)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->len && j < b->len) {
        int c = strcmp(a->items[i], b->items[j]);
        if (c == 0) {
            n++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}

void qms_words_subtract(struct qms_words *from, const struct qms_words *what)
{
    size_t i = 0, j = 0, out = 0;
    while (i < from->len) {
        int c = j < what->len ? strcmp(from->items[i], what->items[j]) : -1;
        if (c == 0) {
            free(from->items[i++]);
            j++;
        } else if (c < 0) {
            from->items[out++] = from->items[i++];
        } else {
            j++;
        }
    }
    from->len = out;
}
