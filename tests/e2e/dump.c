/* `qmslint dump`: the model of fixtures/e2e/dump/model.md with exact line:column. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static struct run dump_text(void)
{
    char *file = e2e_fixture("e2e/dump/model.md");
    struct run r = e2e_run(NULL, ARGV("dump", file));
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    return r;
}

static void assert_line(const char *out, const char *ere)
{
    cr_assert(e2e_some_line_matches(out, ere), "no line matches %s in:\n%s", ere, out);
}

Test(dump, text_shows_headings_with_level_and_position)
{
    struct run r = dump_text();
    assert_line(r.out, "^block [0-9]+ heading level=1 at 7:1 section=\"Calibration of torque "
                       "wrenches\" \"Calibration of torque wrenches\"$");
    assert_line(r.out, "^block [0-9]+ heading level=2 flags=setext at 9:1 .*\"Setext heading\"$");
}

Test(dump, text_shows_the_document_header_and_counts)
{
    struct run r = dump_text();
    assert_line(r.out, "^document \".*model\\.md\" format=markdown flags=front-matter$");
    assert_line(r.out, "^counts blocks=[0-9]+ tables=1 links=3 anchors=2 properties=3 ");
    assert_line(r.out, "^metadata$"); /* issue 5: the record follows (tests/e2e/register_dump.c) */
}

Test(dump, text_shows_table_with_cells)
{
    struct run r = dump_text();
    assert_line(r.out, "^table 0 rows=3 cols=3 cells=9 at 14:1$");
    assert_line(r.out, "^  cell 0,0 header at 14:3 \"Rev\"$");
    assert_line(r.out, "^  cell 2,2 at 17:22 \"New tool list\"$");
    assert_line(r.out, "^block [0-9]+ table-cell table=0 row=1 col=1 flags=in-table at 16:9 "
                       ".*\"2024-03-12\"$");
}

Test(dump, text_shows_links_of_each_kind)
{
    struct run r = dump_text();
    assert_line(r.out, "^link [0-9]+ hyperlink file target=\"QP-007\\.md#scope\" anchor=\"scope\" "
                       "at 12:5 \"the procedure\"$");
    assert_line(r.out, "^link [0-9]+ autolink url target=\"https://www\\.iso\\.org/standard/"
                       "62085\\.html\" at 12:42 ");
    assert_line(r.out, "^link [0-9]+ reference file target=\"forms/FRM-011\\.md\" at 19:13 "
                       "\"tool list\"$");
}

Test(dump, text_shows_anchors_and_front_matter_properties)
{
    struct run r = dump_text();
    assert_line(r.out, "^anchor 0 heading \"calibration-of-torque-wrenches\" at 7:1$");
    assert_line(r.out, "^anchor 1 heading \"setext-heading\" at 9:1$");
    assert_line(r.out, "^property [0-9]+ front-matter \"id\" = \"WI-042\" .*at 2:5$");
    assert_line(r.out, "^property [0-9]+ front-matter \"owner\" = \"Quality Manager\" .*at 4:8$");
}

Test(dump, text_shows_nested_list_items)
{
    struct run r = dump_text();
    assert_line(r.out, "^block [0-9]+ list-item level=1 at 19:3 .*\"Check the tool list\\.\"$");
    assert_line(r.out, "^block [0-9]+ list-item level=2 at 20:5 .*\"Nested item\"$");
}

Test(dump, json_is_valid_and_holds_the_same_model)
{
    char *file = e2e_fixture("e2e/dump/model.md");
    struct run r = e2e_run(NULL, ARGV("dump", "--format", "json", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert(root, "invalid JSON (%s): %s", why, r.out);
    cr_assert_str_eq(jv_get(root, "format")->string, "markdown");
    cr_assert_eq(jv_get(root, "metadata")->type, JV_OBJECT); /* issue 5 */
    const struct jv *h = jv_at(root, "blocks.0");
    cr_assert_str_eq(jv_get(h, "kind")->string, "heading");
    cr_assert_eq(jv_get(h, "level")->number, 1);
    cr_assert_eq(jv_at(h, "location.line")->number, 7);
    cr_assert_eq(jv_at(h, "location.column")->number, 1);
    cr_assert_eq(jv_at(h, "location.part")->type, JV_NULL);
    cr_assert_eq(jv_get(root, "links")->n, 3);
    cr_assert_eq(jv_at(root, "tables.0.rows")->number, 3);
    cr_assert_eq(jv_at(root, "tables.0.cells")->n, 9);
    cr_assert_str_eq(jv_at(root, "tables.0.cells.0.text")->string, "Rev");
    cr_assert_eq(jv_at(root, "tables.0.cells.0.header")->boolean, 1);
    cr_assert_eq(jv_get(root, "properties")->n, 3);
    for (const char *const *k = ARGV("blocks", "tables", "links", "anchors", "properties",
                                     "review", "fields", "flags", "review_counts");
         *k; k++)
        cr_assert(jv_get(root, *k), "dump lacks %s", *k);
}

Test(dump, text_and_json_dump_the_same_number_of_blocks)
{
    char *file = e2e_fixture("e2e/dump/model.md");
    struct run t = e2e_run(NULL, ARGV("dump", file));
    struct run j = e2e_run(NULL, ARGV("dump", "--format=json", file));
    struct jv *root = jv_parse(j.out, NULL, 0);
    cr_assert(root);
    cr_assert_eq(e2e_count(t.out, "\nblock "), jv_get(root, "blocks")->n);
}

Test(dump, unreadable_file_exits_one_with_the_reason)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "bad.md", "ok\n\xff\n", 5);
    struct run r = e2e_run(dir, ARGV("dump", "bad.md"));
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: bad\\.md: .*UTF-8"), "%s", r.err);
    cr_assert_eq(e2e_lines(r.err), 1);
    cr_assert_str_empty(r.out);
}

Test(dump, missing_file_and_folder_are_usage_errors)
{
    char *dir = qms_test_tmpdir();
    struct run r = e2e_run(dir, ARGV("dump", "nope.md"));
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "qmslint: nope.md: no such file or directory\n");
    r = e2e_run(NULL, ARGV("dump", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "is a folder"), "%s", r.err);
}

Test(dump, control_characters_are_escaped_in_text)
{
    char *dir = qms_test_tmpdir();
    const char *doc = "# Bell\x07 and \033[31mred\n\nText.\n";
    e2e_write(dir, "ctl.md", doc, strlen(doc));
    struct run r = e2e_run(dir, ARGV("dump", "ctl.md"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strchr(r.out, '\033'));
    cr_assert_null(strchr(r.out, '\x07'));
    cr_assert(strstr(r.out, "Bell\\x07 and \\x1b[31mred"), "%s", r.out);
}
