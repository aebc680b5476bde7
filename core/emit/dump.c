/* `qmslint dump FILE`: the document model as loaded, as text (one item per line) or JSON. */
#include "emit.h"

#include <string.h>

#include <qmslint/meta.h>

static const char *block_kind_name(enum qms_block_kind k)
{
    switch (k) {
    case QMS_BLOCK_TITLE: return "title";
    case QMS_BLOCK_HEADING: return "heading";
    case QMS_BLOCK_PARAGRAPH: return "paragraph";
    case QMS_BLOCK_LIST_ITEM: return "list-item";
    case QMS_BLOCK_TABLE_CELL: return "table-cell";
    case QMS_BLOCK_HEADER: return "header";
    case QMS_BLOCK_FOOTER: return "footer";
    case QMS_BLOCK_NOTE: return "note";
    case QMS_BLOCK_COMMENT: return "comment";
    case QMS_BLOCK_TEXT_BOX: return "text-box";
    case QMS_BLOCK_QUOTE: return "quote";
    case QMS_BLOCK_CODE: return "code";
    case QMS_BLOCK_MARKUP_COMMENT: return "markup-comment";
    }
    return "unknown";
}

static const char *link_kind_name(enum qms_link_kind k)
{
    switch (k) {
    case QMS_LINK_HYPERLINK: return "hyperlink";
    case QMS_LINK_AUTOLINK: return "autolink";
    case QMS_LINK_REFERENCE: return "reference";
    case QMS_LINK_IMAGE: return "image";
    case QMS_LINK_XREF_FIELD: return "xref-field";
    case QMS_LINK_BOOKMARK_REF: return "bookmark-ref";
    case QMS_LINK_WIKILINK: return "wikilink";
    }
    return "unknown";
}

static const char *target_kind_name(enum qms_target_kind k)
{
    switch (k) {
    case QMS_TARGET_URL: return "url";
    case QMS_TARGET_FILE: return "file";
    case QMS_TARGET_ANCHOR: return "anchor";
    case QMS_TARGET_NAME: return "name";
    }
    return "unknown";
}

static const char *anchor_kind_name(enum qms_anchor_kind k)
{
    switch (k) {
    case QMS_ANCHOR_HEADING: return "heading";
    case QMS_ANCHOR_BOOKMARK: return "bookmark";
    case QMS_ANCHOR_EXPLICIT: return "explicit";
    }
    return "unknown";
}

static const char *prop_source_name(enum qms_prop_source s)
{
    switch (s) {
    case QMS_PROP_FRONT_MATTER: return "front-matter";
    case QMS_PROP_CORE: return "core";
    case QMS_PROP_CUSTOM: return "custom";
    case QMS_PROP_APP: return "app";
    case QMS_PROP_ODT_META: return "odt-meta";
    case QMS_PROP_ODT_USER: return "odt-user";
    }
    return "unknown";
}

static const char *review_kind_name(enum qms_review_kind k)
{
    switch (k) {
    case QMS_REVIEW_INSERTION: return "insertion";
    case QMS_REVIEW_DELETION: return "deletion";
    case QMS_REVIEW_FORMAT_CHANGE: return "format-change";
    case QMS_REVIEW_COMMENT: return "comment";
    }
    return "unknown";
}

static const char *field_kind_name(enum qms_field_kind k)
{
    switch (k) {
    case QMS_FIELD_CONTENT_CONTROL: return "content-control";
    case QMS_FIELD_DOCPROPERTY: return "docproperty";
    case QMS_FIELD_INSTRUCTION: return "instruction";
    case QMS_FIELD_VARIABLE: return "variable";
    }
    return "unknown";
}

struct flag_name {
    uint32_t bit;
    const char *name;
};

static const struct flag_name block_flags[] = {
    {QMS_BLOCK_IN_TABLE, "in-table"},
    {QMS_BLOCK_SETEXT, "setext"},
    {QMS_BLOCK_NESTED, "nested"},
    {QMS_BLOCK_FRONT_MATTER, "front-matter"},
};

static const struct flag_name doc_flags[] = {
    {QMS_DOC_MACRO_ENABLED, "macro-enabled"},
    {QMS_DOC_TEMPLATE, "template"},
    {QMS_DOC_STRICT_OOXML, "strict-ooxml"},
    {QMS_DOC_FLAT_XML, "flat-xml"},
    {QMS_DOC_HAS_FRONT_MATTER, "front-matter"},
};

#define N_FLAGS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- text ---- */

/* A double-quoted string with C escapes; control characters, C1 controls and invalid bytes
 * escaped so the dump is safe on a terminal and shows exactly what was read. NULL: -. */
static void text_quoted(FILE *out, const char *s)
{
    if (!s) {
        fputc('-', out);
        return;
    }
    size_t len = strlen(s);
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        if (cp == '"' || cp == '\\')
            fprintf(out, "\\%c", (char)cp);
        else if (cp == '\n')
            fputs("\\n", out);
        else if (cp == '\t')
            fputs("\\t", out);
        else if (cp == '\r')
            fputs("\\r", out);
        else if (cp < 0x20 || cp == 0x7F || (cp == 0xFFFD && n == 1))
            fprintf(out, "\\x%02x", (unsigned char)s[i]);
        else if (cp >= 0x80 && cp <= 0x9F)
            fprintf(out, "\\u%04lx", cp);
        else
            fwrite(s + i, 1, n, out);
        i += n;
    }
    fputc('"', out);
}

/* A short identifier-like value (a property type) unquoted, anything unusual as '?'. */
static void text_word(FILE *out, const char *s)
{
    for (size_t i = 0; s[i] && i < 64; i++) {
        char c = s[i];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == ':' || c == '.';
        fputc(plain ? c : '?', out);
    }
}

static void text_loc(FILE *out, const struct qms_location *loc)
{
    fputs(" at ", out);
    if (loc->part) {
        text_quoted(out, loc->part);
        if (loc->block)
            fprintf(out, ":\xC2\xB6%u", (unsigned)loc->block);
        if (loc->line)
            fprintf(out, "@%u:%u", (unsigned)loc->line, (unsigned)loc->column);
    } else if (loc->line) {
        fprintf(out, "%u:%u", (unsigned)loc->line, (unsigned)loc->column);
    } else {
        fputc('-', out);
    }
}

static void text_flags(FILE *out, uint32_t flags, const struct flag_name *names, size_t n)
{
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!(flags & names[i].bit))
            continue;
        fprintf(out, "%s%s", first ? " flags=" : ",", names[i].name);
        first = 0;
    }
}

/* ---- the metadata record (issue 5): every value of every field, with its source ---- */

static const struct flag_name meta_flags[] = {
    {QMS_META_UNPARSED, "unparsed"},
    {QMS_META_PLACEHOLDER, "placeholder"},
    {QMS_META_AMBIGUOUS, "ambiguous"},
};

static const char *rev_scheme_name(enum qms_rev_scheme s)
{
    switch (s) {
    case QMS_REV_LETTER: return "letter";
    case QMS_REV_NUMBER: return "number";
    case QMS_REV_DOTTED: return "dotted";
    case QMS_REV_NONE: break;
    }
    return NULL;
}

/* The source of a value; register entries carry 0 ("register-table"). */
static const char *meta_source_word(enum qms_meta_source s)
{
    return s ? qms_meta_source_name(s) : "register-table";
}

static void text_meta_value(FILE *out, const struct qms_meta_value *v)
{
    text_quoted(out, v->value);
    fputs(" raw=", out);
    text_quoted(out, v->raw);
    fprintf(out, " source=%s", meta_source_word(v->source));
    if (v->label) {
        fputs(" label=", out);
        text_quoted(out, v->label);
    }
    text_flags(out, v->flags, meta_flags, N_FLAGS(meta_flags));
    if (rev_scheme_name(v->rev_scheme))
        fprintf(out, " rev=%s", rev_scheme_name(v->rev_scheme));
    text_loc(out, &v->loc);
}

static void text_meta(FILE *out, const struct qms_meta *m)
{
    if (!m) {
        fputs("metadata none\n", out);
        return;
    }
    fputs("metadata\n", out);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        const struct qms_meta_values *vals = &m->fields[f];
        if (!vals->n)
            fprintf(out, "meta %s none\n", qms_meta_field_name((enum qms_meta_field)f));
        for (size_t i = 0; i < vals->n; i++) {
            fprintf(out, "meta %s ", qms_meta_field_name((enum qms_meta_field)f));
            text_meta_value(out, &vals->items[i]);
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < m->n_history; i++) {
        const struct qms_meta_history_row *h = &m->history[i];
        fprintf(out, "history %zu%s revision=", i, i == m->history_current ? " current" : "");
        text_quoted(out, h->revision.value);
        fputs(" date=", out);
        text_quoted(out, h->date.value);
        text_flags(out, h->revision.flags | h->date.flags, meta_flags, N_FLAGS(meta_flags));
        fputs(" people=", out);
        text_quoted(out, h->people);
        text_loc(out, &h->loc);
        fputc(' ', out);
        text_quoted(out, h->description);
        fputc('\n', out);
    }
    for (size_t i = 0; i < m->n_register_entries; i++) {
        const struct qms_meta_register_entry *e = &m->register_entries[i];
        fprintf(out, "register %zu id=", i);
        text_quoted(out, e->id.value);
        fputs(" revision=", out);
        text_quoted(out, e->revision.value);
        fputs(" status=", out);
        text_quoted(out, e->status.value);
        fputs(" date=", out);
        text_quoted(out, e->date.value);
        text_loc(out, &e->loc);
        fputc(' ', out);
        text_quoted(out, e->title);
        fputc('\n', out);
    }
}

int qms_emit_dump_text(FILE *out, const struct qms_doc *doc)
{
    fputs("document ", out);
    text_quoted(out, doc->path);
    fprintf(out, " format=%s", qms_emit_format_name(doc->format));
    text_flags(out, doc->flags, doc_flags, N_FLAGS(doc_flags));
    fputc('\n', out);
    fprintf(out,
            "counts blocks=%zu tables=%zu links=%zu anchors=%zu properties=%zu review=%zu "
            "fields=%zu insertions=%u deletions=%u format-changes=%u comments=%u\n",
            doc->n_blocks, doc->n_tables, doc->n_links, doc->n_anchors, doc->n_properties,
            doc->n_review, doc->n_fields, (unsigned)doc->n_insertions,
            (unsigned)doc->n_deletions, (unsigned)doc->n_format_changes,
            (unsigned)doc->n_comments);

    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        fprintf(out, "block %zu %s", i, block_kind_name(b->kind));
        if (b->level)
            fprintf(out, " level=%u", (unsigned)b->level);
        if (b->table >= 0)
            fprintf(out, " table=%d row=%d col=%d", (int)b->table, (int)b->row, (int)b->col);
        if (b->style) {
            fputs(" style=", out);
            text_quoted(out, b->style);
        }
        text_flags(out, b->flags, block_flags, N_FLAGS(block_flags));
        text_loc(out, &b->loc);
        if (b->loc.section) {
            fputs(" section=", out);
            text_quoted(out, b->loc.section);
        }
        fputc(' ', out);
        text_quoted(out, b->text);
        fputc('\n', out);
    }
    for (size_t i = 0; i < doc->n_tables; i++) {
        const struct qms_table *t = &doc->tables[i];
        fprintf(out, "table %zu rows=%u cols=%u cells=%zu", i, (unsigned)t->n_rows,
                (unsigned)t->n_cols, t->n_cells);
        if (t->parent >= 0)
            fprintf(out, " parent=%d", (int)t->parent);
        text_loc(out, &t->loc);
        fputc('\n', out);
        for (size_t c = 0; c < t->n_cells; c++) {
            const struct qms_cell *cell = &t->cells[c];
            fprintf(out, "  cell %u,%u", (unsigned)cell->row, (unsigned)cell->col);
            if (cell->row_span > 1 || cell->col_span > 1)
                fprintf(out, " span=%ux%u", (unsigned)cell->row_span, (unsigned)cell->col_span);
            if (cell->header)
                fputs(" header", out);
            text_loc(out, &cell->loc);
            fputc(' ', out);
            text_quoted(out, cell->text);
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < doc->n_links; i++) {
        const struct qms_link *l = &doc->links[i];
        fprintf(out, "link %zu %s %s target=", i, link_kind_name(l->kind),
                target_kind_name(l->target_kind));
        text_quoted(out, l->target);
        if (l->anchor) {
            fputs(" anchor=", out);
            text_quoted(out, l->anchor);
        }
        text_loc(out, &l->loc);
        fputc(' ', out);
        text_quoted(out, l->text);
        fputc('\n', out);
    }
    for (size_t i = 0; i < doc->n_anchors; i++) {
        const struct qms_anchor *a = &doc->anchors[i];
        fprintf(out, "anchor %zu %s ", i, anchor_kind_name(a->kind));
        text_quoted(out, a->name);
        text_loc(out, &a->loc);
        fputc('\n', out);
    }
    for (size_t i = 0; i < doc->n_properties; i++) {
        const struct qms_property *p = &doc->properties[i];
        fprintf(out, "property %zu %s ", i, prop_source_name(p->source));
        text_quoted(out, p->name);
        fputs(" = ", out);
        text_quoted(out, p->value);
        if (p->type) {
            fputs(" type=", out);
            text_word(out, p->type);
        }
        text_loc(out, &p->loc);
        fputc('\n', out);
    }
    for (size_t i = 0; i < doc->n_review; i++) {
        const struct qms_review_item *r = &doc->review[i];
        fprintf(out, "review %zu %s author=", i, review_kind_name(r->kind));
        text_quoted(out, r->author);
        fputs(" date=", out);
        text_quoted(out, r->date);
        text_loc(out, &r->loc);
        fputc(' ', out);
        text_quoted(out, r->text);
        fputc('\n', out);
    }
    for (size_t i = 0; i < doc->n_fields; i++) {
        const struct qms_field *f = &doc->fields[i];
        fprintf(out, "field %zu %s name=", i, field_kind_name(f->kind));
        text_quoted(out, f->name);
        if (f->alias) {
            fputs(" alias=", out);
            text_quoted(out, f->alias);
        }
        if (f->instruction) {
            fputs(" instruction=", out);
            text_quoted(out, f->instruction);
        }
        text_loc(out, &f->loc);
        fputc(' ', out);
        text_quoted(out, f->value);
        fputc('\n', out);
    }
    text_meta(out, doc->meta);
    return ferror(out) ? QMS_EIO : 0;
}

/* ---- json ---- */

/* `prefix` then v in decimal, or null when 0 (unknown): the JSON documents list writes
 * millions of these, printf costs more than the rest. */
static void jb_uint_member(struct qms_jbuf *jb, const char *prefix, uint32_t v)
{
    qms_jbuf_puts(jb, prefix);
    if (!v) {
        qms_jbuf_put(jb, "null", 4);
        return;
    }
    char digits[16];
    size_t n = sizeof digits;
    for (; v; v /= 10)
        digits[--n] = (char)('0' + v % 10);
    qms_jbuf_put(jb, digits + n, sizeof digits - n);
}

static void jb_loc(struct qms_jbuf *jb, const struct qms_location *loc)
{
    qms_jbuf_puts(jb, "\"location\": {\"part\": ");
    qms_jbuf_string(jb, loc->part);
    jb_uint_member(jb, ", \"line\": ", loc->line);
    jb_uint_member(jb, ", \"column\": ", loc->column);
    jb_uint_member(jb, ", \"block\": ", loc->block);
    qms_jbuf_puts(jb, ", \"section\": ");
    qms_jbuf_string(jb, loc->section);
    qms_jbuf_put(jb, "}", 1);
}

static void json_loc(FILE *out, const struct qms_location *loc)
{
    struct qms_jbuf jb;
    qms_jbuf_init(&jb, out);
    jb_loc(&jb, loc);
    qms_jbuf_flush(&jb);
}

static void jb_flags(struct qms_jbuf *jb, uint32_t flags, const struct flag_name *names, size_t n)
{
    int first = 1;
    qms_jbuf_put(jb, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (!(flags & names[i].bit))
            continue;
        qms_jbuf_puts(jb, first ? "\"" : ", \"");
        qms_jbuf_puts(jb, names[i].name);
        qms_jbuf_put(jb, "\"", 1);
        first = 0;
    }
    qms_jbuf_put(jb, "]", 1);
}

static void json_flags(FILE *out, uint32_t flags, const struct flag_name *names, size_t n)
{
    struct qms_jbuf jb;
    qms_jbuf_init(&jb, out);
    jb_flags(&jb, flags, names, n);
    qms_jbuf_flush(&jb);
}

/* Opens a JSON array member: `"name": [` and the separator logic for its items. */
static void json_array_open(FILE *out, const char *name)
{
    fprintf(out, ",\n  \"%s\": [", name);
}

static void json_item_sep(FILE *out, size_t i)
{
    fputs(i ? ",\n    " : "\n    ", out);
}

static void json_array_close(FILE *out, size_t n)
{
    fputs(n ? "\n  ]" : "]", out);
}

static void jb_meta_value(struct qms_jbuf *jb, const struct qms_meta_value *v)
{
    qms_jbuf_puts(jb, "{\"value\": ");
    qms_jbuf_string(jb, v->value);
    qms_jbuf_puts(jb, ", \"raw\": ");
    qms_jbuf_string(jb, v->raw);
    qms_jbuf_puts(jb, ", \"label\": ");
    qms_jbuf_string(jb, v->label);
    qms_jbuf_puts(jb, ", \"source\": \"");
    qms_jbuf_puts(jb, meta_source_word(v->source));
    qms_jbuf_puts(jb, "\", \"flags\": ");
    jb_flags(jb, v->flags, meta_flags, N_FLAGS(meta_flags));
    qms_jbuf_puts(jb, ", \"rev_scheme\": ");
    qms_jbuf_string(jb, rev_scheme_name(v->rev_scheme));
    qms_jbuf_puts(jb, ", ");
    jb_loc(jb, &v->loc);
    qms_jbuf_put(jb, "}", 1);
}

static void json_meta_value(FILE *out, const struct qms_meta_value *v)
{
    struct qms_jbuf jb;
    qms_jbuf_init(&jb, out);
    jb_meta_value(&jb, v);
    qms_jbuf_flush(&jb);
}

void qms_emit_meta_fields_json(FILE *out, const struct qms_meta *m)
{
    if (!m) {
        fputs("null", out);
        return;
    }
    struct qms_jbuf jb;
    qms_jbuf_init(&jb, out);
    qms_jbuf_put(&jb, "{", 1);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        const struct qms_meta_values *vals = &m->fields[f];
        qms_jbuf_puts(&jb, f ? ", \"" : "\"");
        qms_jbuf_puts(&jb, qms_meta_field_name((enum qms_meta_field)f));
        qms_jbuf_puts(&jb, "\": [");
        for (size_t i = 0; i < vals->n; i++) {
            if (i)
                qms_jbuf_put(&jb, ", ", 2);
            jb_meta_value(&jb, &vals->items[i]);
        }
        qms_jbuf_put(&jb, "]", 1);
    }
    qms_jbuf_put(&jb, "}", 1);
    qms_jbuf_flush(&jb);
}

static void json_meta(FILE *out, const struct qms_meta *m)
{
    if (!m) {
        fputs("null", out);
        return;
    }
    fputs("{\n    \"fields\": {", out);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        const struct qms_meta_values *vals = &m->fields[f];
        fprintf(out, "%s\n      \"%s\": [", f ? "," : "", qms_meta_field_name((enum qms_meta_field)f));
        for (size_t i = 0; i < vals->n; i++) {
            fputs(i ? ",\n        " : "\n        ", out);
            json_meta_value(out, &vals->items[i]);
        }
        fputs(vals->n ? "\n      ]" : "]", out);
    }
    fputs("\n    },\n    \"history\": [", out);
    for (size_t i = 0; i < m->n_history; i++) {
        const struct qms_meta_history_row *h = &m->history[i];
        fputs(i ? ",\n      " : "\n      ", out);
        fprintf(out, "{\"current\": %s, \"revision\": ", i == m->history_current ? "true" : "false");
        json_meta_value(out, &h->revision);
        fputs(", \"date\": ", out);
        json_meta_value(out, &h->date);
        fputs(", \"description\": ", out);
        qms_json_string(out, h->description);
        fputs(", \"people\": ", out);
        qms_json_string(out, h->people);
        fputs(", ", out);
        json_loc(out, &h->loc);
        fputc('}', out);
    }
    fputs(m->n_history ? "\n    ],\n    \"register\": [" : "],\n    \"register\": [", out);
    for (size_t i = 0; i < m->n_register_entries; i++) {
        const struct qms_meta_register_entry *e = &m->register_entries[i];
        fputs(i ? ",\n      " : "\n      ", out);
        fputs("{\"id\": ", out);
        json_meta_value(out, &e->id);
        fputs(", \"title\": ", out);
        qms_json_string(out, e->title);
        fputs(", \"revision\": ", out);
        json_meta_value(out, &e->revision);
        fputs(", \"status\": ", out);
        json_meta_value(out, &e->status);
        fputs(", \"date\": ", out);
        json_meta_value(out, &e->date);
        fputs(", ", out);
        json_loc(out, &e->loc);
        fputc('}', out);
    }
    fputs(m->n_register_entries ? "\n    ]\n  }" : "]\n  }", out);
}

int qms_emit_dump_json(FILE *out, const struct qms_doc *doc)
{
    fputs("{\n  \"schema_version\": 1,\n  \"path\": ", out);
    qms_json_string(out, doc->path);
    fprintf(out, ",\n  \"format\": \"%s\",\n  \"flags\": ", qms_emit_format_name(doc->format));
    json_flags(out, doc->flags, doc_flags, N_FLAGS(doc_flags));
    fprintf(out,
            ",\n  \"review_counts\": {\"insertions\": %u, \"deletions\": %u, "
            "\"format_changes\": %u, \"comments\": %u}",
            (unsigned)doc->n_insertions, (unsigned)doc->n_deletions,
            (unsigned)doc->n_format_changes, (unsigned)doc->n_comments);
    /* The normalized metadata record (null when it was not extracted). */
    fputs(",\n  \"metadata\": ", out);
    json_meta(out, doc->meta);

    json_array_open(out, "blocks");
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        json_item_sep(out, i);
        fprintf(out, "{\"kind\": \"%s\", \"level\": %u, \"text\": ", block_kind_name(b->kind),
                (unsigned)b->level);
        qms_json_string(out, b->text);
        fputs(", \"style\": ", out);
        qms_json_string(out, b->style);
        fprintf(out, ", \"table\": %d, \"row\": %d, \"col\": %d, \"flags\": ", (int)b->table,
                (int)b->row, (int)b->col);
        json_flags(out, b->flags, block_flags, N_FLAGS(block_flags));
        fputs(", ", out);
        json_loc(out, &b->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_blocks);

    json_array_open(out, "tables");
    for (size_t i = 0; i < doc->n_tables; i++) {
        const struct qms_table *t = &doc->tables[i];
        json_item_sep(out, i);
        fprintf(out, "{\"rows\": %u, \"cols\": %u, \"parent\": %d, ", (unsigned)t->n_rows,
                (unsigned)t->n_cols, (int)t->parent);
        json_loc(out, &t->loc);
        fputs(", \"cells\": [", out);
        for (size_t c = 0; c < t->n_cells; c++) {
            const struct qms_cell *cell = &t->cells[c];
            fprintf(out,
                    "%s{\"row\": %u, \"col\": %u, \"row_span\": %u, \"col_span\": %u, "
                    "\"header\": %s, \"text\": ",
                    c ? ",\n      " : "\n      ", (unsigned)cell->row, (unsigned)cell->col,
                    (unsigned)cell->row_span, (unsigned)cell->col_span,
                    cell->header ? "true" : "false");
            qms_json_string(out, cell->text);
            fputs(", ", out);
            json_loc(out, &cell->loc);
            fputc('}', out);
        }
        fputs(t->n_cells ? "\n    ]}" : "]}", out);
    }
    json_array_close(out, doc->n_tables);

    json_array_open(out, "links");
    for (size_t i = 0; i < doc->n_links; i++) {
        const struct qms_link *l = &doc->links[i];
        json_item_sep(out, i);
        fprintf(out, "{\"kind\": \"%s\", \"target_kind\": \"%s\", \"target\": ",
                link_kind_name(l->kind), target_kind_name(l->target_kind));
        qms_json_string(out, l->target);
        fputs(", \"anchor\": ", out);
        qms_json_string(out, l->anchor);
        fputs(", \"text\": ", out);
        qms_json_string(out, l->text);
        fputs(", ", out);
        json_loc(out, &l->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_links);

    json_array_open(out, "anchors");
    for (size_t i = 0; i < doc->n_anchors; i++) {
        const struct qms_anchor *a = &doc->anchors[i];
        json_item_sep(out, i);
        fprintf(out, "{\"kind\": \"%s\", \"name\": ", anchor_kind_name(a->kind));
        qms_json_string(out, a->name);
        fputs(", ", out);
        json_loc(out, &a->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_anchors);

    json_array_open(out, "properties");
    for (size_t i = 0; i < doc->n_properties; i++) {
        const struct qms_property *p = &doc->properties[i];
        json_item_sep(out, i);
        fprintf(out, "{\"source\": \"%s\", \"name\": ", prop_source_name(p->source));
        qms_json_string(out, p->name);
        fputs(", \"value\": ", out);
        qms_json_string(out, p->value);
        fputs(", \"type\": ", out);
        qms_json_string(out, p->type);
        fputs(", ", out);
        json_loc(out, &p->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_properties);

    json_array_open(out, "review");
    for (size_t i = 0; i < doc->n_review; i++) {
        const struct qms_review_item *r = &doc->review[i];
        json_item_sep(out, i);
        fprintf(out, "{\"kind\": \"%s\", \"author\": ", review_kind_name(r->kind));
        qms_json_string(out, r->author);
        fputs(", \"date\": ", out);
        qms_json_string(out, r->date);
        fputs(", \"text\": ", out);
        qms_json_string(out, r->text);
        fputs(", ", out);
        json_loc(out, &r->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_review);

    json_array_open(out, "fields");
    for (size_t i = 0; i < doc->n_fields; i++) {
        const struct qms_field *f = &doc->fields[i];
        json_item_sep(out, i);
        fprintf(out, "{\"kind\": \"%s\", \"name\": ", field_kind_name(f->kind));
        qms_json_string(out, f->name);
        fputs(", \"alias\": ", out);
        qms_json_string(out, f->alias);
        fputs(", \"instruction\": ", out);
        qms_json_string(out, f->instruction);
        fputs(", \"value\": ", out);
        qms_json_string(out, f->value);
        fputs(", ", out);
        json_loc(out, &f->loc);
        fputc('}', out);
    }
    json_array_close(out, doc->n_fields);
    fputs("\n}\n", out);
    return ferror(out) ? QMS_EIO : 0;
}
