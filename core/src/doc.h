/* Building a qms_doc: what readers use. The result is immutable and freed as one arena. */
#ifndef QMS_DOC_H
#define QMS_DOC_H

#include <qmslint/model.h>

#include "arena.h"
#include "errors.h"
#include "caps.h"

struct qms_docb {
    struct qms_arena *arena;
    struct qms_doc *doc;
    struct qms_vec blocks, tables, links, anchors, properties, review, fields;
    struct qms_vec table_cells;   /* one struct qms_vec of cells per table, parallel to tables */
    const char *section;          /* text of the last heading added: loc.section of what follows */
    uint32_t heading_slug_counts; /* unused by the builder; readers may keep their own */
    /* The last part / foreign section string copied and its copy: a reader passes the same
     * part name for every block of a part, and it is stored once, not once per block. */
    const char *part_src, *part_copy, *section_src, *section_copy;
};

/* Starts a document. `path` is copied. Returns 0 or QMS_ENOMEM. */
int qms_docb_init(struct qms_docb *b, const char *path, enum qms_format format,
                  const struct qms_limits *limits);
/* Frees everything built so far (on a reader's error path). */
void qms_docb_abort(struct qms_docb *b);
/* Hands the finished document to *out; the builder is spent. */
int qms_docb_finish(struct qms_docb *b, struct qms_doc **out);

/*
 * Adds a block; `text` (len bytes, need not be NUL-terminated) is copied. loc.section is
 * filled from the last heading unless the caller set it; a heading or title becomes the
 * section of what follows (and of itself). Returns the block (writable until finish) or NULL.
 */
struct qms_block *qms_docb_add_block(struct qms_docb *b, enum qms_block_kind kind, uint32_t level,
                                     const char *text, size_t len, struct qms_location loc);

/* Tables: begin returns the new table's index (>= 0) or a negative error. Cells are added in
 * row-major order; end computes n_rows / n_cols. `parent` is the enclosing table or -1. */
int32_t qms_docb_table_begin(struct qms_docb *b, int32_t parent, struct qms_location loc);
struct qms_cell *qms_docb_table_add_cell(struct qms_docb *b, int32_t table, uint32_t row,
                                         uint32_t col, const char *text, size_t len,
                                         struct qms_location loc);
int qms_docb_table_end(struct qms_docb *b, int32_t table);

struct qms_link *qms_docb_add_link(struct qms_docb *b, enum qms_link_kind kind, const char *target,
                                   const char *text, struct qms_location loc);
struct qms_anchor *qms_docb_add_anchor(struct qms_docb *b, enum qms_anchor_kind kind,
                                       const char *name, struct qms_location loc);
struct qms_property *qms_docb_add_property(struct qms_docb *b, enum qms_prop_source source,
                                           const char *name, const char *value, const char *type,
                                           struct qms_location loc);
struct qms_review_item *qms_docb_add_review(struct qms_docb *b, enum qms_review_kind kind,
                                            const char *author, const char *date, const char *text,
                                            struct qms_location loc);
struct qms_field *qms_docb_add_field(struct qms_docb *b, enum qms_field_kind kind, const char *name,
                                     const char *alias, const char *instruction, const char *value,
                                     struct qms_location loc);

/* Classifies a link target: URL (has a scheme), ANCHOR ("#x"), FILE otherwise. */
enum qms_target_kind qms_target_classify(const char *target);

/* The arena of a finished document (for extractors that attach more data to it). */
struct qms_arena *qms_doc_arena(const struct qms_doc *doc);
void qms_doc_free(struct qms_doc *doc);

#endif
