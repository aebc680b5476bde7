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

#endif
