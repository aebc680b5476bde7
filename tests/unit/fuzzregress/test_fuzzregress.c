/* Replays every input the fuzzers ever found (fuzz/regressions/<target>/) through the code it
 * broke: each must now be read or refused with a one-line reason, under ASan/UBSan in CI. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "doc.h"
#include "meta.h"
#include "reader.h"
#include "testutil.h"
/* The same packing as the fuzz targets: non-zip inputs are NUL-separated package parts. */
#include "../../../fuzz/fuzz_zip.h"

typedef void (*replay_fn)(const char *name, const char *data, size_t len);

static void check_reason(const char *name, int rc, const struct qms_err *err)
{
    if (rc == 0)
        return;
    cr_assert(rc < 0, "%s: positive return %d", name, rc);
    cr_assert(err->msg[0] != '\0', "%s: refused without a reason", name);
    cr_assert_null(strchr(err->msg, '\n'), "%s: reason is not one line: %s", name, err->msg);
}

static void limits_for_replay(struct qms_limits *limits)
{
    qms_limits_default(limits); /* the shipped caps, not the fuzzers' lowered ones */
}

static void replay_docx(const char *name, const char *data, size_t len)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    struct fzip z;
    const char *pkg;
    size_t pkg_len;
    limits_for_replay(&limits);
    cr_assert_eq(fzip_docx(&z, (const uint8_t *)data, len, &pkg, &pkg_len), 0);
    int rc = qms_docx_read(&doc, "fuzz.docx", pkg, pkg_len, &limits, &err);
    check_reason(name, rc, &err);
    if (rc == 0)
        qms_doc_free(doc);
    free(z.data);
}

static void replay_odt(const char *name, const char *data, size_t len)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    struct fzip z;
    const char *pkg;
    size_t pkg_len;
    limits_for_replay(&limits);
    if (len > 0 && data[0] == '<') {
        int frc = qms_odt_read(&doc, "fuzz.fodt", data, len, &limits, &err);
        check_reason(name, frc, &err);
        if (frc == 0)
            qms_doc_free(doc);
        doc = NULL;
    }
    cr_assert_eq(fzip_odt(&z, (const uint8_t *)data, len, &pkg, &pkg_len), 0);
    int rc = qms_odt_read(&doc, "fuzz.odt", pkg, pkg_len, &limits, &err);
    check_reason(name, rc, &err);
    if (rc == 0)
        qms_doc_free(doc);
    free(z.data);
}

static void replay_markdown(const char *name, const char *data, size_t len)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    limits_for_replay(&limits);
    int rc = qms_md_read(&doc, "fuzz.md", data, len, &limits, &err);
    check_reason(name, rc, &err);
    if (rc == 0)
        qms_doc_free(doc);
}

static struct qms_meta_opts *meta_opts;

static void replay_meta(const char *name, const char *data, size_t len)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    if (!meta_opts)
        cr_assert_eq(qms_meta_opts_load(&meta_opts, QMS_TEST_SOURCE_DIR "/rules", NULL, &err), 0,
                     "%s", err.msg);
    limits_for_replay(&limits);
    int rc = qms_md_read(&doc, "QP-001_fuzz.md", data, len, &limits, &err);
    check_reason(name, rc, &err);
    if (rc == 0) {
        const struct qms_meta *meta = NULL;
        rc = qms_meta_extract(&meta, doc, qms_doc_arena(doc), meta_opts, &err);
        check_reason(name, rc, &err);
        qms_doc_free(doc);
    }
}

static void replay_config(const char *name, const char *data, size_t len)
{
    char *dir = qms_test_tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/.qmslint.yml", dir);
    cr_assert_eq(qms_test_write(path, data, len), 0);
    struct qms_config *cfg = NULL;
    struct qms_err err = {{0}};
    int rc = qms_config_load(&cfg, path, &err);
    check_reason(name, rc, &err);
    if (rc == 0)
        qms_config_free(cfg);
    unlink(path);
    rmdir(dir);
    free(dir);
}

/* Replays every file of fuzz/regressions/<target>/ (README files excepted); returns the count. */
static size_t replay_all(const char *target, replay_fn fn)
{
    char dir_path[4096];
    snprintf(dir_path, sizeof dir_path, "%s/fuzz/regressions/%s", QMS_TEST_SOURCE_DIR, target);
    DIR *dir = opendir(dir_path);
    if (!dir)
        return 0;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        if (ent->d_name[0] == '.' || strncmp(ent->d_name, "README", 6) == 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir_path, ent->d_name);
        size_t len = 0;
        char *data = qms_test_read(path, &len);
        if (!data)
            continue; /* a folder or unreadable: not an input */
        fn(ent->d_name, data, len);
        free(data);
        n++;
    }
    closedir(dir);
    return n;
}

Test(fuzzregress, docx_inputs_are_read_or_refused, .init = cr_redirect_stderr)
{
    cr_assert_gt(replay_all("fuzz_docx", replay_docx), 0u);
}

/* Found by fuzz_docx: a part declaring an encoding its bytes do not follow made libxml2 print
 * five lines to stderr besides the one-line reason. */
Test(fuzzregress, bad_encoding_declaration_prints_nothing, .init = cr_redirect_stderr)
{
    size_t len = 0;
    char *data = qms_test_read(QMS_TEST_SOURCE_DIR
                               "/fuzz/regressions/fuzz_docx/stderr-encoding-error.xml", &len);
    cr_assert_not_null(data);
    replay_docx("stderr-encoding-error.xml", data, len);
    free(data);
    fflush(stderr);
    cr_assert_stderr_eq_str("");
}
Test(fuzzregress, odt_inputs_are_read_or_refused) { replay_all("fuzz_odt", replay_odt); }
Test(fuzzregress, markdown_inputs_are_read_or_refused)
{
    replay_all("fuzz_markdown", replay_markdown);
}
Test(fuzzregress, metadata_inputs_are_extracted_or_refused)
{
    replay_all("fuzz_meta", replay_meta);
    if (meta_opts)
        qms_meta_opts_free(meta_opts);
}
Test(fuzzregress, config_inputs_are_loaded_or_refused) { replay_all("fuzz_config", replay_config); }

/* The replay itself works: a known-good fixture goes through the same path. */
Test(fuzzregress, replay_reads_a_fixture)
{
    size_t len = 0;
    char *path = qms_test_fixture("sample-qms/QM-001_Quality_Manual.md");
    char *data = qms_test_read(path, &len);
    free(path);
    cr_assert_not_null(data);
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    limits_for_replay(&limits);
    cr_assert_eq(qms_md_read(&doc, "QM-001.md", data, len, &limits, &err), 0, "%s", err.msg);
    cr_assert_gt(doc->n_blocks, 0u);
    qms_doc_free(doc);
    free(data);
}
