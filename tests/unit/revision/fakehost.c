/* Fake plugin host and metadata builder for the revision suite (see fakehost.h). */
#include "fakehost.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "engine_int.h"
#include "fakehost_common.h"
#include "ynode.h"

static struct qms_arena *arena(void) { return fh_arena(); }

static struct rv_host *H(struct qms_host *host) { return (struct rv_host *)host; }

static int fake_report(struct qms_host *host, const struct qms_finding_desc *f)
{
    struct rv_host *h = H(host);
    if (!fh_finding_ok(f, "revision/"))
        return -1;
    if (h->n_findings == RV_MAX_FINDINGS)
        return 0;
    struct rv_finding *out = &h->findings[h->n_findings++];
    FH_COPY_FINDING(out, f);
    return 0;
}

static void fake_log(struct qms_host *host, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vlog(H(host)->error, sizeof H(host)->error, level, fmt, ap);
    va_end(ap);
}

static int fake_load_pack(struct qms_host *host, const char *name, const struct qms_node **out)
{
    struct rv_host *h = H(host);
    return fh_load_pack(h->rules_dir, name, out, h->error, sizeof h->error);
}

static const struct qms_node *fake_rule_options(struct qms_host *host, const char *rule_id)
{
    return qms_node_get(H(host)->rule_opts, rule_id);
}

static const struct qms_node *fake_plugin_options(struct qms_host *host) { return NULL; }

static enum qms_severity fake_rule_severity(struct qms_host *host, const char *rule_id)
{
    return fh_rule_severity(H(host)->off_rule, rule_id);
}

static void fake_node_error(struct qms_host *host, const struct qms_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_vnode_error(H(host)->error, sizeof H(host)->error, "revision", node, fmt, ap);
    va_end(ap);
}

static int32_t fake_today(struct qms_host *host) { return H(host)->today; }
static int fake_release(struct qms_host *host) { return H(host)->release; }

static const struct qms_host_api fake_api = {
    FH_HOST_API_COMMON,
    .report = fake_report,
    .log = fake_log,
    .load_pack = fake_load_pack,
    .rule_options = fake_rule_options,
    .plugin_options = fake_plugin_options,
    .rule_severity = fake_rule_severity,
    .node_error = fake_node_error,
    .today = fake_today,
    .release_mode = fake_release,
};

void rv_host_init(struct rv_host *h)
{
    memset(h, 0, sizeof *h);
    h->today = rv_days("2026-01-15");
}

const struct qms_plugin *rv_plugin(void)
{
    static const struct qms_plugin *desc;
    if (!desc)
        desc = fh_plugin_entry(fh_plugin_open("revision.so"), "revision.so");
    return desc;
}

int rv_init(struct rv_host *h, void **out_state)
{
    return rv_plugin()->init(&fake_api, (struct qms_host *)h, out_state);
}

void rv_run(struct rv_host *h, const struct qms_doc *doc)
{
    void *state = NULL;
    cr_assert_eq(rv_init(h, &state), 0, "init failed: %s", h->error);
    cr_assert_eq(rv_plugin()->check_doc(state, &fake_api, (struct qms_host *)h, doc), 0);
    rv_plugin()->fini(state);
}

const struct qms_node *rv_yaml(const char *text) { return fh_yaml(text); }

_Static_assert(offsetof(struct rv_finding, rule) == 0, "fh_count reads the rule first");

size_t rv_count(const struct rv_host *h, const char *rule)
{
    return fh_count(h->findings, h->n_findings, sizeof h->findings[0], rule);
}

const struct rv_finding *rv_first(const struct rv_host *h, const char *rule)
{
    size_t i = fh_first(h->findings, h->n_findings, sizeof h->findings[0], rule);
    return i < h->n_findings ? &h->findings[i] : NULL;
}

int32_t rv_days(const char *iso)
{
    int y = 0, m = 0, d = 0;
    cr_assert_eq(sscanf(iso, "%d-%d-%d", &y, &m, &d), 3, "bad date %s", iso);
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---- the builder ---- */

static int is_date_field(enum qms_meta_field f)
{
    return f == QMS_META_EFFECTIVE_DATE || f == QMS_META_REVIEW_DATE || f == QMS_META_APPROVAL_DATE;
}

static void set_revision(struct qms_meta_value *v, const char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z') {
        v->rev_scheme = QMS_REV_LETTER;
        v->rev_key = 0;
        for (const char *p = s; *p; p++)
            v->rev_key = v->rev_key * 26 + (uint64_t)(*p - 'A' + 1);
        return;
    }
    unsigned a = 0, b = 0, c = 0;
    int n = sscanf(s, "%u.%u.%u", &a, &b, &c);
    cr_assert_geq(n, 1, "bad revision %s", s);
    v->rev_scheme = n == 1 ? QMS_REV_NUMBER : QMS_REV_DOTTED;
    v->rev_key = ((uint64_t)a << 40) | ((uint64_t)b << 20) | c;
}

static void set_date(struct qms_meta_value *v, const char *s)
{
    int y, m, d;
    if (s[0] && sscanf(s, "%d-%d-%d", &y, &m, &d) == 3) {
        v->date = rv_days(s);
        v->value = s;
    } else if (s[0]) {
        v->flags |= QMS_META_UNPARSED;
        v->value = s;
    } else {
        v->value = "";
    }
}

struct rv_doc *rv_doc_new(const char *path)
{
    struct rv_doc *d = qms_arena_alloc(arena(), sizeof *d);
    cr_assert_not_null(d);
    memset(d, 0, sizeof *d);
    d->doc.path = path;
    d->doc.format = QMS_FORMAT_MARKDOWN;
    d->doc.meta = &d->meta;
    d->doc.review = d->review;
    d->meta.history = d->hist;
    d->meta.history_table = -1;
    d->meta.register_table = -1;
    for (int f = 0; f < QMS_META_N_FIELDS; f++)
        d->meta.fields[f].items = d->vals[f];
    return d;
}

static struct qms_meta_value *push(struct rv_doc *d, enum qms_meta_field f, enum qms_meta_source src,
                                   const char *raw, unsigned line)
{
    struct qms_meta_values *vs = &d->meta.fields[f];
    cr_assert_lt(vs->n, 8);
    struct qms_meta_value *v = &d->vals[f][vs->n++];
    memset(v, 0, sizeof *v);
    v->raw = raw;
    v->value = raw;
    v->source = src;
    v->loc.line = line;
    v->loc.column = 1;
    return v;
}

struct qms_meta_value *rv_add(struct rv_doc *d, enum qms_meta_field f, enum qms_meta_source src,
                              const char *raw, const char *value, unsigned line)
{
    struct qms_meta_value *v = push(d, f, src, raw, line);
    v->value = value ? value : raw;
    if (f == QMS_META_REVISION)
        set_revision(v, v->value);
    else if (is_date_field(f))
        set_date(v, v->value);
    return v;
}

struct qms_meta_value *rv_add_flagged(struct rv_doc *d, enum qms_meta_field f,
                                      enum qms_meta_source src, const char *raw, uint32_t flags,
                                      unsigned line)
{
    struct qms_meta_value *v = push(d, f, src, raw, line);
    v->flags = flags;
    if (flags & QMS_META_PLACEHOLDER)
        v->value = "";
    return v;
}

struct qms_meta_history_row *rv_history(struct rv_doc *d, const char *rev, const char *date,
                                        unsigned line)
{
    cr_assert_lt(d->meta.n_history, 16);
    struct qms_meta_history_row *r = &d->hist[d->meta.n_history++];
    memset(r, 0, sizeof *r);
    r->revision.raw = r->revision.value = rev;
    r->revision.source = QMS_META_SRC_REVISION_HISTORY;
    r->revision.loc.line = line;
    set_revision(&r->revision, rev);
    r->date.raw = date;
    r->date.source = QMS_META_SRC_REVISION_HISTORY;
    r->date.loc.line = line;
    set_date(&r->date, date);
    r->description = "";
    r->people = "";
    r->loc.line = line;
    r->loc.column = 1;
    return r;
}

void rv_history_done(struct rv_doc *d)
{
    struct qms_meta *m = &d->meta;
    m->history_table = 0;
    size_t cur = m->n_history - 1;
    int decreasing = m->n_history >= 2;
    for (size_t i = 1; i < m->n_history && decreasing; i++)
        decreasing = qms_meta_rev_cmp(&m->history[i - 1].revision, &m->history[i].revision) == 1;
    if (decreasing)
        cur = 0;
    m->history_current = cur;
    struct qms_meta_values *vs = &m->fields[QMS_META_REVISION];
    cr_assert_lt(vs->n, 8);
    d->vals[QMS_META_REVISION][vs->n++] = m->history[cur].revision;
}

void rv_review(struct rv_doc *d, enum qms_review_kind kind, const char *part, unsigned block,
               const char *section)
{
    cr_assert_lt(d->doc.n_review, 8);
    struct qms_review_item *r = &d->review[d->doc.n_review++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->text = "x";
    r->loc.part = part;
    r->loc.block = block;
    r->loc.section = section;
    switch (kind) {
    case QMS_REVIEW_INSERTION: d->doc.n_insertions++; break;
    case QMS_REVIEW_DELETION: d->doc.n_deletions++; break;
    case QMS_REVIEW_FORMAT_CHANGE: d->doc.n_format_changes++; break;
    case QMS_REVIEW_COMMENT: d->doc.n_comments++; break;
    }
}

struct rv_doc *rv_clean_doc(void)
{
    struct rv_doc *d = rv_doc_new("QP-007_Control_of_Documents.md");
    rv_add(d, QMS_META_ID, QMS_META_SRC_FRONT_MATTER, "QP-007", NULL, 2);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_FRONT_MATTER, "Control of Documents", NULL, 3);
    rv_add(d, QMS_META_REVISION, QMS_META_SRC_FRONT_MATTER, "C", NULL, 4);
    rv_add(d, QMS_META_STATUS, QMS_META_SRC_FRONT_MATTER, "Approved", "approved", 5);
    rv_add(d, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FRONT_MATTER, "2025-06-01", NULL, 6);
    rv_add(d, QMS_META_OWNER, QMS_META_SRC_FRONT_MATTER, "Quality Manager", NULL, 7);
    rv_add(d, QMS_META_APPROVER, QMS_META_SRC_FRONT_MATTER, "Jane Director", NULL, 8);
    rv_add(d, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, "QP-007", NULL, 11);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Control of Documents", NULL, 11);
    rv_add(d, QMS_META_ID, QMS_META_SRC_FILE_NAME, "QP-007", NULL, 0);
    rv_add(d, QMS_META_TITLE, QMS_META_SRC_FILE_NAME, "Control of Documents", NULL, 0);
    rv_add(d, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "QP", "procedure", 0);
    rv_history(d, "A", "2023-01-10", 20);
    rv_history(d, "B", "2024-02-01", 21);
    rv_history(d, "C", "2025-06-01", 22);
    rv_history_done(d);
    return d;
}
