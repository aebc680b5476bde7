/*
 * The block scanner (md_block.c) against tree-sitter's block grammar: every input is read
 * twice, scanner allowed and scanner off, and the two models must be equal field by field.
 * Hand-written cases say also which path they must take, so that a scanner that gave up on
 * everything could not pass.
 */
#define _XOPEN_SOURCE 700
#include "md_test.h"

#include <dirent.h>
#include <ftw.h>

#include "md_diff.h"

/* Reads one input both ways: fails on a difference, returns whether the scanner took it. */
static int both(const char *name, const char *data, size_t len)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    char msg[512];
    int r = md_read_both(name, data, len, &limits, msg, sizeof msg);
    cr_assert_neq(r, -1, "%s: the scanner and the grammar disagree: %s\n---\n%.*s\n---", name,
                  msg, (int)(len > 2000 ? 2000 : len), data);
    return r;
}

static int both_str(const char *text) { return both("case.md", text, strlen(text)); }

/* What the scanner must read itself. */
static const char *const taken[] = {
    "# Title\n\nText.\n",
    "# Head  ##\n\npara one\n  cont line  \nthird\n",
    "#   Head   \n\n#\n\n# Head #  \n###### six\n####### seven\n",
    "# Scope {#scope}\n\n## A\n\n## A\n\n## A {#a-1}\n",
    "## 1. Purpose\n\nThe purpose.\n\n## 2. Scope\nNo blank line before this.\n",
    "Text with *emphasis*, `code`, [link](http://x.y \"t\") and ![img](p.png).\n",
    "A comment <!-- qmslint-disable QMS001 --> and <a id=\"here\"></a> an anchor.\n",
    "Text <!-- not at the line start --> is fine\n\ntext <!-- open\ncomment -->\n",
    "hard  \nbreak and soft\nbreak\\\nbackslash\n",
    "See https://example.com/x. and www.example.org, or <https://a.b/c> and <me@x.org>.\n",
    "See [[Wiki|text]] link and [[Other#Part]] and `[[code]]`\n",
    "a\n# heading after\nb\n",
    "text: [link] without a definition\n[x][y] and [z][]\n",
    "Entities &amp; &copy; &#x41; and \\*escapes\\*\n",
    "2024 was a year.\n1 000 items\n",
    "```c\ncode\n\n```\n\n~~~~ info `x`\nA\n~~~\n~~~~~\n\n```\n```\n",
    "````\n```\nnested\n```\n````\n",
    "```\ncode\twith tab\n```\n",
    "a\n\n***\n\n___\n\n-----   \n\nb\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n|x\n",
    "| a | b |\n|---|---|\n| `c|d` | e |\n",
    "| Rev | Date | Description |\n|---|---|---|\n| 01 | 2016-01-01 | Initial *issue* [x](y) |\n"
    "| 02 | 2017-01-01 | See https://x.y/z |\n\nAfter.\n",
    "| a |\n|---|\n| 1 | 2 | 3 |\n| 4 |\n",
    "| a | b\n| --- | ---: |\n| c | d   \n| e |   \n",
    "# H\n| a |\n|:---:|\n| <!-- c --> x |\n\n# Next\n",
    "---\ntitle: x\nrevision: \"02\"\n---\n\n# H\n\nBody.\n",
    "# H\r\n\r\ntext\r\nmore\r\n",
    "\xEF\xBB\xBF# BOM\n\ntext",
    "text without a line end",
    "Caf\xC3\xA9 \xE2\x80\x94 \xCE\xB1\xCE\xB2\xCE\xB3 unicode text\n\n# \xC3\x9C" "ber\n",
    "para\n    indented continuation\nend\n",
    "x [a\nb](c) y\n",
    "a *b\nc* d\n",
    "**Document ID:** QP-008\n**Revision:** C\n-5 degrees\n+x\n_y_\n*z*\n",
    "Escort: XXX\n<!-- qmslint-enable -->\nnext para\n\n"
    "<!-- a\nb --> tail <a id=\"x\">\n<!-- c -->\n",
    "<!-- qmslint-disable-next-line structure/placeholder-text -->\nDeputy: TBD\n",
    "- item\n",
    "* item\n",
    "1. one\n",
    "2) two\n",
    "- a\n  b\n  - c\n    d\n     e\n- e\n\n  f\n  g\n\n1. x\n   y\n",
    "- one\n- two\n\n- three\n\ntext after\n",
    "1. a\n2. b\n   1. nested\n   2. more\n3. c\n\n10. ten\n    text\n",
    "Title\n=====\n",
    "Title\n---\n",
    "Title {#t}\n=====\n\nTwo\nlines  \n---\ntext\n\nX\n===  \n# After\n",
    "* a *b*\n* see [link](x) and https://x.y/z\n* x <!-- c -->\n",
    "- a\n\n  second paragraph\n  - nested\n\n  back in a\n- b\n",
    "# H\n\n- a\n- b\n\n| x |\n|---|\n| 1 |\n",
};

/* Near misses the scanner must leave to the grammar. */
static const char *const left[] = {
    "+ item\n",
    "> quote\n",
    "<div>\nx\n</div>\n",
    "    code\n",
    " indented paragraph\n",
    "\tx\n",
    "para\n***\n",
    "para\n- item\n",
    "para\n> quote\n",
    "para\n1. item\n",
    "para\n```\ncode\n```\n",
    "para\n<div>\n",
    "[a]: /url\n\n[a]\n",
    "[a\nb]: /url\n",
    "| a |\n| b |\n",
    "||a|\n|--|\n",
    "| a |\n|---|\n||b|\n",
    "| a | |\n|---|---|\n",
    "| a | b |\n|---|\n",
    "| a |\n|---|\nnot a row\n",
    "| a \\| b |\n|---|\n",
    "a | b\n--|--\n",
    "text\n| a |\n|---|\n",
    "```\nunclosed\n",
    "```\ncode\n  ```\n",
    "``` in`fo\n```\n",
    "#\tTab heading\n",
    "# Tab\theading\n",
    "## ##\n",
    "+++\nx = 1\n+++\n",
    "---\nnot front matter\n",
    "$$\nx\n$$\n",
    "para\n # indented heading\n",
    "text\n  \t\nmore\n",
    "<!-- never closed\n\ntext\n",
    "<!-->\ntext\n",
    "<!--->\ntext\n",
    "<div id=\"x\">\n",
    " <!-- indented -->\n",
    "para\n-\n",
    "para\n* x\n",
    "para\n- - -\n",
    "para\n_ _ _\n",
    "para\n==\n",
    "*\n",
    "+++\n",
    "|a\n|  -",
    "|a\n|-|\n",
    "|a|\n|-\n",
    "aaa\n       ~~~      bbb\n",
    "- a\nlazy\n",
    "- a\n - b\n",
    "- a\n   - b\n",
    "-  two spaces\n",
    "- [ ] task\n",
    "- a\n* b\n",
    "- a\n\n      code\n",
    "- a\n  2. b\n",
    "- # heading\n",
    "- > quote\n",
    "-\n  a\n",
    "- a\n\n  ```\n  x\n  ```\n",
    "1. a\n\n    b\n",
    "- a\n# H\n",
    "- a\n  ---\n",
    "- a\n  ===\n",
    " Title\n===\n",
    "* * *\n",
    "``` <>\n\n\n```    \n",
    "```\nx\n``` \n",
    "~~~\n\\[\\]~~~\n\\[\\]\n~~~\n",
    "~~~\nabc~~~\nx\n~~~\n",
    "text\n[a]: /url\n",
    "[\\\\   Z\\",
    "[link] text\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n|---|---|\n| 3 | 4 |\n",
    "a|b\n---\n",
    "Y\n- - -\n",
    "Z\n= = =\n",
    "W\n-\n",
    "| a |\n|---|\n|---|\n",
    "| a |\n|---|\n| 1 |\n| :-: |\n",
};

/* Either path, as long as they agree. */
static const char *const probes[] = {
    "| `a | b` |\n|---|---|\n| c | `d |\n",
    "| a | b |\n|---|---|\n| <span a=\"|\"> | x |\n",
    "| a | b |\n|---|---|\n| [x|y](z) | **b|c** |\n",
    "| a | b |\n|---|---|\n| ``` | ~~~ |\n",
    "# foo \\#\n# foo#\n#  \n## ## x ##\n",
    "text ```\nmore ~~~\n",
    "- a ```\n  b ~~~\n",
    "a\n\f\nb\n",
    "a\v\nb\n",
    "- a\n\n\n  b\n",
    "- a\n  \n  b\n",
    "1. a\n1. b\n  1. c\n",
    "- a\n  - b\n    - c\n      - d\n  - e\n- f\n",
    "-\ta\n",
    "- a\n\n- b\n\n\n- c\n",
    "# h\n- a\n",
    "- a\n<!-- c -->\n",
    "- a\n\n<!-- c -->\n- b\n",
    "<!-- a --> b\n<!-- c -->\n",
    "x\n<!-- a\n\nb -->\n",
    "| a |\n|---|\n| b |\n<!-- c -->\n",
    "```\na\n```\n```\nb\n```\n",
    "***\n---\n___\n",
    "a\n***\n",
};

Test(markdown_fastpath, probes_read_alike)
{
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        both_str(probes[i]);
}

Test(markdown_fastpath, scanner_reads_the_common_forms_as_the_grammar)
{
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
        cr_expect_eq(both_str(taken[i]), 1, "case %zu was left to the grammar:\n%s", i, taken[i]);
}

Test(markdown_fastpath, scanner_leaves_the_rest_to_the_grammar)
{
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
        cr_expect_eq(both_str(left[i]), 0, "case %zu was taken by the scanner:\n%s", i, left[i]);
}

Test(markdown_fastpath, shallow_depth_cap_goes_to_the_grammar)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_depth = 4;
    char msg[512];
    const char *text = "# A\n\n## B\n\n### C\n\ntext\n";
    cr_assert_eq(md_read_both("deep.md", text, strlen(text), &limits, msg, sizeof msg), 0, "%s",
                 msg);
}

Test(markdown_fastpath, model_caps_fail_alike)
{
    const char *text = "# A\n\nSome text that is long enough to count.\n\n| a | b |\n|---|---|\n"
                       "| 1 | 2 |\n\n```\ncode\n```\n";
    char msg[512];
    for (uint64_t cap = 64; cap <= 1u << 20; cap *= 2) {
        struct qms_limits limits;
        qms_limits_default(&limits);
        limits.max_doc_memory = cap;
        cr_assert_neq(md_read_both("cap.md", text, strlen(text), &limits, msg, sizeof msg), -1,
                      "cap %llu: %s", (unsigned long long)cap, msg);
    }
}

static size_t fixtures_seen, fixtures_fast;

static int fixture_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || n < 3 || strcmp(path + n - 3, ".md") != 0)
        return 0;
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    if (!data)
        return 0;
    fixtures_fast += both(path, data, len) == 1;
    fixtures_seen++;
    free(data);
    return 0;
}

Test(markdown_fastpath, every_markdown_fixture_reads_alike)
{
    cr_assert_eq(nftw(QMS_TEST_SOURCE_DIR "/fixtures", fixture_one, 16, FTW_PHYS), 0);
    cr_log_info("fixtures: %zu Markdown files, %zu by the scanner", fixtures_seen, fixtures_fast);
    cr_assert_gt(fixtures_seen, 50);
    cr_assert_gt(fixtures_fast, 0);
}

static size_t regressions_seen;

static int regression_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    size_t len = 0;
    char *data = qms_test_read(path, &len);
    if (!data)
        return 0;
    both(path, data, len);
    regressions_seen++;
    free(data);
    return 0;
}

/* Every input fuzz_markdown kept, the differences its differential mode found included. */
Test(markdown_fastpath, fuzz_regressions_read_alike)
{
    cr_assert_eq(nftw(QMS_TEST_SOURCE_DIR "/fuzz/regressions/fuzz_markdown", regression_one, 16,
                      FTW_PHYS),
                 0);
    cr_assert_gt(regressions_seen, 0);
}

struct tally {
    size_t seen, fast;
};

static void example_one(const char *name, const char *data, size_t len, void *payload)
{
    struct tally *t = payload;
    t->fast += both(name, data, len) == 1;
    t->seen++;
}

Test(markdown_fastpath, spec_examples_read_alike, .timeout = 600)
{
    char *dir = qms_test_shared("corpus/md");
    if (!dir)
        cr_skip_test("../shared/corpus/md is absent");
    DIR *dh = opendir(dir);
    cr_assert_not_null(dh);
    struct dirent *e;
    struct tally t = {0, 0};
    size_t files = 0, files_fast = 0;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *data = qms_test_read(path, &len);
        if (!data)
            continue;
        files_fast += both(e->d_name, data, len) == 1;
        files++;
        md_spec_examples(data, example_one, &t);
        free(data);
    }
    closedir(dh);
    free(dir);
    cr_log_info("corpus: %zu files (%zu by the scanner), %zu examples (%zu by the scanner)", files,
                files_fast, t.seen, t.fast);
    cr_assert_gt(t.seen, 600);
    cr_assert_gt(t.fast, 0);
}
