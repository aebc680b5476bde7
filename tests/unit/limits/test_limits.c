/* Caps on hostile input, each confirmed with an input built here at run time: every refusal is
 * one line naming the reason, memory stays bounded (measured with getrusage and printed;
 * asserted only against a generous bound, never a time), and a run over a folder holding all
 * of them still checks the good document. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "doc.h"
#include "engine.h"
#include "hostile.h"
#include "reader.h"
#include "testutil.h"

#define GIB (1024ull * 1024ull * 1024ull)
/* Generous: the reader's own working memory on top of the input already built. */
#define MEMORY_BOUND_KB (64L * 1024L)

static const char document_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body>";

static void assert_one_line(const struct qms_err *err)
{
    cr_assert(err->msg[0] != '\0', "no reason given");
    cr_assert_null(strchr(err->msg, '\n'), "reason is not one line: %s", err->msg);
}

/* Runs the DOCX reader on `pkg`; returns its code, prints the reason and the memory used. */
static int read_docx(const char *what, const struct hbuf *pkg, struct qms_err *err,
                     long *grown_kb)
{
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    qms_limits_default(&limits);
    memset(err, 0, sizeof *err);
    long before = peak_rss_kb();
    int rc = qms_docx_read(&doc, "hostile.docx", (const char *)pkg->data, pkg->len, &limits, err);
    *grown_kb = peak_rss_kb() - before;
    fprintf(stderr, "limits: %s: rc %d, peak RSS grew by %ld KiB: %s\n", what, rc, *grown_kb,
            err->msg);
    if (rc == 0)
        qms_doc_free(doc);
    return rc;
}

/* A DOCX whose word/document.xml is a deflate stream inflating to `inflated` zero bytes while
 * its headers declare `declared`. */
static void zip_bomb(struct hbuf *out, uint64_t inflated, uint64_t declared)
{
    struct hbuf stream = {0};
    deflate_zeros(&stream, inflated);
    struct hbuf small = {0};
    docx_with_document(&small, "", 0);
    /* rebuild with the bomb as the main part */
    struct hzip z = {0};
    hzip_add_stored(&z, "[Content_Types].xml", "<Types/>");
    hzip_add_stored(&z, "_rels/.rels",
                    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats"
                    ".org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
                    "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
                    "\" Target=\"word/document.xml\"/></Relationships>");
    hzip_add(&z, "word/document.xml", 8, stream.data, stream.len, declared, 0);
    hzip_finish(&z);
    *out = z.out;
    hbuf_free(&z.central);
    hbuf_free(&stream);
    hbuf_free(&small);
}

Test(limits, zip_bomb_declaring_its_size_is_refused_before_inflating)
{
    struct hbuf pkg = {0};
    struct qms_err err;
    long grown;
    zip_bomb(&pkg, GIB, GIB);
    int rc = read_docx("1 GiB bomb, honest header", &pkg, &err, &grown);
    cr_assert_eq(rc, QMS_ETOOBIG, "rc %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "word/document.xml: ") == err.msg, "%s", err.msg);
    assert_one_line(&err);
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    hbuf_free(&pkg);
}

Test(limits, zip_bomb_lying_about_its_size_stops_at_the_declared_size)
{
    struct hbuf pkg = {0};
    struct qms_err err;
    long grown;
    zip_bomb(&pkg, GIB, 4096);
    int rc = read_docx("1 GiB bomb declaring 4 KiB", &pkg, &err, &grown);
    cr_assert(rc < 0, "a 1 GiB bomb was accepted");
    cr_assert(strstr(err.msg, "word/document.xml: ") == err.msg, "%s", err.msg);
    assert_one_line(&err);
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    hbuf_free(&pkg);
}

Test(limits, zip_bomb_under_the_ratio_floor_is_refused_by_its_ratio)
{
    /* declares 200 MiB for about 1.3 MiB of data: ratio ~155, below the default 200 but the
       part cap and the package total still bound it; lowered caps show the ratio check. */
    struct hbuf pkg = {0};
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    zip_bomb(&pkg, 200ull << 20, 200ull << 20);
    qms_limits_default(&limits);
    limits.max_ratio = 50;
    long before = peak_rss_kb();
    int rc = qms_docx_read(&doc, "ratio.docx", (const char *)pkg.data, pkg.len, &limits, &err);
    long grown = peak_rss_kb() - before;
    fprintf(stderr, "limits: ratio cap 50: rc %d, grew %ld KiB: %s\n", rc, grown, err.msg);
    cr_assert_eq(rc, QMS_ETOOBIG, "%s", err.msg);
    cr_assert(strstr(err.msg, "compression ratio above 50") != NULL, "%s", err.msg);
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    hbuf_free(&pkg);
}

/* A DOCX whose document.xml is the classic billion laughs: 10^9 "lol" through nine levels. */
static void billion_laughs(struct hbuf *pkg)
{
    struct hbuf xml = {0};
    const char *dtd =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [\n<!ENTITY lol \"lol\">\n";
    hbuf_put(&xml, dtd, strlen(dtd));
    for (int i = 1; i <= 9; i++) {
        char line[256];
        int n = snprintf(line, sizeof line, "<!ENTITY lol%d \"", i);
        hbuf_put(&xml, line, (size_t)n);
        for (int k = 0; k < 10; k++) {
            n = snprintf(line, sizeof line, i == 1 ? "&lol;" : "&lol%d;", i - 1);
            hbuf_put(&xml, line, (size_t)n);
        }
        hbuf_put(&xml, "\">\n", 3);
    }
    const char *body =
        "]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>";
    hbuf_put(&xml, body, strlen(body));
    docx_with_document(pkg, (const char *)xml.data, xml.len);
    hbuf_free(&xml);
}

Test(limits, billion_laughs_is_not_expanded)
{
    struct hbuf pkg = {0};
    billion_laughs(&pkg);
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    qms_limits_default(&limits);
    long before = peak_rss_kb();
    int rc = qms_docx_read(&doc, "laughs.docx", (const char *)pkg.data, pkg.len, &limits, &err);
    long grown = peak_rss_kb() - before;
    fprintf(stderr, "limits: billion laughs: rc %d, grew %ld KiB: %s\n", rc, grown, err.msg);
    if (rc == 0) {
        /* accepted only with the entity left unexpanded */
        for (size_t i = 0; i < doc->n_blocks; i++)
            cr_assert_lt(doc->blocks[i].text_len, 4096u, "an entity was expanded");
        qms_doc_free(doc);
    } else {
        assert_one_line(&err);
    }
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    hbuf_free(&pkg);
}

Test(limits, deep_xml_nesting_is_refused_with_the_depth)
{
    struct hbuf xml = {0}, pkg = {0};
    hbuf_put(&xml, document_head, strlen(document_head));
    for (int i = 0; i < 100000; i++)
        hbuf_put(&xml, "<w:sdt>", 7);
    for (int i = 0; i < 100000; i++)
        hbuf_put(&xml, "</w:sdt>", 8);
    hbuf_put(&xml, "</w:body></w:document>", 22);
    docx_with_document(&pkg, (const char *)xml.data, xml.len);
    struct qms_err err;
    long grown;
    int rc = read_docx("100,000-deep XML", &pkg, &err, &grown);
    cr_assert_eq(rc, QMS_ETOOBIG, "rc %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "nested deeper than 256") != NULL, "%s", err.msg);
    assert_one_line(&err);
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    hbuf_free(&xml);
    hbuf_free(&pkg);
}

Test(limits, deep_markdown_nesting_is_bounded)
{
    /* 100,000 nested block quotes and 100,000 nested list markers, each on one line */
    size_t n = 100000;
    char *md = malloc(4 * n + 64);
    cr_assert_not_null(md);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        md[len++] = '>';
    memcpy(md + len, " deep\n\n", 7);
    len += 7;
    for (size_t i = 0; i < n; i++) {
        md[len++] = '-';
        md[len++] = ' ';
    }
    memcpy(md + len, "item\n", 5);
    len += 5;
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    qms_limits_default(&limits);
    long before = peak_rss_kb();
    int rc = qms_md_read(&doc, "deep.md", md, len, &limits, &err);
    long grown = peak_rss_kb() - before;
    fprintf(stderr, "limits: 100,000-deep Markdown: rc %d, grew %ld KiB: %s\n", rc, grown,
            err.msg);
    if (rc == 0)
        qms_doc_free(doc);
    else
        assert_one_line(&err);
    cr_assert_lt(grown, 4 * MEMORY_BOUND_KB);
    free(md);
}

Test(limits, deep_front_matter_nesting_is_refused)
{
    size_t n = 100000;
    char *md = malloc(2 * n + 64);
    cr_assert_not_null(md);
    size_t len = 0;
    memcpy(md, "---\nx: ", 7);
    len = 7;
    for (size_t i = 0; i < n; i++)
        md[len++] = '[';
    for (size_t i = 0; i < n; i++)
        md[len++] = ']';
    memcpy(md + len, "\n---\n# T\n", 9);
    len += 9;
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    qms_limits_default(&limits);
    int rc = qms_md_read(&doc, "deep-yaml.md", md, len, &limits, &err);
    fprintf(stderr, "limits: 100,000-deep front matter: rc %d: %s\n", rc, err.msg);
    if (rc == 0)
        qms_doc_free(doc); /* the reader may keep the body and drop the front matter */
    else
        assert_one_line(&err);
    free(md);
}

Test(limits, line_of_200_mb_is_refused_with_its_number)
{
    size_t len = 200u << 20;
    char *md = malloc(len + 16);
    cr_assert_not_null(md);
    memcpy(md, "# Title\n\n", 9);
    memset(md + 9, 'a', len - 10);
    md[len - 1] = '\n';
    struct qms_limits limits;
    struct qms_doc *doc = NULL;
    struct qms_err err = {{0}};
    qms_limits_default(&limits);
    long before = peak_rss_kb();
    int rc = qms_md_read(&doc, "long.md", md, len, &limits, &err);
    long grown = peak_rss_kb() - before;
    fprintf(stderr, "limits: 200 MB line: rc %d, grew %ld KiB: %s\n", rc, grown, err.msg);
    cr_assert_eq(rc, QMS_ETOOBIG, "%s", err.msg);
    cr_assert(strstr(err.msg, "line 3 is longer than") != NULL, "%s", err.msg);
    assert_one_line(&err);
    cr_assert_lt(grown, MEMORY_BOUND_KB);
    free(md);
}

static void many_entries(struct hbuf *out, size_t n)
{
    struct hzip z = {0};
    char name[32];
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%06zu.xml", i);
        hzip_add(&z, name, 0, "", 0, 0, 0);
    }
    hzip_finish(&z);
    *out = z.out;
    hbuf_free(&z.central);
}

Test(limits, zip_with_100000_entries_is_refused)
{
    struct hbuf pkg = {0};
    struct qms_err err;
    long grown;
    many_entries(&pkg, 100000);
    int rc = read_docx("100,000 zip entries", &pkg, &err, &grown);
    cr_assert_eq(rc, QMS_ETOOBIG, "rc %d: %s", rc, err.msg);
    cr_assert_str_eq(err.msg, "zip archive has 100000 entries (limit 10000)");
    /* libzip reads the whole central directory first: ~25 MiB, ~70 MiB under ASan */
    cr_assert_lt(grown, 2 * MEMORY_BOUND_KB);
    hbuf_free(&pkg);
}

/* ---- the run goes on */

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, data, len), 0, "cannot write %s", path);
}

static const struct qms_finding *unreadable_finding(const struct qms_result *r, const char *path)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (strcmp(r->findings[i].path, path) == 0 &&
            strcmp(r->findings[i].rule_id, "core/unreadable") == 0)
            return &r->findings[i];
    return NULL;
}

Test(limits, hostile_documents_become_findings_and_the_run_goes_on)
{
    char *dir = qms_test_tmpdir();
    struct hbuf bomb = {0}, many = {0}, deep = {0}, deep_xml = {0};
    zip_bomb(&bomb, GIB, 4096);
    write_file(dir, "bomb.docx", bomb.data, bomb.len);
    many_entries(&many, 100000);
    write_file(dir, "many.docx", many.data, many.len);
    hbuf_put(&deep_xml, document_head, strlen(document_head));
    for (int i = 0; i < 100000; i++)
        hbuf_put(&deep_xml, "<w:sdt>", 7);
    docx_with_document(&deep, (const char *)deep_xml.data, deep_xml.len);
    write_file(dir, "deep.docx", deep.data, deep.len);
    size_t long_len = 2u << 20; /* over the 1 MiB line cap; the 200 MB case is above */
    char *long_md = malloc(long_len);
    cr_assert_not_null(long_md);
    memset(long_md, 'x', long_len);
    long_md[long_len - 1] = '\n';
    write_file(dir, "long.md", long_md, long_len);
    free(long_md);
    struct hbuf laughs = {0};
    billion_laughs(&laughs);
    write_file(dir, "laughs.docx", laughs.data, laughs.len);
    hbuf_free(&laughs);
    write_file(dir, "ok.md", "# Fine\n\nText.\n", 14);

    struct qms_config *cfg = NULL;
    struct qms_engine *e = NULL;
    struct qms_inputs inputs;
    struct qms_result *r = NULL;
    struct qms_err err = {{0}};
    memset(&inputs, 0, sizeof inputs);
    unsetenv("QMSLINT_PLUGIN_PATH");
    cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
    struct qms_run_opts opts = {0};
    opts.jobs = 2;
    opts.no_default_plugin_dirs = 1;
    cr_assert_eq(qms_engine_new(&e, cfg, &opts, &err), 0, "%s", err.msg);
    const char *paths[] = {dir};
    cr_assert_eq(qms_discover(&inputs, paths, 1, NULL, cfg, &err), 0, "%s", err.msg);
    cr_assert_eq(qms_engine_run(e, &inputs, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_docs, 6);
    const char *bad[] = {"bomb.docx", "many.docx", "deep.docx", "long.md", "laughs.docx"};
    const char *why[] = {"zip bomb?", "entries (limit 10000)", "nested deeper than 256",
                         "is longer than", "entity expansion refused"};
    for (size_t i = 0; i < 5; i++) {
        const struct qms_finding *f = unreadable_finding(r, bad[i]);
        cr_assert_not_null(f, "no core/unreadable finding for %s", bad[i]);
        fprintf(stderr, "limits: run: %s: %s\n", bad[i], f->message);
        cr_assert(strstr(f->message, why[i]) != NULL, "%s: %s", bad[i], f->message);
        cr_assert_null(strchr(f->message, '\n'));
    }
    cr_assert_null(unreadable_finding(r, "ok.md"));
    for (size_t i = 0; i < r->n_docs; i++)
        if (strcmp(r->docs[i].path, "ok.md") == 0)
            cr_assert_eq(r->docs[i].unreadable, 0);
    qms_result_free(r);
    qms_inputs_free(&inputs);
    qms_engine_free(e);
    qms_config_free(cfg);
    hbuf_free(&bomb);
    hbuf_free(&many);
    hbuf_free(&deep);
    hbuf_free(&deep_xml);
    free(dir);
}
