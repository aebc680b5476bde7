#include "hostile.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

void hbuf_put(struct hbuf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        b->data = realloc(b->data, cap);
        cr_assert_not_null(b->data, "out of memory building a hostile input");
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
}

void hbuf_free(struct hbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void put16(struct hbuf *b, unsigned v)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    hbuf_put(b, c, 2);
}

static void put32(struct hbuf *b, uint32_t v)
{
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}

static void put64(struct hbuf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static uint32_t crc32_of(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void hzip_add(struct hzip *z, const char *name, int method, const void *data, size_t len,
              uint64_t declared_size, uint32_t crc)
{
    size_t offset = z->out.len;
    size_t name_len = strlen(name);
    uint32_t usize = declared_size > 0xfffffffeu ? 0xfffffffeu : (uint32_t)declared_size;
    /* local file header */
    put32(&z->out, 0x04034b50);
    put16(&z->out, 20);
    put16(&z->out, 0);
    put16(&z->out, (unsigned)method);
    put16(&z->out, 0);
    put16(&z->out, 0x21);
    put32(&z->out, crc);
    put32(&z->out, (uint32_t)len);
    put32(&z->out, usize);
    put16(&z->out, (unsigned)name_len);
    put16(&z->out, 0);
    hbuf_put(&z->out, name, name_len);
    hbuf_put(&z->out, data, len);
    /* central directory entry */
    put32(&z->central, 0x02014b50);
    put16(&z->central, 20);
    put16(&z->central, 20);
    put16(&z->central, 0);
    put16(&z->central, (unsigned)method);
    put16(&z->central, 0);
    put16(&z->central, 0x21);
    put32(&z->central, crc);
    put32(&z->central, (uint32_t)len);
    put32(&z->central, usize);
    put16(&z->central, (unsigned)name_len);
    put16(&z->central, 0);
    put16(&z->central, 0);
    put16(&z->central, 0);
    put16(&z->central, 0);
    put32(&z->central, 0);
    put32(&z->central, (uint32_t)offset);
    hbuf_put(&z->central, name, name_len);
    z->n_entries++;
}

void hzip_add_stored(struct hzip *z, const char *name, const char *text)
{
    size_t len = strlen(text);
    hzip_add(z, name, 0, text, len, len, crc32_of(text, len));
}

void hzip_finish(struct hzip *z)
{
    size_t cd_offset = z->out.len;
    hbuf_put(&z->out, z->central.data, z->central.len);
    int zip64 = z->n_entries > 0xfffe;
    if (zip64) {
        size_t eocd64 = z->out.len;
        put32(&z->out, 0x06064b50);
        put64(&z->out, 44);
        put16(&z->out, 45);
        put16(&z->out, 45);
        put32(&z->out, 0);
        put32(&z->out, 0);
        put64(&z->out, z->n_entries);
        put64(&z->out, z->n_entries);
        put64(&z->out, z->central.len);
        put64(&z->out, cd_offset);
        put32(&z->out, 0x07064b50); /* locator */
        put32(&z->out, 0);
        put64(&z->out, eocd64);
        put32(&z->out, 1);
    }
    put32(&z->out, 0x06054b50);
    put16(&z->out, 0);
    put16(&z->out, 0);
    put16(&z->out, zip64 ? 0xffff : (unsigned)z->n_entries);
    put16(&z->out, zip64 ? 0xffff : (unsigned)z->n_entries);
    put32(&z->out, (uint32_t)z->central.len);
    put32(&z->out, (uint32_t)cd_offset);
    put16(&z->out, 0);
}

void hzip_free(struct hzip *z)
{
    hbuf_free(&z->out);
    hbuf_free(&z->central);
}

/* ---- deflate, fixed Huffman, written LSB first */

struct bits {
    struct hbuf *out;
    uint64_t acc;
    unsigned n;
};

static void bits_put(struct bits *b, uint32_t value, unsigned n)
{
    b->acc |= (uint64_t)value << b->n;
    b->n += n;
    while (b->n >= 8) {
        unsigned char c = (unsigned char)b->acc;
        hbuf_put(b->out, &c, 1);
        b->acc >>= 8;
        b->n -= 8;
    }
}

/* Huffman codes go most significant bit first. */
static void bits_code(struct bits *b, uint32_t code, unsigned n)
{
    uint32_t rev = 0;
    for (unsigned i = 0; i < n; i++)
        rev |= ((code >> i) & 1u) << (n - 1 - i);
    bits_put(b, rev, n);
}

void deflate_zeros(struct hbuf *out, uint64_t size)
{
    struct bits b = {out, 0, 0};
    bits_put(&b, 1, 1);        /* BFINAL */
    bits_put(&b, 1, 2);        /* fixed Huffman */
    bits_code(&b, 0x30, 8);    /* literal 0 */
    uint64_t left = size ? size - 1 : 0;
    while (left >= 258) {
        bits_code(&b, 0xc5, 8); /* length 258 (code 285) */
        bits_code(&b, 0, 5);    /* distance 1 */
        left -= 258;
    }
    while (left-- > 0)
        bits_code(&b, 0x30, 8);
    bits_code(&b, 0, 7);       /* end of block */
    if (b.n)
        bits_put(&b, 0, 8 - b.n);
}

void docx_with_document(struct hbuf *out, const char *document_xml, size_t len)
{
    struct hzip z = {0};
    hzip_add_stored(&z, "[Content_Types].xml",
                    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
                    "package/2006/content-types\"><Default Extension=\"xml\" ContentType="
                    "\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType="
                    "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document."
                    "main+xml\"/></Types>");
    hzip_add_stored(&z, "_rels/.rels",
                    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats"
                    ".org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
                    "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
                    "\" Target=\"word/document.xml\"/></Relationships>");
    hzip_add(&z, "word/document.xml", 0, document_xml, len, len, crc32_of(document_xml, len));
    hzip_finish(&z);
    *out = z.out;
    hbuf_free(&z.central);
}

long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}
