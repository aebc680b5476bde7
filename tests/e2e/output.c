/* The text and JSON outputs of `check`: line format, summary, --quiet / --verbose, colour, and
 * the JSON schema (docs/output-json.md). */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define FINDING_LINE "^[^:]+(:[0-9]+(:[0-9]+)?)?: (error|warning|info): .+ \\[[a-z0-9-]+/[a-z0-9-]+\\]$"
#define SUMMARY_LINE "^[0-9]+ errors?, [0-9]+ warnings?, [0-9]+ info in [0-9]+ documents?( \\([0-9]+ files? skipped\\))?$"

Test(text_output, every_line_is_a_finding_then_one_summary)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *last = strrchr(r.out, '\n');
    cr_assert(last && last[1] == '\0');
    *last = '\0';
    char *summary = strrchr(r.out, '\n');
    cr_assert(summary, "findings and a summary expected: %s", r.out);
    *summary++ = '\0';
    char bad[512] = "";
    cr_assert(e2e_all_lines_match(r.out, FINDING_LINE, bad, sizeof bad), "bad line: %s", bad);
    cr_assert(e2e_some_line_matches(summary, SUMMARY_LINE), "summary: %s", summary);
}

Test(text_output, markdown_findings_show_line_and_column)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    /* "Site contact: TBD" is line 3; the "#### Parking" heading (2 -> 4) is line 9. */
    cr_assert(e2e_some_line_matches(r.out, "^guide\\.md:3:[0-9]+: warning: .*\\[structure/placeholder-text\\]$"),
              "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^guide\\.md:9:1: info: .*\\[structure/heading-skip\\]$"),
              "%s", r.out);
    cr_assert(strstr(r.out, "0 errors, 1 warning, 1 info in 1 document\n"), "%s", r.out);
}

Test(text_output, quiet_prints_findings_only)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run(NULL, ARGV("check", "--quiet", dir));
    cr_assert_eq(r.status, 0);
    char bad[512] = "";
    cr_assert(e2e_lines(r.out) >= 2, "%s", r.out);
    cr_assert(e2e_all_lines_match(r.out, FINDING_LINE, bad, sizeof bad), "bad line: %s", bad);
    cr_assert_str_empty(r.err);
}

Test(text_output, quiet_clean_run_prints_nothing)
{
    char *dir = e2e_fixture("e2e/clean");
    struct run r = e2e_run(NULL, ARGV("check", "-q", dir));
    cr_assert_eq(r.status, 0);
    cr_assert_str_empty(r.out);
    cr_assert_str_empty(r.err);
}

Test(text_output, verbose_lists_plugins_skipped_files_and_timing_on_stderr)
{
    char *dir = e2e_fixture("e2e/mixed");
    struct run plain = e2e_run(NULL, ARGV("check", dir));
    struct run r = e2e_run(NULL, ARGV("check", "--verbose", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: plugin structure .*structure\\.so"), "%s",
              r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: skipped .*README\\.txt: .*extension"), "%s",
              r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: checked 2 documents .* in [0-9.]+ s$"),
              "%s", r.err);
    cr_assert_str_eq(r.out, plain.out, "--verbose changes stderr only");
    cr_assert_str_empty(plain.err);
    cr_assert(strstr(plain.out, "(1 file skipped)"), "%s", plain.out);
}

Test(text_output, no_colour_in_a_pipe_or_with_no_color)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run_env(NULL, ARGV("check", dir), NULL);
    cr_assert_null(strchr(r.out, '\033'), "no escape in a pipe: %s", r.out);
    r = e2e_run_env(NULL, ARGV("check", "--color", dir), "1");
    cr_assert_null(strchr(r.out, '\033'), "NO_COLOR wins over --color: %s", r.out);
}

Test(text_output, color_option_colours_the_severity)
{
    char *dir = e2e_fixture("e2e/warnings");
    struct run r = e2e_run_env(NULL, ARGV("check", "--color", dir), NULL);
    cr_assert(strstr(r.out, ": \033[1;33mwarning\033[0m: "), "%s", r.out);
    r = e2e_run_env(NULL, ARGV("check", "--color", "--no-color", dir), NULL);
    cr_assert_null(strchr(r.out, '\033'));
}

Test(text_output, control_characters_in_messages_never_reach_the_terminal)
{
    char *dir = qms_test_tmpdir();
    /* An ESC sequence inside a heading that a placeholder finding may quote. */
    const char *doc = "# Guide \033[2J TBD\n\nText.\n";
    e2e_write(dir, "esc.md", doc, strlen(doc));
    struct run r = e2e_run(dir, ARGV("check"));
    cr_assert_null(strchr(r.out, '\033'), "%s", r.out);
}

static struct jv *check_json(const char *dir, struct run *out_run)
{
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", dir));
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert(root, "invalid JSON (%s):\n%s\nstderr: %s", why, r.out, r.err);
    if (out_run)
        *out_run = r;
    return root;
}

Test(json_output, has_the_documented_top_level_fields)
{
    struct run r;
    struct jv *root = check_json(e2e_fixture("e2e/warnings"), &r);
    cr_assert_eq(r.status, 0);
    const struct jv *v = jv_get(root, "schema_version");
    cr_assert(v && v->type == JV_NUMBER && v->is_integer && v->number == 1);
    cr_assert_str_eq(jv_at(root, "tool.name")->string, "qmslint");
    cr_assert_str_eq(jv_at(root, "tool.version")->string, "0.1.0");
    cr_assert_eq(jv_get(root, "documents")->type, JV_ARRAY);
    cr_assert_eq(jv_get(root, "findings")->type, JV_ARRAY);
    cr_assert_eq(jv_get(root, "summary")->type, JV_OBJECT);
    cr_assert_eq(root->n, 5, "no undocumented top-level keys");
}

Test(json_output, documents_carry_path_format_and_state)
{
    struct jv *root = check_json(e2e_fixture("e2e/warnings"), NULL);
    const struct jv *docs = jv_get(root, "documents");
    cr_assert_eq(docs->n, 1);
    const struct jv *d = &docs->items[0];
    cr_assert_str_eq(jv_get(d, "path")->string, "guide.md");
    cr_assert_str_eq(jv_get(d, "format")->string, "markdown");
    cr_assert_eq(jv_get(d, "unreadable")->type, JV_BOOL);
    cr_assert_eq(jv_get(d, "unreadable")->boolean, 0);
    cr_assert_eq(jv_get(d, "reason")->type, JV_NULL);
    cr_assert(jv_get(d, "title"), "title key present");
    /* the metadata record: every field present, each a list of values with their source */
    const struct jv *meta = jv_get(d, "metadata");
    cr_assert(meta && meta->type == JV_OBJECT);
    static const char *const fields[] = {"id", "title", "revision", "status", "effective_date",
                                         "review_date", "owner", "approver", "approval_date",
                                         "type"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct jv *vals = jv_get(meta, fields[i]);
        cr_assert(vals && vals->type == JV_ARRAY, "metadata.%s is not a list", fields[i]);
        for (size_t k = 0; k < vals->n; k++)
            cr_assert(jv_get(&vals->items[k], "source") && jv_get(&vals->items[k], "value"),
                      "metadata.%s[%zu] lacks value or source", fields[i], k);
    }
}

Test(json_output, findings_carry_rule_severity_message_and_location)
{
    struct jv *root = check_json(e2e_fixture("e2e/warnings"), NULL);
    const struct jv *findings = jv_get(root, "findings");
    cr_assert_eq(findings->n, 2);
    int saw_skip = 0;
    for (size_t i = 0; i < findings->n; i++) {
        const struct jv *f = &findings->items[i];
        for (const char *const *k = ARGV("rule", "severity", "message", "path", "location",
                                         "plugin");
             *k; k++)
            cr_assert(jv_get(f, *k), "finding lacks %s", *k);
        const struct jv *loc = jv_get(f, "location");
        for (const char *const *k = ARGV("part", "line", "column", "block", "section"); *k; k++)
            cr_assert(jv_get(loc, *k), "location lacks %s", *k);
        cr_assert_eq(jv_get(loc, "part")->type, JV_NULL, "Markdown has no part");
        cr_assert_str_eq(jv_get(f, "path")->string, "guide.md");
        if (strcmp(jv_get(f, "rule")->string, "structure/heading-skip") == 0) {
            saw_skip = 1;
            cr_assert_str_eq(jv_get(f, "severity")->string, "info");
            cr_assert_eq(jv_get(loc, "line")->number, 9);
            cr_assert_eq(jv_get(loc, "column")->number, 1);
            cr_assert_str_eq(jv_get(f, "plugin")->string, "structure");
        }
    }
    cr_assert(saw_skip);
}

Test(json_output, summary_counts_match_the_findings)
{
    struct jv *root = check_json(e2e_fixture("e2e/mixed"), NULL);
    const struct jv *s = jv_get(root, "summary");
    size_t n = jv_get(root, "findings")->n;
    cr_assert_eq(jv_get(s, "findings")->number, (double)n);
    cr_assert_eq(jv_get(s, "error")->number + jv_get(s, "warning")->number +
                     jv_get(s, "info")->number,
                 (double)n);
    cr_assert_eq(jv_get(s, "documents")->number, 2);
    cr_assert_eq(jv_get(s, "skipped")->number, 1);
    cr_assert_null(jv_get(s, "seconds"), "no timings: output must be deterministic");
}

Test(json_output, no_documents_still_writes_valid_json)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "notes.txt", "hello\n", 6);
    struct run r;
    struct jv *root = check_json(dir, &r);
    cr_assert_eq(r.status, 0);
    cr_assert_eq(jv_get(root, "documents")->n, 0);
    cr_assert(strstr(r.err, "no documents found"), "%s", r.err);
}

Test(json_output, hostile_bytes_are_escaped)
{
    char *dir = qms_test_tmpdir();
    /* quotes, a backslash, a tab and a C1 control in a placeholder line */
    const char *doc = "# Q\n\n\"TBD\" \\ \t \xC2\x85 done\n";
    e2e_write(dir, "q.md", doc, strlen(doc));
    struct run r;
    check_json(dir, &r); /* asserts validity */
}

Test(all_plugins, sample_set_gives_valid_text_and_json, .timeout = 120)
{
    /* Every plugin found, as a user runs it: set-level findings included. */
    char *dir = e2e_fixture("sample-qms");
    struct run t = e2e_run_all(NULL, ARGV("check", "--quiet", dir));
    cr_assert(t.status == 0 || t.status == 1, "exit %d: %s", t.status, t.err);
    cr_assert(e2e_lines(t.out) > 0, "the sample set has findings");
    char bad[512] = "";
    cr_assert(e2e_all_lines_match(t.out, "^([^:]+(:[0-9]+(:[0-9]+)?)?|\\(set\\)|[^:]+:[^:]+(:\xC2\xB6[0-9]+)?( \\(.*\\))?): (error|warning|info): .+ \\[[a-z0-9-]+/[a-z0-9-]+\\]$", bad, sizeof bad),
              "bad line: %s", bad);
    struct run j = e2e_run_all(NULL, ARGV("check", "--format", "json", dir));
    char why[256] = "";
    struct jv *root = jv_parse(j.out, why, sizeof why);
    cr_assert(root, "invalid JSON (%s): %s", why, j.out);
    cr_assert_eq(jv_at(root, "summary.findings")->number, (double)e2e_lines(t.out));
}
