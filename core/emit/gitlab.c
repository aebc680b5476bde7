/* GitLab Code Quality report (artifacts:reports:codequality): a JSON array of issues with
 * description, check_name, fingerprint, severity, location.path and location.lines.begin.
 * Severity: error -> major (core/unreadable -> critical), warning -> minor, info -> info.
 * Suppressed findings are left out. A finding without a line is placed on line 1; a set-wide
 * finding on the config file (or "."). */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

/* For the copy numbers: active findings ordered by (path, fingerprint, position). */
struct copy_ref {
    const struct qms_finding *f;
    size_t index;
};

static int copy_cmp(const void *a, const void *b)
{
    const struct copy_ref *x = a, *y = b;
    int c = strcmp(x->f->path, y->f->path);
    if (!c)
        c = strcmp(x->f->fingerprint, y->f->fingerprint);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* copies[i]: how many earlier active findings of the same document share finding i's
 * fingerprint. Sorting keeps this n log n (a backwards scan per finding was quadratic in
 * the findings of one document). NULL when out of memory. */
static size_t *copy_numbers(const struct qms_result *r)
{
    size_t *copies = calloc(r->n_findings ? r->n_findings : 1, sizeof *copies);
    struct copy_ref *refs = malloc((r->n_findings ? r->n_findings : 1) * sizeof *refs);
    if (!copies || !refs) {
        free(copies);
        free(refs);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (!r->findings[i].suppressed && r->findings[i].fingerprint) {
            refs[n].f = &r->findings[i];
            refs[n++].index = i;
        }
    if (n > 1)
        qsort(refs, n, sizeof *refs, copy_cmp);
    for (size_t k = 1; k < n; k++)
        if (strcmp(refs[k].f->path, refs[k - 1].f->path) == 0 &&
            strcmp(refs[k].f->fingerprint, refs[k - 1].f->fingerprint) == 0)
            copies[refs[k].index] = copies[refs[k - 1].index] + 1;
    free(refs);
    return copies;
}

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
    size_t *copies = copy_numbers(r);
    if (!copies)
        return QMS_ENOMEM;
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
        size_t copy = copies[i];
        if (copy)
            fprintf(out, ", \"fingerprint\": \"%s-%zu\"", f->fingerprint ? f->fingerprint : "", copy + 1);
        else
            fprintf(out, ", \"fingerprint\": \"%s\"", f->fingerprint ? f->fingerprint : "");
        fprintf(out, ", \"severity\": \"%s\", \"location\": {\"path\": ", gitlab_severity(f));
        qms_json_string(out, f->path[0] ? f->path : (o && o->set_uri ? o->set_uri : "."));
        fprintf(out, ", \"lines\": {\"begin\": %u}}}", (unsigned)(f->part || !f->line ? 1 : f->line));
    }
    fputs(n ? "\n]\n" : "]\n", out);
    free(copies);
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
