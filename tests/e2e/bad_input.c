/* Issue 2's bad-input list, end to end: each case gets a clear one-line reason and the run
 * goes on with the other documents. Hostile files are generated here, next to a good one. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *set_with_good_document(void)
{
    char *dir = qms_test_tmpdir();
    cr_assert(dir);
    const char *good = "# Good\n\nA readable document.\n";
    e2e_write(dir, "good.md", good, strlen(good));
    return dir;
}

static int icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; p && *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return 1;
    return 0;
}

struct checked {
    struct run run;
    struct jv *json;
};

static struct checked check_json_verbose(const char *dir)
{
    struct checked c;
    c.run = e2e_run(dir, ARGV("check", "--verbose", "--format", "json"));
    char why[256] = "";
    c.json = jv_parse(c.run.out, why, sizeof why);
    cr_assert(c.json, "invalid JSON (%s): %s\nstderr: %s", why, c.run.out, c.run.err);
    cr_assert(c.run.status == 0 || c.run.status == 1, "exit %d: %s", c.run.status, c.run.err);
    return c;
}

static const struct jv *document(const struct checked *c, const char *path)
{
    const struct jv *docs = jv_get(c->json, "documents");
    for (size_t i = 0; docs && i < docs->n; i++)
        if (strcmp(jv_get(&docs->items[i], "path")->string, path) == 0)
            return &docs->items[i];
    return NULL;
}

/* The good document was checked; `bad` is unreadable with a reason containing `word`, and a
 * core/unreadable error finding says so too. */
static void assert_unreadable(const struct checked *c, const char *bad, const char *word)
{
    const struct jv *good = document(c, "good.md");
    cr_assert(good, "the good document is still checked: %s", c->run.out);
    cr_assert_eq(jv_get(good, "unreadable")->boolean, 0);
    const struct jv *d = document(c, bad);
    cr_assert(d, "%s listed in documents: %s", bad, c->run.out);
    cr_assert_eq(jv_get(d, "unreadable")->boolean, 1, "%s unreadable", bad);
    const struct jv *reason = jv_get(d, "reason");
    cr_assert(reason && reason->type == JV_STRING, "a reason for %s", bad);
    cr_assert(icontains(reason->string, word), "reason '%s' should mention '%s'", reason->string,
              word);
    cr_assert_null(strchr(reason->string, '\n'), "one-line reason");
    const struct jv *findings = jv_get(c->json, "findings");
    int found = 0;
    for (size_t i = 0; i < findings->n; i++) {
        const struct jv *f = &findings->items[i];
        if (strcmp(jv_get(f, "path")->string, bad) != 0)
            continue;
        cr_assert_str_eq(jv_get(f, "rule")->string, "core/unreadable");
        cr_assert_str_eq(jv_get(f, "severity")->string, "error");
        cr_assert(icontains(jv_get(f, "message")->string, word), "message '%s' lacks '%s'",
                  jv_get(f, "message")->string, word);
        found = 1;
    }
    cr_assert(found, "a core/unreadable finding for %s: %s", bad, c->run.out);
    cr_assert_eq(c->run.status, 1, "an unreadable document fails the default --fail-on error");
}

Test(bad_input, missing_path_exits_two_with_its_name)
{
    char *dir = set_with_good_document();
    struct run r = e2e_run(dir, ARGV("check", "good.md", "gone.md"));
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "qmslint: gone.md: no such file or directory\n");
}

Test(bad_input, folder_without_documents_says_so_and_exits_zero)
{
    char *dir = qms_test_tmpdir();
    e2e_write(dir, "sub/readme.txt", "text\n", 5);
    struct run r = e2e_run(dir, ARGV("check", "sub"));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "qmslint: no documents found in sub\n");
    cr_assert_str_empty(r.out);
}

Test(bad_input, empty_file_is_unreadable)
{
    char *dir = set_with_good_document();
    e2e_write(dir, "empty.md", "", 0);
    struct checked c = check_json_verbose(dir);
    assert_unreadable(&c, "empty.md", "empty");
}

Test(bad_input, binary_file_named_md_is_unreadable)
{
    char *dir = set_with_good_document();
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    e2e_write(dir, "logo.md", png, sizeof png - 1);
    struct checked c = check_json_verbose(dir);
    assert_unreadable(&c, "logo.md", "binary");
}

Test(bad_input, invalid_utf8_is_unreadable_with_its_position)
{
    char *dir = set_with_good_document();
    const char *latin1 = "# Pr\xfc" "fung\n\nText.\n";
    e2e_write(dir, "latin1.md", latin1, strlen(latin1));
    struct checked c = check_json_verbose(dir);
    assert_unreadable(&c, "latin1.md", "UTF-8");
    const struct jv *d = document(&c, "latin1.md");
    cr_assert(icontains(jv_get(d, "reason")->string, "line 1"), "%s",
              jv_get(d, "reason")->string);
}

Test(bad_input, fifty_megabyte_single_line_is_refused_quickly, .timeout = 60)
{
    char *dir = set_with_good_document();
    char *path = e2e_path(dir, "huge.md");
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    char chunk[65536];
    memset(chunk, 'a', sizeof chunk);
    for (size_t written = 0; written < 50u * 1024 * 1024; written += sizeof chunk)
        cr_assert_eq(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
    fputc('\n', f);
    cr_assert_eq(fclose(f), 0);
    struct checked c = check_json_verbose(dir);
    assert_unreadable(&c, "huge.md", "line 1");
}

Test(bad_input, fifo_named_md_does_not_hang_the_run, .timeout = 60)
{
    char *dir = set_with_good_document();
    char *fifo = e2e_path(dir, "pipe.md");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    struct checked c = check_json_verbose(dir);
    cr_assert(document(&c, "good.md"), "%s", c.run.out);
    /* Either a skip with its reason (--verbose) or an unreadable document: never silence. */
    const struct jv *d = document(&c, "pipe.md");
    if (d)
        cr_assert_eq(jv_get(d, "unreadable")->boolean, 1);
    else
        cr_assert(strstr(c.run.err, "skipped pipe.md: "), "%s", c.run.err);
}

Test(bad_input, dangling_symlink_is_reported)
{
    char *dir = set_with_good_document();
    char *link = e2e_path(dir, "moved.md");
    cr_assert_eq(symlink("no-longer-here.md", link), 0);
    struct checked c = check_json_verbose(dir);
    cr_assert(document(&c, "good.md"));
    const struct jv *d = document(&c, "moved.md");
    if (d)
        cr_assert_eq(jv_get(d, "unreadable")->boolean, 1);
    else
        cr_assert(strstr(c.run.err, "skipped moved.md: "), "%s", c.run.err);
}

Test(bad_input, symlink_loop_is_reported_and_the_run_goes_on, .timeout = 60)
{
    char *dir = set_with_good_document();
    char *self = e2e_path(dir, "self.md");
    cr_assert_eq(symlink("self.md", self), 0);
    char *sub = e2e_path(dir, "sub");
    cr_assert_eq(mkdir(sub, 0755), 0);
    char *back = e2e_path(dir, "sub/back");
    cr_assert_eq(symlink("..", back), 0);
    struct checked c = check_json_verbose(dir);
    cr_assert(document(&c, "good.md"), "%s", c.run.out);
    cr_assert(icontains(c.run.err, "loop") || icontains(c.run.out, "loop"),
              "the loop is named: %s\n%s", c.run.err, c.run.out);
    /* The folder loop must not multiply the good document. */
    cr_assert_eq(e2e_count(c.run.out, "\"path\": \"good.md\""), 1, "%s", c.run.out);
}

Test(bad_input, unknown_extension_is_skipped_and_listed_with_verbose)
{
    char *dir = set_with_good_document();
    e2e_write(dir, "budget.xlsx", "PK\x03\x04", 4);
    e2e_write(dir, "notes.txt", "plain text\n", 11);
    struct run quiet = e2e_run(dir, ARGV("check"));
    cr_assert_eq(quiet.status, 0, "%s%s", quiet.out, quiet.err);
    cr_assert_null(strstr(quiet.err, "budget.xlsx"), "not listed without --verbose");
    cr_assert(strstr(quiet.out, "in 1 document (2 files skipped)"), "%s", quiet.out);
    struct run r = e2e_run(dir, ARGV("check", "--verbose"));
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: skipped budget\\.xlsx: .*extension"), "%s",
              r.err);
    cr_assert(e2e_some_line_matches(r.err, "^qmslint: skipped notes\\.txt: .*extension"), "%s",
              r.err);
}

Test(bad_input, every_bad_document_at_once_still_checks_the_good_one, .timeout = 60)
{
    char *dir = set_with_good_document();
    e2e_write(dir, "empty.md", "", 0);
    e2e_write(dir, "bin.md", "\0\0\0\0", 4);
    e2e_write(dir, "bad.md", "\xc3\x28\n", 3);
    struct checked c = check_json_verbose(dir);
    cr_assert_eq(jv_at(c.json, "summary.documents")->number, 4);
    cr_assert_eq(jv_at(c.json, "summary.error")->number, 3, "%s", c.run.out);
    cr_assert_eq(jv_get(document(&c, "good.md"), "unreadable")->boolean, 0);
}
