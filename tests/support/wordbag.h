/* A case-folded multiset of words, for the reader fidelity tests that compare our text with
 * pandoc's. Each test keeps its own tokenizer: what counts as a word differs per reader. */
#ifndef QMS_WORDBAG_H
#define QMS_WORDBAG_H

#include <stddef.h>

struct qms_words {
    char **items;
    size_t len, cap;
};

/* Adds s[0..n), ASCII letters folded to lower case. */
void qms_words_add(struct qms_words *w, const char *s, size_t n);
void qms_words_sort(struct qms_words *w);
void qms_words_free(struct qms_words *w);
/* Size of the multiset intersection of two sorted lists. */
size_t qms_words_common(const struct qms_words *a, const struct qms_words *b);
/* Removes from the sorted list `from` one occurrence of each word of the sorted list `what`. */
void qms_words_subtract(struct qms_words *from, const struct qms_words *what);

#endif
