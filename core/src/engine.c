/* The plugin host: trusted search path, ABI checks, init, rule table, config validation and
 * the host API table plugins call. The run itself (thread pool, digests, findings) is in
 * scheduler.c. */
#include "engine.h"
#include "cache.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dates.h"
#include "engine_int.h"
#include "meta.h"
#include "ynode.h"

#ifndef QMS_PLUGIN_INSTALL_DIR
#define QMS_PLUGIN_INSTALL_DIR ""
#endif
#ifndef QMS_BUILD_PLUGIN_DIR
#define QMS_BUILD_PLUGIN_DIR ""
#endif
#ifndef QMS_RULES_INSTALL_DIR
#define QMS_RULES_INSTALL_DIR ""
#endif
#ifndef QMS_SOURCE_RULES_DIR
#define QMS_SOURCE_RULES_DIR ""
#endif

#define MAX_PLUGINS 256
#define MAX_NAME 64

/* The host's own rules. */
static const struct qms_rule core_rules[] = {
    {"core/unreadable", QMS_SEV_ERROR, NULL, "a document could not be read",
     "The file could not be loaded (corrupt, encrypted, legacy binary format, too large, or not "
     "the format its extension claims). Nothing else in it was checked. Fix or convert the file, "
     "or exclude it in .qmslint.yml.",
     0},
    /* gates (issue 9) */
    {"core/unknown-suppression", QMS_SEV_WARNING, NULL,
     "a suppression or waiver names a rule that does not exist",
     "An inline suppression (<!-- qmslint-disable rule-id -->, front matter or custom property "
     "qmslint-disable) or a waiver names a rule id that no loaded plugin provides, so it "
     "suppresses nothing. Fix the id (see `qmslint rules`) or remove the suppression.",
     0},
    {"core/expired-waiver", QMS_SEV_WARNING, "7.5.3",
     "a waiver in .qmslint-waivers.yml has expired",
     "The waiver's expiry date has passed, so the findings it covered are reported again. "
     "Fix the findings, or review the waiver and give it a new expiry date and approval.",
     0},
};
#define N_CORE_RULES (sizeof core_rules / sizeof core_rules[0])

/* ---------------------------------------------------------------- severities */

const char *qms_severity_name(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_OFF: return "off";
    case QMS_SEV_INFO: return "info";
    case QMS_SEV_WARNING: return "warning";
    case QMS_SEV_ERROR: return "error";
    }
    return "off";
}

int qms_severity_parse(const char *s)
{
    if (!s)
        return -1;
    static const char *const names[] = {"off", "info", "warning", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* ---------------------------------------------------------------- helpers */

static int is_dir(const char *path)
{
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int valid_plugin_name(const char *name)
{
    size_t n = 0;
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++, n++) {
        char c = *p;
        if (n >= MAX_NAME || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
    }
    return strcmp(name, "core") != 0;
}

/* "name/rule-id": lower case letters, digits and hyphens after the prefix. */
static int valid_rule_id(const char *id, const char *plugin)
{
    size_t pn = strlen(plugin);
    if (!id || strncmp(id, plugin, pn) != 0 || id[pn] != '/' || !id[pn + 1])
        return 0;
    size_t n = 0;
    for (const char *p = id + pn + 1; *p; p++, n++) {
        char c = *p;
        if (n >= 128 || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Bounded copy that always terminates (truncation is intended). */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void engine_cfg_err(struct qms_engine *e, const char *msg)
{
    pthread_mutex_lock(&e->lock);
    if (!e->has_cfg_err) {
        copy_text(e->cfg_err, sizeof e->cfg_err, msg);
        e->has_cfg_err = 1;
    }
    pthread_mutex_unlock(&e->lock);
}

static int32_t local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return (int32_t)(now / 86400);
    return qms_date_days(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

/* ---------------------------------------------------------------- host API */

static struct qms_plugin_slot *host_slot(struct qms_host *host)
{
    if (!host || !host->engine || host->plugin >= host->engine->n_plugins)
        return NULL;
    return &host->engine->plugins[host->plugin];
}

static int api_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct qms_plugin_slot *s = host_slot(host);
    if (!s || !f || !f->rule_id || !f->message)
        return QMS_EUSAGE;
    const struct qms_rule_entry *r = qms_engine_rule_entry(host->engine, f->rule_id);
    if (!r || r->plugin != host->plugin) {
        /* A plugin may only report its own rules: anything else is a plugin bug. */
        if (host->engine->verbose)
            fprintf(stderr, "qmslint: %s: report of unknown rule \"%.128s\" ignored\n",
                    s->pub.desc->name, f->rule_id);
        return QMS_EPLUGIN;
    }
    if (!host->run)
        return QMS_EUSAGE; /* reporting from init/fini: nowhere to put it */
    return qms_run_report(host, r, f);
}

static void api_log(struct qms_host *host, int level, const char *fmt, ...)
{
    struct qms_plugin_slot *s = host_slot(host);
    if (!s || !fmt)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->in_init && level >= 1 && !host->job)
        copy_text(s->last_err, sizeof s->last_err, msg);
    if (level >= 1 || host->engine->verbose) {
        /* one write per line, so lines from workers don't interleave */
        char line[1200];
        snprintf(line, sizeof line, "qmslint: %s: %s\n", s->pub.desc->name, msg);
        fputs(line, stderr);
    }
}

static int valid_pack_name(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 200)
        return 0;
    return strchr(name, '/') == NULL && strchr(name, '\\') == NULL;
}

static int api_load_pack(struct qms_host *host, const char *name, const struct qms_node **out)
{
    struct qms_plugin_slot *s = host_slot(host);
    if (!s || !out)
        return QMS_EUSAGE;
    *out = NULL;
    struct qms_engine *e = host->engine;
    char msg[QMS_ERRBUF_SIZE];
    if (!s->in_init) {
        snprintf(s->last_err, sizeof s->last_err, "load_pack(\"%.64s\") outside init", name ? name : "");
        return QMS_EUSAGE;
    }
    if (!valid_pack_name(name)) {
        snprintf(msg, sizeof msg, "%s: bad rule pack name \"%.64s\"", s->pub.desc->name, name ? name : "");
        copy_text(s->last_err, sizeof s->last_err, msg);
        engine_cfg_err(e, msg);
        return QMS_ECONFIG;
    }
    if (!e->rules_dir) {
        snprintf(msg, sizeof msg, "%s: no rules directory found for rule pack %s (set QMSLINT_RULES_DIR)",
                 s->pub.desc->name, name);
        copy_text(s->last_err, sizeof s->last_err, msg);
        engine_cfg_err(e, msg);
        return QMS_ECONFIG;
    }
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", e->rules_dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return QMS_EUSAGE;
    struct qms_err err = {{0}};
    int rc = qms_yaml_load(out, e->packs, path, &err);
    if (rc < 0) {
        *out = NULL;
        copy_text(s->last_err, sizeof s->last_err, err.msg);
        engine_cfg_err(e, err.msg);
        return rc;
    }
    return 0;
}

static const struct qms_node *api_rule_options(struct qms_host *host, const char *rule_id)
{
    if (!host || !host->engine || !host->engine->cfg || !rule_id)
        return NULL;
    const struct qms_rule_config *rc = qms_config_rule(host->engine->cfg, rule_id);
    return rc ? rc->options : NULL;
}

static const struct qms_node *api_plugin_options(struct qms_host *host)
{
    struct qms_plugin_slot *s = host_slot(host);
    if (!s || !host->engine->cfg)
        return NULL;
    const struct qms_plugin_config *pc = qms_config_plugin(host->engine->cfg, s->pub.desc->name);
    return pc ? pc->options : NULL;
}

static enum qms_severity api_rule_severity(struct qms_host *host, const char *rule_id)
{
    if (!host || !host->engine)
        return QMS_SEV_OFF;
    return qms_engine_rule_severity(host->engine, rule_id);
}

static void api_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    struct qms_plugin_slot *s = host_slot(host);
    if (!s || !fmt)
        return;
    char text[QMS_ERRBUF_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char msg[QMS_ERRBUF_SIZE + 300];
    if (node && node->file)
        snprintf(msg, sizeof msg, "%.256s:%u:%u: %s", node->file, node->line, node->column, text);
    else
        snprintf(msg, sizeof msg, "%s: %s", s->pub.desc->name, text);
    if (s->in_init)
        copy_text(s->last_err, sizeof s->last_err, msg);
    engine_cfg_err(host->engine, msg);
}

static const struct qms_node *api_node_get(const struct qms_node *map, const char *key)
{
    return map && key ? qms_node_get(map, key) : NULL;
}

static int32_t api_today(struct qms_host *host)
{
    return host && host->engine ? host->engine->today : local_today();
}

static int api_release_mode(struct qms_host *host)
{
    return host && host->engine ? host->engine->release : 0;
}

static int api_digest_put(struct qms_host *host, const void *data, size_t len)
{
    if (!host_slot(host) || (!data && len))
        return QMS_EUSAGE;
    return qms_run_digest_put(host, data, len);
}

static const void *api_digest_get(struct qms_host *host, const struct qms_digest *doc, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!host_slot(host) || !doc)
        return NULL;
    return qms_run_digest_get(host, doc, out_len);
}

const struct qms_host_api qms_host_api_table = {
    .struct_size = sizeof(struct qms_host_api),
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .report = api_report,
    .log = api_log,
    .load_pack = api_load_pack,
    .rule_options = api_rule_options,
    .plugin_options = api_plugin_options,
    .rule_severity = api_rule_severity,
    .node_error = api_node_error,
    .regex_compile = qms_regex_compile,
    .regex_match = qms_regex_match,
    .regex_free = qms_regex_free,
    .node_get = api_node_get,
    .today = api_today,
    .release_mode = api_release_mode,
    .digest_put = api_digest_put,
    .digest_get = api_digest_get,
};

/* ---------------------------------------------------------------- rule table */

static int rule_entry_cmp(const void *a, const void *b)
{
    const struct qms_rule_entry *x = a, *y = b;
    return strcmp(x->rule->id, y->rule->id);
}

const struct qms_rule_entry *qms_engine_rule_entry(const struct qms_engine *e, const char *rule_id)
{
    if (!e || !rule_id || !e->rules)
        return NULL;
    size_t lo = 0, hi = e->n_rules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rule_id, e->rules[mid].rule->id);
        if (c == 0)
            return &e->rules[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct qms_rule *qms_engine_find_rule(const struct qms_engine *e, const char *rule_id)
{
    const struct qms_rule_entry *r = qms_engine_rule_entry(e, rule_id);
    return r ? r->rule : NULL;
}

enum qms_severity qms_engine_rule_severity(const struct qms_engine *e, const char *rule_id)
{
    const struct qms_rule_entry *r = qms_engine_rule_entry(e, rule_id);
    return r ? r->severity : QMS_SEV_OFF;
}

size_t qms_engine_rules(const struct qms_engine *e, const struct qms_rule *const **out)
{
    if (out)
        *out = e ? e->rule_list : NULL;
    return e ? e->n_rules : 0;
}

size_t qms_engine_plugin_count(const struct qms_engine *e) { return e ? e->n_plugins : 0; }

const struct qms_loaded_plugin *qms_engine_plugin(const struct qms_engine *e, size_t i)
{
    return e && i < e->n_plugins ? &e->plugins[i].pub : NULL;
}

/* Severity in force: the config's when it sets one, else the default (off when default_off). */
static void resolve_severity(const struct qms_config *cfg, struct qms_rule_entry *r)
{
    r->severity = r->rule->default_off ? QMS_SEV_OFF : r->rule->default_severity;
    if ((unsigned)r->severity > QMS_SEV_ERROR)
        r->severity = QMS_SEV_ERROR;
    r->explicit_severity = 0;
    if (!cfg)
        return;
    const struct qms_rule_config *rc = qms_config_rule(cfg, r->rule->id);
    if (rc && rc->severity_set) {
        r->severity = rc->severity;
        r->explicit_severity = 1;
    } else if (rc && r->rule->default_off) {
        /* "id: {options}" without a severity enables a default-off rule at its default */
        r->severity = r->rule->default_severity;
    }
}

static int build_rule_table(struct qms_engine *e, struct qms_err *err)
{
    size_t n = N_CORE_RULES;
    for (size_t i = 0; i < e->n_plugins; i++)
        n += e->plugins[i].pub.desc->n_rules;
    e->rules = calloc(n ? n : 1, sizeof *e->rules);
    e->rule_list = calloc(n ? n : 1, sizeof *e->rule_list);
    if (!e->rules || !e->rule_list)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < N_CORE_RULES; i++) {
        e->rules[k].rule = &core_rules[i];
        e->rules[k].plugin = SIZE_MAX;
        k++;
    }
    for (size_t p = 0; p < e->n_plugins; p++) {
        const struct qms_plugin *d = e->plugins[p].pub.desc;
        for (size_t i = 0; i < d->n_rules; i++) {
            e->rules[k].rule = &d->rules[i];
            e->rules[k].plugin = p;
            k++;
        }
    }
    e->n_rules = k;
    qsort(e->rules, k, sizeof *e->rules, rule_entry_cmp);
    for (size_t i = 0; i < k; i++) {
        resolve_severity(e->cfg, &e->rules[i]);
        e->rule_list[i] = e->rules[i].rule;
        if (i > 0 && strcmp(e->rules[i - 1].rule->id, e->rules[i].rule->id) == 0)
            return qms_err_set(err, QMS_EPLUGIN, "rule %s is defined twice", e->rules[i].rule->id);
    }
    return 0;
}

/* ---------------------------------------------------------------- loading */

static int name_in(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] && strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

static int plugin_wanted(const struct qms_engine *e, const struct qms_run_opts *opts, const char *name)
{
    if (opts && opts->only_plugins && !name_in(name, opts->only_plugins, opts->n_only_plugins))
        return 0;
    if (e->cfg) {
        const struct qms_plugin_config *pc = qms_config_plugin(e->cfg, name);
        if (pc && !pc->enabled)
            return 0;
    }
    return 1;
}

static int note_skipped(struct qms_engine *e, const char *name)
{
    if (name_in(name, (const char *const *)e->skipped_plugins, e->n_skipped_plugins))
        return 0;
    char **grown = realloc(e->skipped_plugins, (e->n_skipped_plugins + 1) * sizeof *grown);
    if (!grown)
        return QMS_ENOMEM;
    e->skipped_plugins = grown;
    if (!(grown[e->n_skipped_plugins] = strdup(name)))
        return QMS_ENOMEM;
    e->n_skipped_plugins++;
    return 0;
}

static const struct qms_plugin_slot *find_loaded(const struct qms_engine *e, const char *name)
{
    for (size_t i = 0; i < e->n_plugins; i++)
        if (strcmp(e->plugins[i].pub.desc->name, name) == 0)
            return &e->plugins[i];
    return NULL;
}

/* The descriptor's rules are sane: ids prefixed with the plugin name, no duplicates. */
static int check_descriptor(const char *file, const struct qms_plugin *d, struct qms_err *err)
{
    if (!valid_plugin_name(d->name))
        return qms_err_set(err, QMS_EPLUGIN,
                           "%s: plugin name \"%.64s\" is not lower-case letters, digits and hyphens",
                           file, d->name ? d->name : "(null)");
    if (!d->check_doc && !d->check_set)
        return qms_err_set(err, QMS_EPLUGIN, "%s: plugin %s has neither check_doc nor check_set", file,
                           d->name);
    if (d->n_rules > 10000 || (d->n_rules && !d->rules))
        return qms_err_set(err, QMS_EPLUGIN, "%s: plugin %s has a bad rule table", file, d->name);
    for (size_t i = 0; i < d->n_rules; i++) {
        const struct qms_rule *r = &d->rules[i];
        if (!valid_rule_id(r->id, d->name))
            return qms_err_set(err, QMS_EPLUGIN,
                               "%s: rule id \"%.128s\" must start with \"%s/\" (lower case, hyphens)",
                               file, r->id ? r->id : "(null)", d->name);
        if (!r->summary)
            return qms_err_set(err, QMS_EPLUGIN, "%s: rule %s has no summary", file, r->id);
        if ((unsigned)r->default_severity > QMS_SEV_ERROR)
            return qms_err_set(err, QMS_EPLUGIN, "%s: rule %s has an invalid default severity %d", file,
                               r->id, (int)r->default_severity);
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->rules[j].id, r->id) == 0)
                return qms_err_set(err, QMS_EPLUGIN, "%s: rule %s is listed twice", file, r->id);
    }
    return 0;
}

/* Loads one .so. Returns 0 (loaded, or skipped on purpose) or a refusal. */
static int load_one(struct qms_engine *e, const struct qms_run_opts *opts, const char *file,
                    struct qms_err *err)
{
    /* A plugin disabled by name (file "name.so") is never opened at all. */
    char stem[MAX_NAME + 1];
    const char *b = base_name(file);
    size_t bl = strlen(b);
    if (bl > 3 && bl - 3 <= MAX_NAME) {
        memcpy(stem, b, bl - 3);
        stem[bl - 3] = '\0';
        if (valid_plugin_name(stem) && !plugin_wanted(e, opts, stem))
            return note_skipped(e, stem);
    }

    void *dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *why = dlerror();
        return qms_err_set(err, QMS_EPLUGIN, "%s: cannot load: %s", file, why ? why : "dlopen failed");
    }
    qms_plugin_entry_fn entry;
    void *sym = dlsym(dl, QMS_PLUGIN_ENTRY_SYMBOL);
    /* POSIX sanctions this conversion for dlsym results */
    memcpy(&entry, &sym, sizeof entry);
    if (!sym) {
        dlclose(dl);
        return qms_err_set(err, QMS_EPLUGIN, "%s: no %s symbol", file, QMS_PLUGIN_ENTRY_SYMBOL);
    }
    const struct qms_plugin *d = entry();
    int rc = 0;
    if (!d) {
        rc = qms_err_set(err, QMS_EPLUGIN, "%s: %s returned NULL", file, QMS_PLUGIN_ENTRY_SYMBOL);
    } else if (d->abi_major != QMS_ABI_MAJOR || d->abi_minor > QMS_ABI_MINOR) {
        rc = qms_err_set(err, QMS_EPLUGIN, "%s: plugin ABI %u.%u, qmslint supports %d.%d", file,
                         d->abi_major, d->abi_minor, QMS_ABI_MAJOR, QMS_ABI_MINOR);
    } else if (d->struct_size < offsetof(struct qms_plugin, reserved)) {
        rc = qms_err_set(err, QMS_EPLUGIN, "%s: plugin descriptor is %u bytes, qmslint needs at least %zu",
                         file, d->struct_size, offsetof(struct qms_plugin, reserved));
    } else {
        rc = check_descriptor(file, d, err);
    }
    if (rc < 0) {
        dlclose(dl);
        return rc;
    }
    if (!plugin_wanted(e, opts, d->name)) {
        dlclose(dl);
        return note_skipped(e, d->name);
    }
    const struct qms_plugin_slot *prev = find_loaded(e, d->name);
    if (prev) {
        /* first in the search path wins; the shadowed one is said, not fatal */
        fprintf(stderr, "qmslint: %s: plugin \"%s\" already loaded from %s; ignored\n", file, d->name,
                prev->file);
        dlclose(dl);
        return 0;
    }
    if (e->n_plugins >= MAX_PLUGINS) {
        dlclose(dl);
        return qms_err_set(err, QMS_EPLUGIN, "%s: more than %d plugins", file, MAX_PLUGINS);
    }
    struct qms_plugin_slot *s = &e->plugins[e->n_plugins];
    memset(s, 0, sizeof *s);
    if (!(s->file = strdup(file))) {
        dlclose(dl);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    s->dl = dl;
    s->pub.desc = d;
    s->pub.file = s->file;
    s->host.engine = e;
    s->host.plugin = e->n_plugins;
    e->n_plugins++;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.so of one directory, in name order. A missing directory is not an error. */
static int load_dir(struct qms_engine *e, const struct qms_run_opts *opts, const char *dir,
                    struct qms_err *err)
{
    if (!is_dir(dir))
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 4 || de->d_name[0] == '.' || strcmp(de->d_name + len - 3, ".so") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, str_cmp);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char path[4096];
        int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (len < 0 || (size_t)len >= sizeof path)
            continue;
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        rc = load_one(e, opts, path, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* A directory named twice on the search path (QMSLINT_PLUGIN_PATH = the build tree's, say) is
 * read once: its plugins are the same files, not rivals. */
struct seen_dirs {
    dev_t dev[64];
    ino_t ino[64];
    size_t n;
};

static int first_visit(struct seen_dirs *seen, const char *dir)
{
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    for (size_t i = 0; i < seen->n; i++)
        if (seen->dev[i] == st.st_dev && seen->ino[i] == st.st_ino)
            return 0;
    if (seen->n < 64) {
        seen->dev[seen->n] = st.st_dev;
        seen->ino[seen->n] = st.st_ino;
        seen->n++;
    }
    return 1;
}

static int load_all(struct qms_engine *e, const struct qms_run_opts *opts, struct qms_err *err)
{
    int rc = 0;
    struct seen_dirs seen = {.n = 0};
    for (size_t i = 0; opts && rc == 0 && i < opts->n_plugin_paths; i++)
        if (first_visit(&seen, opts->plugin_paths[i]))
            rc = load_dir(e, opts, opts->plugin_paths[i], err);
    const char *env = getenv("QMSLINT_PLUGIN_PATH");
    if (rc == 0 && env && *env) {
        char *copy = strdup(env);
        if (!copy)
            return qms_err_set(err, QMS_ENOMEM, "out of memory");
        char *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); rc == 0 && dir; dir = strtok_r(NULL, ":", &save))
            if (dir[0] == '/' && first_visit(&seen, dir)) /* relative: the cwd, never trusted */
                rc = load_dir(e, opts, dir, err);
        free(copy);
    }
    if (rc == 0 && !(opts && opts->no_default_plugin_dirs)) {
        if (first_visit(&seen, QMS_PLUGIN_INSTALL_DIR))
            rc = load_dir(e, opts, QMS_PLUGIN_INSTALL_DIR, err);
        if (rc == 0 && first_visit(&seen, QMS_BUILD_PLUGIN_DIR))
            rc = load_dir(e, opts, QMS_BUILD_PLUGIN_DIR, err);
    }
    return rc;
}

static char *find_rules_dir(const struct qms_run_opts *opts)
{
    const char *candidates[4] = {opts ? opts->rules_dir : NULL, getenv("QMSLINT_RULES_DIR"),
                                 QMS_RULES_INSTALL_DIR, QMS_SOURCE_RULES_DIR};
    for (int i = 0; i < 4; i++)
        if (is_dir(candidates[i]))
            return strdup(candidates[i]);
    return NULL;
}

/* Config entries name real rules and plugins (or ones switched off on purpose). */
static int plugin_known(const struct qms_engine *e, const char *name, size_t len)
{
    if (len == 4 && strncmp(name, "core", 4) == 0)
        return 1;
    for (size_t i = 0; i < e->n_plugins; i++) {
        const char *n = e->plugins[i].pub.desc->name;
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return 1;
    }
    for (size_t i = 0; i < e->n_skipped_plugins; i++) {
        const char *n = e->skipped_plugins[i];
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return 2; /* not loaded on purpose */
    }
    /* disabled in the config: fine even when it is not installed here */
    for (size_t i = 0; e->cfg && i < e->cfg->n_plugins; i++) {
        const struct qms_plugin_config *pc = &e->cfg->plugins[i];
        if (!pc->enabled && pc->name && strlen(pc->name) == len && strncmp(pc->name, name, len) == 0)
            return 2;
    }
    return 0;
}

static int config_error(struct qms_err *err, const struct qms_node *node, const char *what, const char *id)
{
    if (node && node->file)
        return qms_node_err(err, node, "unknown %s \"%.200s\"", what, id);
    return qms_err_set(err, QMS_ECONFIG, "unknown %s \"%.200s\"", what, id);
}

static int validate_config(const struct qms_engine *e, struct qms_err *err)
{
    const struct qms_config *cfg = e->cfg;
    if (!cfg)
        return 0;
    for (size_t i = 0; i < cfg->n_rules; i++) {
        const struct qms_rule_config *rc = &cfg->rules[i];
        const char *id = rc->id ? rc->id : "";
        const char *slash = strchr(id, '/');
        size_t plen = slash ? (size_t)(slash - id) : strlen(id);
        int known = plugin_known(e, id, plen);
        if (known == 2)
            continue;
        if (slash && strcmp(slash, "/*") == 0 && known)
            continue;
        if (!qms_engine_find_rule(e, id))
            return config_error(err, rc->node, "rule", id);
    }
    for (size_t i = 0; i < cfg->n_plugins; i++) {
        const struct qms_plugin_config *pc = &cfg->plugins[i];
        const char *name = pc->name ? pc->name : "";
        if (!plugin_known(e, name, strlen(name)))
            return config_error(err, pc->node, "plugin", name);
    }
    return 0;
}

/* ---------------------------------------------------------------- engine */

int qms_engine_new(struct qms_engine **out, const struct qms_config *cfg,
                   const struct qms_run_opts *opts, struct qms_err *err)
{
    if (!out)
        return qms_err_set(err, QMS_EUSAGE, "qms_engine_new: no output");
    *out = NULL;
    struct qms_engine *e = calloc(1, sizeof *e);
    if (!e)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    pthread_mutex_init(&e->lock, NULL);
    e->cfg = cfg;
    e->jobs = opts ? opts->jobs : 0;
    e->today = opts && opts->today ? opts->today : local_today();
    e->release = opts ? opts->release : 0;
    e->verbose = opts ? opts->verbose : 0;
    e->progress = opts ? opts->progress : 0;
    e->rules_dir = find_rules_dir(opts);
    e->use_cache = opts ? opts->use_cache : 0;             /* cache (issue 11) */
    e->cache_dir = opts && opts->cache_dir ? strdup(opts->cache_dir) : NULL;
    e->packs = qms_arena_new(0);
    e->plugins = calloc(MAX_PLUGINS, sizeof *e->plugins);
    int rc = 0;
    if (!e->packs || !e->plugins)
        rc = qms_err_set(err, QMS_ENOMEM, "out of memory");
    if (rc == 0 && e->rules_dir) {
        /* the metadata vocabulary and the config's `metadata:` map; without a rules directory
           (or its labels.yml) documents simply have no metadata record */
        struct qms_err merr = {{0}};
        int mrc = qms_meta_opts_load(&e->meta_opts, e->rules_dir, cfg ? cfg->metadata : NULL, &merr);
        if (mrc == QMS_EIO) {
            e->meta_opts = NULL;
            if (e->verbose)
                fprintf(stderr, "qmslint: no metadata extraction: %s\n", merr.msg);
        } else if (mrc < 0) {
            rc = qms_err_set(err, mrc, "%s", merr.msg);
        }
    }
    if (rc == 0)
        rc = load_all(e, opts, err);
    for (size_t i = 0; rc == 0 && opts && opts->only_plugins && i < opts->n_only_plugins; i++)
        if (opts->only_plugins[i] && !find_loaded(e, opts->only_plugins[i]))
            rc = qms_err_set(err, QMS_EPLUGIN,
                             "plugin %.64s is not loaded (not on the plugin path, or disabled in the config)",
                             opts->only_plugins[i]);
    if (rc == 0)
        rc = build_rule_table(e, err);

    /* init, in load order, on this thread */
    for (size_t i = 0; rc == 0 && i < e->n_plugins; i++) {
        struct qms_plugin_slot *s = &e->plugins[i];
        if (!s->pub.desc->init) {
            s->inited = 1;
            continue;
        }
        s->in_init = 1;
        int prc = s->pub.desc->init(&qms_host_api_table, &s->host, &s->state);
        s->in_init = 0;
        if (prc < 0) {
            if (!s->last_err[0])
                snprintf(s->last_err, sizeof s->last_err, "returned %d", prc);
            rc = qms_err_set(err, QMS_EPLUGIN, "%s: init failed: %s", s->file, s->last_err);
        } else {
            s->inited = 1;
        }
    }
    if (rc == 0 && e->has_cfg_err)
        rc = qms_err_set(err, QMS_ECONFIG, "%s", e->cfg_err);
    if (rc == 0)
        rc = validate_config(e, err);
    if (rc < 0) {
        qms_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void qms_engine_free(struct qms_engine *e)
{
    if (!e)
        return;
    qms_cache_free(qms_engine_prefetch_take(e, NULL));
    /* fini in reverse load order, then unload */
    for (size_t i = e->n_plugins; i-- > 0;) {
        struct qms_plugin_slot *s = &e->plugins[i];
        if (s->inited && s->pub.desc->fini && !s->crashed)
            s->pub.desc->fini(s->state);
    }
    for (size_t i = e->n_plugins; i-- > 0;) {
        struct qms_plugin_slot *s = &e->plugins[i];
        /* Under ASan, keep plugins mapped so leak reports still have their symbols. */
#if !defined(__SANITIZE_ADDRESS__)
        if (s->dl)
            dlclose(s->dl);
#endif
        free(s->file);
    }
    for (size_t i = 0; i < e->n_skipped_plugins; i++)
        free(e->skipped_plugins[i]);
    free(e->skipped_plugins);
    free(e->plugins);
    free(e->rules);
    free(e->rule_list);
    free(e->rules_dir);
    free(e->cache_dir);
    qms_arena_free(e->packs);
    qms_meta_opts_free(e->meta_opts);
    pthread_mutex_destroy(&e->lock);
    free(e);
}
