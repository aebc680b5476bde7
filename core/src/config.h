/* .qmslint.yml: found from the checked folder upward to the repository root, or --config. */
#ifndef QMS_CONFIG_H
#define QMS_CONFIG_H

#include <stddef.h>

#include <qmslint/plugin.h>

#include "arena.h"
#include "errors.h"
#include "caps.h"

struct qms_rule_config {
    const char *id;                 /* "structure/heading-skip", or "structure/" + "*" for all of a plugin's rules */
    enum qms_severity severity;     /* meaningful when severity_set */
    int severity_set;               /* 1: "off" / "info" / "warning" / "error" given */
    const struct qms_node *options; /* the rule's map (NULL when given only a severity) */
    const struct qms_node *node;    /* where it was written, for "unknown rule" messages */
};

struct qms_plugin_config {
    const char *name;
    int enabled;                    /* 0 when "plugins: {name: false}" / enabled: false */
    const struct qms_node *options;
    const struct qms_node *node;
};

struct qms_config {
    struct qms_arena *arena;
    const char *path;               /* the file read, or NULL for built-in defaults */
    const char *root;               /* folder of the config file (the set root) or NULL */
    const struct qms_node *tree;    /* the whole parsed file (NULL for defaults) */

    struct qms_rule_config *rules;  size_t n_rules;
    struct qms_plugin_config *plugins; size_t n_plugins;
    const char **excludes;          size_t n_excludes;  /* glob patterns, relative to root */
    const char *fail_on;            /* "error" | "warning" | "info" | "never", or NULL */
    struct qms_limits limits;
    const struct qms_node *metadata; /* `metadata:` section (id pattern, date order...), or NULL */
    /* added by gates (issue 9): resolved against the config's folder, or NULL */
    const char *baseline;           /* `baseline: FILE` (check --baseline by default) */
    const char *waivers;            /* `waivers: FILE` (instead of .qmslint-waivers.yml) */
};

/*
 * Finds the config for `start` (a file or folder): the first .qmslint.yml (or .qmslint.yaml)
 * in start's folder or a parent, stopping after the folder that holds .git. Writes the path
 * into out and returns 1, or returns 0 when there is none.
 */
int qms_config_find(char *out, size_t out_size, const char *start);

/* Loads and validates a config file. Unknown keys and bad values: QMS_ECONFIG with
 * "file:line:column: message". */
int qms_config_load(struct qms_config **out, const char *file, struct qms_err *err);
/* The built-in defaults (no file). */
int qms_config_default(struct qms_config **out, struct qms_err *err);
void qms_config_free(struct qms_config *cfg);

/* The rule entry for id (exact, else the "plugin/" + "*" wildcard entry), or NULL. */
const struct qms_rule_config *qms_config_rule(const struct qms_config *cfg, const char *rule_id);
const struct qms_plugin_config *qms_config_plugin(const struct qms_config *cfg, const char *name);
/* 1 when a path (relative to the root, '/'-separated) matches an exclude glob. */
int qms_config_excluded(const struct qms_config *cfg, const char *rel_path);

#endif
