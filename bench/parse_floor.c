/*
 * The parse floor: the least work any tool must do to read a document set, single-threaded.
 * Inflates every XML part of each .docx/.docm/.dotx/.odt/.ott and pulls it through libxml2's
 * xmlTextReader (no tree, no model), and reads every .md file whole. No rules, no metadata.
 * qmslint is measured against this (bench/run.sh, docs/performance.md).
 *
 *     qms_parse_floor DIR...
 *
 * Prints "files N parts P xml-nodes X bytes B" so the work done can be checked.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

static unsigned long long n_files, n_parts, n_nodes, n_bytes, n_failed;

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void pull_xml(const char *data, size_t len)
{
    xmlTextReaderPtr r = xmlReaderForMemory(data, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (!r) {
        n_failed++;
        return;
    }
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1)
        n_nodes++;
    if (rc < 0)
        n_failed++;
    xmlFreeTextReader(r);
}

static void read_package(const char *path)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        n_failed++;
        return;
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    char *buf = NULL;
    size_t cap = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        zip_stat_t st;
        if (!name || !(has_suffix(name, ".xml") || has_suffix(name, ".rels")) ||
            zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            continue;
        if (st.size + 1 > cap) {
            cap = (size_t)st.size + 1;
            free(buf);
            if (!(buf = malloc(cap))) {
                cap = 0;
                n_failed++;
                continue;
            }
        }
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        if (!f) {
            n_failed++;
            continue;
        }
        zip_int64_t got = zip_fread(f, buf, st.size);
        zip_fclose(f);
        if (got < 0 || (zip_uint64_t)got != st.size) {
            n_failed++;
            continue;
        }
        n_parts++;
        n_bytes += (unsigned long long)got;
        pull_xml(buf, (size_t)got);
    }
    free(buf);
    zip_close(z);
}

static void read_markdown(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        n_failed++;
        return;
    }
    char chunk[1 << 16];
    size_t got;
    unsigned long long lines = 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        n_bytes += got;
        for (size_t i = 0; i < got; i++)
            lines += chunk[i] == '\n';
    }
    fclose(f);
    n_nodes += lines;
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    if (has_suffix(path, ".docx") || has_suffix(path, ".docm") || has_suffix(path, ".dotx") ||
        has_suffix(path, ".odt") || has_suffix(path, ".ott")) {
        n_files++;
        read_package(path);
    } else if (has_suffix(path, ".md") || has_suffix(path, ".markdown")) {
        n_files++;
        read_markdown(path);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: qms_parse_floor DIR...\n");
        return 2;
    }
    xmlInitParser();
    for (int i = 1; i < argc; i++)
        if (nftw(argv[i], visit, 32, FTW_PHYS) != 0) {
            fprintf(stderr, "qms_parse_floor: cannot walk %s\n", argv[i]);
            return 2;
        }
    xmlCleanupParser();
    printf("files %llu parts %llu xml-nodes %llu bytes %llu failed %llu\n", n_files, n_parts,
           n_nodes, n_bytes, n_failed);
    return n_failed ? 1 : 0;
}
