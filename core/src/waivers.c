/* The waivers file (see waivers.h). */
#include "waivers.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "suppress.h"
#include "dates.h"
#include "ynode.h"

int qms_waivers_parse_date(const char *s, int32_t *out) { return qms_date_parse_iso(s, out); }

static int scalar(const struct qms_node *entry, const char *key, int required, const char **out,
                  struct qms_err *err)
{
    const struct qms_node *n = qms_node_get(entry, key);
    *out = NULL;
    if (!n) {
        if (required)
            return qms_node_err(err, entry, "waiver without '%s'", key);
        return 0;
    }
    if (n->kind != QMS_NODE_SCALAR || !n->scalar)
        return qms_node_err(err, n, "'%s' must be a single value", key);
    if (required && !n->scalar[0])
        return qms_node_err(err, n, "'%s' must not be empty", key);
    *out = n->scalar;
    return 0;
}

static int read_entry(struct qms_waiver *w, const struct qms_node *entry, struct qms_err *err)
{
    static const char *const keys[] = {"rule", "document", "clause", "justification",
                                       "approver", "expires"};
    if (entry->kind != QMS_NODE_MAP)
        return qms_node_err(err, entry, "a waiver is a map (rule, document, justification ...)");
    for (size_t i = 0; i < entry->n_items; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            known |= strcmp(entry->keys[i], keys[k]) == 0;
        if (!known)
            return qms_node_key_err(err, entry, i,
                                    "unknown key '%.64s' (expected rule, document, clause, "
                                    "justification, approver, expires)",
                                    entry->keys[i]);
    }
    int rc;
    if ((rc = scalar(entry, "rule", 1, &w->rule, err)) < 0 ||
        (rc = scalar(entry, "document", 1, &w->document, err)) < 0 ||
        (rc = scalar(entry, "clause", 0, &w->clause, err)) < 0 ||
        (rc = scalar(entry, "justification", 1, &w->justification, err)) < 0 ||
        (rc = scalar(entry, "approver", 0, &w->approver, err)) < 0 ||
        (rc = scalar(entry, "expires", 0, &w->expires, err)) < 0)
        return rc;
    if (w->expires && qms_waivers_parse_date(w->expires, &w->expires_day) != 0)
        return qms_node_err(err, qms_node_get(entry, "expires"),
                            "expires: '%.32s' is not a date (YYYY-MM-DD)", w->expires);
    w->line = entry->line;
    w->column = entry->column;
    return 0;
}

int qms_waivers_load(struct qms_waivers **out, const char *file, struct qms_err *err)
{
    *out = NULL;
    struct qms_waivers *w = calloc(1, sizeof *w);
    if (!w || !(w->arena = qms_arena_new(0))) {
        free(w);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    const struct qms_node *root = NULL;
    int rc = qms_yaml_load(&root, w->arena, file, err);
    if (rc < 0) {
        qms_waivers_free(w);
        return rc;
    }
    w->file = qms_arena_strdup(w->arena, file);
    const struct qms_node *list = root;
    if (root && root->kind == QMS_NODE_MAP) {
        for (size_t i = 0; i < root->n_items; i++)
            if (strcmp(root->keys[i], "waivers") != 0) {
                rc = qms_node_key_err(err, root, i, "unknown key '%.64s' (expected waivers)",
                                      root->keys[i]);
                qms_waivers_free(w);
                return rc;
            }
        list = qms_node_get(root, "waivers");
    }
    if (list && list->kind != QMS_NODE_SEQ) {
        rc = qms_node_err(err, list, "waivers must be a list");
        qms_waivers_free(w);
        return rc;
    }
    size_t n = list ? list->n_items : 0;
    if (n > QMS_MAX_WAIVERS) {
        qms_waivers_free(w);
        return qms_err_set(err, QMS_ETOOBIG, "%.400s: more than %d waivers", file, QMS_MAX_WAIVERS);
    }
    w->items = qms_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->items);
    if (!w->items || !w->file) {
        qms_waivers_free(w);
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = read_entry(&w->items[i], &list->items[i], err)) < 0) {
            qms_waivers_free(w);
            return rc;
        }
    w->n = n;
    *out = w;
    return 0;
}

void qms_waivers_free(struct qms_waivers *w)
{
    if (!w)
        return;
    qms_arena_free(w->arena);
    free(w);
}

static int rule_matches(const char *pattern, const char *rule_id)
{
    return fnmatch(pattern, rule_id, 0) == 0;
}

/* "7.5" covers 7.5, 7.5.1, 7.5.3 ... */
static int clause_matches(const char *want, const char *clause)
{
    if (!clause)
        return 0;
    size_t n = strlen(want);
    return strncmp(want, clause, n) == 0 && (clause[n] == '\0' || clause[n] == '.');
}

static int covers(const struct qms_waiver *w, const struct qms_finding *f, const struct qms_engine *e)
{
    if (!rule_matches(w->rule, f->rule_id))
        return 0;
    if (fnmatch(w->document, f->path ? f->path : "", 0) != 0)
        return 0;
    if (w->clause) {
        const struct qms_rule *rule = qms_engine_find_rule(e, f->rule_id);
        if (!rule || !clause_matches(w->clause, rule->clause))
            return 0;
    }
    return 1;
}

static const char *justification(struct qms_result *r, const struct qms_waiver *w)
{
    char text[1024];
    int n = snprintf(text, sizeof text, "%.700s", w->justification);
    if (w->approver && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, " (approved by %.150s", w->approver);
    if (w->expires && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "%sexpires %s", w->approver ? ", " : " (",
                      w->expires);
    if ((w->approver || w->expires) && n > 0 && (size_t)n < sizeof text - 1)
        snprintf(text + n, sizeof text - (size_t)n, ")");
    return qms_result_strdup(r, text);
}

static int has_wildcard(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

int qms_waivers_apply(struct qms_result *r, const struct qms_waivers *w,
                      const struct qms_engine *e, int32_t today, const char *display_file)
{
    if (!w)
        return 0;
    for (size_t k = 0; k < w->n; k++) {
        const struct qms_waiver *wv = &w->items[k];
        if (wv->expires && wv->expires_day < today)
            continue;
        const char *why = NULL;
        for (size_t i = 0; i < r->n_findings; i++) {
            struct qms_finding *f = &r->findings[i];
            if (f->suppressed || !covers(wv, f, e))
                continue;
            if (!why && !(why = justification(r, wv)))
                return QMS_ENOMEM;
            f->suppressed = QMS_SUPPRESS_WAIVER;
            f->justification = why;
        }
    }
    enum qms_severity expired_sev = qms_engine_rule_severity(e, "core/expired-waiver");
    enum qms_severity unknown_sev = qms_engine_rule_severity(e, "core/unknown-suppression");
    for (size_t k = 0; k < w->n; k++) {
        const struct qms_waiver *wv = &w->items[k];
        struct qms_location loc = {NULL, wv->line, wv->column, 0, NULL};
        char message[512];
        int rc = 0;
        if (wv->expires && wv->expires_day < today && expired_sev != QMS_SEV_OFF) {
            snprintf(message, sizeof message,
                     "waiver for %.128s on %.128s expired on %s: its findings are reported again",
                     wv->rule, wv->document, wv->expires);
            rc = qms_result_add_finding(r, "core/expired-waiver", expired_sev, message,
                                        display_file, &loc, wv->rule, "core");
        }
        if (rc == 0 && !has_wildcard(wv->rule) && !qms_suppress_rule_known(e, wv->rule) &&
            unknown_sev != QMS_SEV_OFF) {
            snprintf(message, sizeof message, "waiver names unknown rule '%.128s'", wv->rule);
            rc = qms_result_add_finding(r, "core/unknown-suppression", unknown_sev, message,
                                        display_file, &loc, wv->rule, "core");
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
