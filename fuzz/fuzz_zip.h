/* For the package fuzzers: most mutations of a real zip only break its CRC, so an input that
 * does not start with a zip signature is taken as package parts separated by NUL bytes and
 * packed here (stored entries, correct CRCs) into a DOCX or ODT around them. The XML reading
 * code then sees mutated XML directly. */
#ifndef QMS_FUZZ_ZIP_H
#define QMS_FUZZ_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fzip {
    unsigned char *data;
    size_t len, cap;
    unsigned char *central;
    size_t central_len, central_cap;
    unsigned n;
    int failed;
};

static inline void fzip_put(struct fzip *z, int central, const void *p, size_t n)
{
    unsigned char **buf = central ? &z->central : &z->data;
    size_t *len = central ? &z->central_len : &z->len, *cap = central ? &z->central_cap : &z->cap;
    if (z->failed)
        return;
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n)
            c *= 2;
        unsigned char *grown = realloc(*buf, c);
        if (!grown) {
            z->failed = 1;
            return;
        }
        *buf = grown;
        *cap = c;
    }
    if (n)
        memcpy(*buf + *len, p, n);
    *len += n;
}

static inline void fzip_u16(struct fzip *z, int central, unsigned v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    fzip_put(z, central, b, 2);
}

static inline void fzip_u32(struct fzip *z, int central, uint32_t v)
{
    fzip_u16(z, central, v & 0xffffu);
    fzip_u16(z, central, v >> 16);
}

static inline uint32_t fzip_crc32(const void *data, size_t len)
{
    static uint32_t table[256];
    static int ready;
    const unsigned char *p = data;
    uint32_t crc = 0xffffffffu;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
            table[i] = c;
        }
        ready = 1;
    }
    for (size_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

static inline void fzip_add(struct fzip *z, const char *name, const void *data, size_t len)
{
    uint32_t offset = (uint32_t)z->len, crc = fzip_crc32(data, len);
    size_t name_len = strlen(name);
    fzip_u32(z, 0, 0x04034b50u);
    fzip_u16(z, 0, 20);
    fzip_u16(z, 0, 0);
    fzip_u16(z, 0, 0);
    fzip_u16(z, 0, 0);
    fzip_u16(z, 0, 0x21);
    fzip_u32(z, 0, crc);
    fzip_u32(z, 0, (uint32_t)len);
    fzip_u32(z, 0, (uint32_t)len);
    fzip_u16(z, 0, (unsigned)name_len);
    fzip_u16(z, 0, 0);
    fzip_put(z, 0, name, name_len);
    fzip_put(z, 0, data, len);
    fzip_u32(z, 1, 0x02014b50u);
    fzip_u16(z, 1, 20);
    fzip_u16(z, 1, 20);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0x21);
    fzip_u32(z, 1, crc);
    fzip_u32(z, 1, (uint32_t)len);
    fzip_u32(z, 1, (uint32_t)len);
    fzip_u16(z, 1, (unsigned)name_len);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0);
    fzip_u16(z, 1, 0);
    fzip_u32(z, 1, 0);
    fzip_u32(z, 1, offset);
    fzip_put(z, 1, name, name_len);
    z->n++;
}

static inline int fzip_finish(struct fzip *z)
{
    uint32_t cd_offset = (uint32_t)z->len;
    fzip_put(z, 0, z->central, z->central_len);
    fzip_u32(z, 0, 0x06054b50u);
    fzip_u16(z, 0, 0);
    fzip_u16(z, 0, 0);
    fzip_u16(z, 0, z->n);
    fzip_u16(z, 0, z->n);
    fzip_u32(z, 0, (uint32_t)z->central_len);
    fzip_u32(z, 0, cd_offset);
    fzip_u16(z, 0, 0);
    free(z->central);
    z->central = NULL;
    return z->failed ? -1 : 0;
}

/* Splits the input at NUL bytes into at most n_names parts and packs part i as names[i]
 * after the fixed entries. */
static inline int fzip_pack(struct fzip *z, const char *const *fixed, size_t n_fixed,
                            const char *const *names, size_t n_names, const uint8_t *data,
                            size_t size)
{
    memset(z, 0, sizeof *z);
    for (size_t i = 0; i + 1 < n_fixed; i += 2)
        fzip_add(z, fixed[i], fixed[i + 1], strlen(fixed[i + 1]));
    size_t start = 0;
    for (size_t i = 0; i < n_names && start <= size; i++) {
        const uint8_t *nul = start < size ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        fzip_add(z, names[i], data + start, end - start);
        start = end + 1;
        if (!nul)
            break;
    }
    return fzip_finish(z);
}

static inline int fzip_is_zip(const uint8_t *data, size_t size)
{
    return size >= 4 && data[0] == 'P' && data[1] == 'K';
}


/* ---- the packages the DOCX and ODT targets (and tests/unit/fuzzregress) build */

static const char *const fzip_docx_fixed[] = {
    "[Content_Types].xml",
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
    "PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.document.main+xml\"/></Types>",
    "_rels/.rels",
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship "
    "Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "custom-properties\" Target=\"docProps/custom.xml\"/></Relationships>",
    "word/_rels/document.xml.rels",
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" "
    "Target=\"comments.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rId4\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" "
    "Target=\"footnotes.xml\"/><Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/hyperlink\" Target=\"QP-002.docx#scope\" "
    "TargetMode=\"External\"/></Relationships>",
};
static const char *const fzip_docx_parts[] = {"word/document.xml", "word/styles.xml", "docProps/core.xml",
                                    "docProps/custom.xml", "word/comments.xml",
                                    "word/header1.xml", "word/footnotes.xml"};

static const char *const fzip_odt_fixed[] = {
    "mimetype", "application/vnd.oasis.opendocument.text",
    "META-INF/manifest.xml",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:"
    "names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry "
    "manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
    "</manifest:manifest>",
};
static const char *const fzip_odt_parts[] = {"content.xml", "styles.xml", "meta.xml"};

/* The package for an input: the input itself when it is a zip, else its NUL-separated parts
 * packed. out_data and out_len point at the package; free z->data afterwards. */
static inline int fzip_docx(struct fzip *z, const uint8_t *data, size_t size,
                            const char **out_data, size_t *out_len)
{
    memset(z, 0, sizeof *z);
    *out_data = (const char *)data;
    *out_len = size;
    if (fzip_is_zip(data, size))
        return 0;
    if (fzip_pack(z, fzip_docx_fixed, sizeof fzip_docx_fixed / sizeof fzip_docx_fixed[0],
                  fzip_docx_parts, sizeof fzip_docx_parts / sizeof fzip_docx_parts[0], data,
                  size) != 0)
        return -1;
    *out_data = (const char *)z->data;
    *out_len = z->len;
    return 0;
}

static inline int fzip_odt(struct fzip *z, const uint8_t *data, size_t size,
                           const char **out_data, size_t *out_len)
{
    memset(z, 0, sizeof *z);
    *out_data = (const char *)data;
    *out_len = size;
    if (fzip_is_zip(data, size))
        return 0;
    if (fzip_pack(z, fzip_odt_fixed, sizeof fzip_odt_fixed / sizeof fzip_odt_fixed[0],
                  fzip_odt_parts, sizeof fzip_odt_parts / sizeof fzip_odt_parts[0], data,
                  size) != 0)
        return -1;
    *out_data = (const char *)z->data;
    *out_len = z->len;
    return 0;
}

#endif
