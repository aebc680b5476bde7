/*
 * A well-behaved test plugin exercising the host API: findings per document and per set,
 * digest_put / digest_get, rule and plugin options, regexes from several threads, and report
 * validation (reports for rules that are not its own must be refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"good/per-doc", QMS_SEV_WARNING, NULL, "one finding per document", "Test rule.", 0},
    {"good/set", QMS_SEV_INFO, NULL, "one finding per set", "Test rule.", 0},
    {"good/off-by-default", QMS_SEV_ERROR, NULL, "disabled unless configured", "Test rule.", 1},
    {"good/explicit", QMS_SEV_WARNING, "7.5.2", "reported with an explicit severity", "Test rule.", 0},
    {"good/tbd", QMS_SEV_WARNING, NULL, "TBD in a block", "Test rule.", 0},
    {"good/api", QMS_SEV_INFO, NULL, "report validation results", "Test rule.", 0},
};

struct state {
    struct qms_regex *tbd;
    char suffix[64];
    char marker[64];
    long sleep_ms;  /* plugins: {good: {sleep_ms: N}}: a slow check_doc, for progress tests */
};

static int init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    struct state *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    char err[128];
    s->tbd = api->regex_compile("\\bTBD\\b", 1, err, sizeof err);
    if (!s->tbd) {
        api->log(host, 1, "regex: %s", err);
        free(s);
        return -1;
    }
    const struct qms_node *opt = api->rule_options(host, "good/per-doc");
    const struct qms_node *suffix = opt ? api->node_get(opt, "suffix") : NULL;
    if (suffix && suffix->scalar)
        snprintf(s->suffix, sizeof s->suffix, " %s", suffix->scalar);
    const struct qms_node *popt = api->plugin_options(host);
    const struct qms_node *marker = popt ? api->node_get(popt, "marker") : NULL;
    if (marker && marker->scalar)
        snprintf(s->marker, sizeof s->marker, " marker=%s", marker->scalar);
    /* plugins: {good: {pack: NAME}} loads a rule pack; {reject: X} flags a bad option value */
    const struct qms_node *pack = popt ? api->node_get(popt, "pack") : NULL;
    if (pack && pack->scalar) {
        const struct qms_node *tree = NULL;
        if (api->load_pack(host, pack->scalar, &tree) < 0) {
            api->regex_free(s->tbd);
            free(s);
            return -1;
        }
        snprintf(s->marker, sizeof s->marker, " pack=%s",
                 tree && tree->kind == QMS_NODE_MAP ? "map" : "other");
    }
    const struct qms_node *sleep_ms = popt ? api->node_get(popt, "sleep_ms") : NULL;
    if (sleep_ms && sleep_ms->scalar)
        s->sleep_ms = strtol(sleep_ms->scalar, NULL, 10);
    const struct qms_node *reject = popt ? api->node_get(popt, "reject") : NULL;
    if (reject)
        api->node_error(host, reject, "value '%s' is not allowed", reject->scalar ? reject->scalar : "");
    *out_state = s;
    return 0;
}

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    struct state *s = state;
    if (s->sleep_ms > 0) {
        struct timespec ts = {s->sleep_ms / 1000, (s->sleep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    char msg[256];
    snprintf(msg, sizeof msg, "%zu blocks%s", doc->n_blocks, s->suffix);
    struct qms_finding_desc f = {0};
    f.rule_id = "good/per-doc";
    f.message = msg;
    f.loc.line = 1;
    f.loc.column = 1;
    if (api->report(host, &f) < 0)
        return -1;
    f.rule_id = "good/off-by-default";
    f.message = "off by default";
    if (api->report(host, &f) < 0)
        return -1;
    f.rule_id = "good/explicit";
    f.severity = QMS_SEV_ERROR;
    f.message = "explicit error";
    if (api->report(host, &f) < 0)
        return -1;
    f.severity = QMS_SEV_OFF;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const struct qms_block *b = &doc->blocks[i];
        size_t start = 0, end = 0;
        size_t from = 0;
        while (api->regex_match(s->tbd, b->text, b->text_len, from, &start, &end) == 1) {
            f.rule_id = "good/tbd";
            f.message = "TBD left in the text";
            f.loc = b->loc;
            f.loc.column = b->loc.column + (uint32_t)start;
            if (api->report(host, &f) < 0)
                return -1;
            from = end > start ? end : start + 1;
            if (from > b->text_len)
                break;
        }
    }
    uint32_t n = (uint32_t)doc->n_blocks;
    return api->digest_put(host, &n, sizeof n) < 0 ? -1 : 0;
}

static int check_set(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_set *set)
{
    struct state *s = state;
    unsigned long blocks = 0;
    size_t unreadable = 0, with_data = 0;
    for (size_t i = 0; i < set->n_docs; i++) {
        size_t len = 0;
        const uint32_t *n = api->digest_get(host, &set->docs[i], &len);
        if (n && len == sizeof *n) {
            blocks += *n;
            with_data++;
        }
        unreadable += set->docs[i].unreadable != 0;
        if (i > 0 && strcmp(set->docs[i - 1].path, set->docs[i].path) >= 0)
            return -1; /* the host promised sorted digests */
    }
    char msg[256];
    snprintf(msg, sizeof msg, "%zu documents, %zu unreadable, %zu digests, %lu blocks%s", set->n_docs,
             unreadable, with_data, blocks, s->marker);
    struct qms_finding_desc f = {0};
    f.rule_id = "good/set";
    f.message = msg;
    if (api->report(host, &f) < 0)
        return -1;

    struct qms_finding_desc bad = {0};
    bad.message = "should be refused";
    bad.rule_id = "other/rule";
    int foreign = api->report(host, &bad);
    bad.rule_id = "good/no-such-rule";
    int unknown = api->report(host, &bad);
    bad.rule_id = "core/unreadable";
    int core = api->report(host, &bad);
    snprintf(msg, sizeof msg, "foreign %s, unknown %s, core %s", foreign < 0 ? "refused" : "accepted",
             unknown < 0 ? "refused" : "accepted", core < 0 ? "refused" : "accepted");
    f.rule_id = "good/api";
    f.message = msg;
    return api->report(host, &f) < 0 ? -1 : 0;
}

/* fini receives no API table: keep the one init got (valid until fini returns). */
static const struct qms_host_api *good_api;

static void fini(void *state)
{
    struct state *s = state;
    if (s && good_api)
        good_api->regex_free(s->tbd);
    free(s);
}

static int init_keep_api(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    good_api = api;
    return init(api, host, out_state);
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "good",
    .version = "1.0.0",
    .description = "test plugin that follows every rule",
    .rules = rules,
    .n_rules = sizeof rules / sizeof rules[0],
    .init = init_keep_api,
    .check_doc = check_doc,
    .check_set = check_set,
    .fini = fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
