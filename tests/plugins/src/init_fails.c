/* init refuses (its rule pack is "broken"): the host stops with the plugin's message. */
#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"init-fails/x", QMS_SEV_WARNING, NULL, "never used", NULL, 0},
};

static int init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    api->log(host, 1, "rule pack %s is broken", "example.yml");
    return -1;
}

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    return 0;
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "init-fails",
    .version = "1.0.0",
    .rules = rules,
    .n_rules = 1,
    .init = init,
    .check_doc = check_doc,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
