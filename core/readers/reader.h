/* Readers: bytes of one file -> a qms_doc. Each returns 0 and a document, or a negative
 * QMS_E* code with a one-line reason in err ("not a zip archive", "encrypted Office file or
 * legacy .doc — not supported", "word/document.xml:12:3: malformed XML: ..."). Readers never
 * write anything and are thread-safe: any number may run at once on different inputs. */
#ifndef QMS_READER_H
#define QMS_READER_H

#include <stddef.h>

#include <qmslint/model.h>

#include "../src/errors.h"
#include "../src/caps.h"

/* Initializes the libraries the readers share (libxml2's parser state). Call once on the
 * main thread before readers run on several threads; further calls do nothing. */
void qms_readers_init(void);

/* The format an extension implies (.md .markdown; .docx .docm .dotx .dotm; .odt .ott .fodt),
 * case-insensitive; QMS_FORMAT_UNKNOWN otherwise. */
enum qms_format qms_format_from_path(const char *path);

/* Reads `fs_path` (capped at limits->max_file_size) and dispatches on its extension.
 * `display_path` is what locations and messages show. */
int qms_read_file(struct qms_doc **out, const char *fs_path, const char *display_path,
                  const struct qms_limits *limits, struct qms_err *err);

/* From memory (tests and fuzzers). `path` is the display path and selects variants
 * (.docm macro flag, .fodt flat XML). */
int qms_md_read(struct qms_doc **out, const char *path, const char *data, size_t len,
                const struct qms_limits *limits, struct qms_err *err);
int qms_docx_read(struct qms_doc **out, const char *path, const char *data, size_t len,
                  const struct qms_limits *limits, struct qms_err *err);
int qms_odt_read(struct qms_doc **out, const char *path, const char *data, size_t len,
                 const struct qms_limits *limits, struct qms_err *err);

#endif
