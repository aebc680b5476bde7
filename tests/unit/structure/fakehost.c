/* Fake plugin host for the structure suite (see fakehost.h). */
#include "fakehost.h"

#include <criterion/criterion.h>
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

static struct fake_host *H(struct qms_host *host) { return (struct fake_host *)host; }

static int fake_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct fake_host *h = H(host);
    if (!fh_finding_ok(f, "structure/"))
        return -1;
    if (h->n_findings == FAKE_MAX_FINDINGS)
        return 0;
    struct fake_finding *out = &h->findings[h->n_findings++];
    FH_COPY_FINDING(out, f);
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

static const struct qms_node *fake_plugin_options(struct qms_host *host)
{
    return H(host)->plugin_opts;
}

static enum qms_severity fake_rule_severity(struct qms_host *host, const char *rule_id)
{
    return fh_rule_severity(H(host)->off_rule, rule_id);
}

static void fake_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vnode_error(H(host)->error, sizeof H(host)->error, "structure", node, fmt, ap);
    va_end(ap);
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
};

const struct qms_plugin *fake_plugin_desc(void)
{
    static const struct qms_plugin *desc;
    if (!desc)
        desc = fh_plugin_entry(fh_plugin_open("structure.so"), "structure.so");
    return desc;
}

int fake_plugin_init(struct fake_host *h, void **out_state)
{
    return fake_plugin_desc()->init(&fake_api, (struct qms_host *)h, out_state);
}

int fake_plugin_init_old_host(struct fake_host *h, uint32_t struct_size, void **out_state)
{
    struct qms_host_api old = fake_api;
    old.struct_size = struct_size;
    return fake_plugin_desc()->init(&old, (struct qms_host *)h, out_state);
}

int fake_plugin_check(struct fake_host *h, void *state, const struct qms_doc *doc)
{
    return fake_plugin_desc()->check_doc(state, &fake_api, (struct qms_host *)h, doc);
}

void fake_plugin_fini(void *state)
{
    if (fake_plugin_desc()->fini)
        fake_plugin_desc()->fini(state);
}

const struct qms_node *fake_yaml(const char *text) { return fh_yaml(text); }

/* ---- the document builder ---- */

#define MAX_BLOCKS 512

static struct qms_arena *arena(void) { return fh_arena(); }

const struct qms_doc *fake_doc(const char *path, const char *md)
{
    struct qms_doc *doc = qms_arena_alloc(arena(), sizeof *doc);
    struct qms_block *blocks = qms_arena_alloc(arena(), MAX_BLOCKS * sizeof *blocks);
    struct qms_property *props = qms_arena_alloc(arena(), 64 * sizeof *props);
    struct qms_table *tables = qms_arena_alloc(arena(), 16 * sizeof *tables);
    size_t nb = 0, np = 0, nt = 0;
    unsigned line = 0;
    int in_front = 0, in_code = 0, in_table = 0, row = 0;
    struct qms_block *code = NULL;
    const char *section = NULL;

    cr_assert(doc && blocks && props && tables);
    doc->path = path;
    doc->format = QMS_FORMAT_MARKDOWN;
    for (const char *p = md; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        line++;
        cr_assert_lt(nb, MAX_BLOCKS - 8);
        struct qms_block *b = &blocks[nb];
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
        } else if (len >= 3 && strncmp(p, "```", 3) == 0) {
            if (!in_code) {
                in_code = 1;
                code = b;
                b->kind = QMS_BLOCK_CODE;
                b->text = "";
                nb++;
            } else {
                in_code = 0;
            }
        } else if (in_code) {
            size_t old = strlen(code->text);
            char *t = qms_arena_alloc(arena(), old + len + 2);
            memcpy(t, code->text, old);
            memcpy(t + old, p, len);
            t[old + len] = '\n';
            code->text = t;
            code->text_len = old + len + 1;
        } else if (len > 0 && p[0] == '#') {
            section = fh_md_heading(b, p, len);
            b->loc.section = section;
            nb++;
        } else if (len >= 4 && strncmp(p, "<!--", 4) == 0) {
            b->kind = QMS_BLOCK_MARKUP_COMMENT;
            b->text = fh_dupn(p, len);
            b->text_len = len;
            nb++;
        } else if (len > 0 && p[0] == '|') {
            if (!in_table) {
                in_table = 1;
                row = 0;
                tables[nt].loc = fh_at(line, 1);
                nt++;
            }
            if (strspn(p, "|-: ") < len) { /* not the |---|---| delimiter row */
                int col = 0;
                const char *c = p + 1;
                while (c < p + len) {
                    const char *bar = memchr(c, '|', (size_t)(p + len - c));
                    if (!bar)
                        break;
                    struct qms_block *cell = &blocks[nb++];
                    fh_md_cell(cell, p, c, bar, line, section);
                    cell->table = (int32_t)nt - 1;
                    cell->row = row;
                    cell->col = col++;
                    c = bar + 1;
                }
                row++;
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

void fake_check_text(struct fake_host *h, const char *path, const char *markdown)
{
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(h, &state), 0, "init failed: %s", h->error);
    cr_assert_eq(fake_plugin_check(h, state, fake_doc(path, markdown)), 0);
    fake_plugin_fini(state);
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
