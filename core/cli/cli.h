/* The command line: option parsing shared by every subcommand, and the subcommands. Each
 * subcommand returns the process exit status (0, 1 or 2, see docs/cli.md) and never exits
 * itself; main() only dispatches. Errors go to stderr as one line "qmslint: ...". */
#ifndef QMS_CLI_H
#define QMS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "engine.h"

#define QMS_EXIT_OK 0
#define QMS_EXIT_FINDINGS 1
#define QMS_EXIT_ERROR 2

enum qms_cli_color { QMS_COLOR_AUTO = 0, QMS_COLOR_NEVER, QMS_COLOR_ALWAYS };

/* One report of a run: --format F [--output FILE]. file NULL: standard output. */
struct qms_cli_output {
    const char *format;               /* "text", "json", "sarif", "junit", "gitlab" */
    const char *file;
};

struct qms_cli_opts {
    const char *command;              /* "check", "dump", "rules", "plugins", "help" or NULL */
    const char **paths;               /* positional arguments after the command (heap array) */
    size_t n_paths;
    const char *format;               /* --format, NULL: text */
    const char *config_path;          /* --config */
    const char **plugin_paths;        /* --plugin-path, repeatable (heap array) */
    size_t n_plugin_paths;
    const char **only_plugins;        /* --only-plugin, repeatable (heap array); none: all */
    size_t n_only_plugins;
    const char *rules_dir;            /* --rules-dir */
    unsigned jobs;                    /* --jobs / -j; 0: online CPUs */
    const char *fail_on;              /* --fail-on, NULL: config or "error" */
    int32_t today;                    /* --today as days since 1970-01-01; 0: unset */
    int release, quiet, verbose, help, version;
    enum qms_cli_color color;
    /* gates (issue 9) */
    struct qms_cli_output *outputs;   /* every --format/--output pair in order (heap array) */
    size_t n_outputs;
    const char *baseline_path;        /* --baseline FILE */
    const char *waivers_path;         /* --waivers FILE */
    int changed;                      /* --changed: the paths are the changed files */
    /* cache (issue 11) */
    int no_cache;                     /* --no-cache */
    const char *cache_dir;            /* --cache-dir DIR */
};

/* Parses argv (argv[0] is the program). Returns 0, or QMS_EUSAGE with the reason in err.
 * Free with qms_cli_opts_free (also after a failure). */
int qms_cli_parse(struct qms_cli_opts *out, int argc, char **argv, struct qms_err *err);
void qms_cli_opts_free(struct qms_cli_opts *o);

/* "YYYY-MM-DD" -> days since 1970-01-01 (negative before 1970). 0 on success, -1 when the
 * text is not a real calendar date. */
int qms_cli_parse_date(const char *s, int32_t *out);

/* Loads --config, else the .qmslint.yml found from `start` upward, else the defaults.
 * Prints "qmslint: file:line:column: message" and returns QMS_EXIT_ERROR on failure. */
int qms_cli_load_config(struct qms_config **out, const struct qms_cli_opts *o, const char *start);

/* Fills the engine options from the command line (plugin paths point into `o`). */
void qms_cli_run_opts(struct qms_run_opts *out, const struct qms_cli_opts *o);

/* Creates the engine, printing "qmslint: ..." on failure (returns QMS_EXIT_ERROR). With
 * --verbose, lists the loaded plugins on stderr. */
int qms_cli_engine(struct qms_engine **out, const struct qms_config *cfg,
                   const struct qms_cli_opts *o);

/* Prints "qmslint: <formatted>" and a newline on stderr; returns QMS_EXIT_ERROR. */
int qms_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void qms_cli_usage(FILE *out);

int qms_cli_check(const struct qms_cli_opts *o);
int qms_cli_dump(const struct qms_cli_opts *o);
int qms_cli_rules(const struct qms_cli_opts *o);
int qms_cli_plugins(const struct qms_cli_opts *o);
/* `qmslint baseline [PATH...]`: writes .qmslint-baseline.json (or --output FILE). */
int qms_cli_baseline(const struct qms_cli_opts *o);
/* `qmslint report [PATH...] --format html|md|csv|json|sarif [-o FILE]`: the gap report;
 * `qmslint register [PATH...] --format md|csv|json [-o FILE]`: the document register.
 * Exit 0 when written, 2 on a usage, config, plugin or write error (core/cli/report.c). */
int qms_cli_report(const struct qms_cli_opts *o);
int qms_cli_register(const struct qms_cli_opts *o);
/* `qmslint dump`: extracts doc's metadata record (core/cli/dump_meta.c). *out: the vocabulary
 * the record may point into; free it with qms_meta_opts_free after the dump (NULL when no
 * rules folder exists). 0, or QMS_EXIT_ERROR after printing why labels.yml cannot load. */
struct qms_doc;
struct qms_meta_opts;
int qms_cli_dump_meta(struct qms_meta_opts **out, struct qms_doc *doc,
                      const struct qms_config *cfg, const struct qms_cli_opts *o);

/* Writes `len` bytes, or what `write` produces, into `path` atomically: a temporary file in
 * the same folder, flushed, then renamed into place. On failure no file is left behind and
 * an existing one is untouched. 0 or QMS_EIO with the reason in err. */
struct qms_cli_pending;
int qms_cli_pending_open(struct qms_cli_pending **out, const char *path, FILE **out_file,
                         struct qms_err *err);
/* Closes and renames (commit = 1) or removes (commit = 0) the temporary file; frees p. */
int qms_cli_pending_close(struct qms_cli_pending *p, int commit, struct qms_err *err);

/* Paths shared by check, baseline, report and register (core/cli/check.c). */
/* realpath of an existing path, or of its folder joined with its name (a dangling link or a
 * loop, which discovery reports itself). Heap string or NULL. */
char *qms_cli_absolute(const char *path);
/* 1 when `path` is `root` or lies below it (both absolute). */
int qms_cli_is_under(const char *root, const char *path);
/* The config's folder when it holds every path, else NULL (discovery then uses the common
 * folder of the paths). Heap string. */
char *qms_cli_set_root(const struct qms_config *cfg, const char *const *paths, size_t n_paths);

/* Dispatches a parsed command line; the whole program is `return qms_cli_main(argc, argv)`. */
int qms_cli_main(int argc, char **argv);

#endif
