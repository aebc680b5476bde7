/* YAML -> qms_node trees: shape, positions, and every refusal with its message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "errors.h"
#include "testutil.h"
#include "ynode.h"

static struct qms_arena *arena;
static struct qms_err err;

static void setup(void)
{
    arena = qms_arena_new(0);
    memset(&err, 0, sizeof err);
}

static void teardown(void)
{
    qms_arena_free(arena);
}

TestSuite(yaml, .init = setup, .fini = teardown);

static int parse(const struct qms_node **out, const char *text, unsigned line_offset)
{
    return qms_yaml_parse(out, arena, "t.yml", text, strlen(text), line_offset, &err);
}

Test(yaml, map_with_nested_sequence_keeps_order_and_positions)
{
    const struct qms_node *root, *seq;
    cr_assert_eq(parse(&root, "title: Control of documents\nowners:\n  - QA\n  - 'Ops'\n", 0), 0,
                 "%s", err.msg);
    cr_assert_not_null(root);
    cr_assert_eq(root->kind, QMS_NODE_MAP);
    cr_assert_eq(root->n_items, 2);
    cr_assert_str_eq(root->keys[0], "title");
    cr_assert_str_eq(root->keys[1], "owners");
    cr_assert_str_eq(root->items[0].scalar, "Control of documents");
    cr_assert_eq(root->items[0].line, 1);
    cr_assert_eq(root->items[0].column, 8);
    seq = qms_node_get(root, "owners");
    cr_assert_not_null(seq);
    cr_assert_eq(seq->kind, QMS_NODE_SEQ);
    cr_assert_eq(seq->n_items, 2);
    cr_assert_str_eq(seq->items[1].scalar, "Ops");
    cr_assert_eq(seq->items[1].line, 4);
    cr_assert_eq(seq->items[1].column, 5);
    cr_assert_str_eq(seq->items[1].file, "t.yml");
    cr_assert_null(seq->items[1].items);
}

Test(yaml, key_positions_are_recorded)
{
    const struct qms_node *root;
    uint32_t line, col;
    cr_assert_eq(parse(&root, "a: 1\nbb:\n  c: 2\n", 0), 0, "%s", err.msg);
    qms_node_key_pos(root, 1, &line, &col);
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 1);
    qms_node_key_pos(&root->items[1], 0, &line, &col);
    cr_assert_eq(line, 3);
    cr_assert_eq(col, 3);
}

Test(yaml, line_offset_is_added_to_every_line)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "id: QP-01\nrev: B\n", 1), 0, "%s", err.msg);
    cr_assert_eq(qms_node_get(root, "rev")->line, 3);
    cr_assert_eq(qms_node_get(root, "rev")->column, 6);
}

Test(yaml, column_counts_code_points_after_multibyte_text)
{
    const struct qms_node *root;
    /* "é" is two bytes but one character: "b" is at column 12 (byte 13) */
    cr_assert_eq(parse(&root, "titl\xc3\xa9: [a, b]\n", 0), 0, "%s", err.msg);
    cr_assert_eq(root->items[0].items[1].column, 12);
    /* and on a later line, after a line of 3-byte characters */
    cr_assert_eq(parse(&root, "a: \xe2\x82\xac\xe2\x82\xac\nb: [c, d]\n", 0), 0, "%s", err.msg);
    cr_assert_eq(qms_node_get(root, "b")->items[1].column, 8);
}

Test(yaml, empty_document_yields_null)
{
    const struct qms_node *root = (const void *)1;
    cr_assert_eq(parse(&root, "", 0), 0);
    cr_assert_null(root);
    root = (const void *)1;
    cr_assert_eq(parse(&root, "# only a comment\n", 0), 0);
    cr_assert_null(root);
    root = (const void *)1;
    cr_assert_eq(parse(&root, "---\n...\n", 0), 0, "%s", err.msg);
    cr_assert_null(root);
}

Test(yaml, quoted_empty_scalar_is_not_empty_document)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "''\n", 0), 0, "%s", err.msg);
    cr_assert_not_null(root);
    cr_assert_str_eq(root->scalar, "");
}

Test(yaml, alias_is_refused)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: &x 1\nb: *x\n", 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:1:4: anchors and aliases are not supported (&x)");
    cr_assert_null(root);
    cr_assert_eq(parse(&root, "a: *x\n", 0), QMS_ECONFIG);
    cr_assert(strstr(err.msg, "aliases are not supported") != NULL, "%s", err.msg);
}

Test(yaml, billion_laughs_is_refused_at_first_anchor)
{
    const struct qms_node *root;
    const char *lol = "a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n";
    cr_assert_eq(parse(&root, lol, 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:1:4: anchors and aliases are not supported (&a)");
}

Test(yaml, duplicate_key_names_first_position)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "id: A\nrev: 1\n  # c\nid: B\n", 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:4:1: duplicate key 'id' (first at 1:1)");
}

Test(yaml, duplicate_key_found_in_large_map)
{
    const struct qms_node *root;
    char *text = malloc(200 * 16 + 64);
    size_t o = 0;
    int i;
    for (i = 0; i < 200; i++)
        o += (size_t)sprintf(text + o, "k%d: %d\n", i, i);
    sprintf(text + o, "k17: again\n");
    cr_assert_eq(parse(&root, text, 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:201:1: duplicate key 'k17' (first at 18:1)");
    free(text);
}

Test(yaml, non_scalar_key_is_refused)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "? [a, b]\n: 1\n", 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:1:3: map keys must be scalars");
}

Test(yaml, depth_over_64_is_refused)
{
    const struct qms_node *root;
    char text[300];
    int i;
    for (i = 0; i < 64; i++)
        text[i] = '[';
    for (i = 0; i < 64; i++)
        text[64 + i] = ']';
    text[128] = '\0';
    cr_assert_eq(parse(&root, text, 0), 0, "%s", err.msg);
    for (i = 0; i < 65; i++)
        text[i] = '[';
    for (i = 0; i < 65; i++)
        text[65 + i] = ']';
    text[130] = '\0';
    cr_assert_eq(parse(&root, text, 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:1:65: YAML nested deeper than 64 levels");
}

Test(yaml, more_than_a_million_nodes_is_refused)
{
    const struct qms_node *root;
    size_t n = 1000001, i, o = 0;
    char *text = malloc(n * 2 + 4);
    text[o++] = '[';
    for (i = 0; i < n; i++) {
        text[o++] = '1';
        text[o++] = ',';
    }
    text[o - 1] = ']';
    text[o] = '\0';
    cr_assert_eq(parse(&root, text, 0), QMS_ECONFIG);
    cr_assert(strstr(err.msg, "too many YAML nodes (more than 1000000)") != NULL, "%s", err.msg);
    free(text);
}

Test(yaml, syntax_error_has_file_line_column)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: 1\nb: [1, 2\nc: 3\n", 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg,
                     "t.yml:3:2: did not find expected ',' or ']' (while parsing a flow sequence)");
}

Test(yaml, syntax_error_line_includes_offset)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: 1\n b: 2\n", 10), QMS_ECONFIG);
    cr_assert(strncmp(err.msg, "t.yml:12:", 9) == 0, "%s", err.msg);
}

Test(yaml, invalid_utf8_is_refused_with_position)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: ok\nb: \xff\xfe\n", 0), QMS_ECONFIG);
    cr_assert(strncmp(err.msg, "t.yml:2:4: ", 11) == 0, "%s", err.msg);
}

Test(yaml, second_document_is_refused)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: 1\n---\nb: 2\n", 0), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:2:1: more than one YAML document (only one is allowed)");
}

Test(yaml, hostile_key_is_shortened_and_sanitized_in_messages)
{
    const struct qms_node *root;
    char text[600];
    char key[201];
    memset(key, 'k', 200);
    key[0] = '"';
    key[1] = '\\';
    key[2] = 'e';
    key[199] = '"';
    key[200] = '\0';
    snprintf(text, sizeof text, "%s: 1\n%s: 2\n", key, key);
    cr_assert_eq(parse(&root, text, 0), QMS_ECONFIG);
    cr_assert(strchr(err.msg, '\x1b') == NULL);
    cr_assert(strstr(err.msg, "'?kkk") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "...' (first at 1:1)") != NULL, "%s", err.msg);
}

Test(yaml, node_get_returns_null_for_missing_and_non_maps)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "a: [x]\n", 0), 0);
    cr_assert_null(qms_node_get(root, "b"));
    cr_assert_null(qms_node_get(qms_node_get(root, "a"), "x"));
    cr_assert_null(qms_node_get(NULL, "a"));
}

Test(yaml, node_bool_accepts_yaml_words)
{
    const struct qms_node *root;
    int v = -1;
    cr_assert_eq(parse(&root, "a: yes\nb: Off\nc: TRUE\nd: maybe\ne: []\n", 0), 0);
    cr_assert_eq(qms_node_bool(qms_node_get(root, "a"), &v, &err), 0);
    cr_assert_eq(v, 1);
    cr_assert_eq(qms_node_bool(qms_node_get(root, "b"), &v, &err), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(qms_node_bool(qms_node_get(root, "c"), &v, &err), 0);
    cr_assert_eq(v, 1);
    cr_assert_eq(qms_node_bool(qms_node_get(root, "d"), &v, &err), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:4:4: expected a boolean (true/false, yes/no, on/off), got 'maybe'");
    cr_assert_eq(qms_node_bool(qms_node_get(root, "e"), &v, &err), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:5:4: expected a boolean (true/false, yes/no, on/off), got a sequence");
}

Test(yaml, node_long_checks_syntax_and_range)
{
    const struct qms_node *root;
    long v = 0;
    cr_assert_eq(parse(&root, "a: 12\nb: 12x\nc: 99\nd: -3\ne: 99999999999999999999999\n", 0), 0);
    cr_assert_eq(qms_node_long(qms_node_get(root, "a"), 1, 50, &v, &err), 0);
    cr_assert_eq(v, 12);
    cr_assert_eq(qms_node_long(qms_node_get(root, "b"), 1, 50, &v, &err), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:2:4: expected an integer from 1 to 50, got '12x'");
    cr_assert_eq(qms_node_long(qms_node_get(root, "c"), 1, 50, &v, &err), QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:3:4: integer 99 out of range (expected 1 to 50)");
    cr_assert_eq(qms_node_long(qms_node_get(root, "d"), -5, 5, &v, &err), 0);
    cr_assert_eq(v, -3);
    cr_assert_eq(qms_node_long(qms_node_get(root, "e"), 0, 5, &v, &err), QMS_ECONFIG);
}

Test(yaml, node_err_formats_position)
{
    const struct qms_node *root;
    cr_assert_eq(parse(&root, "x:\n  y: z\n", 0), 0);
    cr_assert_eq(qms_node_err(&err, qms_node_get(qms_node_get(root, "x"), "y"), "bad %s", "thing"),
                 QMS_ECONFIG);
    cr_assert_str_eq(err.msg, "t.yml:2:6: bad thing");
}

Test(yaml, load_reads_a_file_and_reports_missing_ones)
{
    const struct qms_node *root;
    char *dir = qms_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/p.yml", dir);
    cr_assert_eq(qms_test_write(path, "k: v\n", 5), 0);
    cr_assert_eq(qms_yaml_load(&root, arena, path, &err), 0, "%s", err.msg);
    cr_assert_str_eq(qms_node_get(root, "k")->scalar, "v");
    cr_assert_str_eq(root->file, path);
    snprintf(path, sizeof path, "%s/missing.yml", dir);
    cr_assert_eq(qms_yaml_load(&root, arena, path, &err), QMS_EIO);
    cr_assert(strstr(err.msg, "missing.yml: No such file or directory") != NULL, "%s", err.msg);
    cr_assert_eq(qms_yaml_load(&root, arena, dir, &err), QMS_EIO);
    cr_assert(strstr(err.msg, ": not a regular file") != NULL, "%s", err.msg);
}
