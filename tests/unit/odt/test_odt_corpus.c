/*
 * Fidelity against pandoc 2.17 on ../shared/corpus/odt (skipped when ../shared is absent).
 *
 * Words are counted as in the DOCX suite, so the two readers are judged alike: a word is a
 * maximal run of ASCII letters/digits and non-ASCII UTF-8 characters, except Unicode
 * punctuation and spaces (U+00A0-U+00BF, U+2000-U+206F, BOM, ideographic space/stop). ASCII
 * letters are case-folded. Words without a letter (numbers) are dropped on both sides: pandoc
 * prints list numbers and footnote marks ("[1]") that LibreOffice computes at display time
 * and a document model does not hold. Our body text is every block except headers, footers
 * and comments; pandoc's is its plain-text output.
 *
 * The per-file table goes to <build>/odt-fidelity.tsv. The OASIS ODF specification
 * documents are timed and their times printed (not asserted: timings are for the benchmark).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/zipxml.h"
#include "doc.h"
#include "reader.h"
#include "testutil.h"
#include "wordbag.h"

/* Numbers alone are not compared: pandoc renders generated numbering its own way. */
static void words_add(struct qms_words *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= '0' && s[i] <= '9')) {
            qms_words_add(w, s, n);
            return;
        }
}

/* Bytes of a separator at s (0 when s starts a word character). */
static size_t separator_len(const unsigned char *s, size_t left)
{
    if (s[0] < 0x80)
        return ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
                (s[0] >= '0' && s[0] <= '9'))
                   ? 0
                   : 1;
    if (s[0] == 0xC2 && left >= 2 && s[1] >= 0xA0 && s[1] <= 0xBF)
        return 2;
    if (s[0] == 0xE2 && left >= 3 && (s[1] == 0x80 || s[1] == 0x81))
        return 3;
    if (s[0] == 0xEF && left >= 3 && s[1] == 0xBB && s[2] == 0xBF)
        return 3;
    if (s[0] == 0xE3 && left >= 3 && s[1] == 0x80 && s[2] <= 0x82)
        return 3;
    return 0;
}

static void tokenize(struct qms_words *w, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t sep = separator_len(s + i, len - i);
        if (sep) {
            i += sep;
            continue;
        }
        size_t start = i;
        while (i < len && separator_len(s + i, len - i) == 0)
            i++;
        words_add(w, text + start, i - start);
    }
}

/* Pandoc's plain writer prints generated list numbers ("a.", "ii.", "(3)") and turns sub- and
 * superscript digits into Unicode ones; a model holds neither. Undo both in its text. */
static char *normalize_pandoc(const char *text, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t n = 0, i = 0;
    while (i < len) {
        /* at a line start: skip indentation and the list markers ("2.  a.  text") */
        for (int markers = 0; markers < 8; markers++) {
            size_t j = i;
            while (j < len && text[j] == ' ')
                j++;
            size_t k = j;
            if (k < len && text[k] == '(')
                k++;
            size_t m = k;
            while (m < len &&
                   ((text[m] >= '0' && text[m] <= '9') || strchr("ivxlcdmIVXLCDM", text[m])))
                m++;
            if (m == k && m < len &&
                ((text[m] >= 'a' && text[m] <= 'z') || (text[m] >= 'A' && text[m] <= 'Z')))
                m++;
            if (!(m > k && m + 1 < len && (text[m] == '.' || text[m] == ')') && text[m + 1] == ' '))
                break;
            i = m + 1;
        }
        /* copy the line */
        while (i < len && text[i] != '\n') {
            const unsigned char *u = (const unsigned char *)text + i;
            if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x81 && u[2] >= 0xB0 && u[2] <= 0xB9) {
                out[n++] = (char)('0' + (u[2] - 0xB0)); /* U+2070-U+2079 */
                i += 3;
            } else if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x82 && u[2] >= 0x80 &&
                       u[2] <= 0x89) {
                out[n++] = (char)('0' + (u[2] - 0x80)); /* U+2080-U+2089 */
                i += 3;
            } else if (u[0] == 0xC2 && i + 1 < len && (u[1] == 0xB2 || u[1] == 0xB3 || u[1] == 0xB9)) {
                out[n++] = u[1] == 0xB9 ? '1' : (char)('0' + (u[1] - 0xB0));
                i += 2;
            } else {
                out[n++] = text[i++];
            }
        }
        if (i < len)
            out[n++] = text[i++];
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* 1 when a text:list opens inside a table:table-cell (a scan of the tags, prefixes as
 * LibreOffice writes them: good enough to label a test file). */
static int list_in_cell(const char *xml)
{
    int cell_depth = 0;
    for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
        const char *end = strchr(p, '>');
        if (!end)
            break;
        int closing = p[1] == '/';
        int self_closing = end > p && end[-1] == '/';
        const char *name = p + 1 + closing;
        if (!strncmp(name, "table:table-cell", 16) && (name[16] == ' ' || name[16] == '>' ||
                                                        name[16] == '/')) {
            if (closing && cell_depth)
                cell_depth--;
            else if (!closing && !self_closing)
                cell_depth++;
        } else if (!closing && cell_depth && !strncmp(name, "text:list", 9) &&
                   (name[9] == ' ' || name[9] == '>')) {
            return 1;
        }
        p = end;
    }
    return 0;
}

/*
 * Content pandoc 2.17's ODT reader is documented to drop: everything inside text:section
 * (jgm/pandoc#8409), table header rows (#9327), lists inside table cells (#8892), text-box
 * text that does not follow an image (noted in #5606). In such files our extra words are
 * pandoc's loss, so precision is waived there (recall is still required) and the table says
 * which loss applied.
 */
static const char *pandoc_known_loss(const char *data, size_t len)
{
    struct qms_zip *zip = NULL;
    struct qms_err err;
    const char *why = NULL;
    if (qms_zip_open(&zip, data, len, NULL, &err) != 0)
        return NULL;
    char *content = NULL;
    size_t n = 0;
    if (qms_zip_read(zip, "content.xml", &content, &n, &err) == 0) {
        if (strstr(content, "<text:section "))
            why = "pandoc #8409 drops text:section";
        else if (strstr(content, "<table:table-header-rows>"))
            why = "pandoc #9327 drops table header rows";
        else if (list_in_cell(content))
            why = "pandoc #8892 drops lists in table cells";
        else if (strstr(content, "<draw:text-box"))
            why = "pandoc #5606 drops text-box text";
        free(content);
    }
    qms_zip_close(zip);
    return why;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int body_block(const struct qms_block *b)
{
    return b->kind != QMS_BLOCK_HEADER && b->kind != QMS_BLOCK_FOOTER &&
           b->kind != QMS_BLOCK_COMMENT;
}

static double seconds_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

Test(odt, corpus_fidelity_against_pandoc, .timeout = 1800)
{
    char *dir = qms_test_shared("corpus/odt");
    if (!dir)
        cr_skip("../shared/corpus/odt is absent");
    DIR *d = opendir(dir);
    if (!d)
        cr_skip("../shared/corpus/odt is absent");
    char **names = NULL;
    size_t n_names = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n_names == cap) {
            cap = cap ? cap * 2 : 512;
            names = realloc(names, cap * sizeof *names);
        }
        names[n_names++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n_names, sizeof *names, cmp_str);

    char table_path[4096];
    snprintf(table_path, sizeof table_path, "%s/odt-fidelity.tsv", QMS_TEST_BINARY_DIR);
    FILE *table = fopen(table_path, "w");
    cr_assert_not_null(table, "cannot write %s", table_path);
    fprintf(table, "file\tstatus\trecall\tprecision\tpandoc_words\tour_words\tseconds\treason\n");

    size_t pandoc_readable = 0, passing = 0, passing_strict = 0, waived = 0, refused = 0;
    double slowest_secs = 0;
    char slowest[512] = "";
    struct qms_limits limits;
    qms_limits_default(&limits);
    for (size_t i = 0; i < n_names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *rel = malloc(strlen(names[i]) + 64);
        sprintf(rel, "corpus/pandoc/%s.pandoc.txt", names[i]);
        char *pandoc_path = qms_test_shared(rel);
        free(rel);
        size_t len = 0;
        char *data = qms_test_read(path, &len);
        struct qms_doc *doc = NULL;
        struct qms_err err = {{0}};
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        int rc = data ? qms_odt_read(&doc, names[i], data, len, &limits, &err) : QMS_EIO;
        double secs = seconds_since(&start);
        const char *known_loss = rc == 0 && data ? pandoc_known_loss(data, len) : NULL;
        free(data);
        if (secs > slowest_secs) {
            slowest_secs = secs;
            snprintf(slowest, sizeof slowest, "%s", names[i]);
        }
        if (strstr(names[i], "OpenDocument-v1"))
            printf("odt corpus: %s loaded in %.3f s (%s)\n", names[i], secs,
                   rc == 0 ? "ok" : err.msg);
        size_t pandoc_len = 0;
        char *pandoc = pandoc_path ? qms_test_read(pandoc_path, &pandoc_len) : NULL;
        free(pandoc_path);
        if (rc != 0) {
            refused++;
            cr_expect(err.msg[0] != '\0', "%s refused without a reason", names[i]);
            fprintf(table, "%s\trefused%s\t\t\t\t\t%.3f\t%s\n", names[i],
                    pandoc ? " (pandoc reads it)" : "", secs, err.msg);
            if (pandoc)
                pandoc_readable++;
            free(pandoc);
            continue;
        }
        if (!pandoc) {
            fprintf(table, "%s\tloaded (pandoc cannot read it)\t\t\t\t%zu\t%.3f\t\n", names[i],
                    doc->n_blocks, secs);
            qms_doc_free(doc);
            continue;
        }
        pandoc_readable++;
        struct qms_words ours = {0}, theirs = {0};
        for (size_t b = 0; b < doc->n_blocks; b++)
            if (body_block(&doc->blocks[b]))
                tokenize(&ours, doc->blocks[b].text, doc->blocks[b].text_len);
        size_t norm_len = 0;
        char *norm = normalize_pandoc(pandoc, pandoc_len, &norm_len);
        tokenize(&theirs, norm, norm_len);
        free(norm);
        qms_words_sort(&ours);
        qms_words_sort(&theirs);
        /* pandoc 2.17 prints no ODF field values (user fields, chapter, placeholders, sender
         * fields ...): compare without them. */
        struct qms_words field_words = {0};
        for (size_t f = 0; f < doc->n_fields; f++)
            tokenize(&field_words, doc->fields[f].value, strlen(doc->fields[f].value));
        qms_words_sort(&field_words);
        qms_words_subtract(&ours, &field_words);
        qms_words_free(&field_words);
        size_t both = qms_words_common(&ours, &theirs);
        double recall = theirs.len ? (double)both / (double)theirs.len : 1.0;
        double precision = ours.len ? (double)both / (double)ours.len : 1.0;
        int strict_ok = recall >= 0.95 && precision >= 0.90;
        int ok = strict_ok || (recall >= 0.95 && known_loss);
        passing += ok;
        passing_strict += strict_ok;
        waived += ok && !strict_ok;
        fprintf(table, "%s\t%s\t%.3f\t%.3f\t%zu\t%zu\t%.3f\t%s\n", names[i],
                strict_ok ? "ok" : ok ? "ok (precision waived)" : "MISS", recall, precision,
                theirs.len, ours.len, secs, ok && !strict_ok ? known_loss : "");
        qms_words_free(&ours);
        qms_words_free(&theirs);
        free(pandoc);
        qms_doc_free(doc);
    }
    fclose(table);
    double share = pandoc_readable ? (double)passing / (double)pandoc_readable : 1.0;
    printf("odt corpus: %zu files, %zu refused; %zu/%zu pandoc-readable files meet recall>=0.95 "
           "and precision>=0.90 (%.1f%%; %zu of them with precision waived where pandoc is documented to "
           "drop content, %zu/%zu without any waiver); table: %s\n",
           n_names, refused, passing, pandoc_readable, share * 100.0, waived, passing_strict,
           pandoc_readable, table_path);
    printf("odt corpus: slowest file %s (%.3f s)\n", slowest, slowest_secs);
    fflush(stdout);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    free(dir);
    cr_expect_geq(share, 0.95, "only %.1f%% of pandoc-readable files meet the targets",
                  share * 100.0);
}
