/* The text and JSON emitters on hand-built results: the DOCX/ODT location form, set-wide
 * findings, hostile strings. (The e2e runs cover Markdown; no DOCX reader is needed here.) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "e2e.h"
#include "emit.h"

/* A copy owned by this file (kept until the test process exits), the libc buffer freed. */
static char *keep(char *memstream_buf)
{
    char *copy = strdup(memstream_buf);
    free(memstream_buf);
    return copy;
}

static char *capture_text(const struct qms_result *r, int color, int quiet)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    struct qms_emit_opts o = {.color = color, .quiet = quiet, .tool_version = "9.9.9"};
    cr_assert_eq(qms_emit_text(f, r, &o), 0);
    fclose(f);
    return keep(buf);
}

static char *capture_json(const struct qms_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct qms_emit_opts o = {.tool_version = "9.9.9"};
    cr_assert_eq(qms_emit_json(f, r, &o), 0);
    fclose(f);
    return keep(buf);
}

static struct qms_finding finding(const char *path, const char *part, uint32_t line,
                                  uint32_t column, uint32_t block, const char *section,
                                  enum qms_severity sev, const char *message, const char *rule)
{
    struct qms_finding f = {0};
    f.path = (char *)path;
    f.part = (char *)part;
    f.line = line;
    f.column = column;
    f.block = block;
    f.section = (char *)section;
    f.severity = sev;
    f.message = (char *)message;
    f.rule_id = (char *)rule;
    f.plugin = "test";
    return f;
}

Test(emit_text, docx_location_shows_part_paragraph_and_section)
{
    struct qms_finding f = finding("QP-006.docx", "word/document.xml", 0, 0, 42, "7 References",
                                   QMS_SEV_WARNING, "QP-019 is not in the set", "xref/dangling");
    struct qms_result r = {.findings = &f, .n_findings = 1, .n_docs = 1};
    r.counts[QMS_SEV_WARNING] = 1;
    char *out = capture_text(&r, 0, 1);
    cr_assert_str_eq(out, "QP-006.docx:word/document.xml:\xC2\xB6"
                          "42 (7 References): warning: QP-019 is not in the set [xref/dangling]\n");
}

Test(emit_text, docx_without_section_or_paragraph)
{
    struct qms_finding f = finding("a.odt", "meta.xml", 0, 0, 0, NULL, QMS_SEV_INFO, "m", "x/y");
    struct qms_result r = {.findings = &f, .n_findings = 1};
    cr_assert_str_eq(capture_text(&r, 0, 1), "a.odt:meta.xml: info: m [x/y]\n");
}

Test(emit_text, finding_without_location_and_set_wide_finding)
{
    struct qms_finding f[2] = {
        finding("", NULL, 0, 0, 0, NULL, QMS_SEV_WARNING, "no quality policy", "iso/policy"),
        finding("b.md", NULL, 0, 0, 0, NULL, QMS_SEV_ERROR, "cannot read: empty file",
                "core/unreadable"),
    };
    struct qms_result r = {.findings = f, .n_findings = 2};
    cr_assert_str_eq(capture_text(&r, 0, 1),
                     "(set): warning: no quality policy [iso/policy]\n"
                     "b.md: error: cannot read: empty file [core/unreadable]\n");
}

Test(emit_text, markdown_line_without_column)
{
    struct qms_finding f = finding("c.md", NULL, 12, 0, 0, NULL, QMS_SEV_INFO, "m", "x/y");
    struct qms_result r = {.findings = &f, .n_findings = 1};
    cr_assert_str_eq(capture_text(&r, 0, 1), "c.md:12: info: m [x/y]\n");
}

Test(emit_text, summary_uses_singular_and_plural)
{
    struct qms_result r = {.n_docs = 1};
    r.counts[QMS_SEV_ERROR] = 1;
    r.counts[QMS_SEV_WARNING] = 2;
    r.counts[QMS_SEV_INFO] = 3;
    cr_assert_str_eq(capture_text(&r, 0, 0), "1 error, 2 warnings, 3 info in 1 document\n");
    r.n_docs = 12;
    r.n_skipped = 1;
    r.counts[QMS_SEV_ERROR] = 0;
    cr_assert_str_eq(capture_text(&r, 0, 0),
                     "0 errors, 2 warnings, 3 info in 12 documents (1 file skipped)\n");
}

Test(emit_text, hostile_strings_lose_their_control_characters)
{
    struct qms_finding f =
        finding("evil\033[2J.md", NULL, 1, 1, 0, NULL, QMS_SEV_ERROR,
                "line\nbreak \x9b \xC2\x9b bad\xff byte \x07", "x/y");
    struct qms_result r = {.findings = &f, .n_findings = 1};
    char *out = capture_text(&r, 0, 1);
    cr_assert_str_eq(out, "evil?[2J.md:1:1: error: line break ? ? bad? byte ? [x/y]\n");
}

Test(emit_text, long_section_is_cut_with_an_ellipsis)
{
    char section[200];
    memset(section, 'S', sizeof section - 1);
    section[sizeof section - 1] = '\0';
    struct qms_finding f = finding("d.docx", "word/document.xml", 0, 0, 3, section,
                                   QMS_SEV_INFO, "m", "x/y");
    struct qms_result r = {.findings = &f, .n_findings = 1};
    char *out = capture_text(&r, 0, 1);
    char expected[256];
    snprintf(expected, sizeof expected, "d.docx:word/document.xml:\xC2\xB6%d (%.60s\xE2\x80\xA6): info: m [x/y]\n", 3,
             section);
    cr_assert_str_eq(out, expected);
}

Test(emit_text, colour_wraps_only_the_severity_word)
{
    struct qms_finding f = finding("e.md", NULL, 2, 3, 0, NULL, QMS_SEV_ERROR, "m", "x/y");
    struct qms_result r = {.findings = &f, .n_findings = 1};
    cr_assert_str_eq(capture_text(&r, 1, 1), "e.md:2:3: \033[1;31merror\033[0m: m [x/y]\n");
}

Test(emit_json, strings_are_escaped_into_valid_json)
{
    struct qms_finding f = finding("q\"uote\\.md", "word/document.xml", 0, 0, 7,
                                   "tab\there", QMS_SEV_WARNING,
                                   "ctl \x01 del \x7f bad \xff\xfe ok \xE2\x80\xA8 \xF0\x9F\x98\x80",
                                   "x/y");
    struct qms_doc_summary d = {.path = "q\"uote\\.md", .format = QMS_FORMAT_DOCX,
                                .title = "T\n", .unreadable = 0};
    struct qms_result r = {.findings = &f, .n_findings = 1, .docs = &d, .n_docs = 1};
    r.counts[QMS_SEV_WARNING] = 1;
    char *out = capture_json(&r);
    char why[200] = "";
    struct jv *root = jv_parse(out, why, sizeof why);
    cr_assert(root, "%s\n%s", why, out);
    cr_assert_str_eq(jv_at(root, "findings.0.path")->string, "q\"uote\\.md");
    cr_assert_str_eq(jv_at(root, "findings.0.message")->string,
                     "ctl \x01 del \x7f bad \xEF\xBF\xBD\xEF\xBF\xBD ok \xE2\x80\xA8 \xF0\x9F\x98\x80");
    cr_assert_str_eq(jv_at(root, "findings.0.location.section")->string, "tab\there");
    cr_assert_eq(jv_at(root, "findings.0.location.block")->number, 7);
    cr_assert_eq(jv_at(root, "findings.0.location.line")->type, JV_NULL);
    cr_assert_str_eq(jv_at(root, "documents.0.format")->string, "docx");
    cr_assert_str_eq(jv_at(root, "tool.version")->string, "9.9.9");
    cr_assert(strstr(out, "\\u2028"), "U+2028 escaped: %s", out);
    cr_assert(strstr(out, "\\u007f"), "DEL escaped: %s", out);
}

Test(emit_json, empty_result_is_valid)
{
    struct qms_result r = {0};
    char *out = capture_json(&r);
    struct jv *root = jv_parse(out, NULL, 0);
    cr_assert(root, "%s", out);
    cr_assert_eq(jv_get(root, "findings")->n, 0);
    cr_assert_eq(jv_at(root, "summary.documents")->number, 0);
}

Test(cli_date, today_accepts_real_dates_only)
{
    int32_t d = 0;
    cr_assert_eq(qms_cli_parse_date("1970-01-02", &d), 0);
    cr_assert_eq(d, 1);
    cr_assert_eq(qms_cli_parse_date("2000-02-29", &d), 0);
    cr_assert_eq(d, 11016);
    cr_assert_eq(qms_cli_parse_date("2024-12-31", &d), 0);
    cr_assert_eq(d, 20088);
    cr_assert_eq(qms_cli_parse_date("1900-02-29", &d), -1);
    cr_assert_eq(qms_cli_parse_date("2023-02-29", &d), -1);
    cr_assert_eq(qms_cli_parse_date("2024-13-01", &d), -1);
    cr_assert_eq(qms_cli_parse_date("2024-04-31", &d), -1);
    cr_assert_eq(qms_cli_parse_date("2024-4-01", &d), -1);
    cr_assert_eq(qms_cli_parse_date("2024-04-01x", &d), -1);
    cr_assert_eq(qms_cli_parse_date("", &d), -1);
}
