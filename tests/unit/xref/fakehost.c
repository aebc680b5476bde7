/* Fake plugin host for the xref suite (see fakehost.h). */
#include "fakehost.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "engine_int.h"
#include "fakehost_common.h"
#include "testutil.h"
#include "ynode.h"

static struct qms_arena *arena(void) { return fh_arena(); }

static struct fake_host *H(struct qms_host *host) { return (struct fake_host *)host; }

static int fake_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct fake_host *h = H(host);
    if (!fh_finding_ok(f, "xref/"))
        return -1;
    if (h->n_findings == FAKE_MAX_FINDINGS)
        return 0;
    struct fake_finding *out = &h->findings[h->n_findings++];
    FH_COPY_FINDING(out, f);
    snprintf(out->path, sizeof out->path, "%s", f->path ? f->path : h->current ? h->current : "");
    return 0;
}

static void fake_log(struct qms_host *host, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vlog(H(host)->error, sizeof H(host)->error, level, fmt, ap);
    va_end(ap);
}

static int fake_load_pack(struct qms_host *host, const char *name, const struct qms_node **out)
{
    return fh_load_pack(NULL, name, out, H(host)->error, sizeof H(host)->error);
}

static const struct qms_node *fake_rule_options(struct qms_host *host, const char *rule_id)
{
    return qms_node_get(H(host)->rule_opts, rule_id);
}

static const struct qms_node *fake_plugin_options(struct qms_host *host) { return H(host)->plugin_opts; }

static enum qms_severity fake_rule_severity(struct qms_host *host, const char *rule_id)
{
    return fh_rule_severity(H(host)->off_rule, rule_id);
}

static void fake_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vnode_error(H(host)->error, sizeof H(host)->error, NULL, node, fmt, ap); /* the bare text */
    va_end(ap);
}

static int fake_digest_put(struct qms_host *host, const void *data, size_t len)
{
    struct fake_host *h = H(host);
    cr_assert_lt(h->n_digests, FAKE_MAX_DOCS);
    struct fake_digest *d = &h->digests[h->n_digests++];
    d->path = h->current;
    d->data = malloc(len ? len : 1);
    cr_assert_not_null(d->data);
    memcpy(d->data, data, len);
    d->len = len;
    return 0;
}

static const void *fake_digest_get(struct qms_host *host, const struct qms_digest *doc, size_t *out_len)
{
    struct fake_host *h = H(host);
    static const char garbage[] = "XFR1\xff\xff\xff\x7f garbage that is not a record";
    if (h->corrupt_digest_of && strcmp(doc->path, h->corrupt_digest_of) == 0) {
        *out_len = sizeof garbage;
        return garbage;
    }
    for (size_t i = 0; i < h->n_digests; i++)
        if (strcmp(h->digests[i].path, doc->path) == 0) {
            *out_len = h->digests[i].len;
            return h->digests[i].data;
        }
    *out_len = 0;
    return NULL;
}

static const struct qms_host_api fake_api = {
    FH_HOST_API_COMMON,
    .report = fake_report,
    .log = fake_log,
    .load_pack = fake_load_pack,
    .rule_options = fake_rule_options,
    .plugin_options = fake_plugin_options,
    .rule_severity = fake_rule_severity,
    .node_error = fake_node_error,
    .digest_put = fake_digest_put,
    .digest_get = fake_digest_get,
};

static const struct qms_plugin *desc(void)
{
    static const struct qms_plugin *d;
    if (!d)
        d = fh_plugin_entry(fh_plugin_open("xref.so"), "xref.so");
    return d;
}

int fake_init(struct fake_host *h, void **out_state)
{
    return desc()->init(&fake_api, (struct qms_host *)h, out_state);
}

const struct qms_node *fake_yaml(const char *text) { return fh_yaml(text); }

/* ---- documents ---- */

static struct qms_location at(unsigned line) { return (struct qms_location){NULL, line, 1, 0, NULL}; }

struct fake_doc *fake_doc_new(const char *path)
{
    struct fake_doc *d = qms_arena_alloc(arena(), sizeof *d); /* lives as long as the test */
    cr_assert_not_null(d);
    memset(d, 0, sizeof *d);
    d->doc.path = path;
    d->doc.format = QMS_FORMAT_MARKDOWN;
    d->doc.blocks = d->blocks;
    d->doc.links = d->links;
    d->doc.anchors = d->anchors;
    d->doc.tables = d->tables;
    d->doc.meta = &d->meta;
    d->meta.history_table = -1;
    d->meta.register_table = -1;
    d->meta.register_entries = d->entries;
    d->line = 1;
    return d;
}

static void set_value(struct fake_doc *d, enum qms_meta_field f, const char *v)
{
    if (!v)
        return;
    struct qms_meta_value *mv = &d->values[f][0];
    memset(mv, 0, sizeof *mv);
    mv->value = v;
    mv->raw = v;
    mv->source = QMS_META_SRC_FRONT_MATTER;
    mv->loc = at(2 + (unsigned)f);
    if (f == QMS_META_REVISION) {
        if (v[0] >= '0' && v[0] <= '9') {
            unsigned a = 0, b = 0;
            int n = sscanf(v, "%u.%u", &a, &b);
            mv->rev_scheme = n == 2 ? QMS_REV_DOTTED : QMS_REV_NUMBER;
            mv->rev_key = ((uint64_t)a << 40) | ((uint64_t)b << 20);
        } else {
            mv->rev_scheme = QMS_REV_LETTER;
            for (const char *p = v; *p; p++)
                mv->rev_key = mv->rev_key * 26 + (uint64_t)(*p - 'A' + 1);
        }
    }
    d->meta.fields[f].items = d->values[f];
    d->meta.fields[f].n = 1;
}

void fake_meta(struct fake_doc *d, const char *id, const char *title, const char *rev,
               const char *status, const char *type)
{
    set_value(d, QMS_META_ID, id);
    set_value(d, QMS_META_TITLE, title);
    set_value(d, QMS_META_REVISION, rev);
    set_value(d, QMS_META_STATUS, status);
    set_value(d, QMS_META_TYPE, type);
    d->line = 8;
}

static struct qms_block *new_block(struct fake_doc *d, enum qms_block_kind kind, const char *text)
{
    cr_assert_lt(d->doc.n_blocks, 64);
    struct qms_block *b = &d->blocks[d->doc.n_blocks++];
    b->kind = kind;
    b->text = text;
    b->text_len = strlen(text);
    b->table = b->row = b->col = -1;
    b->loc = at(d->line++);
    return b;
}

void fake_para(struct fake_doc *d, const char *text) { new_block(d, QMS_BLOCK_PARAGRAPH, text); }

void fake_heading(struct fake_doc *d, unsigned level, const char *text)
{
    struct qms_block *b = new_block(d, QMS_BLOCK_HEADING, text);
    b->level = level;
    cr_assert_lt(d->doc.n_anchors, 16);
    struct qms_anchor *a = &d->anchors[d->doc.n_anchors++];
    char *slug = qms_arena_alloc(arena(), strlen(text) + 1);
    size_t n = 0;
    for (const char *p = text; *p; p++)
        if (*p == ' ')
            slug[n++] = '-';
        else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
            slug[n++] = *p;
        else if (*p >= 'A' && *p <= 'Z')
            slug[n++] = (char)(*p + 32);
    slug[n] = '\0';
    a->kind = QMS_ANCHOR_HEADING;
    a->name = slug;
    a->loc = b->loc;
}

void fake_link(struct fake_doc *d, enum qms_link_kind kind, const char *target, const char *text)
{
    cr_assert_lt(d->doc.n_links, 16);
    struct qms_link *l = &d->links[d->doc.n_links++];
    l->kind = kind;
    l->target = target;
    l->text = text;
    const char *hash = strchr(target, '#');
    if (kind == QMS_LINK_WIKILINK)
        l->target_kind = QMS_TARGET_NAME;
    else if (kind == QMS_LINK_XREF_FIELD || kind == QMS_LINK_BOOKMARK_REF)
        l->target_kind = QMS_TARGET_ANCHOR;
    else if (target[0] == '#')
        l->target_kind = QMS_TARGET_ANCHOR;
    else if (strstr(target, "://") || strncmp(target, "mailto:", 7) == 0)
        l->target_kind = QMS_TARGET_URL;
    else
        l->target_kind = QMS_TARGET_FILE;
    l->anchor = kind == QMS_LINK_XREF_FIELD || kind == QMS_LINK_BOOKMARK_REF ? target
                : hash && hash[1]                                            ? hash + 1
                                                                             : NULL;
    /* the link's text shows in a paragraph of its own */
    struct qms_block *b = new_block(d, QMS_BLOCK_PARAGRAPH, text);
    l->loc = b->loc;
}

void fake_history_cell(struct fake_doc *d, const char *text)
{
    struct qms_block *b = new_block(d, QMS_BLOCK_TABLE_CELL, text);
    if (d->meta.history_table < 0) {
        d->meta.history_table = (int32_t)d->doc.n_tables;
        d->tables[d->doc.n_tables++].loc = b->loc;
    }
    b->table = d->meta.history_table;
    b->row = (int32_t)d->meta.n_history;
    b->col = 0;
    b->flags = QMS_BLOCK_IN_TABLE;
}

void fake_entry(struct fake_doc *d, const char *id, const char *title, const char *rev,
                const char *status, const char *section)
{
    cr_assert_lt(d->meta.n_register_entries, 16);
    struct qms_block *b = new_block(d, QMS_BLOCK_TABLE_CELL, id);
    b->loc.section = section;
    int32_t table = -1;
    for (size_t i = 0; i + 1 < d->doc.n_blocks; i++)
        if (d->blocks[i].table >= 0 && d->blocks[i].table != d->meta.history_table &&
            ((section == NULL && d->blocks[i].loc.section == NULL) ||
             (section && d->blocks[i].loc.section && strcmp(section, d->blocks[i].loc.section) == 0)))
            table = d->blocks[i].table;
    if (table < 0) {
        table = (int32_t)d->doc.n_tables;
        d->tables[d->doc.n_tables++].loc = b->loc;
        if (d->meta.register_table < 0)
            d->meta.register_table = table;
    }
    b->table = table;
    b->col = 0;
    b->flags = QMS_BLOCK_IN_TABLE;
    struct qms_meta_register_entry *e = &d->entries[d->meta.n_register_entries++];
    memset(e, 0, sizeof *e);
    e->id.value = e->id.raw = id;
    e->title = title ? title : "";
    e->revision.value = e->revision.raw = rev ? rev : "";
    if (rev && rev[0] >= '0' && rev[0] <= '9') {
        e->revision.rev_scheme = QMS_REV_NUMBER;
        e->revision.rev_key = (uint64_t)atoi(rev) << 40;
    } else if (rev && rev[0]) {
        e->revision.rev_scheme = QMS_REV_LETTER;
        e->revision.rev_key = (uint64_t)(rev[0] - 'A' + 1);
    }
    e->status.value = e->status.raw = status ? status : "";
    e->loc = b->loc;
}

static int digest_cmp(const void *a, const void *b)
{
    return strcmp(((const struct qms_digest *)a)->path, ((const struct qms_digest *)b)->path);
}

void fake_run(struct fake_host *h, struct fake_doc **docs, size_t n, const char *root)
{
    void *state = NULL;
    cr_assert_eq(fake_init(h, &state), 0, "init failed: %s", h->error);
    const struct qms_plugin *p = desc();
    struct qms_digest *digests = calloc(n ? n : 1, sizeof *digests);
    for (size_t i = 0; i < n; i++) {
        const struct qms_doc *doc = &docs[i]->doc;
        h->current = doc->path;
        cr_assert_eq(p->check_doc(state, &fake_api, (struct qms_host *)h, doc), 0, "check_doc %s",
                     doc->path);
        digests[i].path = doc->path;
        digests[i].format = doc->format;
        digests[i].meta = doc->meta;
        digests[i].links = doc->links;
        digests[i].n_links = doc->n_links;
        digests[i].anchors = doc->anchors;
        digests[i].n_anchors = doc->n_anchors;
        for (size_t b = 0; b < doc->n_blocks && !digests[i].title; b++)
            if (doc->blocks[b].kind == QMS_BLOCK_HEADING)
                digests[i].title = doc->blocks[b].text;
    }
    h->current = NULL;
    qsort(digests, n, sizeof *digests, digest_cmp);
    struct qms_set set = {digests, n, root};
    cr_assert_eq(p->check_set(state, &fake_api, (struct qms_host *)h, &set), 0);
    p->fini(state);
    free(digests);
}

void fake_reset(struct fake_host *h)
{
    for (size_t i = 0; i < h->n_digests; i++)
        free(h->digests[i].data);
    memset(h, 0, sizeof *h);
}

_Static_assert(offsetof(struct fake_finding, rule) == 0, "fh_count reads the rule first");

size_t fake_count(const struct fake_host *h, const char *rule)
{
    return fh_count(h->findings, h->n_findings, sizeof h->findings[0], rule);
}

const struct fake_finding *fake_find(const struct fake_host *h, const char *rule, const char *needle)
{
    for (size_t i = 0; i < h->n_findings; i++)
        if (strcmp(h->findings[i].rule, rule) == 0 && (!needle || strstr(h->findings[i].message, needle)))
            return &h->findings[i];
    return NULL;
}

void fake_dump(const struct fake_host *h)
{
    for (size_t i = 0; i < h->n_findings; i++)
        fprintf(stderr, "  %s:%u: %s [%s]\n", h->findings[i].path, h->findings[i].line,
                    h->findings[i].message, h->findings[i].rule);
}

struct fake_doc *fake_procedure(const char *path, const char *id, const char *title, const char *rev)
{
    struct fake_doc *d = fake_doc_new(path);
    fake_meta(d, id, title, rev, "approved", "procedure");
    fake_heading(d, 1, title);
    return d;
}
