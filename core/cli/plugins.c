/* `qmslint plugins`: what was loaded, from where. */
#include "cli.h"

#include <string.h>

#include "emit.h"

int qms_cli_plugins(const struct qms_cli_opts *o)
{
    if (o->n_paths)
        return qms_cli_fail("plugins takes no arguments (see qmslint --help)");
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    int status = qms_cli_load_config(&cfg, o, ".");
    if (status != 0)
        return status;
    if ((status = qms_cli_engine(&engine, cfg, o)) != 0) {
        qms_config_free(cfg);
        return status;
    }
    size_t n = qms_engine_plugin_count(engine), printed = 0;
    int json = o->format && strcmp(o->format, "json") == 0;
    if (json)
        fputs("{\n  \"schema_version\": 1,\n  \"plugins\": [", stdout);
    else
        printf("%-16s  %-10s  %5s  %s\n", "PLUGIN", "VERSION", "RULES", "FILE");
    for (size_t i = 0; i < n; i++) {
        const struct qms_loaded_plugin *p = qms_engine_plugin(engine, i);
        if (!p || !p->desc)
            continue;
        const char *name = p->desc->name ? p->desc->name : "?";
        const char *version = p->desc->version ? p->desc->version : "?";
        if (json) {
            fputs(printed++ ? ",\n    {\"name\": " : "\n    {\"name\": ", stdout);
            qms_json_string(stdout, name);
            fputs(", \"version\": ", stdout);
            qms_json_string(stdout, version);
            fprintf(stdout, ", \"rules\": %zu, \"abi\": \"%u.%u\", \"file\": ", p->desc->n_rules,
                    (unsigned)p->desc->abi_major, (unsigned)p->desc->abi_minor);
            qms_json_string(stdout, p->file);
            fputs(", \"description\": ", stdout);
            qms_json_string(stdout, p->desc->description);
            fputc('}', stdout);
        } else {
            printf("%-16s  %-10s  %5zu  %s\n", name, version, p->desc->n_rules,
                   p->file ? p->file : "?");
        }
    }
    if (json)
        fputs(printed ? "\n  ]\n}\n" : "]\n}\n", stdout);
    qms_engine_free(engine);
    qms_config_free(cfg);
    return QMS_EXIT_OK;
}
