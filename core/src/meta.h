/* Document-control metadata extraction: pure functions over a finished qms_doc that build
 * its struct qms_meta (qmslint/meta.h). The vocabulary (labels in English, German, Spanish,
 * French; status words; document types; month names; placeholders) is data, read from
 * rules/labels.yml into a qms_meta_opts once per run; the options are then read-only and
 * shared by every worker thread. */
#ifndef QMS_META_INTERNAL_H
#define QMS_META_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/meta.h>
#include <qmslint/model.h>
#include <qmslint/plugin.h>

#include "arena.h"
#include "errors.h"

/* The ID pattern used when the config's `metadata: {id_pattern: ...}` is absent. Uppercase
 * type prefix (optionally with a department: SOP-IT, WI.SH), then number groups joined by
 * - . / _ (QM-001, QP-7.5-01, SOP-IT-004, WI.SH.001, FRM-004-01, SOP-4.2.4-001), or the
 * Spanish space-separated two-digit scheme (PG 01, RPG 01 01, PP 05 01). Standards
 * (ISO 9001), labels (REV 01, PAGE 2), years and clause numbers (7.5.1) do not match. */
#define QMS_META_DEFAULT_ID_PATTERN                                                              \
    "(?<![\\w.\\-/])"                                                                           \
    "(?!(?:ISO|IEC|EN|DIN|BS|ANSI|ASTM|NF|UNE|REV|REF|PAGE|PAG|TABLE|TAB|FIG|STEP|SECTION|"     \
    "CLAUSE|ANNEX|APPENDIX|PART|NO|NR|VERSION|ISSUE|ITEM|OF|DE|UTF|COVID)\\b)"                  \
    "(?:[A-Z][A-Z0-9]{0,5}(?:[-.][A-Z]{1,6})*(?:[-./_][0-9]{1,4}(?:\\.[0-9]{1,3})*)+"           \
    "|[A-Z]{2,4}(?: [0-9]{2}){1,3})"                                                            \
    "(?![\\w\\-]|\\.[0-9A-Za-z])"

enum qms_date_order {
    QMS_DATE_AUTO = 0, /* parse only what is unambiguous; flag 03/04/2024 as ambiguous */
    QMS_DATE_DMY,
    QMS_DATE_MDY
};

/* Vocabulary entry: a normalized phrase (see qms_meta_norm) and what it stands for. */
struct qms_meta_word {
    const char *norm;
    size_t len;
    int what;             /* a qms_meta_field, a column kind, a month (1..12) ... */
    const char *canon;    /* canonical value (status / type name), or NULL */
};

struct qms_meta_wordlist {
    struct qms_meta_word *items; /* by first byte, then longest first (first match = longest) */
    size_t n;
    uint32_t first[257];         /* items[first[c] .. first[c + 1]) start with byte c */
};

/* Table column kinds for revision-history and register detection. */
enum qms_meta_column {
    QMS_COL_NONE = 0,
    QMS_COL_ID,
    QMS_COL_TITLE,
    QMS_COL_REVISION,
    QMS_COL_DATE,
    QMS_COL_DESCRIPTION,
    QMS_COL_AUTHOR,
    QMS_COL_APPROVER,
    QMS_COL_STATUS,
    QMS_COL_N
};

struct qms_meta_opts {
    struct qms_arena *arena;
    void *id_re;                        /* pcre2_code * (UTF, case-sensitive) */
    const char *id_pattern;
    enum qms_date_order date_order;
    uint32_t control_blocks;            /* the control block is looked for in the first N blocks */
    struct qms_meta_wordlist labels;    /* what: qms_meta_field */
    struct qms_meta_wordlist status;    /* canon: the status name */
    struct qms_meta_wordlist type_words;    /* title words and type names; canon: type */
    struct qms_meta_wordlist type_prefixes; /* ID prefixes, exact (not normalized); canon: type */
    struct qms_meta_wordlist history_cols;  /* what: qms_meta_column */
    struct qms_meta_wordlist register_cols; /* what: qms_meta_column */
    struct qms_meta_wordlist months;        /* what: 1..12 */
    struct qms_meta_wordlist weekdays;      /* skipped in dates ("Tuesday, 12 March 2024") */
    struct qms_meta_wordlist placeholders;  /* exact normalized phrases */
    struct qms_meta_wordlist core_props;    /* property name (lower case, no prefix) -> field */
    struct qms_meta_wordlist title_types;   /* the types' `words` only, for titles: a type's
                                               own name ("external", "manual") names the type
                                               in a Type: field, but in a title it is a subject
                                               ("External Providers") */
};

/*
 * Loads rules_dir/labels.yml and the config's `metadata:` map (may be NULL): keys
 * `id_pattern` (PCRE2), `date_order` (auto | dmy | mdy), `control_block_blocks` (1..500).
 * Other keys of that map are left to their owners. Errors: QMS_ECONFIG with
 * "file:line:column: reason"; QMS_EIO when labels.yml cannot be read. Main thread only.
 */
int qms_meta_opts_load(struct qms_meta_opts **out, const char *rules_dir,
                       const struct qms_node *metadata_config, struct qms_err *err);
void qms_meta_opts_free(struct qms_meta_opts *opts);

/*
 * Builds the metadata record of `doc` in `arena` (normally qms_doc_arena(doc)). Reads only
 * the document; the caller stores the result in doc->meta. Thread-safe for different arenas
 * with the same opts. Returns 0, or QMS_ENOMEM / QMS_EINTERNAL with the reason in err.
 */
int qms_meta_extract(const struct qms_meta **out, const struct qms_doc *doc,
                     struct qms_arena *arena, const struct qms_meta_opts *opts,
                     struct qms_err *err);

/* ---- parsing helpers, exposed for the extractor's own files and the unit tests ---- */

/*
 * Normalizes a label for comparison: case folded (ASCII and Latin-1 letters), accents
 * removed, '.', '*', '`' dropped, '_' '-' and white space collapsed to one space, trailing
 * ':' and spaces trimmed, "º"/"°" read as "o". At most `cap` bytes (NUL included) in out;
 * returns the length written.
 */
size_t qms_meta_norm(char *out, size_t cap, const char *s, size_t len);

/*
 * When the vocabulary phrase `word` (normalized) matches `s` at `pos` and ends on a word
 * boundary, returns the position just after it in s; else 0.
 */
size_t qms_meta_match_word(const char *s, size_t len, size_t pos, const struct qms_meta_word *word);
/* The longest entry of `list` matching at pos (end in *end), or NULL. */
const struct qms_meta_word *qms_meta_match_list(const struct qms_meta_wordlist *list,
                                                const char *s, size_t len, size_t pos,
                                                size_t *end);

/* 1 when the text (trimmed) says "no value": empty, YYYY-MM-DD, [DATE], TBD, XX/XX/XXXX ... */
int qms_meta_is_placeholder(const struct qms_meta_opts *opts, const char *s, size_t len);

/*
 * Parses a date: ISO 8601 (2024-03-12, 2024-03-12T10:00:00Z, 20240312), d/m/y and m/d/y with
 * '/', '.' or '-' (German 12.03.2024 is always d.m.y), two- or four-digit years, and month
 * names in English, German, Spanish and French ("12 March 2024", "March 12, 2024",
 * "12. März 2024", "12 de marzo de 2024", "12 mars 2024", "Mar 2024"); a month and year
 * (2024-03, 03/2024, 03.2024, "March 2024") is the first of the month. Returns 1 and the
 * days since 1970 in *days; 0 with *flags |= QMS_META_AMBIGUOUS when both orders are valid
 * and none is configured; 0 with QMS_META_UNPARSED otherwise.
 */
int qms_meta_parse_date(const struct qms_meta_opts *opts, const char *s, size_t len,
                        int32_t *days, uint32_t *flags);
/* Days since 1970-01-01 of a valid y-m-d, or INT32_MIN when the date does not exist. */
int32_t qms_meta_days(int y, int m, int d);

/*
 * Parses a revision: "C", "Rev. C", "AA", "01", "1", "r3", "R03", "1.2", "v2.0",
 * "Issue 2", "Revisión 05", "Version 0.2 (draft)". Returns 1 with the canonical text
 * (letters upper case; numbers without leading zeros, dotted as written without zeros
 * padding), scheme and key; 0 when it is not a revision.
 */
int qms_meta_parse_revision(const struct qms_meta_opts *opts, const char *s, size_t len,
                            char *canon, size_t canon_cap, enum qms_rev_scheme *scheme,
                            uint64_t *key);

/*
 * 1 when s (leading spaces skipped) starts with a numeric date rather than a revision:
 * 2024-03-12, 12.03.2024, 8.28.2011, 03/2024, 2024-03, 1.10.09 (a two-digit year only with a
 * zero-padded part or slashes: 1.2.3 stays a version). Used so that "Version: 8.28.2011" in a
 * footer is not a revision. Thread-safe.
 */
int qms_meta_date_shaped(const char *s, size_t len);

/* The first ID-pattern match in s[0..len): 1 with [*start, *end), else 0. Thread-safe. */
int qms_meta_find_id(const struct qms_meta_opts *opts, const char *s, size_t len, size_t from,
                     size_t *start, size_t *end);

#endif
