/* `qmslint dump` shows the metadata record (issue 5): every value of every field with its
 * source, the revision history and register rows, in text and JSON. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void assert_line(const char *out, const char *ere)
{
    cr_assert(e2e_some_line_matches(out, ere), "no line matches %s in:\n%s", ere, out);
}

Test(dump_meta, text_shows_every_value_with_its_source)
{
    char *file = e2e_fixture("sample-qms/QP-8.4-01_External_Providers.docx");
    struct run r = e2e_run(NULL, ARGV("dump", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_line(r.out, "^metadata$");
    assert_line(r.out, "^meta id \"QP-8\\.4-01\" raw=\"QP-8\\.4-01\" source=custom-property "
                       "label=\"Document ID\" at \"docProps/custom\\.xml\"");
    assert_line(r.out, "^meta id \"QP-8\\.4-01\" .*source=file-name");
    /* the DOCX disagrees with itself: custom property B, header C; both are kept */
    assert_line(r.out, "^meta revision \"B\" .*source=custom-property .*rev=letter");
    assert_line(r.out, "^meta revision \"C\" .*source=header label=\"Rev\" rev=letter at "
                       "\"word/header1\\.xml\"");
    assert_line(r.out, "^meta review_date none$");
    assert_line(r.out, "^history [0-9]+ current revision=\"B\" date=\"2025-02-01\"");
}

Test(dump_meta, text_flags_placeholders)
{
    char *file = e2e_fixture("sample-qms/QP-9.3-01_Management_Review.md");
    struct run r = e2e_run(NULL, ARGV("dump", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_line(r.out, "^meta effective_date \"\" raw=\"YYYY-MM-DD\" source=front-matter "
                       "label=\"[a-z_]+\" flags=placeholder at 6:17$");
}

Test(dump_meta, json_has_fields_history_and_register)
{
    char *file = e2e_fixture("sample-qms/REG-001_Master_Document_List.md");
    struct run r = e2e_run(NULL, ARGV("dump", "--format", "json", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert_not_null(root, "%s", why);
    const struct jv *ids = jv_at(root, "metadata.fields.id");
    cr_assert(ids && ids->type == JV_ARRAY && ids->n >= 1);
    cr_assert_str_eq(jv_get(&ids->items[0], "value")->string, "REG-001");
    cr_assert_str_eq(jv_get(&ids->items[0], "source")->string, "front-matter");
    const struct jv *reg = jv_at(root, "metadata.register");
    cr_assert(reg && reg->type == JV_ARRAY && reg->n >= 5, "register rows: %s", r.out);
    const struct jv *first = jv_at(&reg->items[0], "id.value");
    cr_assert(first && first->type == JV_STRING && first->string[0]);
    cr_assert_eq(jv_at(root, "metadata.history")->type, JV_ARRAY);
}
