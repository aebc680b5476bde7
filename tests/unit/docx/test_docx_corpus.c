/*
 * Fidelity against pandoc 2.17 on ../shared/corpus/docx (skipped when ../shared is absent).
 *
 * Words: a word is a maximal run of ASCII letters and non-ASCII UTF-8 characters, except
 * the Unicode punctuation, spaces and super/subscripts both sides print differently
 * (U+00A0-U+00BF, U+2000-U+20BF: dashes, quotes, ellipsis, bullets, zero-width characters,
 * m² vs m2). ASCII letters are case-folded. Digits separate words and are dropped on both
 * sides: pandoc prints list numbers and footnote marks ("[1]") that Word computes at display
 * time and a document model does not hold. For the same reason pandoc's list markers
 * ("a.", "iv.", "B)" opening a line or a table cell) are not words.
 * Ours: every block except headers, footers and comments (pandoc drops those too), text
 * boxes (pandoc 2.17 does not read them) and the Title/Subtitle/Author/Date/Abstract paragraphs
 * that open a document (pandoc moves them to metadata), plus the alternative text of images (pandoc prints it as "[alt]"). Where pandoc could not lay a table
 * out it prints "[TABLE]" instead of its text; then the placeholder is dropped and our table
 * cells are left out of the precision (recall still counts them).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "doc.h"
#include "reader.h"
#include "testutil.h"
#include "wordbag.h"

/* Bytes of a separator at s (0 when s starts a word character). */
static size_t separator_len(const unsigned char *s, size_t left)
{
    if (s[0] < 0x80)
        return ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) ? 0 : 1;
    if (s[0] == 0xC2 && left >= 2 && s[1] >= 0xA0 && s[1] <= 0xBF)
        return 2; /* U+00A0-U+00BF: nbsp, soft hyphen, guillemets, section sign ... */
    if (s[0] == 0xE2 && left >= 3 && (s[1] == 0x80 || s[1] == 0x81 || s[1] == 0x82))
        return 3; /* U+2000-U+20BF general punctuation, super/subscripts, currency */
    if (s[0] == 0xEF && left >= 3 && s[1] == 0xBB && s[2] == 0xBF)
        return 3; /* BOM / zero-width no-break space */
    if (s[0] == 0xE3 && left >= 3 && s[1] == 0x80 && s[2] <= 0x82)
        return 3; /* ideographic space and full stop */
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
        qms_words_add(w, text + start, i - start);
    }
}

/* A list marker at s: 1-3 letters (or a roman numeral) then '.' or ')' and a space, at the
 * start of a line or table cell. Returns its length or 0. */
static size_t list_marker_len(const char *s, size_t left)
{
    size_t n = 0;
    while (n < left && n < 8 && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        n++;
    if (n == 0 || n >= left || (s[n] != '.' && s[n] != ')'))
        return 0;
    if (n > 1 && strspn(s, "ivxlcdmIVXLCDM") < n)
        return 0;
    if (n + 1 < left && s[n + 1] != ' ')
        return 0;
    return n + 1;
}

/* pandoc's text without list markers and "[TABLE]"; sets *tables when one was there. */
static char *pandoc_clean(const char *text, size_t len, size_t *out_len, int *tables)
{
    char *out = malloc(len + 1);
    size_t o = 0;
    int line_start = 1;
    *tables = 0;
    for (size_t i = 0; i < len;) {
        if (text[i] == '\n' || text[i] == '|') {
            line_start = 1;
            out[o++] = text[i++];
            continue;
        }
        if (line_start && (text[i] == ' ' || text[i] == '-' || text[i] == '+')) {
            out[o++] = text[i++];
            continue;
        }
        if (len - i >= 7 && memcmp(text + i, "[TABLE]", 7) == 0) {
            *tables = 1;
            i += 7;
            continue;
        }
        if (line_start) {
            size_t m = list_marker_len(text + i, len - i);
            while (m) {
                i += m;
                while (i < len && text[i] == ' ')
                    i++;
                m = list_marker_len(text + i, len - i);
            }
        }
        line_start = 0;
        if (i < len)
            out[o++] = text[i++];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int metadata_style(const struct qms_block *b)
{
    static const char *const names[] = {"Title", "Subtitle", "Author", "Date", "Abstract", NULL};
    if (b->kind == QMS_BLOCK_TITLE)
        return 1;
    for (int i = 0; b->style && names[i]; i++)
        if (strcasecmp(b->style, names[i]) == 0)
            return 1;
    return 0;
}

/* Blocks pandoc prints. *front is 1 until the first block that is not document metadata. */
static int body_block(const struct qms_block *b, int *front)
{
    if (b->kind == QMS_BLOCK_HEADER || b->kind == QMS_BLOCK_FOOTER || b->kind == QMS_BLOCK_COMMENT)
        return 0;
    /* pandoc 2.17 does not read text boxes: leaving them in the comparison lowers no file's
     * recall, only precision. The docx suite checks text boxes on our own fixtures. */
    if (b->kind == QMS_BLOCK_TEXT_BOX)
        return 0;
    /* Title, Subtitle, Author, Date and Abstract paragraphs that open the document are
     * metadata to pandoc, which its plain output without --standalone does not print. */
    if (*front && metadata_style(b))
        return 0;
    *front = 0;
    return 1;
}

static int body_part(const char *part)
{
    return !part || (strncmp(part, "word/header", 11) != 0 && strncmp(part, "word/footer", 11) != 0);
}

/* Names of strict files from the manifest (column strict_ooxml). */
static int is_strict(const char *manifest, const char *name)
{
    char key[1200];
    snprintf(key, sizeof key, "docx/%s\t", name);
    const char *line = strstr(manifest, key);
    if (!line)
        return 0;
    const char *end = strchr(line, '\n');
    /* strict_ooxml is the 11th column (index 10). */
    const char *p = line;
    for (int col = 0; col < 10 && p && (!end || p < end); col++) {
        p = strchr(p, '\t');
        if (p)
            p++;
    }
    return p && (!end || p < end) && strncmp(p, "True", 4) == 0;
}

Test(docx, corpus_fidelity_against_pandoc, .timeout = 1800)
{
    char *dir = qms_test_shared("corpus/docx");
    if (!dir)
        cr_skip("../shared is absent");
    DIR *d = opendir(dir);
    if (!d)
        cr_skip("../shared/corpus/docx is absent");
    char *manifest_path = qms_test_shared("corpus/manifest.tsv");
    char *manifest = manifest_path ? qms_test_read(manifest_path, NULL) : NULL;

    char **names = NULL;
    size_t n_names = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n_names == cap) {
            cap = cap ? cap * 2 : 1024;
            names = realloc(names, cap * sizeof *names);
        }
        names[n_names++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n_names, sizeof *names, cmp_str);

    char table_path[4096];
    snprintf(table_path, sizeof table_path, "%s/docx-fidelity.tsv", QMS_TEST_BINARY_DIR);
    FILE *table = fopen(table_path, "w");
    cr_assert_not_null(table, "cannot write %s", table_path);
    fprintf(table, "file\tstatus\trecall\tprecision\tpandoc_words\tour_words\treason\n");

    size_t pandoc_readable = 0, passing = 0, refused = 0, strict_total = 0, strict_loaded = 0;
    struct qms_limits limits;
    qms_limits_default(&limits);
    for (size_t i = 0; i < n_names; i++) {
        char path[4096], pandoc_path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *rel = malloc(strlen(names[i]) + 64);
        sprintf(rel, "corpus/pandoc/%s.pandoc.txt", names[i]);
        char *pp = qms_test_shared(rel);
        free(rel);
        snprintf(pandoc_path, sizeof pandoc_path, "%s", pp ? pp : "");
        free(pp);
        size_t len = 0;
        char *data = qms_test_read(path, &len);
        struct qms_doc *doc = NULL;
        struct qms_err err = {{0}};
        int rc = data ? qms_docx_read(&doc, names[i], data, len, &limits, &err) : QMS_EIO;
        free(data);
        int strict = manifest && is_strict(manifest, names[i]);
        if (strict) {
            strict_total++;
            if (rc == 0)
                strict_loaded++;
        }
        size_t pandoc_len = 0;
        char *pandoc = qms_test_read(pandoc_path, &pandoc_len);
        if (rc != 0) {
            refused++;
            fprintf(table, "%s\trefused\t\t\t\t\t%s\n", names[i], err.msg);
            if (pandoc) {
                pandoc_readable++;
                free(pandoc);
            }
            continue;
        }
        if (!pandoc) {
            fprintf(table, "%s\tloaded (pandoc cannot read it)\t\t\t\t%zu\t%s\n", names[i],
                    doc->n_blocks, strict ? "strict OOXML" : "");
            qms_doc_free(doc);
            continue;
        }
        pandoc_readable++;
        struct qms_words ours = {0}, ours_all = {0}, theirs = {0};
        int pandoc_tables = 0;
        size_t clean_len = 0;
        char *clean = pandoc_clean(pandoc, pandoc_len, &clean_len, &pandoc_tables);
        int front = 1;
        for (size_t b = 0; b < doc->n_blocks; b++) {
            const struct qms_block *blk = &doc->blocks[b];
            if (!body_block(blk, &front))
                continue;
            tokenize(&ours_all, blk->text, blk->text_len);
            if (!(pandoc_tables && blk->table >= 0))
                tokenize(&ours, blk->text, blk->text_len);
        }
        for (size_t l = 0; l < doc->n_links; l++)
            if (doc->links[l].kind == QMS_LINK_IMAGE && body_part(doc->links[l].loc.part)) {
                tokenize(&ours, doc->links[l].text, strlen(doc->links[l].text));
                tokenize(&ours_all, doc->links[l].text, strlen(doc->links[l].text));
            }
        tokenize(&theirs, clean, clean_len);
        free(clean);
        qms_words_sort(&ours);
        qms_words_sort(&ours_all);
        qms_words_sort(&theirs);
        /* Recall against all our words; precision without the tables pandoc did not print. */
        double recall = theirs.len ? (double)qms_words_common(&ours_all, &theirs) / (double)theirs.len : 1.0;
        double precision = ours.len ? (double)qms_words_common(&ours, &theirs) / (double)ours.len : 1.0;
        int ok = recall >= 0.95 && precision >= 0.90;
        passing += ok;
        fprintf(table, "%s\t%s\t%.3f\t%.3f\t%zu\t%zu\t\n", names[i], ok ? "ok" : "MISS", recall,
                precision, theirs.len, ours.len);
        qms_words_free(&ours);
        qms_words_free(&ours_all);
        qms_words_free(&theirs);
        free(pandoc);
        qms_doc_free(doc);
    }
    fclose(table);
    double share = pandoc_readable ? (double)passing / (double)pandoc_readable : 1.0;
    printf("docx corpus: %zu files, %zu refused; %zu/%zu pandoc-readable files meet recall>=0.95 "
           "and precision>=0.90 (%.1f%%); strict OOXML loaded %zu/%zu; table: %s\n",
           n_names, refused, passing, pandoc_readable, share * 100.0, strict_loaded, strict_total,
           table_path);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    free(manifest);
    free(manifest_path);
    free(dir);
    cr_expect_eq(strict_loaded, strict_total, "strict OOXML files must load (%zu/%zu)",
                 strict_loaded, strict_total);
    cr_expect_geq(share, 0.95, "only %.1f%% of pandoc-readable files meet the targets",
                  share * 100.0);
}
