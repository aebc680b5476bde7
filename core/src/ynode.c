/* YAML -> qms_node tree (libyaml's event API), built in an arena. */
#include "ynode.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#define YNODE_MAX_DEPTH 64
#define YNODE_MAX_NODES 1000000u
#define YNODE_MAX_FILE (16u * 1024u * 1024u)
/* Maps with more keys than this check duplicates with a hash table instead of a scan. */
#define YNODE_LINEAR_KEYS 16

/* Stored right after a map's `keys` array (same arena block): where each key was written. */
struct key_pos {
    uint32_t line, column;
};

/* Follows libyaml's marks through the bytes to give columns in code points from the start of
 * the line (the unit of every column in the model and of SARIF's unicodeCodePoints). */
struct byte_cursor {
    const unsigned char *data;
    size_t len;
    size_t char_index;   /* libyaml mark.index reached */
    size_t byte_pos;     /* byte offset of that character */
    size_t line_start;   /* byte offset where its line starts */
    size_t line_start_char; /* char_index there */
    int enabled;         /* UTF-8 input only */
    size_t bom;
};

struct yctx {
    yaml_parser_t parser;
    struct qms_arena *arena;
    const char *file;        /* arena copy */
    unsigned line_offset;
    struct qms_err *err;
    size_t n_nodes;
    struct byte_cursor cur;
};

static const char *kind_name(enum qms_node_kind k)
{
    switch (k) {
    case QMS_NODE_SCALAR: return "a scalar";
    case QMS_NODE_SEQ: return "a sequence";
    case QMS_NODE_MAP: return "a map";
    }
    return "a node";
}

/* A short, printable excerpt of a hostile string for messages. */
static void excerpt(char *out, size_t out_size, const char *s)
{
    size_t o = 0, max = out_size - 1;
    const size_t cap = 60;
    size_t i;
    if (!s)
        s = "";
    for (i = 0; s[i] && o < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= cap) {
            if (o + 3 <= max) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[o] = '\0';
}

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static int utf8_line_break(const unsigned char *p, size_t left, size_t *out_width)
{
    if (p[0] == '\n') {
        *out_width = 1;
        return 1;
    }
    if (p[0] == '\r') {
        *out_width = (left > 1 && p[1] == '\n') ? 2 : 1;
        return 1;
    }
    if (left > 1 && p[0] == 0xC2 && p[1] == 0x85) { /* NEL */
        *out_width = 2;
        return 1;
    }
    if (left > 2 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
        *out_width = 3;
        return 1;
    }
    return 0;
}

static size_t utf8_width(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

static void cursor_init(struct byte_cursor *c, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->data = (const unsigned char *)data;
    c->len = len;
    c->enabled = 1;
    if (len >= 2 && ((c->data[0] == 0xFE && c->data[1] == 0xFF) ||
                     (c->data[0] == 0xFF && c->data[1] == 0xFE)))
        c->enabled = 0; /* UTF-16: keep libyaml's character columns */
    if (len >= 3 && c->data[0] == 0xEF && c->data[1] == 0xBB && c->data[2] == 0xBF)
        c->bom = 3;
    c->byte_pos = c->line_start = c->bom;
}

/* 1-based column, in code points, of the character at libyaml `mark`. */
static uint32_t cursor_column(struct byte_cursor *c, const yaml_mark_t *mark)
{
    if (!c->enabled)
        return clamp_u32(mark->column + 1);
    if (mark->index < c->char_index) {
        c->char_index = c->line_start_char = 0;
        c->byte_pos = c->line_start = c->bom;
    }
    while (c->char_index < mark->index && c->byte_pos < c->len) {
        size_t w;
        int is_break = utf8_line_break(c->data + c->byte_pos, c->len - c->byte_pos, &w);
        if (!is_break) {
            w = utf8_width(c->data[c->byte_pos]);
            if (w > c->len - c->byte_pos)
                w = c->len - c->byte_pos;
        }
        c->byte_pos += w;
        c->char_index++;
        if (is_break) {
            c->line_start = c->byte_pos;
            c->line_start_char = c->char_index;
        }
    }
    if (c->char_index != mark->index || c->byte_pos < c->line_start)
        return clamp_u32(mark->column + 1);
    return clamp_u32(c->char_index - c->line_start_char + 1);
}

static uint32_t mark_line(const struct yctx *y, const yaml_mark_t *mark)
{
    return clamp_u32((size_t)mark->line + 1 + y->line_offset);
}

static int fail_at(struct yctx *y, uint32_t line, uint32_t column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(struct yctx *y, uint32_t line, uint32_t column, const char *fmt, ...)
{
    char what[QMS_ERRBUF_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return qms_err_set(y->err, QMS_ECONFIG, "%s:%u:%u: %s", y->file, (unsigned)line,
                       (unsigned)column, what);
}

static int fail_mark(struct yctx *y, const yaml_mark_t *mark, const char *what)
{
    return fail_at(y, mark_line(y, mark), cursor_column(&y->cur, mark), "%s", what);
}

static int nomem(struct yctx *y)
{
    return qms_err_set(y->err, QMS_ENOMEM, "%s: out of memory while reading YAML", y->file);
}

/* The libyaml error as "file:line:column: problem (context)". */
static int parser_error(struct yctx *y)
{
    yaml_parser_t *p = &y->parser;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    uint32_t line, column;

    if (p->error == YAML_MEMORY_ERROR)
        return nomem(y);
    if (p->error == YAML_READER_ERROR) {
        /* libyaml gives a byte offset only: find its line and column ourselves. */
        size_t off = p->problem_offset, i, line_start = 0, lines = 0;
        if (off > y->cur.len)
            off = y->cur.len;
        for (i = 0; i < off; i++) {
            if (y->cur.data[i] == '\n') {
                lines++;
                line_start = i + 1;
            }
        }
        line = clamp_u32(lines + 1 + y->line_offset);
        column = clamp_u32(off - line_start + 1);
        if (p->problem_value >= 0 && strstr(problem, "invalid") == NULL)
            return fail_at(y, line, column, "%s (#%X)", problem, (unsigned)p->problem_value);
        return fail_at(y, line, column, "%s", problem);
    }
    line = mark_line(y, &p->problem_mark);
    column = cursor_column(&y->cur, &p->problem_mark);
    if (p->context)
        return fail_at(y, line, column, "%s (%s)", problem, p->context);
    return fail_at(y, line, column, "%s", problem);
}

static int next_event(struct yctx *y, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&y->parser, ev))
        return parser_error(y);
    return 0;
}

static int count_node(struct yctx *y, const yaml_mark_t *mark)
{
    if (++y->n_nodes > YNODE_MAX_NODES)
        return fail_at(y, mark_line(y, mark), cursor_column(&y->cur, mark),
                       "too many YAML nodes (more than %u)", YNODE_MAX_NODES);
    return 0;
}

/* Duplicate-key detection: a scan for small maps, an open-addressing table beyond. */
struct keyset {
    size_t *slots;   /* index + 1, 0 = empty */
    size_t cap;
    uint64_t key;    /* hash key: keys come from documents (front matter) */
};

/* FNV-1a keyed per map and finalized (murmur3's fmix64): with a fixed hash a front matter
 * can list thousands of keys chosen to share one slot run, making the duplicate check
 * quadratic. The key changes slot order only, never a result. */
static size_t hash_str(uint64_t key, const char *s)
{
    uint64_t h = 1469598103934665603ull ^ key;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (size_t)h;
}

/* Inserts keys[idx]; returns the earlier index of an equal key in *out_dup (or SIZE_MAX). */
static int keyset_add(struct keyset *ks, const char *const *keys, size_t idx, size_t *out_dup)
{
    size_t i, mask;
    *out_dup = SIZE_MAX;
    if ((idx + 1) * 2 > ks->cap) {
        size_t ncap = ks->cap ? ks->cap * 2 : 64, j;
        size_t *ns;
        while ((idx + 1) * 2 > ncap)
            ncap *= 2;
        ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return QMS_ENOMEM;
        for (j = 0; j < ks->cap; j++) {
            if (ks->slots[j]) {
                size_t k = hash_str(ks->key, keys[ks->slots[j] - 1]) & (ncap - 1);
                while (ns[k])
                    k = (k + 1) & (ncap - 1);
                ns[k] = ks->slots[j];
            }
        }
        free(ks->slots);
        ks->slots = ns;
        ks->cap = ncap;
    }
    mask = ks->cap - 1;
    for (i = hash_str(ks->key, keys[idx]) & mask; ks->slots[i]; i = (i + 1) & mask) {
        if (strcmp(keys[ks->slots[i] - 1], keys[idx]) == 0) {
            *out_dup = ks->slots[i] - 1;
            return 0;
        }
    }
    ks->slots[i] = idx + 1;
    return 0;
}

static int parse_node(struct yctx *y, yaml_event_t *ev, struct qms_node *out, unsigned depth);

static void node_start(struct yctx *y, struct qms_node *n, enum qms_node_kind kind,
                       const yaml_mark_t *mark)
{
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->file = y->file;
    n->line = mark_line(y, mark);
    n->column = cursor_column(&y->cur, mark);
}

static int refuse_anchor(struct yctx *y, const yaml_mark_t *mark, const yaml_char_t *anchor)
{
    char name[80];
    if (!anchor)
        return 0;
    excerpt(name, sizeof name, (const char *)anchor);
    return fail_at(y, mark_line(y, mark), cursor_column(&y->cur, mark),
                   "anchors and aliases are not supported (&%s)", name);
}

static int parse_seq(struct yctx *y, struct qms_node *out, unsigned depth)
{
    struct qms_vec items;
    qms_vec_init(&items, sizeof(struct qms_node));
    for (;;) {
        yaml_event_t ev;
        struct qms_node *item;
        int rc = next_event(y, &ev);
        if (rc)
            return rc;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        item = qms_vec_push(y->arena, &items);
        if (!item) {
            yaml_event_delete(&ev);
            return nomem(y);
        }
        rc = parse_node(y, &ev, item, depth + 1);
        yaml_event_delete(&ev);
        if (rc)
            return rc;
    }
    out->items = items.items;
    out->n_items = items.len;
    return 0;
}

static int parse_map(struct yctx *y, struct qms_node *out, unsigned depth)
{
    struct qms_vec values, keys, pos;
    struct keyset ks = { NULL, 0, 0 };
    int rc = 0;

    qms_vec_init(&values, sizeof(struct qms_node));
    qms_vec_init(&keys, sizeof(const char *));
    qms_vec_init(&pos, sizeof(struct key_pos));
    for (;;) {
        yaml_event_t ev;
        const char **key;
        struct key_pos *kp;
        struct qms_node *value;
        size_t idx, dup = SIZE_MAX;

        if ((rc = next_event(y, &ev)))
            goto done;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type != YAML_SCALAR_EVENT) {
            if (ev.type == YAML_ALIAS_EVENT)
                rc = fail_mark(y, &ev.start_mark, "aliases are not supported");
            else
                rc = fail_mark(y, &ev.start_mark, "map keys must be scalars");
            yaml_event_delete(&ev);
            goto done;
        }
        if ((rc = refuse_anchor(y, &ev.start_mark, ev.data.scalar.anchor)) ||
            (rc = count_node(y, &ev.start_mark))) {
            yaml_event_delete(&ev);
            goto done;
        }
        key = qms_vec_push(y->arena, &keys);
        kp = qms_vec_push(y->arena, &pos);
        if (key)
            *key = qms_arena_strndup(y->arena, (const char *)ev.data.scalar.value,
                                     ev.data.scalar.length);
        if (!key || !kp || !*key) {
            yaml_event_delete(&ev);
            rc = nomem(y);
            goto done;
        }
        kp->line = mark_line(y, &ev.start_mark);
        kp->column = cursor_column(&y->cur, &ev.start_mark);
        yaml_event_delete(&ev);

        idx = keys.len - 1;
        if (idx < YNODE_LINEAR_KEYS) {
            size_t j;
            for (j = 0; j < idx; j++) {
                if (strcmp(((const char **)keys.items)[j], *key) == 0) {
                    dup = j;
                    break;
                }
            }
        } else {
            size_t j;
            if (!ks.slots) {
                /* Address-space layout and time: not known to a file written in advance. */
                ks.key = (uint64_t)(uintptr_t)keys.items ^ ((uint64_t)(uintptr_t)&ks << 21) ^
                         ((uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull);
                for (j = 0; j < idx; j++) {
                    size_t ignored;
                    if ((rc = keyset_add(&ks, keys.items, j, &ignored))) {
                        rc = nomem(y);
                        goto done;
                    }
                }
            }
            if (keyset_add(&ks, keys.items, idx, &dup)) {
                rc = nomem(y);
                goto done;
            }
        }
        if (dup != SIZE_MAX) {
            const struct key_pos *first = (const struct key_pos *)pos.items + dup;
            char name[80];
            excerpt(name, sizeof name, *key);
            rc = fail_at(y, kp->line, kp->column, "duplicate key '%s' (first at %u:%u)", name,
                         (unsigned)first->line, (unsigned)first->column);
            goto done;
        }

        if ((rc = next_event(y, &ev)))
            goto done;
        value = qms_vec_push(y->arena, &values);
        if (!value) {
            yaml_event_delete(&ev);
            rc = nomem(y);
            goto done;
        }
        rc = parse_node(y, &ev, value, depth + 1);
        yaml_event_delete(&ev);
        if (rc)
            goto done;
    }

    out->n_items = values.len;
    out->items = values.items;
    if (values.len) {
        /* keys, then their positions, in one block (see qms_node_key_pos) */
        size_t n = values.len;
        char *block = qms_arena_alloc(y->arena, n * sizeof(const char *) + n * sizeof(struct key_pos));
        if (!block) {
            rc = nomem(y);
            goto done;
        }
        memcpy(block, keys.items, n * sizeof(const char *));
        memcpy(block + n * sizeof(const char *), pos.items, n * sizeof(struct key_pos));
        out->keys = (const char *const *)(void *)block;
    }
done:
    free(ks.slots);
    return rc;
}

static int parse_node(struct yctx *y, yaml_event_t *ev, struct qms_node *out, unsigned depth)
{
    int rc;
    if (depth > YNODE_MAX_DEPTH)
        return fail_at(y, mark_line(y, &ev->start_mark), cursor_column(&y->cur, &ev->start_mark),
                       "YAML nested deeper than %d levels", YNODE_MAX_DEPTH);
    if ((rc = count_node(y, &ev->start_mark)))
        return rc;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return fail_mark(y, &ev->start_mark, "aliases are not supported");
    case YAML_SCALAR_EVENT:
        if ((rc = refuse_anchor(y, &ev->start_mark, ev->data.scalar.anchor)))
            return rc;
        node_start(y, out, QMS_NODE_SCALAR, &ev->start_mark);
        out->scalar = qms_arena_strndup(y->arena, (const char *)ev->data.scalar.value,
                                        ev->data.scalar.length);
        return out->scalar ? 0 : nomem(y);
    case YAML_SEQUENCE_START_EVENT:
        if ((rc = refuse_anchor(y, &ev->start_mark, ev->data.sequence_start.anchor)))
            return rc;
        node_start(y, out, QMS_NODE_SEQ, &ev->start_mark);
        return parse_seq(y, out, depth);
    case YAML_MAPPING_START_EVENT:
        if ((rc = refuse_anchor(y, &ev->start_mark, ev->data.mapping_start.anchor)))
            return rc;
        node_start(y, out, QMS_NODE_MAP, &ev->start_mark);
        return parse_map(y, out, depth);
    default:
        return fail_mark(y, &ev->start_mark, "unexpected YAML event");
    }
}

static int parse_stream(struct yctx *y, const struct qms_node **out)
{
    yaml_event_t ev;
    struct qms_node *root = NULL;
    int rc, documents = 0;

    for (;;) {
        if ((rc = next_event(y, &ev)))
            return rc;
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT) {
            if (++documents > 1) {
                rc = fail_mark(y, &ev.start_mark,
                               "more than one YAML document (only one is allowed)");
                yaml_event_delete(&ev);
                return rc;
            }
            yaml_event_delete(&ev);
            if ((rc = next_event(y, &ev)))
                return rc;
            /* An empty document ("---" alone, or only comments) has a plain empty scalar. */
            if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
                ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev.data.scalar.anchor &&
                !ev.data.scalar.tag) {
                yaml_event_delete(&ev);
                continue;
            }
            root = qms_arena_alloc(y->arena, sizeof *root);
            if (!root) {
                yaml_event_delete(&ev);
                return nomem(y);
            }
            rc = parse_node(y, &ev, root, 1);
            yaml_event_delete(&ev);
            if (rc)
                return rc;
            continue;
        }
        /* STREAM_START, DOCUMENT_END */
        yaml_event_delete(&ev);
    }
    *out = root;
    return 0;
}

int qms_yaml_parse(const struct qms_node **out, struct qms_arena *arena, const char *file,
                   const char *data, size_t len, unsigned line_offset, struct qms_err *err)
{
    struct yctx y;
    int rc;

    *out = NULL;
    memset(&y, 0, sizeof y);
    y.arena = arena;
    y.err = err;
    y.line_offset = line_offset;
    y.file = qms_arena_strdup(arena, file ? file : "<yaml>");
    if (!y.file)
        return qms_err_set(err, QMS_ENOMEM, "%s: out of memory while reading YAML",
                           file ? file : "<yaml>");
    if (!data)
        len = 0;
    cursor_init(&y.cur, data ? data : "", len);
    if (!yaml_parser_initialize(&y.parser))
        return nomem(&y);
    yaml_parser_set_input_string(&y.parser, (const unsigned char *)(data ? data : ""), len);
    rc = parse_stream(&y, out);
    yaml_parser_delete(&y.parser);
    if (rc)
        *out = NULL;
    return rc;
}

int qms_yaml_load(const struct qms_node **out, struct qms_arena *arena, const char *file,
                  struct qms_err *err)
{
    struct stat st;
    char *data;
    size_t len = 0;
    int fd, rc;

    *out = NULL;
    fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return qms_err_set(err, QMS_EIO, "%s: %s", file, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return qms_err_set(err, QMS_EIO, "%s: not a regular file", file);
    }
    if ((uint64_t)st.st_size > YNODE_MAX_FILE) {
        close(fd);
        return qms_err_set(err, QMS_ETOOBIG, "%s: YAML file larger than 16 MiB", file);
    }
    data = malloc((size_t)st.st_size + 1);
    if (!data) {
        close(fd);
        return qms_err_set(err, QMS_ENOMEM, "%s: out of memory", file);
    }
    while (len < (size_t)st.st_size) {
        ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(data);
            close(fd);
            return qms_err_set(err, QMS_EIO, "%s: %s", file, strerror(e));
        }
        if (n == 0)
            break; /* shrank while reading: parse what is there */
        len += (size_t)n;
    }
    close(fd);
    data[len] = '\0';
    rc = qms_yaml_parse(out, arena, file, data, len, 0, err);
    free(data);
    return rc;
}

const struct qms_node *qms_node_get(const struct qms_node *map, const char *key)
{
    size_t i;
    if (!map || map->kind != QMS_NODE_MAP || !map->keys || !key)
        return NULL;
    for (i = 0; i < map->n_items; i++)
        if (map->keys[i] && strcmp(map->keys[i], key) == 0)
            return &map->items[i];
    return NULL;
}

int qms_node_err(struct qms_err *err, const struct qms_node *n, const char *fmt, ...)
{
    char what[QMS_ERRBUF_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!n)
        return qms_err_set(err, QMS_ECONFIG, "%s", what);
    return qms_err_set(err, QMS_ECONFIG, "%s:%u:%u: %s", n->file ? n->file : "<yaml>",
                       (unsigned)n->line, (unsigned)n->column, what);
}

int qms_node_bool(const struct qms_node *n, int *out, struct qms_err *err)
{
    static const char *const yes[] = { "true", "yes", "on" };
    static const char *const no[] = { "false", "no", "off" };
    char got[80];
    size_t i;

    if (!n || n->kind != QMS_NODE_SCALAR)
        return qms_node_err(err, n, "expected a boolean (true/false, yes/no, on/off), got %s",
                            n ? kind_name(n->kind) : "nothing");
    for (i = 0; i < 3; i++) {
        if (strcasecmp(n->scalar, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(n->scalar, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    excerpt(got, sizeof got, n->scalar);
    return qms_node_err(err, n, "expected a boolean (true/false, yes/no, on/off), got '%s'", got);
}

int qms_node_long(const struct qms_node *n, long min, long max, long *out, struct qms_err *err)
{
    char got[80];
    const char *s;
    char *end;
    long v;

    if (!n || n->kind != QMS_NODE_SCALAR)
        return qms_node_err(err, n, "expected an integer from %ld to %ld, got %s", min, max,
                            n ? kind_name(n->kind) : "nothing");
    s = n->scalar;
    excerpt(got, sizeof got, s);
    if (!((s[0] >= '0' && s[0] <= '9') || ((s[0] == '-' || s[0] == '+') && s[1] >= '0' && s[1] <= '9')))
        return qms_node_err(err, n, "expected an integer from %ld to %ld, got '%s'", min, max, got);
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end != '\0')
        return qms_node_err(err, n, "expected an integer from %ld to %ld, got '%s'", min, max, got);
    if (errno == ERANGE || v < min || v > max)
        return qms_node_err(err, n, "integer %s out of range (expected %ld to %ld)", got, min, max);
    *out = v;
    return 0;
}

void qms_node_key_pos(const struct qms_node *map, size_t i, uint32_t *out_line,
                      uint32_t *out_column)
{
    const struct key_pos *pos;
    if (!map || map->kind != QMS_NODE_MAP || !map->keys || i >= map->n_items) {
        *out_line = map ? map->line : 0;
        *out_column = map ? map->column : 0;
        return;
    }
    pos = (const struct key_pos *)(const void *)(map->keys + map->n_items);
    *out_line = pos[i].line;
    *out_column = pos[i].column;
}

int qms_node_key_err(struct qms_err *err, const struct qms_node *map, size_t i, const char *fmt,
                     ...)
{
    char what[QMS_ERRBUF_SIZE];
    uint32_t line, column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!map)
        return qms_err_set(err, QMS_ECONFIG, "%s", what);
    qms_node_key_pos(map, i, &line, &column);
    return qms_err_set(err, QMS_ECONFIG, "%s:%u:%u: %s", map->file ? map->file : "<yaml>",
                       (unsigned)line, (unsigned)column, what);
}
