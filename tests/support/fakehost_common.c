/* Pieces shared by the suites' fake plugin hosts (see fakehost_common.h). */
#include "fakehost_common.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

struct qms_arena *fh_arena(void)
{
    static struct qms_arena *a;
    if (!a)
        a = qms_arena_new(0);
    return a;
}

char *fh_dupn(const char *s, size_t n) { return qms_arena_strndup(fh_arena(), s, n); }

struct qms_location fh_at(unsigned line, unsigned column)
{
    struct qms_location loc = {NULL, line, column, 0, NULL};
    return loc;
}

void fh_set_error(char *error, size_t size, const char *msg)
{
    if (!error[0])
        snprintf(error, size, "%s", msg);
}

void fh_vlog(char *error, size_t size, int level, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (level >= 1)
        fh_set_error(error, size, msg);
}

void fh_vnode_error(char *error, size_t size, const char *tag, const struct qms_node *node,
                    const char *fmt, va_list ap)
{
    char text[512], msg[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    if (!tag)
        snprintf(msg, sizeof msg, "%s", text);
    else if (node && node->file)
        snprintf(msg, sizeof msg, "%s:%u:%u: %s", node->file, node->line, node->column, text);
    else
        snprintf(msg, sizeof msg, "%s: %s", tag, text);
    fh_set_error(error, size, msg);
}

int fh_load_pack(const char *rules_dir, const char *name, const struct qms_node **out,
                 char *error, size_t size)
{
    char path[4096];
    struct qms_err err = {{0}};
    snprintf(path, sizeof path, "%s/%s", rules_dir ? rules_dir : QMS_TEST_SOURCE_DIR "/rules",
             name);
    int rc = qms_yaml_load(out, fh_arena(), path, &err);
    if (rc < 0)
        fh_set_error(error, size, err.msg);
    return rc;
}

enum qms_severity fh_rule_severity(const char *off_rule, const char *rule_id)
{
    return off_rule && strcmp(off_rule, rule_id) == 0 ? QMS_SEV_OFF : QMS_SEV_WARNING;
}

void *fh_plugin_open(const char *so_name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", QMS_TEST_PLUGIN_DIR, so_name);
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cr_assert_not_null(dl, "dlopen %s: %s", path, dlerror());
    return dl;
}

const struct qms_plugin *fh_plugin_entry(void *dl, const char *so_name)
{
    qms_plugin_entry_fn entry = (qms_plugin_entry_fn)dlsym(dl, QMS_PLUGIN_ENTRY_SYMBOL);
    cr_assert_not_null(entry, "no %s in %s", QMS_PLUGIN_ENTRY_SYMBOL, so_name);
    const struct qms_plugin *desc = entry();
    cr_assert_not_null(desc);
    return desc;
}

const struct qms_node *fh_yaml(const char *text)
{
    const struct qms_node *n = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_yaml_parse(&n, fh_arena(), "options.yml", text, strlen(text), 0, &err), 0,
                 "%s", err.msg);
    return n;
}

int fh_finding_ok(const struct qms_finding_desc *f, const char *prefix)
{
    return f && f->rule_id && f->message && strncmp(f->rule_id, prefix, strlen(prefix)) == 0;
}

static const char *rule_at(const void *findings, size_t i, size_t stride)
{
    return (const char *)findings + i * stride;
}

size_t fh_count(const void *findings, size_t n, size_t stride, const char *rule)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += strcmp(rule_at(findings, i, stride), rule) == 0;
    return count;
}

size_t fh_first(const void *findings, size_t n, size_t stride, const char *rule)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rule_at(findings, i, stride), rule) == 0)
            return i;
    return n;
}

/* ---- line steps of the document builders ---- */

void fh_md_property(struct qms_property *pr, const char *p, size_t len, unsigned line)
{
    const char *colon = memchr(p, ':', len);
    cr_assert_not_null(colon, "front matter line %u", line);
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
    pr->source = QMS_PROP_FRONT_MATTER;
    pr->name = fh_dupn(p, (size_t)(colon - p));
    pr->value = fh_dupn(v, (size_t)(p + len - v));
    pr->type = "string";
    pr->loc = fh_at(line, 1);
}

const char *fh_md_heading(struct qms_block *b, const char *p, size_t len)
{
    size_t level = 0;
    while (level < len && p[level] == '#')
        level++;
    const char *t = p + level;
    while (*t == ' ')
        t++;
    b->kind = QMS_BLOCK_HEADING;
    b->level = (uint32_t)level;
    b->text = fh_dupn(t, (size_t)(p + len - t));
    b->text_len = strlen(b->text);
    return b->text;
}

void fh_md_paragraph(struct qms_block *b, const char *p, size_t len)
{
    const char *t = p;
    b->kind = QMS_BLOCK_PARAGRAPH;
    if (len > 2 && p[0] == '-' && p[1] == ' ') {
        b->kind = QMS_BLOCK_LIST_ITEM;
        b->level = 1;
        t = p + 2;
        b->loc.column = 3;
    }
    b->text = fh_dupn(t, (size_t)(p + len - t));
    b->text_len = strlen(b->text);
}

const char *fh_md_cell(struct qms_block *cell, const char *p, const char *c, const char *bar,
                       unsigned line, const char *section)
{
    const char *s = c, *e = bar;
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    cell->kind = QMS_BLOCK_TABLE_CELL;
    cell->text = fh_dupn(s, (size_t)(e - s));
    cell->text_len = (size_t)(e - s);
    cell->flags = QMS_BLOCK_IN_TABLE;
    cell->loc = fh_at(line, (unsigned)(s - p) + 1);
    cell->loc.section = section;
    return cell->text;
}

void fh_md_finish(struct qms_doc *doc, struct qms_block *blocks, size_t nb,
                  struct qms_property *props, size_t np, struct qms_table *tables, size_t nt)
{
    doc->blocks = blocks;
    doc->n_blocks = nb;
    doc->properties = props;
    doc->n_properties = np;
    doc->tables = tables;
    doc->n_tables = nt;
}
