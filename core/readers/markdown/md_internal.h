/* Helpers of the Markdown reader that are worth testing on their own. Not part of any API. */
#ifndef QMS_MD_INTERNAL_H
#define QMS_MD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "errors.h"

/*
 * Refuses what is not Markdown text, in one linear pass: a NUL byte ("binary file, not
 * Markdown", QMS_EFORMAT), invalid UTF-8 ("invalid UTF-8 at line L, column C", QMS_EFORMAT),
 * a line longer than max_line bytes ("line L is longer than N bytes", QMS_ETOOBIG; 0: no cap).
 * A long line is refused as soon as the cap is passed, so a 50 MB line costs one short scan.
 */
int qms_md_check_text(const char *data, size_t len, uint64_t max_line, struct qms_err *err);

/*
 * The grammar's block scanner keeps its open containers in 8-bit counters and crashes past 255.
 * An upper bound of the containers open on each line (every quote needs one column of the
 * line's prefix, every list item two) is checked against QMS_MD_MAX_NESTING: "line L nests
 * block quotes or lists more than N deep", QMS_ETOOBIG. `data` uses LF line ends.
 */
#define QMS_MD_MAX_NESTING 120
int qms_md_check_nesting(const char *data, size_t len, struct qms_err *err);

/* Decodes one UTF-8 sequence of valid input at s[0..len): the code point, and its length in
 * *out_len (1 for a stray byte, which then decodes as U+FFFD). */
uint32_t qms_md_utf8_decode(const char *s, size_t len, size_t *out_len);
/* Appends the UTF-8 encoding of cp (U+FFFD for surrogates and out-of-range values). */
int qms_md_utf8_append(struct qms_buf *out, uint32_t cp);
/* Simple lower-case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic. */
uint32_t qms_md_lower(uint32_t cp);

/*
 * GitHub's heading slug of `text` into `out` (reset first): lower-case, punctuation and
 * symbols removed except '-' and '_', each space becomes '-', Unicode letters and digits kept.
 */
int qms_md_slug(struct qms_buf *out, const char *text, size_t len);

/*
 * Decodes an HTML entity or numeric character reference at s[0..len) ("&amp;", "&#x41;").
 * Returns 1 and appends the character to out when known, 0 when it is not a known entity.
 */
int qms_md_entity(struct qms_buf *out, const char *s, size_t len);

/* Normalises a link label for matching: trimmed, runs of white space to one space, lower-case. */
int qms_md_label_key(struct qms_buf *out, const char *s, size_t len);

/*
 * The block scanner: the common block forms of QMS documents (blank lines, ATX and setext headings,
 * paragraphs, thematic breaks, fenced code, pipe tables, HTML comments, lists of paragraphs)
 * read in one pass, as a list of events in reading order. Whatever it is not sure to read
 * exactly as tree-sitter's block grammar does (other HTML, indented code, quotes, odd setext
 * underlines, reference definitions, tabs in indentation, odd list indentation, ...) makes it
 * give up on the whole document: the grammar reads it.
 * `src` is the normalised text (LF line ends, ending with a line end, front matter blanked).
 * Returns 1 with the events in *out (free() them), 0 when it gives up, QMS_ENOMEM.
 */
enum qms_mdb_kind {
    QMS_MDB_HEADING,   /* ATX heading at `off`, `level`, inline content [a, b) (empty: none) */
    QMS_MDB_SETEXT,    /* setext heading at `off`, `level`, inline content [a, b) */
    QMS_MDB_PARAGRAPH, /* inline content [a, b); level > 0: in a list item, at that depth */
    QMS_MDB_CONT,      /* a continuation [a, b) (indentation of the item) in the paragraph before */
    QMS_MDB_CODE,      /* fenced code block at `off`, content [a, b) */
    QMS_MDB_HTML,      /* an HTML comment block [a, b) */
    QMS_MDB_TABLE,     /* a pipe table starts at `off` */
    QMS_MDB_ROW,       /* a row starts (level 1: the header row) */
    QMS_MDB_PIPE,      /* a column pipe of the row, at `off` */
    QMS_MDB_CELL,      /* a cell's content [a, b) */
    QMS_MDB_ROW_END,
    QMS_MDB_TABLE_END
};

struct qms_mdb {
    enum qms_mdb_kind kind;
    uint32_t level;
    uint32_t off;
    uint32_t a, b;
};

int qms_md_scan_blocks(struct qms_mdb **out, size_t *n_out, const char *src, uint32_t len);

/* Tests: 0 turns the block scanner off (every document goes to the grammar), 1 back on.
 * The environment variable QMSLINT_MD_NO_FASTPATH (any value) also turns it off. */
void qms_md_set_fastpath(int on);
/* 1 when the last qms_md_read() of this thread took the block scanner's path. */
int qms_md_last_read_fast(void);

#endif
