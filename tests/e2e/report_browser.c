/* The HTML gap report of the sample set in a real browser: headless chromium loads it, the
 * DOM it builds has every matrix row with its status, and it prints to PDF. Skipped when no
 * chromium is installed (scripts/setup.sh installs Debian's). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define CHROMIUM_FLAGS                                                                           \
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "                       \
    "--disable-background-networking --disable-component-update --disable-sync"

static const char *find_chromium(void)
{
    static const char *const candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    const char *env = getenv("QMS_TEST_CHROMIUM");
    if (env && *env && access(env, X_OK) == 0)
        return env;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (access(candidates[i], X_OK) == 0)
            return candidates[i];
    return NULL;
}

/* Writes the sample set's HTML report into a fresh folder; returns the file's path. */
static char *sample_report(char **out_tmp)
{
    char *tmp = qms_test_tmpdir();
    char *html = e2e_path(tmp, "gap-report.html");
    char *set = e2e_fixture("sample-qms");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--format",
                                          "html", "-o", html, set));
    cr_assert_eq(r.status, 0, "report: exit %d: %s", r.status, r.err);
    *out_tmp = tmp;
    return html;
}

/* Runs a shell command (our own paths only, no document text), stdout into a heap string. */
static char *capture(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run %s", cmd);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
    }
    buf[len] = '\0';
    *status = pclose(p);
    return buf;
}

static size_t sample_requirements(void)
{
    char *set = e2e_fixture("sample-qms");
    struct run r = e2e_run_all(NULL, ARGV("report", "--only-plugin", "iso9001", "--format",
                                          "json", set));
    struct jv *root = jv_parse(r.out, NULL, 0);
    cr_assert_not_null(root);
    const struct jv *n = jv_at(root, "summary.requirements");
    cr_assert(n && n->type == JV_NUMBER && n->number > 0);
    return (size_t)n->number;
}

Test(report_browser, dom_has_every_matrix_row_with_a_status, .timeout = 240)
{
    const char *chromium = find_chromium();
    if (!chromium)
        cr_skip_test("chromium is not installed (scripts/setup.sh installs it)");
    char *tmp;
    char *html = sample_report(&tmp);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "timeout 180 '%s' " CHROMIUM_FLAGS " --user-data-dir='%s/profile' --dump-dom "
             "'file://%s' 2>'%s/chromium.log'",
             chromium, tmp, html, tmp);
    int status;
    char *dom = capture(cmd, &status);
    cr_assert_eq(status, 0, "chromium failed (%d): see %s/chromium.log", status, tmp);

    size_t want = sample_requirements();
    cr_assert_eq(e2e_count(dom, "<tr class=\"req\""), want, "matrix rows in the DOM");
    static const char *const statuses[] = {"covered", "weak", "missing", "excluded",
                                           "not-applicable"};
    size_t with_status = 0;
    for (size_t i = 0; i < 5; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "data-status=\"%s\"", statuses[i]);
        with_status += e2e_count(dom, needle);
    }
    cr_assert_eq(with_status, want, "every row has one known status");
    /* the sample set has each of these; the badge carries the word, not only the colour */
    cr_assert(strstr(dom, "id=\"req-quality-policy\" data-status=\"covered\""));
    cr_assert(strstr(dom, "id=\"req-corrective-action-record\" data-status=\"missing\""));
    cr_assert(strstr(dom, "class=\"badge s-covered\">✔ covered</span>"), "covered badge");
    cr_assert(strstr(dom, "class=\"badge s-missing\">✘ missing</span>"), "missing badge");
    cr_assert(strstr(dom, "<svg"), "the chart is in the DOM");
    cr_assert(strstr(dom, "QP-8.4-01_External_Providers.docx"), "the register lists the DOCX");
}

Test(report_browser, prints_to_pdf, .timeout = 240)
{
    const char *chromium = find_chromium();
    if (!chromium)
        cr_skip_test("chromium is not installed (scripts/setup.sh installs it)");
    char *tmp;
    char *html = sample_report(&tmp);
    char *pdf = e2e_path(tmp, "gap-report.pdf");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "timeout 180 '%s' " CHROMIUM_FLAGS " --user-data-dir='%s/profile' "
             "--no-pdf-header-footer --print-to-pdf='%s' 'file://%s' >'%s/chromium.log' 2>&1",
             chromium, tmp, pdf, html, tmp);
    int status = system(cmd);
    cr_assert_eq(status, 0, "chromium failed (%d): see %s/chromium.log", status, tmp);
    size_t len = 0;
    char *bytes = qms_test_read(pdf, &len);
    cr_assert_not_null(bytes, "no PDF written");
    cr_assert_gt(len, 10000, "PDF of %zu bytes", len);
    cr_assert(memcmp(bytes, "%PDF-", 5) == 0, "not a PDF");
}
