/* Built for a newer minor ABI than the host: the host must refuse it, naming both versions. */
#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"abi-minor/x", QMS_SEV_WARNING, NULL, "never loaded", NULL, 0},
};

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    return 0;
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR + 1,
    .struct_size = sizeof(struct qms_plugin),
    .name = "abi-minor",
    .version = "1.0.0",
    .rules = rules,
    .n_rules = 1,
    .check_doc = check_doc,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
