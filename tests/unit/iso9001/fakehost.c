/* Fake plugin host for the iso9001 suite (see fakehost.h). */
#include "fakehost.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
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

static const char *current_path;

static int fake_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct fake_host *h = H(host);
    if (!fh_finding_ok(f, "iso9001/"))
        return -1;
    if (h->n_findings == FAKE_MAX_FINDINGS)
        return 0;
    struct fake_finding *out = &h->findings[h->n_findings++];
    FH_COPY_FINDING(out, f);
    snprintf(out->path, sizeof out->path, "%s", f->path ? f->path : h->in_set ? "" : current_path);
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
    struct fake_host *h = H(host);
    return fh_load_pack(h->rules_dir, name, out, h->error, sizeof h->error);
}

static const struct qms_node *fake_rule_options(struct qms_host *host, const char *rule_id)
{
    return qms_node_get(H(host)->rule_opts, rule_id);
}

static const struct qms_node *fake_plugin_options(struct qms_host *host) { return H(host)->plugin_opts; }

static enum qms_severity fake_rule_severity(struct qms_host *host, const char *rule_id) { return QMS_SEV_WARNING; }

static void fake_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vnode_error(H(host)->error, sizeof H(host)->error, "iso9001", node, fmt, ap);
    va_end(ap);
}

static int fake_digest_put(struct qms_host *host, const void *data, size_t len)
{
    struct fake_host *h = H(host);
    size_t i = h->n_docs;
    if (h->in_set || i >= FAKE_MAX_DOCS || h->blobs[i])
        return -1;
    h->blobs[i] = malloc(len ? len : 1);
    cr_assert_not_null(h->blobs[i]);
    memcpy(h->blobs[i], data, len);
    h->blob_len[i] = len;
    return 0;
}

static const void *fake_digest_get(struct qms_host *host, const struct qms_digest *doc, size_t *out_len)
{
    struct fake_host *h = H(host);
    *out_len = 0;
    if (!h->in_set || doc < h->digests || doc >= h->digests + h->n_docs)
        return NULL;
    size_t i = (size_t)(doc - h->digests);
    *out_len = h->blob_len[i];
    return h->blobs[i];
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

static void *plugin_handle(void)
{
    static void *dl;
    if (!dl)
        dl = fh_plugin_open("iso9001.so");
    return dl;
}

static const struct qms_plugin *desc(void) { return fh_plugin_entry(plugin_handle(), "iso9001.so"); }

static struct fake_host *last_host;

int fake_init(struct fake_host *h, void **out_state)
{
    last_host = h;
    return desc()->init(&fake_api, (struct qms_host *)h, out_state);
}

int fake_run(struct fake_host *h, void *state, const struct qms_doc *const *docs, size_t n)
{
    cr_assert_leq(n, FAKE_MAX_DOCS);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        current_path = docs[i]->path;
        h->n_docs = i;
        int r = desc()->check_doc(state, &fake_api, (struct qms_host *)h, docs[i]);
        if (r < 0 && rc == 0)
            rc = r;
        memset(&h->digests[i], 0, sizeof h->digests[i]);
        h->digests[i].path = docs[i]->path;
        h->digests[i].format = docs[i]->format;
    }
    h->n_docs = n;
    h->in_set = 1;
    struct qms_set set = {h->digests, n, "/set"};
    int r = desc()->check_set(state, &fake_api, (struct qms_host *)h, &set);
    h->in_set = 0;
    return rc < 0 ? rc : r;
}

void fake_fini(void *state)
{
    if (desc()->fini)
        desc()->fini(state);
    if (last_host)
        for (size_t i = 0; i < FAKE_MAX_DOCS; i++) {
            free(last_host->blobs[i]);
            last_host->blobs[i] = NULL;
        }
}

const struct iso_coverage *fake_coverage(void *state)
{
    typedef const struct iso_coverage *(*cov_fn)(void *);
    cov_fn fn = (cov_fn)dlsym(plugin_handle(), "qms_iso9001_coverage");
    cr_assert_not_null(fn, "qms_iso9001_coverage is not exported");
    return fn(state);
}

const struct qms_node *fake_yaml(const char *text) { return fh_yaml(text); }

/* ---- the document builder ---- */

#define MAX_BLOCKS 1024
#define MAX_CELLS 512

const char *fake_str(const char *s) { return fh_dupn(s, strlen(s)); }

const struct qms_doc *fake_doc(const char *path, const char *md)
{
    struct qms_doc *doc = qms_arena_alloc(arena(), sizeof *doc);
    struct qms_block *blocks = qms_arena_alloc(arena(), MAX_BLOCKS * sizeof *blocks);
    struct qms_property *props = qms_arena_alloc(arena(), 64 * sizeof *props);
    struct qms_table *tables = qms_arena_alloc(arena(), 16 * sizeof *tables);
    struct qms_cell *cells = qms_arena_alloc(arena(), MAX_CELLS * sizeof *cells);
    size_t nb = 0, np = 0, nt = 0, nc = 0;
    unsigned line = 0;
    int in_front = 0, in_table = 0, row = 0;
    const char *section = NULL;

    cr_assert(doc && blocks && props && tables && cells);
    memset(doc, 0, sizeof *doc);
    doc->path = path;
    doc->format = QMS_FORMAT_MARKDOWN;
    for (const char *p = md; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        line++;
        cr_assert_lt(nb, MAX_BLOCKS - 16);
        struct qms_block *b = &blocks[nb];
        memset(b, 0, sizeof *b);
        b->table = b->row = b->col = -1;
        b->loc = fh_at(line, 1);
        b->loc.section = section;

        if (line == 1 && len == 3 && strncmp(p, "---", 3) == 0) {
            in_front = 1;
            doc->flags |= QMS_DOC_HAS_FRONT_MATTER;
        } else if (in_front && len == 3 && strncmp(p, "---", 3) == 0) {
            in_front = 0;
        } else if (in_front) {
            fh_md_property(&props[np++], p, len, line);
        } else if (len > 0 && p[0] == '#') {
            section = fh_md_heading(b, p, len);
            b->loc.section = section;
            nb++;
        } else if (len > 0 && p[0] == '|') {
            if (!in_table) {
                in_table = 1;
                row = 0;
                memset(&tables[nt], 0, sizeof tables[nt]);
                tables[nt].loc = fh_at(line, 1);
                tables[nt].parent = -1;
                tables[nt].cells = &cells[nc];
                nt++;
            }
            struct qms_table *t = &tables[nt - 1];
            if (strspn(p, "|-: ") < len) {
                uint32_t col = 0;
                const char *c = p + 1;
                while (c < p + len) {
                    const char *bar = memchr(c, '|', (size_t)(p + len - c));
                    if (!bar)
                        break;
                    cr_assert_lt(nc, MAX_CELLS);
                    struct qms_block *cell = &blocks[nb++];
                    memset(cell, 0, sizeof *cell);
                    fh_md_cell(cell, p, c, bar, line, section);
                    cell->table = (int32_t)nt - 1;
                    cell->row = row;
                    cell->col = (int32_t)col;
                    struct qms_cell *qc = &cells[nc++];
                    memset(qc, 0, sizeof *qc);
                    qc->text = cell->text;
                    qc->row = (uint32_t)row;
                    qc->col = col;
                    qc->row_span = qc->col_span = 1;
                    qc->header = row == 0;
                    qc->loc = cell->loc;
                    t->n_cells++;
                    col++;
                    c = bar + 1;
                }
                if (col > t->n_cols)
                    t->n_cols = col;
                row++;
                t->n_rows = (uint32_t)row;
            }
        } else if (len > 0) {
            fh_md_paragraph(b, p, len);
            nb++;
        }
        if (len == 0 || p[0] != '|')
            in_table = 0;
        p = next;
    }
    fh_md_finish(doc, blocks, nb, props, np, tables, nt);
    return doc;
}

void fake_check_set(struct fake_host *h, const struct qms_doc *const *docs, size_t n)
{
    void *state = NULL;
    cr_assert_eq(fake_init(h, &state), 0, "init failed: %s", h->error);
    cr_assert_eq(fake_run(h, state, docs, n), 0);
    fake_fini(state);
}

void fake_check_text(struct fake_host *h, const char *path, const char *markdown)
{
    const struct qms_doc *doc = fake_doc(path, markdown);
    fake_check_set(h, &doc, 1);
}

_Static_assert(offsetof(struct fake_finding, rule) == 0, "fh_count reads the rule first");

size_t fake_count(const struct fake_host *h, const char *rule)
{
    return fh_count(h->findings, h->n_findings, sizeof h->findings[0], rule);
}

const struct fake_finding *fake_first(const struct fake_host *h, const char *rule)
{
    size_t i = fh_first(h->findings, h->n_findings, sizeof h->findings[0], rule);
    return i < h->n_findings ? &h->findings[i] : NULL;
}

int fake_has(const struct fake_host *h, const char *rule, const char *message)
{
    for (size_t i = 0; i < h->n_findings; i++)
        if (strcmp(h->findings[i].rule, rule) == 0 && strcmp(h->findings[i].message, message) == 0)
            return 1;
    return 0;
}

void fake_dump(const struct fake_host *h)
{
    for (size_t i = 0; i < h->n_findings; i++)
        fprintf(stderr, "  %s:%u: %s [%s]\n", h->findings[i].path, h->findings[i].line, h->findings[i].message,
                h->findings[i].rule);
}

void fake_expect(const struct fake_host *h, const char *rule, const char *message)
{
    if (!fake_has(h, rule, message)) {
        fake_dump(h);
        cr_assert_fail("no %s finding \"%s\"", rule, message);
    }
}
