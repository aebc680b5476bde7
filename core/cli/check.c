/* `qmslint check [PATH...]`: discover, run the engine, emit, and map findings to the exit
 * status through --fail-on. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qmslint/version.h>

#include "baseline.h"
#include "discover.h"
#include "emit.h"
#include "suppress.h"
#include "waivers.h"

#define CLI_PATH_MAX 4096

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Absolute, symlink-free form of a path that exists, or of its folder plus its name (for a
 * dangling link or a loop, which discovery reports itself). Heap string or NULL. */
char *qms_cli_absolute(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    const char *slash = strrchr(path, '/');
    char dir[CLI_PATH_MAX];
    const char *base = path;
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1; /* "/name" */
        if (n >= sizeof dir)
            return NULL;
        memcpy(dir, path, n);
        dir[n] = '\0';
        base = slash + 1;
    } else {
        strcpy(dir, ".");
    }
    char *d = realpath(dir, NULL);
    if (!d)
        return NULL;
    size_t len = strlen(d) + strlen(base) + 2;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s%s", d, strcmp(d, "/") == 0 ? "" : "/", base);
    free(d);
    return out;
}

int qms_cli_is_under(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(root, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The config's folder when it holds every path, else NULL (discovery then uses the common
 * folder of the paths). Heap string. */
char *qms_cli_set_root(const struct qms_config *cfg, const char *const *paths, size_t n_paths)
{
    if (!cfg->root)
        return NULL;
    char *root = realpath(cfg->root, NULL);
    if (!root)
        return NULL;
    for (size_t i = 0; i < n_paths; i++) {
        char *p = qms_cli_absolute(paths[i]);
        int under = p && qms_cli_is_under(root, p);
        free(p);
        if (!under) {
            free(root);
            return NULL;
        }
    }
    return root;
}

static int check_paths_exist(const char *const *paths, size_t n_paths)
{
    for (size_t i = 0; i < n_paths; i++) {
        struct stat st;
        if (lstat(paths[i], &st) == 0)
            continue;
        if (errno == ENOENT || errno == ENOTDIR || paths[i][0] == '\0')
            return qms_cli_fail("%.1024s: no such file or directory", paths[i]);
        return qms_cli_fail("%.1024s: %s", paths[i], strerror(errno));
    }
    return 0;
}

static int fail_threshold(const struct qms_cli_opts *o, const struct qms_config *cfg)
{
    const char *level = o->fail_on ? o->fail_on : (cfg->fail_on ? cfg->fail_on : "error");
    if (strcmp(level, "never") == 0)
        return -1;
    int sev = qms_severity_parse(level);
    return sev > 0 ? sev : QMS_SEV_ERROR;
}

static int use_color(const struct qms_cli_opts *o)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return 0;
    if (o->color == QMS_COLOR_ALWAYS)
        return 1;
    return o->color == QMS_COLOR_AUTO && isatty(STDOUT_FILENO);
}

static void print_no_documents(const char *const *paths, size_t n_paths)
{
    fputs("qmslint: no documents found in ", stderr);
    for (size_t i = 0; i < n_paths && i < 8; i++)
        fprintf(stderr, "%s%.512s", i ? ", " : "", paths[i]);
    if (n_paths > 8)
        fputs(", ...", stderr);
    fputc('\n', stderr);
}

/* ---------------------------------------------------------------- gates (issue 9) */

/* The folder holding .git above `start` (a folder), or NULL. Heap string. */
static char *repository_root(const char *start)
{
    char *dir = realpath(start, NULL);
    while (dir) {
        char probe[CLI_PATH_MAX];
        struct stat st;
        if ((size_t)snprintf(probe, sizeof probe, "%s/.git", dir) < sizeof probe &&
            lstat(probe, &st) == 0)
            return dir;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            free(dir);
            return NULL;
        }
        *slash = '\0';
    }
    return NULL;
}

/* `path` relative to `root` ('/'-separated) when under it, else NULL. Heap string. */
static char *relative_to(const char *root, const char *path)
{
    char *abs = qms_cli_absolute(path);
    if (!abs)
        return NULL;
    char *rel = NULL;
    if (qms_cli_is_under(root, abs)) {
        size_t n = strlen(root);
        const char *rest = abs + n;
        if (n == 1)
            rest = abs + 1;
        else if (*rest == '/')
            rest++;
        rel = strdup(rest);
    }
    free(abs);
    return rel;
}

struct changed {
    char **paths;          /* relative to the set root */
    size_t n;
};

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
}

/* `name` in text as a whole word ("a.md" is not in "data.md"); '/' counts as a boundary so a
 * folder-relative mention ("../a.md") counts. */
static int has_word(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; n && (p = strstr(p, name)); p++)
        if ((p == text || !name_char(p[-1])) &&
            (!name_char(p[n]) || (p[n] == '.' && !name_char(p[n + 1])))) /* "see a.md." */
            return 1;
    return 0;
}

static int mentions(const char *text, const char *path)
{
    if (!text || !path[0])
        return 0;
    if (has_word(text, path))
        return 1;
    const char *base = strrchr(path, '/');
    return base && has_word(text, base + 1);
}

/* Findings in a changed file, and findings elsewhere (set-wide or in another document) whose
 * message or key names a changed file: those are what the change may have caused. */
static int keep_changed(const struct qms_finding *f, void *payload)
{
    const struct changed *c = payload;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(f->path, c->paths[i]) == 0)
            return 1;
        if (mentions(f->message, c->paths[i]) || mentions(f->key, c->paths[i]))
            return 1;
    }
    return 0;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Inline suppressions, waivers, --changed, fingerprints, --baseline; then recount. */
static int apply_gates(const struct qms_cli_opts *o, struct qms_result *r,
                       const struct qms_engine *engine, const struct qms_config *cfg,
                       const char *root, const struct changed *changed, int baseline_off)
{
    if (qms_suppress_apply(r, engine) < 0)
        return qms_cli_fail("out of memory");

    char waivers_file[CLI_PATH_MAX];
    const char *wpath = o->waivers_path ? o->waivers_path : cfg->waivers;
    if (!wpath) {
        const char *dir = cfg->root ? cfg->root : root;
        if (dir && (size_t)snprintf(waivers_file, sizeof waivers_file, "%s/%s", dir,
                                    QMS_WAIVERS_FILE) < sizeof waivers_file &&
            file_exists(waivers_file))
            wpath = waivers_file;
    }
    if (wpath) {
        struct qms_waivers *w = NULL;
        struct qms_err err = {{0}};
        if (qms_waivers_load(&w, wpath, &err) != 0)
            return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot read the waivers");
        int32_t today = o->today;
        if (!today) {
            time_t now = time(NULL);
            struct tm tm;
            char buf[16];
            localtime_r(&now, &tm);
            strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
            qms_waivers_parse_date(buf, &today);
        }
        char *display = root ? relative_to(root, wpath) : NULL;
        int rc = qms_waivers_apply(r, w, engine, today, display ? display : wpath);
        free(display);
        qms_waivers_free(w);
        if (rc < 0)
            return qms_cli_fail("out of memory");
    }

    if (changed)
        qms_result_filter(r, keep_changed, (void *)changed);
    if (qms_result_fingerprint(r) < 0)
        return qms_cli_fail("out of memory");
    const char *bpath = o->baseline_path ? o->baseline_path : cfg->baseline;
    if (bpath && !baseline_off) {
        struct qms_baseline *b = NULL;
        struct qms_err err = {{0}};
        if (qms_baseline_load(&b, bpath, &err) != 0)
            return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot read the baseline");
        int rc = qms_baseline_apply(r, b, bpath);
        qms_baseline_free(b);
        if (rc < 0)
            return qms_cli_fail("out of memory");
    }
    qms_result_finish(r);
    return 0;
}

static void emit_options(struct qms_emit_opts *eo, const struct qms_cli_opts *o,
                         const struct qms_engine *engine, const struct qms_config *cfg,
                         const char *root, char **set_uri, int fail_level)
{
    memset(eo, 0, sizeof *eo);
    eo->color = use_color(o);
    eo->quiet = o->quiet;
    eo->engine = engine;
    eo->tool_version = QMS_VERSION;
    eo->root = root;
    *set_uri = cfg->path && root ? relative_to(root, cfg->path) : NULL;
    eo->set_uri = *set_uri;
    eo->fail_level = fail_level;
}

/* Every --format/--output pair: files are written to temporary files first and renamed only
 * once every report is complete, so a failing run leaves no partial file. */
static int emit(const struct qms_cli_opts *o, const struct qms_result *r,
                const struct qms_emit_opts *eo)
{
    static const struct qms_cli_output text_stdout = {"text", NULL};
    const struct qms_cli_output *outs = o->n_outputs ? o->outputs : &text_stdout;
    size_t n = o->n_outputs ? o->n_outputs : 1;
    struct qms_cli_pending *pending[64] = {0};
    struct qms_err err = {{0}};
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        FILE *f = stdout;
        if (outs[i].file && qms_cli_pending_open(&pending[i], outs[i].file, &f, &err) != 0) {
            status = qms_cli_fail("%s", err.msg);
            break;
        }
        struct qms_emit_opts one = *eo;
        if (outs[i].file)
            one.color = 0;
        if (qms_emit_by_name(f, outs[i].format, r, &one) != 0 || ferror(f))
            status = qms_cli_fail("cannot write the %s output%s%.400s", outs[i].format,
                                  outs[i].file ? " to " : "", outs[i].file ? outs[i].file : "");
        else if (!outs[i].file && fflush(stdout) != 0)
            status = qms_cli_fail("cannot write the output");
    }
    for (size_t i = 0; i < n; i++)
        if (pending[i] && qms_cli_pending_close(pending[i], status == 0, &err) != 0 && status == 0)
            status = qms_cli_fail("%s", err.msg);
    return status;
}

/* What `check` and `baseline` share: discover, run, gates. On success *out_result is the
 * result (or NULL when there is no document) and the caller frees everything in `st`. */
struct check_state {
    struct qms_config *cfg;
    struct qms_engine *engine;
    struct qms_inputs inputs;
    struct qms_result *result;
    char *root;
    struct changed changed;
    /* A plugin failed or crashed on a document: the other plugins' findings are still
       reported, then this one line, and the exit status is 2. */
    char plugin_failure[QMS_ERRBUF_SIZE];
};

static void check_state_free(struct check_state *st)
{
    if (st->result)
        qms_result_free(st->result);
    qms_inputs_free(&st->inputs);
    if (st->engine)
        qms_engine_free(st->engine);
    if (st->cfg)
        qms_config_free(st->cfg);
    for (size_t i = 0; i < st->changed.n; i++)
        free(st->changed.paths[i]);
    free(st->changed.paths);
    free(st->root);
}

static int prepare_changed(struct check_state *st, const char *const *paths, size_t n_paths,
                           const char **out_root)
{
    /* the whole set: the config's folder, else the repository, else the current folder */
    if (st->cfg->root)
        st->root = realpath(st->cfg->root, NULL);
    if (!st->root)
        st->root = repository_root(".");
    if (!st->root)
        st->root = realpath(".", NULL);
    if (!st->root)
        return qms_cli_fail("cannot find the set root: %s", strerror(errno));
    st->changed.paths = calloc(n_paths ? n_paths : 1, sizeof *st->changed.paths);
    if (!st->changed.paths)
        return qms_cli_fail("out of memory");
    for (size_t i = 0; i < n_paths; i++) {
        char *rel = relative_to(st->root, paths[i]);
        if (rel)
            st->changed.paths[st->changed.n++] = rel; /* outside the set: nothing to report */
    }
    *out_root = st->root;
    return 0;
}

static int run_set(struct check_state *st, const struct qms_cli_opts *o, int baseline_off)
{
    static const char *const default_paths[] = {"."};
    const char *const *paths = o->n_paths ? o->paths : default_paths;
    size_t n_paths = o->n_paths ? o->n_paths : 1;
    struct qms_err err = {{0}};
    int status;

    if (o->changed && o->n_paths == 0)
        return QMS_EXIT_OK; /* nothing changed: nothing to report (pre-commit with no file) */
    if (!o->changed && (status = check_paths_exist(paths, n_paths)) != 0)
        return status;
    if ((status = qms_cli_load_config(&st->cfg, o, paths[0])) != 0)
        return status;
    if ((status = qms_cli_engine(&st->engine, st->cfg, o)) != 0)
        return status;

    const char *const *walk = paths;
    size_t n_walk = n_paths;
    const char *root_paths[1];
    if (o->changed) {
        if ((status = prepare_changed(st, paths, n_paths, &root_paths[0])) != 0)
            return status;
        walk = root_paths;
        n_walk = 1;
    } else {
        st->root = qms_cli_set_root(st->cfg, paths, n_paths);
    }
    if (st->root) {
        /* the cache file loads on another thread while discovery lists the set */
        char *abs_root = qms_discover_abs_path(st->root);
        if (abs_root)
            qms_engine_prefetch_cache(st->engine, abs_root);
        free(abs_root);
    }
    if (qms_discover(&st->inputs, walk, n_walk, st->root, st->cfg, &err) != 0)
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot list the documents");
    if (o->verbose)
        for (size_t i = 0; i < st->inputs.n_skipped; i++)
            fprintf(stderr, "qmslint: skipped %s: %s\n",
                    st->inputs.skipped[i].path ? st->inputs.skipped[i].path : "?",
                    st->inputs.skipped[i].reason ? st->inputs.skipped[i].reason : "skipped");
    if (st->inputs.n_docs == 0)
        return 0;
    int rc = qms_engine_run(st->engine, &st->inputs, &st->result, &err);
    if (rc == QMS_EPLUGIN && st->result)
        snprintf(st->plugin_failure, sizeof st->plugin_failure, "%s",
                 err.msg[0] ? err.msg : "a plugin failed");
    else if (rc != 0)
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "the run failed");
    if (st->result->n_skipped == 0)
        st->result->n_skipped = st->inputs.n_skipped;
    /* `qmslint baseline` records every finding, whatever the config's baseline says */
    return apply_gates(o, st->result, st->engine, st->cfg, st->inputs.root,
                       o->changed ? &st->changed : NULL, baseline_off);
}

int qms_cli_check(const struct qms_cli_opts *o)
{
    struct check_state st;
    struct qms_emit_opts eo;
    char *set_uri = NULL;
    double started = now_seconds();
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < o->n_outputs; i++) {
        const char *f = o->outputs[i].format;
        if (strcmp(f, "text") != 0 && strcmp(f, "json") != 0 && strcmp(f, "sarif") != 0 &&
            strcmp(f, "junit") != 0 && strcmp(f, "gitlab") != 0)
            return qms_cli_fail("check: --format %s is not a check format (expected text, json, "
                                "sarif, junit or gitlab)",
                                f);
    }
    /* Reports of large sets run to tens of MB: written in big pieces, not 4 KiB ones. Before
       anything is written to stdout, as setvbuf requires. */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 20);
    int status = run_set(&st, o, 0);
    if (status != 0 || !st.cfg || !st.engine)
        goto done;
    int threshold = fail_threshold(o, st.cfg);
    emit_options(&eo, o, st.engine, st.cfg, st.inputs.root, &set_uri, threshold);
    if (!st.result) {
        /* Not an error: a pre-commit hook may well hand us a folder of other files. */
        if (!o->changed)
            print_no_documents(o->n_paths ? o->paths : (const char *const[]){"."},
                               o->n_paths ? o->n_paths : 1);
        struct qms_result empty;
        memset(&empty, 0, sizeof empty);
        empty.n_skipped = st.inputs.n_skipped;
        int any_report = 0;
        for (size_t i = 0; i < o->n_outputs; i++)
            any_report |= strcmp(o->outputs[i].format, "text") != 0 || o->outputs[i].file;
        status = any_report ? emit(o, &empty, &eo) : QMS_EXIT_OK;
        goto done;
    }
    if ((status = emit(o, st.result, &eo)) != 0)
        goto done;
    if (o->verbose)
        fprintf(stderr, "qmslint: checked %zu documents (%zu skipped) in %.2f s\n",
                st.result->n_docs, st.inputs.n_skipped, now_seconds() - started);
    if (st.plugin_failure[0]) {
        /* The report above holds what every other plugin found; the run still failed. */
        status = qms_cli_fail("%s", st.plugin_failure);
        goto done;
    }
    status = QMS_EXIT_OK;
    for (int sev = threshold; threshold > 0 && sev <= QMS_SEV_ERROR; sev++)
        if (st.result->counts[sev] > 0)
            status = QMS_EXIT_FINDINGS;
done:
    free(set_uri);
    check_state_free(&st);
    return status;
}

/* `qmslint baseline [PATH...]`: today's active findings become the baseline. */
int qms_cli_baseline(const struct qms_cli_opts *o)
{
    struct check_state st;
    memset(&st, 0, sizeof st);
    if (o->baseline_path || o->changed) {
        return qms_cli_fail("baseline: --baseline and --changed are for check");
    }
    for (size_t i = 0; i < o->n_outputs; i++)
        if (strcmp(o->outputs[i].format, "text") != 0)
            return qms_cli_fail("baseline: --format %s is for check (the baseline is JSON)",
                                o->outputs[i].format);
    int status = run_set(&st, o, 1);
    if (status != 0 || !st.cfg)
        goto done;
    if (st.plugin_failure[0]) {
        /* a baseline from a partial run would hide findings once the plugin is fixed */
        status = qms_cli_fail("%s", st.plugin_failure);
        goto done;
    }
    char target[CLI_PATH_MAX];
    const char *file = o->n_outputs && o->outputs[o->n_outputs - 1].file
                           ? o->outputs[o->n_outputs - 1].file
                           : NULL;
    if (!file)
        file = st.cfg->baseline;
    if (!file) {
        const char *dir = st.cfg->root ? st.cfg->root : (st.inputs.root ? st.inputs.root : ".");
        if ((size_t)snprintf(target, sizeof target, "%s/.qmslint-baseline.json", dir) >= sizeof target) {
            status = qms_cli_fail("baseline: path too long");
            goto done;
        }
        file = target;
    }
    struct qms_result empty;
    memset(&empty, 0, sizeof empty);
    const struct qms_result *r = st.result ? st.result : &empty;
    struct qms_cli_pending *p = NULL;
    FILE *f = NULL;
    struct qms_err err = {{0}};
    if (qms_cli_pending_open(&p, file, &f, &err) != 0) {
        status = qms_cli_fail("%s", err.msg);
        goto done;
    }
    int rc = qms_baseline_write(f, r, QMS_VERSION);
    if (qms_cli_pending_close(p, rc == 0, &err) != 0 || rc != 0) {
        status = qms_cli_fail("cannot write %.400s%s%s", file, err.msg[0] ? ": " : "", err.msg);
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        n += !r->findings[i].suppressed;
    if (!o->quiet)
        fprintf(stderr, "qmslint: wrote %zu finding%s to %s\n", n, n == 1 ? "" : "s", file);
    status = QMS_EXIT_OK;
done:
    check_state_free(&st);
    return status;
}
