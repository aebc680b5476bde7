/* The zip package and XML reader the DOCX and ODT readers share: caps enforced while
 * inflating, XML parsed without entity substitution, DTD loading or network. */
#include "zipxml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <zip.h>

/* Below this many decompressed bytes the ratio cap is not applied: small, repetitive XML
 * parts compress very well and are no threat. */
#define QMS_ZIP_RATIO_FLOOR (1024u * 1024u)
#define QMS_ZIP_CHUNK 65536u

/* One central-directory name (leading '/' dropped), for lookups by binary search. */
struct zip_name {
    const char *name;      /* libzip's, valid while the archive is open */
    zip_int64_t index;
    zip_int64_t group_min; /* lowest index among the names equal to this one ignoring case */
};

struct qms_zip {
    zip_t *archive;
    struct qms_limits limits;
    uint64_t total_read; /* decompressed bytes handed out so far */
    zip_int64_t n_entries;
    struct zip_name *names; /* sorted: case-insensitively, then exactly, then by index */
    size_t n_names;
};

static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

static int zip_error_message(struct qms_err *err, int zip_code, const void *data, size_t len)
{
    const unsigned char *bytes = data;
    int looks_zip = len >= 4 && bytes[0] == 'P' && bytes[1] == 'K';
    switch (zip_code) {
    case ZIP_ER_NOZIP:
        if (looks_zip)
            return qms_err_set(err, QMS_EFORMAT,
                               "truncated or corrupt zip archive (no central directory)");
        return qms_err_set(err, QMS_EFORMAT, "not a zip archive");
    case ZIP_ER_INCONS:
        return qms_err_set(err, QMS_EFORMAT, "corrupt zip archive (inconsistent directory)");
    case ZIP_ER_MULTIDISK:
        return qms_err_set(err, QMS_EUNSUPPORTED, "multi-disk zip archive not supported");
    case ZIP_ER_MEMORY:
        return qms_err_set(err, QMS_ENOMEM, "out of memory opening zip archive");
    case ZIP_ER_EOF:
    case ZIP_ER_READ:
        return qms_err_set(err, QMS_EFORMAT, "truncated zip archive");
    default:
        return qms_err_set(err, QMS_EFORMAT, "corrupt zip archive (libzip error %d)", zip_code);
    }
}

static int zip_name_cmp(const void *a, const void *b)
{
    const struct zip_name *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c)
        c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

/* Sorts the names once, so that each lookup is a binary search: a package may hold
 * max_entries entries and a document reach thousands of parts through its rels. */
static int build_index(struct qms_zip *zip)
{
    if (zip->n_entries <= 0)
        return 0;
    zip->names = malloc((size_t)zip->n_entries * sizeof *zip->names);
    if (!zip->names)
        return QMS_ENOMEM;
    size_t n = 0;
    for (zip_int64_t i = 0; i < zip->n_entries; i++) {
        const char *entry = zip_get_name(zip->archive, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!entry)
            continue;
        while (*entry == '/')
            entry++;
        zip->names[n].name = entry;
        zip->names[n].index = i;
        n++;
    }
    zip->n_names = n;
    if (n > 1)
        qsort(zip->names, n, sizeof *zip->names, zip_name_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        zip_int64_t lowest = zip->names[i].index;
        while (j < n && strcasecmp(zip->names[j].name, zip->names[i].name) == 0) {
            if (zip->names[j].index < lowest)
                lowest = zip->names[j].index;
            j++;
        }
        for (size_t k = i; k < j; k++)
            zip->names[k].group_min = lowest;
        i = j;
    }
    return 0;
}

int qms_zip_open(struct qms_zip **out, const void *data, size_t len, const struct qms_limits *limits,
                 struct qms_err *err)
{
    *out = NULL;
    if (len == 0)
        return qms_err_set(err, QMS_EFORMAT, "empty file (0 bytes)");
    if (len >= sizeof ole_magic && memcmp(data, ole_magic, sizeof ole_magic) == 0)
        return qms_err_set(err, QMS_EUNSUPPORTED,
                           "encrypted Office file or legacy .doc — not supported");
    if (len < 22)
        return qms_err_set(err, QMS_EFORMAT, "not a zip archive (%zu bytes)", len);

    struct qms_zip *zip = calloc(1, sizeof *zip);
    if (!zip)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    if (limits)
        zip->limits = *limits;
    else
        qms_limits_default(&zip->limits);

    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    if (!src) {
        zip_error_fini(&zerr);
        free(zip);
        return qms_err_set(err, QMS_ENOMEM, "out of memory opening zip archive");
    }
    zip->archive = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!zip->archive) {
        int code = zip_error_code_zip(&zerr);
        zip_error_fini(&zerr);
        zip_source_free(src);
        free(zip);
        return zip_error_message(err, code, data, len);
    }
    zip_error_fini(&zerr);
    zip->n_entries = zip_get_num_entries(zip->archive, 0);
    if (zip->n_entries < 0 || (uint64_t)zip->n_entries > zip->limits.max_entries) {
        int64_t n = zip->n_entries;
        unsigned max_entries = zip->limits.max_entries;
        qms_zip_close(zip);
        return qms_err_set(err, QMS_ETOOBIG, "zip archive has %lld entries (limit %u)",
                           (long long)n, max_entries);
    }
    if (build_index(zip) != 0) {
        qms_zip_close(zip);
        return qms_err_set(err, QMS_ENOMEM, "out of memory opening zip archive");
    }
    *out = zip;
    return 0;
}

void qms_zip_close(struct qms_zip *zip)
{
    if (!zip)
        return;
    if (zip->archive)
        zip_discard(zip->archive); /* frees the source too */
    free(zip->names);
    free(zip);
}

/* The index of `name`, the first of duplicate names in central-directory order winning:
 * exact, then with a leading '/' on the entry, then case-insensitive (OPC part
 * names compare case-insensitively). Names are libzip's, which honours the Info-ZIP Unicode
 * Path field (0x7075) as unzip does; Python's zipfile and pandoc use the raw name instead.
 * -1 when absent. */
static zip_int64_t zip_locate(const struct qms_zip *zip, const char *name)
{
    if (!zip || !name)
        return -1;
    while (*name == '/')
        name++;
    if (!*name || !zip->n_names)
        return -1;
    /* The first name not below `name` in (case-insensitive, exact) order. */
    size_t lo = 0, hi = zip->n_names;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *entry = zip->names[mid].name;
        int c = strcasecmp(entry, name);
        if (!c)
            c = strcmp(entry, name);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < zip->n_names && strcmp(zip->names[lo].name, name) == 0)
        return zip->names[lo].index; /* equal names sort by index: the first one */
    if (lo < zip->n_names && strcasecmp(zip->names[lo].name, name) == 0)
        return zip->names[lo].group_min;
    if (lo > 0 && strcasecmp(zip->names[lo - 1].name, name) == 0)
        return zip->names[lo - 1].group_min;
    return -1;
}

int qms_zip_has(const struct qms_zip *zip, const char *name)
{
    return zip_locate(zip, name) >= 0;
}

size_t qms_zip_count(const struct qms_zip *zip)
{
    return zip && zip->n_entries > 0 ? (size_t)zip->n_entries : 0;
}

const char *qms_zip_name(const struct qms_zip *zip, size_t index)
{
    if (!zip || index >= qms_zip_count(zip))
        return NULL;
    return zip_get_name(zip->archive, (zip_uint64_t)index, ZIP_FL_ENC_RAW);
}

int qms_zip_read(struct qms_zip *zip, const char *name, char **out_data, size_t *out_len,
                 struct qms_err *err)
{
    *out_data = NULL;
    if (out_len)
        *out_len = 0;
    zip_int64_t idx = zip_locate(zip, name);
    if (idx < 0)
        return qms_err_set(err, QMS_EFORMAT, "%s: no such part in the package", name ? name : "");

    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip->archive, (zip_uint64_t)idx, 0, &st) != 0)
        return qms_err_set(err, QMS_EFORMAT, "%s: unreadable zip entry", name);
    const struct qms_limits *lim = &zip->limits;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > lim->max_part_size)
        return qms_err_set(err, QMS_ETOOBIG, "%s: part declares %llu bytes (limit %llu)", name,
                           (unsigned long long)st.size, (unsigned long long)lim->max_part_size);
    uint64_t comp_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    /* A bomb is refused from its directory entry when it is honest about its size, and as
       soon as it inflates past what it declared when it is not: nothing big is ever held. */
    if (lim->max_ratio && (st.valid & ZIP_STAT_SIZE) && st.size > QMS_ZIP_RATIO_FLOOR &&
        st.size / (comp_size ? comp_size : 1) > lim->max_ratio)
        return qms_err_set(err, QMS_ETOOBIG, "%s: compression ratio above %u (zip bomb?)", name,
                           (unsigned)lim->max_ratio);

    zip_file_t *file = zip_fopen_index(zip->archive, (zip_uint64_t)idx, 0);
    if (!file) {
        int code = zip_error_code_zip(zip_get_error(zip->archive));
        if (code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_NOPASSWD)
            return qms_err_set(err, QMS_EUNSUPPORTED, "%s: encrypted zip entry — not supported",
                               name);
        if (code == ZIP_ER_COMPNOTSUPP)
            return qms_err_set(err, QMS_EUNSUPPORTED, "%s: unsupported compression method", name);
        return qms_err_set(err, QMS_EFORMAT, "%s: cannot open zip entry (libzip error %d)", name,
                           code);
    }

    size_t cap = 0, len = 0;
    char *buf = NULL;
    int rc = 0;
    for (;;) {
        if (cap - len < QMS_ZIP_CHUNK + 1) {
            size_t want = cap ? cap * 2 : QMS_ZIP_CHUNK * 2;
            if ((st.valid & ZIP_STAT_SIZE) && cap == 0 && st.size + 1 + QMS_ZIP_CHUNK > want)
                want = (size_t)st.size + 1 + QMS_ZIP_CHUNK;
            char *grown = realloc(buf, want);
            if (!grown) {
                rc = qms_err_set(err, QMS_ENOMEM, "%s: out of memory inflating", name);
                break;
            }
            buf = grown;
            cap = want;
        }
        zip_int64_t got = zip_fread(file, buf + len, QMS_ZIP_CHUNK);
        if (got < 0) {
            int code = zip_error_code_zip(zip_file_get_error(file));
            if (code == ZIP_ER_CRC)
                rc = qms_err_set(err, QMS_EFORMAT, "%s: CRC mismatch (corrupt zip entry)", name);
            else
                rc = qms_err_set(err, QMS_EFORMAT, "%s: corrupt or truncated zip entry", name);
            break;
        }
        if (got == 0)
            break;
        len += (size_t)got;
        if ((st.valid & ZIP_STAT_SIZE) && len > st.size) {
            rc = qms_err_set(err, QMS_ETOOBIG,
                             "%s: inflates to more than the %llu bytes it declares (zip bomb?)",
                             name, (unsigned long long)st.size);
            break;
        }
        if (len > lim->max_part_size) {
            rc = qms_err_set(err, QMS_ETOOBIG, "%s: decompressed size exceeds %llu bytes", name,
                             (unsigned long long)lim->max_part_size);
            break;
        }
        if (zip->total_read + len > lim->max_total_size) {
            rc = qms_err_set(err, QMS_ETOOBIG,
                             "%s: package decompresses to more than %llu bytes", name,
                             (unsigned long long)lim->max_total_size);
            break;
        }
        if (lim->max_ratio && len > QMS_ZIP_RATIO_FLOOR &&
            (uint64_t)len / (comp_size ? comp_size : 1) > lim->max_ratio) {
            rc = qms_err_set(err, QMS_ETOOBIG,
                             "%s: compression ratio above %u (zip bomb?)", name,
                             (unsigned)lim->max_ratio);
            break;
        }
    }
    zip_fclose(file);
    if (rc) {
        free(buf);
        return rc;
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf)
            return qms_err_set(err, QMS_ENOMEM, "%s: out of memory", name);
    }
    buf[len] = '\0';
    zip->total_read += len;
    *out_data = buf;
    if (out_len)
        *out_len = len;
    return 0;
}

static void quiet_xml_errors(void *payload, xmlErrorPtr error)
{
    (void)payload;
    (void)error;
}

/* Encoding errors (a part declaring ISO-2022-JP over bytes that are not) and the I/O layer's
 * complaints bypass the reader's handler and go to libxml2's per-thread generic handler,
 * which prints them to stderr: five lines per hostile part. They also reach xmlGetLastError. */
static void quiet_generic_errors(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

xmlTextReaderPtr qms_xml_reader_new(const char *data, size_t len, const char *part,
                                    struct qms_err *err)
{
    if (len > INT32_MAX) {
        qms_err_set(err, QMS_ETOOBIG, "%s: XML part larger than 2 GiB", part ? part : "");
        return NULL;
    }
    xmlResetLastError();
    xmlSetGenericErrorFunc(NULL, quiet_generic_errors); /* per thread: set on each worker */
    /* No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR/XINCLUDE, and no
     * XML_PARSE_HUGE: it would switch off libxml2's entity-amplification guard. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
                  XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;
    xmlTextReaderPtr reader = xmlReaderForMemory(data, (int)len, part, NULL, options);
    if (!reader)
        qms_err_set(err, QMS_ENOMEM, "%s: cannot create XML reader", part ? part : "");
    else
        /* libxml2 2.9 prints some errors (huge text node, xml:id not an NCName) with a line of
         * the document's own text even under XML_PARSE_NOERROR: several lines of raw
         * document bytes on stderr, from every worker. They still reach xmlGetLastError,
         * which qms_xml_next turns into the one-line reason. */
        xmlTextReaderSetStructuredErrorHandler(reader, quiet_xml_errors, NULL);
    return reader;
}

int qms_xml_next(xmlTextReaderPtr reader, const char *part, const struct qms_limits *limits,
                 struct qms_err *err)
{
    if (!part)
        part = "";
    int r = xmlTextReaderRead(reader);
    if (r == 1) {
        uint32_t max_depth = limits && limits->max_depth ? limits->max_depth : 256;
        int depth = xmlTextReaderDepth(reader);
        if (depth > 0 && (uint32_t)depth > max_depth)
            return qms_err_set(err, QMS_ETOOBIG, "%s: XML nested deeper than %u", part,
                               (unsigned)max_depth);
        return 1;
    }
    if (r == 0)
        return 0;
    const xmlError *e = xmlGetLastError();
    if (!e)
        return qms_err_set(err, QMS_EFORMAT, "%s: malformed XML", part);
    if (e->message && strstr(e->message, "Excessive depth"))
        return qms_err_set(err, QMS_ETOOBIG, "%s: XML nested deeper than %u", part,
                           (unsigned)(limits && limits->max_depth ? limits->max_depth : 256));
    /* Without XML_PARSE_HUGE (which would also lift the entity guard) libxml2 refuses one
     * text node over XML_MAX_TEXT_LENGTH: a cap, not malformed XML. */
    if (e->message && strstr(e->message, "huge text node"))
        return qms_err_set(err, QMS_ETOOBIG, "%s:%d: one text run longer than %d bytes", part,
                           e->line, XML_MAX_TEXT_LENGTH);
    if (e->code == XML_ERR_ENTITY_LOOP || (e->message && strstr(e->message, "amplification")))
        return qms_err_set(err, QMS_ETOOBIG, "%s: XML entity expansion refused (entity bomb?)",
                           part);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return qms_err_set(err, QMS_EFORMAT, "%s:%d:%d: malformed XML: %s", part, e->line, e->int2,
                       msg);
}

void qms_zip_resolve(char *out, size_t out_size, const char *source_part, const char *target)
{
    if (!out || out_size == 0)
        return;
    out[0] = '\0';
    if (!target)
        return;
    char path[2048];
    size_t n = 0;
    if (target[0] == '/') {
        snprintf(path, sizeof path, "%s", target + 1);
    } else {
        const char *slash = source_part ? strrchr(source_part, '/') : NULL;
        size_t dir_len = slash ? (size_t)(slash - source_part) + 1 : 0;
        if (dir_len >= sizeof path)
            dir_len = 0;
        if (dir_len)
            memcpy(path, source_part, dir_len);
        snprintf(path + dir_len, sizeof path - dir_len, "%s", target);
    }
    /* Normalise segment by segment: drop "." and "", let ".." pop. */
    char *segments[256];
    size_t n_segments = 0;
    char *save = NULL;
    for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            if (n_segments)
                n_segments--;
            continue;
        }
        if (n_segments < sizeof segments / sizeof segments[0])
            segments[n_segments++] = seg;
    }
    for (size_t i = 0; i < n_segments; i++) {
        int w = snprintf(out + n, out_size - n, "%s%s", i ? "/" : "", segments[i]);
        if (w < 0 || (size_t)w >= out_size - n) {
            out[out_size - 1] = '\0';
            return;
        }
        n += (size_t)w;
    }
}
