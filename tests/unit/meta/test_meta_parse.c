/* Parsing helpers of the metadata extractor: dates, revisions, IDs, placeholders, labels. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "meta.h"
#include "testutil.h"

/* rules/ of the source tree (the path is freed here so leak checks stay quiet). */
static const char *rules_dir(void)
{
    static char dir[4096];
    char *p = qms_test_source("rules");
    snprintf(dir, sizeof dir, "%s", p ? p : "rules");
    free(p);
    return dir;
}
#include "ynode.h"

static struct qms_meta_opts *load(const char *yaml)
{
    struct qms_err err = {{0}};
    const struct qms_node *cfg = NULL;
    static struct qms_arena *cfg_arena;
    if (yaml) {
        qms_arena_free(cfg_arena); /* the previous load's config, if any */
        cfg_arena = qms_arena_new(0);
        cr_assert_eq(qms_yaml_parse(&cfg, cfg_arena, "test.yml", yaml, strlen(yaml), 0, &err), 0,
                     "%s", err.msg);
    }
    struct qms_meta_opts *o = NULL;
    int rc = qms_meta_opts_load(&o, rules_dir(), cfg, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    return o;
}

static int32_t date_of(const struct qms_meta_opts *o, const char *s, uint32_t *flags)
{
    int32_t days = 0;
    *flags = 0;
    int ok = qms_meta_parse_date(o, s, strlen(s), &days, flags);
    return ok ? days : -1;
}

#define ASSERT_DATE(o, text, y, m, d)                                                            \
    do {                                                                                         \
        uint32_t fl_;                                                                            \
        int32_t got_ = date_of(o, text, &fl_);                                                   \
        cr_expect_eq(got_, qms_meta_days(y, m, d), "%s: got %d flags %u", text, got_, fl_);      \
    } while (0)

Test(meta_date, iso_8601_with_and_without_time)
{
    struct qms_meta_opts *o = load(NULL);
    ASSERT_DATE(o, "2024-03-12", 2024, 3, 12);
    ASSERT_DATE(o, "2024-03-12T10:15:00Z", 2024, 3, 12);
    ASSERT_DATE(o, "  2024/03/12 ", 2024, 3, 12);
    ASSERT_DATE(o, "20240312", 2024, 3, 12);
    cr_expect_eq(qms_meta_days(1970, 1, 1), 0);
    qms_meta_opts_free(o);
}

Test(meta_date, day_first_and_month_first_when_unambiguous)
{
    struct qms_meta_opts *o = load(NULL);
    ASSERT_DATE(o, "13/03/2024", 2024, 3, 13);
    ASSERT_DATE(o, "03/13/2024", 2024, 3, 13);
    ASSERT_DATE(o, "05/05/2024", 2024, 5, 5);
    ASSERT_DATE(o, "12.03.2024", 2024, 3, 12); /* dots are day-first */
    ASSERT_DATE(o, "13-03-24", 2024, 3, 13);
    qms_meta_opts_free(o);
}

Test(meta_date, ambiguous_date_is_flagged_not_guessed)
{
    struct qms_meta_opts *o = load(NULL);
    uint32_t fl;
    cr_expect_eq(date_of(o, "03/04/2024", &fl), -1);
    cr_expect(fl & QMS_META_AMBIGUOUS);
    cr_expect_not(fl & QMS_META_UNPARSED);
    qms_meta_opts_free(o);
}

Test(meta_date, configured_order_resolves_ambiguity)
{
    struct qms_meta_opts *dmy = load("date_order: dmy\n");
    ASSERT_DATE(dmy, "03/04/2024", 2024, 4, 3);
    uint32_t fl;
    cr_expect_eq(date_of(dmy, "03/13/2024", &fl), -1, "13 is not a month in d/m/y");
    cr_expect(fl & QMS_META_UNPARSED);
    qms_meta_opts_free(dmy);
    struct qms_meta_opts *mdy = load("date_order: mdy\n");
    ASSERT_DATE(mdy, "03/04/2024", 2024, 3, 4);
    ASSERT_DATE(mdy, "12.03.2024", 2024, 3, 12); /* dots stay day-first */
    qms_meta_opts_free(mdy);
}

Test(meta_date, month_names_in_four_languages)
{
    struct qms_meta_opts *o = load(NULL);
    ASSERT_DATE(o, "12 March 2024", 2024, 3, 12);
    ASSERT_DATE(o, "March 12, 2024", 2024, 3, 12);
    ASSERT_DATE(o, "12th Mar 2024", 2024, 3, 12);
    ASSERT_DATE(o, "12. März 2024", 2024, 3, 12);
    ASSERT_DATE(o, "12 de marzo de 2024", 2024, 3, 12);
    ASSERT_DATE(o, "12 mars 2024", 2024, 3, 12);
    ASSERT_DATE(o, "1er décembre 2023", 2023, 12, 1);
    ASSERT_DATE(o, "3 août 2022", 2022, 8, 3);
    ASSERT_DATE(o, "15-Feb-2021", 2021, 2, 15);
    ASSERT_DATE(o, "Juni 2020", 2020, 6, 1);
    ASSERT_DATE(o, "Tuesday, 12 March 2024", 2024, 3, 12);
    ASSERT_DATE(o, "Dienstag, 12. März 2024", 2024, 3, 12);
    ASSERT_DATE(o, "martes, 12 de marzo de 2024", 2024, 3, 12);
    ASSERT_DATE(o, "mardi 12 mars 2024", 2024, 3, 12);
    qms_meta_opts_free(o);
}

Test(meta_date, impossible_and_garbage_dates_are_unparsed)
{
    struct qms_meta_opts *o = load(NULL);
    const char *bad[] = {"31/02/2024", "2024-13-01", "next Tuesday", "12 Smarch 2024", "1/2",
                         "2024-03-12-5", "99999999999999", "12//2024", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint32_t fl;
        cr_expect_eq(date_of(o, bad[i], &fl), -1, "%s parsed", bad[i]);
        cr_expect(fl & QMS_META_UNPARSED, "%s not flagged", bad[i]);
    }
    qms_meta_opts_free(o);
}

static int rev(const struct qms_meta_opts *o, const char *s, char *canon, enum qms_rev_scheme *sc,
               uint64_t *key)
{
    return qms_meta_parse_revision(o, s, strlen(s), canon, 32, sc, key);
}

Test(meta_revision, letters_order_past_z)
{
    struct qms_meta_opts *o = load(NULL);
    char c[32];
    enum qms_rev_scheme s;
    uint64_t a, z, aa, ab;
    cr_assert(rev(o, "A", c, &s, &a));
    cr_expect_eq(s, QMS_REV_LETTER);
    cr_assert(rev(o, "Z", c, &s, &z));
    cr_assert(rev(o, "AA", c, &s, &aa));
    cr_expect_str_eq(c, "AA");
    cr_assert(rev(o, "ab", c, &s, &ab) == 0, "lower-case two letters are prose");
    cr_assert(rev(o, "AB", c, &s, &ab));
    cr_expect(a < z && z < aa && aa < ab);
    cr_assert(rev(o, "Rev. C", c, &s, &a));
    cr_expect_str_eq(c, "C");
    cr_assert(rev(o, "rev c", c, &s, &a));
    cr_expect_str_eq(c, "C");
    qms_meta_opts_free(o);
}

Test(meta_revision, numbers_two_digit_and_r_numbers_share_a_key)
{
    struct qms_meta_opts *o = load(NULL);
    char c[32];
    enum qms_rev_scheme s;
    uint64_t k1, k2, k3, k4;
    cr_assert(rev(o, "03", c, &s, &k1));
    cr_expect_str_eq(c, "3");
    cr_expect_eq(s, QMS_REV_NUMBER);
    cr_assert(rev(o, "r3", c, &s, &k2));
    cr_assert(rev(o, "R03", c, &s, &k3));
    cr_assert(rev(o, "Issue 3", c, &s, &k4));
    cr_expect(k1 == k2 && k2 == k3 && k3 == k4);
    cr_assert(rev(o, "Revisión 05", c, &s, &k1));
    cr_expect_str_eq(c, "5");
    cr_assert(rev(o, "00", c, &s, &k1));
    cr_expect_str_eq(c, "0");
    qms_meta_opts_free(o);
}

Test(meta_revision, dotted_versions_order_numerically)
{
    struct qms_meta_opts *o = load(NULL);
    char c[32];
    enum qms_rev_scheme s;
    uint64_t v1, v10, v12, v110, v2;
    cr_assert(rev(o, "1", c, &s, &v1));
    cr_assert(rev(o, "1.0", c, &s, &v10));
    cr_expect_eq(s, QMS_REV_DOTTED);
    cr_assert(rev(o, "v1.2", c, &s, &v12));
    cr_assert(rev(o, "Version 1.10 (draft)", c, &s, &v110));
    cr_expect_str_eq(c, "1.10");
    cr_assert(rev(o, "R 0.1", c, &s, &v2));
    cr_expect_str_eq(c, "0.1");
    cr_assert(rev(o, "2.0.0", c, &s, &v2));
    cr_expect(v1 == v10 && v10 < v12 && v12 < v110 && v110 < v2);
    qms_meta_opts_free(o);
}

Test(meta_revision, non_revisions_are_refused)
{
    struct qms_meta_opts *o = load(NULL);
    char c[32];
    enum qms_rev_scheme s;
    uint64_t k;
    const char *bad[] = {"Draft", "03/12/2024", "1.2.3.4", "ABCD", "", "Rev.", "#", "12345678"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_expect_eq(rev(o, bad[i], c, &s, &k), 0, "%s accepted as a revision", bad[i]);
    qms_meta_opts_free(o);
}

static const char *id_in(const struct qms_meta_opts *o, const char *s, char *buf)
{
    size_t a = 0, b = 0;
    if (!qms_meta_find_id(o, s, strlen(s), 0, &a, &b))
        return "";
    memcpy(buf, s + a, b - a);
    buf[b - a] = '\0';
    return buf;
}

Test(meta_id, default_pattern_matches_the_usual_schemes)
{
    struct qms_meta_opts *o = load(NULL);
    const char *ids[] = {"QM-001", "QP-7.5-01", "SOP-IT-004", "WI.SH.001", "PG 01", "RPG 01 01",
                         "FRM-004-01", "SOP-01", "PP 05 01", "SOP-4.2.4-001", "JD-QM-001",
                         "QP/01"};
    char buf[64];
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        cr_expect_str_eq(id_in(o, ids[i], buf), ids[i]);
        char text[128];
        snprintf(text, sizeof text, "See %s, section 4.", ids[i]);
        cr_expect_str_eq(id_in(o, text, buf), ids[i], "in a sentence: %s", text);
    }
    qms_meta_opts_free(o);
}

Test(meta_id, default_pattern_skips_words_years_standards_and_clauses)
{
    struct qms_meta_opts *o = load(NULL);
    const char *texts[] = {"Quality procedure", "in 2024", "ISO 9001", "ISO 9001:2015",
                           "clause 7.5.1", "7.5.1", "Rev 01", "REV 01", "PAGE 2", "Page 1 of 3",
                           "EN 45001", "a b-1"};
    char buf[64];
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        cr_expect_str_eq(id_in(o, texts[i], buf), "", "%s matched", texts[i]);
    qms_meta_opts_free(o);
}

Test(meta_id, configured_pattern_replaces_the_default)
{
    struct qms_meta_opts *o = load("id_pattern: 'DOC[0-9]{4}'\n");
    char buf[64];
    cr_expect_str_eq(id_in(o, "see DOC1234 now", buf), "DOC1234");
    cr_expect_str_eq(id_in(o, "QM-001", buf), "");
    qms_meta_opts_free(o);
}

Test(meta_opts, bad_config_values_name_the_place)
{
    struct qms_err err = {{0}};
    struct qms_arena *a = qms_arena_new(0);
    const struct qms_node *cfg = NULL;
    const char *y = "date_order: dym\n";
    cr_assert_eq(qms_yaml_parse(&cfg, a, "cfg.yml", y, strlen(y), 0, &err), 0);
    struct qms_meta_opts *o = NULL;
    cr_expect_eq(qms_meta_opts_load(&o, rules_dir(), cfg, &err), QMS_ECONFIG);
    cr_expect(strstr(err.msg, "cfg.yml:1:") && strstr(err.msg, "dym"), "%s", err.msg);
    y = "id_pattern: 'QP-(['\n";
    cr_assert_eq(qms_yaml_parse(&cfg, a, "cfg.yml", y, strlen(y), 0, &err), 0);
    cr_expect_eq(qms_meta_opts_load(&o, rules_dir(), cfg, &err), QMS_ECONFIG);
    cr_expect(strstr(err.msg, "id_pattern"), "%s", err.msg);
    cr_expect_eq(qms_meta_opts_load(&o, "/nonexistent-rules", NULL, &err), QMS_EIO);
    cr_expect(strstr(err.msg, "labels.yml"), "%s", err.msg);
    cr_expect_eq(qms_meta_opts_load(&o, NULL, NULL, &err), QMS_EIO);
    qms_arena_free(a);
}

Test(meta_placeholder, masks_brackets_and_words_mean_no_value)
{
    struct qms_meta_opts *o = load(NULL);
    const char *yes[] = {"YYYY-MM-DD", "[DATE]", "DD/MM/YYYY", "TBD", "", "  ", "Un-named",
                         "<name>", "XX/XX/XXXX", "—", "TT.MM.JJJJ", "Click or tap here to enter text.",
                         "N/A", "{{ date }}"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        cr_expect(qms_meta_is_placeholder(o, yes[i], strlen(yes[i])), "%s", yes[i]);
    const char *no[] = {"2024-03-12", "C", "QP-007", "Jane Doe", "Draft", "D"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        cr_expect_not(qms_meta_is_placeholder(o, no[i], strlen(no[i])), "%s", no[i]);
    qms_meta_opts_free(o);
}

Test(meta_label, normalization_ignores_case_accents_and_punctuation)
{
    char a[64], b[64];
    qms_meta_norm(a, sizeof a, "Doc. No.:", 9);
    qms_meta_norm(b, sizeof b, "doc_no", 6);
    cr_expect_str_eq(a, b);
    qms_meta_norm(a, sizeof a, "Código", strlen("Código"));
    cr_expect_str_eq(a, "codigo");
    qms_meta_norm(a, sizeof a, "APPROUVÉ PAR", strlen("APPROUVÉ PAR"));
    cr_expect_str_eq(a, "approuvepar");
    qms_meta_norm(a, sizeof a, "Nº", strlen("Nº"));
    cr_expect_str_eq(a, "no");
}

Test(meta_label, longest_label_wins_and_words_end_at_boundaries)
{
    struct qms_meta_opts *o = load(NULL);
    const char *s = "Approved by: J. Smith";
    size_t end = 0;
    const struct qms_meta_word *w = qms_meta_match_list(&o->labels, s, strlen(s), 0, &end);
    cr_assert(w);
    cr_expect_eq(w->what, QMS_META_APPROVER);
    cr_expect_eq(end, strlen("Approved by"));
    s = "Review of records";
    w = qms_meta_match_list(&o->labels, s, strlen(s), 0, &end);
    cr_expect(!w || w->what != QMS_META_REVISION, "'rev' matched inside 'Review'");
    const char *langs[][2] = {{"Dokumentnummer", "id"}, {"Código", "id"}, {"Référence", "id"},
                              {"Freigegeben von", "approver"}, {"Aprobado por", "approver"},
                              {"Approuvé par", "approver"}, {"Revisión", "revision"},
                              {"Indice", "revision"}, {"Doc #", "id"}, {"Gültig ab", "effective_date"}};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
        w = qms_meta_match_list(&o->labels, langs[i][0], strlen(langs[i][0]), 0, &end);
        cr_expect(w && !strcmp(qms_meta_field_name(w->what), langs[i][1]), "%s", langs[i][0]);
    }
    qms_meta_opts_free(o);
}

Test(meta_opts, bad_vocabulary_file_names_the_place)
{
    char *dir = qms_test_tmpdir();
    cr_assert(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/labels.yml", dir);
    const char *y = "labels:\n  id: [doc no]\n  colour: [hue]\n";
    cr_assert_eq(qms_test_write(path, y, strlen(y)), 0);
    struct qms_err err = {{0}};
    struct qms_meta_opts *o = NULL;
    cr_expect_eq(qms_meta_opts_load(&o, dir, NULL, &err), QMS_ECONFIG);
    cr_expect(strstr(err.msg, "labels.yml:3:") && strstr(err.msg, "colour"), "%s", err.msg);
    y = "labels:\n  id: [doc no]\n";
    cr_assert_eq(qms_test_write(path, y, strlen(y)), 0);
    cr_expect_eq(qms_meta_opts_load(&o, dir, NULL, &err), QMS_ECONFIG);
    cr_expect(strstr(err.msg, "status"), "a missing section is named: %s", err.msg);
    free(dir);
}

Test(meta_rev, dates_are_not_revisions)
{
    struct qms_meta_opts *o = load(NULL);
    char canon[64];
    enum qms_rev_scheme scheme;
    uint64_t key;
    static const char *const dates[] = {"8.28.2011", "12.03.2024", "2024-03-12", "1.10.09",
                                        "03/2024", "2024-03", "Version 12.03.2024", "03.2024",
                                        NULL};
    for (int i = 0; dates[i]; i++)
        cr_expect_eq(qms_meta_parse_revision(o, dates[i], strlen(dates[i]), canon, sizeof canon,
                                             &scheme, &key), 0, "'%s' read as a revision", dates[i]);
    static const char *const revs[] = {"1.2.3", "2.0.1", "1.10", "10", "2024", "01", "1.0", NULL};
    for (int i = 0; revs[i]; i++)
        cr_expect_eq(qms_meta_parse_revision(o, revs[i], strlen(revs[i]), canon, sizeof canon,
                                             &scheme, &key), 1, "'%s' not read as a revision", revs[i]);
    qms_meta_opts_free(o);
}

Test(meta_id, configured_pattern_sets_the_match_flag_in_the_record)
{
    struct qms_meta_opts *o = load("id_pattern: 'DOC[0-9]{4}'\n");
    struct qms_docb b;
    struct qms_doc *d = NULL;
    struct qms_location loc = {0};
    cr_assert_eq(qms_docb_init(&b, "x.md", QMS_FORMAT_MARKDOWN, NULL), 0);
    cr_assert(qms_docb_add_property(&b, QMS_PROP_FRONT_MATTER, "doc_id", "DOC1234", "string", loc));
    cr_assert(qms_docb_add_property(&b, QMS_PROP_FRONT_MATTER, "id", "QP-007", "string", loc));
    cr_assert_eq(qms_docb_finish(&b, &d), 0);
    const struct qms_meta *m = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_meta_extract(&m, d, qms_doc_arena(d), o, &err), 0, "%s", err.msg);
    cr_assert_eq(m->fields[QMS_META_ID].n, 2);
    cr_expect(m->fields[QMS_META_ID].items[0].flags & QMS_META_ID_MATCH);
    cr_expect_not(m->fields[QMS_META_ID].items[1].flags & QMS_META_ID_MATCH);
    cr_expect(m->fields[QMS_META_ID].items[1].flags & QMS_META_UNPARSED);
    qms_doc_free(d);
    qms_meta_opts_free(o);
}

/* German footers write the month of the issue: "Stand: 03/2024", "Ausgabe 03.2024". */
Test(meta_date, month_and_year_is_the_first_of_the_month)
{
    struct qms_meta_opts *o = load(NULL);
    uint32_t fl = 0;
    cr_expect_eq(date_of(o, "03/2024", &fl), qms_meta_days(2024, 3, 1));
    cr_expect_eq(date_of(o, "3.2024", &fl), qms_meta_days(2024, 3, 1));
    cr_expect_eq(date_of(o, "13/2024", &fl), -1);
    cr_expect(fl & QMS_META_UNPARSED);
    cr_expect_eq(date_of(o, "03 2024", &fl), -1, "no separator: two numbers, not a date");
    qms_meta_opts_free(o);
}
