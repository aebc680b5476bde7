/* Inline suppressions (see suppress.h). */
#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"

#define DIRECTIVE_PREFIX "qmslint-"
#define MAX_ID_LEN 128

struct scan {
    struct qms_arena *a;
    struct qms_vec items;
    int bad;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Rule ids are separated by spaces, commas; YAML-ish brackets and quotes are ignored. */
static int is_sep(char c)
{
    return is_space(c) || c == ',' || c == '[' || c == ']' || c == '"' || c == '\'';
}

static void add(struct scan *s, enum qms_directive_kind kind, const char *id, size_t id_len,
                const struct qms_location *loc)
{
    if (s->bad || s->items.len >= QMS_SUPPRESS_MAX_DIRECTIVES)
        return;
    struct qms_directive *d = qms_vec_push(s->a, &s->items);
    if (!d) {
        s->bad = 1;
        return;
    }
    d->kind = kind;
    if (id) {
        if (id_len > MAX_ID_LEN) { /* cut on a UTF-8 boundary: the id is quoted in messages */
            id_len = MAX_ID_LEN;
            while (id_len > 0 && ((unsigned char)id[id_len] & 0xC0) == 0x80)
                id_len--;
        }
        d->rule_id = qms_arena_strndup(s->a, id, id_len);
        s->bad |= !d->rule_id;
    }
    d->line = loc->line;
    d->column = loc->column;
    if (loc->part) {
        d->part = qms_arena_strdup(s->a, loc->part);
        s->bad |= !d->part;
    }
}

/* One directive per id in text[0..len); none named: one directive (NULL id) for every rule. */
static void add_ids(struct scan *s, enum qms_directive_kind kind, const char *text, size_t len,
                    const struct qms_location *loc)
{
    size_t n_ids = 0;
    for (size_t i = 0; i < len && n_ids < QMS_SUPPRESS_MAX_IDS;) {
        while (i < len && is_sep(text[i]))
            i++;
        size_t start = i;
        while (i < len && !is_sep(text[i]))
            i++;
        if (i > start) {
            add(s, kind, text + start, i - start, loc);
            n_ids++;
        }
    }
    if (n_ids == 0)
        add(s, kind, NULL, 0, loc);
}

/* Whether lit occurs in t[0..len). */
static int contains(const char *t, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i + n <= len; i++)
        if (t[i] == lit[0] && memcmp(t + i, lit, n) == 0)
            return 1;
    return 0;
}

/* A Markdown comment's text: "qmslint-disable a/b c/d" (the reader drops the <!-- -->
 * markers; a text that has both is read without them). Anything else is an ordinary comment,
 * and so is a comment never closed (the reader keeps its lone "<!--") or one holding another
 * "<!--" (nested): neither silences anything. */
static void scan_comment(struct scan *s, const struct qms_block *b)
{
    const char *t = b->text;
    size_t len = b->text_len;
    if (len >= 7 && memcmp(t, "<!--", 4) == 0 && memcmp(t + len - 3, "-->", 3) == 0) {
        t += 4;
        len -= 7;
    }
    if (contains(t, len, "<!--") || contains(t, len, "-->"))
        return;
    while (len && is_space(*t)) {
        t++;
        len--;
    }
    static const struct {
        const char *word;
        enum qms_directive_kind kind;
    } words[] = {
        /* longest first: "disable-next-line" starts with "disable" */
        {"disable-next-line", QMS_DIRECTIVE_NEXT_LINE},
        {"disable", QMS_DIRECTIVE_DISABLE},
        {"enable", QMS_DIRECTIVE_ENABLE},
    };
    size_t plen = strlen(DIRECTIVE_PREFIX);
    if (len < plen || memcmp(t, DIRECTIVE_PREFIX, plen) != 0)
        return;
    t += plen;
    len -= plen;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t wl = strlen(words[i].word);
        if (len >= wl && memcmp(t, words[i].word, wl) == 0 && (len == wl || is_space(t[wl]))) {
            /* "-- reason" ends the id list: <!-- qmslint-disable a/b -- legacy wording --> */
            const char *ids = t + wl;
            size_t n = len - wl;
            for (size_t k = 0; k + 1 < n; k++)
                if (ids[k] == '-' && ids[k + 1] == '-') {
                    n = k;
                    break;
                }
            /* "the next line" is the one after the comment's last line */
            struct qms_location at = b->loc;
            if (words[i].kind == QMS_DIRECTIVE_NEXT_LINE && at.line)
                for (size_t k = 0; k < b->text_len; k++)
                    at.line += b->text[k] == '\n';
            add_ids(s, words[i].kind, ids, n, &at);
            return;
        }
    }
}

int qms_suppress_scan(const struct qms_suppress_list **out, const struct qms_doc *doc,
                      struct qms_arena *a)
{
    *out = NULL;
    struct scan s = {a, {0}, 0};
    qms_vec_init(&s.items, sizeof(struct qms_directive));
    for (size_t i = 0; i < doc->n_properties; i++) {
        const struct qms_property *p = &doc->properties[i];
        if (!p->name || !p->value || strcasecmp(p->name, "qmslint-disable") != 0)
            continue;
        if (p->source != QMS_PROP_FRONT_MATTER && p->source != QMS_PROP_CUSTOM &&
            p->source != QMS_PROP_ODT_USER)
            continue;
        size_t before = s.items.len;
        add_ids(&s, QMS_DIRECTIVE_DOCUMENT, p->value, strlen(p->value), &p->loc);
        /* an empty list suppresses nothing: a document must name what it silences */
        if (s.items.len == before + 1 &&
            !((struct qms_directive *)s.items.items)[before].rule_id)
            s.items.len = before;
    }
    if (doc->format == QMS_FORMAT_MARKDOWN)
        for (size_t i = 0; i < doc->n_blocks; i++)
            if (doc->blocks[i].kind == QMS_BLOCK_MARKUP_COMMENT && doc->blocks[i].text)
                scan_comment(&s, &doc->blocks[i]);
    if (s.bad)
        return QMS_ENOMEM;
    if (s.items.len == 0)
        return 0;
    struct qms_suppress_list *l = qms_arena_alloc(a, sizeof *l);
    if (!l)
        return QMS_ENOMEM;
    l->items = s.items.items;
    l->n = s.items.len;
    *out = l;
    return 0;
}

const struct qms_suppress_list *qms_suppress_copy(struct qms_arena *a,
                                                  const struct qms_suppress_list *src, int *bad)
{
    if (!src)
        return NULL;
    struct qms_suppress_list *l = qms_arena_alloc(a, sizeof *l);
    struct qms_directive *items = qms_arena_alloc(a, (src->n ? src->n : 1) * sizeof *items);
    if (!l || !items) {
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < src->n; i++) {
        items[i] = src->items[i];
        if (src->items[i].rule_id && !(items[i].rule_id = qms_arena_strdup(a, src->items[i].rule_id)))
            *bad = 1;
        if (src->items[i].part && !(items[i].part = qms_arena_strdup(a, src->items[i].part)))
            *bad = 1;
    }
    l->items = items;
    l->n = src->n;
    return *bad ? NULL : l;
}

/* ---------------------------------------------------------------- applying */

int qms_suppress_rule_known(const struct qms_engine *e, const char *rule_id)
{
    if (!rule_id)
        return 1;
    if (qms_engine_rule_entry(e, rule_id))
        return 1;
    const char *slash = strchr(rule_id, '/');
    if (!slash || slash == rule_id)
        return 0;
    size_t plen = (size_t)(slash - rule_id);
    for (size_t i = 0; i < e->n_skipped_plugins; i++)
        if (strlen(e->skipped_plugins[i]) == plen && memcmp(e->skipped_plugins[i], rule_id, plen) == 0)
            return 1;
    if (strcmp(slash + 1, "*") == 0) {
        for (size_t i = 0; i < e->n_plugins; i++) {
            const char *name = e->plugins[i].pub.desc->name;
            if (name && strlen(name) == plen && memcmp(name, rule_id, plen) == 0)
                return 1;
        }
        return plen == 4 && memcmp(rule_id, "core", 4) == 0;
    }
    return 0;
}

/* Does directive d name this rule? NULL names every rule; "plugin/" + "*" the plugin's. */
static int names_rule(const struct qms_directive *d, const char *rule_id)
{
    if (!d->rule_id)
        return 1;
    if (strcmp(d->rule_id, rule_id) == 0)
        return 1;
    size_t n = strlen(d->rule_id);
    return n >= 2 && d->rule_id[n - 1] == '*' && d->rule_id[n - 2] == '/' &&
           strncmp(d->rule_id, rule_id, n - 1) == 0;
}

/* The directive that suppresses f, or NULL. */
static const struct qms_directive *suppressing(const struct qms_suppress_list *l,
                                               const struct qms_finding *f)
{
    /* the suppression rules never silence their own reports */
    if (strcmp(f->rule_id, "core/unknown-suppression") == 0 ||
        strcmp(f->rule_id, "core/unreadable") == 0)
        return NULL;
    const struct qms_directive *range = NULL; /* the last disable/enable in force */
    int disabled = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct qms_directive *d = &l->items[i];
        if (!names_rule(d, f->rule_id))
            continue;
        switch (d->kind) {
        case QMS_DIRECTIVE_DOCUMENT:
            return d;
        case QMS_DIRECTIVE_NEXT_LINE:
            if (f->line && d->line && f->line == d->line + 1)
                return d;
            break;
        case QMS_DIRECTIVE_DISABLE:
        case QMS_DIRECTIVE_ENABLE:
            /* a finding with no line (about the whole document) follows the state at the end */
            if (f->line && d->line >= f->line)
                break;
            disabled = d->kind == QMS_DIRECTIVE_DISABLE;
            range = d;
            break;
        }
    }
    return disabled ? range : NULL;
}

static const char *justify(struct qms_result *r, const struct qms_directive *d)
{
    char text[256];
    const char *id = d->rule_id ? d->rule_id : "every rule";
    switch (d->kind) {
    case QMS_DIRECTIVE_DOCUMENT:
        snprintf(text, sizeof text, "qmslint-disable property of the document (%.128s)", id);
        break;
    case QMS_DIRECTIVE_NEXT_LINE:
        snprintf(text, sizeof text, "<!-- qmslint-disable-next-line %.128s --> at line %u", id,
                 (unsigned)d->line);
        break;
    default:
        snprintf(text, sizeof text, "<!-- qmslint-disable %.128s --> at line %u", id,
                 (unsigned)d->line);
        break;
    }
    return qms_result_strdup(r, text);
}

static int doc_cmp(const void *key, const void *elem)
{
    const struct qms_doc_summary *d = elem;
    return strcmp(key, d->path ? d->path : "");
}

int qms_suppress_apply(struct qms_result *r, const struct qms_engine *e)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        struct qms_finding *f = &r->findings[i];
        if (f->suppressed || !f->path || !f->path[0])
            continue;
        const struct qms_doc_summary *d =
            bsearch(f->path, r->docs, r->n_docs, sizeof *r->docs, doc_cmp);
        if (!d || !d->suppress)
            continue;
        const struct qms_directive *by = suppressing(d->suppress, f);
        if (!by)
            continue;
        f->suppressed = QMS_SUPPRESS_INLINE;
        if (!(f->justification = justify(r, by)))
            return QMS_ENOMEM;
    }
    /* unknown ids: reported after the loop (adding may move the findings array) */
    enum qms_severity sev = qms_engine_rule_severity(e, "core/unknown-suppression");
    if (sev == QMS_SEV_OFF)
        return 0;
    size_t n_docs = r->n_docs;
    for (size_t k = 0; k < n_docs; k++) {
        const struct qms_doc_summary *d = &r->docs[k];
        if (!d->suppress)
            continue;
        for (size_t i = 0; i < d->suppress->n; i++) {
            const struct qms_directive *dir = &d->suppress->items[i];
            if (qms_suppress_rule_known(e, dir->rule_id))
                continue;
            char message[300];
            snprintf(message, sizeof message, "suppression names unknown rule '%.128s'",
                     dir->rule_id);
            struct qms_location loc = {dir->part, dir->line, dir->column, 0, NULL};
            int rc = qms_result_add_finding(r, "core/unknown-suppression", sev, message, d->path,
                                            &loc, dir->rule_id, "core");
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}
