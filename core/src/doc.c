#include "doc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The arena travels with the document; plugins only ever see the public part. */
struct doc_owned {
    struct qms_doc doc;
    struct qms_arena *arena;
};

int qms_docb_init(struct qms_docb *b, const char *path, enum qms_format format,
                  const struct qms_limits *limits)
{
    memset(b, 0, sizeof *b);
    b->arena = qms_arena_new(limits ? (size_t)limits->max_doc_memory : 0);
    if (!b->arena)
        return QMS_ENOMEM;
    struct doc_owned *o = qms_arena_alloc(b->arena, sizeof *o);
    if (!o) {
        qms_arena_free(b->arena);
        b->arena = NULL;
        return QMS_ENOMEM;
    }
    o->arena = b->arena;
    b->doc = &o->doc;
    b->doc->format = format;
    b->doc->path = qms_arena_strdup(b->arena, path ? path : "");
    if (!b->doc->path) {
        qms_docb_abort(b);
        return QMS_ENOMEM;
    }
    qms_vec_init(&b->blocks, sizeof(struct qms_block));
    qms_vec_init(&b->tables, sizeof(struct qms_table));
    qms_vec_init(&b->links, sizeof(struct qms_link));
    qms_vec_init(&b->anchors, sizeof(struct qms_anchor));
    qms_vec_init(&b->properties, sizeof(struct qms_property));
    qms_vec_init(&b->review, sizeof(struct qms_review_item));
    qms_vec_init(&b->fields, sizeof(struct qms_field));
    qms_vec_init(&b->table_cells, sizeof(struct qms_vec));
    return 0;
}

void qms_docb_abort(struct qms_docb *b)
{
    qms_arena_free(b->arena);
    memset(b, 0, sizeof *b);
}

int qms_docb_finish(struct qms_docb *b, struct qms_doc **out)
{
    struct qms_doc *d = b->doc;
    struct qms_table *tables = b->tables.items;
    struct qms_vec *cells = b->table_cells.items;
    for (size_t i = 0; i < b->tables.len; i++) {
        tables[i].cells = cells[i].items;
        tables[i].n_cells = cells[i].len;
    }
    d->blocks = b->blocks.items;
    d->n_blocks = b->blocks.len;
    d->tables = tables;
    d->n_tables = b->tables.len;
    d->links = b->links.items;
    d->n_links = b->links.len;
    d->anchors = b->anchors.items;
    d->n_anchors = b->anchors.len;
    d->properties = b->properties.items;
    d->n_properties = b->properties.len;
    d->review = b->review.items;
    d->n_review = b->review.len;
    d->fields = b->fields.items;
    d->n_fields = b->fields.len;
    d->n_insertions = d->n_deletions = d->n_format_changes = d->n_comments = 0;
    const struct qms_review_item *r = d->review;
    for (size_t i = 0; i < d->n_review; i++) {
        switch (r[i].kind) {
        case QMS_REVIEW_INSERTION: d->n_insertions++; break;
        case QMS_REVIEW_DELETION: d->n_deletions++; break;
        case QMS_REVIEW_FORMAT_CHANGE: d->n_format_changes++; break;
        case QMS_REVIEW_COMMENT: d->n_comments++; break;
        }
    }
    *out = d;
    memset(b, 0, sizeof *b);
    return 0;
}

static const char *copy_or_null(struct qms_arena *a, const char *s)
{
    return s ? qms_arena_strdup(a, s) : NULL;
}

/* Strings in a location (part, section) are copied unless they already live in the arena's
 * last section pointer, which is by far the common case. */
/* A copy of s in the arena, reusing the previous copy when s is the same string again (the
 * caller's buffer may have been rewritten, so the text is compared, not only the pointer). */
static const char *copy_memo(struct qms_docb *b, const char *s, const char **src, const char **copy)
{
    if (*copy && (s == *src || s == *copy) && strcmp(s, *copy) == 0)
        return *copy;
    const char *c = qms_arena_strdup(b->arena, s);
    if (c) {
        *src = s;
        *copy = c;
    }
    return c;
}

static int fix_loc(struct qms_docb *b, struct qms_location *loc)
{
    if (!loc->section)
        loc->section = b->section;
    else if (loc->section != b->section &&
             !(loc->section = copy_memo(b, loc->section, &b->section_src, &b->section_copy)))
        return QMS_ENOMEM;
    if (loc->part && !(loc->part = copy_memo(b, loc->part, &b->part_src, &b->part_copy)))
        return QMS_ENOMEM;
    return 0;
}

struct qms_block *qms_docb_add_block(struct qms_docb *b, enum qms_block_kind kind, uint32_t level,
                                     const char *text, size_t len, struct qms_location loc)
{
    struct qms_block *blk = qms_vec_push(b->arena, &b->blocks);
    if (!blk)
        return NULL;
    char *t = qms_arena_strndup(b->arena, text ? text : "", text ? len : 0);
    if (!t) {
        b->blocks.len--;
        return NULL;
    }
    if (kind == QMS_BLOCK_HEADING || kind == QMS_BLOCK_TITLE) {
        /* A heading is the section of itself and of what follows. Trim for display. */
        size_t s = 0, e = strlen(t);
        while (s < e && isspace((unsigned char)t[s]))
            s++;
        while (e > s && isspace((unsigned char)t[e - 1]))
            e--;
        if (e > s) {
            const char *sec = qms_arena_strndup(b->arena, t + s, e - s);
            if (!sec) {
                b->blocks.len--;
                return NULL;
            }
            b->section = sec;
            if (!loc.section)
                loc.section = sec;
        }
    }
    if (fix_loc(b, &loc) != 0) {
        b->blocks.len--;
        return NULL;
    }
    blk->kind = kind;
    blk->level = level;
    blk->text = t;
    blk->text_len = text ? len : 0;
    blk->table = blk->row = blk->col = -1;
    blk->loc = loc;
    return blk;
}

int32_t qms_docb_table_begin(struct qms_docb *b, int32_t parent, struct qms_location loc)
{
    if (b->tables.len >= INT32_MAX)
        return QMS_ETOOBIG;
    /* tables and table_cells stay parallel even when a push fails halfway: finish and
     * add_cell index one by the other. */
    if (fix_loc(b, &loc) != 0)
        return QMS_ENOMEM;
    struct qms_table *t = qms_vec_push(b->arena, &b->tables);
    if (!t)
        return QMS_ENOMEM;
    struct qms_vec *cells = qms_vec_push(b->arena, &b->table_cells);
    if (!cells) {
        b->tables.len--;
        return QMS_ENOMEM;
    }
    qms_vec_init(cells, sizeof(struct qms_cell));
    t->parent = parent;
    t->loc = loc;
    return (int32_t)(b->tables.len - 1);
}

struct qms_cell *qms_docb_table_add_cell(struct qms_docb *b, int32_t table, uint32_t row,
                                         uint32_t col, const char *text, size_t len,
                                         struct qms_location loc)
{
    if (table < 0 || (size_t)table >= b->tables.len)
        return NULL;
    struct qms_vec *cells = &((struct qms_vec *)b->table_cells.items)[table];
    struct qms_cell *c = qms_vec_push(b->arena, cells);
    if (!c)
        return NULL;
    char *t = qms_arena_strndup(b->arena, text ? text : "", text ? len : 0);
    if (!t || fix_loc(b, &loc) != 0) {
        cells->len--;
        return NULL;
    }
    c->text = t;
    c->row = row;
    c->col = col;
    c->row_span = c->col_span = 1;
    c->loc = loc;
    return c;
}

int qms_docb_table_end(struct qms_docb *b, int32_t table)
{
    if (table < 0 || (size_t)table >= b->tables.len)
        return QMS_EINTERNAL;
    struct qms_table *t = &((struct qms_table *)b->tables.items)[table];
    struct qms_vec *cells = &((struct qms_vec *)b->table_cells.items)[table];
    const struct qms_cell *c = cells->items;
    uint64_t rows = 0, cols = 0; /* row + span can pass UINT32_MAX in a hostile table */
    for (size_t i = 0; i < cells->len; i++) {
        uint64_t r = (uint64_t)c[i].row + (c[i].row_span ? c[i].row_span : 1);
        uint64_t k = (uint64_t)c[i].col + (c[i].col_span ? c[i].col_span : 1);
        if (r > rows)
            rows = r;
        if (k > cols)
            cols = k;
    }
    t->n_rows = rows > UINT32_MAX ? UINT32_MAX : (uint32_t)rows;
    t->n_cols = cols > UINT32_MAX ? UINT32_MAX : (uint32_t)cols;
    t->cells = cells->items;
    t->n_cells = cells->len;
    return 0;
}

enum qms_target_kind qms_target_classify(const char *target)
{
    if (!target || !*target)
        return QMS_TARGET_ANCHOR;
    if (target[0] == '#')
        return QMS_TARGET_ANCHOR;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" ; a Windows drive "C:" is a file */
    const char *p = target;
    if (isalpha((unsigned char)*p)) {
        p++;
        while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
            p++;
        if (*p == ':' && p - target > 1)
            return QMS_TARGET_URL;
    }
    return QMS_TARGET_FILE;
}

struct qms_link *qms_docb_add_link(struct qms_docb *b, enum qms_link_kind kind, const char *target,
                                   const char *text, struct qms_location loc)
{
    struct qms_link *l = qms_vec_push(b->arena, &b->links);
    if (!l)
        return NULL;
    l->kind = kind;
    l->target = qms_arena_strdup(b->arena, target ? target : "");
    l->text = qms_arena_strdup(b->arena, text ? text : "");
    if (!l->target || !l->text || fix_loc(b, &loc) != 0) {
        b->links.len--;
        return NULL;
    }
    l->target_kind = kind == QMS_LINK_WIKILINK ? QMS_TARGET_NAME : qms_target_classify(l->target);
    const char *hash = strchr(l->target, '#');
    if (kind == QMS_LINK_XREF_FIELD || kind == QMS_LINK_BOOKMARK_REF) {
        l->target_kind = QMS_TARGET_ANCHOR;
        l->anchor = l->target;
    } else if (hash && hash[1]) {
        l->anchor = hash + 1;
    }
    l->loc = loc;
    return l;
}

struct qms_anchor *qms_docb_add_anchor(struct qms_docb *b, enum qms_anchor_kind kind,
                                       const char *name, struct qms_location loc)
{
    struct qms_anchor *a = qms_vec_push(b->arena, &b->anchors);
    if (!a)
        return NULL;
    a->kind = kind;
    a->name = qms_arena_strdup(b->arena, name ? name : "");
    if (!a->name || fix_loc(b, &loc) != 0) {
        b->anchors.len--;
        return NULL;
    }
    a->loc = loc;
    return a;
}

struct qms_property *qms_docb_add_property(struct qms_docb *b, enum qms_prop_source source,
                                           const char *name, const char *value, const char *type,
                                           struct qms_location loc)
{
    struct qms_property *p = qms_vec_push(b->arena, &b->properties);
    if (!p)
        return NULL;
    p->source = source;
    p->name = qms_arena_strdup(b->arena, name ? name : "");
    p->value = qms_arena_strdup(b->arena, value ? value : "");
    p->type = qms_arena_strdup(b->arena, type ? type : "string");
    if (!p->name || !p->value || !p->type || fix_loc(b, &loc) != 0) {
        b->properties.len--;
        return NULL;
    }
    p->loc = loc;
    return p;
}

struct qms_review_item *qms_docb_add_review(struct qms_docb *b, enum qms_review_kind kind,
                                            const char *author, const char *date, const char *text,
                                            struct qms_location loc)
{
    struct qms_review_item *r = qms_vec_push(b->arena, &b->review);
    if (!r)
        return NULL;
    r->kind = kind;
    r->author = copy_or_null(b->arena, author);
    r->date = copy_or_null(b->arena, date);
    r->text = qms_arena_strdup(b->arena, text ? text : "");
    if ((author && !r->author) || (date && !r->date) || !r->text || fix_loc(b, &loc) != 0) {
        b->review.len--;
        return NULL;
    }
    r->loc = loc;
    return r;
}

struct qms_field *qms_docb_add_field(struct qms_docb *b, enum qms_field_kind kind, const char *name,
                                     const char *alias, const char *instruction, const char *value,
                                     struct qms_location loc)
{
    struct qms_field *f = qms_vec_push(b->arena, &b->fields);
    if (!f)
        return NULL;
    f->kind = kind;
    f->name = copy_or_null(b->arena, name);
    f->alias = copy_or_null(b->arena, alias);
    f->instruction = copy_or_null(b->arena, instruction);
    f->value = qms_arena_strdup(b->arena, value ? value : "");
    if ((name && !f->name) || (alias && !f->alias) || (instruction && !f->instruction) ||
        !f->value || fix_loc(b, &loc) != 0) {
        b->fields.len--;
        return NULL;
    }
    f->loc = loc;
    return f;
}

struct qms_arena *qms_doc_arena(const struct qms_doc *doc)
{
    if (!doc)
        return NULL;
    const struct doc_owned *o = (const struct doc_owned *)(const void *)doc;
    return o->arena;
}

void qms_doc_free(struct qms_doc *doc)
{
    if (doc)
        qms_arena_free(qms_doc_arena(doc));
}
