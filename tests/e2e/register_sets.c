/* `qmslint register`: the document register of fixtures/sample-qms (Markdown, DOCX, ODT). */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static struct run reg(const char *format)
{
    char *dir = e2e_fixture("sample-qms");
    struct run r = e2e_run_all(NULL, ARGV("register", "--only-plugin", "structure", "--format",
                                          format, dir));
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    return r;
}

Test(register, json_lists_every_document_sorted_by_id)
{
    struct run r = reg("json");
    char why[256] = "";
    struct jv *root = jv_parse(r.out, why, sizeof why);
    cr_assert_not_null(root, "%s", why);
    const struct jv *docs = jv_get(root, "documents");
    cr_assert(docs && docs->type == JV_ARRAY && docs->n == 16, "%s", r.out);
    for (size_t i = 1; i < docs->n; i++) {
        const struct jv *a = jv_get(&docs->items[i - 1], "id"), *b = jv_get(&docs->items[i], "id");
        cr_assert(a->type == JV_STRING && b->type == JV_STRING);
        cr_assert_lt(strcmp(a->string, b->string), 0, "%s before %s", a->string, b->string);
    }
}

Test(register, json_reads_the_docx_and_odt_metadata)
{
    struct run r = reg("json");
    struct jv *root = jv_parse(r.out, NULL, 0);
    cr_assert_not_null(root);
    const struct jv *docs = jv_get(root, "documents");
    int docx = 0, odt = 0;
    for (size_t i = 0; i < docs->n; i++) {
        const struct jv *d = &docs->items[i];
        const char *path = jv_get(d, "path")->string;
        if (strcmp(path, "QP-8.4-01_External_Providers.docx") == 0) {
            docx = 1;
            cr_assert_str_eq(jv_get(d, "id")->string, "QP-8.4-01");
            cr_assert_str_eq(jv_get(d, "revision")->string, "B");
            cr_assert_str_eq(jv_get(d, "type")->string, "procedure");
        } else if (strcmp(path, "WI-7.1-01_Calibration.odt") == 0) {
            odt = 1;
            cr_assert_str_eq(jv_get(d, "id")->string, "WI-7.1-01");
            cr_assert_str_eq(jv_get(d, "effective_date")->string, "2022-10-01");
        }
    }
    cr_assert(docx && odt);
}

Test(register, markdown_is_a_table_with_the_register_columns)
{
    struct run r = reg("md");
    cr_assert(strstr(r.out, "| ID | Title | Revision | Status | Effective | Approver | Type | Path |"),
              "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^\\| QP-9\\.3-01 \\| Management Review \\| A \\| draft \\| — \\|"),
              "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\n| "), 17, "header + 16 rows:\n%s", r.out);
}

Test(register, csv_has_a_header_and_one_row_per_document)
{
    struct run r = reg("csv");
    cr_assert(strncmp(r.out, "ID,Title,Revision,Status,Effective,Approver,Type,Path\r\n", 54) == 0,
              "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\r\n"), 17);
    /* the revision as the document writes it (front matter `revision: "04"`), not "4" */
    cr_assert(strstr(r.out, "\"QM-001\",\"Quality Manual\",\"04\",\"approved\""), "%s", r.out);
}

Test(register, rejects_html)
{
    char *dir = e2e_fixture("sample-qms");
    struct run r = e2e_run_all(NULL, ARGV("register", "--format", "html", dir));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not a register format"), "%s", r.err);
}
