/* German, Spanish and French document sets (fixtures/i18n, written by generate.py there) through
 * the real engine: readers, metadata extractor, scheduler and the structure and revision
 * plugins. Every document exists as Markdown, DOCX (Word-like XML) and ODT (LibreOffice-like
 * XML). The clean sets must give no finding at all; the defect sets exactly the deliberate
 * ones; and the metadata record must read each language's labels, dates and status words the
 * same way in every format. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>

#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

#define TODAY "2025-06-01"

static int32_t days(const char *iso)
{
    int y = 0, m = 0, d = 0;
    sscanf(iso, "%d-%d-%d", &y, &m, &d);
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static struct qms_result *result;

static int with_xref; /* also load the xref plugin */

/* Checks fixtures/i18n/<lang>/<set> (or the folder `set` when it is absolute) with the
 * language's config (when it has one). */
static void run_set(const char *lang, const char *set)
{
    static const char *const plugin_paths[] = {QMS_TEST_PLUGIN_DIR};
    static const char *const only[] = {"structure", "revision", "xref"};
    struct qms_err err = {{0}};
    struct qms_config *cfg = NULL;
    struct qms_engine *engine = NULL;
    struct qms_inputs inputs;
    struct qms_run_opts opts;
    char rel[256];

    snprintf(rel, sizeof rel, "i18n/%s/.qmslint.yml", lang);
    char *cfg_path = qms_test_fixture(rel);
    FILE *f = fopen(cfg_path, "r");
    if (f) {
        fclose(f);
        cr_assert_eq(qms_config_load(&cfg, cfg_path, &err), 0, "%s", err.msg);
    } else {
        cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
    }
    free(cfg_path);
    memset(&opts, 0, sizeof opts);
    opts.jobs = 2;
    opts.today = days(TODAY);
    opts.plugin_paths = plugin_paths;
    opts.n_plugin_paths = 1;
    opts.rules_dir = QMS_TEST_SOURCE_DIR "/rules";
    opts.only_plugins = only;
    opts.n_only_plugins = with_xref ? 3 : 2;
    cr_assert_eq(qms_engine_new(&engine, cfg, &opts, &err), 0, "%s", err.msg);

    snprintf(rel, sizeof rel, "i18n/%s/%s", lang, set);
    char *root = set[0] == '/' ? strdup(set) : qms_test_fixture(rel);
    const char *paths[] = {root};
    memset(&inputs, 0, sizeof inputs);
    cr_assert_eq(qms_discover(&inputs, paths, 1, root, cfg, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_run(engine, &inputs, &result, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < result->n_docs; i++)
        cr_assert_not(result->docs[i].unreadable, "%s unreadable: %s", result->docs[i].path,
                      result->docs[i].reason ? result->docs[i].reason : "?");
    qms_inputs_free(&inputs);
    qms_engine_free(engine);
    qms_config_free(cfg);
    free(root);
}

static void finish(void)
{
    qms_result_free(result);
    result = NULL;
}

TestSuite(i18n, .fini = finish);

static void dump_findings(void)
{
    for (size_t i = 0; i < result->n_findings; i++)
        fprintf(stderr, "  %s: %s: %s\n", result->findings[i].path, result->findings[i].rule_id,
                result->findings[i].message);
}

static const char *base(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Findings of `rule` in the document `name` (file name with extension). */
static size_t count(const char *name, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < result->n_findings; i++)
        n += strcmp(base(result->findings[i].path), name) == 0 &&
             strcmp(result->findings[i].rule_id, rule) == 0;
    return n;
}

/* ---- clean sets: no finding at all ---- */

static void expect_clean(const char *lang)
{
    run_set(lang, "clean");
    cr_expect_eq(result->n_docs, 12, "%s: 4 documents x 3 formats, got %zu", lang, result->n_docs);
    if (result->n_findings)
        dump_findings();
    cr_expect_eq(result->n_findings, 0, "%s clean set: %zu findings", lang, result->n_findings);
}

Test(i18n, german_clean_set_has_no_findings) { expect_clean("de"); }
Test(i18n, spanish_clean_set_has_no_findings) { expect_clean("es"); }
Test(i18n, french_clean_set_has_no_findings) { expect_clean("fr"); }

/* ---- the metadata record, per document and format ---- */

struct expect {
    const char *name;     /* file name without extension */
    const char *id, *title, *revision, *status, *effective, *approver, *type, *owner;
    int history_rows;     /* revision-history rows, or -1 for no history table */
    int register_rows;    /* master-list entries */
};

static const struct qms_doc_summary *summary(const char *name, const char *ext)
{
    char want[256];
    snprintf(want, sizeof want, "%s.%s", name, ext);
    for (size_t i = 0; i < result->n_docs; i++)
        if (strcmp(base(result->docs[i].path), want) == 0)
            return &result->docs[i];
    return NULL;
}

/* Every usable value of the field equals `want` (no source disagrees), and there is one. */
static void expect_field(const struct qms_meta *m, enum qms_meta_field f, const char *want,
                         const char *doc)
{
    size_t usable = 0;
    for (size_t i = 0; i < m->fields[f].n; i++) {
        const struct qms_meta_value *v = &m->fields[f].items[i];
        if (v->flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED | QMS_META_AMBIGUOUS))
            continue;
        usable++;
        /* titles from the file name lose their accents (file names are ASCII) */
        if (f == QMS_META_TITLE && v->source == QMS_META_SRC_FILE_NAME)
            continue;
        cr_expect_str_eq(v->value, want, "%s: %s from %s is '%s' (raw '%s'), expected '%s'", doc,
                         qms_meta_field_name(f), qms_meta_source_name(v->source), v->value,
                         v->raw, want);
    }
    cr_expect_gt(usable, 0, "%s: no %s found", doc, qms_meta_field_name(f));
}

static void expect_meta(const char *lang, const struct expect *e, size_t n)
{
    static const char *const exts[] = {"md", "docx", "odt"};
    run_set(lang, "clean");
    for (size_t k = 0; k < n; k++)
        for (int x = 0; x < 3; x++) {
            char doc[300];
            snprintf(doc, sizeof doc, "%s.%s", e[k].name, exts[x]);
            const struct qms_doc_summary *s = summary(e[k].name, exts[x]);
            cr_assert(s, "%s not checked", doc);
            cr_assert(s->meta, "%s has no metadata record", doc);
            const struct qms_meta *m = s->meta;
            expect_field(m, QMS_META_ID, e[k].id, doc);
            expect_field(m, QMS_META_TITLE, e[k].title, doc);
            expect_field(m, QMS_META_REVISION, e[k].revision, doc);
            expect_field(m, QMS_META_STATUS, e[k].status, doc);
            expect_field(m, QMS_META_EFFECTIVE_DATE, e[k].effective, doc);
            expect_field(m, QMS_META_APPROVER, e[k].approver, doc);
            /* the type: declared, else from the ID prefix, comes first; a form's title names
               the record it produces ("Informe de no conformidad"), kept as a further value */
            const struct qms_meta_value *t = qms_meta_first(m, QMS_META_TYPE);
            cr_expect(t && !strcmp(t->value, e[k].type), "%s: type '%s', expected '%s'", doc,
                      t ? t->value : "(none)", e[k].type);
            if (e[k].owner)
                expect_field(m, QMS_META_OWNER, e[k].owner, doc);
            else
                cr_expect_eq(m->fields[QMS_META_OWNER].n, 0, "%s: owner '%s'", doc,
                             m->fields[QMS_META_OWNER].n ? m->fields[QMS_META_OWNER].items[0].raw : "");
            if (e[k].history_rows >= 0) {
                cr_expect_eq(m->n_history, (size_t)e[k].history_rows, "%s: %zu history rows", doc,
                             m->n_history);
                if (m->n_history)
                    cr_expect_str_eq(m->history[m->history_current].revision.value, e[k].revision,
                                     "%s: current history row", doc);
            }
            cr_expect_eq(m->n_register_entries, (size_t)e[k].register_rows,
                         "%s: %zu register entries", doc, m->n_register_entries);
            for (size_t r = 0; r < m->n_register_entries; r++) {
                const struct qms_meta_register_entry *re = &m->register_entries[r];
                cr_expect(re->id.flags & QMS_META_ID_MATCH, "%s: register id '%s'", doc, re->id.raw);
                cr_expect(re->date.date > 0, "%s: register date '%s'", doc, re->date.raw);
                cr_expect(re->revision.rev_scheme != QMS_REV_NONE, "%s: register revision '%s'", doc,
                          re->revision.raw);
                cr_expect(re->status.value[0], "%s: register status '%s'", doc, re->status.raw);
            }
        }
}

Test(i18n, german_metadata_in_every_format)
{
    static const struct expect e[] = {
        {"VA-7.5-01_Lenkung_von_Dokumenten", "VA-7.5-01", "Lenkung von Dokumenten", "3",
         "approved", "2024-03-12", "Dr. Klaus Weber", "procedure", "Anna Schmidt", 3, 0},
        {"AA-8.5-02_Wareneingangspruefung", "AA-8.5-02", "Wareneingangsprüfung", "2", "approved",
         "2024-09-02", "Anna Schmidt", "work-instruction", "Jonas Becker", 2, 0},
        {"FB-8.7-01_Fehlermeldung", "FB-8.7-01", "Fehlermeldung", "2", "approved", "2024-04-10",
         "Dr. Klaus Weber", "form", NULL, 2, 0},
        {"LM-4.4-01_Dokumentenliste", "LM-4.4-01", "Dokumentenliste", "5", "approved",
         "2024-09-02", "Anna Schmidt", "register", NULL, -1, 4},
    };
    expect_meta("de", e, sizeof e / sizeof e[0]);
    const struct qms_meta *m = summary("VA-7.5-01_Lenkung_von_Dokumenten", "odt")->meta;
    expect_field(m, QMS_META_REVIEW_DATE, "2026-03-12", "VA-7.5-01 odt");
    expect_field(m, QMS_META_APPROVAL_DATE, "2024-03-05", "VA-7.5-01 odt");
}

Test(i18n, spanish_metadata_in_every_format)
{
    static const struct expect e[] = {
        {"PG-7.5-01_Control_de_la_documentacion", "PG-7.5-01", "Control de la documentación",
         "2", "effective", "2024-03-18", "Juan Pérez", "procedure", "María López", 3, 0},
        {"IT-8.5-01_Recepcion_de_materiales", "IT-8.5-01", "Recepción de materiales", "1",
         "effective", "2024-10-14", "María López", "work-instruction", "Pedro Sánchez", 2, 0},
        {"FO-8.7-01_Informe_de_no_conformidad", "FO-8.7-01", "Informe de no conformidad", "1",
         "effective", "2024-04-22", "Juan Pérez", "form", NULL, 2, 0},
        {"LM-4.4-01_Lista_maestra_de_documentos", "LM-4.4-01", "Lista maestra de documentos",
         "4", "effective", "2024-10-14", "María López", "register", NULL, -1, 4},
    };
    expect_meta("es", e, sizeof e / sizeof e[0]);
    const struct qms_meta *m = summary("PG-7.5-01_Control_de_la_documentacion", "docx")->meta;
    expect_field(m, QMS_META_APPROVAL_DATE, "2024-03-15", "PG-7.5-01 docx");
    /* 17/06/2022 and 25/01/2021 in the history are day first by the set's date_order */
    cr_expect_eq(m->history[0].date.date, days("2021-01-25"));
    cr_expect_eq(m->history[1].date.date, days("2022-06-17"));
}

Test(i18n, french_metadata_in_every_format)
{
    static const struct expect e[] = {
        {"PR-7.5-01_Maitrise_des_informations_documentees", "PR-7.5-01",
         "Maîtrise des informations documentées", "C", "approved", "2024-03-12",
         "Philippe Dubois", "procedure", "Claire Martin", 3, 0},
        {"IT-8.5-01_Controle_a_reception", "IT-8.5-01", "Contrôle à réception", "B", "approved",
         "2024-09-02", "Claire Martin", "work-instruction", "Luc Bernard", 2, 0},
        {"FOR-8.7-01_Fiche_de_non-conformite", "FOR-8.7-01", "Fiche de non-conformité", "B",
         "approved", "2024-04-22", "Philippe Dubois", "form", NULL, 2, 0},
        {"DL-01_Liste_des_documents", "DL-01", "Liste des documents", "D", "approved",
         "2024-09-02", "Claire Martin", "register", NULL, -1, 4},
    };
    expect_meta("fr", e, sizeof e / sizeof e[0]);
    const struct qms_meta *m = summary("PR-7.5-01_Maitrise_des_informations_documentees", "md")->meta;
    expect_field(m, QMS_META_APPROVAL_DATE, "2024-03-05", "PR-7.5-01 md");
    cr_expect_eq(m->history[1].date.date, days("2022-06-20"), "20 juin 2022");
}

/* ---- defect sets: exactly the deliberate findings ---- */

struct want {
    const char *doc;   /* file name */
    const char *rule;
    size_t n;
};

static void expect_exactly(const struct want *w, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(count(w[i].doc, w[i].rule), w[i].n, "%s: %zu x %s, expected %zu", w[i].doc,
                     count(w[i].doc, w[i].rule), w[i].rule, w[i].n);
        total += w[i].n;
    }
    if (result->n_findings != total)
        dump_findings();
    cr_expect_eq(result->n_findings, total, "%zu findings, expected %zu", result->n_findings, total);
}

Test(i18n, german_defects_give_exactly_the_deliberate_findings)
{
    run_set("de", "defects");
    static const struct want w[] = {
        /* no "Geltungsbereich" */
        {"VA-8.2-01_Kundenreklamationen.md", "structure/missing-section", 1},
        {"VA-8.2-01_Kundenreklamationen.docx", "structure/missing-section", 1},
        {"VA-8.2-01_Kundenreklamationen.odt", "structure/missing-section", 1},
        /* the footer says Revision 04 (Markdown has no footer) */
        {"VA-8.2-01_Kundenreklamationen.docx", "revision/inconsistent", 1},
        {"VA-8.2-01_Kundenreklamationen.odt", "revision/inconsistent", 1},
        /* newest first 03, 01, 02: one revision step and one date step out of order */
        {"AA-8.5-03_Verpackung.md", "revision/history-order", 2},
        {"AA-8.5-03_Verpackung.docx", "revision/history-order", 2},
        {"AA-8.5-03_Verpackung.odt", "revision/history-order", 2},
    };
    expect_exactly(w, sizeof w / sizeof w[0]);
    /* the newest-first table still takes its first row (03) as current */
    const struct qms_meta *m = summary("AA-8.5-03_Verpackung", "docx")->meta;
    cr_expect_eq(m->history_current, 0);
}

Test(i18n, spanish_defects_give_exactly_the_deliberate_findings)
{
    run_set("es", "defects");
    static const struct want w[] = {
        /* "Aprobado por: Por definir" and "[Nombre de la empresa]" */
        {"PG-8.4-01_Compras.md", "revision/missing-field", 1},
        {"PG-8.4-01_Compras.docx", "revision/missing-field", 1},
        {"PG-8.4-01_Compras.odt", "revision/missing-field", 1},
        {"PG-8.4-01_Compras.md", "structure/placeholder-text", 2},
        {"PG-8.4-01_Compras.docx", "structure/placeholder-text", 2},
        {"PG-8.4-01_Compras.odt", "structure/placeholder-text", 2},
        /* empty "2. Alcance"; effective date 14/10/2027 */
        {"IT-8.5-02_Almacenamiento.md", "structure/empty-section", 1},
        {"IT-8.5-02_Almacenamiento.docx", "structure/empty-section", 1},
        {"IT-8.5-02_Almacenamiento.odt", "structure/empty-section", 1},
        {"IT-8.5-02_Almacenamiento.md", "revision/date-invalid", 1},
        {"IT-8.5-02_Almacenamiento.docx", "revision/date-invalid", 1},
        {"IT-8.5-02_Almacenamiento.odt", "revision/date-invalid", 1},
    };
    expect_exactly(w, sizeof w / sizeof w[0]);
}

Test(i18n, french_defects_give_exactly_the_deliberate_findings)
{
    run_set("fr", "defects");
    static const struct want w[] = {
        /* history A, C, B: out of order, its last row (B) disagrees with "Indice : C"; no
           "Approuvé par" anywhere */
        {"PR-8.5-01_Production.md", "revision/history-order", 2},
        {"PR-8.5-01_Production.docx", "revision/history-order", 2},
        {"PR-8.5-01_Production.odt", "revision/history-order", 2},
        {"PR-8.5-01_Production.md", "revision/inconsistent", 1},
        {"PR-8.5-01_Production.docx", "revision/inconsistent", 1},
        {"PR-8.5-01_Production.odt", "revision/inconsistent", 1},
        {"PR-8.5-01_Production.md", "revision/missing-field", 1},
        {"PR-8.5-01_Production.docx", "revision/missing-field", 1},
        {"PR-8.5-01_Production.odt", "revision/missing-field", 1},
        /* "3.1.1 Zone froide" skips a level; applicable since 15 February 2023 */
        {"IT-8.5-03_Stockage.md", "structure/heading-skip", 1},
        {"IT-8.5-03_Stockage.docx", "structure/heading-skip", 1},
        {"IT-8.5-03_Stockage.odt", "structure/heading-skip", 1},
        {"IT-8.5-03_Stockage.md", "revision/review-overdue", 1},
        {"IT-8.5-03_Stockage.docx", "revision/review-overdue", 1},
        {"IT-8.5-03_Stockage.odt", "revision/review-overdue", 1},
    };
    expect_exactly(w, sizeof w / sizeof w[0]);
}

/* ---- with cross-references: one format at a time (the same IDs in three formats would be
   duplicates), the procedures cite the work instruction, the form and the master list, and
   the master list lists all four ---- */

static void expect_clean_with_xref(const char *lang, const char *ext)
{
    char *so = malloc(strlen(QMS_TEST_PLUGIN_DIR) + 16);
    sprintf(so, "%s/xref.so", QMS_TEST_PLUGIN_DIR);
    FILE *f = fopen(so, "r");
    free(so);
    if (!f)
        cr_skip("the xref plugin is not built");
    fclose(f);
    static const char *const names[][4] = {
        {"VA-7.5-01_Lenkung_von_Dokumenten", "AA-8.5-02_Wareneingangspruefung",
         "FB-8.7-01_Fehlermeldung", "LM-4.4-01_Dokumentenliste"},
        {"PG-7.5-01_Control_de_la_documentacion", "IT-8.5-01_Recepcion_de_materiales",
         "FO-8.7-01_Informe_de_no_conformidad", "LM-4.4-01_Lista_maestra_de_documentos"},
        {"PR-7.5-01_Maitrise_des_informations_documentees", "IT-8.5-01_Controle_a_reception",
         "FOR-8.7-01_Fiche_de_non-conformite", "DL-01_Liste_des_documents"}};
    int l = !strcmp(lang, "de") ? 0 : !strcmp(lang, "es") ? 1 : 2;
    char *dir = qms_test_tmpdir();
    for (int k = 0; k < 4; k++) {
        char rel[256], dst[1024];
        snprintf(rel, sizeof rel, "i18n/%s/clean/%s.%s", lang, names[l][k], ext);
        char *src = qms_test_fixture(rel);
        size_t len = 0;
        char *data = qms_test_read(src, &len);
        cr_assert(data, "cannot read %s", src);
        snprintf(dst, sizeof dst, "%s/%s.%s", dir, names[l][k], ext);
        cr_assert_eq(qms_test_write(dst, data, len), 0);
        free(data);
        free(src);
    }
    with_xref = 1;
    run_set(lang, dir);
    with_xref = 0;
    free(dir);
    cr_expect_eq(result->n_docs, 4);
    if (result->n_findings)
        dump_findings();
    cr_expect_eq(result->n_findings, 0, "%s %s with xref: %zu findings", lang, ext,
                 result->n_findings);
}

Test(i18n, german_sets_cross_reference_cleanly)
{
    expect_clean_with_xref("de", "md");
    qms_result_free(result);
    expect_clean_with_xref("de", "docx");
    qms_result_free(result);
    expect_clean_with_xref("de", "odt");
}

Test(i18n, spanish_sets_cross_reference_cleanly)
{
    expect_clean_with_xref("es", "md");
    qms_result_free(result);
    expect_clean_with_xref("es", "docx");
    qms_result_free(result);
    expect_clean_with_xref("es", "odt");
}

Test(i18n, french_sets_cross_reference_cleanly)
{
    expect_clean_with_xref("fr", "md");
    qms_result_free(result);
    expect_clean_with_xref("fr", "docx");
    qms_result_free(result);
    expect_clean_with_xref("fr", "odt");
}
