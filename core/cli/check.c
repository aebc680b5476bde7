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

#include "discover.h"
#include "emit.h"

#define CLI_PATH_MAX 4096

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Absolute, symlink-free form of a path that exists, or of its folder plus its name (for a
 * dangling link or a loop, which discovery reports itself). Heap string or NULL. */
static char *absolute(const char *path)
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

static int is_under(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(root, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The config's folder when it holds every path, else NULL (discovery then uses the common
 * folder of the paths). Heap string. */
static char *set_root(const struct qms_config *cfg, const char *const *paths, size_t n_paths)
{
    if (!cfg->root)
        return NULL;
    char *root = realpath(cfg->root, NULL);
    if (!root)
        return NULL;
    for (size_t i = 0; i < n_paths; i++) {
        char *p = absolute(paths[i]);
        int under = p && is_under(root, p);
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

static int emit(const struct qms_cli_opts *o, const struct qms_result *r,
                const struct qms_engine *engine)
{
    struct qms_emit_opts eo = {0};
    eo.color = use_color(o);
    eo.quiet = o->quiet;
    eo.engine = engine;
    eo.tool_version = QMS_VERSION;
    int rc = (o->format && strcmp(o->format, "json") == 0) ? qms_emit_json(stdout, r, &eo)
                                                           : qms_emit_text(stdout, r, &eo);
    if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
        return qms_cli_fail("cannot write the output");
    return 0;
}

int qms_cli_check(const struct qms_cli_opts *o)
{
    static const char *const default_paths[] = {"."};
    const char *const *paths = o->n_paths ? o->paths : default_paths;
    size_t n_paths = o->n_paths ? o->n_paths : 1;
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_result *result = NULL;
    struct qms_err err = {{0}};
    char *root = NULL;
    int status;
    double started = now_seconds();

    memset(&inputs, 0, sizeof inputs);
    if ((status = check_paths_exist(paths, n_paths)) != 0)
        return status;
    if ((status = qms_cli_load_config(&cfg, o, paths[0])) != 0)
        return status;
    if ((status = qms_cli_engine(&engine, cfg, o)) != 0)
        goto done;

    root = set_root(cfg, paths, n_paths);
    if (qms_discover(&inputs, paths, n_paths, root, cfg, &err) != 0) {
        status = qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot list the documents");
        goto done;
    }
    if (o->verbose)
        for (size_t i = 0; i < inputs.n_skipped; i++)
            fprintf(stderr, "qmslint: skipped %s: %s\n",
                    inputs.skipped[i].path ? inputs.skipped[i].path : "?",
                    inputs.skipped[i].reason ? inputs.skipped[i].reason : "skipped");
    if (inputs.n_docs == 0) {
        /* Not an error: a pre-commit hook may well hand us a folder of other files. */
        print_no_documents(paths, n_paths);
        if (o->format && strcmp(o->format, "json") == 0) {
            struct qms_result empty;
            memset(&empty, 0, sizeof empty);
            empty.n_skipped = inputs.n_skipped;
            status = emit(o, &empty, engine);
        } else {
            status = QMS_EXIT_OK;
        }
        goto done;
    }

    if (qms_engine_run(engine, &inputs, &result, &err) != 0) {
        status = qms_cli_fail("%s", err.msg[0] ? err.msg : "the run failed");
        goto done;
    }
    if (result->n_skipped == 0)
        result->n_skipped = inputs.n_skipped;
    if ((status = emit(o, result, engine)) != 0)
        goto done;

    if (o->verbose)
        fprintf(stderr, "qmslint: checked %zu documents (%zu skipped) in %.2f s\n",
                result->n_docs, inputs.n_skipped, now_seconds() - started);
    int threshold = fail_threshold(o, cfg);
    status = QMS_EXIT_OK;
    for (int sev = threshold; threshold > 0 && sev <= QMS_SEV_ERROR; sev++)
        if (result->counts[sev] > 0)
            status = QMS_EXIT_FINDINGS;

done:
    if (result)
        qms_result_free(result);
    qms_inputs_free(&inputs);
    if (engine)
        qms_engine_free(engine);
    if (cfg)
        qms_config_free(cfg);
    free(root);
    return status;
}
