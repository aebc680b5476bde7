/* .qmslint.yml: finding, loading and validating the configuration (schema version 1). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ynode.h"

#define CONFIG_ARENA_CAP (256u * 1024u * 1024u)
#define CONFIG_MAX_PATTERN 1024

static const char *const top_keys[] = { "version", "rules", "plugins", "exclude",
                                        "fail_on", "limits", "metadata" };
static const char *const top_keys_list =
    "version, rules, plugins, exclude, fail_on, limits, metadata, baseline, waivers";
static const char *const severities_list = "off, info, warning, error";
static const char *const fail_on_values[] = { "error", "warning", "info", "never" };

/* ---------------------------------------------------------------- small helpers */

/* A short, printable excerpt of a hostile string for messages. */
static const char *show(char *out, size_t out_size, const char *s)
{
    size_t o = 0, i;
    const size_t cap = 60;
    if (!s)
        s = "";
    for (i = 0; s[i] && o + 1 < out_size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= cap) {
            if (o + 4 <= out_size) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[o] = '\0';
    return out;
}

static const char *kind_name(const struct qms_node *n)
{
    switch (n->kind) {
    case QMS_NODE_SCALAR: return "a scalar";
    case QMS_NODE_SEQ: return "a sequence";
    case QMS_NODE_MAP: return "a map";
    }
    return "a node";
}

static int severity_from(const char *s)
{
    static const char *const names[] = { "off", "info", "warning", "error" };
    int i;
    for (i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* ^[a-z0-9-]+$ over s[0..len) */
static int is_name(const char *s, size_t len)
{
    size_t i;
    if (len == 0)
        return 0;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

/* ^[a-z0-9-]+/([a-z0-9-]+|\*)$ */
static int is_rule_id(const char *id)
{
    const char *slash = strchr(id, '/');
    if (!slash || !is_name(id, (size_t)(slash - id)))
        return 0;
    return strcmp(slash + 1, "*") == 0 || is_name(slash + 1, strlen(slash + 1));
}

/* "key:" with nothing after it (or ~ / null): the section is present but empty. */
static int is_null(const struct qms_node *n)
{
    return n->kind == QMS_NODE_SCALAR &&
           (n->scalar[0] == '\0' || strcmp(n->scalar, "~") == 0 || strcmp(n->scalar, "null") == 0);
}

static int want_map(const struct qms_node *n, const char *what, struct qms_err *err)
{
    if (n->kind == QMS_NODE_MAP)
        return 0;
    return qms_node_err(err, n, "expected a map for %s, got %s", what, kind_name(n));
}

/* ---------------------------------------------------------------- sections */

static int load_version(const struct qms_node *n, struct qms_err *err)
{
    char got[80];
    if (n->kind != QMS_NODE_SCALAR)
        return qms_node_err(err, n, "expected 1 for version, got %s", kind_name(n));
    if (strcmp(n->scalar, "1") != 0)
        return qms_node_err(err, n, "unsupported version '%s' (expected 1)",
                            show(got, sizeof got, n->scalar));
    return 0;
}

static int load_fail_on(struct qms_config *cfg, const struct qms_node *n, struct qms_err *err)
{
    char got[80];
    size_t i;
    if (n->kind == QMS_NODE_SCALAR) {
        for (i = 0; i < 4; i++) {
            if (strcmp(n->scalar, fail_on_values[i]) == 0) {
                cfg->fail_on = fail_on_values[i];
                return 0;
            }
        }
        return qms_node_err(err, n,
                            "bad value '%s' for fail_on (expected one of: error, warning, info, never)",
                            show(got, sizeof got, n->scalar));
    }
    return qms_node_err(err, n, "expected one of error, warning, info, never for fail_on, got %s",
                        kind_name(n));
}

/* gates (issue 9): `baseline: FILE` / `waivers: FILE`, relative to the config's folder. */
static int load_gate_file(struct qms_config *cfg, const char *key, const struct qms_node *n,
                          struct qms_err *err)
{
    if (n->kind != QMS_NODE_SCALAR || !n->scalar || !n->scalar[0])
        return qms_node_err(err, n, "%s: expected a file name, got %s", key, kind_name(n));
    /* A config can sit inside the folder being checked, written by whoever wrote the
     * documents: it may only name files inside its own folder (`qmslint baseline` writes
     * there). Anything else comes from the command line. */
    const char *p = n->scalar;
    int escapes = p[0] == '/';
    for (const char *c = p; *c && !escapes; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c))
        escapes = c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0');
    if (escapes)
        return qms_node_err(err, n,
                            "%s: must be a path inside the config's folder (no absolute path, no "
                            "'..'); give other files on the command line",
                            key);
    const char *path = !cfg->root ? qms_arena_strdup(cfg->arena, n->scalar)
                                  : qms_arena_printf(cfg->arena, "%s/%s", cfg->root, n->scalar);
    if (!path)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    if (strcmp(key, "baseline") == 0)
        cfg->baseline = path;
    else
        cfg->waivers = path;
    return 0;
}

static int parse_severity(const struct qms_node *n, const char *rule_id, enum qms_severity *out,
                          struct qms_err *err)
{
    char got[80], id[80];
    int s;
    if (n->kind != QMS_NODE_SCALAR)
        return qms_node_err(err, n, "expected a severity (%s) for rule '%s', got %s",
                            severities_list, show(id, sizeof id, rule_id), kind_name(n));
    s = severity_from(n->scalar);
    if (s < 0)
        return qms_node_err(err, n, "bad severity '%s' for rule '%s' (expected one of: %s)",
                            show(got, sizeof got, n->scalar), show(id, sizeof id, rule_id),
                            severities_list);
    *out = (enum qms_severity)s;
    return 0;
}

static int load_rules(struct qms_config *cfg, const struct qms_node *n, struct qms_err *err)
{
    size_t i;
    int rc;
    if ((rc = want_map(n, "rules", err)))
        return rc;
    if (n->n_items == 0)
        return 0;
    cfg->rules = qms_arena_alloc(cfg->arena, n->n_items * sizeof *cfg->rules);
    if (!cfg->rules)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    for (i = 0; i < n->n_items; i++) {
        const char *id = n->keys[i];
        const struct qms_node *v = &n->items[i];
        struct qms_rule_config *r = &cfg->rules[cfg->n_rules];
        char shown[80];

        if (!is_rule_id(id))
            return qms_node_key_err(err, n, i,
                                    "bad rule id '%s' (expected 'plugin/rule' or 'plugin/*', "
                                    "lower-case letters, digits and hyphens)",
                                    show(shown, sizeof shown, id));
        r->id = id;
        r->node = v;
        if (v->kind == QMS_NODE_SCALAR) {
            if ((rc = parse_severity(v, id, &r->severity, err)))
                return rc;
            r->severity_set = 1;
        } else if (v->kind == QMS_NODE_MAP) {
            const struct qms_node *sev = qms_node_get(v, "severity");
            if (sev) {
                if ((rc = parse_severity(sev, id, &r->severity, err)))
                    return rc;
                r->severity_set = 1;
            }
            r->options = v;
        } else {
            return qms_node_err(err, v,
                                "expected a severity (%s) or a map of options for rule '%s', got %s",
                                severities_list, show(shown, sizeof shown, id), kind_name(v));
        }
        cfg->n_rules++;
    }
    return 0;
}

static int load_plugins(struct qms_config *cfg, const struct qms_node *n, struct qms_err *err)
{
    size_t i;
    int rc;
    if ((rc = want_map(n, "plugins", err)))
        return rc;
    if (n->n_items == 0)
        return 0;
    cfg->plugins = qms_arena_alloc(cfg->arena, n->n_items * sizeof *cfg->plugins);
    if (!cfg->plugins)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    for (i = 0; i < n->n_items; i++) {
        const char *name = n->keys[i];
        const struct qms_node *v = &n->items[i];
        struct qms_plugin_config *p = &cfg->plugins[cfg->n_plugins];
        char shown[80];

        if (!is_name(name, strlen(name)))
            return qms_node_key_err(err, n, i,
                                    "bad plugin name '%s' (expected lower-case letters, digits "
                                    "and hyphens)",
                                    show(shown, sizeof shown, name));
        p->name = name;
        p->node = v;
        p->enabled = 1;
        if (v->kind == QMS_NODE_SCALAR) {
            if ((rc = qms_node_bool(v, &p->enabled, err)))
                return rc;
        } else if (v->kind == QMS_NODE_MAP) {
            const struct qms_node *en = qms_node_get(v, "enabled");
            if (en && (rc = qms_node_bool(en, &p->enabled, err)))
                return rc;
            p->options = v;
        } else {
            return qms_node_err(err, v,
                                "expected true/false or a map of options for plugin '%s', got %s",
                                show(shown, sizeof shown, name), kind_name(v));
        }
        cfg->n_plugins++;
    }
    return 0;
}

static int load_exclude(struct qms_config *cfg, const struct qms_node *n, struct qms_err *err)
{
    size_t i;
    if (n->kind != QMS_NODE_SEQ)
        return qms_node_err(err, n, "expected a sequence of glob patterns for exclude, got %s",
                            kind_name(n));
    if (n->n_items == 0)
        return 0;
    cfg->excludes = qms_arena_alloc(cfg->arena, n->n_items * sizeof *cfg->excludes);
    if (!cfg->excludes)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    for (i = 0; i < n->n_items; i++) {
        const struct qms_node *p = &n->items[i];
        const char *pat;
        if (p->kind != QMS_NODE_SCALAR)
            return qms_node_err(err, p, "expected a glob pattern in exclude, got %s", kind_name(p));
        pat = p->scalar;
        while (pat[0] == '.' && pat[1] == '/')
            pat += 2;
        while (pat[0] == '/')
            pat++;
        if (pat[0] == '\0')
            return qms_node_err(err, p, "empty pattern in exclude");
        if (strlen(pat) > CONFIG_MAX_PATTERN)
            return qms_node_err(err, p, "exclude pattern longer than %d bytes", CONFIG_MAX_PATTERN);
        cfg->excludes[cfg->n_excludes++] = pat;
    }
    return 0;
}

/* A positive integer, with KB/MB/GB (= KiB/MiB/GiB, powers of 1024) when `sizes`. */
static int parse_limit(const char *s, int sizes, uint64_t max, uint64_t *out)
{
    uint64_t v = 0, mult = 1;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p) {
        static const char *const suffixes[] = { "KB", "MB", "GB", "KiB", "MiB", "GiB" };
        size_t i;
        int found = -1;
        if (!sizes)
            return -1;
        while (*p == ' ')
            p++;
        for (i = 0; i < 6; i++) {
            if (strcasecmp(p, suffixes[i]) == 0) {
                found = (int)(i % 3);
                break;
            }
        }
        if (found < 0)
            return -1;
        mult = (uint64_t)1 << (10 * (found + 1));
    }
    if (v == 0 || v > max / mult)
        return -1;
    *out = v * mult;
    return 0;
}

static int load_limits(struct qms_config *cfg, const struct qms_node *n, struct qms_err *err)
{
    /* Ceilings: a .qmslint.yml may sit in the folder being checked, written by whoever wrote
       the documents; it may relax the caps for real large documents but not switch the bomb
       guards off. */
    static const struct {
        const char *name;
        int size;      /* accepts KB/MB/GB */
        int u32;       /* stored in a uint32_t */
        uint64_t ceiling;
        const char *ceiling_text;
    } fields[] = {
        { "max_file_size", 1, 0, 2ull << 30, "2 GiB" },
        { "max_part_size", 1, 0, 2ull << 30, "2 GiB" },
        { "max_total_size", 1, 0, 4ull << 30, "4 GiB" },
        { "max_ratio", 0, 1, 10000, "10000" },
        { "max_entries", 0, 1, 1000000, "1000000" },
        { "max_depth", 0, 1, 10000, "10000" },
        { "max_line", 1, 0, 1ull << 30, "1 GiB" },
        { "max_doc_memory", 1, 0, 4ull << 30, "4 GiB" },
    };
    size_t i, f;
    int rc;
    if ((rc = want_map(n, "limits", err)))
        return rc;
    for (i = 0; i < n->n_items; i++) {
        const struct qms_node *v = &n->items[i];
        char shown[80];
        uint64_t value;
        for (f = 0; f < sizeof fields / sizeof fields[0]; f++)
            if (strcmp(n->keys[i], fields[f].name) == 0)
                break;
        if (f == sizeof fields / sizeof fields[0])
            return qms_node_key_err(err, n, i,
                                    "unknown key '%s' in limits (expected one of: max_file_size, "
                                    "max_part_size, max_total_size, max_ratio, max_entries, "
                                    "max_depth, max_line, max_doc_memory)",
                                    show(shown, sizeof shown, n->keys[i]));
        if (v->kind != QMS_NODE_SCALAR ||
            parse_limit(v->scalar, fields[f].size, fields[f].u32 ? UINT32_MAX : UINT64_MAX,
                        &value) != 0) {
            char got[88]; /* the quoted 80-byte value */
            if (v->kind == QMS_NODE_SCALAR)
                snprintf(got, sizeof got, "'%s'", show(shown, sizeof shown, v->scalar));
            else
                snprintf(got, sizeof got, "%s", kind_name(v));
            if (fields[f].size)
                return qms_node_err(err, v,
                                    "bad value %s for limits.%s (expected a positive integer, "
                                    "optionally followed by KB, MB, GB, KiB, MiB or GiB)",
                                    got, fields[f].name);
            return qms_node_err(err, v,
                                "bad value %s for limits.%s (expected a positive integer up to %u)",
                                got, fields[f].name, (unsigned)UINT32_MAX);
        }
        if (value > fields[f].ceiling)
            return qms_node_err(err, v, "limits.%s may be at most %s", fields[f].name,
                                fields[f].ceiling_text);
        switch (f) {
        case 0: cfg->limits.max_file_size = value; break;
        case 1: cfg->limits.max_part_size = value; break;
        case 2: cfg->limits.max_total_size = value; break;
        case 3: cfg->limits.max_ratio = (uint32_t)value; break;
        case 4: cfg->limits.max_entries = (uint32_t)value; break;
        case 5: cfg->limits.max_depth = (uint32_t)value; break;
        case 6: cfg->limits.max_line = value; break;
        default: cfg->limits.max_doc_memory = value; break;
        }
    }
    return 0;
}

static int load_tree(struct qms_config *cfg, const struct qms_node *root, struct qms_err *err)
{
    size_t i;
    int rc = 0;
    if (!root)
        return 0; /* an empty file: the defaults */
    if (root->kind != QMS_NODE_MAP)
        return qms_node_err(err, root, "expected a map at the top level (keys: %s), got %s",
                            top_keys_list, kind_name(root));
    for (i = 0; i < root->n_items && rc == 0; i++) {
        const char *key = root->keys[i];
        const struct qms_node *v = &root->items[i];
        char shown[80];
        size_t k;
        if (is_null(v) && strcmp(key, "version") != 0 && strcmp(key, "fail_on") != 0)
            continue; /* an empty section, e.g. every entry commented out */
        for (k = 0; k < sizeof top_keys / sizeof top_keys[0]; k++)
            if (strcmp(key, top_keys[k]) == 0)
                break;
        switch (k) {
        case 0: rc = load_version(v, err); break;
        case 1: rc = load_rules(cfg, v, err); break;
        case 2: rc = load_plugins(cfg, v, err); break;
        case 3: rc = load_exclude(cfg, v, err); break;
        case 4: rc = load_fail_on(cfg, v, err); break;
        case 5: rc = load_limits(cfg, v, err); break;
        case 6:
            if ((rc = want_map(v, "metadata", err)) == 0)
                cfg->metadata = v;
            break;
        default:
            if (strcmp(key, "baseline") == 0 || strcmp(key, "waivers") == 0)
                rc = load_gate_file(cfg, key, v, err); /* gates (issue 9) */
            else if (strcmp(key, "plugin_path") == 0 || strcmp(key, "plugin_paths") == 0)
                rc = qms_node_key_err(err, root, i,
                                      "unknown key '%s': plugin directories can only be given "
                                      "on the command line (--plugin-path), never in a config "
                                      "file",
                                      key);
            else
                rc = qms_node_key_err(err, root, i, "unknown key '%s' (expected one of: %s)",
                                      show(shown, sizeof shown, key), top_keys_list);
            break;
        }
    }
    return rc;
}

/* ---------------------------------------------------------------- public API */

static int config_new(struct qms_config **out, struct qms_err *err)
{
    struct qms_arena *arena = qms_arena_new(CONFIG_ARENA_CAP);
    struct qms_config *cfg;
    if (!arena)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    cfg = qms_arena_alloc(arena, sizeof *cfg);
    if (!cfg) {
        qms_arena_free(arena);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    cfg->arena = arena;
    qms_limits_default(&cfg->limits);
    *out = cfg;
    return 0;
}

int qms_config_default(struct qms_config **out, struct qms_err *err)
{
    *out = NULL;
    return config_new(out, err);
}

int qms_config_load(struct qms_config **out, const char *file, struct qms_err *err)
{
    struct qms_config *cfg = NULL;
    const struct qms_node *tree = NULL;
    char *root;
    int rc;

    *out = NULL;
    if ((rc = config_new(&cfg, err)))
        return rc;
    cfg->path = qms_arena_strdup(cfg->arena, file);
    root = qms_arena_strdup(cfg->arena, file);
    if (!cfg->path || !root) {
        qms_config_free(cfg);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    {
        char *slash = strrchr(root, '/'), *abs;
        if (!slash)
            strcpy(root, ".");
        else if (slash == root)
            root[1] = '\0';
        else
            *slash = '\0';
        abs = realpath(root, NULL);
        cfg->root = abs ? qms_arena_strdup(cfg->arena, abs) : root;
        free(abs);
        if (!cfg->root)
            cfg->root = root;
    }
    rc = qms_yaml_load(&tree, cfg->arena, file, err);
    if (rc == 0)
        rc = load_tree(cfg, tree, err);
    if (rc) {
        qms_config_free(cfg);
        return rc == QMS_ENOMEM ? rc : (rc == QMS_EIO ? QMS_EIO : QMS_ECONFIG);
    }
    cfg->tree = tree;
    *out = cfg;
    return 0;
}

void qms_config_free(struct qms_config *cfg)
{
    if (cfg)
        qms_arena_free(cfg->arena); /* cfg itself lives in its arena */
}

static int is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int qms_config_find(char *out, size_t out_size, const char *start)
{
    static const char *const names[] = { ".qmslint.yml", ".qmslint.yaml" };
    char *dir, *probe;
    size_t dir_len, probe_size;
    struct stat st;
    int found = 0;

    if (!out || out_size == 0 || !start)
        return 0;
    dir = realpath(start, NULL);
    if (!dir)
        return 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            dir[1] = '\0';
        else if (slash)
            *slash = '\0';
    }
    dir_len = strlen(dir);
    probe_size = dir_len + 32;
    probe = malloc(probe_size);
    if (!probe) {
        free(dir);
        return 0;
    }
    for (;;) {
        const char *sep = (dir_len > 0 && dir[dir_len - 1] == '/') ? "" : "/";
        size_t i;
        char *slash;
        for (i = 0; i < 2 && !found; i++) {
            snprintf(probe, probe_size, "%s%s%s", dir, sep, names[i]);
            if (is_regular(probe)) {
                if (strlen(probe) < out_size) {
                    memcpy(out, probe, strlen(probe) + 1);
                    found = 1;
                } else {
                    goto done; /* does not fit: as if there were none */
                }
            }
        }
        if (found)
            break;
        snprintf(probe, probe_size, "%s%s.git", dir, sep);
        if (exists(probe))
            break; /* the repository root: do not look above it */
        if (strcmp(dir, "/") == 0)
            break;
        slash = strrchr(dir, '/');
        if (!slash)
            break;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        dir_len = strlen(dir);
    }
done:
    free(probe);
    free(dir);
    return found;
}

const struct qms_rule_config *qms_config_rule(const struct qms_config *cfg, const char *rule_id)
{
    const char *slash;
    size_t i, plen;
    if (!cfg || !rule_id)
        return NULL;
    for (i = 0; i < cfg->n_rules; i++)
        if (strcmp(cfg->rules[i].id, rule_id) == 0)
            return &cfg->rules[i];
    slash = strchr(rule_id, '/');
    if (!slash)
        return NULL;
    plen = (size_t)(slash - rule_id);
    for (i = 0; i < cfg->n_rules; i++) {
        const char *id = cfg->rules[i].id;
        if (strncmp(id, rule_id, plen) == 0 && id[plen] == '/' && strcmp(id + plen + 1, "*") == 0)
            return &cfg->rules[i];
    }
    return NULL;
}

const struct qms_plugin_config *qms_config_plugin(const struct qms_config *cfg, const char *name)
{
    size_t i;
    if (!cfg || !name)
        return NULL;
    for (i = 0; i < cfg->n_plugins; i++)
        if (strcmp(cfg->plugins[i].name, name) == 0)
            return &cfg->plugins[i];
    return NULL;
}

/* ---------------------------------------------------------------- globs */

/*
 * Glob match of s[0..n) against the whole pattern: '*' and '?' and [...] never match '/',
 * '**' matches anything, "**" followed by '/' also matches no folder at all. Runs as a set
 * of reachable positions (no backtracking), so hostile patterns cost O(pattern * path).
 */
static int glob_match(const char *pat, const char *s, size_t n)
{
    unsigned char stack_a[256], stack_b[256];
    unsigned char *cur = stack_a, *next = stack_b, *heap = NULL;
    size_t i;
    int result;

    if (n + 1 > sizeof stack_a) {
        heap = malloc(2 * (n + 1));
        if (!heap)
            return 0;
        cur = heap;
        next = heap + n + 1;
    }
    memset(cur, 0, n + 1);
    cur[0] = 1;
    while (*pat) {
        unsigned char *tmp;
        memset(next, 0, n + 1);
        if (pat[0] == '*' && pat[1] == '*') {
            int any = 0;
            pat += 2;
            while (*pat == '*')
                pat++;
            if (*pat == '/') {
                /* "**" "/": zero or more whole folders */
                pat++;
                for (i = 0; i <= n; i++) {
                    next[i] = cur[i] || (i > 0 && s[i - 1] == '/' && any);
                    if (cur[i])
                        any = 1;
                }
            } else {
                for (i = 0; i <= n; i++) {
                    if (cur[i])
                        any = 1;
                    next[i] = (unsigned char)any;
                }
            }
        } else if (pat[0] == '*') {
            int run = 0;
            pat++;
            for (i = 0; i <= n; i++) {
                if (cur[i])
                    run = 1;
                next[i] = (unsigned char)run;
                if (i < n && s[i] == '/')
                    run = 0;
            }
        } else if (pat[0] == '?') {
            pat++;
            for (i = 0; i < n; i++)
                if (cur[i] && s[i] != '/')
                    next[i + 1] = 1;
        } else if (pat[0] == '[' && strchr(pat + 1, ']')) {
            /* [abc] [a-z] [!x] [^x]; a ']' right after the opening is literal */
            const char *p = pat + 1, *end;
            int negate = 0;
            if (*p == '!' || *p == '^') {
                negate = 1;
                p++;
            }
            end = strchr(*p == ']' ? p + 1 : p, ']');
            if (!end) {
                /* "[]" or "[!]" with no closing bracket after: a literal '[' */
                for (i = 0; i < n; i++)
                    if (cur[i] && s[i] == '[')
                        next[i + 1] = 1;
                pat++;
            } else {
                for (i = 0; i < n; i++) {
                    const char *q;
                    int hit = 0;
                    unsigned char c = (unsigned char)s[i];
                    if (!cur[i] || c == '/')
                        continue;
                    for (q = p; q < end; q++) {
                        if (q + 2 < end && q[1] == '-') {
                            if (c >= (unsigned char)q[0] && c <= (unsigned char)q[2])
                                hit = 1;
                            q += 2;
                        } else if ((unsigned char)*q == c) {
                            hit = 1;
                        }
                    }
                    if (hit != negate)
                        next[i + 1] = 1;
                }
                pat = end + 1;
            }
        } else {
            char lit = pat[0];
            if (lit == '\\' && pat[1]) {
                lit = pat[1];
                pat++;
            }
            pat++;
            for (i = 0; i < n; i++)
                if (cur[i] && s[i] == lit)
                    next[i + 1] = 1;
        }
        tmp = cur;
        cur = next;
        next = tmp;
    }
    result = cur[n];
    free(heap);
    return result;
}

/* One pattern against a path: with a '/', the path or one of its folders from the root;
 * without, any single component (so "drafts" excludes every file under a drafts folder).
 * A trailing '/' restricts the pattern to folders. */
static int pattern_matches(const char *pattern, const char *path)
{
    char pat[CONFIG_MAX_PATTERN + 1];
    size_t plen = strlen(pattern), n = strlen(path), i, start;
    int dir_only = 0, anchored;

    if (plen > CONFIG_MAX_PATTERN)
        return 0;
    memcpy(pat, pattern, plen + 1);
    while (plen > 0 && pat[plen - 1] == '/') {
        pat[--plen] = '\0';
        dir_only = 1;
    }
    if (plen == 0)
        return 0;
    anchored = strchr(pat, '/') != NULL;
    if (anchored) {
        /* every folder prefix, then (unless dir_only) the whole path */
        for (i = 0; i < n; i++)
            if (path[i] == '/' && glob_match(pat, path, i))
                return 1;
        return !dir_only && glob_match(pat, path, n);
    }
    for (start = 0, i = 0; i <= n; i++) {
        if (i == n || path[i] == '/') {
            int is_last = (i == n);
            if (!(dir_only && is_last) && glob_match(pat, path + start, i - start))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

int qms_config_excluded(const struct qms_config *cfg, const char *rel_path)
{
    size_t i;
    if (!cfg || !rel_path)
        return 0;
    while (rel_path[0] == '.' && rel_path[1] == '/')
        rel_path += 2;
    while (rel_path[0] == '/')
        rel_path++;
    for (i = 0; i < cfg->n_excludes; i++)
        if (pattern_matches(cfg->excludes[i], rel_path))
            return 1;
    return 0;
}
