/* Loading the metadata vocabulary (rules/labels.yml) and the config's `metadata:` options. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "ynode.h"

#define WORD_MAX 128
#define DEFAULT_CONTROL_BLOCKS 40
#define ID_MATCH_LIMIT 1000000u
#define ID_DEPTH_LIMIT 10000u

struct opts_priv {
    struct qms_meta_opts pub;
    pcre2_match_context *mctx;
};

static int add_word(struct qms_meta_opts *o, struct qms_vec *v, const struct qms_node *n,
                    int what, const char *canon, int exact, struct qms_err *err)
{
    if (!n || n->kind != QMS_NODE_SCALAR)
        return qms_node_err(err, n, "expected a word or phrase");
    char norm[WORD_MAX];
    size_t len;
    if (exact) {
        len = strlen(n->scalar);
        if (len >= sizeof norm)
            return qms_node_err(err, n, "phrase longer than %d bytes", WORD_MAX - 1);
        memcpy(norm, n->scalar, len + 1);
    } else {
        len = qms_meta_norm(norm, sizeof norm, n->scalar, strlen(n->scalar));
    }
    if (!len)
        return 0; /* "---" normalizes to nothing: it could never match */
    struct qms_meta_word *w = qms_vec_push(o->arena, v);
    if (!w || !(w->norm = qms_arena_strndup(o->arena, norm, len)))
        return qms_err_set(err, QMS_ENOMEM, "out of memory loading labels");
    w->len = len;
    w->what = what;
    w->canon = canon;
    return 0;
}

static int add_seq(struct qms_meta_opts *o, struct qms_vec *v, const struct qms_node *seq,
                   int what, const char *canon, int exact, struct qms_err *err)
{
    if (!seq || seq->kind != QMS_NODE_SEQ)
        return qms_node_err(err, seq, "expected a list");
    for (size_t i = 0; i < seq->n_items; i++) {
        int rc = add_word(o, v, &seq->items[i], what, canon, exact, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int cmp_word(const void *a, const void *b)
{
    const struct qms_meta_word *x = a, *y = b;
    if (x->norm[0] != y->norm[0])
        return (unsigned char)x->norm[0] < (unsigned char)y->norm[0] ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return strcmp(x->norm, y->norm);
}

static void finish(struct qms_meta_wordlist *list, struct qms_vec *v)
{
    list->items = v->items;
    list->n = v->len;
    if (list->n > 1)
        qsort(list->items, list->n, sizeof *list->items, cmp_word);
    size_t j = 0;
    for (unsigned c = 0; c <= 256; c++) {
        while (j < list->n && c < 256 && (unsigned char)list->items[j].norm[0] < c)
            j++;
        list->first[c] = (uint32_t)(c == 256 ? list->n : j);
    }
}

static int field_by_name(const char *name)
{
    for (int f = 0; f < QMS_META_N_FIELDS; f++)
        if (!strcmp(name, qms_meta_field_name((enum qms_meta_field)f)))
            return f;
    return -1;
}

static int column_by_name(const char *name)
{
    static const char *const names[QMS_COL_N] = {"", "id", "title", "revision", "date",
                                                 "description", "author", "approver", "status"};
    for (int c = 1; c < QMS_COL_N; c++)
        if (!strcmp(name, names[c]))
            return c;
    return -1;
}

static const struct qms_node *section(const struct qms_node *root, const char *key,
                                      enum qms_node_kind kind, struct qms_err *err, int *rc)
{
    const struct qms_node *n = qms_node_get(root, key);
    if (!n) {
        *rc = qms_node_err(err, root, "labels.yml has no '%s' section", key);
        return NULL;
    }
    if (n->kind != kind) {
        *rc = qms_node_err(err, n, "'%s' must be a %s", key, kind == QMS_NODE_MAP ? "map" : "list");
        return NULL;
    }
    return n;
}

static int load_labels(struct qms_meta_opts *o, const struct qms_node *root, struct qms_err *err)
{
    int rc = 0;
    const struct qms_node *n;
    struct qms_vec v;

    if (!root || root->kind != QMS_NODE_MAP)
        return qms_node_err(err, root, "labels.yml must be a map");

    if (!(n = section(root, "labels", QMS_NODE_MAP, err, &rc)))
        return rc;
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    for (size_t i = 0; i < n->n_items; i++) {
        int f = !strcmp(n->keys[i], "_stop") ? -1 : field_by_name(n->keys[i]);
        if (f < 0 && strcmp(n->keys[i], "_stop"))
            return qms_node_err(err, &n->items[i], "unknown metadata field '%s'", n->keys[i]);
        if ((rc = add_seq(o, &v, &n->items[i], f, NULL, 0, err)))
            return rc;
    }
    finish(&o->labels, &v);

    if (!(n = section(root, "status", QMS_NODE_MAP, err, &rc)))
        return rc;
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    for (size_t i = 0; i < n->n_items; i++)
        if ((rc = add_seq(o, &v, &n->items[i], 0, n->keys[i], 0, err)))
            return rc;
    finish(&o->status, &v);

    if (!(n = section(root, "types", QMS_NODE_MAP, err, &rc)))
        return rc;
    struct qms_vec prefixes, title_words;
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    qms_vec_init(&prefixes, sizeof(struct qms_meta_word));
    qms_vec_init(&title_words, sizeof(struct qms_meta_word));
    for (size_t i = 0; i < n->n_items; i++) {
        const struct qms_node *t = &n->items[i];
        if (t->kind != QMS_NODE_MAP)
            return qms_node_err(err, t, "type '%s' must be a map of prefixes and words", n->keys[i]);
        const struct qms_node *p = qms_node_get(t, "prefixes"), *w = qms_node_get(t, "words");
        if (p && (rc = add_seq(o, &prefixes, p, 0, n->keys[i], 1, err)))
            return rc;
        if (w && (rc = add_seq(o, &v, w, 0, n->keys[i], 0, err)))
            return rc;
        if (w && (rc = add_seq(o, &title_words, w, 0, n->keys[i], 0, err)))
            return rc;
        struct qms_node self = *t;
        self.kind = QMS_NODE_SCALAR;
        self.scalar = n->keys[i];
        if ((rc = add_word(o, &v, &self, 0, n->keys[i], 0, err)))
            return rc;
    }
    finish(&o->type_words, &v);
    finish(&o->title_types, &title_words);
    finish(&o->type_prefixes, &prefixes);

    static const char *const col_sections[2] = {"history_columns", "register_columns"};
    struct qms_meta_wordlist *col_lists[2] = {&o->history_cols, &o->register_cols};
    for (int s = 0; s < 2; s++) {
        if (!(n = section(root, col_sections[s], QMS_NODE_MAP, err, &rc)))
            return rc;
        qms_vec_init(&v, sizeof(struct qms_meta_word));
        for (size_t i = 0; i < n->n_items; i++) {
            int c = column_by_name(n->keys[i]);
            if (c < 0)
                return qms_node_err(err, &n->items[i], "unknown column kind '%s'", n->keys[i]);
            if ((rc = add_seq(o, &v, &n->items[i], c, NULL, 0, err)))
                return rc;
        }
        finish(col_lists[s], &v);
    }

    if (!(n = section(root, "months", QMS_NODE_SEQ, err, &rc)))
        return rc;
    if (n->n_items != 12)
        return qms_node_err(err, n, "'months' must list 12 months");
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    for (size_t i = 0; i < 12; i++)
        if ((rc = add_seq(o, &v, &n->items[i], (int)i + 1, NULL, 0, err)))
            return rc;
    finish(&o->months, &v);

    /* Optional: older vocabularies have no weekday list. */
    n = qms_node_get(root, "weekdays");
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    if (n && (rc = add_seq(o, &v, n, 0, NULL, 0, err)))
        return rc;
    finish(&o->weekdays, &v);

    if (!(n = section(root, "placeholders", QMS_NODE_SEQ, err, &rc)))
        return rc;
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    if ((rc = add_seq(o, &v, n, 0, NULL, 0, err)))
        return rc;
    finish(&o->placeholders, &v);

    if (!(n = section(root, "core_properties", QMS_NODE_MAP, err, &rc)))
        return rc;
    qms_vec_init(&v, sizeof(struct qms_meta_word));
    for (size_t i = 0; i < n->n_items; i++) {
        const struct qms_node *val = &n->items[i];
        int f = val->kind == QMS_NODE_SCALAR ? field_by_name(val->scalar) : -1;
        if (f < 0)
            return qms_node_err(err, val, "'%s' must name a metadata field", n->keys[i]);
        struct qms_node key = *val;
        key.scalar = n->keys[i];
        if ((rc = add_word(o, &v, &key, f, NULL, 0, err)))
            return rc;
    }
    finish(&o->core_props, &v);
    return 0;
}

static int compile_id(struct opts_priv *p, const char *pattern, const struct qms_node *where,
                      struct qms_err *err)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &offset,
                                   NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", code);
        if (where)
            return qms_node_err(err, where, "metadata.id_pattern: %s at offset %zu",
                                (const char *)msg, (size_t)offset);
        return qms_err_set(err, QMS_EINTERNAL, "default ID pattern: %s at offset %zu",
                           (const char *)msg, (size_t)offset);
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    p->pub.id_re = re;
    p->mctx = pcre2_match_context_create(NULL);
    if (!p->mctx)
        return qms_err_set(err, QMS_ENOMEM, "out of memory compiling the ID pattern");
    pcre2_set_match_limit(p->mctx, ID_MATCH_LIMIT);
    pcre2_set_depth_limit(p->mctx, ID_DEPTH_LIMIT);
    return 0;
}

static int load_config(struct opts_priv *p, const struct qms_node *cfg, struct qms_err *err)
{
    struct qms_meta_opts *o = &p->pub;
    const struct qms_node *id = NULL;
    o->id_pattern = QMS_META_DEFAULT_ID_PATTERN;
    o->date_order = QMS_DATE_AUTO;
    o->control_blocks = DEFAULT_CONTROL_BLOCKS;
    if (cfg) {
        if (cfg->kind != QMS_NODE_MAP)
            return qms_node_err(err, cfg, "metadata: expected a map");
        id = qms_node_get(cfg, "id_pattern");
        if (id) {
            if (id->kind != QMS_NODE_SCALAR || !id->scalar[0])
                return qms_node_err(err, id, "metadata.id_pattern: expected a PCRE2 pattern");
            o->id_pattern = qms_arena_strdup(o->arena, id->scalar);
            if (!o->id_pattern)
                return qms_err_set(err, QMS_ENOMEM, "out of memory");
        }
        const struct qms_node *order = qms_node_get(cfg, "date_order");
        if (order) {
            const char *s = order->kind == QMS_NODE_SCALAR ? order->scalar : "";
            if (!strcmp(s, "auto"))
                o->date_order = QMS_DATE_AUTO;
            else if (!strcmp(s, "dmy"))
                o->date_order = QMS_DATE_DMY;
            else if (!strcmp(s, "mdy"))
                o->date_order = QMS_DATE_MDY;
            else
                return qms_node_err(err, order,
                                    "metadata.date_order: expected auto, dmy or mdy, not '%s'", s);
        }
        const struct qms_node *blocks = qms_node_get(cfg, "control_block_blocks");
        if (blocks) {
            long v = 0;
            int rc = qms_node_long(blocks, 1, 500, &v, err);
            if (rc)
                return rc;
            o->control_blocks = (uint32_t)v;
        }
    }
    return compile_id(p, o->id_pattern, id, err);
}

int qms_meta_opts_load(struct qms_meta_opts **out, const char *rules_dir,
                       const struct qms_node *metadata_config, struct qms_err *err)
{
    *out = NULL;
    /* Never the current folder: it may be the (untrusted) document set. */
    if (!rules_dir || !*rules_dir)
        return qms_err_set(err, QMS_EIO, "no rules directory: labels.yml not loaded");
    struct qms_arena *arena = qms_arena_new(0);
    if (!arena)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    struct opts_priv *p = qms_arena_alloc(arena, sizeof *p);
    if (!p) {
        qms_arena_free(arena);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    p->pub.arena = arena;
    char *file = qms_arena_printf(arena, "%s/labels.yml", rules_dir);
    const struct qms_node *root = NULL;
    int rc = file ? qms_yaml_load(&root, arena, file, err)
                  : qms_err_set(err, QMS_ENOMEM, "out of memory");
    if (!rc && !root)
        rc = qms_err_set(err, QMS_ECONFIG, "%s: empty file", file);
    if (!rc)
        rc = load_labels(&p->pub, root, err);
    if (!rc)
        rc = load_config(p, metadata_config, err);
    if (rc) {
        qms_meta_opts_free(&p->pub);
        return rc;
    }
    *out = &p->pub;
    return 0;
}

void qms_meta_opts_free(struct qms_meta_opts *opts)
{
    if (!opts)
        return;
    struct opts_priv *p = (struct opts_priv *)opts;
    pcre2_code_free(opts->id_re);
    pcre2_match_context_free(p->mctx);
    qms_arena_free(opts->arena);
}

int qms_meta_find_id(const struct qms_meta_opts *opts, const char *s, size_t len, size_t from,
                     size_t *start, size_t *end)
{
    const struct opts_priv *p = (const struct opts_priv *)opts;
    if (!opts->id_re || from > len)
        return 0;
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    if (!md)
        return 0;
    int rc = pcre2_match(opts->id_re, (PCRE2_SPTR)s, len, from, 0, md, p->mctx);
    int found = 0;
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0] && ov[1] <= len) {
            *start = ov[0];
            *end = ov[1];
            found = 1;
        }
    }
    pcre2_match_data_free(md);
    return found;
}
