/*
 * revision: document control (ISO 9001:2015 7.5.2 identification, review and approval; 7.5.3
 * control of changes). Every rule reads the metadata record the core built (doc->meta): it
 * compares values and sources, it never re-parses the document's text.
 *
 * Threading: init parses options into `struct state`, which check_doc only reads, so
 * check_doc is reentrant. Everything a finding needs is formatted on the stack.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>
#include <qmslint/plugin.h>

#define R_MISSING "revision/missing-field"
#define R_INCONSISTENT "revision/inconsistent"
#define R_HISTORY "revision/history-order"
#define R_DATE "revision/date-invalid"
#define R_OVERDUE "revision/review-overdue"
#define R_SELF "revision/self-approved"
#define R_UNRELEASED "revision/unreleased-changes"
#define R_DRAFT "revision/draft-status"
#define R_ID "revision/id-format"

#define MSG_MAX 1024
#define SHOW_MAX 60      /* bytes of a document value quoted in a message */
#define MAX_TYPES 32
#define MAX_NAMES 16     /* approvers / owners split from one value */
#define NAME_MAX_LEN 128

static const struct qms_rule rules[] = {
    {R_MISSING, QMS_SEV_ERROR, "7.5.2",
     "a required document-control field (ID, title, revision, effective date, approver) is absent",
     "ISO 9001 7.5.2 a) and c) require documented information to be identified (title, date, "
     "reference number) and reviewed and approved. Fill in the field in the document's properties, "
     "front matter or control block. Required fields are configurable per document type.",
     0},
    {R_INCONSISTENT, QMS_SEV_ERROR, "7.5.3.2",
     "the same field has different values in different places (properties, header, history, file name)",
     "When the header says Rev E and the properties say Rev D, nobody can tell which version is "
     "current (7.5.3.2 c: control of changes, version control). Make every source agree.",
     0},
    {R_HISTORY, QMS_SEV_WARNING, "7.5.3.2",
     "revision history rows out of order, duplicated, with dates going backwards or gaps",
     "The revision history is the record of changes (7.5.3.2 c). Rows must increase in revision "
     "and date; a missing revision means an undocumented change.",
     0},
    {R_DATE, QMS_SEV_WARNING, "7.5.2",
     "an impossible or placeholder date, an effective date before approval, or a date far in the future",
     "Dates identify the version in force (7.5.2 a). An impossible or placeholder date, a document "
     "effective before it was approved, or a date in the future beyond the tolerance is an error in "
     "the control record.",
     0},
    {R_OVERDUE, QMS_SEV_WARNING, "7.5.2",
     "the document has not been reviewed within the review period, or its review date has passed",
     "Documented information must be reviewed for suitability and adequacy (7.5.2 c). Review the "
     "document and record the review, or set a review period that matches your procedure.",
     0},
    {R_SELF, QMS_SEV_WARNING, "7.5.2",
     "the approver is the author of the document",
     "Approval for suitability and adequacy (7.5.2 c) is meant as an independent check; many "
     "procedures forbid approving one's own document. Off by default.",
     1},
    {R_UNRELEASED, QMS_SEV_ERROR, "7.5.3.2",
     "tracked changes or comments remain in a document marked approved, effective or released",
     "An approved document with pending tracked changes has no single approved content "
     "(7.5.3.2 c). Accept or reject every change, remove comments, and re-approve.",
     0},
    {R_DRAFT, QMS_SEV_ERROR, "7.5.3.1",
     "a document in draft or review status is part of a release (reported with --release only)",
     "Only approved documents may be available at points of use (7.5.3.1 a). Finish the approval "
     "or remove the draft from the release.",
     0},
    {R_ID, QMS_SEV_WARNING, "7.5.2",
     "the document ID does not match the configured numbering scheme",
     "A unique reference number identifies documented information (7.5.2 a). IDs outside the "
     "scheme are hard to cite and to find in the master list.",
     0},
};
#define N_RULES (sizeof rules / sizeof rules[0])

static const char *const field_titles[QMS_META_N_FIELDS] = {
    "document ID", "title", "revision", "status", "effective date", "review date", "owner",
    "approver", "approval date", "document type"};

#define BIT(f) (1u << (f))
#define DEFAULT_REQUIRED                                                                          \
    (BIT(QMS_META_ID) | BIT(QMS_META_TITLE) | BIT(QMS_META_REVISION) |                            \
     BIT(QMS_META_EFFECTIVE_DATE) | BIT(QMS_META_APPROVER))
#define DEFAULT_COMPARED                                                                          \
    (BIT(QMS_META_ID) | BIT(QMS_META_TITLE) | BIT(QMS_META_REVISION) | BIT(QMS_META_STATUS) |     \
     BIT(QMS_META_EFFECTIVE_DATE) | BIT(QMS_META_REVIEW_DATE) | BIT(QMS_META_APPROVAL_DATE))

static const char *const status_names[] = {"draft",      "in-review", "approved", "effective",
                                           "released",   "superseded", "obsolete", "withdrawn"};
#define N_STATUS (sizeof status_names / sizeof status_names[0])
#define STATUS_BIT(name) (1u << status_index(name))

struct required_type {
    char type[32];
    uint32_t fields;
};

struct state {
    uint32_t required_default;
    struct required_type required[MAX_TYPES];
    size_t n_required;
    uint32_t compared;          /* inconsistent: fields compared */
    double title_similarity;    /* inconsistent: 0..1 */
    int allow_gaps;             /* history-order */
    int32_t future_days;        /* date-invalid */
    int32_t earliest_year;      /* date-invalid: dates before Jan 1 of this year are implausible */
    int review_months;          /* review-overdue */
    uint32_t released_status;   /* unreleased-changes: status bits */
    int count_format_changes;   /* unreleased-changes */
    uint32_t draft_status;      /* draft-status: status bits */
    struct qms_regex *id_re;    /* id-format: configured pattern, or NULL: the metadata pattern */
    char id_pattern[256];
    const struct qms_host_api *api;
};

/* ------------------------------------------------------------------ small text helpers */

struct buf {
    char s[MSG_MAX];
    size_t n;
};

static void buf_add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_add(struct buf *b, const char *fmt, ...)
{
    if (b->n >= sizeof b->s - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    b->n += (size_t)w;
    if (b->n >= sizeof b->s) {
        b->n = sizeof b->s - 1;
        memcpy(b->s + sizeof b->s - 4, "...", 4);
    }
}

/* A document value shortened for a message: at most SHOW_MAX bytes, cut on a UTF-8 boundary,
   control characters shown as spaces. */
static const char *show(char out[SHOW_MAX + 4], const char *s)
{
    size_t n = 0;
    if (!s)
        s = "";
    while (s[n] && n < SHOW_MAX)
        n++;
    int cut = s[n] != '\0';
    while (cut && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    if (cut) {
        memcpy(out + n, "...", 4);
    } else {
        out[n] = '\0';
    }
    return out;
}

/* The host promises non-NULL strings in the record; this keeps a broken record from crashing. */
static const char *txt(const char *s) { return s ? s : ""; }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Latin-1 letters (UTF-8 C3 80..BF) without their accents, so "Maîtrise" compares equal to
   "Maitrise"; ' ' for the multiplication and division signs. */
static const char latin1_base[65] = "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty";

/* The next character of s as a folded ASCII byte (accents removed, lower case), advancing *i;
   other multi-byte characters are returned as their first byte (>= 0x80). */
static int fold_next(const char *s, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c == 0xC3 && *i + 1 < len && ((unsigned char)s[*i + 1] & 0xC0) == 0x80) {
        char b = latin1_base[(unsigned char)s[*i + 1] - 0x80];
        *i += 2;
        return b;
    }
    (*i)++;
    return lower(c);
}

/* Key for an ID comparison: letters and digits only, folded ("qp007" for "QP-007", "qp 007"). */
static void id_key(char *out, size_t cap, const char *s)
{
    size_t n = 0, len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len && n + 1 < cap;) {
        int c = fold_next(s, len, &i);
        if (is_alnum(c))
            out[n++] = (char)c;
    }
    out[n] = '\0';
}

/* Key for a name or free text: ASCII case folded, '.' dropped, runs of space and
   punctuation as one space, trimmed. */
static size_t text_key(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len && s[i] && n + 2 < cap;) {
        int c = fold_next(s, len, &i);
        if (c == '.' || c == '\'')
            continue;
        if (is_alnum(c)) {
            if (space && n)
                out[n++] = ' ';
            space = 0;
            out[n++] = (char)c;
        } else {
            space = 1;
        }
    }
    out[n] = '\0';
    return n;
}

static int status_index(const char *name)
{
    for (size_t i = 0; i < N_STATUS; i++)
        if (name && strcmp(name, status_names[i]) == 0)
            return (int)i;
    return -1;
}

static const char *source_title(enum qms_meta_source s)
{
    switch (s) {
    case QMS_META_SRC_FRONT_MATTER: return "front matter";
    case QMS_META_SRC_CUSTOM_PROPERTY: return "custom property";
    case QMS_META_SRC_CORE_PROPERTY: return "core property";
    case QMS_META_SRC_APP_PROPERTY: return "app property";
    case QMS_META_SRC_ODT_META: return "document metadata";
    case QMS_META_SRC_ODT_USER: return "user-defined property";
    case QMS_META_SRC_HEADER: return "header";
    case QMS_META_SRC_FOOTER: return "footer";
    case QMS_META_SRC_CONTROL_BLOCK: return "control block";
    case QMS_META_SRC_CONTENT_CONTROL: return "content control";
    case QMS_META_SRC_FIELD: return "field";
    case QMS_META_SRC_REVISION_HISTORY: return "revision history";
    case QMS_META_SRC_FILE_NAME: return "file name";
    case QMS_META_SRC_TITLE_HEADING: return "title";
    case QMS_META_SRC_ID_PREFIX: return "ID prefix";
    }
    return "unknown source";
}

/* ------------------------------------------------------------------ dates */

/* Howard Hinnant's civil calendar algorithms (public domain). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *fmt_date(char out[16], int32_t days)
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    /* formatted in full, then cut to 15 bytes as before (dates out of range only) */
    char full[48];
    snprintf(full, sizeof full, "%04d-%02d-%02d", y % 10000, m, d);
    size_t n = strlen(full);
    if (n > 15)
        n = 15;
    memcpy(out, full, n);
    out[n] = '\0';
    return out;
}

/* days + months, the day clamped to the end of the month (2024-02-29 + 12 = 2025-02-28). */
static int32_t add_months(int32_t days, int months)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return days_from_civil(y, m, d > last ? last : d);
}

/* ------------------------------------------------------------------ reporting */

struct ctx {
    const struct state *st;
    const struct qms_host_api *api;
    struct qms_host *host;
    const struct qms_doc *doc;
    const struct qms_meta *meta;
};

static int enabled(const struct ctx *c, const char *rule)
{
    return !c->api->rule_severity || c->api->rule_severity(c->host, rule) != QMS_SEV_OFF;
}

/* A location for a finding about the whole document: line 1 in Markdown, nothing else. */
static struct qms_location doc_loc(const struct ctx *c)
{
    struct qms_location loc = {0};
    if (c->doc->format == QMS_FORMAT_MARKDOWN)
        loc.line = loc.column = 1;
    return loc;
}

static int report(const struct ctx *c, const char *rule, struct qms_location loc, const char *key,
                  const char *message)
{
    struct qms_finding_desc f = {0};
    f.rule_id = rule;
    f.severity = QMS_SEV_OFF;
    f.message = message;
    f.loc = loc;
    f.key = key;
    return c->api->report(c->host, &f) < 0 ? -1 : 0;
}

static const struct qms_meta_values *values(const struct ctx *c, enum qms_meta_field f)
{
    return &c->meta->fields[f];
}

#define UNUSABLE (QMS_META_PLACEHOLDER | QMS_META_UNPARSED | QMS_META_AMBIGUOUS)

/* The document type (first usable type value), or NULL. */
static const char *doc_type(const struct ctx *c)
{
    const struct qms_meta_value *t = qms_meta_first(c->meta, QMS_META_TYPE);
    return t ? t->value : NULL;
}

static uint32_t required_fields(const struct state *st, const char *type)
{
    for (size_t i = 0; type && i < st->n_required; i++)
        if (strcmp(st->required[i].type, type) == 0)
            return st->required[i].fields;
    return st->required_default;
}

/* ------------------------------------------------------------------ revision/missing-field */

static int check_missing(const struct ctx *c)
{
    const char *type = doc_type(c);
    uint32_t req = required_fields(c->st, type);
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        if (!(req & BIT(f)))
            continue;
        const struct qms_meta_values *vs = values(c, (enum qms_meta_field)f);
        const struct qms_meta_value *placeholder = NULL;
        int present = 0;
        for (size_t i = 0; i < vs->n && !present; i++) {
            if (vs->items[i].flags & QMS_META_PLACEHOLDER) {
                if (!placeholder)
                    placeholder = &vs->items[i];
            } else {
                present = 1;
            }
        }
        if (present)
            continue;
        char msg[MSG_MAX], a[SHOW_MAX + 4], t[SHOW_MAX + 4];
        struct qms_location loc = doc_loc(c);
        char note[SHOW_MAX + 32] = "";
        if (type)
            snprintf(note, sizeof note, " (required for %s %s)",
                     strchr("aeiou", type[0]) && type[0] ? "an" : "a", show(t, type));
        if (placeholder) {
            snprintf(msg, sizeof msg, "required field '%s' is only a placeholder: '%s' in %s%s",
                     field_titles[f], show(a, placeholder->raw), source_title(placeholder->source),
                     note);
            loc = placeholder->loc;
        } else {
            snprintf(msg, sizeof msg, "required field '%s' is missing%s", field_titles[f], note);
        }
        if (report(c, R_MISSING, loc, qms_meta_field_name((enum qms_meta_field)f), msg) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ revision/inconsistent */

#define MAX_TOKENS 32

/* Word tokens of a title, lower-cased, at most MAX_TOKENS of 32 bytes. */
static size_t title_tokens(char tok[MAX_TOKENS][32], const char *s)
{
    char key[512];
    text_key(key, sizeof key, s, strlen(s));
    size_t n = 0;
    for (char *p = key; *p && n < MAX_TOKENS;) {
        char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t k = len < 31 ? len : 31;
        int dup = 0;
        memcpy(tok[n], p, k);
        tok[n][k] = '\0';
        for (size_t i = 0; i < n; i++)
            dup |= strcmp(tok[i], tok[n]) == 0;
        if (!dup)
            n++;
        p += len;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* Titles are the same when one's words all appear in the other ("Document Control" and
   "Document Control Procedure") or their word sets are similar enough (Dice coefficient). */
static int titles_match(const struct state *st, const char *a, const char *b)
{
    char ta[MAX_TOKENS][32], tb[MAX_TOKENS][32];
    size_t na = title_tokens(ta, a), nb = title_tokens(tb, b);
    if (!na || !nb)
        return na == nb;
    size_t common = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t k = 0; k < nb; k++)
            if (strcmp(ta[i], tb[k]) == 0) {
                common++;
                break;
            }
    if (common == na || common == nb)
        return 1;
    return 2.0 * (double)common / (double)(na + nb) >= st->title_similarity;
}

static int same_value(const struct state *st, enum qms_meta_field f, const struct qms_meta_value *a,
                      const struct qms_meta_value *b)
{
    char ka[256], kb[256];
    switch (f) {
    case QMS_META_ID:
        id_key(ka, sizeof ka, a->value);
        id_key(kb, sizeof kb, b->value);
        return strcmp(ka, kb) == 0;
    case QMS_META_TITLE:
        return titles_match(st, txt(a->value), txt(b->value));
    case QMS_META_REVISION: {
        int r = qms_meta_rev_cmp(a, b);
        if (r != QMS_REV_INCOMPARABLE)
            return r == 0;
        break;
    }
    case QMS_META_EFFECTIVE_DATE:
    case QMS_META_REVIEW_DATE:
    case QMS_META_APPROVAL_DATE:
        return a->date == b->date;
    default:
        break;
    }
    text_key(ka, sizeof ka, txt(a->value), strlen(txt(a->value)));
    text_key(kb, sizeof kb, txt(b->value), strlen(txt(b->value)));
    return strcmp(ka, kb) == 0;
}

/* Values compared: parsed ones, and no title taken from a file name (file names abbreviate
   titles freely: "QP-12_purch_v2.docx"); IDs and revisions from file names are compared. */
static int compared_value(int f, const struct qms_meta_value *v)
{
    if (v->flags & UNUSABLE)
        return 0;
    return !(f == QMS_META_TITLE && v->source == QMS_META_SRC_FILE_NAME);
}

static int check_inconsistent(const struct ctx *c)
{
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        if (!(c->st->compared & BIT(f)))
            continue;
        const struct qms_meta_values *vs = values(c, (enum qms_meta_field)f);
        const struct qms_meta_value *first = NULL, *differs = NULL;
        for (size_t i = 0; i < vs->n; i++) {
            const struct qms_meta_value *v = &vs->items[i];
            if (!compared_value(f, v))
                continue;
            if (!first)
                first = v;
            else if (!differs && !same_value(c->st, (enum qms_meta_field)f, first, v))
                differs = v;
        }
        if (!differs)
            continue;
        /* Name every source and value: "front matter '00', revision history '01'". */
        struct buf b = {{0}, 0};
        buf_add(&b, "%s differs between sources:", field_titles[f]);
        size_t shown = 0;
        for (size_t i = 0; i < vs->n; i++) {
            const struct qms_meta_value *v = &vs->items[i];
            if (!compared_value(f, v))
                continue;
            int repeat = 0;
            for (size_t k = 0; k < i && !repeat; k++)
                repeat = compared_value(f, &vs->items[k]) && vs->items[k].source == v->source &&
                         strcmp(txt(vs->items[k].raw), txt(v->raw)) == 0;
            if (repeat)
                continue;
            char a[SHOW_MAX + 4];
            buf_add(&b, "%s %s '%s'", shown++ ? "," : "", source_title(v->source),
                    show(a, txt(v->raw)[0] ? v->raw : v->value));
        }
        /* A file name has no place inside the document: point at the other value then. */
        struct qms_location loc = differs->loc;
        if (!loc.line && !loc.part)
            loc = first->loc;
        if (!loc.line && !loc.part)
            loc = doc_loc(c);
        if (report(c, R_INCONSISTENT, loc, qms_meta_field_name((enum qms_meta_field)f),
                   b.s) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ revision/history-order */

/* 1 when `next` is not the revision right after `prev` in its scheme (A -> C, 01 -> 03,
   1.1 -> 1.3, 1.x -> 3.0). Different schemes (drafts A, B then issue 1) are not a gap. */
static int rev_gap(const struct qms_meta_value *prev, const struct qms_meta_value *next)
{
    if (prev->rev_scheme == QMS_REV_LETTER && next->rev_scheme == QMS_REV_LETTER)
        return next->rev_key > prev->rev_key + 1;
    if (prev->rev_scheme == QMS_REV_LETTER || next->rev_scheme == QMS_REV_LETTER ||
        prev->rev_scheme == QMS_REV_NONE || next->rev_scheme == QMS_REV_NONE)
        return 0;
    uint64_t pa = prev->rev_key >> 40, pb = (prev->rev_key >> 20) & 0xFFFFF;
    uint64_t na = next->rev_key >> 40, nb = (next->rev_key >> 20) & 0xFFFFF;
    if (na > pa + 1)
        return 1;
    if (na == pa + 1)
        return nb > 1; /* 1.x -> 2.0 or 2.1 */
    return nb > pb + 1;
}

static const char *rev_text(char out[SHOW_MAX + 4], const struct qms_meta_value *v)
{
    return show(out, txt(v->raw)[0] ? v->raw : v->value);
}

/* The k-th pair (older, newer) of history rows, 1 <= k < n, oldest pair first. Newest-first
   tables are read bottom-up. */
/* 1 when the table lists the newest revision first: its first comparable revision is
   greater than its last one (3, 2, 2, 1 is newest first with a duplicate, not out of order). */
static int history_newest_first(const struct qms_meta *m)
{
    const struct qms_meta_value *first = NULL, *last = NULL;
    for (size_t i = 0; i < m->n_history; i++) {
        const struct qms_meta_value *r = &m->history[i].revision;
        if ((r->flags & UNUSABLE) || !txt(r->value)[0] || r->rev_scheme == QMS_REV_NONE)
            continue;
        if (!first)
            first = r;
        else if (qms_meta_rev_cmp(first, r) != QMS_REV_INCOMPARABLE)
            last = r;
    }
    return first && last && qms_meta_rev_cmp(first, last) == 1;
}

static void history_pair(const struct qms_meta *m, size_t k, const struct qms_meta_history_row **older,
                         const struct qms_meta_history_row **newer)
{
    int newest_first = history_newest_first(m);
    *older = &m->history[newest_first ? m->n_history - k : k - 1];
    *newer = &m->history[newest_first ? m->n_history - k - 1 : k];
}

static int history_cmp(const struct qms_meta_history_row *older, const struct qms_meta_history_row *newer)
{
    const struct qms_meta_value *po = &older->revision, *pn = &newer->revision;
    int usable = !(po->flags & UNUSABLE) && !(pn->flags & UNUSABLE) && txt(po->value)[0] && txt(pn->value)[0];
    return usable ? qms_meta_rev_cmp(po, pn) : QMS_REV_INCOMPARABLE;
}

static int check_history(const struct ctx *c)
{
    const struct qms_meta *m = c->meta;
    if (m->n_history < 2)
        return 0;
    int newest_first = history_newest_first(m);
    int disorder = 0;
    char msg[MSG_MAX], a[SHOW_MAX + 4], b[SHOW_MAX + 4], key[160];
    for (size_t k = 1; k < m->n_history; k++) {
        const struct qms_meta_history_row *older, *newer;
        history_pair(m, k, &older, &newer);
        const struct qms_meta_value *po = &older->revision, *pn = &newer->revision;
        int cmp = history_cmp(older, newer);
        msg[0] = '\0';
        if (cmp == 0)
            snprintf(msg, sizeof msg, "revision history lists revision '%s' twice", rev_text(a, pn));
        else if (cmp == 1)
            snprintf(msg, sizeof msg, "revision history out of order: revision '%s' comes after '%s'",
                     newest_first ? rev_text(a, po) : rev_text(a, pn),
                     newest_first ? rev_text(b, pn) : rev_text(b, po));
        if (msg[0]) {
            disorder = 1;
            snprintf(key, sizeof key, "revision:%s", show(a, pn->value));
            if (report(c, R_HISTORY, newer->loc, key, msg) < 0)
                return -1;
        }
        const struct qms_meta_value *dold = &older->date, *dnew = &newer->date;
        if (!(dold->flags & UNUSABLE) && !(dnew->flags & UNUSABLE) && dold->date && dnew->date &&
            dnew->date < dold->date) {
            char d1[16], d2[16];
            snprintf(msg, sizeof msg,
                     "revision history dates go backwards: revision '%s' dated %s, after '%s' dated %s",
                     rev_text(a, pn), fmt_date(d1, dnew->date), rev_text(b, po),
                     fmt_date(d2, dold->date));
            snprintf(key, sizeof key, "date:%s", show(a, pn->value));
            if (report(c, R_HISTORY, newer->loc, key, msg) < 0)
                return -1;
        }
    }
    /* Gaps only in an otherwise ordered table: in A, C, B the B is not missing. */
    if (disorder || c->st->allow_gaps)
        return 0;
    for (size_t k = 1; k < m->n_history; k++) {
        const struct qms_meta_history_row *older, *newer;
        history_pair(m, k, &older, &newer);
        if (history_cmp(older, newer) != -1 || !rev_gap(&older->revision, &newer->revision))
            continue;
        snprintf(msg, sizeof msg, "revision history skips from '%s' to '%s'",
                 rev_text(a, &older->revision), rev_text(b, &newer->revision));
        snprintf(key, sizeof key, "gap:%s", show(a, newer->revision.value));
        if (report(c, R_HISTORY, newer->loc, key, msg) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ revision/date-invalid */

static int is_date_field(int f)
{
    return f == QMS_META_EFFECTIVE_DATE || f == QMS_META_REVIEW_DATE || f == QMS_META_APPROVAL_DATE;
}

/* One date value: unparsed, ambiguous, placeholder (when `placeholders`), implausibly early
   or beyond the future tolerance. `what` names it ("effective date", "revision history date"). */
static int check_one_date(const struct ctx *c, const struct qms_meta_value *v, const char *what,
                          const char *where, int placeholders, int future, const char *key)
{
    char msg[MSG_MAX], a[SHOW_MAX + 4], d[16];
    if (v->flags & QMS_META_PLACEHOLDER) {
        if (!placeholders || !v->raw || !v->raw[0])
            return 0;
        snprintf(msg, sizeof msg, "%s is a placeholder: '%s' in %s", what, show(a, v->raw), where);
    } else if (v->flags & QMS_META_AMBIGUOUS) {
        snprintf(msg, sizeof msg,
                 "%s '%s' in %s is ambiguous (day-month or month-day): write it as YYYY-MM-DD or set "
                 "metadata.date_order",
                 what, show(a, v->raw), where);
    } else if (v->flags & QMS_META_UNPARSED) {
        if (!v->raw || !v->raw[0])
            return 0;
        snprintf(msg, sizeof msg, "%s '%s' in %s is not a valid date", what, show(a, v->raw), where);
    } else if (!txt(v->value)[0]) {
        return 0;
    } else if (v->date < days_from_civil(c->st->earliest_year, 1, 1)) {
        snprintf(msg, sizeof msg, "%s %s in %s is implausibly early (before %d)", what,
                 fmt_date(d, v->date), where, c->st->earliest_year);
    } else if (future && c->api->today && v->date > c->api->today(c->host) + c->st->future_days) {
        snprintf(msg, sizeof msg, "%s %s in %s is %ld days in the future (tolerance %ld)", what,
                 fmt_date(d, v->date), where, (long)(v->date - c->api->today(c->host)),
                 (long)c->st->future_days);
    } else {
        return 0;
    }
    return report(c, R_DATE, v->loc, key, msg);
}

static int check_dates(const struct ctx *c)
{
    /* A placeholder in a required field is missing-field's finding, unless that rule is off. */
    uint32_t req = enabled(c, R_MISSING) ? required_fields(c->st, doc_type(c)) : 0;
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        if (!is_date_field(f))
            continue;
        const struct qms_meta_values *vs = values(c, (enum qms_meta_field)f);
        int has_real = qms_meta_first(c->meta, (enum qms_meta_field)f) != NULL;
        for (size_t i = 0; i < vs->n; i++) {
            const struct qms_meta_value *v = &vs->items[i];
            int dup = 0;
            for (size_t k = 0; k < i && !dup; k++)
                dup = strcmp(txt(vs->items[k].raw), txt(v->raw)) == 0 && vs->items[k].flags == v->flags;
            if (dup)
                continue;
            if (check_one_date(c, v, field_titles[f], source_title(v->source),
                               has_real || !(req & BIT(f)), f != QMS_META_REVIEW_DATE,
                               qms_meta_field_name((enum qms_meta_field)f)) < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < c->meta->n_history; i++) {
        const struct qms_meta_history_row *row = &c->meta->history[i];
        char where[SHOW_MAX + 64], a[SHOW_MAX + 4], key[SHOW_MAX + 32];
        if (row->revision.raw && row->revision.raw[0])
            snprintf(where, sizeof where, "revision history row '%s'", rev_text(a, &row->revision));
        else
            snprintf(where, sizeof where, "revision history row %zu", i + 1);
        snprintf(key, sizeof key, "history:%zu", i + 1);
        if (check_one_date(c, &row->date, "date", where, 1, 1, key) < 0)
            return -1;
    }
    /* Effective before approved: compare the first usable value of each. */
    const struct qms_meta_value *eff = qms_meta_first(c->meta, QMS_META_EFFECTIVE_DATE);
    const struct qms_meta_value *appr = qms_meta_first(c->meta, QMS_META_APPROVAL_DATE);
    if (eff && appr && eff->date < appr->date) {
        char msg[MSG_MAX], d1[16], d2[16];
        snprintf(msg, sizeof msg, "effective date %s (%s) is before the approval date %s (%s)",
                 fmt_date(d1, eff->date), source_title(eff->source), fmt_date(d2, appr->date),
                 source_title(appr->source));
        if (report(c, R_DATE, eff->loc, "effective-before-approval", msg) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ revision/review-overdue */

static int status_is(const struct ctx *c, uint32_t bits, const struct qms_meta_value **out)
{
    const struct qms_meta_value *s = qms_meta_first(c->meta, QMS_META_STATUS);
    int i = s ? status_index(s->value) : -1;
    if (out)
        *out = s;
    return i >= 0 && (bits & (1u << i));
}

static int check_overdue(const struct ctx *c)
{
    if (!c->api->today)
        return 0;
    if (status_is(c, STATUS_BIT("superseded") | STATUS_BIT("obsolete") | STATUS_BIT("withdrawn"), NULL))
        return 0; /* not in use any more */
    int32_t today = c->api->today(c->host);
    char msg[MSG_MAX], d1[16], d2[16];
    /* An explicit review-due date is the document's own decision and wins over the period. */
    const struct qms_meta_values *due = values(c, QMS_META_REVIEW_DATE);
    const struct qms_meta_value *latest_due = NULL;
    for (size_t i = 0; i < due->n; i++)
        if (!(due->items[i].flags & UNUSABLE) && txt(due->items[i].value)[0] &&
            (!latest_due || due->items[i].date > latest_due->date))
            latest_due = &due->items[i];
    if (latest_due) {
        if (latest_due->date >= today)
            return 0;
        snprintf(msg, sizeof msg, "review was due on %s (%s), %ld days ago",
                 fmt_date(d1, latest_due->date), source_title(latest_due->source),
                 (long)(today - latest_due->date));
        return report(c, R_OVERDUE, latest_due->loc, "review-date", msg);
    }
    /* Otherwise the latest of effective date, approval date and history dates. */
    const struct qms_meta_value *last = NULL;
    const char *last_what = NULL;
    char what[SHOW_MAX + 64], a[SHOW_MAX + 4];
    static const enum qms_meta_field fs[] = {QMS_META_EFFECTIVE_DATE, QMS_META_APPROVAL_DATE};
    for (size_t k = 0; k < 2; k++) {
        const struct qms_meta_values *vs = values(c, fs[k]);
        for (size_t i = 0; i < vs->n; i++)
            if (!(vs->items[i].flags & UNUSABLE) && txt(vs->items[i].value)[0] &&
                (!last || vs->items[i].date > last->date)) {
                last = &vs->items[i];
                snprintf(what, sizeof what, "%s in %s", field_titles[fs[k]],
                         source_title(last->source));
                last_what = what;
            }
    }
    for (size_t i = 0; i < c->meta->n_history; i++) {
        const struct qms_meta_value *d = &c->meta->history[i].date;
        if (!(d->flags & UNUSABLE) && txt(d->value)[0] && (!last || d->date > last->date)) {
            last = d;
            if (c->meta->history[i].revision.raw && c->meta->history[i].revision.raw[0])
                snprintf(what, sizeof what, "revision history row '%s'",
                         rev_text(a, &c->meta->history[i].revision));
            else
                snprintf(what, sizeof what, "revision history row %zu", i + 1);
            last_what = what;
        }
    }
    if (!last)
        return 0;
    int32_t limit = add_months(last->date, c->st->review_months);
    if (limit >= today)
        return 0;
    snprintf(msg, sizeof msg,
             "last reviewed %s (%s): the review period of %d months ended %s",
             fmt_date(d1, last->date), last_what ? last_what : "date",
             c->st->review_months, fmt_date(d2, limit));
    return report(c, R_OVERDUE, last->loc, "review-period", msg);
}

/* ------------------------------------------------------------------ revision/self-approved */

/* Splits a people value ("J. Smith; A. Jones", "Smith and Jones") into name keys. */
static size_t split_names(char names[MAX_NAMES][NAME_MAX_LEN], const char *s)
{
    size_t n = 0;
    const char *p = s;
    while (p && *p && n < MAX_NAMES) {
        size_t len = strcspn(p, ";,/&\n");
        const char *and = NULL;
        for (const char *q = p; q + 5 <= p + len; q++)
            if ((q == p || q[-1] == ' ') && strncmp(q, "and ", 4) == 0) {
                and = q;
                break;
            }
        size_t part = and ? (size_t)(and - p) : len;
        if (text_key(names[n], NAME_MAX_LEN, p, part))
            n++;
        p += and ? part + 4 : len + (p[len] ? 1 : 0);
    }
    return n;
}

static int check_self(const struct ctx *c)
{
    const struct qms_meta_values *owners = values(c, QMS_META_OWNER);
    const struct qms_meta_values *approvers = values(c, QMS_META_APPROVER);
    for (size_t i = 0; i < approvers->n; i++) {
        const struct qms_meta_value *ap = &approvers->items[i];
        if (ap->flags & UNUSABLE)
            continue;
        char an[MAX_NAMES][NAME_MAX_LEN];
        size_t nan = split_names(an, txt(ap->value));
        for (size_t k = 0; k < owners->n; k++) {
            const struct qms_meta_value *ow = &owners->items[k];
            if (ow->flags & UNUSABLE)
                continue;
            char on[MAX_NAMES][NAME_MAX_LEN];
            size_t non = split_names(on, txt(ow->value));
            for (size_t x = 0; x < nan; x++)
                for (size_t y = 0; y < non; y++) {
                    if (strcmp(an[x], on[y]) != 0)
                        continue;
                    char msg[MSG_MAX], a[SHOW_MAX + 4], b[SHOW_MAX + 4];
                    snprintf(msg, sizeof msg,
                             "approver '%s' (%s) is also the author/owner '%s' (%s)", show(a, ap->value),
                             source_title(ap->source), show(b, ow->value), source_title(ow->source));
                    return report(c, R_SELF, ap->loc, "approver", msg);
                }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ revision/unreleased-changes */

static void count_word(struct buf *b, uint32_t n, const char *one, const char *many, int *parts)
{
    if (!n)
        return;
    buf_add(b, "%s%u %s", *parts ? ", " : "", n, n == 1 ? one : many);
    (*parts)++;
}

static int check_unreleased(const struct ctx *c)
{
    const struct qms_meta_value *status = NULL;
    if (!status_is(c, c->st->released_status, &status))
        return 0;
    const struct qms_doc *d = c->doc;
    uint32_t fmt = c->st->count_format_changes ? d->n_format_changes : 0;
    if (!d->n_insertions && !d->n_deletions && !d->n_comments && !fmt)
        return 0;
    const struct qms_review_item *first = NULL;
    for (size_t i = 0; i < d->n_review && !first; i++)
        if (d->review[i].kind != QMS_REVIEW_FORMAT_CHANGE || c->st->count_format_changes)
            first = &d->review[i];
    struct buf b = {{0}, 0};
    char a[SHOW_MAX + 4];
    int parts = 0;
    buf_add(&b, "document is '%s' (%s) but still has ", show(a, status->value),
            source_title(status->source));
    count_word(&b, d->n_insertions, "tracked insertion", "tracked insertions", &parts);
    count_word(&b, d->n_deletions, "tracked deletion", "tracked deletions", &parts);
    count_word(&b, fmt, "tracked format change", "tracked format changes", &parts);
    count_word(&b, d->n_comments, "comment", "comments", &parts);
    struct qms_location loc = doc_loc(c);
    if (first) {
        loc = first->loc;
        if (first->loc.part && first->loc.block)
            buf_add(&b, "; first in %s paragraph %u", first->loc.part, first->loc.block);
        else if (first->loc.line)
            buf_add(&b, "; first at line %u", first->loc.line);
        if (first->loc.section)
            buf_add(&b, " (section '%s')", show(a, first->loc.section));
    }
    return report(c, R_UNRELEASED, loc, "review", b.s);
}

/* ------------------------------------------------------------------ revision/draft-status */

static int check_draft(const struct ctx *c)
{
    if (!c->api->release_mode || !c->api->release_mode(c->host))
        return 0;
    const struct qms_meta_value *s = NULL;
    if (!status_is(c, c->st->draft_status, &s))
        return 0;
    char msg[MSG_MAX], a[SHOW_MAX + 4];
    snprintf(msg, sizeof msg, "document status is '%s' ('%s' in %s): not releasable", s->value,
             show(a, s->raw), source_title(s->source));
    return report(c, R_DRAFT, s->loc, "status", msg);
}

/* ------------------------------------------------------------------ revision/id-format */

static int id_matches(const struct state *st, const char *id)
{
    size_t s = 0, e = 0, len = strlen(id);
    int rc = st->api->regex_match(st->id_re, id, len, 0, &s, &e);
    return rc == 1 && s == 0 && e == len;
}

static int check_id(const struct ctx *c)
{
    const struct qms_meta_values *vs = values(c, QMS_META_ID);
    for (size_t i = 0; i < vs->n; i++) {
        const struct qms_meta_value *v = &vs->items[i];
        if (v->flags & QMS_META_PLACEHOLDER)
            continue;
        const char *id = txt((v->flags & QMS_META_UNPARSED) ? v->raw : v->value);
        if (!id[0])
            continue;
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++) {
            const struct qms_meta_value *o = &vs->items[k];
            dup = !(o->flags & QMS_META_PLACEHOLDER) &&
                  strcmp(txt((o->flags & QMS_META_UNPARSED) ? o->raw : o->value), id) == 0;
        }
        if (dup)
            continue;
        char msg[MSG_MAX], a[SHOW_MAX + 4], p[SHOW_MAX + 4];
        if (c->st->id_re) {
            if (id_matches(c->st, id))
                continue;
            snprintf(msg, sizeof msg, "document ID '%s' (%s) does not match the pattern '%s'",
                     show(a, id), source_title(v->source), show(p, c->st->id_pattern));
        } else {
            if (!(v->flags & QMS_META_UNPARSED))
                continue;
            snprintf(msg, sizeof msg,
                     "document ID '%s' (%s) does not match the document ID pattern (metadata.id_pattern)",
                     show(a, id), source_title(v->source));
        }
        if (report(c, R_ID, v->loc, id, msg) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ check_doc */

static int revision_check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                              const struct qms_doc *doc)
{
    if (!state || !doc || !doc->meta)
        return 0; /* no metadata record: nothing to compare */
    struct ctx c = {state, api, host, doc, doc->meta};
    static const struct {
        const char *rule;
        int (*check)(const struct ctx *);
    } checks[] = {{R_MISSING, check_missing},   {R_INCONSISTENT, check_inconsistent},
                  {R_HISTORY, check_history},   {R_DATE, check_dates},
                  {R_OVERDUE, check_overdue},   {R_SELF, check_self},
                  {R_UNRELEASED, check_unreleased}, {R_DRAFT, check_draft},
                  {R_ID, check_id}};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (enabled(&c, checks[i].rule) && checks[i].check(&c) < 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------------ options */

struct init {
    const struct qms_host_api *api;
    struct qms_host *host;
    int bad;
};

static void bad(struct init *in, const struct qms_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(struct init *in, const struct qms_node *n, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    in->api->node_error(in->host, n, "%s", text);
    in->bad = 1;
}

static int field_from_name(const char *s)
{
    char norm[64];
    size_t n = 0;
    for (; s && *s && n + 1 < sizeof norm; s++)
        norm[n++] = *s == '-' || *s == ' ' ? '_' : (char)lower((unsigned char)*s);
    norm[n] = '\0';
    for (int f = 0; f < QMS_META_N_FIELDS; f++)
        if (strcmp(norm, qms_meta_field_name((enum qms_meta_field)f)) == 0)
            return f;
    return -1;
}

/* A list of field names into a bit set; 0 and an error for anything else. */
static int parse_fields(struct init *in, const struct qms_node *n, const char *what, uint32_t *out)
{
    if (!n || n->kind != QMS_NODE_SEQ) {
        bad(in, n, "%s must be a list of field names (id, title, revision, status, "
                   "effective_date, review_date, owner, approver, approval_date, type)", what);
        return -1;
    }
    uint32_t bits = 0;
    for (size_t i = 0; i < n->n_items; i++) {
        const struct qms_node *it = &n->items[i];
        int f = it->kind == QMS_NODE_SCALAR ? field_from_name(it->scalar) : -1;
        if (f < 0) {
            bad(in, it, "%s: unknown field '%s' (id, title, revision, status, effective_date, "
                        "review_date, owner, approver, approval_date, type)",
                what, it->kind == QMS_NODE_SCALAR ? it->scalar : "(not a string)");
            return -1;
        }
        bits |= BIT(f);
    }
    *out = bits;
    return 0;
}

static int parse_statuses(struct init *in, const struct qms_node *n, const char *what, uint32_t *out)
{
    if (!n || n->kind != QMS_NODE_SEQ) {
        bad(in, n, "%s must be a list of status names", what);
        return -1;
    }
    uint32_t bits = 0;
    for (size_t i = 0; i < n->n_items; i++) {
        const struct qms_node *it = &n->items[i];
        int s = it->kind == QMS_NODE_SCALAR ? status_index(it->scalar) : -1;
        if (s < 0) {
            bad(in, it, "%s: unknown status '%s' (draft, in-review, approved, effective, released, "
                        "superseded, obsolete, withdrawn)",
                what, it->kind == QMS_NODE_SCALAR ? it->scalar : "(not a string)");
            return -1;
        }
        bits |= 1u << s;
    }
    *out = bits;
    return 0;
}

static int parse_bool(struct init *in, const struct qms_node *n, const char *what, int *out)
{
    const char *s = n && n->kind == QMS_NODE_SCALAR ? n->scalar : NULL;
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))) {
        *out = 1;
        return 0;
    }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))) {
        *out = 0;
        return 0;
    }
    bad(in, n, "%s must be true or false", what);
    return -1;
}

static int parse_int(struct init *in, const struct qms_node *n, const char *what, long lo, long hi,
                     long *out)
{
    const char *s = n && n->kind == QMS_NODE_SCALAR ? n->scalar : NULL;
    char *end = NULL;
    long v = s && *s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        bad(in, n, "%s must be a whole number from %ld to %ld", what, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int add_required_type(struct init *in, struct state *st, const struct qms_node *key_node,
                             const char *type, const struct qms_node *list)
{
    uint32_t bits = 0;
    char what[96];
    snprintf(what, sizeof what, "required fields for '%s'", type);
    if (parse_fields(in, list, what, &bits) < 0)
        return -1;
    if (strcmp(type, "default") == 0) {
        st->required_default = bits;
        return 0;
    }
    size_t i = 0;
    while (i < st->n_required && strcmp(st->required[i].type, type) != 0)
        i++;
    if (i == st->n_required) {
        if (st->n_required == MAX_TYPES || strlen(type) >= sizeof st->required[0].type) {
            bad(in, key_node, "too many document types, or type name '%s' too long", type);
            return -1;
        }
        snprintf(st->required[i].type, sizeof st->required[i].type, "%s", type);
        st->n_required++;
    }
    st->required[i].fields = bits;
    return 0;
}

/* A map "type: [fields]" (pack `required_fields` or option `by_type`). */
static int parse_required_map(struct init *in, struct state *st, const struct qms_node *map,
                              const char *what)
{
    if (!map || map->kind != QMS_NODE_MAP) {
        bad(in, map, "%s must be a map of document type to a list of fields", what);
        return -1;
    }
    for (size_t i = 0; i < map->n_items; i++)
        if (add_required_type(in, st, &map->items[i], map->keys[i], &map->items[i]) < 0)
            return -1;
    return 0;
}

/* The options map of a rule with its keys checked; NULL when absent or only a severity. */
static const struct qms_node *rule_map(struct init *in, const char *rule, const char *const *keys)
{
    const struct qms_node *o = in->api->rule_options ? in->api->rule_options(in->host, rule) : NULL;
    if (!o || o->kind == QMS_NODE_SCALAR)
        return NULL;
    if (o->kind != QMS_NODE_MAP) {
        bad(in, o, "options of %s must be a map", rule);
        return NULL;
    }
    for (size_t i = 0; i < o->n_items; i++) {
        int known = !strcmp(o->keys[i], "severity") || !strcmp(o->keys[i], "enabled");
        for (size_t k = 0; keys[k] && !known; k++)
            known = strcmp(o->keys[i], keys[k]) == 0;
        if (!known) {
            struct buf b = {{0}, 0};
            for (size_t k = 0; keys[k]; k++)
                buf_add(&b, "%s%s", k ? ", " : "", keys[k]);
            bad(in, &o->items[i], "unknown option '%s' for %s (known: %s)", o->keys[i], rule,
                b.n ? b.s : "none");
        }
    }
    return o;
}

static const struct qms_node *opt(struct init *in, const struct qms_node *map, const char *key)
{
    return map ? in->api->node_get(map, key) : NULL;
}

static void revision_fini(void *state)
{
    struct state *st = state;
    if (!st)
        return;
    if (st->id_re && st->api && st->api->regex_free)
        st->api->regex_free(st->id_re);
    free(st);
}

static int revision_init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    *out_state = NULL;
    if (!api || api->struct_size < offsetof(struct qms_host_api, digest_put) || !api->report ||
        !api->node_get || !api->node_error || !api->load_pack)
        return -1;
    struct state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    struct init in = {api, host, 0};
    st->api = api;
    st->required_default = DEFAULT_REQUIRED;
    st->compared = DEFAULT_COMPARED;
    st->title_similarity = 0.75;
    st->future_days = 60;
    st->earliest_year = 1980;
    st->review_months = 24;
    st->released_status = STATUS_BIT("approved") | STATUS_BIT("effective") | STATUS_BIT("released");
    st->draft_status = STATUS_BIT("draft") | STATUS_BIT("in-review");

    /* Pack: required fields per document type. */
    const struct qms_node *pack = NULL;
    if (api->load_pack(host, "revision.yml", &pack) < 0) {
        revision_fini(st);
        return -1;
    }
    if (pack && pack->kind == QMS_NODE_MAP) {
        for (size_t i = 0; i < pack->n_items; i++)
            if (strcmp(pack->keys[i], "required_fields") != 0)
                bad(&in, &pack->items[i], "unknown key '%s' in revision.yml", pack->keys[i]);
        const struct qms_node *req = api->node_get(pack, "required_fields");
        if (req)
            parse_required_map(&in, st, req, "required_fields");
    } else if (pack) {
        bad(&in, pack, "revision.yml must be a map with 'required_fields'");
    }

    static const char *const k_missing[] = {"required", "by_type", NULL};
    static const char *const k_incons[] = {"fields", "title_similarity", NULL};
    static const char *const k_hist[] = {"allow_gaps", NULL};
    static const char *const k_date[] = {"future_tolerance_days", "earliest_year", NULL};
    static const char *const k_over[] = {"review_period_months", NULL};
    static const char *const k_none[] = {NULL};
    static const char *const k_unrel[] = {"statuses", "format_changes", NULL};
    static const char *const k_draft[] = {"statuses", NULL};
    static const char *const k_id[] = {"pattern", "caseless", NULL};
    const struct qms_node *o, *n;
    long v;

    o = rule_map(&in, R_MISSING, k_missing);
    if ((n = opt(&in, o, "required")))
        parse_fields(&in, n, "required", &st->required_default);
    if ((n = opt(&in, o, "by_type")))
        parse_required_map(&in, st, n, "by_type");

    o = rule_map(&in, R_INCONSISTENT, k_incons);
    if ((n = opt(&in, o, "fields")))
        parse_fields(&in, n, "fields", &st->compared);
    if ((n = opt(&in, o, "title_similarity"))) {
        char *end = NULL;
        double d = n->kind == QMS_NODE_SCALAR && n->scalar[0] ? strtod(n->scalar, &end) : -1;
        if (!end || *end || !(d > 0.0 && d <= 1.0))
            bad(&in, n, "title_similarity must be a number greater than 0 and at most 1");
        else
            st->title_similarity = d;
    }

    o = rule_map(&in, R_HISTORY, k_hist);
    if ((n = opt(&in, o, "allow_gaps")))
        parse_bool(&in, n, "allow_gaps", &st->allow_gaps);

    o = rule_map(&in, R_DATE, k_date);
    if ((n = opt(&in, o, "future_tolerance_days")) &&
        parse_int(&in, n, "future_tolerance_days", 0, 36500, &v) == 0)
        st->future_days = (int32_t)v;
    if ((n = opt(&in, o, "earliest_year")) && parse_int(&in, n, "earliest_year", 1, 9999, &v) == 0)
        st->earliest_year = (int32_t)v;

    o = rule_map(&in, R_OVERDUE, k_over);
    if ((n = opt(&in, o, "review_period_months")) &&
        parse_int(&in, n, "review_period_months", 1, 1200, &v) == 0)
        st->review_months = (int)v;

    rule_map(&in, R_SELF, k_none);

    o = rule_map(&in, R_UNRELEASED, k_unrel);
    if ((n = opt(&in, o, "statuses")))
        parse_statuses(&in, n, "statuses", &st->released_status);
    if ((n = opt(&in, o, "format_changes")))
        parse_bool(&in, n, "format_changes", &st->count_format_changes);

    o = rule_map(&in, R_DRAFT, k_draft);
    if ((n = opt(&in, o, "statuses")))
        parse_statuses(&in, n, "statuses", &st->draft_status);

    o = rule_map(&in, R_ID, k_id);
    int caseless = 0;
    if ((n = opt(&in, o, "caseless")))
        parse_bool(&in, n, "caseless", &caseless);
    if ((n = opt(&in, o, "pattern"))) {
        if (n->kind != QMS_NODE_SCALAR || !n->scalar[0] ||
            strlen(n->scalar) >= sizeof st->id_pattern) {
            bad(&in, n, "pattern must be a non-empty string of at most %zu bytes",
                sizeof st->id_pattern - 1);
        } else {
            char anchored[sizeof st->id_pattern + 16], err[256] = "";
            snprintf(st->id_pattern, sizeof st->id_pattern, "%s", n->scalar);
            snprintf(anchored, sizeof anchored, "^(?:%s)$", n->scalar);
            st->id_re = api->regex_compile ? api->regex_compile(anchored, caseless, err, sizeof err)
                                           : NULL;
            if (!st->id_re)
                bad(&in, n, "bad pattern '%s': %s", n->scalar, err[0] ? err : "cannot compile");
        }
    }

    if (in.bad) {
        revision_fini(st);
        return -1;
    }
    *out_state = st;
    return 0;
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "revision",
    .version = "0.1.0",
    .description = "document control: identification, revision, review and approval (ISO 9001 7.5.2, 7.5.3)",
    .rules = rules,
    .n_rules = N_RULES,
    .init = revision_init,
    .check_doc = revision_check_doc,
    .check_set = NULL,
    .fini = revision_fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
