/* Fake plugin host for the structure suite (see fakehost.h). */
#include "fakehost.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "engine_int.h"
#include "testutil.h"
#include "ynode.h"

static struct qms_arena *arena(void)
{
    static struct qms_arena *a;
    if (!a)
        a = qms_arena_new(0);
    return a;
}

static struct fake_host *H(struct qms_host *host) { return (struct fake_host *)host; }

static void set_error(struct fake_host *h, const char *msg)
{
    if (!h->error[0])
        snprintf(h->error, sizeof h->error, "%s", msg);
}

static int fake_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct fake_host *h = H(host);
    if (!f || !f->rule_id || !f->message || strncmp(f->rule_id, "structure/", 10) != 0)
        return -1;
    if (h->n_findings == FAKE_MAX_FINDINGS)
        return 0;
    struct fake_finding *out = &h->findings[h->n_findings++];
    snprintf(out->rule, sizeof out->rule, "%s", f->rule_id);
    snprintf(out->message, sizeof out->message, "%s", f->message);
    snprintf(out->key, sizeof out->key, "%s", f->key ? f->key : "");
    out->line = f->loc.line;
    out->column = f->loc.column;
    out->block = f->loc.block;
    return 0;
}

static void fake_log(struct qms_host *host, int level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (level >= 1)
        set_error(H(host), msg);
}

static int fake_load_pack(struct qms_host *host, const char *name, const struct qms_node **out)
{
    struct fake_host *h = H(host);
    char path[4096];
    struct qms_err err = {{0}};
    snprintf(path, sizeof path, "%s/%s", h->rules_dir ? h->rules_dir : QMS_TEST_SOURCE_DIR "/rules",
             name);
    int rc = qms_yaml_load(out, arena(), path, &err);
    if (rc < 0)
        set_error(h, err.msg);
    return rc;
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
    const char *off = H(host)->off_rule;
    return off && strcmp(off, rule_id) == 0 ? QMS_SEV_OFF : QMS_SEV_WARNING;
}

static void fake_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    char text[512], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (node && node->file)
        snprintf(msg, sizeof msg, "%s:%u:%u: %s", node->file, node->line, node->column, text);
    else
        snprintf(msg, sizeof msg, "structure: %s", text);
    set_error(H(host), msg);
}

static const struct qms_host_api fake_api = {
    .struct_size = sizeof(struct qms_host_api),
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .report = fake_report,
    .log = fake_log,
    .load_pack = fake_load_pack,
    .rule_options = fake_rule_options,
    .plugin_options = fake_plugin_options,
    .rule_severity = fake_rule_severity,
    .node_error = fake_node_error,
    .regex_compile = qms_regex_compile,
    .regex_match = qms_regex_match,
    .regex_free = qms_regex_free,
    .node_get = qms_node_get,
};

const struct qms_plugin *fake_plugin_desc(void)
{
    static const struct qms_plugin *desc;
    if (desc)
        return desc;
    char path[4096];
    snprintf(path, sizeof path, "%s/structure.so", QMS_TEST_PLUGIN_DIR);
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cr_assert_not_null(dl, "dlopen %s: %s", path, dlerror());
    qms_plugin_entry_fn entry = (qms_plugin_entry_fn)dlsym(dl, QMS_PLUGIN_ENTRY_SYMBOL);
    cr_assert_not_null(entry, "no %s in %s", QMS_PLUGIN_ENTRY_SYMBOL, path);
    desc = entry();
    cr_assert_not_null(desc);
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

const struct qms_node *fake_yaml(const char *text)
{
    const struct qms_node *n = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_yaml_parse(&n, arena(), "options.yml", text, strlen(text), 0, &err), 0, "%s",
                 err.msg);
    return n;
}

/* ---- the document builder ---- */

#define MAX_BLOCKS 512

static char *dupn(const char *s, size_t n) { return qms_arena_strndup(arena(), s, n); }

static struct qms_location at(unsigned line, unsigned column)
{
    struct qms_location loc = {NULL, line, column, 0, NULL};
    return loc;
}

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
        b->loc = at(line, 1);
        b->loc.section = section;

        if (line == 1 && len == 3 && strncmp(p, "---", 3) == 0) {
            in_front = 1;
            doc->flags |= QMS_DOC_HAS_FRONT_MATTER;
        } else if (in_front && len == 3 && strncmp(p, "---", 3) == 0) {
            in_front = 0;
        } else if (in_front) {
            const char *colon = memchr(p, ':', len);
            cr_assert_not_null(colon, "front matter line %u", line);
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            struct qms_property *pr = &props[np++];
            pr->source = QMS_PROP_FRONT_MATTER;
            pr->name = dupn(p, (size_t)(colon - p));
            pr->value = dupn(v, (size_t)(p + len - v));
            pr->type = "string";
            pr->loc = at(line, 1);
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
            size_t level = 0;
            while (level < len && p[level] == '#')
                level++;
            const char *t = p + level;
            while (*t == ' ')
                t++;
            b->kind = QMS_BLOCK_HEADING;
            b->level = (uint32_t)level;
            b->text = dupn(t, (size_t)(p + len - t));
            b->text_len = strlen(b->text);
            section = b->text;
            b->loc.section = section;
            nb++;
        } else if (len >= 4 && strncmp(p, "<!--", 4) == 0) {
            b->kind = QMS_BLOCK_MARKUP_COMMENT;
            b->text = dupn(p, len);
            b->text_len = len;
            nb++;
        } else if (len > 0 && p[0] == '|') {
            if (!in_table) {
                in_table = 1;
                row = 0;
                tables[nt].loc = at(line, 1);
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
                    const char *s = c, *e = bar;
                    while (s < e && *s == ' ')
                        s++;
                    while (e > s && e[-1] == ' ')
                        e--;
                    cell->kind = QMS_BLOCK_TABLE_CELL;
                    cell->text = dupn(s, (size_t)(e - s));
                    cell->text_len = (size_t)(e - s);
                    cell->table = (int32_t)nt - 1;
                    cell->row = row;
                    cell->col = col++;
                    cell->flags = QMS_BLOCK_IN_TABLE;
                    cell->loc = at(line, (unsigned)(s - p) + 1);
                    cell->loc.section = section;
                    c = bar + 1;
                }
                row++;
            }
        } else if (len > 0) {
            const char *t = p;
            b->kind = QMS_BLOCK_PARAGRAPH;
            if (len > 2 && p[0] == '-' && p[1] == ' ') {
                b->kind = QMS_BLOCK_LIST_ITEM;
                b->level = 1;
                t = p + 2;
                b->loc.column = 3;
            }
            b->text = dupn(t, (size_t)(p + len - t));
            b->text_len = strlen(b->text);
            nb++;
        }
        if (len == 0 || p[0] != '|')
            in_table = 0;
        p = next;
    }
    doc->blocks = blocks;
    doc->n_blocks = nb;
    doc->properties = props;
    doc->n_properties = np;
    doc->tables = tables;
    doc->n_tables = nt;
    return doc;
}

void fake_check_text(struct fake_host *h, const char *path, const char *markdown)
{
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(h, &state), 0, "init failed: %s", h->error);
    cr_assert_eq(fake_plugin_check(h, state, fake_doc(path, markdown)), 0);
    fake_plugin_fini(state);
}

size_t fake_count(const struct fake_host *h, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n_findings; i++)
        n += strcmp(h->findings[i].rule, rule) == 0;
    return n;
}

const struct fake_finding *fake_first(const struct fake_host *h, const char *rule)
{
    for (size_t i = 0; i < h->n_findings; i++)
        if (strcmp(h->findings[i].rule, rule) == 0)
            return &h->findings[i];
    return NULL;
}
