/* The metadata record of the DOCX and ODT fixtures packed from fixtures/meta/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "meta.h"
#include "reader.h"
#include "testutil.h"
#include "meta_test.h"
#include "ynode.h"

static struct qms_meta_opts *opts;
static struct qms_doc *D;

static void setup(void)
{
    struct qms_err err = {{0}};
    char *rules = qms_test_source("rules");
    cr_assert_eq(qms_meta_opts_load(&opts, rules, NULL, &err), 0, "%s", err.msg);
    free(rules);
}

static void teardown(void)
{
    qms_doc_free(D);
    D = NULL;
    qms_meta_opts_free(opts);
}

TestSuite(meta_packages, .init = setup, .fini = teardown);

static const struct qms_meta *read_fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "meta/%s", name);
    char *path = qms_test_fixture(rel);
    struct qms_err err = {{0}};
    cr_assert_eq(qms_read_file(&D, path, name, NULL, &err), 0, "%s: %s", name, err.msg);
    free(path);
    const struct qms_meta *m = NULL;
    cr_assert_eq(qms_meta_extract(&m, D, qms_doc_arena(D), opts, &err), 0, "%s", err.msg);
    return m;
}

Test(meta_packages, docx_every_carrier_kept_when_they_disagree)
{
    const struct qms_meta *m = read_fixture("QP-012_Rev03.docx");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_CUSTOM_PROPERTY, "QP-012");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_HEADER, "QP-013");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FOOTER, "QP-012");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_TITLE_HEADING, "QP-012");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "QP-012");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_CUSTOM_PROPERTY, "4");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_HEADER, "5");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FOOTER, "4");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "4");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_FILE_NAME, "3");
    cr_expect_null(val(m, QMS_META_REVISION, QMS_META_SRC_CORE_PROPERTY, 0), "cp:revision is a save count");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_CORE_PROPERTY, "Purchasing");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Purchasing");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CORE_PROPERTY, "released");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_CONTENT_CONTROL, "approved");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CUSTOM_PROPERTY, "2024-02-01");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_CONTROL_BLOCK, "Purchasing Manager");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "Managing Director");
    const struct qms_meta_value *v = val(m, QMS_META_OWNER, QMS_META_SRC_CORE_PROPERTY, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_PLACEHOLDER, "Un-named");
    v = val(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_CONTROL_BLOCK, 0);
    cr_assert(v);
    cr_expect(v->flags & QMS_META_PLACEHOLDER, "YYYY-MM-DD");
    v = val(m, QMS_META_ID, QMS_META_SRC_HEADER, 0);
    cr_expect_str_eq(v->loc.part, "word/header1.xml");
    cr_expect_eq(m->n_history, 2);
    cr_expect_str_eq(m->history[1].description, "New approval step");
    EXPECT_VALUE(m, QMS_META_TYPE, QMS_META_SRC_ID_PREFIX, "procedure");
}

Test(meta_packages, odt_spanish_user_fields_header_footer_and_history)
{
    const struct qms_meta *m = read_fixture("PP_05_01_Compras.odt");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_ODT_USER, "PP 05 01");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_HEADER, "PP 05 01");
    EXPECT_VALUE(m, QMS_META_ID, QMS_META_SRC_FILE_NAME, "PP 05 01");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_ODT_USER, "2");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_HEADER, "3");
    EXPECT_VALUE(m, QMS_META_REVISION, QMS_META_SRC_REVISION_HISTORY, "2");
    EXPECT_VALUE(m, QMS_META_STATUS, QMS_META_SRC_ODT_USER, "obsolete");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_ODT_META, "Compras");
    EXPECT_VALUE(m, QMS_META_TITLE, QMS_META_SRC_TITLE_HEADING, "Compras");
    EXPECT_VALUE(m, QMS_META_OWNER, QMS_META_SRC_ODT_META, "Ana García");
    cr_expect_eq(m->fields[QMS_META_OWNER].n, 1, "dc:creator is the last editor, not the owner");
    EXPECT_VALUE(m, QMS_META_APPROVER, QMS_META_SRC_CONTROL_BLOCK, "Dirección General");
    EXPECT_VALUE(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_ODT_USER, "2023-09-01");
    const struct qms_meta_value *v = val(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FOOTER, 0);
    cr_assert(v, "Vigente desde: in the footer");
    cr_expect(v->flags & QMS_META_AMBIGUOUS, "01/09/2023 is ambiguous without a date order");
    cr_assert_eq(m->n_history, 2);
    cr_expect_eq(m->history[1].date.date, qms_meta_days(2023, 9, 1));
    cr_expect_str_eq(m->history[0].revision.value, "0");
}

Test(meta_packages, odt_date_order_from_config_resolves_the_footer_date)
{
    qms_meta_opts_free(opts);
    struct qms_err err = {{0}};
    struct qms_arena *a = qms_arena_new(0);
    const struct qms_node *cfg = NULL;
    const char *y = "date_order: dmy\n";
    cr_assert_eq(qms_yaml_parse(&cfg, a, "c.yml", y, strlen(y), 0, &err), 0);
    char *rules = qms_test_source("rules");
    cr_assert_eq(qms_meta_opts_load(&opts, rules, cfg, &err), 0, "%s", err.msg);
    free(rules);
    const struct qms_meta *m = read_fixture("PP_05_01_Compras.odt");
    const struct qms_meta_value *v = val(m, QMS_META_EFFECTIVE_DATE, QMS_META_SRC_FOOTER, 0);
    cr_assert(v);
    cr_expect_str_eq(v->value, "2023-09-01");
    qms_arena_free(a);
}

#include <dirent.h>

/* Real-world files from ../shared/corpus (skipped when absent): extraction never fails and
 * every value it keeps is well formed. */
Test(meta_packages, corpus_documents_extract_cleanly)
{
    char *dir = qms_test_shared("corpus/docx");
    if (!dir)
        cr_skip("../shared/corpus is absent");
    DIR *d = opendir(dir);
    if (!d) {
        free(dir);
        cr_skip("../shared/corpus/docx is absent");
    }
    struct dirent *e;
    int checked = 0;
    while ((e = readdir(d)) && checked < 150) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct qms_err err = {{0}};
        struct qms_doc *doc = NULL;
        if (qms_read_file(&doc, path, e->d_name, NULL, &err) != 0)
            continue; /* unreadable files are the readers' business */
        const struct qms_meta *m = NULL;
        cr_assert_eq(qms_meta_extract(&m, doc, qms_doc_arena(doc), opts, &err), 0, "%s: %s",
                     e->d_name, err.msg);
        for (int f = 0; f < QMS_META_N_FIELDS; f++)
            for (size_t i = 0; i < m->fields[f].n; i++) {
                const struct qms_meta_value *v = &m->fields[f].items[i];
                cr_assert(v->value && v->raw, "%s: %s value without text", e->d_name,
                          qms_meta_field_name(f));
                cr_expect_leq(strlen(v->raw), 512);
                cr_expect(v->source >= QMS_META_SRC_FRONT_MATTER && v->source <= QMS_META_SRC_ID_PREFIX);
            }
        qms_doc_free(doc);
        checked++;
    }
    closedir(d);
    free(dir);
    cr_expect_gt(checked, 0);
}

#include <pthread.h>

struct worker {
    const char *name;
    int ok;
};

static void *extract_many(void *arg)
{
    struct worker *w = arg;
    char rel[256];
    snprintf(rel, sizeof rel, "meta/%s", w->name);
    char *path = qms_test_fixture(rel);
    w->ok = 1;
    for (int i = 0; i < 40 && w->ok; i++) {
        struct qms_err err = {{0}};
        struct qms_doc *doc = NULL;
        const struct qms_meta *m = NULL;
        if (qms_read_file(&doc, path, w->name, NULL, &err) ||
            qms_meta_extract(&m, doc, qms_doc_arena(doc), opts, &err) || !qms_meta_first(m, QMS_META_ID))
            w->ok = 0;
        qms_doc_free(doc);
    }
    free(path);
    return NULL;
}

/* The engine extracts on every worker thread with one shared qms_meta_opts. */
Test(meta_packages, extraction_shares_options_between_threads)
{
    struct worker w[4] = {{"QP-012_Rev03.docx", 0}, {"PP_05_01_Compras.odt", 0},
                          {"QP-007_RevC.md", 0}, {"QP-012_Rev03.docx", 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, extract_many, &w[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_expect(w[i].ok, "%s failed on a thread", w[i].name);
    }
}

/* Regression (shared corpus, skipped when absent): the footers of this form end in
   "Version: 1.10.09" and "Version: 8.28.2011", the dates of the form's layout. They were read
   as two revisions that disagree (revision/inconsistent on a document with no revision). */
Test(meta_packages, footer_dates_under_version_are_not_revisions_in_a_real_form)
{
    char *path = qms_test_shared("corpus/docx/ShayHill__docx2python__tests_resources_checked_boxes.docx");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        free(path);
        cr_skip("../shared/corpus is absent");
    }
    fclose(f);
    struct qms_err err = {{0}};
    cr_assert_eq(qms_read_file(&D, path, "checked_boxes.docx", NULL, &err), 0, "%s", err.msg);
    free(path);
    const struct qms_meta *m = NULL;
    cr_assert_eq(qms_meta_extract(&m, D, qms_doc_arena(D), opts, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < m->fields[QMS_META_REVISION].n; i++)
        cr_expect_fail("revision '%s' from %s", m->fields[QMS_META_REVISION].items[i].raw,
                       qms_meta_source_name(m->fields[QMS_META_REVISION].items[i].source));
}
