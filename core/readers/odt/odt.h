/* Internals of the ODT reader (core/readers/odt/): the paragraph-style table used for heading
 * detection. Nothing here is visible outside the reader. */
#ifndef QMS_ODT_H
#define QMS_ODT_H

#include <stddef.h>
#include <stdint.h>

#include "../../src/arena.h"

/* What a paragraph style makes of a text:p / text:h. */
enum qms_odt_role {
    QMS_ODT_ROLE_BODY = 0,
    QMS_ODT_ROLE_HEADING,
    QMS_ODT_ROLE_TITLE
};

struct qms_odt_style_info {
    enum qms_odt_role role;
    uint32_t level;       /* heading level 1..10 for ROLE_HEADING, else 0 */
    const char *display;  /* display name of the nearest common (named) style, or NULL */
};

/* Paragraph styles by name. Names and strings live in the scratch arena given at init. */
struct qms_odt_styles;

struct qms_odt_styles *qms_odt_styles_new(struct qms_arena *scratch);
void qms_odt_styles_free(struct qms_odt_styles *s);

/*
 * Records (or replaces: content.xml automatic styles shadow styles.xml ones of the same
 * name) a paragraph style. `outline_level`: -1 when the attribute is absent, 0 when present
 * but empty (explicitly "not a heading"), else the level. `parent`/`display` may be NULL.
 * Returns 0 or QMS_ENOMEM.
 */
int qms_odt_styles_put(struct qms_odt_styles *s, const char *name, const char *parent,
                       const char *display, int outline_level, int automatic);

/* Resolves a style through its parent chain (cycles and depth capped). Unknown names are
 * plain body paragraphs, except that a name such as "Heading_20_2" still gives a level. */
struct qms_odt_style_info qms_odt_styles_resolve(struct qms_odt_styles *s, const char *name);

#endif
