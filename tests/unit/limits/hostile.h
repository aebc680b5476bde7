/* Hostile inputs built at run time (nothing large is committed): zip packages written byte by
 * byte, so entries can lie about their sizes, and a hand-made deflate stream that expands
 * about 1 GiB of zeros. */
#ifndef QMS_TEST_HOSTILE_H
#define QMS_TEST_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

struct hbuf {
    unsigned char *data;
    size_t len, cap;
};

void hbuf_put(struct hbuf *b, const void *data, size_t len);
void hbuf_free(struct hbuf *b);

/* A zip under construction. */
struct hzip {
    struct hbuf out;
    struct hbuf central;
    size_t n_entries;
};

/* Adds an entry. method 0 (stored) or 8 (deflate); `data` is what is stored (already
 * compressed for method 8); `declared_size` is the uncompressed size written in the headers. */
void hzip_add(struct hzip *z, const char *name, int method, const void *data, size_t len,
              uint64_t declared_size, uint32_t crc);
/* Adds a stored entry with a correct CRC. */
void hzip_add_stored(struct hzip *z, const char *name, const char *text);
/* Writes the central directory (zip64 end records when there are more than 65,535 entries)
 * and returns the whole archive in z->out. */
void hzip_finish(struct hzip *z);
void hzip_free(struct hzip *z);

/* A raw deflate stream (fixed Huffman: one literal, then length-258 matches) that inflates to
 * `size` zero bytes; about 6.5 MiB per GiB. */
void deflate_zeros(struct hbuf *out, uint64_t size);

/* A minimal DOCX package whose word/document.xml is `document_xml` (stored). */
void docx_with_document(struct hbuf *out, const char *document_xml, size_t len);

/* Peak resident set of this process, in KiB (getrusage). */
long peak_rss_kb(void);

#endif
