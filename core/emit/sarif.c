/* SARIF 2.1.0 for code-scanning platforms (docs/output-sarif.md). One run; every loaded rule
 * in tool.driver.rules (ruleIndex points into it); paths relative to the set root with the
 * uriBaseId SRCROOT. DOCX/ODT findings carry the part and paragraph as properties and the
 * section as a logical location; their region is line 1 because GitHub code scanning drops a
 * result without a line (see docs/ci.md). */
#include "emit.h"

#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFORMATION_URI "https://github.com/qmslint/qmslint"

static const char *level(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_ERROR:
        return "error";
    case QMS_SEV_WARNING:
        return "warning";
    case QMS_SEV_INFO:
        return "note";
    case QMS_SEV_OFF:
        break;
    }
    return "none";
}

/* A relative path as a URI reference: unreserved bytes and '/' as they are, the rest
 * percent-encoded (spaces, '#', '?', '%', non-ASCII, and ':', which in a first segment
 * would make "Rev:A.md" a URI of the scheme "rev"). */
static void uri_path(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/!$&'()*+,;=@", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    fputc('"', out);
}

static void text_obj(FILE *out, const char *text)
{
    fputs("{\"text\": ", out);
    qms_json_string(out, text && *text ? text : "-");
    fputc('}', out);
}

static void emit_rule(FILE *out, const struct qms_rule *rule, const struct qms_engine *e)
{
    fputs("{\"id\": ", out);
    qms_json_string(out, rule->id);
    fputs(", \"shortDescription\": ", out);
    text_obj(out, rule->summary ? rule->summary : rule->id);
    fputs(", \"fullDescription\": ", out);
    text_obj(out, rule->help ? rule->help : rule->summary);
    fputs(", \"help\": ", out);
    text_obj(out, rule->help ? rule->help : rule->summary);
    enum qms_severity in_force = e ? qms_engine_rule_severity(e, rule->id) : rule->default_severity;
    fprintf(out, ", \"defaultConfiguration\": {\"enabled\": %s, \"level\": \"%s\"}",
            in_force != QMS_SEV_OFF ? "true" : "false",
            level(in_force != QMS_SEV_OFF ? in_force : rule->default_severity));
    fputs(", \"properties\": {\"iso9001Clause\": ", out);
    qms_json_string(out, rule->clause);
    fputs(", \"tags\": [\"iso9001\"", out);
    if (rule->clause) {
        fputs(", ", out);
        char tag[96];
        snprintf(tag, sizeof tag, "clause-%.80s", rule->clause);
        qms_json_string(out, tag);
    }
    fputs("]}}", out);
}

static void emit_location(FILE *out, const struct qms_finding *f, const struct qms_emit_opts *o)
{
    const char *uri = f->path && f->path[0] ? f->path : (o && o->set_uri ? o->set_uri : ".");
    fputs("[{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
    uri_path(out, uri);
    fputs(", \"uriBaseId\": \"SRCROOT\"}", out);
    if (f->path && f->path[0]) {
        if (!f->part && f->line) {
            fprintf(out, ", \"region\": {\"startLine\": %u", (unsigned)f->line);
            if (f->column)
                fprintf(out, ", \"startColumn\": %u", (unsigned)f->column);
            fputc('}', out);
        } else {
            fputs(", \"region\": {\"startLine\": 1}", out); /* see docs/ci.md */
        }
    }
    fputc('}', out);
    if (f->section && f->section[0]) {
        fputs(", \"logicalLocations\": [{\"name\": ", out);
        qms_json_string(out, f->section);
        fputs(", \"kind\": \"section\"}]", out);
    } else if (!f->path || !f->path[0]) {
        fputs(", \"logicalLocations\": [{\"name\": \"(set)\", \"kind\": \"documentSet\"}]", out);
    }
    if (f->part) {
        fputs(", \"properties\": {\"part\": ", out);
        qms_json_string(out, f->part);
        if (f->block)
            fprintf(out, ", \"paragraph\": %u", (unsigned)f->block);
        fputc('}', out);
    }
    fputs("}]", out);
}

static void emit_result(FILE *out, const struct qms_finding *f, const struct qms_rule *const *rules,
                        size_t n_rules, const struct qms_result *r, const struct qms_emit_opts *o)
{
    fputs("{\"ruleId\": ", out);
    qms_json_string(out, f->rule_id);
    for (size_t i = 0; i < n_rules; i++)
        if (strcmp(rules[i]->id, f->rule_id) == 0) {
            fprintf(out, ", \"ruleIndex\": %zu", i);
            break;
        }
    fprintf(out, ", \"level\": \"%s\", \"message\": ", level(f->severity));
    text_obj(out, f->message);
    fputs(", \"locations\": ", out);
    emit_location(out, f, o);
    if (f->fingerprint)
        fprintf(out, ", \"partialFingerprints\": {\"qmslint/v1\": \"%s\"}", f->fingerprint);
    if (f->suppressed == QMS_SUPPRESS_INLINE || f->suppressed == QMS_SUPPRESS_WAIVER ||
        f->suppressed == QMS_SUPPRESS_BASELINE) {
        fprintf(out, ", \"suppressions\": [{\"kind\": \"%s\", \"status\": \"accepted\", "
                     "\"justification\": ",
                f->suppressed == QMS_SUPPRESS_INLINE ? "inSource" : "external");
        qms_json_string(out, f->justification ? f->justification : "");
        fprintf(out, ", \"properties\": {\"qmslintSuppression\": \"%s\"}}]",
                f->suppressed == QMS_SUPPRESS_INLINE   ? "inline"
                : f->suppressed == QMS_SUPPRESS_WAIVER ? "waiver"
                                                       : "baseline");
    }
    if (r->baseline_used)
        fprintf(out, ", \"baselineState\": \"%s\"",
                f->suppressed == QMS_SUPPRESS_BASELINE ? "unchanged" : "new");
    fputc('}', out);
}

static void root_uri(FILE *out, const char *root)
{
    /* file:///abs/path/ with the same escaping as the relative paths */
    fputs("\"file://", out);
    for (const unsigned char *p = (const unsigned char *)root; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/!$&'()*+,;=:@", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    size_t n = strlen(root);
    if (n == 0 || root[n - 1] != '/')
        fputc('/', out);
    fputc('"', out);
}

int qms_emit_sarif(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o)
{
    const struct qms_rule *const *rules = NULL;
    size_t n_rules = o && o->engine ? qms_engine_rules(o->engine, &rules) : 0;
    const char *version = o && o->tool_version ? o->tool_version : "0";
    fprintf(out, "{\n  \"$schema\": \"%s\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{\n",
            SARIF_SCHEMA);
    fputs("    \"tool\": {\"driver\": {\"name\": \"qmslint\", \"version\": ", out);
    qms_json_string(out, version);
    fputs(", \"semanticVersion\": ", out);
    qms_json_string(out, version);
    fputs(", \"informationUri\": \"" INFORMATION_URI "\", \"rules\": [", out);
    for (size_t i = 0; i < n_rules; i++) {
        fputs(i ? ",\n      " : "\n      ", out);
        emit_rule(out, rules[i], o ? o->engine : NULL);
    }
    fputs(n_rules ? "\n    ]}},\n" : "]}},\n", out);
    if (o && o->root && o->root[0] == '/') {
        fputs("    \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": ", out);
        root_uri(out, o->root);
        fputs("}},\n", out);
    }
    /* every column in the model counts code points from the start of its line */
    fputs("    \"columnKind\": \"unicodeCodePoints\",\n", out);
    fputs("    \"results\": [", out);
    for (size_t i = 0; i < r->n_findings; i++) {
        fputs(i ? ",\n      " : "\n      ", out);
        emit_result(out, &r->findings[i], rules, n_rules, r, o);
    }
    fputs(r->n_findings ? "\n    ],\n" : "],\n", out);
    fprintf(out,
            "    \"properties\": {\"documents\": %zu, \"skipped\": %zu, \"suppressed\": %zu, "
            "\"waived\": %zu, \"baselined\": %zu}\n  }]\n}\n",
            r->n_docs, r->n_skipped, r->n_suppressed, r->n_waived, r->n_baselined);
    return ferror(out) ? QMS_EIO : 0;
}
