/*
 * qmslint document model: one read-only view of a DOCX, ODT or Markdown document.
 *
 * Every pointer reachable from a `struct qms_doc` lives in the document's arena and stays
 * valid until the host frees the document (after every plugin's check_doc has returned).
 * Plugins receive `const` pointers and must copy what they keep. The model is immutable
 * once loaded, so any number of threads may read the same document at the same time.
 *
 * Part of the installed SDK: no libxml2, libzip or tree-sitter type appears here.
 */
#ifndef QMSLINT_MODEL_H
#define QMSLINT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum qms_format {
    QMS_FORMAT_UNKNOWN = 0,
    QMS_FORMAT_MARKDOWN = 1,
    QMS_FORMAT_DOCX = 2,
    QMS_FORMAT_ODT = 3
};

/*
 * Where something is. Markdown: `line` and `column` (1-based; column counts bytes) and
 * `part` NULL. DOCX/ODT: `part` is the package part ("word/document.xml", "content.xml",
 * "word/header1.xml", "styles.xml", "docProps/custom.xml" ...), `block` the 1-based paragraph
 * ordinal within that part, `line`/`column` the XML position when known (else 0).
 * `section` is the text of the nearest heading before it, or NULL.
 */
struct qms_location {
    const char *part;
    uint32_t line;
    uint32_t column;
    uint32_t block;
    const char *section;
};

enum qms_block_kind {
    QMS_BLOCK_TITLE = 1,      /* the document title (Word/ODT Title style, Markdown none) */
    QMS_BLOCK_HEADING,        /* level 1..9 in `level` */
    QMS_BLOCK_PARAGRAPH,
    QMS_BLOCK_LIST_ITEM,      /* nesting depth (1 = top) in `level` */
    QMS_BLOCK_TABLE_CELL,     /* `table`, `row`, `col` set */
    QMS_BLOCK_HEADER,         /* page header paragraph */
    QMS_BLOCK_FOOTER,         /* page footer paragraph */
    QMS_BLOCK_NOTE,           /* footnote / endnote paragraph */
    QMS_BLOCK_COMMENT,        /* reviewer comment (DOCX comments.xml, ODT office:annotation) */
    QMS_BLOCK_TEXT_BOX,       /* text box / frame paragraph */
    QMS_BLOCK_QUOTE,          /* Markdown block quote paragraph; quote depth in `level` */
    QMS_BLOCK_CODE,           /* Markdown code block (fenced or indented): text kept, not prose */
    QMS_BLOCK_MARKUP_COMMENT  /* Markdown HTML comment <!-- ... -->: kept for suppressions */
};

/* Bits of qms_block.flags */
#define QMS_BLOCK_IN_TABLE   0x0001u /* a paragraph inside a table cell (kind TABLE_CELL) */
#define QMS_BLOCK_SETEXT     0x0002u /* Markdown setext heading */
#define QMS_BLOCK_NESTED     0x0004u /* inside a nested table or a text box within a table */
#define QMS_BLOCK_FRONT_MATTER 0x0008u

struct qms_block {
    enum qms_block_kind kind;
    uint32_t level;
    const char *text;        /* UTF-8, NUL-terminated, runs joined; never NULL */
    size_t text_len;
    const char *style;       /* style name (DOCX/ODT) or NULL */
    int32_t table;           /* index into qms_doc.tables, -1 when not in a table */
    int32_t row;             /* 0-based, -1 when not in a table */
    int32_t col;             /* 0-based grid column, -1 when not in a table */
    uint32_t flags;
    struct qms_location loc;
};

struct qms_cell {
    const char *text;        /* all paragraphs of the cell joined by '\n'; never NULL */
    uint32_t row, col;       /* 0-based, grid column after gridSpan / repeats */
    uint32_t row_span, col_span; /* >= 1 */
    uint32_t header;         /* 1 for a header row cell */
    struct qms_location loc;
};

struct qms_table {
    uint32_t n_rows, n_cols;
    const struct qms_cell *cells; /* row-major order, only cells that start a span */
    size_t n_cells;
    int32_t parent;               /* index of the enclosing table, -1 for a top-level table */
    struct qms_location loc;
};

enum qms_link_kind {
    QMS_LINK_HYPERLINK = 1,  /* inline link, DOCX w:hyperlink, ODT text:a */
    QMS_LINK_AUTOLINK,       /* <https://...> or a bare URL Markdown recognises */
    QMS_LINK_REFERENCE,      /* Markdown [text][label] resolved through its definition */
    QMS_LINK_IMAGE,          /* ![alt](src) */
    QMS_LINK_XREF_FIELD,     /* Word REF / PAGEREF field */
    QMS_LINK_BOOKMARK_REF,   /* ODT text:bookmark-ref / reference-ref / sequence-ref */
    QMS_LINK_WIKILINK        /* [[Target]] or [[Target|text]] */
};

enum qms_target_kind {
    QMS_TARGET_URL = 1,      /* has a scheme: http:, https:, mailto:, file: ... */
    QMS_TARGET_FILE,         /* a relative or absolute path, possibly with #fragment */
    QMS_TARGET_ANCHOR,       /* an in-document anchor only ("#scope", bookmark name) */
    QMS_TARGET_NAME          /* wikilink name, unresolved reference label */
};

struct qms_link {
    enum qms_link_kind kind;
    enum qms_target_kind target_kind;
    const char *target;      /* as written (not percent-decoded); never NULL */
    const char *anchor;      /* fragment / bookmark name without '#', or NULL */
    const char *text;        /* link text; never NULL (may be "") */
    struct qms_location loc;
};

enum qms_anchor_kind {
    QMS_ANCHOR_HEADING = 1,  /* GitHub slug of a Markdown heading (duplicates -1, -2 ...) */
    QMS_ANCHOR_BOOKMARK,     /* DOCX w:bookmarkStart, ODT text:bookmark(-start) */
    QMS_ANCHOR_EXPLICIT      /* <a id="..."> / {#id} / name="..." */
};

struct qms_anchor {
    enum qms_anchor_kind kind;
    const char *name;
    struct qms_location loc;
};

enum qms_prop_source {
    QMS_PROP_FRONT_MATTER = 1, /* Markdown YAML front matter */
    QMS_PROP_CORE,             /* DOCX docProps/core.xml */
    QMS_PROP_CUSTOM,           /* DOCX docProps/custom.xml */
    QMS_PROP_APP,              /* DOCX docProps/app.xml */
    QMS_PROP_ODT_META,         /* ODT meta.xml standard element */
    QMS_PROP_ODT_USER          /* ODT meta:user-defined */
};

/*
 * A key/value the file carries. Nested YAML maps flatten to dotted names ("approval.by"),
 * sequences to one property per item with the same name, in order.
 */
struct qms_property {
    enum qms_prop_source source;
    const char *name;        /* as in the file ("cp:revision" is "revision" with source CORE) */
    const char *value;       /* UTF-8 text; never NULL */
    const char *type;        /* "string", "int", "bool", "date", "float", "lpwstr", "filetime", ... */
    struct qms_location loc;
};

enum qms_review_kind {
    QMS_REVIEW_INSERTION = 1,
    QMS_REVIEW_DELETION,
    QMS_REVIEW_FORMAT_CHANGE,
    QMS_REVIEW_COMMENT
};

struct qms_review_item {
    enum qms_review_kind kind;
    const char *author;      /* or NULL */
    const char *date;        /* as written, or NULL */
    const char *text;        /* inserted / deleted / comment text; never NULL */
    struct qms_location loc;
};

enum qms_field_kind {
    QMS_FIELD_CONTENT_CONTROL = 1, /* DOCX w:sdt: `name` is the tag, `alias` the alias */
    QMS_FIELD_DOCPROPERTY,         /* DOCX DOCPROPERTY / ODT text:user-defined: `name` the property */
    QMS_FIELD_INSTRUCTION,         /* any other field: `instruction` holds it */
    QMS_FIELD_VARIABLE             /* ODT variable / title / page-number ... */
};

/* A field or content control: displayed value plus what produced it. */
struct qms_field {
    enum qms_field_kind kind;
    const char *name;        /* tag / property / variable name, or NULL */
    const char *alias;       /* content-control alias, or NULL */
    const char *instruction; /* raw field instruction ("REF _Ref123 \\h"), or NULL */
    const char *value;       /* displayed text; never NULL */
    struct qms_location loc;
};

/* Bits of qms_doc.flags */
#define QMS_DOC_MACRO_ENABLED 0x0001u /* .docm / .dotm, or an ODT with Basic/Scripts */
#define QMS_DOC_TEMPLATE      0x0002u /* .dotx / .ott */
#define QMS_DOC_STRICT_OOXML  0x0004u
#define QMS_DOC_FLAT_XML      0x0008u /* .fodt */
#define QMS_DOC_HAS_FRONT_MATTER 0x0010u

struct qms_meta; /* the normalized document-control record, see meta.h */

struct qms_doc {
    const char *path;        /* as discovered (relative to the set root when possible) */
    enum qms_format format;
    uint32_t flags;

    const struct qms_block *blocks;   size_t n_blocks;
    const struct qms_table *tables;   size_t n_tables;
    const struct qms_link *links;     size_t n_links;
    const struct qms_anchor *anchors; size_t n_anchors;
    const struct qms_property *properties; size_t n_properties;
    const struct qms_review_item *review; size_t n_review;
    const struct qms_field *fields;   size_t n_fields;

    /* Counts of review items by kind, for quick tests. */
    uint32_t n_insertions, n_deletions, n_format_changes, n_comments;

    const struct qms_meta *meta;      /* NULL until the metadata extractor has run */
    void *reserved[8];
};

/* The cell at (row, col) of a table, following spans; NULL when outside the grid. */
static inline const struct qms_cell *qms_table_cell(const struct qms_table *t, uint32_t row,
                                                    uint32_t col)
{
    for (size_t i = 0; i < t->n_cells; i++) {
        const struct qms_cell *c = &t->cells[i];
        if (row >= c->row && row < c->row + c->row_span && col >= c->col &&
            col < c->col + c->col_span)
            return c;
    }
    return NULL;
}

#ifdef __cplusplus
}
#endif
#endif
