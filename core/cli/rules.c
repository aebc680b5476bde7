/* `qmslint rules`: every rule of the loaded plugins (and the core), sorted by id. */
#include "cli.h"

#include <string.h>

#include "emit.h"

static const char *sev_name(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_ERROR: return "error";
    case QMS_SEV_WARNING: return "warning";
    case QMS_SEV_INFO: return "info";
    case QMS_SEV_OFF: break;
    }
    return "off";
}

static void rules_json(FILE *out, const struct qms_rule *const *rules, size_t n,
                       const struct qms_engine *e)
{
    fputs("{\n  \"schema_version\": 1,\n  \"rules\": [", out);
    for (size_t i = 0; i < n; i++) {
        const struct qms_rule *r = rules[i];
        fputs(i ? ",\n    " : "\n    ", out);
        fputs("{\"id\": ", out);
        qms_json_string(out, r->id ? r->id : "");
        fprintf(out, ", \"default_severity\": \"%s\", \"default_off\": %s, \"severity\": \"%s\"",
                sev_name(r->default_severity), r->default_off ? "true" : "false",
                sev_name(qms_engine_rule_severity(e, r->id ? r->id : "")));
        fputs(", \"clause\": ", out);
        qms_json_string(out, r->clause);
        fputs(", \"summary\": ", out);
        qms_json_string(out, r->summary);
        fputs("}", out);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}

static void rules_text(FILE *out, const struct qms_rule *const *rules, size_t n)
{
    int w_id = (int)strlen("RULE"), w_sev = (int)strlen("warning (off)");
    for (size_t i = 0; i < n; i++) {
        int len = rules[i]->id ? (int)strlen(rules[i]->id) : 0;
        if (len > w_id && len < 80)
            w_id = len;
    }
    fprintf(out, "%-*s  %-*s  %-7s  %s\n", w_id, "RULE", w_sev, "SEVERITY", "CLAUSE", "SUMMARY");
    for (size_t i = 0; i < n; i++) {
        const struct qms_rule *r = rules[i];
        char sev[32];
        snprintf(sev, sizeof sev, "%s%s", sev_name(r->default_severity),
                 r->default_off ? " (off)" : "");
        fprintf(out, "%-*s  %-*s  %-7s  %s\n", w_id, r->id ? r->id : "?", w_sev, sev,
                r->clause && r->clause[0] ? r->clause : "-", r->summary ? r->summary : "");
    }
}

int qms_cli_rules(const struct qms_cli_opts *o)
{
    if (o->n_paths)
        return qms_cli_fail("rules takes no arguments (see qmslint --help)");
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    int status = qms_cli_load_config(&cfg, o, ".");
    if (status != 0)
        return status;
    if ((status = qms_cli_engine(&engine, cfg, o)) == 0) {
        const struct qms_rule *const *rules = NULL;
        size_t n = qms_engine_rules(engine, &rules);
        if (o->format && strcmp(o->format, "json") == 0)
            rules_json(stdout, rules, n, engine);
        else
            rules_text(stdout, rules, n);
        qms_engine_free(engine);
    }
    qms_config_free(cfg);
    return status;
}
