/* Fingerprints and the baseline file (see baseline.h). */
#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ynode.h"
#include "../emit/emit.h"

#define FNV_PRIME 0x100000001b3ull

struct qms_baseline {
    struct qms_arena *arena;
    char **prints;             /* sorted */
    unsigned char *used;
    size_t n;
};

static uint64_t fnv(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* Both halves hash the same bytes from different starting points. */
struct hash2 {
    uint64_t a, b;
};

static void feed(struct hash2 *h, const char *s, size_t len)
{
    h->a = fnv(h->a, s, len);
    h->b = fnv(h->b, s, len);
    h->a = fnv(h->a, "\x1f", 1); /* field separator: ("ab","c") != ("a","bc") */
    h->b = fnv(h->b, "\x1f", 1);
}

/* The message with every run of digits made '#': "heading skips from 1 to 3 at line 40"
 * stays the same finding when lines move. */
static void feed_normalized(struct hash2 *h, const char *s)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = s; *p;) {
        if (*p >= '0' && *p <= '9') {
            while (*p >= '0' && *p <= '9')
                p++;
            buf[n++] = '#';
        } else {
            buf[n++] = *p++;
        }
        if (n == sizeof buf) {
            h->a = fnv(h->a, buf, n);
            h->b = fnv(h->b, buf, n);
            n = 0;
        }
    }
    feed(h, buf, n);
}

void qms_fingerprint(char out[QMS_FINGERPRINT_LEN + 1], const struct qms_finding *f)
{
    struct hash2 h = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull};
    const char *rule = f->rule_id ? f->rule_id : "";
    const char *path = f->path ? f->path : "";
    feed(&h, "qmslint-v1", 10);
    feed(&h, rule, strlen(rule));
    feed(&h, path, strlen(path));
    if (f->key && f->key[0]) {
        feed(&h, "k", 1);
        feed(&h, f->key, strlen(f->key));
    } else {
        feed(&h, "m", 1);
        feed_normalized(&h, f->message ? f->message : "");
    }
    snprintf(out, QMS_FINGERPRINT_LEN + 1, "%016llx%016llx", (unsigned long long)h.a,
             (unsigned long long)h.b);
}

int qms_result_fingerprint(struct qms_result *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        char fp[QMS_FINGERPRINT_LEN + 1];
        qms_fingerprint(fp, &r->findings[i]);
        if (!(r->findings[i].fingerprint = qms_result_strdup(r, fp)))
            return QMS_ENOMEM;
    }
    return 0;
}

static int cmp_print_ptr(const void *a, const void *b)
{
    const struct qms_finding *const *x = a, *const *y = b;
    int c = strcmp((*x)->fingerprint, (*y)->fingerprint);
    if (c)
        return c;
    return strcmp((*x)->path, (*y)->path);
}

int qms_baseline_write(FILE *out, const struct qms_result *r, const char *tool_version)
{
    const struct qms_finding **list = calloc(r->n_findings ? r->n_findings : 1, sizeof *list);
    if (!list)
        return QMS_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (!r->findings[i].suppressed && r->findings[i].fingerprint)
            list[n++] = &r->findings[i];
    qsort(list, n, sizeof *list, cmp_print_ptr);
    fprintf(out, "{\n  \"version\": %d,\n  \"tool\": {\"name\": \"qmslint\", \"version\": ",
            QMS_BASELINE_VERSION);
    qms_json_string(out, tool_version ? tool_version : "");
    fputs("},\n  \"findings\": [", out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        fprintf(out, "{\"fingerprint\": \"%s\", \"rule\": ", list[i]->fingerprint);
        qms_json_string(out, list[i]->rule_id);
        fputs(", \"path\": ", out);
        qms_json_string(out, list[i]->path);
        fputc('}', out);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
    free(list);
    return ferror(out) ? QMS_EIO : 0;
}

static int is_fingerprint(const char *s)
{
    if (!s || strlen(s) != QMS_FINGERPRINT_LEN)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int qms_baseline_load(struct qms_baseline **out, const char *file, struct qms_err *err)
{
    *out = NULL;
    struct qms_baseline *b = calloc(1, sizeof *b);
    if (!b || !(b->arena = qms_arena_new(0))) {
        free(b);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    /* JSON is YAML: the YAML loader gives positions for messages and caps the size */
    const struct qms_node *root = NULL;
    int rc = qms_yaml_load(&root, b->arena, file, err);
    if (rc < 0) {
        qms_baseline_free(b);
        return rc;
    }
    const struct qms_node *version = qms_node_get(root, "version");
    const struct qms_node *findings = qms_node_get(root, "findings");
    if (!root || root->kind != QMS_NODE_MAP || !findings || findings->kind != QMS_NODE_SEQ) {
        qms_baseline_free(b);
        return qms_err_set(err, QMS_EFORMAT, "%.400s: not a qmslint baseline (no findings list)",
                           file);
    }
    if (!version || version->kind != QMS_NODE_SCALAR || strcmp(version->scalar, "1") != 0) {
        qms_baseline_free(b);
        return qms_err_set(err, QMS_EFORMAT, "%.400s: unsupported baseline version", file);
    }
    b->prints = qms_arena_alloc(b->arena, (findings->n_items + 1) * sizeof *b->prints);
    b->used = qms_arena_alloc(b->arena, findings->n_items + 1);
    if (!b->prints || !b->used) {
        qms_baseline_free(b);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < findings->n_items; i++) {
        const struct qms_node *fp = qms_node_get(&findings->items[i], "fingerprint");
        if (!fp || fp->kind != QMS_NODE_SCALAR || !is_fingerprint(fp->scalar)) {
            rc = qms_node_err(err, &findings->items[i], "baseline entry without a valid fingerprint");
            qms_baseline_free(b);
            return QMS_EFORMAT;
        }
        b->prints[b->n++] = (char *)fp->scalar;
    }
    (void)rc;
    qsort(b->prints, b->n, sizeof *b->prints, cmp_str_ptr);
    *out = b;
    return 0;
}

void qms_baseline_free(struct qms_baseline *b)
{
    if (!b)
        return;
    qms_arena_free(b->arena);
    free(b);
}

size_t qms_baseline_size(const struct qms_baseline *b)
{
    return b ? b->n : 0;
}

int qms_baseline_apply(struct qms_result *r, const struct qms_baseline *b, const char *file)
{
    char text[512];
    snprintf(text, sizeof text, "accepted in the baseline %.400s", file ? file : "");
    const char *why = qms_result_strdup(r, text);
    if (!why)
        return QMS_ENOMEM;
    size_t *next = calloc(b->n ? b->n : 1, sizeof *next);
    if (!next)
        return QMS_ENOMEM;
    memset(b->used, 0, b->n);
    r->baseline_used = 1;
    for (size_t i = 0; i < r->n_findings; i++) {
        struct qms_finding *f = &r->findings[i];
        if (f->suppressed || !f->fingerprint)
            continue;
        /* the first unused copy of this fingerprint, if any */
        size_t lo = 0, hi = b->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(b->prints[mid], f->fingerprint) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == b->n || strcmp(b->prints[lo], f->fingerprint) != 0)
            continue;
        /* copies of a fingerprint are used in order: next[lo] is the first unused one (a scan
         * past the used ones was quadratic for thousands of identical findings) */
        size_t k = next[lo] ? next[lo] : lo;
        if (k < b->n && !b->used[k] && strcmp(b->prints[k], f->fingerprint) == 0) {
            b->used[k] = 1;
            next[lo] = k + 1;
            f->suppressed = QMS_SUPPRESS_BASELINE;
            f->justification = why;
        }
    }
    free(next);
    return 0;
}
