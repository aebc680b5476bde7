/* check_doc fails on documents whose path contains "fail": the run must keep every other
 * finding and return QMS_EPLUGIN naming the plugin and the first such document. */
#include <string.h>

#include <qmslint/plugin.h>

static const struct qms_rule rules[] = {
    {"doc-fails/seen", QMS_SEV_INFO, NULL, "reported before failing", NULL, 0},
};

static int check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                     const struct qms_doc *doc)
{
    struct qms_finding_desc f = {0};
    f.rule_id = "doc-fails/seen";
    f.message = "seen";
    api->report(host, &f);
    return strstr(doc->path, "fail") ? -1 : 0;
}

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "doc-fails",
    .version = "1.0.0",
    .rules = rules,
    .n_rules = 1,
    .check_doc = check_doc,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &plugin; }
