/* JUnit XML as Jenkins (junit step) and GitLab (artifacts:reports:junit) read it: one
 * <testsuite> per plugin, one <testcase> per (document, enabled rule) named by the rule, with
 * classname the document; findings at or above the fail level are a <failure> (one line per
 * finding in its text), lower ones go to <system-out>. Set-wide findings are testcases of
 * the document "(set)". Suppressed findings are left out. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#define SET_NAME "(set)"

/* XML 1.0 text: markup escaped, and what XML cannot hold at all (C0 controls but tab and
 * newline, invalid UTF-8, U+FFFE/U+FFFF) replaced with U+FFFD. */
static void xml_text(FILE *out, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        if ((cp == 0xFFFD && n == 1) || (cp < 0x20 && cp != '\t' && cp != '\n') ||
            cp == 0xFFFE || cp == 0xFFFF)
            fputs("\xEF\xBF\xBD", out);
        else if (cp == '<')
            fputs("&lt;", out);
        else if (cp == '>')
            fputs("&gt;", out);
        else if (cp == '&')
            fputs("&amp;", out);
        else if (cp == '"')
            fputs("&quot;", out);
        else if (cp == '\n')
            fputs("&#10;", out);
        else if (cp == '\t')
            fputs("&#9;", out);
        else
            fwrite(s + i, 1, n, out);
        i += n;
    }
}

static const char *severity_word(enum qms_severity s)
{
    return s == QMS_SEV_ERROR ? "error" : s == QMS_SEV_WARNING ? "warning" : "info";
}

static int is_fail(const struct qms_finding *f, const struct qms_emit_opts *o)
{
    int lvl = o ? o->fail_level : 0;
    if (lvl < 0)
        return 0;
    return (int)f->severity >= (lvl ? lvl : QMS_SEV_INFO);
}

static size_t plugin_len(const char *rule_id)
{
    const char *slash = strchr(rule_id, '/');
    return slash ? (size_t)(slash - rule_id) : strlen(rule_id);
}

static int same_plugin(const char *rule_id, const char *plugin, size_t len)
{
    return plugin_len(rule_id) == len && strncmp(rule_id, plugin, len) == 0;
}

static void put_place(FILE *out, const struct qms_finding *f)
{
    xml_text(out, f->path && f->path[0] ? f->path : SET_NAME);
    if (f->part) {
        fputc(':', out);
        xml_text(out, f->part);
        if (f->block)
            fprintf(out, ":paragraph %u", (unsigned)f->block);
        if (f->section && f->section[0]) {
            fputs(" (", out);
            xml_text(out, f->section);
            fputc(')', out);
        }
    } else if (f->line) {
        fprintf(out, ":%u", (unsigned)f->line);
        if (f->column)
            fprintf(out, ":%u", (unsigned)f->column);
    }
}

/* The findings of one document: [*lo, *hi) (findings are sorted by path first). */
static void doc_range(const struct qms_result *r, const char *path, size_t *lo, size_t *hi)
{
    size_t a = 0, b = r->n_findings;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(r->findings[mid].path, path) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (b < r->n_findings && strcmp(r->findings[b].path, path) == 0)
        b++;
    *hi = b < a ? a : b;
}

/* Active findings of `rule` in [lo, hi): failing ones and the others. */
static void tally(const struct qms_result *r, size_t lo, size_t hi, const char *rule,
                  const struct qms_emit_opts *o, size_t *n_fail, size_t *n_other,
                  enum qms_severity *worst)
{
    *n_fail = *n_other = 0;
    *worst = QMS_SEV_OFF;
    for (size_t i = lo; i < hi; i++) {
        const struct qms_finding *f = &r->findings[i];
        if (f->suppressed || strcmp(f->rule_id, rule) != 0)
            continue;
        if (is_fail(f, o)) {
            (*n_fail)++;
            if (f->severity > *worst)
                *worst = f->severity;
        } else {
            (*n_other)++;
        }
    }
}

static void testcase(FILE *out, const struct qms_result *r, size_t lo, size_t hi,
                     const char *path, const char *rule, const struct qms_emit_opts *o)
{
    size_t n_fail, n_other;
    enum qms_severity worst;
    tally(r, lo, hi, rule, o, &n_fail, &n_other, &worst);
    fputs("    <testcase classname=\"", out);
    xml_text(out, path[0] ? path : SET_NAME);
    fputs("\" name=\"", out);
    xml_text(out, rule);
    fputs("\"", out);
    if (path[0]) {
        fputs(" file=\"", out);
        xml_text(out, path);
        fputs("\"", out);
    }
    if (!n_fail && !n_other) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass == 0 ? n_fail : n_other;
        if (!n)
            continue;
        if (pass == 0)
            fprintf(out, "      <failure type=\"%s\" message=\"%zu finding%s\">",
                    severity_word(worst), n, n == 1 ? "" : "s");
        else
            fputs("      <system-out>", out);
        for (size_t i = lo; i < hi; i++) {
            const struct qms_finding *f = &r->findings[i];
            if (f->suppressed || strcmp(f->rule_id, rule) != 0 || is_fail(f, o) != (pass == 0))
                continue;
            put_place(out, f);
            fprintf(out, ": %s: ", severity_word(f->severity));
            xml_text(out, f->message ? f->message : "");
            fputs("&#10;", out);
        }
        fputs(pass == 0 ? "</failure>\n" : "</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

static int enabled(const struct qms_emit_opts *o, const char *rule_id)
{
    return !o->engine || qms_engine_rule_severity(o->engine, rule_id) != QMS_SEV_OFF;
}

/* The testcases of one suite (emit = 0: only count them). */
static void suite(FILE *out, int emit, const struct qms_result *r,
                  const struct qms_rule *const *rules, size_t n_rules, const char *plugin,
                  size_t plen, const struct qms_emit_opts *o, size_t *tests, size_t *failures)
{
    *tests = *failures = 0;
    size_t lo, hi, n_fail, n_other;
    enum qms_severity worst;
    for (size_t d = 0; d < r->n_docs; d++) {
        const char *path = r->docs[d].path ? r->docs[d].path : "";
        doc_range(r, path, &lo, &hi);
        for (size_t k = 0; k < n_rules; k++) {
            if (!same_plugin(rules[k]->id, plugin, plen) || !enabled(o, rules[k]->id))
                continue;
            tally(r, lo, hi, rules[k]->id, o, &n_fail, &n_other, &worst);
            (*tests)++;
            *failures += n_fail > 0;
            if (emit)
                testcase(out, r, lo, hi, path, rules[k]->id, o);
        }
    }
    /* set-wide findings: a testcase only for the rules that have some */
    doc_range(r, "", &lo, &hi);
    for (size_t k = 0; k < n_rules && lo < hi; k++) {
        if (!same_plugin(rules[k]->id, plugin, plen))
            continue;
        tally(r, lo, hi, rules[k]->id, o, &n_fail, &n_other, &worst);
        if (!n_fail && !n_other)
            continue;
        (*tests)++;
        *failures += n_fail > 0;
        if (emit)
            testcase(out, r, lo, hi, "", rules[k]->id, o);
    }
}

int qms_emit_junit(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o)
{
    static const struct qms_emit_opts none = {0};
    if (!o)
        o = &none;
    const struct qms_rule *const *rules = NULL;
    size_t n_rules = o->engine ? qms_engine_rules(o->engine, &rules) : 0;

    /* suites: plugins in the order of the sorted rule list ("core" first by name order) */
    const char *names[256];
    size_t lens[256], n_suites = 0;
    for (size_t k = 0; k < n_rules && n_suites < 256; k++) {
        size_t plen = plugin_len(rules[k]->id);
        int known = 0;
        for (size_t s = 0; s < n_suites && !known; s++)
            known = lens[s] == plen && strncmp(names[s], rules[k]->id, plen) == 0;
        if (!known) {
            names[n_suites] = rules[k]->id;
            lens[n_suites++] = plen;
        }
    }
    size_t total = 0, total_fail = 0;
    size_t tests[256], failures[256];
    for (size_t s = 0; s < n_suites; s++) {
        suite(out, 0, r, rules, n_rules, names[s], lens[s], o, &tests[s], &failures[s]);
        total += tests[s];
        total_fail += failures[s];
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"qmslint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
            total, total_fail);
    for (size_t s = 0; s < n_suites; s++) {
        fputs("  <testsuite name=\"", out);
        char suite_name[128];
        snprintf(suite_name, sizeof suite_name, "%.*s", (int)(lens[s] < 127 ? lens[s] : 127),
                 names[s]);
        xml_text(out, suite_name); /* a third-party plugin's rule ids are not ours to trust */
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", tests[s],
                failures[s]);
        size_t t, f;
        suite(out, 1, r, rules, n_rules, names[s], lens[s], o, &t, &f);
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    return ferror(out) ? QMS_EIO : 0;
}
