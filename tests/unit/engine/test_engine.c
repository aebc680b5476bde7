/* The run: findings through the host API, config severities, determinism across --jobs. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

struct fixture {
    char *dir;                  /* the document set */
    struct qms_config *cfg;
    struct qms_engine *engine;
    struct qms_inputs inputs;
    struct qms_result *result;
    int run_rc;
    struct qms_err err;
    int progress;
};

static void write_doc(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, text, strlen(text)), 0, "cannot write %s", path);
}

/* Loads the given test plugin folders with `yaml` as the config (NULL: none), then runs on dir. */
static void run_with(struct fixture *f, const char *const *cases, size_t n_cases, const char *yaml,
                     unsigned jobs)
{
    if (yaml) {
        char path[4096];
        snprintf(path, sizeof path, "%s/.qmslint.yml", f->dir);
        cr_assert_eq(qms_test_write(path, yaml, strlen(yaml)), 0);
        cr_assert_eq(qms_config_load(&f->cfg, path, &f->err), 0, "%s", f->err.msg);
    } else {
        cr_assert_eq(qms_config_default(&f->cfg, &f->err), 0, "%s", f->err.msg);
    }
    char dir_buf[8][4096];
    const char *dirs[8];
    cr_assert(n_cases <= 8);
    for (size_t i = 0; i < n_cases; i++) {
        snprintf(dir_buf[i], sizeof dir_buf[i], "%s/%s", QMS_TEST_TESTPLUGIN_DIR, cases[i]);
        dirs[i] = dir_buf[i];
    }
    unsetenv("QMSLINT_PLUGIN_PATH");
    struct qms_run_opts opts = {0};
    opts.jobs = jobs;
    opts.progress = f->progress;
    opts.plugin_paths = dirs;
    opts.n_plugin_paths = n_cases;
    opts.no_default_plugin_dirs = 1;
    cr_assert_eq(qms_engine_new(&f->engine, f->cfg, &opts, &f->err), 0, "%s", f->err.msg);
    const char *paths[] = {f->dir};
    cr_assert_eq(qms_discover(&f->inputs, paths, 1, NULL, f->cfg, &f->err), 0, "%s", f->err.msg);
    f->run_rc = qms_engine_run(f->engine, &f->inputs, &f->result, &f->err);
}

static void done(struct fixture *f)
{
    qms_result_free(f->result);
    qms_inputs_free(&f->inputs);
    qms_engine_free(f->engine);
    qms_config_free(f->cfg);
}

/* The findings of a rule, in order, as "path:line:col:severity:message" joined by '\n'. */
static char *findings_of(const struct qms_result *r, const char *rule)
{
    /* a ring of static buffers: the suite stays leak-free under ASan */
    static char ring[4][1 << 20];
    static unsigned next;
    size_t cap = sizeof ring[0], n = 0;
    char *s = ring[next++ % 4];
    s[0] = '\0';
    for (size_t i = 0; r && i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        if (rule && strcmp(f->rule_id, rule) != 0)
            continue;
        n += (size_t)snprintf(s + n, cap - n, "%s:%u:%u:%s:%s%s\n", f->path, f->line, f->column,
                              qms_severity_name(f->severity), rule ? "" : f->rule_id, f->message);
        cr_assert(n < cap);
    }
    return s;
}

static char *tmpdir(void)
{
    static char ring[2][4096];
    static unsigned next;
    char *t = qms_test_tmpdir();
    cr_assert_not_null(t);
    char *p = ring[next++ % 2];
    snprintf(p, sizeof ring[0], "%s", t);
    free(t);
    return p;
}

static const char *const good[] = {"good"};

Test(engine, reports_each_document_and_the_set)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n\ntext\n");
    write_doc(f.dir, "b.md", "# B\n\nmore text\n\n- item\n");
    run_with(&f, good, 1, NULL, 2);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_eq(f.result->n_docs, 2);
    cr_assert_str_eq(f.result->docs[0].path, "a.md");
    cr_assert_str_eq(f.result->docs[1].path, "b.md");
    cr_assert_str_eq(f.result->docs[0].title, "A");
    char *per_doc = findings_of(f.result, "good/per-doc");
    cr_assert(strncmp(per_doc, "a.md:1:1:warning:", 17) == 0, "%s", per_doc);
    cr_assert(strstr(per_doc, "\nb.md:1:1:warning:") != NULL, "%s", per_doc);
    char *set = findings_of(f.result, "good/set");
    cr_assert(strstr(set, ":0:0:info:2 documents, 0 unreadable, 2 digests, ") == set, "%s", set);
    done(&f);
}

Test(engine, report_refuses_rules_of_other_plugins)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    run_with(&f, good, 1, NULL, 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    char *api = findings_of(f.result, "good/api");
    cr_assert_str_eq(api, ":0:0:info:foreign refused, unknown refused, core refused\n");
    char *all = findings_of(f.result, NULL);
    cr_assert(strstr(all, "should be refused") == NULL, "%s", all);
    done(&f);
}

Test(engine, default_off_rule_stays_off)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    run_with(&f, good, 1, NULL, 1);
    cr_assert_str_eq(findings_of(f.result, "good/off-by-default"), "");
    /* a plugin's explicit severity stands when the config says nothing */
    cr_assert_str_eq(findings_of(f.result, "good/explicit"), "a.md:1:1:error:explicit error\n");
    done(&f);
}

Test(engine, config_overrides_severity_and_disables_rules)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    run_with(&f, good, 1,
             "rules:\n"
             "  good/per-doc: off\n"
             "  good/explicit: info\n"
             "  good/off-by-default: warning\n",
             1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_str_eq(findings_of(f.result, "good/per-doc"), "");
    cr_assert_str_eq(findings_of(f.result, "good/explicit"), "a.md:1:1:info:explicit error\n");
    cr_assert_str_eq(findings_of(f.result, "good/off-by-default"), "a.md:1:1:warning:off by default\n");
    cr_assert_eq(qms_engine_rule_severity(f.engine, "good/per-doc"), QMS_SEV_OFF);
    done(&f);
}

Test(engine, plugin_wildcard_sets_every_rule)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    run_with(&f, good, 1, "rules:\n  good/*: error\n", 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_eq(qms_engine_rule_severity(f.engine, "good/set"), QMS_SEV_ERROR);
    cr_assert_str_eq(findings_of(f.result, "good/per-doc"), "a.md:1:1:error:1 blocks\n");
    done(&f);
}

Test(engine, rule_and_plugin_options_reach_the_plugin)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    run_with(&f, good, 1,
             "rules:\n  good/per-doc:\n    suffix: here\n"
             "plugins:\n  good:\n    marker: m1\n",
             1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_str_eq(findings_of(f.result, "good/per-doc"), "a.md:1:1:warning:1 blocks here\n");
    char *set = findings_of(f.result, "good/set");
    cr_assert(strstr(set, " marker=m1\n") != NULL, "%s", set);
    done(&f);
}

Test(engine, unreadable_document_is_a_finding_and_the_rest_is_checked)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    write_doc(f.dir, "broken.docx", "this is not a zip archive at all");
    run_with(&f, good, 1, NULL, 2);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    char *un = findings_of(f.result, "core/unreadable");
    cr_assert(strncmp(un, "broken.docx:0:0:error:cannot read: ", 35) == 0, "%s", un);
    cr_assert_eq(f.result->n_docs, 2);
    cr_assert_eq(f.result->docs[1].unreadable, 1);
    cr_assert_not_null(f.result->docs[1].reason);
    char *set = findings_of(f.result, "good/set");
    cr_assert(strstr(set, "2 documents, 1 unreadable, 1 digests") != NULL, "%s", set);
    cr_assert_eq(f.result->counts[QMS_SEV_ERROR], 2); /* unreadable + good/explicit on a.md */
    done(&f);
}

Test(engine, failing_plugin_keeps_other_findings)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n");
    write_doc(f.dir, "fail-2.md", "# F\n");
    write_doc(f.dir, "fail-1.md", "# F\n");
    const char *cases[] = {"good", "doc-fails"};
    run_with(&f, cases, 2, NULL, 3);
    cr_assert_eq(f.run_rc, QMS_EPLUGIN);
    cr_assert_str_eq(f.err.msg, "plugin doc-fails failed on fail-1.md");
    cr_assert_not_null(f.result);
    char *seen = findings_of(f.result, "doc-fails/seen");
    cr_assert_str_eq(seen, "a.md:0:0:info:seen\nfail-1.md:0:0:info:seen\nfail-2.md:0:0:info:seen\n");
    char *per_doc = findings_of(f.result, "good/per-doc");
    cr_assert(strstr(per_doc, "fail-2.md:1:1:") != NULL, "%s", per_doc);
    done(&f);
}

Test(engine, regex_matches_from_workers)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "a.md", "# A\n\nOwner: TBD and tbd.\n");
    run_with(&f, good, 1, NULL, 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_str_eq(findings_of(f.result, "good/tbd"),
                     "a.md:3:8:warning:TBD left in the text\na.md:3:16:warning:TBD left in the text\n");
    done(&f);
}

static char *run_set(const char *dir, unsigned jobs)
{
    struct fixture f = {.dir = (char *)dir};
    run_with(&f, good, 1, NULL, jobs);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    char *all = strdup(findings_of(f.result, NULL));
    done(&f);
    return all;
}

Test(engine, same_findings_for_one_and_many_jobs)
{
    char *dir = tmpdir();
    for (int i = 0; i < 60; i++) {
        char name[64], text[512];
        snprintf(name, sizeof name, "%s/QP-%02d.md", i % 3 ? "procedures" : "forms", i);
        int n = snprintf(text, sizeof text, "# Procedure %d\n\nTBD\n\n", i);
        for (int k = 0; k < i % 7; k++)
            n += snprintf(text + n, sizeof text - (size_t)n, "## Step %d\n\ntext TBD %d\n\n", k, k);
        write_doc(dir, name, text);
    }
    write_doc(dir, "zz-broken.docx", "PK not really");
    char *one = run_set(dir, 1);
    char *four = run_set(dir, 4);
    char *eight = run_set(dir, 8);
    cr_assert(strlen(one) > 1000, "%s", one);
    cr_assert_str_eq(one, four);
    cr_assert_str_eq(one, eight);
    free(one);
    free(four);
    free(eight);
}

Test(engine, empty_set_still_runs_check_set)
{
    struct fixture f = {.dir = tmpdir()};
    run_with(&f, good, 1, NULL, 0);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_eq(f.result->n_docs, 0);
    cr_assert(strstr(findings_of(f.result, "good/set"), "0 documents") != NULL);
    done(&f);
}

Test(engine, metadata_record_survives_the_document)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "QP-007.md", "---\nid: QP-007\nrevision: C\n---\n# Control of documents\n");
    run_with(&f, good, 1, NULL, 2);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    cr_assert_eq(f.result->n_docs, 1);
    const struct qms_meta *m = f.result->docs[0].meta;
    cr_assert_not_null(m, "no metadata record (is rules/labels.yml there?)");
    const struct qms_meta_value *id = qms_meta_first(m, QMS_META_ID);
    cr_assert_not_null(id);
    cr_assert_str_eq(id->value, "QP-007");
    const struct qms_meta_value *rev = qms_meta_first(m, QMS_META_REVISION);
    cr_assert_not_null(rev);
    cr_assert_str_eq(rev->value, "C");
    done(&f);
}

/* A digest's strings are copied once per document and shared where equal; a location's
 * section is one line (control characters made spaces) even when a value with the same bytes,
 * tab and all, was copied first as it is. */
Test(engine, shared_digest_strings_keep_each_copy_as_made)
{
    struct fixture f = {.dir = tmpdir()};
    write_doc(f.dir, "QP-123.md", "---\ntitle: \"Scope\\tArea\"\ndoc_id: QP-123\n---\n"
                                  "# Scope\tArea\n\n**Owner:** Quality\n");
    run_with(&f, good, 1, NULL, 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    const struct qms_meta *m = f.result->docs[0].meta;
    cr_assert_not_null(m);
    const struct qms_meta_values *titles = &m->fields[QMS_META_TITLE];
    int raw_tab = 0;
    for (size_t i = 0; i < titles->n; i++)
        raw_tab |= titles->items[i].raw && strcmp(titles->items[i].raw, "Scope\tArea") == 0;
    cr_assert(raw_tab, "the front matter title keeps its tab");
    const struct qms_meta_values *owners = &m->fields[QMS_META_OWNER];
    cr_assert_gt(owners->n, 0);
    for (size_t i = 0; i < owners->n; i++) {
        const char *section = owners->items[i].loc.section;
        if (section)
            cr_assert_str_eq(section, "Scope Area");
    }
    cr_assert_not_null(owners->items[0].loc.section, "the owner line sits under the heading");
    done(&f);
}

Test(engine, progress_shown_after_a_second_then_cleared, .init = cr_redirect_stderr)
{
    struct fixture f = {.dir = tmpdir(), .progress = 1};
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%d.md", i);
        write_doc(f.dir, name, "# D\n");
    }
    run_with(&f, good, 1, "plugins:\n  good:\n    sleep_ms: 250\n", 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    done(&f);
    fflush(stderr);
    FILE *err = cr_get_redirected_stderr();
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = '\0';
    cr_assert(strstr(buf, "\rqmslint: read ") != NULL, "no progress in [%s]", buf);
    cr_assert(strstr(buf, "/6 documents") != NULL, "%s", buf);
    cr_assert(n > 0 && buf[n - 1] == '\r', "progress line not cleared");
}

Test(engine, no_progress_unless_asked, .init = cr_redirect_stderr)
{
    struct fixture f = {.dir = tmpdir()};
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%d.md", i);
        write_doc(f.dir, name, "# D\n");
    }
    run_with(&f, good, 1, "plugins:\n  good:\n    sleep_ms: 250\n", 1);
    cr_assert_eq(f.run_rc, 0, "%s", f.err.msg);
    done(&f);
    fflush(stderr);
    cr_assert_stderr_eq_str("");
}
