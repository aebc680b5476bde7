/* Discovery: command-line paths -> the sorted, de-duplicated list of documents to check, and
 * what was skipped and why. Never opens a document; only lists folders and stats files. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"

#define MAX_DEPTH 64
#define MAX_PATH_LEN 4096

struct file_id {
    dev_t dev;
    ino_t ino;
};

struct walk {
    const struct qms_config *cfg;
    const char *root;            /* absolute, normalized, no trailing '/' (except "/") */
    struct qms_inputs *out;
    size_t cap_docs, cap_skipped;
    struct file_id *doc_ids;     /* parallel to out->docs */
    struct file_id ancestors[MAX_DEPTH + 2];
    size_t n_ancestors;
    struct file_id *visited;     /* open-addressing set of folders already walked */
    size_t visited_cap, visited_len;
    struct qms_err *err;
};

/* ---------------------------------------------------------------- paths */

/* Lexically normalized absolute path ("." and ".." resolved, no double '/'); malloc'd. */
char *qms_discover_abs_path(const char *path)
{
    char cwd[MAX_PATH_LEN];
    size_t plen = strlen(path);
    size_t cap = plen + 2;
    if (path[0] != '/') {
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        cap += strlen(cwd) + 1;
    }
    char *joined = malloc(cap);
    char *out = malloc(cap);
    if (!joined || !out) {
        free(joined);
        free(out);
        return NULL;
    }
    if (path[0] == '/')
        snprintf(joined, cap, "%s", path);
    else
        snprintf(joined, cap, "%s/%s", cwd, path);
    size_t n = 0;
    const char *p = joined;
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - seg);
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
            continue;
        }
        out[n++] = '/';
        memcpy(out + n, seg, len);
        n += len;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    free(joined);
    return out;
}

/* `abs` relative to the root when under it, else `abs` itself. */
static const char *rel_to(const char *abs, const char *root)
{
    size_t rl = strlen(root);
    if (strcmp(root, "/") == 0)
        return abs[1] ? abs + 1 : abs;
    if (strncmp(abs, root, rl) == 0 && abs[rl] == '/' && abs[rl + 1])
        return abs + rl + 1;
    return abs;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    if (dl + nl + 2 > MAX_PATH_LEN)
        return NULL;
    char *s = malloc(dl + nl + 2);
    if (!s)
        return NULL;
    size_t o = dl;
    memcpy(s, dir, dl);
    if (!dl || dir[dl - 1] != '/')
        s[o++] = '/';
    memcpy(s + o, name, nl + 1);
    return s;
}

/* ---------------------------------------------------------------- results */

static int add_skip(struct walk *w, const char *path, const char *reason)
{
    struct qms_inputs *o = w->out;
    if (o->n_skipped == w->cap_skipped) {
        size_t cap = w->cap_skipped ? w->cap_skipped * 2 : 16;
        struct qms_skip *grown = realloc(o->skipped, cap * sizeof *grown);
        if (!grown)
            return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
        o->skipped = grown;
        w->cap_skipped = cap;
    }
    struct qms_skip *s = &o->skipped[o->n_skipped];
    s->path = strdup(path);
    s->reason = strdup(reason);
    if (!s->path || !s->reason) {
        free(s->path);
        free(s->reason);
        return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
    }
    o->n_skipped++;
    return 0;
}

static int add_doc(struct walk *w, const char *fs_path, const char *display, enum qms_format format,
                   const struct stat *st)
{
    struct qms_inputs *o = w->out;
    if (o->n_docs == w->cap_docs) {
        size_t cap = w->cap_docs ? w->cap_docs * 2 : 64;
        struct qms_input *grown = realloc(o->docs, cap * sizeof *grown);
        if (!grown)
            return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
        o->docs = grown;
        struct file_id *ids = realloc(w->doc_ids, cap * sizeof *ids);
        if (!ids)
            return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
        w->doc_ids = ids;
        w->cap_docs = cap;
    }
    struct qms_input *in = &o->docs[o->n_docs];
    in->fs_path = strdup(fs_path);
    in->display_path = strdup(display);
    in->format = format;
    if (!in->fs_path || !in->display_path) {
        free(in->fs_path);
        free(in->display_path);
        return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
    }
    in->has_stat = 1;
    in->size = (uint64_t)st->st_size;
    in->ino = (uint64_t)st->st_ino;
    in->dev = (uint64_t)st->st_dev;
    in->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    in->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
    w->doc_ids[o->n_docs].dev = st->st_dev;
    w->doc_ids[o->n_docs].ino = st->st_ino;
    o->n_docs++;
    return 0;
}

/* ---------------------------------------------------------------- visited folders */

static size_t id_hash(struct file_id id)
{
    uint64_t h = (uint64_t)id.ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)id.dev;
    return (size_t)(h ^ (h >> 29));
}

static int id_eq(struct file_id a, struct file_id b) { return a.dev == b.dev && a.ino == b.ino; }

/* Adds a folder to the visited set: 1 when it was new, 0 when already there, <0 on error. */
static int visit(struct walk *w, struct file_id id)
{
    if ((w->visited_len + 1) * 2 > w->visited_cap) {
        size_t cap = w->visited_cap ? w->visited_cap * 2 : 256;
        struct file_id *t = calloc(cap, sizeof *t);
        if (!t)
            return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
        for (size_t i = 0; i < w->visited_cap; i++) {
            if (w->visited[i].ino == 0 && w->visited[i].dev == 0)
                continue;
            size_t j = id_hash(w->visited[i]) & (cap - 1);
            while (t[j].ino || t[j].dev)
                j = (j + 1) & (cap - 1);
            t[j] = w->visited[i];
        }
        free(w->visited);
        w->visited = t;
        w->visited_cap = cap;
    }
    size_t j = id_hash(id) & (w->visited_cap - 1);
    while (w->visited[j].ino || w->visited[j].dev) {
        if (id_eq(w->visited[j], id))
            return 0;
        j = (j + 1) & (w->visited_cap - 1);
    }
    w->visited[j] = id;
    w->visited_len++;
    return 1;
}

/* ---------------------------------------------------------------- walking */

static int is_lock_file(const char *name)
{
    size_t n = strlen(name);
    if (strncmp(name, "~$", 2) == 0)
        return 1; /* Word's owner file */
    return strncmp(name, ".~lock.", 7) == 0 && n > 8 && name[n - 1] == '#'; /* LibreOffice */
}

static const char *exclude_rel(const struct walk *w, const char *abs)
{
    if (w->cfg && w->cfg->root) {
        const char *r = rel_to(abs, w->cfg->root);
        if (r != abs)
            return r;
    }
    return rel_to(abs, w->root);
}

static int excluded(const struct walk *w, const char *abs, int folder)
{
    if (!w->cfg || !w->cfg->n_excludes)
        return 0;
    const char *rel = exclude_rel(w, abs);
    if (qms_config_excluded(w->cfg, rel))
        return 1;
    if (folder) {
        /* a pattern ending in '/' names the folder too */
        char with_slash[MAX_PATH_LEN + 2];
        snprintf(with_slash, sizeof with_slash, "%s/", rel);
        if (qms_config_excluded(w->cfg, with_slash))
            return 1;
    }
    return 0;
}

static int walk_dir(struct walk *w, const char *fs_dir, const char *abs_dir, const struct stat *st);

/* One file given on the command line or found in a folder. */
static int take_file(struct walk *w, const char *fs_path, const char *abs, const char *name,
                     const struct stat *st)
{
    const char *display = rel_to(abs, w->root);
    if (is_lock_file(name))
        return add_skip(w, display, "office lock file");
    if (!S_ISREG(st->st_mode))
        return add_skip(w, display, "not a regular file");
    if (excluded(w, abs, 0))
        return add_skip(w, display, "excluded by config");
    enum qms_format format = qms_format_from_path(name);
    if (format == QMS_FORMAT_UNKNOWN)
        return add_skip(w, display, "unknown extension");
    return add_doc(w, fs_path, display, format, st);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int walk_entry(struct walk *w, const char *fs_dir, const char *abs_dir, const char *name)
{
    char *fs = join(fs_dir, name), *abs = join(abs_dir, name);
    int rc = 0;
    if (!fs || !abs) {
        const char *display = abs ? rel_to(abs, w->root) : name;
        rc = fs && abs ? add_skip(w, display, "path too long")
                       : add_skip(w, rel_to(abs_dir, w->root), "path too long");
        goto done;
    }
    const char *display = rel_to(abs, w->root);
    struct stat lst, st;
    if (lstat(fs, &lst) != 0) {
        rc = add_skip(w, display, strerror(errno));
        goto done;
    }
    if (!S_ISLNK(lst.st_mode))
        st = lst; /* only a symlink needs a second stat: one syscall per file, not two */
    else if (stat(fs, &st) != 0) {
        rc = add_skip(w, display, "broken symlink");
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        if (name[0] == '.' || strcmp(name, "node_modules") == 0)
            goto done; /* hidden folders and dependencies are never documents */
        rc = walk_dir(w, fs, abs, &st);
        goto done;
    }
    if (name[0] == '.' && !is_lock_file(name))
        goto done; /* hidden files (.qmslint.yml, .gitignore ...) are not documents */
    rc = take_file(w, fs, abs, name, &st);
done:
    free(fs);
    free(abs);
    return rc;
}

static int walk_dir(struct walk *w, const char *fs_dir, const char *abs_dir, const struct stat *st)
{
    const char *display = rel_to(abs_dir, w->root);
    struct file_id id = {st->st_dev, st->st_ino};
    for (size_t i = 0; i < w->n_ancestors; i++)
        if (id_eq(w->ancestors[i], id))
            return add_skip(w, display, "symlink loop");
    if (w->n_ancestors >= MAX_DEPTH)
        return add_skip(w, display, "folders nested too deep");
    if (w->n_ancestors > 0 && excluded(w, abs_dir, 1))
        return add_skip(w, display, "excluded by config");
    int fresh = visit(w, id);
    if (fresh < 0)
        return fresh;
    if (!fresh)
        return add_skip(w, display, "folder already checked (symlink)");

    DIR *d = opendir(fs_dir);
    if (!d) {
        char reason[300];
        snprintf(reason, sizeof reason, "cannot open folder: %s", strerror(errno));
        return add_skip(w, display, reason);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = qms_err_set(w->err, QMS_ENOMEM, "out of memory");
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = qms_err_set(w->err, QMS_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, str_cmp);
    w->ancestors[w->n_ancestors++] = id;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = walk_entry(w, fs_dir, abs_dir, names[i]);
    w->n_ancestors--;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* ---------------------------------------------------------------- roots and de-duplication */

/* The deepest folder holding every path (folders count as themselves). */
static char *common_root(char *const *abs, const int *is_folder, size_t n)
{
    char *root = NULL;
    for (size_t i = 0; i < n; i++) {
        char *dir = strdup(abs[i]);
        if (!dir) {
            free(root);
            return NULL;
        }
        if (!is_folder[i]) {
            char *slash = strrchr(dir, '/');
            if (slash == dir)
                dir[1] = '\0';
            else if (slash)
                *slash = '\0';
        }
        if (!root) {
            root = dir;
            continue;
        }
        size_t k = 0, last = 0;
        while (root[k] && root[k] == dir[k]) {
            if (root[k] == '/')
                last = k;
            k++;
        }
        if (!(root[k] == '\0' && (dir[k] == '/' || dir[k] == '\0'))) {
            if (!(dir[k] == '\0' && root[k] == '/'))
                root[last == 0 ? 1 : last] = '\0';
            else
                root[k] = '\0';
        }
        free(dir);
    }
    return root;
}

struct order {
    size_t index;
    const struct qms_input *in;
    struct file_id id;
};

static int order_by_display(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    int c = strcmp(x->in->display_path, y->in->display_path);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int order_by_id(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->id.dev != y->id.dev)
        return x->id.dev < y->id.dev ? -1 : 1;
    if (x->id.ino != y->id.ino)
        return x->id.ino < y->id.ino ? -1 : 1;
    return strcmp(x->in->display_path, y->in->display_path);
}

/* Sorts by display path; one entry per path and per file (hard links, symlinks to documents). */
static int dedupe(struct walk *w)
{
    struct qms_inputs *o = w->out;
    size_t n = o->n_docs;
    if (n == 0)
        return 0;
    struct order *ord = calloc(n, sizeof *ord);
    unsigned char *drop = calloc(n, 1);
    struct qms_input *kept = calloc(n, sizeof *kept);
    if (!ord || !drop || !kept) {
        free(ord);
        free(drop);
        free(kept);
        return qms_err_set(w->err, QMS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        ord[i] = (struct order){i, &o->docs[i], w->doc_ids[i]};
    if (n > 1)
        qsort(ord, n, sizeof *ord, order_by_id);
    int rc = 0;
    for (size_t i = 1; i < n; i++) {
        if (!id_eq(ord[i].id, ord[i - 1].id))
            continue;
        /* find the first (kept) of this run of equal ids */
        size_t first = i - 1;
        while (drop[ord[first].index])
            first--;
        drop[ord[i].index] = 1;
        if (strcmp(ord[i].in->display_path, ord[first].in->display_path) != 0) {
            char reason[MAX_PATH_LEN + 32];
            snprintf(reason, sizeof reason, "same file as %s", ord[first].in->display_path);
            if (rc == 0)
                rc = add_skip(w, ord[i].in->display_path, reason);
        }
    }
    for (size_t i = 0; i < n; i++)
        ord[i] = (struct order){i, &o->docs[i], w->doc_ids[i]};
    if (n > 1)
        qsort(ord, n, sizeof *ord, order_by_display);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct qms_input *in = &o->docs[ord[i].index];
        if (drop[ord[i].index] || (k > 0 && strcmp(kept[k - 1].display_path, in->display_path) == 0)) {
            free(in->fs_path);
            free(in->display_path);
            continue;
        }
        kept[k++] = *in;
    }
    memcpy(o->docs, kept, k * sizeof *kept);
    o->n_docs = k;
    free(ord);
    free(drop);
    free(kept);
    return rc;
}

static int skip_cmp(const void *a, const void *b)
{
    const struct qms_skip *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->reason, y->reason);
}

int qms_discover(struct qms_inputs *out, const char *const *paths, size_t n_paths,
                 const char *root, const struct qms_config *cfg, struct qms_err *err)
{
    if (!out)
        return qms_err_set(err, QMS_EUSAGE, "qms_discover: no output");
    memset(out, 0, sizeof *out);
    static const char *const dot[] = {"."};
    if (!paths || n_paths == 0) {
        paths = dot;
        n_paths = 1;
    }
    char **abs = calloc(n_paths, sizeof *abs);
    int *is_folder = calloc(n_paths, sizeof *is_folder);
    struct stat *sts = calloc(n_paths, sizeof *sts);
    struct walk w;
    memset(&w, 0, sizeof w);
    w.cfg = cfg;
    w.out = out;
    w.err = err;
    int rc = 0;
    if (!abs || !is_folder || !sts)
        rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n_paths; i++) {
        const char *p = paths[i] ? paths[i] : "";
        if (!*p || stat(p, &sts[i]) != 0) {
            int e = *p ? errno : ENOENT;
            if (e == ENOENT || e == ENOTDIR)
                rc = qms_err_set(err, QMS_EIO, "%s: no such file or directory", p);
            else
                rc = qms_err_set(err, QMS_EIO, "%s: %s", p, strerror(e));
            break;
        }
        is_folder[i] = S_ISDIR(sts[i].st_mode);
        if (!(abs[i] = qms_discover_abs_path(p)))
            rc = qms_err_set(err, QMS_EIO, "%s: cannot resolve path", p);
    }
    if (rc == 0) {
        out->root = root ? qms_discover_abs_path(root) : common_root(abs, is_folder, n_paths);
        if (!out->root)
            rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
        w.root = out->root;
    }
    for (size_t i = 0; rc == 0 && i < n_paths; i++) {
        if (is_folder[i]) {
            w.n_ancestors = 0;
            rc = walk_dir(&w, paths[i], abs[i], &sts[i]);
        } else {
            const char *slash = strrchr(abs[i], '/');
            rc = take_file(&w, paths[i], abs[i], slash ? slash + 1 : abs[i], &sts[i]);
        }
    }
    if (rc == 0)
        rc = dedupe(&w);
    if (rc == 0 && out->n_skipped)
        qsort(out->skipped, out->n_skipped, sizeof *out->skipped, skip_cmp);
    for (size_t i = 0; abs && i < n_paths; i++)
        free(abs[i]);
    free(abs);
    free(is_folder);
    free(sts);
    free(w.doc_ids);
    free(w.visited);
    if (rc < 0)
        qms_inputs_free(out);
    return rc;
}

void qms_inputs_free(struct qms_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n_docs; i++) {
        free(in->docs[i].fs_path);
        free(in->docs[i].display_path);
    }
    for (size_t i = 0; i < in->n_skipped; i++) {
        free(in->skipped[i].path);
        free(in->skipped[i].reason);
    }
    free(in->docs);
    free(in->skipped);
    free(in->root);
    memset(in, 0, sizeof *in);
}
