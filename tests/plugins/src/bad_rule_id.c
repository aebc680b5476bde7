/* Declares a rule outside its own namespace: refused before init. */
#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"bad-rule-id/fine", QMS_SEV_WARNING, NULL, "fine", NULL, 0},
    {"structure/stolen", QMS_SEV_WARNING, NULL, "not ours", NULL, 0},
};

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    return 0;
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "bad-rule-id",
    .version = "1.0.0",
    .rules = rules,
    .n_rules = 2,
    .check_doc = check_doc,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
