/* iso9001 set-level coverage through a fake host, over fixtures/iso9001/full: the whole set
 * covers everything; removing one document at a time gives exactly its findings; weak
 * coverage; where set-level findings go; the coverage structure and its evidence. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

#define MISSING_DOC "iso9001/missing-documented-information"
#define MISSING_REC "iso9001/missing-record"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The Markdown documents of fixtures/iso9001/<dir>, sorted, without `skip` (may be NULL). */
static size_t load_set(const char *dir, const char *skip, const struct qms_doc **docs)
{
    char rel[256];
    snprintf(rel, sizeof rel, "fixtures/iso9001/%s", dir);
    char *path = qms_test_source(rel);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    char *names[FAKE_MAX_DOCS];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || (skip && strcmp(e->d_name, skip) == 0))
            continue;
        cr_assert_lt(n, FAKE_MAX_DOCS);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++) {
        char file[1024];
        snprintf(file, sizeof file, "%s/%s", path, names[i]);
        char *text = qms_test_read(file, NULL);
        cr_assert_not_null(text, "%s", file);
        docs[i] = fake_doc(fake_str(names[i]), text);
        free(text);
        free(names[i]);
    }
    free(path);
    return n;
}

static struct fake_host h;

static void run_set(const char *dir, const char *skip)
{
    const struct qms_doc *docs[FAKE_MAX_DOCS];
    memset(&h, 0, sizeof h);
    size_t n = load_set(dir, skip, docs);
    fake_check_set(&h, docs, n);
}

Test(iso9001, full_set_has_no_findings)
{
    run_set("full", NULL);
    if (h.n_findings)
        fake_dump(&h);
    cr_assert_eq(h.n_findings, 0);
}

Test(iso9001, full_set_coverage_statuses)
{
    const struct qms_doc *docs[FAKE_MAX_DOCS];
    void *state = NULL;
    memset(&h, 0, sizeof h);
    size_t n = load_set("full", NULL, docs);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_null(fake_coverage(state));
    cr_assert_eq(fake_run(&h, state, docs, n), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    cr_assert_not_null(cov);
    cr_assert_str_eq(cov->standard, "ISO 9001:2015");
    cr_assert_str_eq(cov->fix_path, "QM-001_Quality_Manual.md");
    cr_assert_eq(cov->n_items, 25);
    for (size_t i = 0; i < cov->n_items; i++) {
        const struct iso_coverage_item *it = &cov->items[i];
        if (strcmp(it->requirement, "calibration-basis") == 0 || strcmp(it->requirement, "customer-property") == 0) {
            cr_expect_eq(it->status, ISO_COV_NOT_APPLICABLE, "%s", it->requirement);
            cr_expect_eq(it->exclusion_unjustified, 0, "%s", it->requirement);
        } else {
            cr_expect_eq(it->status, ISO_COV_COVERED, "%s %s is %d", it->clause, it->requirement, it->status);
        }
    }
    cr_assert_eq(cov->counts[ISO_COV_COVERED], 23);
    cr_assert_eq(cov->counts[ISO_COV_NOT_APPLICABLE], 2);

    /* the evidence for the quality policy: the manual declares 5.2 and has the heading */
    const struct iso_coverage_item *policy = NULL;
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].requirement, "quality-policy") == 0)
            policy = &cov->items[i];
    cr_assert_not_null(policy);
    cr_assert_str_eq(policy->clause, "5.2.2");
    cr_assert_str_eq(policy->name, "quality policy");
    cr_assert_str_eq(policy->covered_by, "QM-001_Quality_Manual.md");
    int saw_decl = 0, saw_heading = 0;
    for (size_t i = 0; i < policy->n_evidence; i++) {
        const struct iso_cov_evidence *ev = &policy->evidence[i];
        cr_assert_str_eq(ev->path, "QM-001_Quality_Manual.md");
        if (ev->kind == ISO_EV_DECLARED_PROPERTY) {
            saw_decl = 1;
            cr_expect_str_eq(ev->clause, "5.2");
            cr_expect_str_eq(ev->words, "clauses");
            cr_expect_eq(ev->line, 7);
        }
        if (ev->kind == ISO_EV_SHOWN_HEADING) {
            saw_heading = 1;
            cr_expect_str_eq(ev->text, "4 Quality Policy");
            cr_expect_str_eq(ev->words, "quality policy");
            cr_expect_eq(ev->line, 26);
        }
    }
    cr_assert(saw_decl && saw_heading);

    /* the exclusion keeps its statement */
    for (size_t i = 0; i < cov->n_items; i++) {
        if (strcmp(cov->items[i].requirement, "customer-property") != 0)
            continue;
        int saw = 0;
        for (size_t k = 0; k < cov->items[i].n_evidence; k++)
            if (cov->items[i].evidence[k].kind == ISO_EV_EXCLUSION) {
                saw = 1;
                cr_expect_eq(cov->items[i].evidence[k].line, 18);
                cr_expect(cov->items[i].evidence[k].flags & ISO_EX_JUSTIFIED);
                cr_expect_str_eq(cov->items[i].evidence[k].clause, "8.5.3");
            }
        cr_assert(saw);
    }
    fake_fini(state);
}

/* Removing one document leaves exactly the requirements only it covered. */
static const struct {
    const char *file;
    const char *messages[6];
} removals[] = {
    {"QP-7.1-01_Calibration.md",
     {"no record, form or procedure section found for 7.1.5.1 fitness of monitoring and measuring resources (retain)"}},
    {"QP-7.2-01_Competence.md", {"no record, form or procedure section found for 7.2 evidence of competence (retain)"}},
    {"QP-8.2-01_Customer_Requirements.md",
     {"no record, form or procedure section found for 8.2.3.2 review of requirements for products and services "
      "(retain)"}},
    {"QP-8.4-01_Purchasing.md",
     {"no record, form or procedure section found for 8.4.1 evaluation of external providers (retain)"}},
    {"WI-8.6-01_Final_Inspection.md",
     {"no record, form or procedure section found for 8.6 release of products and services (retain)"}},
    {"QP-8.7-01_Nonconforming_Outputs.md",
     {"no record, form or procedure section found for 8.7.2 nonconforming outputs (retain)"}},
    {"QP-9.1-01_Monitoring.md",
     {"no record, form or procedure section found for 9.1.1 monitoring and measurement results (retain)"}},
    {"QP-9.2-01_Internal_Audit.md",
     {"no record, form or procedure section found for 9.2.2 internal audit programme and results (retain)"}},
    {"QP-9.3-01_Management_Review.md",
     {"no record, form or procedure section found for 9.3.3 management review results (retain)"}},
    {"QP-10.2-01_Corrective_Action.md",
     {"no record, form or procedure section found for 10.2.2 nonconformities and corrective actions (retain)"}},
    {"QP-8.1-01_Operations.md",
     {"no record, form or procedure section found for 8.1 evidence of operational control (retain)",
      "no documented information found for 8.5.1 production and service information (maintain)",
      "no record, form or procedure section found for 8.5.2 traceability (retain)",
      "no record, form or procedure section found for 8.5.6 review of production and service changes (retain)"}},
    {"QP-8.3-01_Design.md",
     {"no record, form or procedure section found for 8.3.3 design and development inputs (retain)",
      "no record, form or procedure section found for 8.3.4 design and development reviews, verification and "
      "validation (retain)",
      "no record, form or procedure section found for 8.3.5 design and development outputs (retain)",
      "no record, form or procedure section found for 8.3.6 design and development changes (retain)"}},
};

Test(iso9001, removing_one_document_gives_exactly_its_findings)
{
    for (size_t r = 0; r < sizeof removals / sizeof removals[0]; r++) {
        run_set("full", removals[r].file);
        size_t want = 0;
        for (; want < 6 && removals[r].messages[want]; want++) {
            const char *m = removals[r].messages[want];
            const char *rule = strstr(m, "(retain)") ? MISSING_REC : MISSING_DOC;
            if (!fake_has(&h, rule, m)) {
                fake_dump(&h);
                cr_assert_fail("without %s: no \"%s\"", removals[r].file, m);
            }
        }
        if (h.n_findings != want)
            fake_dump(&h);
        cr_assert_eq(h.n_findings, want, "without %s: %zu findings, want %zu", removals[r].file, h.n_findings, want);
        for (size_t i = 0; i < h.n_findings; i++) {
            cr_assert_str_eq(h.findings[i].path, "QM-001_Quality_Manual.md");
            cr_assert_eq(h.findings[i].line, 9);
        }
    }
}

Test(iso9001, removing_the_manual_loses_its_maintained_items_and_goes_to_the_set_root)
{
    run_set("full", "QM-001_Quality_Manual.md");
    cr_assert(fake_has(&h, MISSING_DOC, "no documented information found for 4.3 scope of the QMS (maintain)"));
    cr_assert(fake_has(&h, MISSING_DOC, "no documented information found for 5.2.2 quality policy (maintain)"));
    cr_assert(fake_has(&h, MISSING_DOC, "no documented information found for 6.2.1 quality objectives (maintain)"));
    cr_assert(fake_has(&h, MISSING_DOC, "no documented information found for 4.4.2 process information (maintain)"));
    /* without the scope's exclusions, the conditional requirements are missing too */
    cr_assert(fake_has(&h, MISSING_REC,
                       "no record, form or procedure section found for 8.5.3 customer or external-provider property "
                       "(retain)"));
    /* 7.1.5.2 is still declared by the calibration procedure (clauses: [7.1.5]): weak, not missing */
    cr_assert_not(fake_has(&h, MISSING_REC,
                           "no record, form or procedure section found for 7.1.5.2 basis of calibration or "
                           "verification (retain)"));
    cr_assert_str_eq(fake_first(&h, MISSING_DOC)->path, "");
    cr_assert_str_eq(fake_first(&h, MISSING_DOC)->key, "qms-scope");
}

Test(iso9001, weak_coverage_is_not_a_finding_by_default)
{
    const struct qms_doc *docs[] = {
        fake_doc("QM.md", "---\ntype: manual\nclauses: [5.2]\n---\n# Quality Manual\n\n## Our commitment\n\nText.\n"),
    };
    memset(&h, 0, sizeof h);
    fake_check_set(&h, docs, 1);
    cr_assert_not(fake_has(&h, MISSING_DOC, "no documented information found for 5.2.2 quality policy (maintain)"));
}

Test(iso9001, weak_coverage_reported_with_report_weak)
{
    const struct qms_doc *docs[] = {
        fake_doc("QM.md", "---\ntype: manual\nclauses: [5.2]\n---\n# Quality Manual\n\n## Our commitment\n\nText.\n"),
        fake_doc("POL.md", "# Quality Objectives\n\nObjectives are set yearly.\n"),
    };
    memset(&h, 0, sizeof h);
    h.rule_opts = fake_yaml("iso9001/missing-documented-information: {severity: error, report_weak: true}\n");
    fake_check_set(&h, docs, 2);
    cr_assert(fake_has(&h, MISSING_DOC,
                       "5.2.2 quality policy (maintain) is only declared: no heading, title or record shows it"));
    cr_assert(fake_has(&h, MISSING_DOC,
                       "6.2.1 quality objectives (maintain) is only shown: no document declares the clause"));
    cr_assert_str_eq(fake_first(&h, MISSING_DOC)->path, "QM.md");
}

Test(iso9001, heading_in_one_document_and_declaration_in_another_is_weak)
{
    const struct qms_doc *docs[] = {
        fake_doc("A.md", "---\nclauses: [9.3]\n---\n# Planning\n"),
        fake_doc("B.md", "# Management review\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 2), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.3.3") == 0) {
            cr_assert_eq(cov->items[i].status, ISO_COV_WEAK);
            cr_assert(cov->items[i].declared && cov->items[i].shown);
        }
    fake_fini(state);
}

Test(iso9001, mapping_table_row_declares_for_the_document_it_names)
{
    const struct qms_doc *docs[] = {
        fake_doc("QM.md", "---\ntype: manual\n---\n# Quality Manual\n\n"
                          "| ISO clause | Document |\n|---|---|\n| 9.2 | QP-05 |\n"),
        fake_doc("QP-05.md", "---\nid: QP-05\n---\n# Internal audit\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 2), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    int seen = 0;
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.2.2") == 0) {
            seen = 1;
            cr_assert_eq(cov->items[i].status, ISO_COV_COVERED);
            cr_assert_str_eq(cov->items[i].covered_by, "QP-05.md");
        }
    cr_assert(seen);
    fake_fini(state);
}

Test(iso9001, form_with_a_record_title_shows_a_retain_item)
{
    const struct qms_doc *docs[] = {
        fake_doc("FRM-9.2-01.md", "---\nclauses: [9.2.2]\n---\n# Audit Report\n\n| Finding | Owner |\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 1), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.2.2") == 0) {
            cr_assert_eq(cov->items[i].status, ISO_COV_COVERED);
            int rec = 0;
            for (size_t k = 0; k < cov->items[i].n_evidence; k++)
                rec |= cov->items[i].evidence[k].kind == ISO_EV_SHOWN_RECORD &&
                       strcmp(cov->items[i].evidence[k].words, "audit report") == 0;
            cr_assert(rec);
        }
    fake_fini(state);
}

Test(iso9001, empty_set_has_no_set_findings)
{
    memset(&h, 0, sizeof h);
    fake_check_set(&h, NULL, 0);
    cr_assert_eq(h.n_findings, 0);
}

Test(iso9001, custom_property_names_declare_clauses)
{
    const struct qms_doc *docs[] = {
        fake_doc("MR.docx", "---\nISO Clause: 9.3\n---\n# Management Review\n"),
        fake_doc("CA.odt", "---\nIso_Clauses: 10.2\n---\n# Corrective Action\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 2), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "9.3.3") == 0 || strcmp(cov->items[i].clause, "10.2.2") == 0)
            cr_assert_eq(cov->items[i].status, ISO_COV_COVERED, "%s", cov->items[i].clause);
    fake_fini(state);
}

Test(iso9001, citation_in_purpose_declares_for_its_document)
{
    const struct qms_doc *docs[] = {
        fake_doc("QP.md", "# Calibration\n\nThis procedure implements § 7.1.5.1 of ISO 9001:2015.\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 1), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, "7.1.5.1") == 0) {
            cr_assert_eq(cov->items[i].status, ISO_COV_COVERED);
            int cite = 0;
            for (size_t k = 0; k < cov->items[i].n_evidence; k++)
                if (cov->items[i].evidence[k].kind == ISO_EV_DECLARED_CITATION) {
                    cite = 1;
                    cr_assert_str_eq(cov->items[i].evidence[k].text, "\xc2\xa7 7.1.5.1");
                    cr_assert_eq(cov->items[i].evidence[k].line, 3);
                }
            cr_assert(cite);
        }
    fake_fini(state);
}

Test(iso9001, section_numbers_declare_nothing)
{
    const struct qms_doc *docs[] = {
        fake_doc("QP.md", "# Warehouse\n\n## 5.2 Quality policy reminder\n\n### 9.2 Internal audit of stock\n"),
    };
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, docs, 1), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    for (size_t i = 0; i < cov->n_items; i++) {
        cr_assert_not(cov->items[i].declared, "%s declared by a section number", cov->items[i].clause);
        if (strcmp(cov->items[i].clause, "5.2.2") == 0)
            cr_assert_eq(cov->items[i].status, ISO_COV_WEAK); /* shown by the heading only */
    }
    fake_fini(state);
}
