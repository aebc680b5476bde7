/* check_doc faults on documents whose path contains "crash": a NULL write in the plugin's own
 * code (the host recovers, names it, keeps the other plugins' findings, exits 2). With "wild"
 * in the path it hands the host a wild message pointer instead, so the fault happens inside
 * the host: the process must still end with the plugin and document named and exit 2. */
#include <stdint.h>
#include <string.h>

#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"doc-crashes/seen", QMS_SEV_INFO, NULL, "reported before crashing", NULL, 0},
};

/* Unmapped, and not NULL so that UBSan builds fault for real instead of reporting. */
static volatile int *volatile nowhere = (volatile int *)(uintptr_t)64;

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    struct qms_finding_desc f = {0};
    f.rule_id = "doc-crashes/seen";
    f.message = "seen";
    api->report(host, &f);
    if (strstr(doc->path, "wild")) {
        f.message = (const char *)(uintptr_t)16; /* unmapped */
        api->report(host, &f);
    }
    if (strstr(doc->path, "crash"))
        *nowhere = 1;
    return 0;
}

static int check_set(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_set *set)
{
    *nowhere = 2; /* never reached once check_doc crashed: the host skips a crashed plugin */
    return 0;
}

static void fini(void *state)
{
    *nowhere = 3; /* likewise */
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "doc-crashes",
    .version = "1.0.0",
    .rules = rules,
    .n_rules = 1,
    .check_doc = check_doc,
    .check_set = check_set,
    .fini = fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
