/* Unit tests of the gate modules (issue 9): fingerprints, inline suppression directives,
 * the waivers file and the baseline file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "baseline.h"
#include "suppress.h"
#include "testutil.h"
#include "waivers.h"

static struct qms_finding finding(const char *rule, const char *path, const char *message,
                                  const char *key, uint32_t line)
{
    struct qms_finding f;
    memset(&f, 0, sizeof f);
    f.rule_id = (char *)rule;
    f.path = (char *)path;
    f.message = (char *)message;
    f.key = (char *)key;
    f.line = line;
    f.severity = QMS_SEV_WARNING;
    return f;
}

static void fp(char out[QMS_FINGERPRINT_LEN + 1], struct qms_finding f)
{
    qms_fingerprint(out, &f);
}

Test(fingerprint, ignores_positions_and_numbers_in_the_message)
{
    char a[33], b[33];
    struct qms_finding f = finding("structure/heading-skip", "a.md", "jumps from 1 to 3 at line 4",
                                   NULL, 4);
    fp(a, f);
    f.line = 40;
    f.block = 7;
    f.column = 9;
    f.section = "Scope";
    f.message = "jumps from 1 to 3 at line 40";
    fp(b, f);
    cr_assert_str_eq(a, b);
    cr_assert_eq(strlen(a), QMS_FINGERPRINT_LEN);
}

Test(fingerprint, key_wins_over_the_message)
{
    char a[33], b[33];
    fp(a, finding("xref/dangling", "a.md", "QP-019 is cited", "QP-019", 3));
    fp(b, finding("xref/dangling", "a.md", "QP-019 is cited (reworded)", "QP-019", 9));
    cr_assert_str_eq(a, b);
}

Test(fingerprint, rule_path_and_subject_each_change_it)
{
    char base[33], other[33];
    fp(base, finding("xref/dangling", "a.md", "m", "QP-019", 1));
    fp(other, finding("xref/obsolete-target", "a.md", "m", "QP-019", 1));
    cr_assert_str_neq(base, other);
    fp(other, finding("xref/dangling", "b.md", "m", "QP-019", 1));
    cr_assert_str_neq(base, other);
    fp(other, finding("xref/dangling", "a.md", "m", "QP-020", 1));
    cr_assert_str_neq(base, other);
    /* field boundaries count: ("ab","c") is not ("a","bc") */
    fp(base, finding("x/ab", "c", "m", NULL, 1));
    fp(other, finding("x/a", "bc", "m", NULL, 1));
    cr_assert_str_neq(base, other);
}

/* ---- directives ---- */

static const struct qms_suppress_list *scan_blocks(struct qms_arena *a, const char *const *texts,
                                                   const uint32_t *lines, size_t n)
{
    struct qms_block *blocks = qms_arena_alloc(a, (n + 1) * sizeof *blocks);
    for (size_t i = 0; i < n; i++) {
        blocks[i].kind = QMS_BLOCK_MARKUP_COMMENT;
        blocks[i].text = texts[i];
        blocks[i].text_len = strlen(texts[i]);
        blocks[i].loc.line = lines[i];
        blocks[i].loc.column = 1;
    }
    struct qms_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.format = QMS_FORMAT_MARKDOWN;
    doc.blocks = blocks;
    doc.n_blocks = n;
    const struct qms_suppress_list *l = NULL;
    cr_assert_eq(qms_suppress_scan(&l, &doc, a), 0);
    return l;
}

Test(directives, comments_become_disable_enable_and_next_line)
{
    struct qms_arena *a = qms_arena_new(0);
    const char *texts[] = {"qmslint-disable a/b, c/d", "<!-- qmslint-enable -->",
                           "qmslint-disable-next-line e/f -- the form keeps it",
                           "just a comment", "qmslint-disabled x/y"};
    const uint32_t lines[] = {2, 5, 8, 9, 10};
    const struct qms_suppress_list *l = scan_blocks(a, texts, lines, 5);
    cr_assert(l);
    cr_assert_eq(l->n, 4);
    cr_assert_eq(l->items[0].kind, QMS_DIRECTIVE_DISABLE);
    cr_assert_str_eq(l->items[0].rule_id, "a/b");
    cr_assert_str_eq(l->items[1].rule_id, "c/d");
    cr_assert_eq(l->items[2].kind, QMS_DIRECTIVE_ENABLE);
    cr_assert_null(l->items[2].rule_id, "no id: every rule");
    cr_assert_eq(l->items[3].kind, QMS_DIRECTIVE_NEXT_LINE);
    cr_assert_str_eq(l->items[3].rule_id, "e/f", "the reason after -- is not an id");
    cr_assert_eq(l->items[3].line, 8);
    qms_arena_free(a);
}

Test(directives, properties_disable_the_whole_document)
{
    struct qms_arena *a = qms_arena_new(0);
    struct qms_property props[3];
    memset(props, 0, sizeof props);
    props[0] = (struct qms_property){QMS_PROP_FRONT_MATTER, "qmslint-disable", "a/b", "string", {0}};
    props[1] = (struct qms_property){QMS_PROP_CUSTOM, "QMSLINT-DISABLE", "c/d; e/f", "lpwstr", {0}};
    props[2] = (struct qms_property){QMS_PROP_CORE, "qmslint-disable", "g/h", "string", {0}};
    struct qms_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.format = QMS_FORMAT_DOCX;
    doc.properties = props;
    doc.n_properties = 3;
    const struct qms_suppress_list *l = NULL;
    cr_assert_eq(qms_suppress_scan(&l, &doc, a), 0);
    cr_assert(l);
    cr_assert_eq(l->n, 3, "front matter and custom only; ';' is not a separator -> 'c/d;'");
    cr_assert_eq(l->items[0].kind, QMS_DIRECTIVE_DOCUMENT);
    cr_assert_str_eq(l->items[1].rule_id, "c/d;");
    qms_arena_free(a);
}

Test(directives, hostile_comments_are_capped)
{
    struct qms_arena *a = qms_arena_new(0);
    size_t n = 200 * 10 + 64;
    char *text = malloc(n + 400);
    strcpy(text, "qmslint-disable ");
    for (int i = 0; i < 200; i++)
        strcat(text, "x/aaaaaaa ");
    char *long_id = malloc(1000);
    memset(long_id, 'z', 999);
    long_id[999] = '\0';
    char *second = malloc(1100);
    snprintf(second, 1100, "qmslint-disable %s", long_id);
    const char *texts[] = {text, second};
    const uint32_t lines[] = {1, 2};
    const struct qms_suppress_list *l = scan_blocks(a, texts, lines, 2);
    cr_assert_eq(l->n, QMS_SUPPRESS_MAX_IDS + 1);
    cr_assert_eq(strlen(l->items[QMS_SUPPRESS_MAX_IDS].rule_id), 128);
    qms_arena_free(a);
    free(text);
    free(long_id);
    free(second);
}

Test(directives, a_document_without_directives_has_none)
{
    struct qms_arena *a = qms_arena_new(0);
    const char *texts[] = {"TODO: tidy up"};
    const uint32_t lines[] = {1};
    cr_assert_null(scan_blocks(a, texts, lines, 1));
    qms_arena_free(a);
}

/* ---- waivers file ---- */

/* A file in a fresh temporary folder; the path stays valid for the next 7 calls. */
static const char *write_tmp(const char *name, const char *text)
{
    static char paths[8][512];
    static unsigned next;
    char *path = paths[next++ % 8];
    char *dir = qms_test_tmpdir();
    cr_assert(dir);
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    free(dir);
    cr_assert_eq(qms_test_write(path, text, strlen(text)), 0);
    return path;
}

Test(waivers_file, reads_every_field)
{
    const char *path = write_tmp("w.yml", "waivers:\n  - rule: a/b\n    document: \"x/*.md\"\n"
                                    "    clause: \"7.5\"\n    justification: why\n"
                                    "    approver: QA\n    expires: 2030-01-31\n");
    struct qms_waivers *w = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_waivers_load(&w, path, &err), 0, "%s", err.msg);
    cr_assert_eq(w->n, 1);
    cr_assert_str_eq(w->items[0].rule, "a/b");
    cr_assert_str_eq(w->items[0].document, "x/*.md");
    cr_assert_str_eq(w->items[0].clause, "7.5");
    cr_assert_str_eq(w->items[0].approver, "QA");
    int32_t day;
    cr_assert_eq(qms_waivers_parse_date("2030-01-31", &day), 0);
    cr_assert_eq(w->items[0].expires_day, day);
    cr_assert_eq(w->items[0].line, 2);
    qms_waivers_free(w);
}

Test(waivers_file, a_plain_list_and_an_empty_file_are_accepted)
{
    struct qms_waivers *w = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_waivers_load(&w, write_tmp("l.yml", "- rule: a/b\n  document: d\n"
                                                         "  justification: j\n"),
                                  &err),
                 0, "%s", err.msg);
    cr_assert_eq(w->n, 1);
    qms_waivers_free(w);
    cr_assert_eq(qms_waivers_load(&w, write_tmp("e.yml", "# nothing waived\n"), &err), 0);
    cr_assert_eq(w->n, 0);
    qms_waivers_free(w);
}

Test(waivers_file, errors_name_the_place)
{
    struct qms_waivers *w = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_waivers_load(&w, write_tmp("a.yml", "waivers:\n  - rule: a/b\n"
                                                         "    document: d\n    justification: \"\"\n"),
                                  &err),
                 QMS_ECONFIG);
    cr_assert(strstr(err.msg, "a.yml:4:20: 'justification' must not be empty"), "%s", err.msg);
    cr_assert_null(w);
    cr_assert_eq(qms_waivers_load(&w, write_tmp("b.yml", "waivers: 3\n"), &err), QMS_ECONFIG);
    cr_assert(strstr(err.msg, "must be a list"), "%s", err.msg);
    cr_assert_eq(qms_waivers_load(&w, write_tmp("c.yml", "waiver: []\n"), &err), QMS_ECONFIG);
    cr_assert(strstr(err.msg, "c.yml:1:1: unknown key 'waiver'"), "%s", err.msg);
    cr_assert_lt(qms_waivers_load(&w, "/nonexistent/w.yml", &err), 0);
}

Test(waivers_file, dates_must_be_real)
{
    int32_t d;
    cr_assert_eq(qms_waivers_parse_date("2024-02-29", &d), 0);
    cr_assert_eq(qms_waivers_parse_date("2023-02-29", &d), -1);
    cr_assert_eq(qms_waivers_parse_date("2023-13-01", &d), -1);
    cr_assert_eq(qms_waivers_parse_date("2023-1-01", &d), -1);
    cr_assert_eq(qms_waivers_parse_date("1970-01-02", &d), 0);
    cr_assert_eq(d, 1);
}

/* ---- baseline file ---- */

Test(baseline_file, loads_fingerprints_and_refuses_anything_else)
{
    struct qms_baseline *b = NULL;
    struct qms_err err = {{0}};
    const char *ok = write_tmp("b.json", "{\"version\": 1, \"findings\": ["
                                   "{\"fingerprint\": \"0123456789abcdef0123456789abcdef\"},"
                                   "{\"fingerprint\": \"0123456789abcdef0123456789abcdef\"}]}");
    cr_assert_eq(qms_baseline_load(&b, ok, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_baseline_size(b), 2, "a defect twice is two entries");
    qms_baseline_free(b);
    cr_assert_eq(qms_baseline_load(&b, write_tmp("v.json", "{\"version\": 2, \"findings\": []}"),
                                   &err),
                 QMS_EFORMAT);
    cr_assert(strstr(err.msg, "version"), "%s", err.msg);
    cr_assert_eq(qms_baseline_load(&b, write_tmp("x.json", "[1, 2]"), &err), QMS_EFORMAT);
    cr_assert_eq(qms_baseline_load(&b, write_tmp("f.json", "{\"version\": 1, \"findings\": "
                                                           "[{\"fingerprint\": \"ABC\"}]}"),
                                   &err),
                 QMS_EFORMAT);
}
