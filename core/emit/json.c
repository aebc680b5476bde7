/* The `json` output of `qmslint check`: schema version 1, documented in docs/output-json.md.
 * Deterministic: no timings, documents and findings in the result's sorted order. */
#include "emit.h"

#include <string.h>

#define JSON_SCHEMA_VERSION 1

const char *qms_emit_format_name(enum qms_format f)
{
    switch (f) {
    case QMS_FORMAT_MARKDOWN:
        return "markdown";
    case QMS_FORMAT_DOCX:
        return "docx";
    case QMS_FORMAT_ODT:
        return "odt";
    case QMS_FORMAT_UNKNOWN:
        break;
    }
    return "unknown";
}

size_t qms_utf8_next(const char *str, size_t len, unsigned long *out_cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned long cp;
    size_t n;
    *out_cp = 0xFFFD;
    if (s[0] < 0x80) {
        *out_cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        cp = s[0] & 0x07u;
    } else {
        return 1;
    }
    if (len < n)
        return 1;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    /* overlong forms, UTF-16 surrogates, beyond Unicode */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 1;
    *out_cp = cp;
    return n;
}

void qms_jbuf_init(struct qms_jbuf *b, FILE *out)
{
    b->out = out;
    b->n = 0;
}

void qms_jbuf_flush(struct qms_jbuf *b)
{
    if (b->n)
        fwrite(b->buf, 1, b->n, b->out);
    b->n = 0;
}

void qms_jbuf_put(struct qms_jbuf *b, const char *s, size_t n)
{
    if (n > sizeof b->buf - b->n) {
        qms_jbuf_flush(b);
        if (n > sizeof b->buf) {
            fwrite(s, 1, n, b->out);
            return;
        }
    }
    memcpy(b->buf + b->n, s, n);
    b->n += n;
}

void qms_jbuf_puts(struct qms_jbuf *b, const char *s) { qms_jbuf_put(b, s, strlen(s)); }

void qms_jbuf_string(struct qms_jbuf *b, const char *s)
{
    if (!s) {
        qms_jbuf_put(b, "null", 4);
        return;
    }
    size_t len = strlen(s);
    qms_jbuf_put(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        /* printable ASCII needs no escape: written as one run */
        size_t run = i;
        while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
               s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            qms_jbuf_put(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        switch (cp) {
        case '"':
            qms_jbuf_put(b, "\\\"", 2);
            break;
        case '\\':
            qms_jbuf_put(b, "\\\\", 2);
            break;
        case '\n':
            qms_jbuf_put(b, "\\n", 2);
            break;
        case '\r':
            qms_jbuf_put(b, "\\r", 2);
            break;
        case '\t':
            qms_jbuf_put(b, "\\t", 2);
            break;
        default:
            if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029) {
                char esc[16];
                int k = snprintf(esc, sizeof esc, "\\u%04lx", cp);
                qms_jbuf_put(b, esc, (size_t)k);
            } else if (cp == 0xFFFD && n == 1) {
                qms_jbuf_put(b, "\\ufffd", 6); /* an invalid byte: JSON must stay valid UTF-8 */
            } else {
                qms_jbuf_put(b, s + i, n);
            }
        }
        i += n;
    }
    qms_jbuf_put(b, "\"", 1);
}

void qms_json_string(FILE *out, const char *s)
{
    struct qms_jbuf b;
    qms_jbuf_init(&b, out);
    qms_jbuf_string(&b, s);
    qms_jbuf_flush(&b);
}

/* A location number, or null when unknown (0). */
static void json_uint_or_null(FILE *out, uint32_t v)
{
    if (v)
        fprintf(out, "%u", (unsigned)v);
    else
        fputs("null", out);
}

static const char *severity_word(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_ERROR:
        return "error";
    case QMS_SEV_WARNING:
        return "warning";
    case QMS_SEV_INFO:
        return "info";
    case QMS_SEV_OFF:
        break;
    }
    return "off";
}

static void emit_document(FILE *out, const struct qms_doc_summary *d)
{
    fputs("{\"path\": ", out);
    qms_json_string(out, d->path ? d->path : "");
    fputs(", \"format\": \"", out);
    fputs(qms_emit_format_name(d->format), out);
    fputs("\", \"title\": ", out);
    qms_json_string(out, d->title);
    fputs(d->unreadable ? ", \"unreadable\": true, \"reason\": " : ", \"unreadable\": false, \"reason\": ",
          out);
    qms_json_string(out, d->reason);
    fputs(", \"metadata\": ", out);
    qms_emit_meta_fields_json(out, d->meta);
    fputc('}', out);
}

static void emit_finding(FILE *out, const struct qms_finding *f)
{
    fputs("{\"rule\": ", out);
    qms_json_string(out, f->rule_id ? f->rule_id : "");
    fputs(", \"severity\": \"", out);
    fputs(severity_word(f->severity), out);
    fputs("\", \"message\": ", out);
    qms_json_string(out, f->message ? f->message : "");
    fputs(", \"path\": ", out);
    qms_json_string(out, f->path ? f->path : "");
    fputs(", \"location\": {\"part\": ", out);
    qms_json_string(out, f->part);
    fputs(", \"line\": ", out);
    json_uint_or_null(out, f->line);
    fputs(", \"column\": ", out);
    json_uint_or_null(out, f->column);
    fputs(", \"block\": ", out);
    json_uint_or_null(out, f->block);
    fputs(", \"section\": ", out);
    qms_json_string(out, f->section);
    fputs("}, \"plugin\": ", out);
    qms_json_string(out, f->plugin);
    fputs(", \"key\": ", out);
    qms_json_string(out, f->key);
    fputs(", \"fingerprint\": ", out);
    qms_json_string(out, f->fingerprint);
    fputc('}', out);
}

int qms_emit_json(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o)
{
    /* Held once for the whole report: each of the millions of small writes below then finds
       the stream already locked by this thread instead of locking it itself. */
    flockfile(out);
    fprintf(out, "{\n  \"schema_version\": %d,\n", JSON_SCHEMA_VERSION);
    fputs("  \"tool\": {\"name\": \"qmslint\", \"version\": ", out);
    qms_json_string(out, o && o->tool_version ? o->tool_version : "");
    fputs("},\n  \"documents\": [", out);
    for (size_t i = 0; i < r->n_docs; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        emit_document(out, &r->docs[i]);
    }
    fputs(r->n_docs ? "\n  ],\n" : "],\n", out);
    fputs("  \"findings\": [", out);
    size_t n_active = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        if (r->findings[i].suppressed)
            continue; /* counted in the summary; listed with their justification in SARIF */
        fputs(n_active++ ? ",\n    " : "\n    ", out);
        emit_finding(out, &r->findings[i]);
    }
    fputs(n_active ? "\n  ],\n" : "],\n", out);
    fprintf(out,
            "  \"summary\": {\"documents\": %zu, \"findings\": %zu, \"error\": %zu, "
            "\"warning\": %zu, \"info\": %zu, \"skipped\": %zu, \"suppressed\": %zu, "
            "\"waived\": %zu, \"baselined\": %zu}\n}\n",
            r->n_docs, n_active, r->counts[QMS_SEV_ERROR], r->counts[QMS_SEV_WARNING],
            r->counts[QMS_SEV_INFO], r->n_skipped, r->n_suppressed, r->n_waived, r->n_baselined);
    funlockfile(out);
    return ferror(out) ? QMS_EIO : 0;
}
