/* The gap report as SARIF 2.1.0. Every documented-information requirement is a rule and
 * exactly one result: kind "pass" (covered), "fail" (weak: level warning; missing: level
 * error) or "notApplicable" (excluded by the scope with a justification), with every piece of
 * evidence as a location. Positive evidence, as compliance scanners (XCCDF, InSpec) report it. */
#include "report.h"

#include <string.h>

#include <qmslint/version.h>

#define RULE_PREFIX "iso9001-coverage/"

/* A relative URI: percent-encoded except unreserved characters and '/'; JSON-safe. */
static void json_uri(FILE *out, const char *path)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    fputc('"', out);
}

static const char *sarif_kind(enum iso_cov_status s)
{
    switch (s) {
    case ISO_COV_COVERED:
        return "pass";
    case ISO_COV_EXCLUDED:
    case ISO_COV_NOT_APPLICABLE:
        return "notApplicable";
    case ISO_COV_WEAK:
    case ISO_COV_MISSING:
        break;
    }
    return "fail";
}

static const char *sarif_level(enum iso_cov_status s)
{
    return s == ISO_COV_MISSING ? "error" : s == ISO_COV_WEAK ? "warning" : "none";
}

static void message_text(char *buf, size_t cap, const struct iso_coverage_item *it,
                         enum iso_cov_status s)
{
    const char *clause = it->clause ? it->clause : "?", *name = it->name ? it->name : "?";
    switch (s) {
    case ISO_COV_COVERED:
        snprintf(buf, cap, "%s %s: covered by %s", clause, name,
                 it->covered_by ? it->covered_by : "the set");
        break;
    case ISO_COV_WEAK:
        snprintf(buf, cap, "%s %s: weak (%s)", clause, name,
                 it->declared ? "declared, but no heading, title or record shows it"
                              : "shown, but no document declares the clause");
        break;
    case ISO_COV_MISSING:
        snprintf(buf, cap, "%s %s: missing%s", clause, name,
                 it->exclusion_unjustified ? " (excluded without a justification)"
                                           : " (no evidence in the set)");
        break;
    default:
        snprintf(buf, cap, "%s %s: %s by the scope statement", clause, name,
                 s == ISO_COV_EXCLUDED ? "excluded" : "not applicable");
    }
}

static void emit_location(FILE *out, const struct qms_result *r, const struct iso_cov_evidence *ev)
{
    const char *id, *title;
    qms_report_doc_names(r, ev->path, &id, &title);
    fputs("{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
    json_uri(out, ev->path);
    fputs(", \"uriBaseId\": \"SRCROOT\"}", out);
    if (ev->line)
        fprintf(out, ", \"region\": {\"startLine\": %u%s", (unsigned)ev->line,
                ev->column ? "" : "}");
    if (ev->line && ev->column)
        fprintf(out, ", \"startColumn\": %u}", (unsigned)ev->column);
    fputs("}, \"message\": {\"text\": ", out);
    char text[1200];
    snprintf(text, sizeof text, "%s%s%.200s%s%.300s%s%.300s", qms_report_evidence_kind_name(ev->kind),
             id[0] ? " in " : "", id, ev->text && ev->text[0] ? ": " : "",
             ev->text ? ev->text : "", ev->words && ev->words[0] ? " — matched: " : "",
             ev->words ? ev->words : "");
    qms_json_string(out, text);
    fputs("}, \"properties\": {\"evidenceKind\": ", out);
    qms_json_string(out, qms_report_evidence_kind_name(ev->kind));
    fputs(", \"documentId\": ", out);
    qms_json_string(out, id[0] ? id : NULL);
    fputs(", \"documentTitle\": ", out);
    qms_json_string(out, title[0] ? title : NULL);
    if (ev->part && ev->part[0]) {
        fputs(", \"part\": ", out);
        qms_json_string(out, ev->part);
    }
    if (ev->block)
        fprintf(out, ", \"block\": %u", (unsigned)ev->block);
    fputs("}}", out);
}

int qms_emit_report_sarif(FILE *out, const struct qms_report *rep)
{
    const struct iso_coverage *cov = rep->coverage;
    size_t n = cov ? cov->n_items : 0;
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
          "    \"tool\": {\"driver\": {\"name\": \"qmslint\", \"version\": ",
          out);
    qms_json_string(out, rep->tool_version ? rep->tool_version : QMS_VERSION);
    fputs(", \"informationUri\": \"" QMS_INFORMATION_URI "\", \"rules\": [", out);
    for (size_t i = 0; i < n; i++) {
        const struct iso_coverage_item *it = &cov->items[i];
        fputs(i ? ",\n      {\"id\": " : "\n      {\"id\": ", out);
        char id[256];
        snprintf(id, sizeof id, RULE_PREFIX "%.200s", it->requirement ? it->requirement : "");
        qms_json_string(out, id);
        fputs(", \"shortDescription\": {\"text\": ", out);
        char sd[400];
        snprintf(sd, sizeof sd, "%.40s %.300s (%s)", it->clause ? it->clause : "",
                 it->name ? it->name : "", it->retain ? "retain" : "maintain");
        qms_json_string(out, sd);
        fputs("}, \"fullDescription\": {\"text\": ", out);
        qms_json_string(out, it->summary && it->summary[0] ? it->summary : sd);
        fputs("}, \"properties\": {\"clause\": ", out);
        qms_json_string(out, it->clause);
        fprintf(out, ", \"kind\": \"%s\"", it->retain ? "retain" : "maintain");
        if (cov->standard) {
            fputs(", \"standard\": ", out);
            qms_json_string(out, cov->standard);
        }
        fputs("}}", out);
    }
    fputs(n ? "\n    ]}},\n" : "]}},\n", out);
    fputs("    \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": ", out);
    json_uri(out, rep->link_prefix && rep->link_prefix[0] ? rep->link_prefix : "./");
    fputs("}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", out);
    for (size_t i = 0; i < n; i++) {
        const struct iso_coverage_item *it = &cov->items[i];
        enum iso_cov_status s = qms_report_effective_status(it);
        char id[256], msg[800];
        snprintf(id, sizeof id, RULE_PREFIX "%.200s", it->requirement ? it->requirement : "");
        message_text(msg, sizeof msg, it, s);
        fputs(i ? ",\n      {\"ruleId\": " : "\n      {\"ruleId\": ", out);
        qms_json_string(out, id);
        fprintf(out, ", \"ruleIndex\": %zu, \"kind\": \"%s\", \"level\": \"%s\", \"message\": "
                     "{\"text\": ",
                i, sarif_kind(s), sarif_level(s));
        qms_json_string(out, msg);
        fputs("}", out);
        if (it->n_evidence) {
            fputs(", \"locations\": [", out);
            for (size_t e = 0; e < it->n_evidence; e++) {
                fputs(e ? ",\n        " : "\n        ", out);
                emit_location(out, rep->result, &it->evidence[e]);
            }
            fputs("]", out);
        }
        fprintf(out, ", \"properties\": {\"status\": \"%s\", \"clause\": ",
                qms_report_status_name(s));
        qms_json_string(out, it->clause);
        fprintf(out, ", \"declared\": %s, \"shown\": %s, \"coveredBy\": ",
                it->declared ? "true" : "false", it->shown ? "true" : "false");
        qms_json_string(out, it->covered_by);
        fputs("}}", out);
    }
    fputs(n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n", out);
    return ferror(out) ? QMS_EIO : 0;
}
