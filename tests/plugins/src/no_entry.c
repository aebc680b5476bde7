/* A shared object without the qms_plugin_entry symbol (a typo in the export, say). */
#include <qmslint/plugin.h>

static const struct qms_plugin plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "no-entry",
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entri(void);
QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entri(void) { return &plugin; }
