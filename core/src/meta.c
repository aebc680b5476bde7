/* The metadata extractor: every source of every field, values normalized, nothing resolved. */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_MAX 512       /* bytes of a value kept (a hostile "value" can be a whole page) */
#define LINE_MAX_SCAN 2048 /* bytes of a line scanned for labels */
#define MAX_HITS 32
#define MAX_COLS 32
#define CANON_MAX 64
#define MAX_VALUES 256     /* values kept per field (a hostile front matter can list millions) */

struct ex {
    const struct qms_doc *doc;
    struct qms_arena *a;
    const struct qms_meta_opts *o;
    struct qms_vec fields[QMS_META_N_FIELDS];
    struct qms_vec history, reg;
    int rc;
};

/* ---- small text helpers ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Length of s[0..len) cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Length of a typographic space at s[i] (no-break, narrow no-break, thin, figure, en/em
 * spaces: what Word and LibreOffice put before a French ':' or inside "12 mars 2024"), or 0. */
static size_t typo_space(const char *s, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i + 1 < len && u[i] == 0xC2 && u[i + 1] == 0xA0)
        return 2;
    if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 &&
        ((u[i + 2] >= 0x80 && u[i + 2] <= 0x8A) || u[i + 2] == 0xAF))
        return 3;
    return 0;
}

/* Copies s to out (at most len bytes, NUL not added) with typographic spaces made ' ' and
 * ‘ ’ made '\'', so labels, dates and revisions parse as typed. Returns the length. */
static size_t plain_text(char *out, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t k = typo_space(s, len, i);
        if (k) {
            out[n++] = ' ';
            i += k;
        } else if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
            out[n++] = '\'';
            i += 3;
        } else {
            out[n++] = s[i++];
        }
    }
    return n;
}

/* Drops white space, bold markers, pipes and label punctuation around a value. */
static void trim_value(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n && (is_space((unsigned char)p[0]) || p[0] == '*' || p[0] == ':' || p[0] == '|' ||
                 p[0] == '#' || p[0] == '.' || p[0] == '`' || p[0] == '"'))
        p++, n--;
    while (n && (is_space((unsigned char)p[n - 1]) || p[n - 1] == '*' || p[n - 1] == '|' ||
                 p[n - 1] == ',' || p[n - 1] == ';' || p[n - 1] == '`' || p[n - 1] == '"'))
        n--;
    *s = p;
    *len = n;
}

/* A copy with runs of white space made one space. */
static char *collapse(struct qms_arena *a, const char *s, size_t len)
{
    char *out = qms_arena_alloc(a, len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_space((unsigned char)s[i])) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = 0;
        out[n++] = s[i];
    }
    out[n] = '\0';
    return out;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* The field a whole label names (exact, after normalization), or -2. -1 is a stop word. */
static int label_exact(const struct qms_meta_opts *o, const char *s, size_t len)
{
    char norm[128];
    if (!s || len >= 120)
        return -2;
    size_t n = qms_meta_norm(norm, sizeof norm, s, len);
    if (!n)
        return -2;
    for (size_t j = 0; j < o->labels.n; j++)
        if (o->labels.items[j].len == n && !memcmp(o->labels.items[j].norm, norm, n))
            return o->labels.items[j].what;
    return -2;
}

static int core_prop_field(const struct qms_meta_opts *o, const char *s)
{
    char norm[128];
    size_t len = strlen(s);
    if (len >= 120)
        return -2;
    size_t n = qms_meta_norm(norm, sizeof norm, s, len);
    for (size_t j = 0; j < o->core_props.n; j++)
        if (o->core_props.items[j].len == n && !memcmp(o->core_props.items[j].norm, norm, n))
            return o->core_props.items[j].what;
    return -2;
}

/* ---- values ---- */

static int is_date_field(enum qms_meta_field f)
{
    return f == QMS_META_EFFECTIVE_DATE || f == QMS_META_REVIEW_DATE ||
           f == QMS_META_APPROVAL_DATE;
}

/* The first vocabulary word found at a word start of s (canonical value), or NULL. */
static const struct qms_meta_word *find_word(const struct qms_meta_wordlist *list, const char *s,
                                             size_t len, int anywhere)
{
    for (size_t i = 0; i < len; i++) {
        if (!is_word((unsigned char)s[i]) || (i > 0 && is_word((unsigned char)s[i - 1])))
            continue;
        const struct qms_meta_word *w = qms_meta_match_list(list, s, len, i, NULL);
        if (w || !anywhere)
            return w;
    }
    return NULL;
}

/* Fills v (source, label, loc already set) from raw text, as field f. */
static void normalize_into(struct ex *x, enum qms_meta_field f, struct qms_meta_value *v,
                           const char *raw, size_t len)
{
    trim_value(&raw, &len);
    len = utf8_cut(raw, len, RAW_MAX);
    char *plain = qms_arena_alloc(x->a, len + 1);
    if (!plain) {
        x->rc = QMS_ENOMEM;
        return;
    }
    len = plain_text(plain, raw, len);
    plain[len] = '\0';
    raw = plain;
    trim_value(&raw, &len);
    v->raw = qms_arena_strndup(x->a, raw, len);
    if (!v->raw) {
        x->rc = QMS_ENOMEM;
        return;
    }
    v->value = v->raw;
    if (qms_meta_is_placeholder(x->o, raw, len)) {
        v->flags |= QMS_META_PLACEHOLDER;
        v->value = "";
        return;
    }
    char canon[CANON_MAX];
    size_t s = 0, e = 0;
    switch (f) {
    case QMS_META_ID:
        if (qms_meta_find_id(x->o, v->raw, len, 0, &s, &e)) {
            v->value = qms_arena_strndup(x->a, v->raw + s, e - s);
            if (s == 0 && e == len)
                v->flags |= QMS_META_ID_MATCH;
        } else
            v->flags |= QMS_META_UNPARSED;
        break;
    case QMS_META_REVISION:
        if (qms_meta_parse_revision(x->o, v->raw, len, canon, sizeof canon, &v->rev_scheme,
                                    &v->rev_key))
            v->value = qms_arena_strdup(x->a, canon);
        else
            v->flags |= QMS_META_UNPARSED;
        break;
    case QMS_META_STATUS: {
        const struct qms_meta_word *w = find_word(&x->o->status, v->raw, len, 0);
        if (w)
            v->value = w->canon;
        else
            v->flags |= QMS_META_UNPARSED;
        break;
    }
    case QMS_META_TYPE: {
        const struct qms_meta_word *w = find_word(&x->o->type_words, v->raw, len, 1);
        if (w)
            v->value = w->canon;
        else
            v->flags |= QMS_META_UNPARSED;
        break;
    }
    case QMS_META_EFFECTIVE_DATE:
    case QMS_META_REVIEW_DATE:
    case QMS_META_APPROVAL_DATE: {
        int32_t days = 0;
        uint32_t first_flags = v->flags;
        int ok = qms_meta_parse_date(x->o, v->raw, len, &days, &v->flags);
        /* "May 28, 2007 [eBook #21636]", "12.03.2024 (Rev. 03)": a remark after the date */
        size_t cut = len;
        while (!ok && cut > 0 && (v->raw[cut - 1] == ')' || v->raw[cut - 1] == ']')) {
            char close = v->raw[cut - 1], open = close == ')' ? '(' : '[';
            size_t k = cut - 1;
            while (k > 0 && v->raw[k - 1] != open && v->raw[k - 1] != close)
                k--;
            if (k == 0 || v->raw[k - 1] != open)
                break;
            cut = k - 1;
            while (cut > 0 && is_space((unsigned char)v->raw[cut - 1]))
                cut--;
            if (!cut)
                break;
            uint32_t flags = first_flags;
            if ((ok = qms_meta_parse_date(x->o, v->raw, cut, &days, &flags)) != 0 ||
                (flags & QMS_META_AMBIGUOUS))
                v->flags = flags;
        }
        if (ok) {
            int y, m, d;
            civil_from_days(days, &y, &m, &d);
            v->date = days;
            v->value = qms_arena_printf(x->a, "%04d-%02d-%02d", y, m, d);
        }
        break;
    }
    default:
        v->value = collapse(x->a, v->raw, len);
        break;
    }
    if (!v->value) {
        x->rc = QMS_ENOMEM;
        v->value = "";
    }
}

static struct qms_meta_value *add_value(struct ex *x, int field, enum qms_meta_source src,
                                        const char *label, size_t label_len, const char *raw,
                                        size_t len, struct qms_location loc)
{
    if (field < 0 || field >= QMS_META_N_FIELDS || x->rc || x->fields[field].len >= MAX_VALUES)
        return NULL;
    trim_value(&raw, &len);
    len = utf8_cut(raw, len, RAW_MAX);
    /* The same text from the same source (a header repeated on first and other pages). */
    struct qms_meta_value *vals = x->fields[field].items;
    for (size_t i = 0; i < x->fields[field].len; i++)
        if (vals[i].source == src && strlen(vals[i].raw) == len && !memcmp(vals[i].raw, raw, len))
            return NULL;
    struct qms_meta_value *v = qms_vec_push(x->a, &x->fields[field]);
    if (!v) {
        x->rc = QMS_ENOMEM;
        return NULL;
    }
    v->source = src;
    v->loc = loc;
    if (label) {
        trim_value(&label, &label_len);
        v->label = qms_arena_strndup(x->a, label, utf8_cut(label, label_len, 128));
        if (!v->label)
            x->rc = QMS_ENOMEM;
    }
    normalize_into(x, (enum qms_meta_field)field, v, raw, len);
    return v;
}

/* Whether a person value read from "Label: value" text is a sentence rather than a name:
 * "Ersteller: erstellt und ändert das Dokument." in a responsibilities list describes a role.
 * A sentence starts lower case or ends with a full stop, and has three or more words
 * ("Dr. Klaus Weber", "Quality Manager", "J. Smith" stay names). */
static int sentence_not_person(const char *v, size_t len)
{
    trim_value(&v, &len);
    size_t words = 0;
    for (size_t i = 0; i < len; i++)
        words += !is_space((unsigned char)v[i]) && (i == 0 || is_space((unsigned char)v[i - 1]));
    if (words < 3)
        return 0;
    int lower = len && v[0] >= 'a' && v[0] <= 'z';
    if (len >= 2 && (unsigned char)v[0] == 0xC3 && (unsigned char)v[1] >= 0xA0 &&
        (unsigned char)v[1] <= 0xBF)
        lower = 1; /* é, ü ... (Latin-1 lower case in UTF-8) */
    size_t last = len;
    while (last > 0 && !is_space((unsigned char)v[last - 1]))
        last--;
    int stop = len && (v[len - 1] == '.' || v[len - 1] == '!') && len - last > 3;
    return lower || stop;
}

/* ---- "Label: value" text (control lines, headers, footers) ---- */

struct hit {
    size_t pos, end; /* label span */
    size_t vstart;   /* value start (after ':' when there is one) */
    int field;       /* -1: stop word */
    int colon;       /* written "Label: value" */
};

/* How many bytes of s[0..n) are line-start decoration (spaces, bullets, pipes, quote and
 * heading marks, non-ASCII bullets): a label at i starts the line when i <= this. Computed
 * once per line, for a per-label scan back would be quadratic on a 2 KiB line of bullets. */
static size_t line_start_span(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && (is_space((unsigned char)s[k]) || s[k] == '-' || s[k] == '|' || s[k] == '>' ||
                     s[k] == '#' || s[k] == '+' || (unsigned char)s[k] >= 0x80))
        k++;
    return k;
}

/* After "  ", a tab, '|', ';' or ',' (with spaces): the start of another "Label: value". */
static int after_separator(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    if (k == 0)
        return 1;
    char c = s[k - 1];
    return c == '\t' || c == '|' || c == ';' || c == ',' || i - k >= 2;
}

/* Without a colon a label is only believed when what follows parses: "Issue Report" in a
   footer is not revision "Report". */
static int plausible(struct ex *x, int field, const char *v, size_t len)
{
    trim_value(&v, &len);
    size_t s = 0, e = 0;
    char canon[CANON_MAX];
    enum qms_rev_scheme scheme;
    uint64_t key;
    int32_t days;
    uint32_t flags = 0;
    switch (field) {
    case QMS_META_ID:
        return qms_meta_find_id(x->o, v, len, 0, &s, &e) && s == 0;
    case QMS_META_REVISION:
        return qms_meta_parse_revision(x->o, v, len, canon, sizeof canon, &scheme, &key);
    case QMS_META_EFFECTIVE_DATE:
    case QMS_META_REVIEW_DATE:
    case QMS_META_APPROVAL_DATE:
        return qms_meta_parse_date(x->o, v, len, &days, &flags) || (flags & QMS_META_AMBIGUOUS);
    default:
        return len > 0;
    }
}

/* Where a value ends: a wide gap, a pipe, a tab, a dash between spaces, a semicolon. */
static size_t value_end(const char *s, size_t start, size_t end)
{
    size_t i = start;
    while (i < end && is_space((unsigned char)s[i]))
        i++;
    for (; i < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '|' || c == '\t' || c == ';' || c == '\n')
            return i;
        if (c == ' ' && i + 1 < end && s[i + 1] == ' ')
            return i;
        if (c == ' ' && i + 2 < end && s[i + 1] == '-' && s[i + 2] == ' ')
            return i;
        if (c == 0xE2 && i + 2 < end && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94) && i > start &&
            s[i - 1] == ' ')
            return i;
    }
    return end;
}

/* Whether a label may stand without a colon (page headers: "QP-007 Rev. C", "Doc No QP-007"). */
static int colon_optional(int field)
{
    return field == -1 || field == QMS_META_REVISION || field == QMS_META_ID ||
           field == QMS_META_APPROVER || is_date_field((enum qms_meta_field)field);
}

/* Labels that also name other things in prose ("Reference", "No.", "Number"). */
static int weak_id_label(const char *s, size_t len)
{
    static const char *const weak[] = {"ref", "reference", "referencia", "no", "nr", "number",
                                       "nummer", "kennung", "identificador", "identifiant",
                                       "id", "numero", NULL};
    char norm[64];
    if (len >= 60)
        return 0;
    qms_meta_norm(norm, sizeof norm, s, len);
    for (int i = 0; weak[i]; i++)
        if (!strcmp(norm, weak[i]))
            return 1;
    return 0;
}

static void scan_line(struct ex *x, const char *line, size_t len, enum qms_meta_source src,
                      struct qms_location loc, int require_colon)
{
    if (require_colon && !memchr(line, ':', len < LINE_MAX_SCAN ? len : LINE_MAX_SCAN))
        return; /* control lines are "Label: value" */
    char buf[LINE_MAX_SCAN];
    size_t n = 0;
    /* Markdown emphasis and code marks around labels ("**Document ID:** SOP-01"). */
    for (size_t i = 0; i < len && n + 4 < sizeof buf; i++) {
        if (line[i] == '*' || line[i] == '`')
            continue;
        size_t k = 1;
        if ((unsigned char)line[i] >= 0x80) {
            k = typo_space(line, len, i);
            if (!k && i + 2 < len && (unsigned char)line[i] == 0xE2 &&
                (unsigned char)line[i + 1] == 0x80 &&
                ((unsigned char)line[i + 2] == 0x98 || (unsigned char)line[i + 2] == 0x99))
                k = 3;
        }
        if (k > 1) {
            n += plain_text(buf + n, line + i, k);
            i += k - 1;
        } else {
            buf[n++] = line[i];
        }
    }
    n = utf8_cut(buf, n, sizeof buf - 1);
    buf[n] = '\0';

    struct hit hits[MAX_HITS];
    size_t n_hits = 0;
    size_t lead = line_start_span(buf, n);
    for (size_t i = 0; i < n && n_hits < MAX_HITS; i++) {
        if (!is_word((unsigned char)buf[i]) || (i > 0 && is_word((unsigned char)buf[i - 1])) ||
            (i > 0 && (buf[i - 1] == '-' || buf[i - 1] == '.' || buf[i - 1] == '/')))
            continue;
        /* In control lines a label starts the line, follows a separator or another value:
           "Employee Number: 5" is not a document number. */
        if (require_colon && n_hits == 0 && i > lead && !after_separator(buf, i))
            continue;
        size_t end = 0;
        const struct qms_meta_word *w = qms_meta_match_list(&x->o->labels, buf, n, i, &end);
        if (!w)
            continue;
        size_t after = end;
        while (after < n && (buf[after] == ' ' || buf[after] == '\t'))
            after++;
        int colon = after < n && buf[after] == ':';
        if (require_colon ? !colon : !(colon || colon_optional(w->what)))
            continue;
        if (!colon && w->what != -1 && (after >= n || buf[after] == '|'))
            continue; /* a label with nothing after it is a word in a sentence */
        hits[n_hits].pos = i;
        hits[n_hits].end = end;
        hits[n_hits].vstart = colon ? after + 1 : end;
        hits[n_hits].field = w->what;
        hits[n_hits].colon = colon;
        n_hits++;
        i = (colon ? after + 1 : end) - 1; /* the loop's i++ moves past the label */
    }
    if (!require_colon) {
        /* An unlabeled ID before the first label: "QP-007 Rev. C — Page 1". */
        size_t limit = n_hits ? hits[0].pos : n, s = 0, e = 0;
        if (qms_meta_find_id(x->o, buf, limit, 0, &s, &e))
            add_value(x, QMS_META_ID, src, NULL, 0, buf + s, e - s, loc);
    }
    for (size_t h = 0; h < n_hits; h++) {
        if (hits[h].field < 0)
            continue;
        size_t stop = h + 1 < n_hits ? hits[h + 1].pos : n;
        size_t vend = value_end(buf, hits[h].vstart, stop);
        const char *v = buf + hits[h].vstart;
        size_t vlen = vend - hits[h].vstart, s = 0, e = 0;
        /* "Reference: ISO 9001" in prose is not a document number: a generic ID label counts
           only with an ID after it. */
        if (hits[h].field == QMS_META_ID &&
            weak_id_label(buf + hits[h].pos, hits[h].end - hits[h].pos) &&
            !qms_meta_find_id(x->o, v, vlen, 0, &s, &e))
            continue;
        if (!hits[h].colon && !plausible(x, hits[h].field, v, vlen))
            continue;
        /* "Version: 8.28.2011" in a footer is the date of the form's version, not a revision
           that other sources can disagree with. */
        if (hits[h].field == QMS_META_REVISION && qms_meta_date_shaped(v, vlen))
            continue;
        if ((hits[h].field == QMS_META_OWNER || hits[h].field == QMS_META_APPROVER) &&
            sentence_not_person(v, vlen))
            continue;
        add_value(x, hits[h].field, src, buf + hits[h].pos, hits[h].end - hits[h].pos, v, vlen,
                  loc);
    }
}

static void scan_text(struct ex *x, const char *text, size_t len, enum qms_meta_source src,
                      struct qms_location loc, int require_colon)
{
    /* In Markdown a '\n' kept in a block's text is a source line break (the reader joins soft
       breaks with spaces, hard breaks may stay): line n of the text is source line + n. */
    int md = x->doc->format == QMS_FORMAT_MARKDOWN && loc.line > 0;
    size_t start = 0;
    struct qms_location line_loc = loc;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            if (i > start)
                scan_line(x, text + start, i - start, src, line_loc, require_colon);
            start = i + 1;
            if (md && line_loc.line < UINT32_MAX)
                line_loc.line++;
        }
    }
}

/* ---- properties and fields ---- */

static int prop_source(enum qms_prop_source s, enum qms_meta_source *out)
{
    switch (s) {
    case QMS_PROP_FRONT_MATTER: *out = QMS_META_SRC_FRONT_MATTER; return 1;
    case QMS_PROP_CORE: *out = QMS_META_SRC_CORE_PROPERTY; return 1;
    case QMS_PROP_CUSTOM: *out = QMS_META_SRC_CUSTOM_PROPERTY; return 1;
    case QMS_PROP_ODT_META: *out = QMS_META_SRC_ODT_META; return 1;
    case QMS_PROP_ODT_USER: *out = QMS_META_SRC_ODT_USER; return 1;
    case QMS_PROP_APP: return 0; /* company, template, page counts: nothing to compare */
    }
    return 0;
}

/* The field a property name stands for: "doc_id", "approval.date", "approvers.name". */
static int property_field(const struct qms_meta_opts *o, const char *name)
{
    int f = label_exact(o, name, strlen(name));
    if (f >= 0)
        return f;
    const char *dot = strrchr(name, '.');
    if (!dot)
        return -2;
    f = label_exact(o, dot + 1, strlen(dot + 1));
    if (f >= 0)
        return f;
    static const char *const person_keys[] = {"name", "by", "person", "value", NULL};
    for (int k = 0; person_keys[k]; k++)
        if (!strcmp(dot + 1, person_keys[k]))
            return label_exact(o, name, (size_t)(strchr(name, '.') - name));
    return -2;
}

static void extract_properties(struct ex *x)
{
    for (size_t i = 0; i < x->doc->n_properties; i++) {
        const struct qms_property *p = &x->doc->properties[i];
        enum qms_meta_source src;
        if (!p->name || !p->value || !prop_source(p->source, &src))
            continue;
        if (p->type && (!strcmp(p->type, "bool") || !strcmp(p->type, "boolean")))
            continue; /* a yes/no flag ("Référence" = true) is no document-control value */
        const char *name = p->name;
        if (name[0] == '_')
            continue; /* SharePoint's hidden _Version, _Status ...: not the document's */
        const char *colon = strrchr(name, ':');
        if (colon && (src == QMS_META_SRC_CORE_PROPERTY || src == QMS_META_SRC_ODT_META))
            name = colon + 1;
        int f;
        if (src == QMS_META_SRC_CORE_PROPERTY || src == QMS_META_SRC_ODT_META) {
            /* ODT's dc:creator is the last editor; the author is meta:initial-creator. */
            if (src == QMS_META_SRC_ODT_META && !strcmp(name, "creator"))
                continue;
            f = core_prop_field(x->o, name);
        } else {
            f = property_field(x->o, name);
        }
        if (f >= 0)
            add_value(x, f, src, p->name, strlen(p->name), p->value, strlen(p->value), p->loc);
    }
}

static void extract_fields(struct ex *x)
{
    for (size_t i = 0; i < x->doc->n_fields; i++) {
        const struct qms_field *fl = &x->doc->fields[i];
        if (!fl->value)
            continue;
        const char *label = NULL;
        int f = -2;
        enum qms_meta_source src = QMS_META_SRC_FIELD;
        if (fl->kind == QMS_FIELD_CONTENT_CONTROL) {
            src = QMS_META_SRC_CONTENT_CONTROL;
            /* Tags are often prefixed by the template ("qms_status", "qms-owner"). */
            const char *tag = fl->name;
            if (tag && !strncmp(tag, "qms", 3) && (tag[3] == '_' || tag[3] == '-' || tag[3] == '.'))
                tag += 4;
            if (tag && (f = label_exact(x->o, tag, strlen(tag))) >= 0)
                label = fl->name;
            else if (fl->alias && (f = label_exact(x->o, fl->alias, strlen(fl->alias))) >= 0)
                label = fl->alias;
        } else if (fl->kind == QMS_FIELD_DOCPROPERTY || fl->kind == QMS_FIELD_VARIABLE) {
            if (fl->name) {
                f = label_exact(x->o, fl->name, strlen(fl->name));
                if (f < 0)
                    f = core_prop_field(x->o, fl->name);
                label = fl->name;
            }
        }
        if (f >= 0)
            add_value(x, f, src, label, label ? strlen(label) : 0, fl->value, strlen(fl->value),
                      fl->loc);
    }
}

/* ---- tables ---- */

enum table_role { ROLE_NONE = 0, ROLE_HISTORY, ROLE_REGISTER };

struct table_info {
    enum table_role role;
    uint32_t header_row;
    int cols[MAX_COLS];     /* qms_meta_column per grid column */
    size_t first_body;      /* body ordinal of its first cell block, SIZE_MAX when unknown */
};

/* A table as a dense grid of cell pointers (spans filled in), so that looking a cell up is
 * O(1): qms_table_cell is a linear scan, quadratic over a 10,000-row register. */
struct grid {
    const struct qms_table *t;
    uint32_t rows, cols;
    uint32_t all_rows;               /* the table's rows (capped), even when `rows` is fewer */
    const struct qms_cell **cells;   /* rows * cols, NULL where nothing starts or spans */
};

#define GRID_MAX_ROWS 100000u
/* Grid slots built per document: an ODT row index can jump to 16 million with a few bytes
 * of number-rows-repeated, and a document can hold thousands of such tables. */
#define GRID_BUDGET (16u << 20)
#define GRID_CLASSIFY_ROWS 3u /* what classify reads of a table away from the top */

/* Builds the first min(max_rows, rows) rows; *budget (slots left) is charged, and the grid
 * is cut short when it runs out. */
static int grid_build(struct grid *g, const struct qms_table *t, uint32_t max_rows,
                      size_t *budget)
{
    g->t = t;
    g->all_rows = t->n_rows < GRID_MAX_ROWS ? t->n_rows : GRID_MAX_ROWS;
    g->rows = g->all_rows < max_rows ? g->all_rows : max_rows;
    g->cols = t->n_cols < MAX_COLS ? t->n_cols : MAX_COLS;
    g->cells = NULL;
    if (!g->rows || !g->cols)
        return 0;
    if (budget) {
        size_t fit = *budget / g->cols;
        if (g->rows > fit)
            g->rows = (uint32_t)fit;
        *budget -= (size_t)g->rows * g->cols;
        if (!g->rows)
            return 0;
    }
    g->cells = calloc((size_t)g->rows * g->cols, sizeof *g->cells);
    if (!g->cells)
        return QMS_ENOMEM;
    for (size_t i = 0; i < t->n_cells; i++) {
        const struct qms_cell *c = &t->cells[i];
        uint32_t rs = c->row_span ? c->row_span : 1, cs = c->col_span ? c->col_span : 1;
        for (uint32_t r = c->row; r < g->rows && r - c->row < rs; r++) {
            int filled = 0;
            for (uint32_t k = c->col; k < g->cols && k - c->col < cs; k++) {
                const struct qms_cell **slot = &g->cells[(size_t)r * g->cols + k];
                if (*slot) {
                    filled = 1;
                    continue;
                }
                *slot = c;
            }
            if (filled && r > c->row)
                break; /* overlapping spans (hostile): each slot is written once */
        }
    }
    return 0;
}

static void grid_free(struct grid *g)
{
    free(g->cells);
    g->cells = NULL;
}

static const struct qms_cell *grid_cell(const struct grid *g, uint32_t row, uint32_t col)
{
    if (!g->cells || row >= g->rows || col >= g->cols)
        return NULL;
    return g->cells[(size_t)row * g->cols + col];
}

static const char *cell_text(const struct grid *g, uint32_t row, uint32_t col,
                             const struct qms_cell **out)
{
    const struct qms_cell *c = grid_cell(g, row, col);
    if (out)
        *out = c;
    return c && c->text ? c->text : "";
}

/* Maps a header row to column kinds; returns a bit set of the kinds found. */
static unsigned map_header(const struct qms_meta_wordlist *cols, const struct grid *g,
                           uint32_t row, int *out)
{
    unsigned kinds = 0;
    for (uint32_t c = 0; c < g->cols; c++) {
        out[c] = QMS_COL_NONE;
        const struct qms_cell *cell;
        const char *text = cell_text(g, row, c, &cell);
        if (!cell || cell->col != c)
            continue; /* the continuation of a spanned cell */
        size_t len = strlen(text), i = 0;
        while (i < len && (is_space((unsigned char)text[i]) || text[i] == '*'))
            i++;
        const struct qms_meta_word *w = qms_meta_match_list(cols, text, len, i, NULL);
        if (w && !(kinds & (1u << w->what))) {
            out[c] = w->what;
            kinds |= 1u << w->what;
        }
    }
    return kinds;
}

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static void classify(struct ex *x, const struct grid *g, struct table_info *info)
{
    info->role = ROLE_NONE;
    int near_top = info->first_body < x->o->control_blocks;
    for (uint32_t r = 0; r < 2 && r + 1 < g->all_rows && r < g->rows; r++) {
        uint32_t data_rows = g->all_rows - r - 1;
        unsigned k = map_header(&x->o->register_cols, g, r, info->cols);
        unsigned others = k & ((1u << QMS_COL_TITLE) | (1u << QMS_COL_REVISION) |
                               (1u << QMS_COL_STATUS) | (1u << QMS_COL_DATE));
        /* One row of values under labels near the top is a control block, not a register. */
        if ((k & (1u << QMS_COL_ID)) && popcount(others) >= 2 && !(near_top && data_rows == 1)) {
            info->role = ROLE_REGISTER;
            info->header_row = r;
            return;
        }
        k = map_header(&x->o->history_cols, g, r, info->cols);
        if (popcount(k) >= 2 &&
            (!(near_top && data_rows == 1) || (k & (1u << QMS_COL_DESCRIPTION)))) {
            info->role = ROLE_HISTORY;
            info->header_row = r;
            return;
        }
    }
}

static int cell_is_label(struct ex *x, const char *text)
{
    size_t len = strlen(text);
    const char *s = text;
    trim_value(&s, &len);
    return len && label_exact(x->o, s, len) != -2;
}

/* Whether a neighbouring cell is the value of label field f: not another label, unless it
 * reads as a value of f ("Status | Released": "Released" is also a date label). */
static int takes_value(struct ex *x, int f, const char *text)
{
    if (!cell_is_label(x, text))
        return 1;
    size_t len = strlen(text);
    trim_value(&text, &len);
    size_t end = 0;
    if (f == QMS_META_STATUS) /* the whole cell is a status word */
        return qms_meta_match_list(&x->o->status, text, len, 0, &end) && end == len;
    if (f == QMS_META_ID || f == QMS_META_REVISION || is_date_field((enum qms_meta_field)f))
        return plausible(x, f, text, len);
    return 0;
}

/* A key/value control table: "Document No | QP-007", or labels over a row of values. */
static void extract_kv_table(struct ex *x, const struct grid *g)
{
    for (size_t i = 0; i < g->t->n_cells; i++) {
        const struct qms_cell *c = &g->t->cells[i];
        if (!c->text)
            continue;
        const char *s = c->text;
        size_t len = strlen(s);
        trim_value(&s, &len);
        int f = len ? label_exact(x->o, s, len) : -2;
        if (f == -2) {
            scan_text(x, c->text, strlen(c->text), QMS_META_SRC_CONTROL_BLOCK, c->loc, 1);
            continue;
        }
        if (f < 0)
            continue;
        const struct qms_cell *v = grid_cell(g, c->row, c->col + c->col_span);
        if (!v || !v->text || !takes_value(x, f, v->text)) {
            v = grid_cell(g, c->row + c->row_span, c->col);
            if (v && v->text && !takes_value(x, f, v->text))
                v = NULL;
        }
        size_t is = 0, ie = 0;
        if (v && v->text && f == QMS_META_ID && weak_id_label(s, len) &&
            !qms_meta_find_id(x->o, v->text, strlen(v->text), 0, &is, &ie))
            continue; /* "Nr. | 4" in a table of regulations */
        if (v && v->text && f == QMS_META_REVISION && qms_meta_date_shaped(v->text, strlen(v->text)))
            continue; /* "Version | 03/2024": a date */
        if (v && v->text)
            add_value(x, f, QMS_META_SRC_CONTROL_BLOCK, s, len, v->text, strlen(v->text), v->loc);
    }
}

static char *cell_copy(struct ex *x, const char *text)
{
    size_t len = strlen(text);
    trim_value(&text, &len);
    char *s = collapse(x->a, text, utf8_cut(text, len, RAW_MAX));
    if (!s)
        x->rc = QMS_ENOMEM;
    return s ? s : "";
}

static void fill(struct ex *x, struct qms_meta_value *v, enum qms_meta_field f,
                 enum qms_meta_source src, const struct grid *g, uint32_t row, int col,
                 const char *label)
{
    const struct qms_cell *c = NULL;
    const char *text = col >= 0 ? cell_text(g, row, (uint32_t)col, &c) : "";
    v->source = src;
    v->label = label;
    if (c)
        v->loc = c->loc;
    normalize_into(x, f, v, text, strlen(text));
}

static int find_col(const struct table_info *info, const struct grid *g, int kind)
{
    for (uint32_t c = 0; c < g->cols; c++)
        if (info->cols[c] == kind)
            return (int)c;
    return -1;
}

/* Whether a cell starts in the row: a row made only of cells spanning down from above
 * carries no new entry (a hostile span can reach the 100,000-row grid cap). */
static int row_starts_cell(const struct grid *g, uint32_t row)
{
    for (uint32_t c = 0; c < g->cols; c++) {
        const struct qms_cell *cell = grid_cell(g, row, c);
        if (cell && cell->row == row)
            return 1;
    }
    return 0;
}

static int row_empty(const struct grid *g, uint32_t row)
{
    if (!row_starts_cell(g, row))
        return 1;
    for (uint32_t c = 0; c < g->cols; c++) {
        const char *s = cell_text(g, row, c, NULL);
        for (; *s; s++)
            if (!is_space((unsigned char)*s))
                return 0;
    }
    return 1;
}

static void extract_history(struct ex *x, struct qms_meta *m, const struct grid *g,
                            int32_t index, const struct table_info *info)
{
    int rev = find_col(info, g, QMS_COL_REVISION), date = find_col(info, g, QMS_COL_DATE);
    int desc = find_col(info, g, QMS_COL_DESCRIPTION), author = find_col(info, g, QMS_COL_AUTHOR);
    int approver = find_col(info, g, QMS_COL_APPROVER);
    const char *rev_label = rev >= 0 ? cell_copy(x, cell_text(g, info->header_row, (uint32_t)rev, NULL))
                                     : NULL;
    for (uint32_t r = info->header_row + 1; r < g->rows && !x->rc; r++) {
        if (row_empty(g, r))
            continue;
        struct qms_meta_history_row *h = qms_vec_push(x->a, &x->history);
        if (!h) {
            x->rc = QMS_ENOMEM;
            return;
        }
        fill(x, &h->revision, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, g, r, rev, rev_label);
        fill(x, &h->date, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_REVISION_HISTORY, g, r, date, NULL);
        h->description = desc >= 0 ? cell_copy(x, cell_text(g, r, (uint32_t)desc, NULL)) : "";
        const char *a = author >= 0 ? cell_copy(x, cell_text(g, r, (uint32_t)author, NULL)) : "";
        const char *b = approver >= 0 ? cell_copy(x, cell_text(g, r, (uint32_t)approver, NULL)) : "";
        h->people = *a && *b ? qms_arena_printf(x->a, "%s; %s", a, b) : *a ? a : b;
        if (!h->people) {
            x->rc = QMS_ENOMEM;
            return;
        }
        const struct qms_cell *first = grid_cell(g, r, 0);
        h->loc = first ? first->loc : g->t->loc;
    }
    m->history = x->history.items;
    m->n_history = x->history.len;
    m->history_table = index;
    if (!m->n_history)
        return;
    /* The current row: the last, unless the table is written newest first: its first
       revision is greater than its last comparable one (so a duplicate or a misplaced row in
       between, 3 2 2 1, does not turn it around), or, without comparable revisions, its first
       date is later than its last. The revision plugin reads the order the same way. */
    size_t current = m->n_history - 1;
    const struct qms_meta_history_row *rows = m->history;
    const struct qms_meta_value *first = NULL, *last = NULL, *first_d = NULL, *last_d = NULL;
    for (size_t i = 0; i < m->n_history; i++) {
        const struct qms_meta_value *r = &rows[i].revision, *d = &rows[i].date;
        if (r->rev_scheme != QMS_REV_NONE && !(r->flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED))) {
            if (!first)
                first = r;
            else if (qms_meta_rev_cmp(first, r) != QMS_REV_INCOMPARABLE)
                last = r;
        }
        if (d->date) {
            if (!first_d)
                first_d = d;
            else
                last_d = d;
        }
    }
    if (first && last ? qms_meta_rev_cmp(first, last) == 1
                      : first_d && last_d && first_d->date > last_d->date)
        current = 0;
    m->history_current = current;
    const struct qms_meta_value *cur = &rows[current].revision;
    if (rev >= 0 && cur->raw && cur->raw[0]) {
        struct qms_meta_value *v = qms_vec_push(x->a, &x->fields[QMS_META_REVISION]);
        if (!v) {
            x->rc = QMS_ENOMEM;
            return;
        }
        *v = *cur;
    }
}

static void extract_register(struct ex *x, const struct grid *g, const struct table_info *info)
{
    int id = find_col(info, g, QMS_COL_ID), title = find_col(info, g, QMS_COL_TITLE);
    int rev = find_col(info, g, QMS_COL_REVISION), status = find_col(info, g, QMS_COL_STATUS);
    int date = find_col(info, g, QMS_COL_DATE);
    for (uint32_t r = info->header_row + 1; r < g->rows && !x->rc; r++) {
        if (row_empty(g, r))
            continue;
        const char *id_text = cell_text(g, r, (uint32_t)id, NULL);
        const char *title_text = title >= 0 ? cell_text(g, r, (uint32_t)title, NULL) : "";
        if (qms_meta_is_placeholder(NULL, id_text, strlen(id_text)) &&
            qms_meta_is_placeholder(NULL, title_text, strlen(title_text)))
            continue; /* a section row ("Procedures") or a spacer */
        struct qms_meta_register_entry *e = qms_vec_push(x->a, &x->reg);
        if (!e) {
            x->rc = QMS_ENOMEM;
            return;
        }
        fill(x, &e->id, QMS_META_ID, 0, g, r, id, NULL);
        e->title = title >= 0 ? cell_copy(x, title_text) : "";
        size_t is = 0, ie = 0;
        if (title < 0 && qms_meta_find_id(x->o, e->id.raw, strlen(e->id.raw), 0, &is, &ie)) {
            /* One "Title / Doc-ID" column: "SOP-001 Document Control" */
            const char *rest = e->id.raw + ie;
            if (is > 0)
                rest = e->id.raw;
            size_t rest_len = is > 0 ? is : strlen(rest);
            while (rest_len && (is_space((unsigned char)*rest) || *rest == '-' || *rest == ':' ||
                                *rest == '/' || *rest == '|'))
                rest++, rest_len--;
            while (rest_len && (is_space((unsigned char)rest[rest_len - 1]) ||
                                rest[rest_len - 1] == '-' || rest[rest_len - 1] == '/' ||
                                rest[rest_len - 1] == '(' || rest[rest_len - 1] == ':'))
                rest_len--;
            char *t = rest_len ? qms_arena_strndup(x->a, rest, rest_len) : NULL;
            if (t)
                e->title = cell_copy(x, t);
            else if (rest_len)
                x->rc = QMS_ENOMEM;
        }
        fill(x, &e->revision, QMS_META_REVISION, 0, g, r, rev, NULL);
        fill(x, &e->status, QMS_META_STATUS, 0, g, r, status, NULL);
        fill(x, &e->date, QMS_META_EFFECTIVE_DATE, 0, g, r, date, NULL);
        const struct qms_cell *first = grid_cell(g, r, 0);
        e->loc = first ? first->loc : g->t->loc;
    }
}

/* ---- blocks: control block, headers and footers, title ---- */

static int is_body(const struct qms_block *b)
{
    if (b->flags & QMS_BLOCK_FRONT_MATTER)
        return 0;
    switch (b->kind) {
    case QMS_BLOCK_HEADER:
    case QMS_BLOCK_FOOTER:
    case QMS_BLOCK_NOTE:
    case QMS_BLOCK_COMMENT:
    case QMS_BLOCK_MARKUP_COMMENT:
        return 0;
    default:
        return 1;
    }
}

static void extract_blocks(struct ex *x)
{
    const struct qms_doc *d = x->doc;
    size_t body = 0;
    const struct qms_block *pending = NULL; /* a header cell that is only a label */
    for (size_t i = 0; i < d->n_blocks && !x->rc; i++) {
        const struct qms_block *b = &d->blocks[i];
        if (!b->text)
            continue;
        if (b->kind == QMS_BLOCK_HEADER || b->kind == QMS_BLOCK_FOOTER) {
            enum qms_meta_source src =
                b->kind == QMS_BLOCK_HEADER ? QMS_META_SRC_HEADER : QMS_META_SRC_FOOTER;
            const char *s = b->text;
            size_t len = b->text_len;
            trim_value(&s, &len);
            int f = len ? label_exact(x->o, s, len) : -2;
            if (pending && f == -2 && pending->kind == b->kind) {
                const char *ls = pending->text;
                size_t llen = pending->text_len;
                trim_value(&ls, &llen);
                add_value(x, label_exact(x->o, ls, llen), src, ls, llen, b->text, b->text_len,
                          b->loc);
                pending = NULL;
                continue;
            }
            pending = f >= 0 ? b : NULL;
            if (f == -2)
                scan_text(x, b->text, b->text_len, src, b->loc, 0);
            continue;
        }
        pending = NULL;
        if (!is_body(b))
            continue;
        if (body++ >= x->o->control_blocks)
            continue;
        if (b->kind == QMS_BLOCK_PARAGRAPH || b->kind == QMS_BLOCK_LIST_ITEM ||
            b->kind == QMS_BLOCK_QUOTE || b->kind == QMS_BLOCK_TEXT_BOX)
            scan_text(x, b->text, b->text_len, QMS_META_SRC_CONTROL_BLOCK, b->loc, 1);
    }
}

/* A document whose sections are level-1 headings ("1 Purpose", "2 Scope" ...) has no title
 * heading: its first level-1 heading names a section, and taking it as the title makes every
 * such document disagree with its title property. The first level-1 heading is the title when
 * it is the only level-1 heading of the body, or when it carries a document ID. */
static int first_heading_is_title(struct ex *x, const struct qms_block *first)
{
    size_t is = 0, ie = 0;
    if (qms_meta_find_id(x->o, first->text, first->text_len, 0, &is, &ie))
        return 1;
    const struct qms_doc *d = x->doc;
    for (const struct qms_block *b = first + 1; b < d->blocks + d->n_blocks; b++)
        if (b->kind == QMS_BLOCK_HEADING && b->level == 1 && is_body(b) &&
            !(b->flags & QMS_BLOCK_IN_TABLE))
            return 0;
    return 1;
}

static void extract_title(struct ex *x)
{
    const struct qms_doc *d = x->doc;
    const struct qms_block *title = NULL;
    size_t body = 0;
    for (size_t i = 0; i < d->n_blocks && body < x->o->control_blocks; i++) {
        const struct qms_block *b = &d->blocks[i];
        if (!is_body(b) || !b->text)
            continue;
        body++;
        if (b->kind == QMS_BLOCK_TITLE) {
            title = b;
            break;
        }
        if (b->kind == QMS_BLOCK_HEADING && b->level == 1 && !title)
            title = b;
    }
    if (!title)
        return;
    if (title->kind == QMS_BLOCK_HEADING && !first_heading_is_title(x, title))
        return;
    const char *s = title->text;
    size_t len = title->text_len, is = 0, ie = 0;
    trim_value(&s, &len);
    if (qms_meta_find_id(x->o, s, len, 0, &is, &ie)) {
        add_value(x, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, NULL, 0, s + is, ie - is, title->loc);
        /* "QP-007 Document Control", "Quality Manual (QM-001)": the title without the ID. */
        const char *rest = s;
        size_t rest_len = len;
        if (is == 0) {
            rest = s + ie;
            rest_len = len - ie;
        } else if (ie == len || (ie + 1 == len && s[ie] == ')')) {
            rest_len = is;
        }
        while (rest_len && (is_space((unsigned char)*rest) || *rest == ':' || *rest == '-' ||
                            *rest == '(' || *rest == ')' || (unsigned char)*rest >= 0x80))
        {
            if ((unsigned char)*rest >= 0x80) {
                /* an en or em dash */
                if (rest_len >= 3 && (unsigned char)rest[0] == 0xE2 && (unsigned char)rest[1] == 0x80)
                    rest += 3, rest_len -= 3;
                else
                    break;
            } else {
                rest++, rest_len--;
            }
        }
        while (rest_len && (is_space((unsigned char)rest[rest_len - 1]) || rest[rest_len - 1] == '(' ||
                            rest[rest_len - 1] == '-' || rest[rest_len - 1] == ':'))
            rest_len--;
        if (rest_len)
            add_value(x, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, NULL, 0, rest, rest_len,
                      title->loc);
        return;
    }
    add_value(x, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, NULL, 0, s, len, title->loc);
}

/* ---- the file name: QP-007_RevC.docx, SOP-IT-004_Document_Control.docx ---- */

static void extract_file_name(struct ex *x)
{
    const char *path = x->doc->path;
    if (!path)
        return;
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot > base)
        len = (size_t)(dot - base);
    char name[256];
    len = utf8_cut(base, len, sizeof name - 1);
    for (size_t i = 0; i < len; i++)
        name[i] = base[i] == '_' ? ' ' : base[i];
    name[len] = '\0';
    struct qms_location loc = {0};
    char keep[256];
    memset(keep, 1, len);

    size_t is = 0, ie = 0;
    if (qms_meta_find_id(x->o, name, len, 0, &is, &ie)) {
        add_value(x, QMS_META_ID, QMS_META_SRC_FILE_NAME, NULL, 0, name + is, ie - is, loc);
        memset(keep + is, 0, ie - is);
    }
    /* The revision: "RevC", "Rev 03", "r2", "v1.2", "(07)". */
    for (size_t p = 0; p < len; p++) {
        if (p > 0 && name[p - 1] != ' ' && name[p - 1] != '-' && name[p - 1] != '(' &&
            name[p - 1] != '.')
            continue;
        size_t e = p, lab_end = 0;
        if (!keep[p])
            continue;
        if (name[p] == '(') { /* "IN-PRD-QA0002(07)", "PG 01 (07)": right after the ID */
            e = p + 1;
            while (e < len && name[e] >= '0' && name[e] <= '9' && e - p < 4)
                e++;
            if (e > p + 1 && e < len && name[e] == ')' && ie > 0 && (p == ie || p == ie + 1)) {
                add_value(x, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, NULL, 0, name + p + 1,
                          e - p - 1, loc);
                memset(keep + p, 0, e + 1 - p);
                break;
            }
            continue;
        }
        const struct qms_meta_word *w = qms_meta_match_list(&x->o->labels, name, len, p, &lab_end);
        if (w && w->what == QMS_META_REVISION &&
            (!strncmp(w->norm, "rev", 3) || !strncmp(w->norm, "ver", 3) ||
             !strncmp(w->norm, "ed", 2)))
            e = lab_end;
        else if ((name[p] == 'r' || name[p] == 'R' || name[p] == 'v' || name[p] == 'V') &&
                 p + 1 < len && name[p + 1] >= '0' && name[p + 1] <= '9')
            e = p; /* r2, V1.2 */
        else if (p + 3 < len && (name[p] | 0x20) == 'r' && (name[p + 1] | 0x20) == 'e' &&
                 (name[p + 2] | 0x20) == 'v' &&
                 ((name[p + 3] >= 'A' && name[p + 3] <= 'Z') || (name[p + 3] >= '0' && name[p + 3] <= '9')))
            e = p; /* RevC, Rev03 */
        else
            continue;
        w = w && w->what == QMS_META_REVISION ? w : NULL;
        while (e < len && (name[e] == ' ' || name[e] == '.' || name[e] == '-'))
            e++;
        if (e == len && w)
            continue;
        while (e < len && (is_word((unsigned char)name[e]) || (name[e] == '.' && e + 1 < len &&
                                                               name[e + 1] >= '0' && name[e + 1] <= '9')))
            e++;
        char canon[CANON_MAX];
        enum qms_rev_scheme scheme;
        uint64_t key;
        if (!qms_meta_parse_revision(x->o, name + p, e - p, canon, sizeof canon, &scheme, &key) ||
            strlen(canon) > 4)
            continue; /* "issue 51265": a ticket number, not a revision */
        add_value(x, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, NULL, 0, name + p, e - p, loc);
        memset(keep + p, 0, e - p);
        break;
    }
    /* What is left is the title, when it has words: "Document Control". */
    char rest[256];
    size_t n = 0, letters = 0;
    for (size_t i = 0; i < len; i++) {
        if (!keep[i])
            continue;
        rest[n++] = name[i];
        if (is_word((unsigned char)name[i]) && !(name[i] >= '0' && name[i] <= '9'))
            letters++;
    }
    rest[n] = '\0';
    char *r = rest;
    while (n && (is_space((unsigned char)*r) || *r == '-' || *r == '.'))
        r++, n--;
    while (n && (is_space((unsigned char)r[n - 1]) || r[n - 1] == '-' || r[n - 1] == '.'))
        n--;
    /* A slug ("document-control") reads as words. */
    if (n && !memchr(r, ' ', n))
        for (size_t i = 0; i < n; i++)
            if (r[i] == '-')
                r[i] = ' ';
    if (letters >= 3 && n)
        add_value(x, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, NULL, 0, r, n, loc);
}

/* ---- the document type, from ID prefixes and title words ---- */

static void add_type(struct ex *x, const char *canon, enum qms_meta_source src, const char *raw,
                     size_t raw_len, const char *label, struct qms_location loc)
{
    struct qms_meta_value *vals = x->fields[QMS_META_TYPE].items;
    for (size_t i = 0; i < x->fields[QMS_META_TYPE].len; i++)
        if (vals[i].source == src && !strcmp(vals[i].value, canon))
            return;
    struct qms_meta_value *v = qms_vec_push(x->a, &x->fields[QMS_META_TYPE]);
    if (!v || !(v->raw = qms_arena_strndup(x->a, raw, raw_len))) {
        x->rc = QMS_ENOMEM;
        return;
    }
    v->value = canon;
    v->source = src;
    v->label = label;
    v->loc = loc;
}

static void derive_types(struct ex *x)
{
    size_t n_ids = x->fields[QMS_META_ID].len;
    const struct qms_meta_value *ids = x->fields[QMS_META_ID].items;
    for (size_t i = 0; i < n_ids && !x->rc; i++) {
        const struct qms_meta_value *id = &ids[i];
        if (id->flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED))
            continue;
        size_t p = 0;
        while (id->value[p] >= 'A' && id->value[p] <= 'Z')
            p++;
        for (size_t j = 0; j < x->o->type_prefixes.n; j++) {
            const struct qms_meta_word *w = &x->o->type_prefixes.items[j];
            if (w->len == p && !memcmp(w->norm, id->value, p)) {
                add_type(x, w->canon, QMS_META_SRC_ID_PREFIX, id->value, p, id->value, id->loc);
                break;
            }
        }
    }
    size_t n_titles = x->fields[QMS_META_TITLE].len;
    const struct qms_meta_value *titles = x->fields[QMS_META_TITLE].items;
    for (size_t i = 0; i < n_titles && !x->rc; i++) {
        const struct qms_meta_value *t = &titles[i];
        if (t->source != QMS_META_SRC_TITLE_HEADING || (t->flags & QMS_META_PLACEHOLDER))
            continue;
        const struct qms_meta_word *w = find_word(&x->o->title_types, t->value, strlen(t->value), 1);
        if (w)
            add_type(x, w->canon, QMS_META_SRC_TITLE_HEADING, t->value, strlen(t->value), "title",
                     t->loc);
    }
}

/* ---- entry point ---- */

int qms_meta_extract(const struct qms_meta **out, const struct qms_doc *doc,
                     struct qms_arena *arena, const struct qms_meta_opts *opts,
                     struct qms_err *err)
{
    *out = NULL;
    if (!doc || !arena || !opts)
        return qms_err_set(err, QMS_EINTERNAL, "qms_meta_extract: missing document or options");
    struct ex x = {.doc = doc, .a = arena, .o = opts};
    for (int f = 0; f < QMS_META_N_FIELDS; f++)
        qms_vec_init(&x.fields[f], sizeof(struct qms_meta_value));
    qms_vec_init(&x.history, sizeof(struct qms_meta_history_row));
    qms_vec_init(&x.reg, sizeof(struct qms_meta_register_entry));
    struct qms_meta *m = qms_arena_alloc(arena, sizeof *m);
    if (!m)
        return qms_err_set(err, QMS_ENOMEM, "%s: out of memory building the metadata record",
                           doc->path ? doc->path : "?");
    m->history_table = -1;
    m->register_table = -1;

    extract_properties(&x);
    extract_fields(&x);

    /* Tables: find the revision history and registers, and the control tables near the top. */
    size_t n_tables = doc->n_tables;
    struct table_info *info = n_tables ? qms_arena_alloc(arena, n_tables * sizeof *info) : NULL;
    if (n_tables && !info)
        x.rc = QMS_ENOMEM;
    for (size_t t = 0; t < n_tables && info; t++)
        info[t].first_body = SIZE_MAX;
    size_t body = 0;
    for (size_t i = 0; i < doc->n_blocks && info; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if (!is_body(b))
            continue;
        if (b->kind == QMS_BLOCK_TABLE_CELL && b->table >= 0 && (size_t)b->table < n_tables &&
            info[b->table].first_body == SIZE_MAX)
            info[b->table].first_body = body;
        body++;
    }
    size_t grid_budget = GRID_BUDGET;
    for (size_t t = 0; t < n_tables && info && !x.rc; t++) {
        struct grid g;
        /* Only a table near the top can be a key/value control table and needs all rows;
         * elsewhere classify reads the header rows. */
        int near_top = info[t].first_body < opts->control_blocks;
        if (grid_build(&g, &doc->tables[t], near_top ? GRID_MAX_ROWS : GRID_CLASSIFY_ROWS,
                       near_top ? &grid_budget : NULL)) {
            x.rc = QMS_ENOMEM;
            break;
        }
        classify(&x, &g, &info[t]);
        if (info[t].role == ROLE_NONE && near_top)
            extract_kv_table(&x, &g);
        grid_free(&g);
    }

    extract_blocks(&x);
    extract_title(&x);
    for (size_t t = 0; t < n_tables && info && !x.rc; t++) {
        int history = info[t].role == ROLE_HISTORY && m->history_table < 0;
        if (!history && info[t].role != ROLE_REGISTER)
            continue;
        struct grid g;
        if (grid_build(&g, &doc->tables[t], GRID_MAX_ROWS, &grid_budget)) {
            x.rc = QMS_ENOMEM;
            break;
        }
        if (history) {
            extract_history(&x, m, &g, (int32_t)t, &info[t]);
        } else {
            if (m->register_table < 0)
                m->register_table = (int32_t)t;
            extract_register(&x, &g, &info[t]);
        }
        grid_free(&g);
    }
    extract_file_name(&x);
    derive_types(&x);

    if (x.rc)
        return qms_err_set(err, x.rc, "%s: out of memory building the metadata record",
                           doc->path ? doc->path : "?");
    for (int f = 0; f < QMS_META_N_FIELDS; f++) {
        m->fields[f].items = x.fields[f].items;
        m->fields[f].n = x.fields[f].len;
    }
    m->register_entries = x.reg.items;
    m->n_register_entries = x.reg.len;
    *out = m;
    return 0;
}
