/* Input that is not Markdown text, and qms_read_file's refusals: each with its message. */
#include "md_test.h"

#include <sys/stat.h>
#include <unistd.h>

Test(markdown, nul_byte_is_binary)
{
    static const char data[] = "# Title\n\0\x01\x02 PK";
    md_expect_error(data, sizeof data - 1, NULL, QMS_EFORMAT, "binary file, not Markdown");
}

Test(markdown, invalid_utf8_reports_line_and_column)
{
    md_expect_error("# ok\nab\xff cd\n", 12, NULL, QMS_EFORMAT, "invalid UTF-8 at line 2, column 3");
}

Test(markdown, invalid_utf8_column_after_bom)
{
    md_expect_error("\xEF\xBB\xBF" "ab\x80", 6, NULL, QMS_EFORMAT, "invalid UTF-8 at line 1, column 3");
}

Test(markdown, invalid_utf8_overlong_surrogate_truncated)
{
    md_expect_error("\xc0\xaf", 2, NULL, QMS_EFORMAT, "invalid UTF-8 at line 1, column 1");
    md_expect_error("x\xed\xa0\x80", 4, NULL, QMS_EFORMAT, "invalid UTF-8 at line 1, column 2");
    md_expect_error("a\r\nbb\xe2\x82", 7, NULL, QMS_EFORMAT, "invalid UTF-8 at line 2, column 3");
    md_expect_error("\xf4\x90\x80\x80", 4, NULL, QMS_EFORMAT, "invalid UTF-8 at line 1, column 1");
}

Test(markdown, valid_multibyte_utf8_accepted)
{
    struct qms_doc *d = md_parse("# \xe2\x82\xac \xf0\x9f\x93\x84 \xc3\xa9\n");
    cr_assert_str_eq(md_block(d, QMS_BLOCK_HEADING, 0)->text, "\xe2\x82\xac \xf0\x9f\x93\x84 \xc3\xa9");
    qms_doc_free(d);
}

Test(markdown, line_longer_than_cap_refused)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_line = 10;
    md_expect_error("short\n0123456789A\n", 18, &limits, QMS_ETOOBIG,
                    "line 2 is longer than 10 bytes");
    /* exactly at the cap is fine, CRLF not counted */
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_md_read(&d, "x.md", "0123456789\r\nabc", 15, &limits, &err), 0, "%s", err.msg);
    qms_doc_free(d);
}

Test(markdown, fifty_megabyte_single_line_refused_fast, .timeout = 30)
{
    size_t len = 50u << 20;
    char *data = malloc(len);
    cr_assert_not_null(data);
    memset(data, 'a', len);
    md_expect_error(data, len, NULL, QMS_ETOOBIG, "line 1 is longer than 1048576 bytes");
    free(data);
}

Test(markdown, file_size_cap)
{
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_file_size = 4;
    md_expect_error("# big file\n", 11, &limits, QMS_ETOOBIG, "file is larger than 4 bytes");
}

Test(markdown, deep_container_nesting_refused)
{
    /* the grammar's scanner fails past 255 open containers: refused before parsing */
    size_t n = 300;
    char *data = malloc(n * (2 * n + 8));
    size_t w = 0;
    memcpy(data, "# ok\n", 5);
    w = 5;
    for (size_t i = 0; i < n; i++) {
        memset(data + w, ' ', 2 * i);
        w += 2 * i;
        memcpy(data + w, "- x\n", 4);
        w += 4;
    }
    md_expect_error(data, w, NULL, QMS_ETOOBIG, "line 122 nests block quotes or lists more than 120 deep");
    w = 0;
    for (size_t i = 0; i < n; i++)
        data[w++] = '>';
    memcpy(data + w, " q\n", 3);
    md_expect_error(data, w + 3, NULL, QMS_ETOOBIG, "line 1 nests block quotes or lists more than 120 deep");
    free(data);
}

Test(markdown, nesting_at_the_cap_is_read)
{
    char data[256];
    memset(data, '>', 120);
    memcpy(data + 120, " deep\n", 7);
    struct qms_doc *d = md_parse(data);
    const struct qms_block *q = md_block(d, QMS_BLOCK_QUOTE, 0);
    cr_assert_not_null(q);
    cr_assert_eq(q->level, 120);
    cr_assert_str_eq(q->text, "deep");
    qms_doc_free(d);
}

Test(markdown, deep_inline_nesting_does_not_crash)
{
    size_t n = 20000;
    char *data = malloc(4 * n + 16);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        data[w++] = '[';
    data[w++] = '\n';
    for (size_t i = 0; i < n / 2; i++)
        data[w++] = '*';
    data[w++] = 'x';
    for (size_t i = 0; i < n / 2; i++)
        data[w++] = '*';
    data[w++] = '\n';
    for (size_t i = 0; i < n / 4; i++) {
        memcpy(data + w, "![", 2);
        w += 2;
    }
    data[w] = '\0';
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    int rc = qms_md_read(&d, "deep.md", data, w, NULL, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_geq(d->n_blocks, 1);
    qms_doc_free(d);
    free(data);
}

/* qms_read_file and qms_format_from_path */

Test(markdown, format_from_extension)
{
    cr_assert_eq(qms_format_from_path("a/b/QP-01.md"), QMS_FORMAT_MARKDOWN);
    cr_assert_eq(qms_format_from_path("README.MarkDown"), QMS_FORMAT_MARKDOWN);
    cr_assert_eq(qms_format_from_path("x.DOCX"), QMS_FORMAT_DOCX);
    cr_assert_eq(qms_format_from_path("x.dotm"), QMS_FORMAT_DOCX);
    cr_assert_eq(qms_format_from_path("x.fodt"), QMS_FORMAT_ODT);
    cr_assert_eq(qms_format_from_path("x.ott"), QMS_FORMAT_ODT);
    cr_assert_eq(qms_format_from_path("x.txt"), QMS_FORMAT_UNKNOWN);
    cr_assert_eq(qms_format_from_path(".md"), QMS_FORMAT_UNKNOWN);
    cr_assert_eq(qms_format_from_path("dir.md/file"), QMS_FORMAT_UNKNOWN);
    cr_assert_eq(qms_format_from_path("noext"), QMS_FORMAT_UNKNOWN);
}

static void expect_read_error(const char *path, int code, const char *message)
{
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    int rc = qms_read_file(&d, path, path, NULL, &err);
    cr_assert_eq(rc, code, "%s: expected %d, got %d (%s)", path, code, rc, err.msg);
    cr_assert_null(d);
    cr_assert_str_eq(err.msg, message);
}

Test(markdown, read_file_markdown_fixture)
{
    char *path = qms_test_fixture("markdown/tables.md");
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_read_file(&d, path, "docs/tables.md", NULL, &err), 0, "%s", err.msg);
    cr_assert_str_eq(d->path, "docs/tables.md");
    cr_assert_eq(d->n_tables, 1);
    qms_doc_free(d);
    free(path);
}

Test(markdown, read_file_refusals)
{
    char *dir = qms_test_tmpdir();
    char path[512];
    expect_read_error("/nonexistent/qmslint/x.md", QMS_EIO, "No such file or directory");
    snprintf(path, sizeof path, "%s/folder.md", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    expect_read_error(path, QMS_EIO, "is a directory, not a document");
    snprintf(path, sizeof path, "%s/empty.md", dir);
    cr_assert_eq(qms_test_write(path, "", 0), 0);
    expect_read_error(path, QMS_EFORMAT, "empty file (0 bytes)");
    snprintf(path, sizeof path, "%s/binary.md", dir);
    cr_assert_eq(qms_test_write(path, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), 0);
    expect_read_error(path, QMS_EFORMAT, "binary file, not Markdown");
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    cr_assert_eq(qms_test_write(path, "x", 1), 0);
    expect_read_error(path, QMS_EUNSUPPORTED, "unknown document type (not .md, .docx or .odt)");
    snprintf(path, sizeof path, "%s/fifo.md", dir);
    cr_assert_eq(mkfifo(path, 0600), 0);
    expect_read_error(path, QMS_EIO, "not a regular file");
    char loop_a[512], loop_b[512];
    snprintf(loop_a, sizeof loop_a, "%s/a.md", dir);
    snprintf(loop_b, sizeof loop_b, "%s/b.md", dir);
    cr_assert_eq(symlink(loop_b, loop_a), 0);
    cr_assert_eq(symlink(loop_a, loop_b), 0);
    expect_read_error(loop_a, QMS_EIO, "Too many levels of symbolic links");
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/locked.md", dir);
        cr_assert_eq(qms_test_write(path, "# x\n", 4), 0);
        chmod(path, 0);
        expect_read_error(path, QMS_EIO, "Permission denied");
    }
    free(dir);
}

Test(markdown, read_file_size_cap)
{
    char *dir = qms_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/big.md", dir);
    cr_assert_eq(qms_test_write(path, "# 0123456789\n", 13), 0);
    struct qms_limits limits;
    qms_limits_default(&limits);
    limits.max_file_size = 8;
    struct qms_doc *d = NULL;
    struct qms_err err = {{0}};
    cr_assert_eq(qms_read_file(&d, path, "big.md", &limits, &err), QMS_ETOOBIG);
    cr_assert_str_eq(err.msg, "file is larger than 8 bytes");
    free(dir);
}
