/*
 * qmslint document-control metadata: the normalized record the core builds for every
 * document (doc->meta, digest->meta), so plugins compare values instead of re-parsing.
 *
 * Every field keeps every value found, with where it came from: real document sets disagree
 * with themselves (front matter says 00, the history's last row says 01; the file is named
 * SOP-IT-004 and the header says SOP-106) and that disagreement is what rules report.
 * Nothing is resolved by guessing: an ambiguous or unparseable date or revision is kept with
 * its raw text and a flag.
 *
 * Ownership: everything reachable from a `struct qms_meta` lives in the document's arena
 * (for a digest: the host's copy) and is read-only; any number of threads may read it.
 * Part of the installed SDK: plain C data, no library types.
 */
#ifndef QMSLINT_META_H
#define QMSLINT_META_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fields of the record; index into qms_meta.fields. Never renumbered. */
enum qms_meta_field {
    QMS_META_ID = 0,          /* document number, normalized to the ID-pattern match */
    QMS_META_TITLE,
    QMS_META_REVISION,        /* normalized revision, see rev_scheme / rev_key */
    QMS_META_STATUS,          /* canonical status word: draft, in-review, approved, effective,
                                 released, superseded, obsolete, withdrawn (see rules/labels.yml) */
    QMS_META_EFFECTIVE_DATE,  /* `date` set when parsed */
    QMS_META_REVIEW_DATE,     /* next review / review due */
    QMS_META_OWNER,           /* owner or author */
    QMS_META_APPROVER,
    QMS_META_APPROVAL_DATE,
    QMS_META_TYPE,            /* manual, policy, procedure, work-instruction, form, record,
                                 register, external */
    QMS_META_N_FIELDS
};

/* Where a value was found. Never renumbered. */
enum qms_meta_source {
    QMS_META_SRC_FRONT_MATTER = 1, /* Markdown YAML front matter */
    QMS_META_SRC_CUSTOM_PROPERTY,  /* DOCX docProps/custom.xml */
    QMS_META_SRC_CORE_PROPERTY,    /* DOCX docProps/core.xml (dc:title, dc:creator ...) */
    QMS_META_SRC_APP_PROPERTY,     /* DOCX docProps/app.xml */
    QMS_META_SRC_ODT_META,         /* ODT meta.xml standard element */
    QMS_META_SRC_ODT_USER,         /* ODT meta:user-defined */
    QMS_META_SRC_HEADER,           /* page header text */
    QMS_META_SRC_FOOTER,           /* page footer text */
    QMS_META_SRC_CONTROL_BLOCK,    /* key/value table or "**Label:** value" lines near the top */
    QMS_META_SRC_CONTENT_CONTROL,  /* DOCX w:sdt by tag or alias */
    QMS_META_SRC_FIELD,            /* DOCPROPERTY / ODT user-field shown in the text */
    QMS_META_SRC_REVISION_HISTORY, /* the current row of the revision-history table */
    QMS_META_SRC_FILE_NAME,        /* the document's file name */
    QMS_META_SRC_TITLE_HEADING,    /* the title or first level-1 heading */
    QMS_META_SRC_ID_PREFIX         /* derived: document type from an ID's prefix */
};

/* Bits of qms_meta_value.flags */
#define QMS_META_UNPARSED    0x0001u /* a date / revision / ID / status that did not parse: `value` is the raw text trimmed */
#define QMS_META_PLACEHOLDER 0x0002u /* "no value": empty, YYYY-MM-DD, [DATE], TBD, Un-named ... (`value` is "") */
#define QMS_META_AMBIGUOUS   0x0004u /* a date valid as both d/m/y and m/d/y with no configured order (`date` 0) */
/* An ID value (a field value or a register entry's id) whose text as written (`raw`) is, as a
 * whole, one match of the run's ID pattern (config `metadata.id_pattern`, else the default):
 * plugins learn whether an ID conforms without knowing or compiling the pattern. Without it an
 * ID value either did not match at all (QMS_META_UNPARSED, `value` is the raw text) or was
 * found inside longer text (`value` is the match, e.g. raw "QP-007 (Rev C)"). */
#define QMS_META_ID_MATCH    0x0008u

/* How a revision is written; rev_key orders revisions of the same scheme family. */
enum qms_rev_scheme {
    QMS_REV_NONE = 0,     /* not a revision value, or unparsed */
    QMS_REV_LETTER = 1,   /* A, B ... Z, AA, AB (key: A=1 ... Z=26, AA=27 ...) */
    QMS_REV_NUMBER = 2,   /* 1, 01, 00, r3, R03, Issue 2: numeric, key as for DOTTED */
    QMS_REV_DOTTED = 3    /* 1.2, 2.0.1: key (major << 40) | (minor << 20) | patch */
};

/*
 * One value of one field.
 * `value`: normalized text ("C" for "Rev. C", "3" for "r3", "2024-03-12" for "12 March 2024",
 *          "QP-007" for "Doc No: QP-007", "obsolete" for "OBSOLETO"), "" for a placeholder.
 * `raw`:   the text as found (label removed), never NULL.
 * `label`: the key or label it was found under ("doc_id", "Doc No", "dc:title"), or NULL.
 * `date`:  days since 1970-01-01 for a parsed date, else 0.
 * `rev_key` / `rev_scheme`: for revisions. NUMBER and DOTTED keys compare with each other
 *          (1 == 1.0 < 1.1 < 2); LETTER keys only with LETTER keys.
 */
struct qms_meta_value {
    const char *value;
    const char *raw;
    const char *label;
    enum qms_meta_source source;
    uint32_t flags;
    int32_t date;
    enum qms_rev_scheme rev_scheme;
    uint64_t rev_key;
    struct qms_location loc;
};

/* At most 256 values per field are kept (hostile documents); real ones have a handful. */
struct qms_meta_values {
    const struct qms_meta_value *items; /* in document order within a source, sources in the
                                           order: properties, content controls, fields, control
                                           block, header, footer, title, history, file name */
    size_t n;
};

/* One row of the revision-history table. Any string may be "" when the column is absent;
 * the values' source is QMS_META_SRC_REVISION_HISTORY. */
struct qms_meta_history_row {
    struct qms_meta_value revision;   /* value/raw/flags/rev_* as for QMS_META_REVISION */
    struct qms_meta_value date;       /* as for a date field */
    const char *description;
    const char *people;               /* author / approved-by columns joined with "; " */
    struct qms_location loc;          /* the row's first cell */
};

/* One entry of a master list / document register table. Its values are normalized as the
 * fields of the same kind (id, revision, status, effective date); their `source` is 0. */
struct qms_meta_register_entry {
    struct qms_meta_value id;
    const char *title;                /* "" when there is no title column */
    struct qms_meta_value revision;
    struct qms_meta_value status;
    struct qms_meta_value date;
    struct qms_location loc;          /* the row's first cell */
};

struct qms_meta {
    struct qms_meta_values fields[QMS_META_N_FIELDS];

    /* The revision-history table (the first one found), rows in table order. */
    const struct qms_meta_history_row *history; size_t n_history;
    int32_t history_table;            /* index into doc->tables, -1 when there is none */
    size_t history_current;           /* row taken as current: the last, or the first when the
                                         table is newest first (its first revision greater
                                         than its last comparable one; without revisions,
                                         its first date later than its last) */

    /* Master list / register entries from every register table of the document. */
    const struct qms_meta_register_entry *register_entries; size_t n_register_entries;
    int32_t register_table;           /* first register table, -1 when there is none */

    void *reserved[4];
};

/* "id", "title", "revision", "status", "effective_date", "review_date", "owner", "approver",
 * "approval_date", "type"; "?" for anything else. Thread-safe. */
static inline const char *qms_meta_field_name(enum qms_meta_field f)
{
    static const char *const names[QMS_META_N_FIELDS] = {
        "id", "title", "revision", "status", "effective_date", "review_date", "owner",
        "approver", "approval_date", "type"};
    return (unsigned)f < QMS_META_N_FIELDS ? names[f] : "?";
}

/* "front-matter", "custom-property" ... "id-prefix"; "?" for anything else. Thread-safe. */
static inline const char *qms_meta_source_name(enum qms_meta_source s)
{
    switch (s) {
    case QMS_META_SRC_FRONT_MATTER: return "front-matter";
    case QMS_META_SRC_CUSTOM_PROPERTY: return "custom-property";
    case QMS_META_SRC_CORE_PROPERTY: return "core-property";
    case QMS_META_SRC_APP_PROPERTY: return "app-property";
    case QMS_META_SRC_ODT_META: return "odt-meta";
    case QMS_META_SRC_ODT_USER: return "odt-user-field";
    case QMS_META_SRC_HEADER: return "header";
    case QMS_META_SRC_FOOTER: return "footer";
    case QMS_META_SRC_CONTROL_BLOCK: return "control-block";
    case QMS_META_SRC_CONTENT_CONTROL: return "content-control";
    case QMS_META_SRC_FIELD: return "field";
    case QMS_META_SRC_REVISION_HISTORY: return "revision-history";
    case QMS_META_SRC_FILE_NAME: return "file-name";
    case QMS_META_SRC_TITLE_HEADING: return "title-heading";
    case QMS_META_SRC_ID_PREFIX: return "id-prefix";
    }
    return "?";
}

/*
 * Compares two parsed revisions: <0, 0, >0, or QMS_REV_INCOMPARABLE when either is
 * unparsed or one is a letter and the other a number. Thread-safe.
 */
#define QMS_REV_INCOMPARABLE 2
static inline int qms_meta_rev_cmp(const struct qms_meta_value *a, const struct qms_meta_value *b)
{
    int a_num = a->rev_scheme == QMS_REV_NUMBER || a->rev_scheme == QMS_REV_DOTTED;
    int b_num = b->rev_scheme == QMS_REV_NUMBER || b->rev_scheme == QMS_REV_DOTTED;
    if (a->rev_scheme == QMS_REV_NONE || b->rev_scheme == QMS_REV_NONE || a_num != b_num)
        return QMS_REV_INCOMPARABLE;
    return a->rev_key < b->rev_key ? -1 : a->rev_key > b->rev_key ? 1 : 0;
}

/* The first value of a field that is not a placeholder, unparsed nor ambiguous, or NULL.
 * Thread-safe. */
static inline const struct qms_meta_value *qms_meta_first(const struct qms_meta *m,
                                                          enum qms_meta_field f)
{
    if (!m || (unsigned)f >= QMS_META_N_FIELDS)
        return NULL;
    for (size_t i = 0; i < m->fields[f].n; i++)
        if (!(m->fields[f].items[i].flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED | QMS_META_AMBIGUOUS)))
            return &m->fields[f].items[i];
    return NULL;
}

#ifdef __cplusplus
}
#endif
#endif
