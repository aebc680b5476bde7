/* What the DOCX and ODT readers share: a zip package with caps, and a safe libxml2 reader.
 * One implementation of the caps, the entity rules and the error messages (curl's lib/vtls). */
#ifndef QMS_ZIPXML_H
#define QMS_ZIPXML_H

#include <stddef.h>

#include <libxml/xmlreader.h>

#include "../../src/errors.h"
#include "../../src/caps.h"

struct qms_zip;

/*
 * Opens a zip held in memory (not copied: `data` must outlive the zip). Refuses with a
 * one-line reason: OLE compound files ("encrypted Office file or legacy .doc — not
 * supported"), not a zip, truncated, too many entries. Returns 0 or a negative QMS_E*.
 */
int qms_zip_open(struct qms_zip **out, const void *data, size_t len, const struct qms_limits *limits,
                 struct qms_err *err);
void qms_zip_close(struct qms_zip *zip);

/* 1 when an entry of that exact name exists (a leading '/' is ignored), else 0. */
int qms_zip_has(const struct qms_zip *zip, const char *name);
size_t qms_zip_count(const struct qms_zip *zip);
const char *qms_zip_name(const struct qms_zip *zip, size_t index);

/*
 * Inflates one entry into a malloc'd, NUL-terminated buffer (free() it). Enforces the part
 * size, the package total and the compression ratio while inflating, so a bomb stops early.
 * QMS_ETOOBIG / QMS_EFORMAT / QMS_EIO with "part: reason" in err.
 */
int qms_zip_read(struct qms_zip *zip, const char *name, char **out_data, size_t *out_len,
                 struct qms_err *err);

/*
 * A streaming reader over an XML buffer: no entity substitution, no DTD loading, no network,
 * huge text nodes allowed but depth capped by limits->max_depth. `part` names the buffer in
 * messages. Free with xmlFreeTextReader.
 */
xmlTextReaderPtr qms_xml_reader_new(const char *data, size_t len, const char *part,
                                    struct qms_err *err);

/*
 * xmlTextReaderRead with the shared error policy: returns 1 (node), 0 (end) or a negative
 * QMS_E* with "part:line:column: malformed XML: reason" or "part: XML nested deeper than N"
 * in err.
 */
int qms_xml_next(xmlTextReaderPtr reader, const char *part, const struct qms_limits *limits,
                 struct qms_err *err);

/* Relationship-part path resolution: the target of a rels entry relative to the part that
 * owns it ("word/document.xml" + "../media/x.png" -> "media/x.png"). Writes into out. */
void qms_zip_resolve(char *out, size_t out_size, const char *source_part, const char *target);

#endif
