/*
 * structure: the shape of a quality document.
 *
 *   structure/missing-section   required sections per document type (rules/document-types.yml)
 *   structure/empty-section     a heading with neither body nor subsections
 *   structure/heading-skip      a heading level jump of more than one (H2 -> H4)
 *   structure/placeholder-text  template text left in (rules/placeholders.yml)
 *
 * Built as a third party would build it: SDK headers only, everything through the host API.
 * init/fini run once on the main thread; check_doc only reads the state (compiled patterns
 * and normalized synonyms are shared read-only), so any number of documents may be checked
 * at once.
 */
#include <qmslint/meta.h>
#include <qmslint/plugin.h>
#include <qmslint/version.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"

#define RULE_MISSING "structure/missing-section"
#define RULE_EMPTY "structure/empty-section"
#define RULE_SKIP "structure/heading-skip"
#define RULE_PLACEHOLDER "structure/placeholder-text"

#define NORM_CAP 256        /* normalized heading / synonym bytes compared (prefix match) */
#define TITLE_CAP 512       /* normalized title bytes searched for type words */
#define QUOTE_CAP 60        /* bytes of document text quoted in a message */
#define ID_CAP 48
#define LABEL_CAP 60        /* longest paragraph / cell read as a section label */
#define FINDINGS_CAP 1000   /* findings per rule per document: bounds work on hostile input */

struct st_section {
    const char *name;       /* shown in messages (the pack's spelling) */
    char **synonyms;        /* normalized */
    size_t n_synonyms;
};

struct st_type {
    const char *name;       /* "procedure" */
    char **names;           /* normalized values of a `type:` property */
    size_t n_names;
    const char **prefixes;  /* as written in the pack ("QP-") */
    size_t n_prefixes;
    char **title_words;     /* normalized */
    const char **title_words_raw;
    size_t n_title_words;
    struct st_section *sections;
    size_t n_sections;
    int ignored;            /* missing-section.ignore_types */
    int fill_in;            /* its table cells are fill-in fields (forms): no placeholder-text */
};

struct st_pattern {
    const char *name;
    const char *description;
    const char *source;     /* the pattern as written */
    int caseless;
    struct qms_regex *re;
    int ignored;            /* placeholder-text.ignore_patterns */
};

struct st_state {
    const struct qms_host_api *api;
    struct st_type *types;
    size_t n_types;
    struct st_pattern *patterns;
    size_t n_patterns;
    struct pf_index prefilter; /* which patterns a block's literals allow (after init) */
    void **allocs;          /* everything malloc'd, freed in fini */
    size_t n_allocs, cap_allocs;
};

/* ------------------------------------------------------------------------------------------ */
/* Memory: every allocation of the state is recorded and freed at once in fini. */

static void *st_alloc(struct st_state *st, size_t size)
{
    if (st->n_allocs == st->cap_allocs) {
        size_t cap = st->cap_allocs ? st->cap_allocs * 2 : 64;
        void **grown = realloc(st->allocs, cap * sizeof *grown);
        if (!grown)
            return NULL;
        st->allocs = grown;
        st->cap_allocs = cap;
    }
    void *p = calloc(1, size ? size : 1);
    if (p)
        st->allocs[st->n_allocs++] = p;
    return p;
}

static void st_free(struct st_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n_patterns; i++)
        if (st->patterns[i].re && st->api)
            st->api->regex_free(st->patterns[i].re);
    pf_index_free(&st->prefilter);
    for (size_t i = 0; i < st->n_allocs; i++)
        free(st->allocs[i]);
    free(st->allocs);
    free(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Text helpers. Every input string is hostile: lengths are capped, output is bounded. */

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Base letters of U+00C0..U+00FF: accents fold away so "Procedure" matches "Procédure". */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y"};

/* Length of the valid UTF-8 sequence at s (at most `avail` bytes), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0)
        return 0;
    if (n == 3 && s[0] == 0xED && s[1] >= 0xA0)
        return 0;
    if (n == 4 && s[0] == 0xF0 && s[1] < 0x90)
        return 0;
    if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90)
        return 0;
    return n;
}

struct norm_out {
    char *buf;
    size_t cap, len;
    int pending_space;
};

static void norm_put(struct norm_out *o, const char *s, size_t n)
{
    if (o->pending_space && o->len > 0) {
        if (o->len + 1 >= o->cap)
            return;
        o->buf[o->len++] = ' ';
    }
    o->pending_space = 0;
    if (o->len + n >= o->cap)
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* Joining punctuation becomes the word "and", so "Purpose/Scope" reads "purpose and scope". */
static void norm_joiner(struct norm_out *o)
{
    o->pending_space = 1;
    norm_put(o, "and", 3);
    o->pending_space = 1;
}

/*
 * Normalizes s[0..len) into out (cap bytes with the NUL): ASCII and Latin-1 letters folded to
 * lower-case base letters, combining accents dropped, everything that is not a letter or digit
 * a single space, '/', '&', '+', ',' and ';' the word "and"; trimmed. Returns the length.
 */
static size_t norm_text(char *out, size_t cap, const char *s, size_t len)
{
    struct norm_out o = {out, cap, 0, 0};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && o.len + 8 < cap) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (is_alpha(c) || is_digit(c)) {
                char lc = (char)ascii_lower(c);
                norm_put(&o, &lc, 1);
            } else if (c == '/' || c == '&' || c == '+' || c == ',' || c == ';') {
                norm_joiner(&o);
            } else {
                o.pending_space = 1;
            }
            i++;
            continue;
        }
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0) {
            o.pending_space = 1;
            i++;
            continue;
        }
        if (n == 2 && c == 0xC3) {
            const char *f = latin1_fold[p[i + 1] - 0x80];
            if (f[0] == ' ')
                o.pending_space = 1;
            else
                norm_put(&o, f, strlen(f));
        } else if (n == 2 && c == 0xC5 && (p[i + 1] == 0x92 || p[i + 1] == 0x93)) {
            norm_put(&o, "oe", 2);
        } else if (n == 2 && c == 0xC2) {
            o.pending_space = 1; /* NBSP, guillemets, section sign, inverted marks */
        } else if (n == 2 && (c == 0xCC || (c == 0xCD && p[i + 1] <= 0xAF))) {
            /* combining diacritical mark: dropped */
        } else if (n == 3 && c == 0xE2 && (p[i + 1] == 0x80 || p[i + 1] == 0x81)) {
            o.pending_space = 1; /* general punctuation: dashes, quotes, bullets */
        } else {
            norm_put(&o, (const char *)p + i, n);
        }
        i += n;
    }
    out[o.len] = '\0';
    return o.len;
}

/* Bytes of leading section numbering ("1.", "4.2.1", "A)", "(b)", "IV.", "§ 3") in s. */
static size_t numbering_len(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_space((unsigned char)s[i]))
        i++;
    if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA7) {
        i += 2; /* § */
        while (i < len && is_space((unsigned char)s[i]))
            i++;
    }
    size_t start = i;
    if (i < len && is_digit((unsigned char)s[i])) {
        while (i < len && (is_digit((unsigned char)s[i]) || s[i] == '.'))
            i++;
        if (i < len && (s[i] == ')' || s[i] == ':' || s[i] == '-'))
            i++;
        return i;
    }
    if (i < len && s[i] == '(') {
        size_t j = i + 1;
        while (j < len && j - i <= 5 && (is_digit((unsigned char)s[j]) || is_alpha((unsigned char)s[j])))
            j++;
        if (j < len && s[j] == ')' && j > i + 1)
            return j + 1;
        return start;
    }
    /* "A)" "b." "IV." — a letter run of at most five, then ')' or '.', then a space */
    size_t j = i;
    while (j < len && j - i < 5 && is_alpha((unsigned char)s[j]))
        j++;
    if (j > i && j + 1 < len && (s[j] == ')' || s[j] == '.') && is_space((unsigned char)s[j + 1])) {
        int roman = 1;
        for (size_t k = i; k < j; k++)
            if (!strchr("ivxlcIVXLC", s[k]))
                roman = 0;
        if (j - i == 1 || roman)
            return j + 1;
    }
    return start;
}

/* A heading, normalized, with its numbering removed. */
static size_t norm_heading(char *out, size_t cap, const char *s, size_t len)
{
    size_t skip = numbering_len(s, len);
    return norm_text(out, cap, s + skip, len - skip);
}

static int is_joiner(const char *w, size_t n)
{
    static const char *const joiners[] = {"and", "und", "y", "e", "et", "sowie", "or", "oder", "o", "ou"};
    for (size_t i = 0; i < sizeof joiners / sizeof joiners[0]; i++)
        if (strlen(joiners[i]) == n && memcmp(joiners[i], w, n) == 0)
            return 1;
    return 0;
}

/* 1 when normalized heading h starts with normalized synonym syn, or has it right after a
   joining word ("purpose and scope" has "scope"). Whole words only. */
static int heading_has(const char *h, const char *syn)
{
    size_t n = strlen(syn);
    if (n == 0)
        return 0;
    const char *word = h;
    int may_start = 1;
    while (*word) {
        const char *end = strchr(word, ' ');
        size_t wlen = end ? (size_t)(end - word) : strlen(word);
        if (may_start && strncmp(word, syn, n) == 0 && (word[n] == '\0' || word[n] == ' '))
            return 1;
        may_start = is_joiner(word, wlen);
        if (!end)
            break;
        word = end + 1;
    }
    return 0;
}

/* 1 when normalized word(s) w occur as whole words in normalized text t. */
static int text_has_words(const char *t, const char *w)
{
    size_t n = strlen(w);
    if (n == 0)
        return 0;
    for (const char *p = t; (p = strstr(p, w)) != NULL; p++)
        if ((p == t || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

/*
 * Copies hostile text for a message: at most `max` bytes of it, control characters and
 * invalid UTF-8 as spaces / '?', cut on a character boundary, "..." when cut.
 */
static void quote_text(char *out, size_t cap, const char *s, size_t len, size_t max)
{
    size_t o = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    if (cap == 0)
        return;
    if (max + 4 > cap)
        max = cap > 4 ? cap - 4 : 0;
    while (len > 0 && is_space(p[len - 1]))
        len--;
    while (i < len && is_space(p[i]))
        i++;
    while (i < len && p[i] && o < max) {
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0) {
            out[o++] = '?';
            i++;
        } else if (n == 1) {
            out[o++] = (p[i] < 0x20 || p[i] == 0x7F) ? ' ' : (char)p[i];
            i++;
        } else {
            if (o + n > max)
                break;
            memcpy(out + o, p + i, n);
            o += n;
            i += n;
        }
    }
    if (i < len && p[i] && o + 3 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Findings */

struct st_ctx {
    const struct st_state *st;
    const struct qms_host_api *api;
    struct qms_host *host;
    const struct qms_doc *doc;
    const struct doc_type *dt; /* the document's type, found once */
    int failed;
};

static int rule_on(const struct st_ctx *c, const char *rule)
{
    if (!c->api->rule_severity)
        return 1;
    return c->api->rule_severity(c->host, rule) != QMS_SEV_OFF;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void st_report(struct st_ctx *c, const char *rule, struct qms_location loc, const char *key,
                      const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    struct qms_finding_desc f;
    memset(&f, 0, sizeof f);
    f.rule_id = rule;
    f.severity = QMS_SEV_OFF;
    f.message = message;
    f.path = NULL;
    f.loc = loc;
    f.key = key;
    if (c->api->report(c->host, &f) < 0)
        c->failed = 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Document type */

static const struct qms_property *find_property(const struct qms_doc *doc, const char *const *names)
{
    for (size_t n = 0; names[n]; n++)
        for (size_t i = 0; i < doc->n_properties; i++) {
            const struct qms_property *p = &doc->properties[i];
            if (p->name && p->value && p->value[0] && ascii_ieq(p->name, names[n]))
                return p;
        }
    return NULL;
}

/* Length of an ID with `prefix` at the start of s ("QP-" matches "QP-7.5-01", "qp_03",
   "QP 3"): the prefix letters, an optional separator, then digits with '.', '-', '_' between
   digit groups. 0 when s does not start with such an ID. */
static size_t id_match(const char *s, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);
    while (plen > 0 && strchr("-_. ", prefix[plen - 1]))
        plen--;
    if (plen == 0 || plen > len)
        return 0;
    for (size_t i = 0; i < plen; i++)
        if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)prefix[i]))
            return 0;
    size_t i = plen;
    if (i < len && strchr("-_. ", s[i]) && s[i] != '\0')
        i++;
    if (i >= len || !is_digit((unsigned char)s[i]))
        return 0;
    while (i < len && is_digit((unsigned char)s[i]))
        i++;
    while (i + 1 < len && strchr(".-_", s[i]) && s[i] != '\0' && is_digit((unsigned char)s[i + 1])) {
        i++;
        while (i < len && is_digit((unsigned char)s[i]))
            i++;
    }
    return i;
}

/* The type whose longest prefix starts s; its ID's length in *out_len. */
static const struct st_type *type_by_prefix(const struct st_state *st, const char *s, size_t len,
                                            const char **out_prefix, size_t *out_len)
{
    const struct st_type *best = NULL;
    size_t best_plen = 0;
    while (len > 0 && is_space((unsigned char)*s)) {
        s++;
        len--;
    }
    for (size_t t = 0; t < st->n_types; t++)
        for (size_t p = 0; p < st->types[t].n_prefixes; p++) {
            const char *prefix = st->types[t].prefixes[p];
            size_t idlen = id_match(s, len, prefix);
            if (idlen && strlen(prefix) > best_plen) {
                best = &st->types[t];
                best_plen = strlen(prefix);
                *out_prefix = prefix;
                *out_len = idlen;
            }
        }
    return best;
}

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

static const struct qms_block *first_title(const struct qms_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if ((b->kind == QMS_BLOCK_TITLE || b->kind == QMS_BLOCK_HEADING) &&
            !(b->flags & QMS_BLOCK_FRONT_MATTER))
            return b;
    }
    return NULL;
}

/* A value the document declares about itself (not one the extractor derived from the file
   name, the title or an ID prefix: those the plugin weighs itself, with its own pack). */
static int meta_declared(const struct qms_meta_value *v)
{
    return v->value && v->value[0] && !(v->flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED)) &&
           v->source != QMS_META_SRC_FILE_NAME && v->source != QMS_META_SRC_TITLE_HEADING &&
           v->source != QMS_META_SRC_ID_PREFIX;
}

static const struct qms_meta_value *meta_first_declared(const struct qms_doc *doc,
                                                        enum qms_meta_field field)
{
    if (!doc->meta)
        return NULL;
    const struct qms_meta_values *vs = &doc->meta->fields[field];
    for (size_t i = 0; i < vs->n; i++)
        if (meta_declared(&vs->items[i]))
            return &vs->items[i];
    return NULL;
}

static const struct st_type *type_by_name(const struct st_state *st, const char *value)
{
    char v[NORM_CAP];
    norm_text(v, sizeof v, value, strnlen(value, 4096));
    for (size_t t = 0; t < st->n_types; t++)
        for (size_t n = 0; n < st->types[t].n_names; n++)
            if (strcmp(v, st->types[t].names[n]) == 0)
                return &st->types[t];
    return NULL;
}

struct doc_type {
    const struct st_type *type;
    char how[160];          /* "ID prefix QP-" */
    char subject[ID_CAP + 8]; /* "QP-03", or the file name */
};

static void find_type(const struct st_state *st, const struct qms_doc *doc, struct doc_type *out)
{
    static const char *const type_props[] = {"type", "document_type", "doc_type", "document-type",
                                             "documenttype", "document type", NULL};
    static const char *const id_props[] = {"id", "doc_id", "document_id", "document_number",
                                           "document-id", "doc_no", "document_no", NULL};
    const struct qms_property *tprop = find_property(doc, type_props);
    const struct qms_property *idprop = find_property(doc, id_props);
    const struct qms_meta_value *meta_type = meta_first_declared(doc, QMS_META_TYPE);
    const struct qms_meta_value *meta_id = meta_first_declared(doc, QMS_META_ID);
    const char *path = doc->path ? doc->path : "";
    const char *base = base_name(path);
    const struct qms_block *title = first_title(doc);
    const char *prefix = NULL;
    size_t idlen = 0;
    char q[QUOTE_CAP + 8];

    memset(out, 0, sizeof *out);

    /* the subject: the ID as written, else the file name */
    const char *id_sources[4] = {idprop ? idprop->value : NULL, meta_id ? meta_id->value : NULL,
                                 base, title ? title->text : NULL};
    const struct st_type *by_prefix = NULL;
    for (int s = 0; s < 4 && !by_prefix; s++) {
        if (!id_sources[s])
            continue;
        const char *text = id_sources[s];
        size_t tlen = strnlen(text, 4096);
        by_prefix = type_by_prefix(st, text, tlen, &prefix, &idlen);
        if (by_prefix) {
            while (is_space((unsigned char)*text))
                text++;
            quote_text(out->subject, sizeof out->subject, text, idlen, ID_CAP);
        }
    }
    if (!out->subject[0]) {
        if (idprop)
            quote_text(out->subject, sizeof out->subject, idprop->value, strlen(idprop->value), ID_CAP);
        else if (meta_id)
            quote_text(out->subject, sizeof out->subject, meta_id->value, strlen(meta_id->value), ID_CAP);
        else
            quote_text(out->subject, sizeof out->subject, base, strlen(base), ID_CAP);
    }

    if (tprop) {
        out->type = type_by_name(st, tprop->value);
        /* A declared type we do not know is a decision, not a guess to override. */
        quote_text(q, sizeof q, tprop->value, strlen(tprop->value), 40);
        char pname[48];
        quote_text(pname, sizeof pname, tprop->name, strlen(tprop->name), 32);
        snprintf(out->how, sizeof out->how, "property '%s: %s'", pname, q);
        return;
    }
    if (meta_type) { /* "Document type: Procedure" in a control table, a header, a field ... */
        out->type = type_by_name(st, meta_type->value);
        const char *raw = meta_type->raw ? meta_type->raw : meta_type->value;
        char label[48];
        quote_text(q, sizeof q, raw, strlen(raw), 40);
        quote_text(label, sizeof label, meta_type->label ? meta_type->label : "type",
                   strlen(meta_type->label ? meta_type->label : "type"), 32);
        snprintf(out->how, sizeof out->how, "%s '%s: %s'", qms_meta_source_name(meta_type->source),
                 label, q);
        return;
    }
    if (by_prefix) {
        out->type = by_prefix;
        quote_text(q, sizeof q, prefix, strlen(prefix), 16);
        snprintf(out->how, sizeof out->how, "ID prefix %s", q);
        return;
    }
    /* Title words only in a real title: a numbered level-3 heading that mentions "procedure"
       is not the title of a procedure. */
    if (title && (title->kind == QMS_BLOCK_TITLE || title->level <= 1)) {
        char t[TITLE_CAP];
        size_t best_len = 0;
        norm_text(t, sizeof t, title->text, title->text_len);
        for (size_t i = 0; i < st->n_types; i++)
            for (size_t w = 0; w < st->types[i].n_title_words; w++) {
                size_t wl = strlen(st->types[i].title_words[w]);
                if (wl > best_len && text_has_words(t, st->types[i].title_words[w])) {
                    best_len = wl;
                    out->type = &st->types[i];
                    quote_text(q, sizeof q, st->types[i].title_words_raw[w],
                               strlen(st->types[i].title_words_raw[w]), 40);
                    snprintf(out->how, sizeof out->how, "title word '%s'", q);
                }
            }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* structure/missing-section */

static int out_of_flow(const struct qms_block *b);

static int heading_counts(const struct qms_block *b)
{
    return b->kind == QMS_BLOCK_HEADING && !(b->flags & QMS_BLOCK_FRONT_MATTER);
}

/*
 * Documents written without heading styles mark sections with a short paragraph ("1. PURPOSE"),
 * a label ("Scope: all sites") or the first column of a layout table. Such a block provides a
 * section only when its label, normalized, is exactly a synonym. Writes the label into out.
 */
static int label_text(const struct qms_block *b, char *out, size_t cap)
{
    if (b->kind != QMS_BLOCK_PARAGRAPH && !(b->kind == QMS_BLOCK_TABLE_CELL && b->col == 0))
        return 0;
    if (b->flags & QMS_BLOCK_FRONT_MATTER)
        return 0;
    size_t len = b->text_len;
    const char *colon = memchr(b->text, ':', len < LABEL_CAP ? len : LABEL_CAP);
    if (colon)
        len = (size_t)(colon - b->text);
    else if (len > LABEL_CAP)
        return 0;
    return norm_heading(out, cap, b->text, len) > 0;
}

static void check_missing_section(struct st_ctx *c)
{
    const struct qms_doc *doc = c->doc;
    const struct doc_type dt = *c->dt;
    if (!dt.type || dt.type->ignored || dt.type->n_sections == 0)
        return;

    unsigned char *found = calloc(dt.type->n_sections, 1);
    if (!found) {
        c->failed = 1;
        return;
    }

    /* The first heading is the document's title when it is alone at the top level. */
    size_t first = (size_t)-1, n_top = 0;
    uint32_t top = UINT32_MAX;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if (!heading_counts(b))
            continue;
        if (first == (size_t)-1)
            first = i;
        if (b->level < top) {
            top = b->level;
            n_top = 1;
        } else if (b->level == top) {
            n_top++;
        }
    }
    size_t title_index = (first != (size_t)-1 && doc->blocks[first].level == top && n_top == 1)
                             ? first : (size_t)-1;

    char h[NORM_CAP];
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        int exact = 0;
        if (heading_counts(b)) {
            if (i == title_index)
                continue;
            norm_heading(h, sizeof h, b->text, b->text_len);
        } else if (label_text(b, h, sizeof h)) {
            exact = 1;
        } else {
            continue;
        }
        for (size_t s = 0; s < dt.type->n_sections; s++) {
            const struct st_section *sec = &dt.type->sections[s];
            for (size_t y = 0; !found[s] && y < sec->n_synonyms; y++)
                if (exact ? h[0] == sec->synonyms[y][0] && strcmp(h, sec->synonyms[y]) == 0
                          : heading_has(h, sec->synonyms[y]))
                    found[s] = 1;
        }
    }

    /* The document's first block in the reading flow (not an ODT page header in styles.xml). */
    struct qms_location loc;
    memset(&loc, 0, sizeof loc);
    const struct qms_block *first_block = NULL;
    for (size_t i = 0; i < doc->n_blocks && !first_block; i++)
        if (!out_of_flow(&doc->blocks[i]))
            first_block = &doc->blocks[i];
    if (first_block) {
        loc.part = first_block->loc.part;
        loc.block = first_block->loc.block;
    }
    if (doc->format == QMS_FORMAT_MARKDOWN || loc.part == NULL) {
        loc.line = 1;
        loc.column = 1;
    }
    for (size_t s = 0; s < dt.type->n_sections; s++) {
        if (found[s])
            continue;
        char key[160];
        snprintf(key, sizeof key, "%s:%s", dt.type->name, dt.type->sections[s].name);
        st_report(c, RULE_MISSING, loc, key, "%s %s has no '%s' section (type from %s)",
                  dt.type->name, dt.subject, dt.type->sections[s].name, dt.how);
    }
    free(found);
}

/* ------------------------------------------------------------------------------------------ */
/* structure/empty-section and structure/heading-skip */

static int same_part(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* -1, 0, 1 as a is before, at, after b in the same part (line:column, else block ordinal). */
static int loc_cmp(const struct qms_location *a, const struct qms_location *b)
{
    if (a->line && b->line) {
        if (a->line != b->line)
            return a->line < b->line ? -1 : 1;
        if (a->column != b->column)
            return a->column < b->column ? -1 : 1;
        return 0;
    }
    if (a->block != b->block)
        return a->block < b->block ? -1 : 1;
    return 0;
}

/* 1 when loc lies after `from` and before `to` (to NULL: the end of the document). */
static int loc_between(const struct qms_location *loc, const struct qms_location *from,
                       const struct qms_location *to)
{
    if (!same_part(loc->part, from->part) || loc_cmp(loc, from) <= 0)
        return 0;
    return !to || !same_part(to->part, from->part) || loc_cmp(loc, to) < 0;
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Blocks outside the reading flow (page headers, reviewer comments ...) say nothing about
   whether a section has content. */
static int out_of_flow(const struct qms_block *b)
{
    return b->kind == QMS_BLOCK_HEADER || b->kind == QMS_BLOCK_FOOTER ||
           b->kind == QMS_BLOCK_COMMENT || b->kind == QMS_BLOCK_NOTE ||
           b->kind == QMS_BLOCK_MARKUP_COMMENT || (b->flags & QMS_BLOCK_FRONT_MATTER);
}

static int flow_heading(const struct qms_block *b)
{
    return b->kind == QMS_BLOCK_HEADING && !(b->flags & (QMS_BLOCK_FRONT_MATTER | QMS_BLOCK_IN_TABLE));
}

#define RESCUE_BUDGET (4u << 20) /* table / image location checks per document */

static void check_empty_sections(struct st_ctx *c)
{
    const struct qms_doc *doc = c->doc;
    size_t reported = 0;
    size_t rescue_budget = RESCUE_BUDGET;
    for (size_t i = 0; i < doc->n_blocks && reported < FINDINGS_CAP; i++) {
        const struct qms_block *h = &doc->blocks[i];
        if (!flow_heading(h))
            continue;
        int content = 0;
        const struct qms_block *end = NULL;
        for (size_t j = i + 1; j < doc->n_blocks; j++) {
            const struct qms_block *b = &doc->blocks[j];
            if (flow_heading(b)) {
                if (b->level > h->level)
                    content = 1; /* a subsection */
                else
                    end = b;
                break;
            }
            if (b->kind == QMS_BLOCK_TITLE) {
                end = b;
                break;
            }
            if (out_of_flow(b))
                continue;
            if (b->kind == QMS_BLOCK_TABLE_CELL || !is_blank(b->text, b->text_len)) {
                content = 1;
                break;
            }
        }
        /* A table or an image the reader kept outside the blocks is content too. Each
         * candidate scans every table and image: with 100,000 headings each followed by an
         * image that is quadratic, so the scans share a budget, and a section still
         * unresolved when it runs out is taken as having content (no finding rather than a
         * false one). */
        for (size_t t = 0; !content && t < doc->n_tables; t++) {
            if (rescue_budget == 0) {
                content = 1;
                break;
            }
            rescue_budget--;
            if (loc_between(&doc->tables[t].loc, &h->loc, end ? &end->loc : NULL))
                content = 1;
        }
        for (size_t l = 0; !content && l < doc->n_links; l++) {
            if (rescue_budget == 0) {
                content = 1;
                break;
            }
            rescue_budget--;
            if (doc->links[l].kind == QMS_LINK_IMAGE &&
                loc_between(&doc->links[l].loc, &h->loc, end ? &end->loc : NULL))
                content = 1;
        }
        if (content)
            continue;
        char q[QUOTE_CAP + 8];
        quote_text(q, sizeof q, h->text, h->text_len, QUOTE_CAP);
        st_report(c, RULE_EMPTY, h->loc, q, "section '%s' is empty", q);
        reported++;
    }
}

static void check_heading_skips(struct st_ctx *c)
{
    const struct qms_doc *doc = c->doc;
    uint32_t prev = 0;
    size_t reported = 0;
    for (size_t i = 0; i < doc->n_blocks && reported < FINDINGS_CAP; i++) {
        const struct qms_block *h = &doc->blocks[i];
        if (!flow_heading(h))
            continue;
        if (prev && h->level > prev + 1) {
            char q[QUOTE_CAP + 8];
            quote_text(q, sizeof q, h->text, h->text_len, QUOTE_CAP);
            st_report(c, RULE_SKIP, h->loc, q, "heading level jumps from %u to %u",
                      (unsigned)prev, (unsigned)h->level);
            reported++;
        }
        prev = h->level;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* structure/placeholder-text */

static int placeholder_block(const struct qms_block *b)
{
    return b->kind != QMS_BLOCK_CODE && b->kind != QMS_BLOCK_MARKUP_COMMENT &&
           b->kind != QMS_BLOCK_COMMENT && !(b->flags & QMS_BLOCK_FRONT_MATTER);
}

/* prop: the property whose value `text` is, NULL for a block's text. may: n_patterns bytes
   of scratch space for the prefilter. */
static void find_placeholders(struct st_ctx *c, const char *text, size_t len, struct qms_location loc,
                              const struct qms_property *prop, size_t *reported, unsigned char *may)
{
    const struct st_state *st = c->st;
    pf_index_scan(&st->prefilter, text, len, may);
    for (size_t p = 0; p < st->n_patterns && *reported < FINDINGS_CAP; p++) {
        const struct st_pattern *pat = &st->patterns[p];
        size_t ms = 0, me = 0;
        if (pat->ignored || !pat->re || !may[p])
            continue;
        int rc = c->api->regex_match(pat->re, text, len, 0, &ms, &me);
        if (rc <= 0 || me < ms || me > len)
            continue; /* no match, or the matcher gave up (match limit) on this text */
        char q[QUOTE_CAP + 8], where[64] = "text";
        quote_text(q, sizeof q, text + ms, me - ms, QUOTE_CAP);
        if (prop) {
            char name[40];
            quote_text(name, sizeof name, prop->name ? prop->name : "",
                       prop->name ? strlen(prop->name) : 0, 32);
            snprintf(where, sizeof where, "property '%s'", name);
        }
        st_report(c, RULE_PLACEHOLDER, loc, pat->name, "placeholder '%s' left in %s (%s)", q, where,
                  pat->description);
        (*reported)++;
    }
}

static void check_placeholders(struct st_ctx *c)
{
    const struct qms_doc *doc = c->doc;
    size_t reported = 0;
    unsigned char may_small[64];
    unsigned char *may = may_small;
    if (c->st->n_patterns > sizeof may_small) {
        may = malloc(c->st->n_patterns);
        if (!may) {
            c->failed = 1;
            return;
        }
    }
    /* The cells of a form or a template are where the user writes: "DD/MM/YYYY" belongs there. */
    int fill_in = (c->dt->type && c->dt->type->fill_in) || (doc->flags & QMS_DOC_TEMPLATE);
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        if (fill_in && b->kind == QMS_BLOCK_TABLE_CELL)
            continue;
        if (placeholder_block(b) && b->text_len > 0)
            find_placeholders(c, b->text, b->text_len, b->loc, NULL, &reported, may);
    }
    for (size_t i = 0; i < doc->n_properties; i++) {
        const struct qms_property *p = &doc->properties[i];
        if (p->source == QMS_PROP_APP || !p->value || !p->value[0])
            continue;
        find_placeholders(c, p->value, strlen(p->value), p->loc, p, &reported, may);
    }
    if (may != may_small)
        free(may);
}

/* ------------------------------------------------------------------------------------------ */
/* init: rule packs and options */

static int scalar_is(const struct qms_node *n) { return n && n->kind == QMS_NODE_SCALAR && n->scalar; }

static const struct qms_node *map_get(const struct qms_node *map, const char *key)
{
    if (!map || map->kind != QMS_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n_items; i++)
        if (map->keys[i] && strcmp(map->keys[i], key) == 0)
            return &map->items[i];
    return NULL;
}

/* Checks every key of map is one of `known` (NULL-terminated). */
static int check_keys(const struct qms_host_api *api, struct qms_host *host, const struct qms_node *map,
                      const char *what, const char *const *known)
{
    for (size_t i = 0; i < map->n_items; i++) {
        int ok = 0;
        for (size_t k = 0; known[k] && !ok; k++)
            ok = map->keys[i] && strcmp(map->keys[i], known[k]) == 0;
        if (!ok) {
            char q[48];
            quote_text(q, sizeof q, map->keys[i] ? map->keys[i] : "", map->keys[i] ? strlen(map->keys[i]) : 0, 40);
            api->node_error(host, &map->items[i], "unknown key '%s' in %s", q, what);
            return -1;
        }
    }
    return 0;
}

static int parse_bool(const struct qms_node *n, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    if (!scalar_is(n))
        return -1;
    for (size_t i = 0; i < 4; i++) {
        if (ascii_ieq(n->scalar, yes[i])) {
            *out = 1;
            return 0;
        }
        if (ascii_ieq(n->scalar, no[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/*
 * A list of strings: a sequence of scalars, or one scalar. Normalized copies in *out_norm
 * (when out_norm != NULL), the scalars as written in *out_raw (when out_raw != NULL).
 */
static int string_list(struct st_state *st, struct qms_host *host, const struct qms_node *n,
                       const char *what, char ***out_norm, const char ***out_raw, size_t *out_n)
{
    const struct qms_host_api *api = st->api;
    const struct qms_node *items = n;
    size_t count = 1;
    if (n->kind == QMS_NODE_SEQ) {
        items = n->items;
        count = n->n_items;
    } else if (!scalar_is(n)) {
        api->node_error(host, n, "%s must be a list of strings", what);
        return -1;
    }
    char **norm = out_norm ? st_alloc(st, (count + 1) * sizeof *norm) : NULL;
    const char **raw = out_raw ? st_alloc(st, (count + 1) * sizeof *raw) : NULL;
    if ((out_norm && !norm) || (out_raw && !raw)) {
        api->node_error(host, n, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const struct qms_node *item = &items[i];
        if (!scalar_is(item) || !item->scalar[0]) {
            api->node_error(host, item, "%s: each item must be a non-empty string", what);
            return -1;
        }
        if (raw)
            raw[i] = item->scalar;
        if (norm) {
            char buf[NORM_CAP];
            size_t len = norm_text(buf, sizeof buf, item->scalar, strlen(item->scalar));
            if (len == 0) {
                api->node_error(host, item, "%s: '%s' has no letters or digits", what, item->scalar);
                return -1;
            }
            norm[i] = st_alloc(st, len + 1);
            if (!norm[i]) {
                api->node_error(host, item, "out of memory");
                return -1;
            }
            memcpy(norm[i], buf, len + 1);
        }
    }
    if (out_norm)
        *out_norm = norm;
    if (out_raw)
        *out_raw = raw;
    *out_n = count;
    return 0;
}

static int load_section(struct st_state *st, struct qms_host *host, const struct qms_node *n,
                        struct st_section *out)
{
    static const char *const keys[] = {"name", "synonyms", NULL};
    if (scalar_is(n)) { /* "- Scope": the name is its only synonym */
        out->name = n->scalar;
        return string_list(st, host, n, "section", &out->synonyms, NULL, &out->n_synonyms);
    }
    if (n->kind != QMS_NODE_MAP) {
        st->api->node_error(host, n, "a section must be a name or a map with name and synonyms");
        return -1;
    }
    if (check_keys(st->api, host, n, "a section", keys) < 0)
        return -1;
    const struct qms_node *name = map_get(n, "name");
    const struct qms_node *syn = map_get(n, "synonyms");
    if (!scalar_is(name) || !name->scalar[0]) {
        st->api->node_error(host, n, "a section needs a name");
        return -1;
    }
    out->name = name->scalar;
    return string_list(st, host, syn ? syn : name, "synonyms", &out->synonyms, NULL, &out->n_synonyms);
}

static int load_type(struct st_state *st, struct qms_host *host, const struct qms_node *n,
                     struct st_type *out)
{
    static const char *const keys[] = {"name", "names", "id_prefixes", "title_words", "sections",
                                       "fill_in", NULL};
    const struct qms_host_api *api = st->api;
    if (n->kind != QMS_NODE_MAP) {
        api->node_error(host, n, "a document type must be a map");
        return -1;
    }
    if (check_keys(api, host, n, "a document type", keys) < 0)
        return -1;
    const struct qms_node *name = map_get(n, "name");
    const struct qms_node *names = map_get(n, "names");
    const struct qms_node *prefixes = map_get(n, "id_prefixes");
    const struct qms_node *words = map_get(n, "title_words");
    const struct qms_node *sections = map_get(n, "sections");
    if (!scalar_is(name) || !name->scalar[0]) {
        api->node_error(host, n, "a document type needs a name");
        return -1;
    }
    out->name = name->scalar;
    if (string_list(st, host, names ? names : name, "names", &out->names, NULL, &out->n_names) < 0)
        return -1;
    const struct qms_node *fill_in = map_get(n, "fill_in");
    if (fill_in && parse_bool(fill_in, &out->fill_in) < 0) {
        api->node_error(host, fill_in, "'fill_in' must be true or false");
        return -1;
    }
    if (prefixes) {
        if (string_list(st, host, prefixes, "id_prefixes", NULL, &out->prefixes, &out->n_prefixes) < 0)
            return -1;
        for (size_t i = 0; i < out->n_prefixes; i++) {
            const char *p = out->prefixes[i];
            size_t letters = 0;
            while (is_alpha((unsigned char)p[letters]))
                letters++;
            if (letters == 0 || (p[letters] && (!strchr("-_. ", p[letters]) || p[letters + 1]))) {
                api->node_error(host, prefixes->kind == QMS_NODE_SEQ ? &prefixes->items[i] : prefixes,
                                "id prefix '%s' must be letters with an optional trailing '-', '_' or '.'", p);
                return -1;
            }
        }
    }
    if (words && string_list(st, host, words, "title_words", &out->title_words, &out->title_words_raw,
                             &out->n_title_words) < 0)
        return -1;
    if (!sections || sections->kind != QMS_NODE_SEQ) {
        api->node_error(host, sections ? sections : n, "document type '%s' needs a list of sections",
                        out->name);
        return -1;
    }
    out->n_sections = sections->n_items;
    out->sections = st_alloc(st, (out->n_sections + 1) * sizeof *out->sections);
    if (!out->sections) {
        api->node_error(host, n, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < sections->n_items; i++)
        if (load_section(st, host, &sections->items[i], &out->sections[i]) < 0)
            return -1;
    return 0;
}

static int load_types(struct st_state *st, struct qms_host *host, const struct qms_node *pack)
{
    static const char *const keys[] = {"version", "types", NULL};
    const struct qms_host_api *api = st->api;
    if (!pack || pack->kind != QMS_NODE_MAP) {
        if (pack)
            api->node_error(host, pack, "document-types.yml must be a map with 'types'");
        else
            api->log(host, 1, "structure: document-types.yml is empty");
        return -1;
    }
    if (check_keys(api, host, pack, "document-types.yml", keys) < 0)
        return -1;
    const struct qms_node *types = map_get(pack, "types");
    if (!types || types->kind != QMS_NODE_SEQ) {
        api->node_error(host, types ? types : pack, "'types' must be a list of document types");
        return -1;
    }
    st->types = st_alloc(st, (types->n_items + 1) * sizeof *st->types);
    if (!st->types)
        return -1;
    st->n_types = types->n_items;
    for (size_t i = 0; i < types->n_items; i++)
        if (load_type(st, host, &types->items[i], &st->types[i]) < 0)
            return -1;
    return 0;
}

/* Appends patterns from a sequence (the pack's `patterns` or the option `extra_patterns`). */
static int load_patterns(struct st_state *st, struct qms_host *host, const struct qms_node *seq,
                         const char *what)
{
    static const char *const keys[] = {"name", "description", "pattern", "caseless", NULL};
    const struct qms_host_api *api = st->api;
    if (seq->kind != QMS_NODE_SEQ) {
        api->node_error(host, seq, "%s must be a list of patterns", what);
        return -1;
    }
    struct st_pattern *all = st_alloc(st, (st->n_patterns + seq->n_items + 1) * sizeof *all);
    if (!all)
        return -1;
    if (st->n_patterns)
        memcpy(all, st->patterns, st->n_patterns * sizeof *all);
    st->patterns = all;
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct qms_node *n = &seq->items[i];
        struct st_pattern *p = &st->patterns[st->n_patterns];
        const struct qms_node *pattern = n, *name = n, *desc = NULL, *caseless = NULL;
        int icase = 0;
        if (n->kind == QMS_NODE_MAP) {
            if (check_keys(api, host, n, what, keys) < 0)
                return -1;
            pattern = map_get(n, "pattern");
            name = map_get(n, "name");
            desc = map_get(n, "description");
            caseless = map_get(n, "caseless");
            if (!name)
                name = pattern;
        }
        if (!scalar_is(pattern) || !pattern->scalar[0]) {
            api->node_error(host, n, "%s: each pattern needs a non-empty 'pattern'", what);
            return -1;
        }
        if (!scalar_is(name) || (desc && !scalar_is(desc))) {
            api->node_error(host, n, "%s: 'name' and 'description' must be strings", what);
            return -1;
        }
        if (caseless && parse_bool(caseless, &icase) < 0) {
            api->node_error(host, caseless, "'caseless' must be true or false");
            return -1;
        }
        char err[256] = "";
        p->re = api->regex_compile(pattern->scalar, icase, err, sizeof err);
        if (!p->re) {
            api->node_error(host, pattern, "bad pattern '%s': %s", name->scalar, err);
            return -1;
        }
        p->name = name->scalar;
        p->description = desc ? desc->scalar : "template text";
        p->source = pattern->scalar;
        p->caseless = icase;
        st->n_patterns++;
    }
    return 0;
}

static int load_placeholders(struct st_state *st, struct qms_host *host, const struct qms_node *pack)
{
    static const char *const keys[] = {"version", "patterns", NULL};
    const struct qms_host_api *api = st->api;
    if (!pack || pack->kind != QMS_NODE_MAP) {
        if (pack)
            api->node_error(host, pack, "placeholders.yml must be a map with 'patterns'");
        else
            api->log(host, 1, "structure: placeholders.yml is empty");
        return -1;
    }
    if (check_keys(api, host, pack, "placeholders.yml", keys) < 0)
        return -1;
    const struct qms_node *patterns = map_get(pack, "patterns");
    if (!patterns) {
        api->node_error(host, pack, "placeholders.yml needs 'patterns'");
        return -1;
    }
    return load_patterns(st, host, patterns, "placeholders.yml patterns");
}

/* The options map of a rule: "rules: {id: {options}}" or "rules: {id: {options: {...}}}". */
static const struct qms_node *rule_opts(const struct qms_host_api *api, struct qms_host *host,
                                        const char *rule_id, const char *short_name)
{
    const struct qms_node *n = api->rule_options ? api->rule_options(host, rule_id) : NULL;
    if (!n && api->plugin_options) {
        const struct qms_node *p = api->plugin_options(host);
        n = map_get(p, short_name);
        if (!n && strcmp(short_name, "placeholder-text") == 0)
            n = map_get(p, "placeholders");
    }
    if (n && n->kind == QMS_NODE_MAP) {
        const struct qms_node *inner = map_get(n, "options");
        if (inner)
            return inner;
    }
    return n;
}

static int apply_options(struct st_state *st, struct qms_host *host)
{
    const struct qms_host_api *api = st->api;
    static const char *const missing_keys[] = {"ignore_types", "document_types", "severity",
                                               "enabled", NULL};
    static const char *const placeholder_keys[] = {"extra_patterns", "ignore_patterns", "severity",
                                                   "enabled", NULL};
    static const char *const plain_keys[] = {"severity", "enabled", NULL};
    static const char *const plugin_keys[] = {"missing-section", "empty-section", "heading-skip",
                                              "placeholder-text", "placeholders", "enabled", NULL};

    const struct qms_node *plugin = api->plugin_options ? api->plugin_options(host) : NULL;
    if (plugin && plugin->kind == QMS_NODE_MAP && check_keys(api, host, plugin, "plugin structure", plugin_keys) < 0)
        return -1;

    const struct qms_node *o = rule_opts(api, host, RULE_MISSING, "missing-section");
    if (o) {
        if (o->kind != QMS_NODE_MAP) {
            if (!scalar_is(o)) { /* a bare severity is handled by the host */
                api->node_error(host, o, "options of %s must be a map", RULE_MISSING);
                return -1;
            }
        } else {
            if (check_keys(api, host, o, RULE_MISSING " options", missing_keys) < 0)
                return -1;
            const struct qms_node *ig = map_get(o, "ignore_types");
            char **names = NULL;
            size_t n = 0;
            if (ig && string_list(st, host, ig, "ignore_types", &names, NULL, &n) < 0)
                return -1;
            for (size_t i = 0; i < n; i++) {
                int known = 0;
                for (size_t t = 0; t < st->n_types; t++)
                    for (size_t k = 0; k < st->types[t].n_names; k++)
                        if (strcmp(names[i], st->types[t].names[k]) == 0) {
                            st->types[t].ignored = 1;
                            known = 1;
                        }
                if (!known) {
                    api->node_error(host, ig->kind == QMS_NODE_SEQ ? &ig->items[i] : ig,
                                    "ignore_types: unknown document type '%s'", names[i]);
                    return -1;
                }
            }
        }
    }

    o = rule_opts(api, host, RULE_PLACEHOLDER, "placeholder-text");
    if (o && o->kind == QMS_NODE_MAP) {
        if (check_keys(api, host, o, RULE_PLACEHOLDER " options", placeholder_keys) < 0)
            return -1;
        const struct qms_node *ig = map_get(o, "ignore_patterns");
        const char **names = NULL;
        size_t n = 0;
        if (ig && string_list(st, host, ig, "ignore_patterns", NULL, &names, &n) < 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            int known = 0;
            for (size_t p = 0; p < st->n_patterns; p++)
                if (strcmp(names[i], st->patterns[p].name) == 0) {
                    st->patterns[p].ignored = 1;
                    known = 1;
                }
            if (!known) {
                api->node_error(host, ig->kind == QMS_NODE_SEQ ? &ig->items[i] : ig,
                                "ignore_patterns: no placeholder pattern is named '%s'", names[i]);
                return -1;
            }
        }
        const struct qms_node *extra = map_get(o, "extra_patterns");
        if (extra && load_patterns(st, host, extra, "extra_patterns") < 0)
            return -1;
    } else if (o && !scalar_is(o)) {
        api->node_error(host, o, "options of %s must be a map", RULE_PLACEHOLDER);
        return -1;
    }

    const char *const plain[][2] = {{RULE_EMPTY, "empty-section"}, {RULE_SKIP, "heading-skip"}};
    for (size_t i = 0; i < 2; i++) {
        o = rule_opts(api, host, plain[i][0], plain[i][1]);
        if (o && o->kind == QMS_NODE_MAP && check_keys(api, host, o, plain[i][0], plain_keys) < 0)
            return -1;
    }
    return 0;
}

/* Literals each pattern needs, so that a block without them skips the pattern. */
static int build_prefilter(struct st_state *st, struct qms_host *host)
{
    if (pf_index_init(&st->prefilter, st->n_patterns) < 0)
        goto oom;
    for (size_t i = 0; i < st->n_patterns; i++) {
        const struct st_pattern *p = &st->patterns[i];
        struct pf_set needs;
        if (p->ignored || !pf_required(p->source, p->caseless, &needs))
            continue;
        if (pf_index_add(&st->prefilter, i, &needs, p->caseless) < 0)
            goto oom;
    }
    if (pf_index_build(&st->prefilter) < 0)
        goto oom;
    return 0;
oom:
    st->api->log(host, 1, "structure: out of memory");
    return -1;
}

static int structure_init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    *out_state = NULL;
    if (!api)
        return -1;
    if (api->struct_size < offsetof(struct qms_host_api, regex_free) + sizeof api->regex_free) {
        if (api->struct_size >= offsetof(struct qms_host_api, log) + sizeof api->log && api->log)
            api->log(host, 1, "structure: the host API is older than this plugin needs");
        return -1;
    }
    struct st_state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    st->api = api;

    /* `document_types: NAME` picks another pack; packs come only from the trusted rules
       directory, so a folder part in NAME is ignored. */
    const char *types_pack = "document-types.yml";
    const struct qms_node *o = rule_opts(api, host, RULE_MISSING, "missing-section");
    const struct qms_node *dt = map_get(o, "document_types");
    if (dt) {
        if (!scalar_is(dt) || !base_name(dt->scalar)[0] || base_name(dt->scalar)[0] == '.') {
            api->node_error(host, dt, "document_types must be the file name of a rule pack");
            goto fail;
        }
        types_pack = base_name(dt->scalar);
    }
    const struct qms_node *pack = NULL;
    if (api->load_pack(host, types_pack, &pack) < 0 || load_types(st, host, pack) < 0)
        goto fail;
    pack = NULL;
    if (api->load_pack(host, "placeholders.yml", &pack) < 0 || load_placeholders(st, host, pack) < 0)
        goto fail;
    if (apply_options(st, host) < 0)
        goto fail;
    if (build_prefilter(st, host) < 0)
        goto fail;
    *out_state = st;
    return 0;
fail:
    st_free(st);
    return -1;
}

static int structure_check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                               const struct qms_doc *doc)
{
    struct doc_type dt;
    struct st_ctx c = {state, api, host, doc, &dt, 0};
    if (!state || !doc)
        return -1;
    find_type(state, doc, &dt);
    if (rule_on(&c, RULE_MISSING))
        check_missing_section(&c);
    if (rule_on(&c, RULE_EMPTY))
        check_empty_sections(&c);
    if (rule_on(&c, RULE_SKIP))
        check_heading_skips(&c);
    if (rule_on(&c, RULE_PLACEHOLDER))
        check_placeholders(&c);
    return c.failed ? -1 : 0;
}

/* Nothing is kept for the set: every structure rule is about one document. */
static int structure_check_set(void *state, const struct qms_host_api *api, struct qms_host *host,
                               const struct qms_set *set)
{
    return 0;
}

static void structure_fini(void *state) { st_free(state); }

/* ------------------------------------------------------------------------------------------ */

static const struct qms_rule structure_rules[] = {
    {RULE_MISSING, QMS_SEV_WARNING, "7.5.1",
     "a document lacks a section its type requires (from rules/document-types.yml)",
     "Procedures, work instructions, manuals, forms and policies each have sections a reader "
     "relies on: purpose, scope, responsibilities, the steps, references, records, revision "
     "history. The type comes from a `type:` property, the ID prefix (QP-, WI-, QM-, FRM-, POL- "
     "...) or a word in the title; headings match in English, German, Spanish or French. Add "
     "the section, or name the type in ignore_types.",
     0},
    {RULE_EMPTY, QMS_SEV_WARNING, "7.5.2",
     "a heading with neither content nor subsections",
     "An empty section usually means a template was not completed. Write the content, or say "
     "explicitly that the section does not apply, or remove the heading.",
     0},
    {RULE_SKIP, QMS_SEV_INFO, NULL,
     "heading level jumps by more than one (H2 -> H4)",
     "Skipped heading levels break the outline, the navigation pane and generated tables of "
     "contents. Use the next level down.",
     0},
    {RULE_PLACEHOLDER, QMS_SEV_WARNING, "7.5.2",
     "template placeholder text left in (TBD, [Company Name], Lorem ipsum, XXX ...)",
     "Placeholders from templates (TBD, [Insert ...], Word's 'Click here to enter text.', "
     "Lorem ipsum, DD/MM/YYYY) mean the document was released incomplete. Patterns come from "
     "rules/placeholders.yml; add your own with extra_patterns, skip some with ignore_patterns.",
     0},
};

static const struct qms_plugin structure_plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "structure",
    .version = QMS_VERSION,
    .description = "required sections, empty sections, heading levels, placeholder text",
    .rules = structure_rules,
    .n_rules = sizeof structure_rules / sizeof structure_rules[0],
    .init = structure_init,
    .check_doc = structure_check_doc,
    .check_set = structure_check_set,
    .fini = structure_fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
const struct qms_plugin *qms_plugin_entry(void) { return &structure_plugin; }
