/* What the meta suite's files share: finding one value of the record and checking it. */
#ifndef QMS_META_TEST_H
#define QMS_META_TEST_H

#include <criterion/criterion.h>
#include <stddef.h>

#include <qmslint/meta.h>

/* The n-th value of a field from a source, or NULL. */
static inline const struct qms_meta_value *val(const struct qms_meta *m, enum qms_meta_field f,
                                               enum qms_meta_source src, size_t nth)
{
    for (size_t i = 0; i < m->fields[f].n; i++)
        if (m->fields[f].items[i].source == src && nth-- == 0)
            return &m->fields[f].items[i];
    return NULL;
}

/* The first value of `field` from `src` is `expected` (normalized). */
#define EXPECT_VALUE(m, field, src, expected)                                                     \
    do {                                                                                          \
        const struct qms_meta_value *v_ = val(m, field, src, 0);                                  \
        cr_expect(v_, "no %s from %s", qms_meta_field_name(field), qms_meta_source_name(src));    \
        if (v_)                                                                                   \
            cr_expect_str_eq(v_->value, expected, "%s from %s (raw '%s')",                        \
                             qms_meta_field_name(field), qms_meta_source_name(src), v_->raw);     \
    } while (0)

#endif
