/* iso9001 phrase and citation matching: legacy terms and evidence headings are found by a
 * first-word index over normalized text, and the citation scan stops after a block's last
 * digit. These pin what the old strstr-per-phrase and byte-by-byte scans found: at the start
 * and end of a text, across case and accents, next to non-ASCII letters, phrases sharing a
 * first word, phrases that are prefixes of others, and which phrase of a list is reported. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehost.h"
#include "testutil.h"

#define TERM "iso9001/legacy-term"
#define UNKNOWN "iso9001/unknown-clause"
#define EDITION "iso9001/wrong-edition"

#define PREVENTIVE "'preventive action' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks and " \
                   "opportunities (6.1)"

static struct fake_host h;

static void check(const char *md)
{
    memset(&h, 0, sizeof h);
    fake_check_text(&h, "doc.md", md);
}

static void expect(const char *rule, const char *message) { fake_expect(&h, rule, message); }

Test(iso9001_matching, term_as_the_whole_text_and_at_either_end)
{
    check("preventive action\n");
    expect(TERM, PREVENTIVE);
    check("Preventive action is planned here.\n");
    expect(TERM, PREVENTIVE);
    check("Here we plan preventive action\n");
    expect(TERM, PREVENTIVE);
    cr_assert_eq(fake_count(&h, TERM), 1);
}

Test(iso9001_matching, term_across_case_blanks_and_punctuation)
{
    check("PREVENTIVE ACTION first.\n");
    expect(TERM, PREVENTIVE);
    check("We take Preventive-Action (see below).\n");
    expect(TERM, PREVENTIVE);
    check("We take preventive\xc2\xa0\xc2\xa0 action, always.\n");
    expect(TERM, PREVENTIVE);
    check("\xe2\x80\x9cpreventive action\xe2\x80\x9d and \xc2\xabpreventive action\xc2\xbb\n");
    expect(TERM, PREVENTIVE);
    cr_assert_eq(fake_count(&h, TERM), 1);
}

Test(iso9001_matching, term_inside_a_longer_word_is_not_found)
{
    check("Nonpreventive action is not a term. Preventive actions are not either. Preventive actionable.\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    /* a letter that is not folded (Cyrillic) or one that is (é) joins the word */
    check("\xd0\xb6preventive action\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    check("\xc3\xa9preventive action\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    check("Our preventive action\xd0\xb6\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    /* but "action; préventive" is the French form across the semicolon */
    check("One action; pr\xc3\xa9ventive steps.\n");
    expect(TERM, "'action préventive' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks and "
                 "opportunities (6.1)");
}

Test(iso9001_matching, term_with_folded_letters)
{
    check("Die VORBEUGENDE MASSNAHME wird geplant.\n");
    expect(TERM, "'vorbeugende Maßnahme' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks "
                 "and opportunities (6.1)");
    check("Une action pr\xc3\x89ventive.\n");
    expect(TERM, "'action préventive' is ISO 9001:2008 wording; ISO 9001:2015 says actions to address risks and "
                 "opportunities (6.1)");
}

Test(iso9001_matching, terms_sharing_a_first_word_are_each_found)
{
    /* "control of records" and "control of documents" start with the same word */
    check("Control of records and control of documents are described here.\n");
    expect(TERM, "'control of records' is ISO 9001:2008 wording; ISO 9001:2015 says retained documented "
                 "information (7.5)");
    expect(TERM, "'control of documents' is ISO 9001:2008 wording; ISO 9001:2015 says control of documented "
                 "information (7.5.3)");
    cr_assert_eq(fake_count(&h, TERM), 2);
    check("Control of everything else.\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
}

Test(iso9001_matching, overlapping_terms_in_one_run_of_words)
{
    /* "continual improvement of product" overlaps nothing else; "documented procedure"
       starts inside "the documented procedure work environment" next to "work environment" */
    check("A documented procedure work environment check.\n");
    expect(TERM, "'documented procedure' is ISO 9001:2008 wording; ISO 9001:2015 says documented information to "
                 "be maintained (7.5)");
    expect(TERM, "'work environment' is ISO 9001:2008 wording; ISO 9001:2015 says environment for the operation of "
                 "processes (7.1.4)");
    cr_assert_eq(fake_count(&h, TERM), 2);
}

/* A copy of the shipped pack with the work-environment term replaced, in a temp rules dir. */
static char *pack_dir;

static void free_pack_dir(void)
{
    free(pack_dir);
    pack_dir = NULL;
}

static void with_terms(const char *terms_line)
{
    char *file = qms_test_source("rules/iso9001-2015.yml");
    char *text = qms_test_read(file, NULL);
    free(file);
    cr_assert_not_null(text);
    const char *from = "  - {term: work environment,";
    char *at = strstr(text, from);
    cr_assert_not_null(at);
    char *eol = strchr(at, '\n');
    cr_assert_not_null(eol);
    size_t head = (size_t)(at - text);
    char *out = malloc(strlen(text) + strlen(terms_line) + 1);
    memcpy(out, text, head);
    strcpy(out + head, terms_line);
    strcat(out, eol);
    pack_dir = qms_test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/iso9001-2015.yml", pack_dir);
    cr_assert_eq(qms_test_write(path, out, strlen(out)), 0);
    free(text);
    free(out);
}

static void check_with_pack(const char *md)
{
    memset(&h, 0, sizeof h);
    h.rules_dir = pack_dir;
    fake_check_text(&h, "doc.md", md);
}

Test(iso9001_matching, the_first_listed_form_of_a_term_is_reported, .fini = free_pack_dir)
{
    /* forms that are prefixes of one another, and share their first word */
    with_terms("  - {term: work environment, replacement: R1, also: [plant work, work environment of the plant, "
               "work]}");
    check_with_pack("The work environment of the plant is clean.\n");
    expect(TERM, "'work environment' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    cr_assert_eq(fake_count(&h, TERM), 1);
    /* listed first, though it starts after "plant work" */
    check_with_pack("Plant work environment.\n");
    expect(TERM, "'work environment' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    cr_assert_eq(fake_count(&h, TERM), 1);
    check_with_pack("Plant work only.\n");
    expect(TERM, "'plant work' is ISO 9001:2008 wording; ISO 9001:2015 says R1"); /* not "work" */
    check_with_pack("Work.\n");
    expect(TERM, "'work' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    check_with_pack("Workplace, workers, networks.\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
}

Test(iso9001_matching, terms_whose_forms_share_words_are_reported_in_pack_order, .fini = free_pack_dir)
{
    with_terms("  - {term: work environment, replacement: R1, also: [environment]}\n"
               "  - {term: work, replacement: R2, also: [work environment]}");
    check_with_pack("Work environment.\n");
    cr_assert_eq(fake_count(&h, TERM), 2);
    cr_assert_str_eq(h.findings[0].message, "'work environment' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    cr_assert_str_eq(h.findings[1].message, "'work' is ISO 9001:2008 wording; ISO 9001:2015 says R2");
}

Test(iso9001_matching, forms_starting_with_non_ascii_letters, .fini = free_pack_dir)
{
    with_terms("  - {term: work environment, replacement: R1, also: [\"\xc3\xa6ther flow\", "
               "\"\xd0\xb6\xd0\xb8\xd0\xb7\xd0\xbd\xd1\x8c work\"]}");
    /* Æ folds to "ae", as does æ; "Aether" is the same word normalized */
    check_with_pack("The \xc3\x86THER flow.\n");
    expect(TERM, "'\xc3\xa6ther flow' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    check_with_pack("Aether flow\n");
    expect(TERM, "'\xc3\xa6ther flow' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    check_with_pack("\xc3\xa6thers flow; \xc3\xa6ther\xd0\xb6 flow\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    /* Cyrillic is kept as it is: only the same bytes match */
    check_with_pack("\xd0\xb6\xd0\xb8\xd0\xb7\xd0\xbd\xd1\x8c WORK\n");
    expect(TERM, "'\xd0\xb6\xd0\xb8\xd0\xb7\xd0\xbd\xd1\x8c work' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
    check_with_pack("\xd0\xb6\xd0\xb8\xd0\xb7\xd0\xbd\xd1\x8c\xd1\x8e work\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
}

Test(iso9001_matching, long_words_and_long_runs_of_blanks, .fini = free_pack_dir)
{
    with_terms("  - {term: work environment, replacement: R1, also: [work]}");
    /* 68 letters starting with w: as long as "work" modulo 64 */
    check_with_pack("wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
    cr_assert_eq(fake_count(&h, TERM), 0);
    check_with_pack("work                                                                       environment\n");
    expect(TERM, "'work environment' is ISO 9001:2008 wording; ISO 9001:2015 says R1");
}

/* The words of the first heading evidence of `requirement` in a one-document set, or "". */
static char words[128];

static const char *heading_words(const char *requirement, const char *md)
{
    void *state = NULL;
    memset(&h, 0, sizeof h);
    cr_assert_eq(fake_init(&h, &state), 0, "%s", h.error);
    const struct qms_doc *doc = fake_doc("doc.md", md);
    cr_assert_eq(fake_run(&h, state, &doc, 1), 0);
    const struct iso_coverage *cov = fake_coverage(state);
    cr_assert_not_null(cov);
    words[0] = '\0';
    for (size_t i = 0; i < cov->n_items; i++) {
        if (strcmp(cov->items[i].requirement, requirement) != 0)
            continue;
        for (size_t k = 0; k < cov->items[i].n_evidence && !words[0]; k++)
            if (cov->items[i].evidence[k].kind == ISO_EV_SHOWN_HEADING)
                snprintf(words, sizeof words, "%s", cov->items[i].evidence[k].words);
    }
    fake_fini(state);
    return words;
}

Test(iso9001_matching, heading_phrases_that_prefix_each_other)
{
    /* "audit program" is a prefix of "audit programme" in the text, not as whole words */
    cr_assert_str_eq(heading_words("audit-evidence", "# Text\n\n## Audit Programme\n"), "audit programme");
    cr_assert_str_eq(heading_words("audit-evidence", "# Text\n\n## Audit program\n"), "audit program");
    cr_assert_str_eq(heading_words("audit-evidence", "# Text\n\n## Audit programmes\n"), "");
    /* both present: the first listed wins, wherever it is in the heading */
    cr_assert_str_eq(heading_words("audit-evidence", "# Text\n\n## Audit program and internal audit\n"),
                     "internal audit");
}

Test(iso9001_matching, heading_phrase_at_either_end_and_across_case)
{
    cr_assert_str_eq(heading_words("quality-policy", "# Text\n\n## QUALITY POLICY\n"), "quality policy");
    cr_assert_str_eq(heading_words("quality-policy", "# Text\n\n## 5.2 Our quality policy\n"), "quality policy");
    cr_assert_str_eq(heading_words("quality-policy", "# Text\n\n## Quality policy statement\n"), "quality policy");
    cr_assert_str_eq(heading_words("quality-policy", "# Text\n\n## Qualit\xc3\xa4tspolitik\n"), "Qualitätspolitik");
    cr_assert_str_eq(heading_words("quality-policy", "# Text\n\n## Quality policies\n"), "");
}

Test(iso9001_matching, citation_whose_last_digit_ends_the_text)
{
    check("Measuring equipment is controlled per clause 7.6\n");
    cr_assert_eq(fake_count(&h, UNKNOWN), 1);
    check("We follow ISO 9001:2016\n");
    cr_assert_eq(fake_count(&h, EDITION), 1);
    /* the name before the only digits, far from them */
    check("We follow ISO     9001:2016 and nothing else at all in this sentence.\n");
    cr_assert_eq(fake_count(&h, EDITION), 1);
}

Test(iso9001_matching, text_without_digits_cites_nothing)
{
    check("Clause seven of ISO nine thousand and one, chapitre huit.\n");
    cr_assert_eq(fake_count(&h, UNKNOWN) + fake_count(&h, EDITION) + fake_count(&h, "iso9001/legacy-clause"), 0);
}
