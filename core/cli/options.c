/* Command-line parsing and the set-up every subcommand shares (config, engine). */
#include "cli.h"
#include "dates.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qmslint/version.h>

#define MAX_JOBS 1024
#define CLI_PATH_MAX PATH_MAX

int qms_cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("qmslint: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return QMS_EXIT_ERROR;
}

void qms_cli_usage(FILE *out)
{
    fputs("usage: qmslint <command> [options] [PATH...]\n"
          "\n"
          "commands:\n"
          "  check [PATH...]   lint the document set (default: the current folder)\n"
          "  baseline [PATH...] record today's findings in .qmslint-baseline.json\n"
          "  report [PATH...]  clause-by-clause gap report (html, md, csv, json, sarif)\n"
          "  register [PATH...] the document register as qmslint sees it (md, csv, json)\n"
          "  dump FILE         print the document model as loaded\n"
          "  rules             list the rules of the loaded plugins\n"
          "  plugins           list the loaded plugins\n"
          "  help              this text\n"
          "\n"
          "options:\n"
          "  --format FORMAT          text|json (all), sarif|junit|gitlab (check); repeatable\n"
          "                           html|md|csv|json|sarif (report), md|csv|json (register)\n"
          "  -o, --output FILE        write the last --format to FILE (atomically)\n"
          "  --baseline FILE          report only findings not in this baseline (check)\n"
          "  --waivers FILE           waivers file (default: .qmslint-waivers.yml at the root)\n"
          "  --changed                the PATHs are changed files: check the whole set, report\n"
          "                           only what concerns them (pre-commit)\n"
          "  --no-cache               read every document (check, baseline use the cache)\n"
          "  --cache-dir DIR          cache folder (default: $XDG_CACHE_HOME/qmslint)\n"
          "  --config FILE            use this .qmslint.yml instead of searching upward\n"
          "  --plugin-path DIR        also load plugins from DIR (repeatable)\n"
          "  --only-plugin NAME       load only this plugin (repeatable; default: all found)\n"
          "  --rules-dir DIR          rule packs folder\n"
          "  -j, --jobs N             worker threads (default: online CPUs)\n"
          "  --fail-on LEVEL          error|warning|info|never: exit 1 at or above it (default error)\n"
          "  --today YYYY-MM-DD       the date date rules compare against\n"
          "  --release                release mode (draft documents are findings)\n"
          "  -q, --quiet              findings only, no summary\n"
          "  -v, --verbose            skipped files, loaded plugins and timing on stderr\n"
          "  --color, --no-color      force or disable coloured severities\n"
          "  -V, --version            print the version\n"
          "  -h, --help               this text\n"
          "\n"
          "exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
          "2 usage, configuration or plugin error.\n",
          out);
}

int qms_cli_parse_date(const char *s, int32_t *out) { return qms_date_parse_iso(s, out); }

static int push(const char ***arr, size_t *n, const char *s)
{
    const char **grown = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!grown)
        return -1;
    grown[(*n)++] = s;
    *arr = grown;
    return 0;
}

static int push_output(struct qms_cli_opts *o, const char *format, const char *file,
                       struct qms_err *err)
{
    if (o->n_outputs >= 64)
        return qms_err_set(err, QMS_EUSAGE, "too many --format/--output pairs (64 at most)");
    struct qms_cli_output *grown = realloc(o->outputs, (o->n_outputs + 1) * sizeof *grown);
    if (!grown)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    grown[o->n_outputs].format = format;
    grown[o->n_outputs].file = file;
    o->outputs = grown;
    o->n_outputs++;
    return 0;
}

static int parse_jobs(const char *v, unsigned *out, struct qms_err *err)
{
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *v == '-' || *v == '+' || *end || errno || n > MAX_JOBS)
        return qms_err_set(err, QMS_EUSAGE, "--jobs: '%s' is not a number from 0 to %d", v,
                           MAX_JOBS);
    *out = (unsigned)n;
    return 0;
}

enum opt_id {
    OPT_FORMAT, OPT_CONFIG, OPT_PLUGIN_PATH, OPT_ONLY_PLUGIN, OPT_RULES_DIR, OPT_JOBS, OPT_FAIL_ON, OPT_TODAY,
    OPT_OUTPUT, OPT_RELEASE, OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_VERSION, OPT_COLOR,
    OPT_NO_COLOR, OPT_BASELINE, OPT_WAIVERS, OPT_CHANGED, OPT_NO_CACHE, OPT_CACHE_DIR
};

struct opt_def {
    const char *name;   /* long name without "--" */
    char short_name;    /* or 0 */
    int takes_value;
    enum opt_id id;
};

static const struct opt_def opt_defs[] = {
    {"format", 0, 1, OPT_FORMAT},
    {"config", 0, 1, OPT_CONFIG},
    {"plugin-path", 0, 1, OPT_PLUGIN_PATH},
    {"only-plugin", 0, 1, OPT_ONLY_PLUGIN},
    {"rules-dir", 0, 1, OPT_RULES_DIR},
    {"jobs", 'j', 1, OPT_JOBS},
    {"fail-on", 0, 1, OPT_FAIL_ON},
    {"today", 0, 1, OPT_TODAY},
    {"output", 'o', 1, OPT_OUTPUT},
    {"release", 0, 0, OPT_RELEASE},
    {"quiet", 'q', 0, OPT_QUIET},
    {"verbose", 'v', 0, OPT_VERBOSE},
    {"help", 'h', 0, OPT_HELP},
    {"version", 'V', 0, OPT_VERSION},
    {"color", 0, 0, OPT_COLOR},
    {"no-color", 0, 0, OPT_NO_COLOR},
    {"baseline", 0, 1, OPT_BASELINE},
    {"waivers", 0, 1, OPT_WAIVERS},
    {"changed", 0, 0, OPT_CHANGED},
    {"no-cache", 0, 0, OPT_NO_CACHE},
    {"cache-dir", 0, 1, OPT_CACHE_DIR},
};

static int apply_opt(struct qms_cli_opts *o, const struct opt_def *d, const char *value,
                     struct qms_err *err)
{
    switch (d->id) {
    case OPT_FORMAT:
        if (strcmp(value, "text") != 0 && strcmp(value, "json") != 0 &&
            strcmp(value, "sarif") != 0 && strcmp(value, "junit") != 0 &&
            strcmp(value, "gitlab") != 0 && strcmp(value, "html") != 0 && /* report, register: */
            strcmp(value, "md") != 0 && strcmp(value, "csv") != 0)
            return qms_err_set(err, QMS_EUSAGE,
                               "--format: unknown format '%s' (expected text, json, sarif, "
                               "junit, gitlab, html, md or csv)",
                               value);
        o->format = value;
        return push_output(o, value, NULL, err);
    case OPT_CONFIG:
        o->config_path = value;
        return 0;
    case OPT_PLUGIN_PATH:
        if (push(&o->plugin_paths, &o->n_plugin_paths, value) != 0)
            return qms_err_set(err, QMS_ENOMEM, "out of memory");
        return 0;
    case OPT_ONLY_PLUGIN:
        if (push(&o->only_plugins, &o->n_only_plugins, value) != 0)
            return qms_err_set(err, QMS_ENOMEM, "out of memory");
        return 0;
    case OPT_RULES_DIR:
        o->rules_dir = value;
        return 0;
    case OPT_JOBS:
        return parse_jobs(value, &o->jobs, err);
    case OPT_FAIL_ON:
        if (strcmp(value, "error") != 0 && strcmp(value, "warning") != 0 &&
            strcmp(value, "info") != 0 && strcmp(value, "never") != 0)
            return qms_err_set(err, QMS_EUSAGE,
                               "--fail-on: unknown level '%s' (expected error, warning, info "
                               "or never)",
                               value);
        o->fail_on = value;
        return 0;
    case OPT_TODAY:
        if (qms_cli_parse_date(value, &o->today) != 0)
            return qms_err_set(err, QMS_EUSAGE, "--today: '%s' is not a date (YYYY-MM-DD)",
                               value);
        if (o->today == 0) /* 0 means "unset" to the engine; 1970-01-01 is not a useful today */
            return qms_err_set(err, QMS_EUSAGE, "--today: '%s' is out of range", value);
        return 0;
    case OPT_OUTPUT:
        if (!*value)
            return qms_err_set(err, QMS_EUSAGE, "--output: empty file name");
        /* binds the last --format not yet bound; alone, it is the text report */
        if (o->n_outputs && !o->outputs[o->n_outputs - 1].file) {
            o->outputs[o->n_outputs - 1].file = value;
            return 0;
        }
        return push_output(o, "text", value, err);
    case OPT_BASELINE:
        o->baseline_path = value;
        return 0;
    case OPT_WAIVERS:
        o->waivers_path = value;
        return 0;
    case OPT_CHANGED:
        o->changed = 1;
        return 0;
    case OPT_NO_CACHE:
        o->no_cache = 1;
        return 0;
    case OPT_CACHE_DIR:
        if (!*value)
            return qms_err_set(err, QMS_EUSAGE, "--cache-dir: empty folder name");
        o->cache_dir = value;
        return 0;
    case OPT_RELEASE:
        o->release = 1;
        return 0;
    case OPT_QUIET:
        o->quiet = 1;
        return 0;
    case OPT_VERBOSE:
        o->verbose = 1;
        return 0;
    case OPT_HELP:
        o->help = 1;
        return 0;
    case OPT_VERSION:
        o->version = 1;
        return 0;
    case OPT_COLOR:
        o->color = QMS_COLOR_ALWAYS;
        return 0;
    case OPT_NO_COLOR:
        o->color = QMS_COLOR_NEVER;
        return 0;
    }
    return qms_err_set(err, QMS_EINTERNAL, "internal error: unhandled option");
}

static const struct opt_def *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++)
        if (strlen(opt_defs[i].name) == len && memcmp(opt_defs[i].name, name, len) == 0)
            return &opt_defs[i];
    return NULL;
}

static const struct opt_def *find_short(char c)
{
    for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++)
        if (opt_defs[i].short_name == c)
            return &opt_defs[i];
    return NULL;
}

static int positional(struct qms_cli_opts *o, const char *arg, struct qms_err *err)
{
    if (!o->command) {
        o->command = arg;
        return 0;
    }
    if (push(&o->paths, &o->n_paths, arg) != 0)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    return 0;
}

int qms_cli_parse(struct qms_cli_opts *out, int argc, char **argv, struct qms_err *err)
{
    memset(out, 0, sizeof *out);
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            rc = positional(out, arg, err);
        } else if (strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        } else if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct opt_def *d = find_long(name, len);
            if (!d)
                return qms_err_set(err, QMS_EUSAGE, "unknown option '%.*s' (see qmslint --help)",
                                   (int)(len + 2 > 200 ? 200 : len + 2), arg);
            const char *value = NULL;
            if (d->takes_value) {
                if (eq)
                    value = eq + 1;
                else if (i + 1 < argc)
                    value = argv[++i];
                else
                    return qms_err_set(err, QMS_EUSAGE, "option '--%s' needs a value", d->name);
            } else if (eq) {
                return qms_err_set(err, QMS_EUSAGE, "option '--%s' takes no value", d->name);
            }
            rc = apply_opt(out, d, value, err);
        } else {
            /* -qv, -j4, -j 4 */
            rc = 0;
            for (const char *c = arg + 1; *c && rc == 0; c++) {
                const struct opt_def *d = find_short(*c);
                if (!d)
                    return qms_err_set(err, QMS_EUSAGE, "unknown option '-%c' (see qmslint --help)",
                                       *c);
                if (!d->takes_value) {
                    rc = apply_opt(out, d, NULL, err);
                    continue;
                }
                const char *value = c[1] ? c + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!value)
                    return qms_err_set(err, QMS_EUSAGE, "option '-%c' needs a value", *c);
                rc = apply_opt(out, d, value, err);
                break;
            }
        }
        if (rc != 0)
            return rc;
    }
    if (out->quiet && out->verbose)
        return qms_err_set(err, QMS_EUSAGE, "--quiet and --verbose cannot be used together");
    /* a format given twice for standard output: the last one wins, as it always has */
    size_t kept = 0, last_stdout = SIZE_MAX;
    for (size_t i = 0; i < out->n_outputs; i++)
        if (!out->outputs[i].file)
            last_stdout = i;
    for (size_t i = 0; i < out->n_outputs; i++)
        if (out->outputs[i].file || i == last_stdout)
            out->outputs[kept++] = out->outputs[i];
    out->n_outputs = kept;
    for (size_t i = 0; i < out->n_outputs; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(out->outputs[i].file ? out->outputs[i].file : "-",
                       out->outputs[k].file ? out->outputs[k].file : "") == 0)
                return qms_err_set(err, QMS_EUSAGE, "--output %.200s given twice",
                                   out->outputs[i].file);
    return 0;
}

void qms_cli_opts_free(struct qms_cli_opts *o)
{
    free(o->paths);
    free(o->plugin_paths);
    free(o->only_plugins);
    free(o->outputs);
    o->outputs = NULL;
    o->n_outputs = 0;
    o->paths = NULL;
    o->plugin_paths = NULL;
    o->only_plugins = NULL;
    o->n_paths = o->n_plugin_paths = o->n_only_plugins = 0;
}

int qms_cli_load_config(struct qms_config **out, const struct qms_cli_opts *o, const char *start)
{
    struct qms_err err = {{0}};
    char found[CLI_PATH_MAX];
    int rc;
    *out = NULL;
    if (o->config_path) {
        rc = qms_config_load(out, o->config_path, &err);
    } else if (qms_config_find(found, sizeof found, start) == 1) {
        rc = qms_config_load(out, found, &err);
    } else {
        rc = qms_config_default(out, &err);
    }
    if (rc != 0) {
        if (*out)
            qms_config_free(*out);
        *out = NULL;
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot load the configuration");
    }
    if (o->verbose)
        fprintf(stderr, "qmslint: config %s\n", (*out)->path ? (*out)->path : "(defaults)");
    return 0;
}

void qms_cli_run_opts(struct qms_run_opts *out, const struct qms_cli_opts *o)
{
    memset(out, 0, sizeof *out);
    out->jobs = o->jobs;
    out->today = o->today;
    out->release = o->release;
    out->plugin_paths = o->plugin_paths;
    out->n_plugin_paths = o->n_plugin_paths;
    out->rules_dir = o->rules_dir;
    out->only_plugins = o->only_plugins;
    out->n_only_plugins = o->n_only_plugins;
    out->verbose = o->verbose;
    /* the digest cache (issue 11): check and baseline, unless --no-cache */
    out->use_cache = !o->no_cache && o->command &&
                     (strcmp(o->command, "check") == 0 || strcmp(o->command, "baseline") == 0);
    out->cache_dir = o->cache_dir;
    /* Progress only for a person watching: a terminal, not a pipe, a file or CI. */
    const char *ci = getenv("CI");
    out->progress = !o->quiet && isatty(STDERR_FILENO) && !(ci && *ci);
}

int qms_cli_engine(struct qms_engine **out, const struct qms_config *cfg,
                   const struct qms_cli_opts *o)
{
    struct qms_err err = {{0}};
    struct qms_run_opts ro;
    qms_cli_run_opts(&ro, o);
    *out = NULL;
    if (qms_engine_new(out, cfg, &ro, &err) != 0) {
        if (*out)
            qms_engine_free(*out);
        *out = NULL;
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot load the plugins");
    }
    if (o->verbose) {
        size_t n = qms_engine_plugin_count(*out);
        for (size_t i = 0; i < n; i++) {
            const struct qms_loaded_plugin *p = qms_engine_plugin(*out, i);
            if (!p || !p->desc)
                continue;
            fprintf(stderr, "qmslint: plugin %s %s (%zu rules) from %s\n",
                    p->desc->name ? p->desc->name : "?",
                    p->desc->version ? p->desc->version : "?", p->desc->n_rules,
                    p->file ? p->file : "?");
        }
    }
    return 0;
}

int qms_cli_main(int argc, char **argv)
{
    struct qms_cli_opts o;
    struct qms_err err = {{0}};
    int status;
    if (qms_cli_parse(&o, argc, argv, &err) != 0) {
        qms_cli_opts_free(&o);
        return qms_cli_fail("%s", err.msg);
    }
    if (o.version) {
        printf("qmslint %s\n", QMS_VERSION);
        status = QMS_EXIT_OK;
    } else if (o.help || (o.command && strcmp(o.command, "help") == 0)) {
        qms_cli_usage(stdout);
        status = QMS_EXIT_OK;
    } else if (!o.command) {
        qms_cli_usage(stderr);
        status = QMS_EXIT_ERROR;
    } else if (strcmp(o.command, "check") == 0) {
        status = qms_cli_check(&o);
    } else if (strcmp(o.command, "baseline") == 0) {
        status = qms_cli_baseline(&o);
    } else if (strcmp(o.command, "report") == 0) {
        status = qms_cli_report(&o);
    } else if (strcmp(o.command, "register") == 0) {
        status = qms_cli_register(&o);
    } else if (o.n_outputs && o.outputs[o.n_outputs - 1].file) {
        status = qms_cli_fail("--output is for check, baseline, report and register (%.100s "
                              "writes to standard output)",
                              o.command);
    } else if (o.format && strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0) {
        status = qms_cli_fail("--format %s is for check only (%.100s takes text or json)",
                              o.format, o.command);
    } else if (strcmp(o.command, "dump") == 0) {
        status = qms_cli_dump(&o);
    } else if (strcmp(o.command, "rules") == 0) {
        status = qms_cli_rules(&o);
    } else if (strcmp(o.command, "plugins") == 0) {
        status = qms_cli_plugins(&o);
    } else {
        status = qms_cli_fail("unknown command '%.100s' (expected check, baseline, report, "
                              "register, dump, rules, plugins or help)",
                              o.command);
    }
    qms_cli_opts_free(&o);
    if (fflush(stdout) != 0 && status == QMS_EXIT_OK)
        status = qms_cli_fail("cannot write the output");
    return status;
}
