/* Inline suppressions (issue 9): Markdown comments (next line, ranges), front matter, the
 * DOCX custom property, and unknown rule ids reported as core/unknown-suppression. */
#include <criterion/criterion.h>
#include <string.h>

#include "gates.h"

static struct run check(const char *rel)
{
    return e2e_run(NULL, ARGV("check", e2e_fixture(rel)));
}

Test(suppress, next_line_and_range_comments_silence_only_their_lines)
{
    struct run r = check("gates/inline/ranges.md");
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* active: line 3 (before any comment) and line 14 (after the enable) */
    cr_assert(strstr(r.out, "ranges.md:3:1: warning: placeholder"), "%s", r.out);
    cr_assert(strstr(r.out, "ranges.md:14:1: warning: placeholder"), "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 2, "%s", r.out);
    /* next-line (6), inside the range (9, 11) */
    cr_assert(strstr(r.out, "; 3 suppressed inline"), "%s", r.out);
}

Test(suppress, a_disable_without_ids_silences_every_rule_until_enable)
{
    char *dir = gates_set("a.md", "# A\n\n<!-- qmslint-disable -->\n#### Deep\n\nTBD\n\n"
                                  "<!-- qmslint-enable -->\nXXX\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.out, "heading-skip"), "%s", r.out);
    cr_assert(strstr(r.out, "a.md:9:1: warning: placeholder 'XXX'"), "%s", r.out);
    cr_assert(strstr(r.out, "2 suppressed inline"), "%s", r.out);
}

Test(suppress, a_multi_line_next_line_comment_silences_the_line_after_its_end)
{
    char *dir = gates_set("a.md", "# A\n\n<!-- qmslint-disable-next-line structure/placeholder-text\n"
                                  "     the form is printed blank on purpose -->\nTBD\n\nXXX\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "a.md:5:1"), "line 5 follows the comment's end: %s", r.out);
    cr_assert(strstr(r.out, "a.md:7:1: warning: placeholder 'XXX'"), "%s", r.out);
    cr_assert(strstr(r.out, "1 suppressed inline"), "%s", r.out);
}

Test(suppress, front_matter_disables_a_rule_for_the_document)
{
    struct run r = check("gates/inline/front-matter.md");
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.out, "[structure/placeholder-text]"), "%s", r.out);
    cr_assert(strstr(r.out, "1 suppressed inline"), "%s", r.out);
}

Test(suppress, docx_custom_property_disables_listed_rules)
{
    struct run plain = check("gates/docx/plain-guide.docx");
    cr_assert(strstr(plain.out, "[structure/placeholder-text]"), "the same text unsuppressed: %s",
              plain.out);
    struct run r = check("gates/docx/waived-guide.docx");
    cr_assert_null(strstr(r.out, "[structure/placeholder-text]"), "%s", r.out);
    cr_assert(strstr(r.out, "1 suppressed inline"), "%s", r.out);
    /* the property's second id does not exist */
    cr_assert(strstr(r.out, "waived-guide.docx:docProps/custom.xml: warning: suppression names "
                            "unknown rule 'structure/no-such-rule' [core/unknown-suppression]"),
              "%s", r.out);
}

Test(suppress, an_unknown_rule_id_is_a_warning_and_suppresses_nothing)
{
    struct run r = check("gates/inline/unknown.md");
    cr_assert(strstr(r.out, "unknown.md:3:1: warning: suppression names unknown rule "
                            "'structure/placeholder-txt' [core/unknown-suppression]"),
              "%s", r.out);
    cr_assert(strstr(r.out, "unknown.md:4:1: warning: placeholder"), "%s", r.out);
}

Test(suppress, ids_of_plugins_not_loaded_are_not_unknown)
{
    /* --only-plugin structure: an xref id is a real rule of a plugin left out */
    char *dir = gates_set("a.md", "# A\n\n<!-- qmslint-disable xref/dangling -->\nText.\n", NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_null(strstr(r.out, "unknown-suppression"), "%s", r.out);
}

Test(suppress, ordinary_comments_are_not_directives)
{
    char *dir = gates_set("a.md", "# A\n\n<!-- qmslint is great; disable nothing -->\nTBD\n"
                                  "<!-- qmslint-disabled structure/placeholder-text -->\nTBD\n",
                          NULL);
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(e2e_count(r.out, "[structure/placeholder-text]"), 2, "%s", r.out);
    cr_assert_null(strstr(r.out, "suppressed"), "%s", r.out);
}

Test(suppress, json_lists_active_findings_and_counts_suppressed_ones)
{
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", e2e_fixture("gates/inline")));
    struct jv *root = gates_json(r.out);
    cr_assert_eq(jv_at(root, "summary.suppressed")->number, 4);
    cr_assert_eq(jv_at(root, "summary.findings")->number, jv_get(root, "findings")->n);
    const struct jv *f = jv_at(root, "findings.0.fingerprint");
    cr_assert(f && f->type == JV_STRING && strlen(f->string) == 32);
}

Test(suppress, odt_user_defined_property_disables_listed_rules)
{
    struct run plain = check("gates/odt/plain-notes.fodt");
    cr_assert(strstr(plain.out, "plain-notes.fodt:content.xml:"), "%s", plain.out);
    struct run r = check("gates/odt/waived-notes.fodt");
    cr_assert_null(strstr(r.out, "[structure/placeholder-text]"), "%s", r.out);
    cr_assert(strstr(r.out, "1 suppressed inline"), "%s", r.out);
}
