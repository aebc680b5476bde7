/* A Word document end to end: the part:¶N (section) location form in text and JSON. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

Test(docx_output, text_names_part_paragraph_and_section)
{
    char *dir = e2e_fixture("e2e/docx");
    struct run r = e2e_run(NULL, ARGV("check", dir));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out,
                     "site-guide.docx:word/document.xml:\xC2\xB6"
                     "4 (1.1 Contacts): warning: placeholder 'TBD' left in text ('to be "
                     "determined' marker) [structure/placeholder-text]\n"
                     "0 errors, 1 warning, 0 info in 1 document\n");
}

Test(docx_output, json_location_has_part_block_and_section)
{
    char *dir = e2e_fixture("e2e/docx");
    struct run r = e2e_run(NULL, ARGV("check", "--format", "json", dir));
    struct jv *root = jv_parse(r.out, NULL, 0);
    cr_assert(root, "%s", r.out);
    cr_assert_str_eq(jv_at(root, "documents.0.format")->string, "docx");
    const struct jv *loc = jv_at(root, "findings.0.location");
    cr_assert_str_eq(jv_get(loc, "part")->string, "word/document.xml");
    cr_assert_eq(jv_get(loc, "block")->number, 4);
    cr_assert_str_eq(jv_get(loc, "section")->string, "1.1 Contacts");
}

Test(docx_output, dump_shows_styles_and_paragraph_ordinals)
{
    char *file = e2e_fixture("e2e/docx/site-guide.docx");
    struct run r = e2e_run(NULL, ARGV("dump", file));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(e2e_some_line_matches(r.out, "^block 0 heading level=1 style=\"heading 1\" at "
                                           "\"word/document\\.xml\":\xC2\xB6" "1@3:1 "),
              "%s", r.out);
    cr_assert(e2e_some_line_matches(r.out, "^block 3 paragraph .*\xC2\xB6" "4@6:1 section=\"1\\.1 "
                                           "Contacts\" \"Site contact: TBD\"$"),
              "%s", r.out);
}
