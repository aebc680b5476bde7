/* Discovery: which files are documents, in what order, under what display path, and why the
 * others were skipped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "discover.h"
#include "testutil.h"

/* Static buffers (a ring) so the suite stays leak-free under ASan. */
static char *at(const char *dir, const char *rel)
{
    static char ring[8][4096];
    static unsigned next;
    char *p = ring[next++ % 8];
    snprintf(p, 4096, "%s/%s", dir, rel);
    return p;
}

static char *tmpdir(void)
{
    static char path[4096];
    char *t = qms_test_tmpdir();
    cr_assert_not_null(t);
    snprintf(path, sizeof path, "%s", t);
    free(t);
    return path;
}

static void touch(const char *dir, const char *rel)
{
    cr_assert_eq(qms_test_write(at(dir, rel), "# x\n", 4), 0, "cannot write %s", rel);
}

/* "path|path|..." of the documents, and "path: reason|..." of the skips. */
static char *docs_of(const struct qms_inputs *in)
{
    static char s[65536];
    s[0] = '\0';
    for (size_t i = 0; i < in->n_docs; i++) {
        strcat(s, in->docs[i].display_path);
        strcat(s, "|");
    }
    return s;
}

static char *skips_of(const struct qms_inputs *in)
{
    static char s[65536];
    s[0] = '\0';
    for (size_t i = 0; i < in->n_skipped; i++) {
        strcat(s, in->skipped[i].path);
        strcat(s, ": ");
        strcat(s, in->skipped[i].reason);
        strcat(s, "|");
    }
    return s;
}

static void discover_dir(struct qms_inputs *in, const char *dir, const struct qms_config *cfg)
{
    struct qms_err err = {{0}};
    const char *paths[] = {dir};
    cr_assert_eq(qms_discover(in, paths, 1, NULL, cfg, &err), 0, "%s", err.msg);
}

Test(discover, walks_folders_in_sorted_order_with_relative_paths)
{
    char *dir = tmpdir();
    touch(dir, "b.md");
    touch(dir, "a/z.docx");
    touch(dir, "a/b/c.odt");
    touch(dir, "A.markdown");
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "A.markdown|a/b/c.odt|a/z.docx|b.md|");
    cr_assert_str_eq(in.root, dir);
    cr_assert_eq(in.docs[0].format, QMS_FORMAT_MARKDOWN);
    cr_assert_eq(in.docs[1].format, QMS_FORMAT_ODT);
    cr_assert_eq(in.docs[2].format, QMS_FORMAT_DOCX);
    cr_assert_str_eq(in.docs[3].fs_path, at(dir, "b.md"));
    qms_inputs_free(&in);
}

Test(discover, unknown_extension_is_skipped_with_reason)
{
    char *dir = tmpdir();
    touch(dir, "notes.txt");
    touch(dir, "QP-01.md");
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "QP-01.md|");
    cr_assert_str_eq(skips_of(&in), "notes.txt: unknown extension|");
    qms_inputs_free(&in);
}

Test(discover, hidden_folders_and_node_modules_are_not_entered)
{
    char *dir = tmpdir();
    touch(dir, ".git/x.md");
    touch(dir, ".hidden/y.md");
    touch(dir, "node_modules/pkg/README.md");
    touch(dir, "build/kept.md");
    touch(dir, ".qmslint.yml");
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "build/kept.md|");
    cr_assert_str_eq(skips_of(&in), "");
    qms_inputs_free(&in);
}

Test(discover, office_lock_files_are_skipped)
{
    char *dir = tmpdir();
    touch(dir, "~$QP-01.docx");
    touch(dir, ".~lock.QP-02.odt#");
    touch(dir, "QP-01.docx");
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "QP-01.docx|");
    cr_assert_str_eq(skips_of(&in), ".~lock.QP-02.odt#: office lock file|~$QP-01.docx: office lock file|");
    qms_inputs_free(&in);
}

Test(discover, config_excludes_files_and_folders)
{
    char *dir = tmpdir();
    touch(dir, "drafts/QP-09.md");
    touch(dir, "old/QP-01-v1.md");
    touch(dir, "QP-01.md");
    const char *yaml = "exclude:\n  - drafts/\n  - \"*-v1.md\"\n";
    cr_assert_eq(qms_test_write(at(dir, ".qmslint.yml"), yaml, strlen(yaml)), 0);
    struct qms_config *cfg = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_config_load(&cfg, at(dir, ".qmslint.yml"), &err), 0, "%s", err.msg);
    struct qms_inputs in;
    discover_dir(&in, dir, cfg);
    cr_assert_str_eq(docs_of(&in), "QP-01.md|");
    cr_assert_str_eq(skips_of(&in), "drafts: excluded by config|old/QP-01-v1.md: excluded by config|");
    qms_inputs_free(&in);
    qms_config_free(cfg);
}

Test(discover, symlink_loop_is_detected)
{
    char *dir = tmpdir();
    touch(dir, "a/QP-01.md");
    cr_assert_eq(symlink("..", at(dir, "a/up")), 0);
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "a/QP-01.md|");
    cr_assert_str_eq(skips_of(&in), "a/up: symlink loop|");
    qms_inputs_free(&in);
}

Test(discover, symlinked_file_is_checked_once)
{
    char *dir = tmpdir();
    touch(dir, "QP-01.md");
    cr_assert_eq(symlink("QP-01.md", at(dir, "link.md")), 0);
    cr_assert_eq(symlink("missing.md", at(dir, "dangling.md")), 0);
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_str_eq(docs_of(&in), "QP-01.md|");
    cr_assert_str_eq(skips_of(&in), "dangling.md: broken symlink|link.md: same file as QP-01.md|");
    qms_inputs_free(&in);
}

Test(discover, missing_path_is_an_error)
{
    struct qms_inputs in;
    struct qms_err err = {{0}};
    const char *paths[] = {"/nonexistent/qmslint-docs"};
    cr_assert_eq(qms_discover(&in, paths, 1, NULL, NULL, &err), QMS_EIO);
    cr_assert_str_eq(err.msg, "/nonexistent/qmslint-docs: no such file or directory");
    cr_assert_eq(in.n_docs, 0);
    cr_assert_null(in.docs);
}

Test(discover, explicit_files_dedupe_and_share_a_root)
{
    char *dir = tmpdir();
    touch(dir, "procedures/QP-01.md");
    touch(dir, "forms/F-01.md");
    cr_assert_eq(chdir(dir), 0);
    struct qms_inputs in;
    struct qms_err err = {{0}};
    const char *paths[] = {"procedures/QP-01.md", "forms/F-01.md", "./procedures/QP-01.md"};
    cr_assert_eq(qms_discover(&in, paths, 3, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_str_eq(docs_of(&in), "forms/F-01.md|procedures/QP-01.md|");
    cr_assert_str_eq(in.root, dir);
    cr_assert_str_eq(in.docs[0].fs_path, "forms/F-01.md");
    qms_inputs_free(&in);
}

Test(discover, explicit_root_sets_display_paths)
{
    char *dir = tmpdir();
    touch(dir, "procedures/QP-01.md");
    struct qms_inputs in;
    struct qms_err err = {{0}};
    const char *paths[] = {at(dir, "procedures/QP-01.md")};
    cr_assert_eq(qms_discover(&in, paths, 1, dir, NULL, &err), 0, "%s", err.msg);
    cr_assert_str_eq(docs_of(&in), "procedures/QP-01.md|");
    qms_inputs_free(&in);
}

Test(discover, explicit_file_with_unknown_extension_is_skipped)
{
    char *dir = tmpdir();
    touch(dir, "notes.txt");
    struct qms_inputs in;
    struct qms_err err = {{0}};
    const char *paths[] = {at(dir, "notes.txt")};
    cr_assert_eq(qms_discover(&in, paths, 1, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(in.n_docs, 0);
    cr_assert_str_eq(skips_of(&in), "notes.txt: unknown extension|");
    qms_inputs_free(&in);
}

Test(discover, special_files_are_not_read)
{
    char *dir = tmpdir();
    cr_assert_eq(mkfifo(at(dir, "pipe.md"), 0600), 0);
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_eq(in.n_docs, 0);
    cr_assert_str_eq(skips_of(&in), "pipe.md: not a regular file|");
    qms_inputs_free(&in);
}

Test(discover, empty_folder_yields_no_documents)
{
    char *dir = tmpdir();
    struct qms_inputs in;
    discover_dir(&in, dir, NULL);
    cr_assert_eq(in.n_docs, 0);
    cr_assert_eq(in.n_skipped, 0);
    qms_inputs_free(&in);
}
