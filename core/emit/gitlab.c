/* GitLab Code Quality report (artifacts:reports:codequality): a JSON array of issues with
 * description, check_name, fingerprint, severity, location.path and location.lines.begin.
 * Severity: error -> major (core/unreadable -> critical), warning -> minor, info -> info.
 * Suppressed findings are left out. A finding without a line is placed on line 1; a set-wide
 * finding on the config file (or "."). */
#include "emit.h"

#include <string.h>

static const char *gitlab_severity(const struct qms_finding *f)
{
    switch (f->severity) {
    case QMS_SEV_ERROR:
        return strcmp(f->rule_id, "core/unreadable") == 0 ? "critical" : "major";
    case QMS_SEV_WARNING:
        return "minor";
    default:
        return "info";
    }
}

int qms_emit_gitlab(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o)
{
    fputc('[', out);
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        fputs(n++ ? ",\n  " : "\n  ", out);
        fputs("{\"description\": ", out);
        qms_json_string(out, f->message ? f->message : "");
        fputs(", \"check_name\": ", out);
        qms_json_string(out, f->rule_id);
        /* GitLab wants one fingerprint per issue: the n-th copy of the same defect gets "-n" */
        size_t copy = 0;
        for (size_t k = i; k-- > 0 && strcmp(r->findings[k].path, f->path) == 0;)
            if (f->fingerprint && r->findings[k].fingerprint &&
                strcmp(r->findings[k].fingerprint, f->fingerprint) == 0 && !r->findings[k].suppressed)
                copy++;
        if (copy)
            fprintf(out, ", \"fingerprint\": \"%s-%zu\"", f->fingerprint ? f->fingerprint : "", copy + 1);
        else
            fprintf(out, ", \"fingerprint\": \"%s\"", f->fingerprint ? f->fingerprint : "");
        fprintf(out, ", \"severity\": \"%s\", \"location\": {\"path\": ", gitlab_severity(f));
        qms_json_string(out, f->path[0] ? f->path : (o && o->set_uri ? o->set_uri : "."));
        fprintf(out, ", \"lines\": {\"begin\": %u}}}", (unsigned)(f->part || !f->line ? 1 : f->line));
    }
    fputs(n ? "\n]\n" : "]\n", out);
    return ferror(out) ? QMS_EIO : 0;
}

int qms_emit_by_name(FILE *out, const char *format, const struct qms_result *r,
                     const struct qms_emit_opts *o)
{
    if (!format || strcmp(format, "text") == 0)
        return qms_emit_text(out, r, o);
    if (strcmp(format, "json") == 0)
        return qms_emit_json(out, r, o);
    if (strcmp(format, "sarif") == 0)
        return qms_emit_sarif(out, r, o);
    if (strcmp(format, "junit") == 0)
        return qms_emit_junit(out, r, o);
    if (strcmp(format, "gitlab") == 0)
        return qms_emit_gitlab(out, r, o);
    return QMS_EUSAGE;
}
