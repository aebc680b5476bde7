/*
 * iso9001 coverage data: what the plugin keeps of each document (the digest, a flat byte
 * blob handed to api->digest_put in check_doc) and what it decides for the set in check_set
 * (one coverage item per documented-information requirement of the rule pack).
 *
 * The gap report (qmslint report) reads the same structures: either by decoding the digests
 * itself with iso_digest_entry_at / iso_digest_str, or by asking a loaded iso9001 plugin for
 * the coverage of its last check_set through the exported symbol
 *
 *     const struct iso_coverage *qms_iso9001_coverage(void *plugin_state);
 *
 * (NULL before the first check_set; valid until the next check_set or fini; main thread).
 * Plain C data only, no library types.
 */
#ifndef QMS_ISO9001_COVERAGE_H
#define QMS_ISO9001_COVERAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ISO_DIGEST_MAGIC 0x49534f31u /* "ISO1" */
#define ISO_DIGEST_VERSION 1u

/* What one piece of evidence is. Never renumbered. */
enum iso_evidence_kind {
    ISO_EV_DECLARED_PROPERTY = 1, /* front matter / custom property names the clause ("clauses") */
    ISO_EV_DECLARED_TABLE = 2,    /* a value in the clause column of a mapping table */
    ISO_EV_DECLARED_CITATION = 3, /* a citation in the text: "clause 6.2", "ISO 9001:2015 9.2" */
    ISO_EV_SHOWN_HEADING = 4,     /* a heading containing an evidence word of the requirement */
    ISO_EV_SHOWN_TITLE = 5,       /* the document title containing an evidence word */
    ISO_EV_SHOWN_RECORD = 6,      /* a form/record document whose title has a record word */
    ISO_EV_EXCLUSION = 7          /* a scope statement declaring the clause not applicable */
};

/* Bits of iso_digest_header.doc_flags */
#define ISO_DOC_MANUAL 0x1u       /* a quality manual (type manual, or a manual title) */
#define ISO_DOC_RECORD 0x2u       /* a form or record (type, front matter or ID prefix) */
#define ISO_DOC_ERA_2008 0x4u     /* the document declares the previous edition (ISO 9001:2008) */

/* Bits of iso_digest_entry.flags */
#define ISO_EX_JUSTIFIED 0x1u     /* EXCLUSION: the statement gives a reason */
#define ISO_EX_NOT_EXCLUDABLE 0x2u /* EXCLUSION: the clause is not one a scope may exclude */

/*
 * The digest blob: a header, n_entries entries, then a string pool of pool_len bytes. Every
 * *_off is a byte offset into the pool; offset 0 is the empty string (the pool starts with a
 * NUL). Integers in host byte order (the blob never leaves the process).
 */
struct iso_digest_header {
    uint32_t magic, version;
    uint32_t n_entries;
    uint32_t pool_len;
    uint32_t doc_flags;
    uint32_t title_off;           /* the title used for matching ("" when none) */
    uint32_t id_off;              /* the document id ("" when none) */
    uint32_t title_line, title_column, title_block;
};

struct iso_digest_entry {
    uint32_t kind;                /* enum iso_evidence_kind */
    int32_t requirement;          /* index into the pack's requirements; -1 for a declared
                                     clause or an exclusion that matches none */
    uint32_t flags;               /* ISO_EX_* for exclusions */
    uint32_t line, column, block; /* where (Markdown line/column, DOCX/ODT block) */
    uint32_t part_off;            /* package part ("" for Markdown) */
    uint32_t clause_off;          /* the clause number ("8.3"); "" for shown evidence */
    uint32_t text_off;            /* the heading / title / statement / property name (capped) */
    uint32_t words_off;           /* the evidence words that matched, or for a table
                                     declaration the other cells of its row */
};

/* Validates a blob; returns the header or NULL. */
static inline const struct iso_digest_header *iso_digest_header_of(const void *blob, size_t len)
{
    const struct iso_digest_header *h = (const struct iso_digest_header *)blob;
    if (!blob || len < sizeof *h || h->magic != ISO_DIGEST_MAGIC || h->version != ISO_DIGEST_VERSION)
        return NULL;
    if (h->n_entries > (len - sizeof *h) / sizeof(struct iso_digest_entry))
        return NULL;
    if ((size_t)h->pool_len != len - sizeof *h - (size_t)h->n_entries * sizeof(struct iso_digest_entry) ||
        h->pool_len == 0 || ((const char *)blob)[len - 1] != '\0')
        return NULL;
    return h;
}

static inline const struct iso_digest_entry *iso_digest_entry_at(const struct iso_digest_header *h, size_t i)
{
    return i < h->n_entries ? (const struct iso_digest_entry *)(h + 1) + i : NULL;
}

/* A pool string; "" for an offset out of range. */
static inline const char *iso_digest_str(const struct iso_digest_header *h, uint32_t off)
{
    const char *pool = (const char *)((const struct iso_digest_entry *)(h + 1) + h->n_entries);
    return off < h->pool_len ? pool + off : pool;
}

/* ---- the set's coverage, decided in check_set ---- */

enum iso_cov_status {
    ISO_COV_MISSING = 0,          /* neither declared nor shown anywhere */
    ISO_COV_WEAK = 1,             /* declared or shown, but no document does both */
    ISO_COV_COVERED = 2,          /* a document declares it and shows it */
    ISO_COV_EXCLUDED = 3,         /* the scope excludes it (excludable requirement) */
    ISO_COV_NOT_APPLICABLE = 4    /* conditional requirement the scope excludes */
};

struct iso_cov_evidence {
    const char *path;             /* the document */
    uint32_t kind;                /* enum iso_evidence_kind */
    uint32_t flags;
    uint32_t line, column, block;
    const char *part, *clause, *text, *words;
};

struct iso_coverage_item {
    const char *requirement;      /* pack id ("quality-policy") */
    const char *clause;           /* "5.2.2" */
    const char *name;             /* "quality policy" */
    const char *summary;          /* the pack's paraphrase */
    int retain;                   /* 1: retain (record), 0: maintain (document) */
    const char *condition;        /* "design-development" ... or NULL */
    enum iso_cov_status status;
    int declared, shown;          /* anywhere in the set */
    int exclusion_unjustified;    /* excluded by a statement without a reason */
    const char *covered_by;       /* path of the first document that declares and shows it */
    const struct iso_cov_evidence *evidence; /* every piece, documents in set order */
    size_t n_evidence;
};

struct iso_coverage {
    const char *standard;         /* "ISO 9001:2015" */
    const struct iso_coverage_item *items; size_t n_items; /* pack order */
    const char *fix_path;         /* where set-level findings go: the manual, or "" */
    size_t counts[5];             /* by iso_cov_status */
};

#ifdef __cplusplus
}
#endif
#endif
