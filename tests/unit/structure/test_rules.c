/* The structure plugin's four rules, run through a fake host over hand-built documents. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qmslint/meta.h>

#include "fakehost.h"

#define MISSING "structure/missing-section"
#define EMPTY "structure/empty-section"
#define SKIP "structure/heading-skip"
#define PLACEHOLDER "structure/placeholder-text"

static struct fake_host host;

static const char complete_procedure[] =
    "# QP-03 Control of Documents\n"
    "## 1. Purpose\nWhy.\n"
    "## 2. Scope\nWhere.\n"
    "## 3. Responsibilities\nWho.\n"
    "## 4. Procedure\nHow.\n"
    "## 5. References\nQM-01.\n"
    "## 6. Records\nLogs.\n"
    "## 7. Revision history\n| Rev | Date |\n|---|---|\n| A | 2025-01-01 |\n";

/* ---- structure/missing-section ---- */

Test(structure, procedure_missing_scope_names_type_section_and_source)
{
    fake_check_text(&host, "docs/QP-03.md",
                    "# QP-03 Control of Documents\n"
                    "## Purpose\nx\n## Responsibilities\nx\n## Procedure\nx\n"
                    "## References\nx\n## Records\nx\n## Revision history\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    const struct fake_finding *f = fake_first(&host, MISSING);
    cr_assert_str_eq(f->message, "procedure QP-03 has no 'Scope' section (type from ID prefix QP-)");
    cr_assert_eq(f->line, 1);
    cr_assert_eq(f->column, 1);
}

Test(structure, complete_procedure_has_no_missing_section)
{
    fake_check_text(&host, "QP-03.md", complete_procedure);
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
}

Test(structure, each_missing_section_is_one_finding_in_pack_order)
{
    fake_check_text(&host, "x.md", "# SOP-12 Cleaning\n## Purpose\nx\n## Scope\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 5);
    cr_assert_str_eq(host.findings[0].message,
                     "procedure SOP-12 has no 'Responsibilities' section (type from ID prefix SOP-)");
    cr_assert_str_eq(host.findings[4].message,
                     "procedure SOP-12 has no 'Revision history' section (type from ID prefix SOP-)");
    cr_assert_str_eq(host.findings[4].key, "procedure:Revision history");
}

Test(structure, type_from_front_matter_property_wins_over_prefix)
{
    fake_check_text(&host, "QP-03.md",
                    "---\ntype: Work Instruction\nid: WI-7.5-01\n---\n# QP-03 Thing\n"
                    "## Purpose\nx\n## Scope\nx\n## Steps\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "work instruction WI-7.5-01 has no 'Revision history' section "
                     "(type from property 'type: Work Instruction')");
}

/* A document whose control table says "Document type: Work Instruction" and "Doc No: AB-7". */
static const struct qms_doc *doc_with_meta(const char *type_value, const char *type_raw,
                                           enum qms_meta_source source)
{
    static struct qms_meta meta;
    static struct qms_meta_value type, id;
    memset(&meta, 0, sizeof meta);
    type = (struct qms_meta_value){.value = type_value, .raw = type_raw, .label = "Document type",
                                   .source = source};
    id = (struct qms_meta_value){.value = "AB-7", .raw = "AB-7", .label = "Doc No",
                                 .source = QMS_META_SRC_CONTROL_BLOCK};
    meta.fields[QMS_META_TYPE].items = &type;
    meta.fields[QMS_META_TYPE].n = 1;
    meta.fields[QMS_META_ID].items = &id;
    meta.fields[QMS_META_ID].n = 1;
    meta.history_table = meta.register_table = -1;
    struct qms_doc *doc = (struct qms_doc *)fake_doc("scan.md", "# Calibrating gauges\n## Purpose\nx\n"
                                                                "## Scope\nx\n## Steps\nx\n");
    doc->meta = &meta;
    return doc;
}

Test(structure, type_from_metadata_control_block)
{
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(&host, &state), 0, "%s", host.error);
    cr_assert_eq(fake_plugin_check(&host, state, doc_with_meta("work-instruction", "Work Instruction",
                                                               QMS_META_SRC_CONTROL_BLOCK)), 0);
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "work instruction AB-7 has no 'Revision history' section "
                     "(type from control-block 'Document type: Work Instruction')");
    /* a type the extractor only derived from the file name is weighed by the plugin itself */
    host.n_findings = 0;
    cr_assert_eq(fake_plugin_check(&host, state, doc_with_meta("procedure", "QP",
                                                               QMS_META_SRC_ID_PREFIX)), 0);
    cr_assert_eq(fake_count(&host, MISSING), 0);
    fake_plugin_fini(state);
}

Test(structure, type_from_file_name_prefix)
{
    fake_check_text(&host, "forms/frm-8.7-01_nonconformity.md", "# Nonconformity report\n## Fields\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "form frm-8.7-01 has no 'Instructions' section (type from ID prefix FRM-)");
}

Test(structure, id_property_gives_type_and_subject)
{
    fake_check_text(&host, "manual.md",
                    "---\ndocument_number: QM-001\n---\n# Our Manual\n## Scope\nx\n"
                    "## Quality Policy\nx\n## Processes and their interaction\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "manual QM-001 has no 'Revision history' section (type from ID prefix QM-)");
}

Test(structure, type_from_title_word_in_any_language)
{
    fake_check_text(&host, "calibration.md", "# Verfahrensanweisung Kalibrierung\n## Zweck\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 6);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "procedure calibration.md has no 'Scope' section "
                     "(type from title word 'Verfahrensanweisung')");
}

Test(structure, title_word_in_a_deeper_first_heading_gives_no_type)
{
    fake_check_text(&host, "regents.md", "### 3.6 Faculty rules of procedure\nText.\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
}

Test(structure, user_manual_is_not_the_quality_manual)
{
    fake_check_text(&host, "flowmeter.md", "# Flow Meter FM-200 User Manual\n## Installation\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "qm.md", "# Northwind Quality Manual\n## Scope\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 3);
    cr_assert_str_eq(fake_first(&host, MISSING)->message,
                     "manual qm.md has no 'Quality policy' section (type from title word 'Quality Manual')");
}

Test(structure, unknown_type_gives_no_missing_section)
{
    fake_check_text(&host, "notes/meeting.md", "# Meeting notes\n## Attendees\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
}

Test(structure, declared_unknown_type_is_not_overridden_by_prefix)
{
    fake_check_text(&host, "QP-03.md", "---\ntype: record\n---\n# QP-03 Log\n## Entries\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
}

Test(structure, german_spanish_french_synonyms_count)
{
    fake_check_text(&host, "VA-01.md",
                    "# VA-01 Lenkung von Dokumenten\n"
                    "## 1 Zweck und Geltungsbereich\nx\n## 2 Zuständigkeiten\nx\n"
                    "## 3 Ablauf\nx\n## 4 Mitgeltende Dokumente\nx\n## 5 Aufzeichnungen\nx\n"
                    "## 6 Änderungshistorie\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "PRO-02.md",
                    "# PRO-02 Control de documentos\n## 1. Objetivo\nx\n## 2. Alcance\nx\n"
                    "## 3. Responsabilidades\nx\n## 4. Desarrollo\nx\n## 5. Documentos relacionados\nx\n"
                    "## 6. Registros\nx\n## 7. Historial de revisiones\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "QP-9.md",
                    "# QP-9 Maîtrise des documents\n## A) Objet\nx\n## B) Domaine d’application\nx\n"
                    "## C) Responsabilités\nx\n## D) Déroulement\nx\n## E) Documents associés\nx\n"
                    "## F) Enregistrements\nx\n## G) Historique des revisions\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
}

Test(structure, heading_starting_with_synonym_counts)
{
    fake_check_text(&host, "QP-03.md",
                    "# QP-03 X\n## 1.1 Purpose:\nx\n## 4.2) Scope and Applicability\nx\n"
                    "## (c) Roles, Responsibilities and Authorities\nx\n## IV. PROCEDURE\nx\n"
                    "## References / Records\nx\n## Revision History:\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
}

Test(structure, synonym_inside_a_heading_does_not_count)
{
    fake_check_text(&host, "QP-03.md",
                    "# QP-03 X\n## Purpose\nx\n## Out of scope items\nx\n## Responsibilities\nx\n"
                    "## Procedure\nx\n## References\nx\n## Records\nx\n## Revision history\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert(strstr(fake_first(&host, MISSING)->message, "'Scope'"));
}

Test(structure, label_paragraphs_and_layout_table_cells_provide_sections)
{
    /* as Word documents written without heading styles look */
    fake_check_text(&host, "QP-03.md",
                    "1. PURPOSE\nWhy we do it.\nScope: all sites of the company.\n"
                    "| Responsibilities | Quality Manager |\n|---|---|\n| Procedure | Steps. |\n"
                    "| 5.1 References: | QM-01 |\n"
                    "Records\nRevision history\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
}

Test(structure, sentence_starting_with_a_synonym_is_not_a_label)
{
    fake_check_text(&host, "QP-03.md",
                    "# QP-03 X\n## Purpose\nx\n"
                    "Scope of the audit programme is decided by the Quality Manager each year.\n"
                    "| Owner | Responsibilities |\n|---|---|\n| QM | all |\n"
                    "## Procedure\nx\n## References\nx\n## Records\nx\n## Revision history\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 2);
    cr_assert(strstr(host.findings[0].message, "'Scope'"), "%s", host.findings[0].message);
    cr_assert(strstr(host.findings[1].message, "'Responsibilities'"), "%s", host.findings[1].message);
}

Test(structure, lone_top_heading_is_the_title_not_a_section)
{
    fake_check_text(&host, "calibration.md",
                    "# Procedure for calibration\n## Purpose\nx\n## Scope\nx\n## Responsibilities\nx\n"
                    "## References\nx\n## Records\nx\n## Revision history\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 1);
    cr_assert(strstr(fake_first(&host, MISSING)->message, "no 'Procedure' section"));
}

Test(structure, ignore_types_option_silences_a_type)
{
    host.rule_opts = fake_yaml("structure/missing-section:\n  ignore_types: [form, Procedure]\n");
    fake_check_text(&host, "QP-03.md", "# QP-03 X\n## Purpose\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
}

Test(structure, ignore_types_unknown_type_fails_init_with_position)
{
    void *state = NULL;
    host.rule_opts = fake_yaml("structure/missing-section:\n  severity: info\n  ignore_types: [procedur]\n");
    cr_assert_lt(fake_plugin_init(&host, &state), 0);
    cr_assert_null(state);
    cr_assert_str_eq(host.error, "options.yml:3:18: ignore_types: unknown document type 'procedur'");
}

Test(structure, disabled_rule_reports_nothing)
{
    host.off_rule = MISSING;
    fake_check_text(&host, "QP-03.md", "# QP-03 X\n## Purpose\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0);
}

/* ---- structure/empty-section ---- */

Test(structure, heading_without_content_is_empty)
{
    fake_check_text(&host, "notes.md", "# Notes\n## Scope\n## Details\nSomething.\n");
    cr_assert_eq(fake_count(&host, EMPTY), 1);
    const struct fake_finding *f = fake_first(&host, EMPTY);
    cr_assert_str_eq(f->message, "section 'Scope' is empty");
    cr_assert_eq(f->line, 2);
}

Test(structure, section_with_only_subsections_is_not_empty)
{
    fake_check_text(&host, "notes.md", "# Notes\n## Procedure\n### Step one\nDo it.\n### Step two\nAgain.\n");
    cr_assert_eq(fake_count(&host, EMPTY), 0);
}

Test(structure, last_heading_and_comment_only_sections_are_empty)
{
    fake_check_text(&host, "notes.md",
                    "# Notes\nText.\n## Records\n<!-- to do -->\n\n## Appendix\n");
    cr_assert_eq(fake_count(&host, EMPTY), 2);
    cr_assert_eq(host.findings[0].line, 3);
    cr_assert_eq(host.findings[1].line, 6);
}

Test(structure, table_and_code_count_as_content)
{
    fake_check_text(&host, "notes.md",
                    "# Notes\n## History\n| Rev | Date |\n|---|---|\n| A | 2025 |\n## Code\n```\nx\n```\n");
    cr_assert_eq(fake_count(&host, EMPTY), 0);
}

Test(structure, deeper_heading_after_empty_section_counts_only_when_deeper)
{
    fake_check_text(&host, "notes.md", "# Notes\n### Deep\ntext\n## Shallow\n# Top\nx\n");
    /* "Shallow" is followed by a higher-level heading: empty. "Notes" has "Deep" below it. */
    cr_assert_eq(fake_count(&host, EMPTY), 1);
    cr_assert_str_eq(fake_first(&host, EMPTY)->message, "section 'Shallow' is empty");
}

/* ---- structure/heading-skip ---- */

Test(structure, heading_jump_from_2_to_4_is_reported_at_the_heading)
{
    fake_check_text(&host, "notes.md", "# T\n## A\nx\n#### B\nx\n");
    cr_assert_eq(fake_count(&host, SKIP), 1);
    const struct fake_finding *f = fake_first(&host, SKIP);
    cr_assert_str_eq(f->message, "heading level jumps from 2 to 4");
    cr_assert_eq(f->line, 4);
}

Test(structure, stepping_down_and_first_deep_heading_are_fine)
{
    fake_check_text(&host, "notes.md", "### Start deep\nx\n#### B\nx\n# Back to top\nx\n## C\nx\n");
    cr_assert_eq(fake_count(&host, SKIP), 0);
}

/* ---- structure/placeholder-text ---- */

Test(structure, tbd_is_reported_with_name_and_description)
{
    fake_check_text(&host, "notes.md", "# Notes\nOwner: TBD\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 1);
    const struct fake_finding *f = fake_first(&host, PLACEHOLDER);
    cr_assert_str_eq(f->message, "placeholder 'TBD' left in text ('to be determined' marker)");
    cr_assert_str_eq(f->key, "TBD");
    cr_assert_eq(f->line, 2);
}

Test(structure, one_finding_per_block_per_pattern)
{
    fake_check_text(&host, "notes.md", "# Notes\nTBD and TBD and [Insert logo here] TBD\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 2);
    cr_assert_str_eq(host.findings[1].message,
                     "placeholder '[Insert logo here]' left in text (template instruction in brackets)");
}

Test(structure, code_blocks_and_markup_comments_are_skipped)
{
    fake_check_text(&host, "notes.md", "# Notes\nx\n```\nTODO XXX TBD\n```\n<!-- TBD: lorem ipsum -->\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 0);
}

static size_t placeholders_in(const char *line)
{
    char text[1024];
    memset(&host, 0, sizeof host);
    snprintf(text, sizeof text, "# Notes\n%s\n", line);
    fake_check_text(&host, "notes.md", text);
    return fake_count(&host, PLACEHOLDER);
}

Test(structure, template_placeholders_in_four_languages_are_found)
{
    static const char *const found[] = {
        "Approved by: [Company Name]", "<insert process owner>", "Dear <<FirstName>>",
        "Lorem ipsum dolor sit amet.", "Serial no. XXX", "Batch xxxx", "Value: ???",
        "Click here to enter text.", "Click or tap here to enter text.",
        "Haga clic aquí para escribir texto.", "Klicken Sie hier, um Text einzugeben.",
        "Cliquez ici pour taper du texte.", "Date: [DATE]", "Date: DD/MM/YYYY",
        "Effective: YYYY-MM-DD", "Prepared for Your Company", "Status TBC", "Meeting TBA",
        "[Nombre de la empresa]", "Verantwortlich: N.N.", "Responsable : à définir",
        "Owner: T.B.D.", "[Enter date]", "Datum: TT.MM.JJJJ", "Choose an item.", "[Firmenname]",
        "[Nom de l’entreprise]", "Document QP-XXX", "TODO: add figure", "Cliquez ou appuyez ici pour entrer du texte."};
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
        cr_expect_eq(placeholders_in(found[i]), 1, "'%s' gave %zu findings", found[i],
                     placeholders_in(found[i]));
}

Test(structure, ordinary_text_is_not_a_placeholder)
{
    static const char *const clean[] = {
        "N/A", "Supplied by ACME Corp.", "See clause 7.5.3 [1].", "The XX-ray unit.",
        "Outbound TBDX-7 valve", "Is this right??", "Date: 2025-01-15", "Company name: Northwind",
        "Your company's quality policy is set by top management.", "Mix 2 xx",
        "Roman numeral XXI"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++)
        cr_expect_eq(placeholders_in(clean[i]), 0, "'%s' matched: %s", clean[i],
                     host.n_findings ? host.findings[0].message : "");
}

Test(structure, placeholder_in_front_matter_property_is_reported)
{
    fake_check_text(&host, "notes.md", "---\nowner: TBD\n---\n# Notes\nx\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 1);
    cr_assert_str_eq(fake_first(&host, PLACEHOLDER)->message,
                     "placeholder 'TBD' left in property 'owner' ('to be determined' marker)");
    cr_assert_eq(fake_first(&host, PLACEHOLDER)->line, 2);
}

Test(structure, form_fill_in_cells_may_hold_placeholders_but_its_text_may_not)
{
    fake_check_text(&host, "FRM-8.7-01.md",
                    "# FRM-8.7-01 Nonconformity report\n## Instructions\nSent by [Company Name].\n"
                    "## Form\n| Field | Entry |\n|---|---|\n| Date | DD/MM/YYYY |\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 1);
    cr_assert_eq(fake_first(&host, PLACEHOLDER)->line, 3);
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "QP-01.md", "# QP-01 X\n| Field | Entry |\n|---|---|\n| Date | DD/MM/YYYY |\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 1, "a procedure's table is not a form");
}

Test(structure, extra_and_ignored_patterns_from_options)
{
    host.rule_opts = fake_yaml("structure/placeholder-text:\n"
                               "  ignore_patterns: [TBD]\n"
                               "  extra_patterns:\n"
                               "    - name: Northwind\n"
                               "      pattern: 'northwind\\s+template'\n"
                               "      caseless: true\n"
                               "      description: our own template marker\n"
                               "    - 'DRAFT-ONLY'\n");
    fake_check_text(&host, "notes.md", "# Notes\nTBD\nNorthwind Template v2\nDRAFT-ONLY\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 2);
    cr_assert_str_eq(host.findings[0].message,
                     "placeholder 'Northwind Template' left in text (our own template marker)");
    cr_assert_str_eq(host.findings[1].key, "DRAFT-ONLY");
}

Test(structure, bad_extra_pattern_fails_init_with_position)
{
    void *state = NULL;
    host.rule_opts = fake_yaml("structure/placeholder-text:\n  extra_patterns:\n    - name: broken\n"
                               "      pattern: '(unclosed'\n");
    cr_assert_lt(fake_plugin_init(&host, &state), 0);
    cr_assert(strncmp(host.error, "options.yml:4:16: bad pattern 'broken': ", 40) == 0, "%s",
              host.error);
}

Test(structure, unknown_option_key_fails_init)
{
    void *state = NULL;
    host.rule_opts = fake_yaml("structure/heading-skip:\n  max_jump: 2\n");
    cr_assert_lt(fake_plugin_init(&host, &state), 0);
    cr_assert_str_eq(host.error, "options.yml:2:13: unknown key 'max_jump' in structure/heading-skip");
}

Test(structure, plugin_options_reach_the_rules)
{
    host.plugin_opts = fake_yaml("enabled: true\nplaceholders:\n  ignore_patterns: ['TBD']\n");
    fake_check_text(&host, "notes.md", "# Notes\nTBD\n");
    cr_assert_eq(fake_count(&host, PLACEHOLDER), 0);
}

/* ---- hostile text ---- */

Test(structure, long_and_invalid_text_is_quoted_safely)
{
    size_t n = 100000;
    char *text = malloc(n + 128);
    strcpy(text, "## ");
    memset(text + 3, 'A', n);
    strcpy(text + 3 + n, "\n## Bad \xff heading\n## Next\n<<\x01 bad\x7f>>\n");
    fake_check_text(&host, "notes.md", text);
    free(text);
    cr_assert_eq(fake_count(&host, EMPTY), 2);
    cr_assert_lt(strlen(host.findings[0].message), 200);
    cr_assert(strstr(host.findings[0].message, "AAA...' is empty"), "%s", host.findings[0].message);
    cr_assert_str_eq(host.findings[1].message, "section 'Bad ? heading' is empty");
    const struct fake_finding *f = fake_first(&host, PLACEHOLDER);
    cr_assert_not_null(f, "the <<...>> marker is still found");
    cr_assert_str_eq(f->message, "placeholder '<<  bad >>' left in text (merge-field or template marker)");
}

/* ---- reentrancy ---- */

#include <pthread.h>

struct worker {
    void *state;
    const struct qms_doc *doc;
    struct fake_host host;
    int failures;
};

static void *check_many(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) {
        w->host.n_findings = 0;
        if (fake_plugin_check(&w->host, w->state, w->doc) != 0 || w->host.n_findings != 3)
            w->failures++;
    }
    return NULL;
}

Test(structure, check_doc_runs_on_many_threads_with_one_state)
{
    void *state = NULL;
    cr_assert_eq(fake_plugin_init(&host, &state), 0, "%s", host.error);
    /* missing Scope, an empty section, a placeholder: three findings each time */
    const struct qms_doc *doc = fake_doc("QP-03.md",
                                         "# QP-03 X\n## Purpose\nTBD\n## Responsibilities\nx\n"
                                         "## Procedure\nx\n## References\nx\n## Records\n"
                                         "## Revision history\nx\n");
    struct worker workers[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].state = state;
        workers[i].doc = doc;
        cr_assert_eq(pthread_create(&threads[i], NULL, check_many, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        cr_expect_eq(workers[i].failures, 0, "thread %d: %d bad runs (last: %zu findings)", i,
                     workers[i].failures, workers[i].host.n_findings);
    }
    fake_plugin_fini(state);
}

/* Spanish capitals: TODO is "all" ("APLICA A TODO EL PERSONAL"), not an editing note. */
Test(structure, spanish_todo_in_capitals_is_not_an_editing_note)
{
    static const char *const clean[] = {"ESTE PROCEDIMIENTO APLICA A TODO EL PERSONAL.",
                                        "TODO EL PERSONAL DEBE FIRMAR", "REVISADO POR TODO",
                                        "Todo el personal"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++)
        cr_expect_eq(placeholders_in(clean[i]), 0, "'%s' matched: %s", clean[i],
                     host.n_findings ? host.findings[0].message : "");
    static const char *const found[] = {"TODO add the flow chart", "TODO: check clause 8.4",
                                        "See (TODO) below", "FIXME"};
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
        cr_expect_eq(placeholders_in(found[i]), 1, "'%s' gave %zu findings", found[i],
                     placeholders_in(found[i]));
}

/* Section names other German, Spanish and French templates use: "Beschreibung",
   "Dokumentation" (the records a VA keeps), "Änderungsübersicht", "Metodología",
   "Registro de cambios", "Modalités", "Historique des versions". */
Test(structure, more_template_section_names_in_three_languages)
{
    fake_check_text(&host, "VA-02.md",
                    "# VA-02 Interne Audits\n## 1 Zweck\nx\n## 2 Geltungsbereich\nx\n"
                    "## 3 Verantwortlichkeiten\nx\n## 4 Beschreibung\nx\n## 5 Mitgeltende Unterlagen\nx\n"
                    "## 6 Dokumentation\nx\n## 7 Änderungsübersicht\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "PG-03.md",
                    "# PG-03 Auditorías internas\n## 1. Objeto\nx\n## 2. Alcance\nx\n"
                    "## 3. Responsabilidades\nx\n## 4. Metodología\nx\n## 5. Referencias\nx\n"
                    "## 6. Registros\nx\n## 7. Registro de cambios\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "PR-03.md",
                    "# PR-03 Audits internes\n## 1. Objet\nx\n## 2. Domaine d'application\nx\n"
                    "## 3. Responsabilités\nx\n## 4. Modalités\nx\n## 5. Références\nx\n"
                    "## 6. Enregistrements\nx\n## 7. Historique des versions\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
    memset(&host, 0, sizeof host);
    fake_check_text(&host, "AA-03.md",
                    "# AA-03 Reinigung\n## Zweck\nx\n## Geltungsbereich\nx\n## Arbeitsablauf\nx\n"
                    "## Versionshistorie\nx\n");
    cr_assert_eq(fake_count(&host, MISSING), 0, "%s", host.n_findings ? host.findings[0].message : "");
}
