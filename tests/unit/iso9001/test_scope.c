/* iso9001/exclusion-justification and excluded coverage, over fixtures/iso9001/scope-* and
 * small documents. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

#define EXCL "iso9001/exclusion-justification"
#define MISSING_REC "iso9001/missing-record"

static struct fake_host h;
static void *state;

static const struct iso_coverage *run_doc(const char *path, const char *md)
{
    const struct qms_doc *doc = fake_doc(path, md);
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    cr_assert_eq(fake_run(&h, state, &doc, 1), 0);
    return fake_coverage(state);
}

/* A fixture's text, kept by the fake documents' arena. */
static const char *fixture_text(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "fixtures/iso9001/%s", rel);
    char *file = qms_test_source(path);
    char *text = qms_test_read(file, NULL);
    cr_assert_not_null(text, "%s", path);
    const char *kept = fake_str(text);
    free(text);
    free(file);
    return kept;
}

static const struct iso_coverage_item *item(const struct iso_coverage *cov, const char *clause)
{
    for (size_t i = 0; i < cov->n_items; i++)
        if (strcmp(cov->items[i].clause, clause) == 0)
            return &cov->items[i];
    cr_assert_fail("no requirement for %s", clause);
    return NULL;
}

static void done(void) { fake_fini(state); }

Test(iso9001, justified_exclusion_makes_design_not_applicable, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("QM-002_Quality_Manual.md", fixture_text("scope-justified/QM-002_Quality_Manual.md"));
    cr_assert_eq(fake_count(&h, EXCL), 0);
    const char *design[] = {"8.3.3", "8.3.4", "8.3.5", "8.3.6"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(item(cov, design[i])->status, ISO_COV_NOT_APPLICABLE, "%s", design[i]);
        cr_assert_eq(item(cov, design[i])->exclusion_unjustified, 0);
    }
    for (size_t i = 0; i < h.n_findings; i++)
        cr_assert_null(strstr(h.findings[i].message, " 8.3."), "%s", h.findings[i].message);
}

Test(iso9001, unjustified_exclusion_is_reported_once, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("QM-003_Quality_Manual.md", fixture_text("scope-unjustified/QM-003_Quality_Manual.md"));
    cr_assert_eq(fake_count(&h, EXCL), 2);
    cr_assert(fake_has(&h, EXCL, "scope excludes 8.3 Design and development of products and services without a "
                                 "justification (4.3)"));
    const struct fake_finding *f = fake_first(&h, EXCL);
    cr_assert_str_eq(f->path, "QM-003_Quality_Manual.md");
    cr_assert_eq(f->line, 12);
    cr_assert_str_eq(f->key, "8.3");
    /* still excluded for coverage (the finding is the justification, not missing records) */
    cr_assert_eq(item(cov, "8.3.3")->status, ISO_COV_NOT_APPLICABLE);
    cr_assert_eq(item(cov, "8.3.3")->exclusion_unjustified, 1);
    for (size_t i = 0; i < h.n_findings; i++)
        cr_assert_null(strstr(h.findings[i].message, " 8.3."), "%s", h.findings[i].message);
}

Test(iso9001, excluding_a_requirement_that_cannot_be_excluded, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("QM-003_Quality_Manual.md", fixture_text("scope-unjustified/QM-003_Quality_Manual.md"));
    cr_assert(fake_has(&h, EXCL, "scope excludes 8.4 Control of externally provided processes, products and "
                                 "services, which cannot be excluded (4.3 allows only requirements that do not "
                                 "affect conformity)"));
    /* not excluded: the supplier records are still required */
    cr_assert_eq(item(cov, "8.4.1")->status, ISO_COV_WEAK);
}

Test(iso9001, justification_in_the_next_sentence_counts, .fini = done)
{
    run_doc("QM.md", "---\ntype: manual\n---\n# Quality Manual\n\n## Scope\n\n"
                     "Clause 8.5.3 is not applicable. We never hold property belonging to customers, as our "
                     "customers send no material.\n");
    cr_assert_eq(fake_count(&h, EXCL), 0);
}

Test(iso9001, statement_that_nothing_is_excluded_is_not_an_exclusion, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("QM.md", "---\ntype: manual\n---\n# Quality Manual\n\n## Scope\n\n"
                         "Clause 8.3 applies in full. No requirement of ISO 9001:2015 is excluded.\n");
    cr_assert_eq(fake_count(&h, EXCL), 0);
    cr_assert_neq(item(cov, "8.3.3")->status, ISO_COV_NOT_APPLICABLE);
}

Test(iso9001, procedure_scope_section_is_not_the_qms_scope, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("QP-04.md", "---\ntype: procedure\n---\n# Purchasing\n\n## Scope\n\n"
                            "Clause 8.5.3 does not apply to this procedure.\n");
    cr_assert_eq(fake_count(&h, EXCL), 0);
    cr_assert_eq(item(cov, "8.5.3")->status, ISO_COV_WEAK);
}

Test(iso9001, exclusions_heading_counts_in_any_document, .fini = done)
{
    const struct iso_coverage *cov =
        run_doc("SCOPE.md", "# Scope statement\n\n## Exclusions\n\n- 7.1.5.2 is not applicable.\n");
    cr_assert(fake_has(&h, EXCL, "scope excludes 7.1.5.2 Measurement traceability without a justification (4.3)"));
    cr_assert_eq(fake_first(&h, EXCL)->line, 5);
    cr_assert_eq(item(cov, "7.1.5.2")->status, ISO_COV_NOT_APPLICABLE);
}

Test(iso9001, german_exclusion_with_justification, .fini = done)
{
    run_doc("QMH.md", "---\ntype: manual\n---\n# Qualitätsmanagementhandbuch\n\n## Anwendungsbereich\n\n"
                      "Abschnitt 8.3 ist ausgeschlossen, da wir keine Entwicklung betreiben.\n");
    cr_assert_eq(fake_count(&h, EXCL), 0);
}
