/* The per-document digest cache (issue 11): hits, every invalidation, corrupt files, and
 * output identical with and without it. Counters (result->n_read / n_cached / n_hashed)
 * prove what was read; timings are never asserted. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <qmslint/meta.h>

#include "cache.h"
#include "config.h"
#include "discover.h"
#include "engine.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

/* Everything a test allocates is kept here and freed after it (the suite is leak-free
 * under ASan). */
static void *garbage[1024];
static size_t n_garbage;

static void *keep(void *p)
{
    if (p && n_garbage < sizeof garbage / sizeof garbage[0])
        garbage[n_garbage++] = p;
    return p;
}

static void release_all(void)
{
    while (n_garbage)
        free(garbage[--n_garbage]);
}

TestSuite(cache, .fini = release_all);

static char *tmpdir(void) { return keep(qms_test_tmpdir()); }

static char *read_file(const char *path, size_t *len) { return keep(qms_test_read(path, len)); }

struct outcome {
    size_t n_read, n_cached, n_hashed, n_docs;
    char *text;                       /* every finding and document summary, one per line */
};

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        cr_assert_not_null(*buf);
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static const char *nz(const char *s) { return s ? s : "(null)"; }

static char *render(const struct qms_result *r)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char line[16384];
    append(&buf, &len, &cap, "");
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        snprintf(line, sizeof line, "F %s|%d|%s|%s|%s|%s|%u:%u:%u|%s|%s\n", f->rule_id,
                 (int)f->severity, f->path, f->message, nz(f->part), nz(f->section), f->line,
                 f->column, f->block, nz(f->key), nz(f->plugin));
        append(&buf, &len, &cap, line);
    }
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_doc_summary *d = &r->docs[i];
        const struct qms_meta *m = d->meta;
        const struct qms_meta_value *id = m ? qms_meta_first(m, QMS_META_ID) : NULL;
        const struct qms_meta_value *rev = m ? qms_meta_first(m, QMS_META_REVISION) : NULL;
        snprintf(line, sizeof line, "D %s|%d|%s|%d|%s|%s|%zu|%zu|%zu\n", d->path, (int)d->format,
                 nz(d->title), d->unreadable, id ? id->value : "-", rev ? rev->value : "-",
                 m ? m->n_history : 0, m ? m->n_register_entries : 0,
                 d->suppress ? d->suppress->n : 0);
        append(&buf, &len, &cap, line);
    }
    return buf;
}

struct setup {
    const char *dir;
    const char *cache_dir;
    const char *plugin_dir;           /* NULL: the build's plugins */
    const char *rules_dir;            /* NULL: the source tree's rules/ */
    int32_t today;
    int use_cache;
    unsigned jobs;
    /* called between discovery and the run (a file edited while the run starts) */
    void (*after_discovery)(const struct setup *s);
    /* qms_engine_prefetch_cache with this root before discovery, as `check` does */
    const char *prefetch_root;
};

static struct outcome run_engine(const struct setup *s)
{
    struct qms_err err = {{0}};
    struct qms_config *cfg = NULL;
    char cfg_path[4096];
    snprintf(cfg_path, sizeof cfg_path, "%s/.qmslint.yml", s->dir);
    if (access(cfg_path, F_OK) == 0)
        cr_assert_eq(qms_config_load(&cfg, cfg_path, &err), 0, "%s", err.msg);
    else
        cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
    const char *plugin_dirs[] = {s->plugin_dir ? s->plugin_dir : QMS_TEST_PLUGIN_DIR};
    unsetenv("QMSLINT_PLUGIN_PATH");
    struct qms_run_opts opts = {0};
    opts.jobs = s->jobs ? s->jobs : 2;
    opts.today = s->today ? s->today : 20000;
    opts.plugin_paths = plugin_dirs;
    opts.n_plugin_paths = 1;
    opts.no_default_plugin_dirs = 1;
    opts.rules_dir = s->rules_dir ? s->rules_dir : QMS_TEST_SOURCE_DIR "/rules";
    opts.use_cache = s->use_cache;
    opts.cache_dir = s->cache_dir;
    struct qms_engine *e = NULL;
    cr_assert_eq(qms_engine_new(&e, cfg, &opts, &err), 0, "%s", err.msg);
    struct qms_inputs in;
    memset(&in, 0, sizeof in);
    const char *paths[] = {s->dir};
    if (s->prefetch_root)
        qms_engine_prefetch_cache(e, s->prefetch_root);
    cr_assert_eq(qms_discover(&in, paths, 1, s->dir, cfg, &err), 0, "%s", err.msg);
    if (s->after_discovery)
        s->after_discovery(s);
    struct qms_result *r = NULL;
    cr_assert_eq(qms_engine_run(e, &in, &r, &err), 0, "%s", err.msg);
    struct outcome o = {r->n_read, r->n_cached, r->n_hashed, r->n_docs, keep(render(r))};
    qms_result_free(r);
    qms_inputs_free(&in);
    qms_engine_free(e);
    qms_config_free(cfg);
    return o;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(qms_test_write(path, text, strlen(text)), 0, "cannot write %s", path);
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = keep(malloc(n));
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* A small set with cross-references (set findings), a dangling link, a suppression and
 * metadata, so every part of an entry is exercised. */
static void small_set(const char *dir)
{
    write_file(dir, "QP-001.md",
               "---\ndoc_id: QP-001\ntitle: Document Control\nrevision: B\nstatus: approved\n"
               "effective_date: 2024-01-10\nowner: QA\n---\n# Document Control\n\n"
               "See [audit](QP-002.md#scope) and QP-009 and [gone](missing.md).\n\n"
               "## Scope\n\nAll documents.\n\n### Deep\n\n#### Deeper\n\nText.\n\n"
               "| Rev | Date | Description |\n|---|---|---|\n| A | 2023-01-01 | First |\n"
               "| B | 2024-01-10 | Second |\n");
    write_file(dir, "QP-002.md",
               "---\ndoc_id: QP-002\ntitle: Internal Audit\nrevision: A\nstatus: draft\n---\n"
               "# Internal Audit\n\n## Purpose\n\nAudit it. TBD\n\n"
               "<!-- qmslint-disable-next-line structure/placeholder -->\nTBD later\n\n"
               "Refers to [control](QP-001.md) and QP-001 Rev A.\n");
    write_file(dir, "WI-003.md",
               "# Work Instruction\n\nNo header here. See [x](QP-002.md#nowhere).\n\n"
               "#### Skipped levels\n\nText [[QP-001]].\n");
}

static void set_mtime(const char *path, time_t sec, long nsec)
{
    struct timespec ts[2] = {{sec, nsec}, {sec, nsec}};
    cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void get_mtime(const char *path, struct timespec *out)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    *out = st.st_mtim;
}

/* Rewrites a file with same-size content and puts its mtime back. */
static void edit_same_size(const char *path, const char *from, const char *to)
{
    cr_assert_eq(strlen(from), strlen(to));
    struct timespec before;
    get_mtime(path, &before);
    size_t len = 0;
    char *text = read_file(path, &len);
    cr_assert_not_null(text);
    char *at = strstr(text, from);
    cr_assert_not_null(at, "'%s' not in %s", from, path);
    memcpy(at, to, strlen(to));
    cr_assert_eq(qms_test_write(path, text, len), 0);
    set_mtime(path, before.tv_sec, before.tv_nsec);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq((size_t)st.st_size, len);
}

/* The one cache file in dir (there is one per set root). */
static char *cache_file(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no cache folder %s", dir);
    struct dirent *de;
    char *found = NULL;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".qmscache") && !strstr(de->d_name, ".tmp")) {
            cr_assert_null(found, "two cache files");
            found = path_in(dir, de->d_name);
        }
    closedir(d);
    cr_assert_not_null(found, "no cache file in %s", dir);
    return found;
}

struct env {
    char *set, *cache;
    struct setup s;
};

static struct env make_env(void)
{
    struct env v;
    v.set = tmpdir();
    char *base = tmpdir();
    v.cache = path_in(base, "cache");
    small_set(v.set);
    memset(&v.s, 0, sizeof v.s);
    v.s.dir = v.set;
    v.s.cache_dir = v.cache;
    v.s.use_cache = 1;
    return v;
}

static char *reference(const struct setup *s)
{
    struct setup plain = *s;
    plain.use_cache = 0;
    struct outcome o = run_engine(&plain);
    cr_assert_eq(o.n_cached, 0);
    return o.text;
}

/* ---------------------------------------------------------------- SHA-256 */

static void sha_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[32];
    struct qms_sha256 s;
    qms_sha256_init(&s);
    /* in uneven pieces, to exercise the buffering */
    const unsigned char *p = data;
    size_t step = 1;
    while (len) {
        size_t n = step < len ? step : len;
        qms_sha256_update(&s, p, n);
        p += n;
        len -= n;
        step = step * 3 + 1;
    }
    qms_sha256_final(&s, h);
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", h[i]);
}

Test(cache, sha256_matches_the_fips_vectors)
{
    char out[65];
    sha_hex("", 0, out);
    cr_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", 3, out);
    cr_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha_hex(two, strlen(two), out);
    cr_assert_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    sha_hex(million, 1000000, out);
    cr_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

Test(cache, file_checksum_is_the_same_in_any_pieces_and_sees_one_bit)
{
    unsigned char data[1000], a[32], b[32], c[32];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    struct qms_fsum s;
    qms_fsum_init(&s);
    qms_fsum_update(&s, data, sizeof data);
    qms_fsum_final(&s, a);
    qms_fsum_init(&s);
    for (size_t at = 0, step = 1; at < sizeof data; step = step * 2 + 1) {
        size_t n = step < sizeof data - at ? step : sizeof data - at;
        qms_fsum_update(&s, data + at, n);
        at += n;
    }
    qms_fsum_final(&s, b);
    cr_assert_eq(memcmp(a, b, 32), 0);
    data[500] ^= 1;
    qms_fsum_init(&s);
    qms_fsum_update(&s, data, sizeof data);
    qms_fsum_final(&s, c);
    cr_assert_neq(memcmp(a, c, 32), 0);
}

/* ---------------------------------------------------------------- hits and misses */

Test(cache, unchanged_set_is_restored_without_reading)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    struct outcome first = run_engine(&v.s);
    cr_assert_eq(first.n_read, 3);
    cr_assert_eq(first.n_cached, 0);
    cr_assert_str_eq(first.text, ref);
    struct outcome second = run_engine(&v.s);
    cr_assert_eq(second.n_read, 0, "read %zu documents", second.n_read);
    cr_assert_eq(second.n_cached, 3);
    cr_assert_str_eq(second.text, ref);
    cr_assert(strstr(ref, "F ") != NULL, "the set should have findings");
}

Test(cache, a_cache_loaded_during_discovery_restores_like_one_opened_after)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    run_engine(&v.s);
    v.s.prefetch_root = v.s.dir;
    struct outcome second = run_engine(&v.s);
    cr_assert_eq(second.n_read, 0, "read %zu documents", second.n_read);
    cr_assert_eq(second.n_cached, 3);
    cr_assert_str_eq(second.text, ref);
    /* a document edited since: read again, the rest restored */
    edit_same_size(path_in(v.s.dir, "QP-001.md"), "All documents", "ALL documents");
    struct outcome third = run_engine(&v.s);
    cr_assert_eq(third.n_read, 1);
    cr_assert_eq(third.n_cached, 2);
}

Test(cache, a_cache_loaded_for_another_root_is_not_used)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    run_engine(&v.s);
    struct env other = make_env();
    other.s.cache_dir = v.s.cache_dir; /* one cache folder, one file per set root */
    run_engine(&other.s);
    v.s.prefetch_root = other.s.dir;
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_cached, 3, "the run opened its own set's cache");
    cr_assert_str_eq(o.text, ref);
}

Test(cache, an_engine_freed_while_its_cache_loads_waits_for_it)
{
    struct env v = make_env();
    run_engine(&v.s);
    struct qms_err err = {{0}};
    struct qms_config *cfg = NULL;
    cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
    const char *plugin_dirs[] = {QMS_TEST_PLUGIN_DIR};
    struct qms_run_opts opts = {0};
    opts.jobs = 2;
    opts.today = 20000;
    opts.plugin_paths = plugin_dirs;
    opts.n_plugin_paths = 1;
    opts.no_default_plugin_dirs = 1;
    opts.rules_dir = QMS_TEST_SOURCE_DIR "/rules";
    opts.use_cache = 1;
    opts.cache_dir = v.s.cache_dir;
    struct qms_engine *e = NULL;
    cr_assert_eq(qms_engine_new(&e, cfg, &opts, &err), 0, "%s", err.msg);
    qms_engine_prefetch_cache(e, v.s.dir);
    qms_engine_prefetch_cache(e, v.s.dir); /* a second call replaces the first */
    qms_engine_free(e);                    /* no run: joined and freed (ASan sees a leak) */
    qms_config_free(cfg);
}

Test(cache, an_all_hit_run_leaves_the_file_untouched)
{
    struct env v = make_env();
    struct timespec pause = {2, 300 * 1000 * 1000};
    nanosleep(&pause, NULL); /* older than the racy window: no hashing */
    run_engine(&v.s);
    struct stat before, after;
    char *f = cache_file(v.cache);
    cr_assert_eq(stat(f, &before), 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_cached, 3);
    cr_assert_eq(o.n_hashed, 0);
    cr_assert_eq(stat(f, &after), 0);
    cr_assert_eq(before.st_ino, after.st_ino, "rewritten although nothing changed");
}

Test(cache, same_size_edit_with_mtime_restored_is_read_again)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *p = path_in(v.set, "QP-002.md");
    edit_same_size(p, "revision: A", "revision: C");
    char *ref = reference(&v.s);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 1);
    cr_assert_eq(o.n_cached, 2);
    cr_assert_str_eq(o.text, ref);
    cr_assert(strstr(o.text, "|QP-002|C|") != NULL, "the new revision must show: %s", o.text);
}

/* Files changed well before the cache was written are trusted on their stat alone (no
 * hashing); restoring the mtime after an edit does not fool it, because ctime moved. */
Test(cache, old_files_are_not_hashed_but_a_restored_mtime_is_caught)
{
    struct env v = make_env();
    struct timespec pause = {2, 300 * 1000 * 1000};
    nanosleep(&pause, NULL); /* the files must be older than the 2 s racy window */
    run_engine(&v.s);
    struct outcome hit = run_engine(&v.s);
    cr_assert_eq(hit.n_cached, 3);
    cr_assert_eq(hit.n_hashed, 0, "hashed %zu documents", hit.n_hashed);
    char *p = path_in(v.set, "WI-003.md");
    edit_same_size(p, "No header here", "No HEADER here");
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 1);
    cr_assert_eq(o.n_hashed, 1);
    cr_assert_str_eq(o.text, reference(&v.s));
}

/* The lookup trusts discovery's stat of a file; a file edited after discovery must still
 * never be recorded with that stat: it is read again on the next run. */
static void grow_new_document(const struct setup *s)
{
    write_file(s->dir, "QP-004.md", "---\ndoc_id: QP-004\n---\n# Records\n\nEdited after the "
                                    "list was made, see QP-001.\n");
}

Test(cache, document_edited_after_discovery_is_not_cached_with_the_old_stat)
{
    struct env v = make_env();
    run_engine(&v.s);
    write_file(v.set, "QP-004.md", "# Records\n");
    struct setup racing = v.s;
    racing.after_discovery = grow_new_document;
    struct outcome first = run_engine(&racing);
    cr_assert_eq(first.n_read, 1); /* the new document, read after its edit */
    cr_assert_eq(first.n_cached, 3);
    struct outcome again = run_engine(&v.s);
    cr_assert_eq(again.n_read, 1, "stored with the stat discovery took before the edit");
    cr_assert_str_eq(again.text, reference(&v.s));
    cr_assert(strstr(again.text, "|QP-004|") != NULL, "the edited content must show: %s", again.text);
    struct outcome settled = run_engine(&v.s);
    cr_assert_eq(settled.n_read, 0);
    cr_assert_eq(settled.n_cached, 4);
}

static void reseal(unsigned char *data, size_t len);

/* From 2,048 entries a second thread decodes the second half of the file into its own arena:
 * every document comes back as from a plain run, with one job or two, and a damaged entry in
 * that half never takes the run down. */
Test(cache, a_large_cache_file_decoded_in_two_halves_restores_every_document)
{
    struct env v = make_env();
    char name[64], text[256];
    for (int i = 0; i < 2100; i++) {
        snprintf(name, sizeof name, "D-%04d.md", i);
        snprintf(text, sizeof text,
                 "---\ndoc_id: QP-%04d\ntitle: Procedure %d\nrevision: A\n---\n# Procedure %d\n\n"
                 "See QP-%04d and [next](D-%04d.md).\n",
                 i, i, i, (i * 7) % 2200, (i + 1) % 2150);
        write_file(v.set, name, text);
    }
    char *ref = reference(&v.s);
    struct outcome first = run_engine(&v.s);
    cr_assert_eq(first.n_read, 2103);
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        struct setup s = v.s;
        s.jobs = jobs;
        struct outcome o = run_engine(&s);
        cr_assert_eq(o.n_cached, 2103, "jobs %u: restored %zu", jobs, o.n_cached);
        cr_assert_str_eq(o.text, ref, "jobs %u: differs when restored", jobs);
    }
    char *f = cache_file(v.cache);
    size_t len = 0;
    unsigned char *data = (unsigned char *)read_file(f, &len);
    cr_assert_gt(len, 4096);
    for (size_t at = len / 2 + 1000; at < len - 20000; at += len / 7)
        data[at] ^= 0x5a; /* entries of the second half (the offset table is the last 17 KB) */
    reseal(data, len);
    cr_assert_eq(qms_test_write(f, (const char *)data, len), 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read + o.n_cached, 2103);
}

/* When one document changed, the entries of the others are written again as the bytes they
 * were read from: the file they make must restore every document as a plain run sees it. */
Test(cache, entries_copied_into_a_rewritten_file_restore_as_before)
{
    struct env v = make_env();
    run_engine(&v.s);
    write_file(v.set, "WI-003.md", "# Work Instruction\n\nNow it cites QP-001 and QP-002.\n");
    struct outcome changed = run_engine(&v.s);
    cr_assert_eq(changed.n_read, 1);
    cr_assert_eq(changed.n_cached, 2);
    struct outcome again = run_engine(&v.s);
    cr_assert_eq(again.n_read, 0);
    cr_assert_eq(again.n_cached, 3);
    cr_assert_str_eq(again.text, reference(&v.s));
}

Test(cache, touched_but_unchanged_file_still_hits)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *p = path_in(v.set, "QP-001.md");
    set_mtime(p, time(NULL) + 5, 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 0);
    cr_assert_eq(o.n_cached, 3);
    cr_assert_geq(o.n_hashed, 1);
}

Test(cache, size_change_is_read_and_new_document_is_read)
{
    struct env v = make_env();
    run_engine(&v.s);
    write_file(v.set, "QP-002.md", "# Internal Audit\n\nShorter now.\n");
    write_file(v.set, "QP-004.md", "# New one\n\nSee [a](QP-001.md).\n");
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 2);
    cr_assert_eq(o.n_cached, 2);
    cr_assert_str_eq(o.text, reference(&v.s));
}

Test(cache, deleted_document_changes_set_findings_of_cached_ones)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *p = path_in(v.set, "QP-002.md");
    cr_assert_eq(unlink(p), 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 0);
    cr_assert_eq(o.n_cached, 2);
    cr_assert_str_eq(o.text, reference(&v.s)); /* check_set ran: QP-001's link now dangles */
}

/* ---------------------------------------------------------------- run-wide invalidation */

Test(cache, config_change_invalidates_every_entry)
{
    struct env v = make_env();
    write_file(v.set, ".qmslint.yml", "rules:\n  structure/heading-skip: warning\n");
    run_engine(&v.s);
    struct outcome hit = run_engine(&v.s);
    cr_assert_eq(hit.n_read, 0);
    write_file(v.set, ".qmslint.yml", "rules:\n  structure/heading-skip: error\n");
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 3);
    cr_assert_str_eq(o.text, reference(&v.s));
}

Test(cache, today_change_invalidates_every_entry)
{
    struct env v = make_env();
    run_engine(&v.s);
    cr_assert_eq(run_engine(&v.s).n_read, 0);
    v.s.today = 20500;
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 3);
    cr_assert_str_eq(o.text, reference(&v.s));
    cr_assert_eq(run_engine(&v.s).n_read, 0);
}

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = read_file(from, &len);
    cr_assert_not_null(data, "cannot read %s", from);
    cr_assert_eq(qms_test_write(to, data, len), 0);
}

Test(cache, plugin_file_change_invalidates_every_entry)
{
    struct env v = make_env();
    char *plugins = tmpdir();
    DIR *d = opendir(QMS_TEST_PLUGIN_DIR);
    cr_assert_not_null(d);
    struct dirent *de;
    char *one = NULL;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".so")) {
            char *from = path_in(QMS_TEST_PLUGIN_DIR, de->d_name);
            char *to = path_in(plugins, de->d_name);
            copy_file(from, to);
            if (!one)
                one = to;
        }
    closedir(d);
    cr_assert_not_null(one, "no plugin in " QMS_TEST_PLUGIN_DIR);
    v.s.plugin_dir = plugins;
    run_engine(&v.s);
    cr_assert_eq(run_engine(&v.s).n_read, 0);
    set_mtime(one, time(NULL) + 10, 0); /* "touch": a rebuilt plugin */
    cr_assert_eq(run_engine(&v.s).n_read, 3);
}

Test(cache, rule_pack_change_invalidates_every_entry)
{
    struct env v = make_env();
    char *rules = tmpdir();
    DIR *d = opendir(QMS_TEST_SOURCE_DIR "/rules");
    cr_assert_not_null(d);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".yml")) {
            char *from = path_in(QMS_TEST_SOURCE_DIR "/rules", de->d_name);
            char *to = path_in(rules, de->d_name);
            copy_file(from, to);
        }
    closedir(d);
    v.s.rules_dir = rules;
    run_engine(&v.s);
    cr_assert_eq(run_engine(&v.s).n_read, 0);
    /* one more comment line in a pack: its bytes changed, nothing else */
    char *pack = path_in(rules, "placeholders.yml");
    size_t len = 0;
    char *text = read_file(pack, &len);
    cr_assert_not_null(text);
    char *more = keep(malloc(len + 16));
    memcpy(more, text, len);
    memcpy(more + len, "\n# edited\n", 10);
    cr_assert_eq(qms_test_write(pack, more, len + 10), 0);
    cr_assert_eq(run_engine(&v.s).n_read, 3);
    cr_assert_eq(run_engine(&v.s).n_read, 0);
}

/* ---------------------------------------------------------------- damaged files */

Test(cache, corrupt_cache_file_is_ignored)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    run_engine(&v.s);
    char *f = cache_file(v.cache);
    size_t len = 0;
    char *data = read_file(f, &len);
    cr_assert_gt(len, 200);
    data[len / 2] ^= 0x5a;
    cr_assert_eq(qms_test_write(f, data, len), 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 3);
    cr_assert_eq(o.n_cached, 0);
    cr_assert_str_eq(o.text, ref);
    cr_assert_eq(run_engine(&v.s).n_cached, 3, "rewritten after the corrupt one");
}

Test(cache, truncated_cache_file_is_ignored)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    run_engine(&v.s);
    char *f = cache_file(v.cache);
    size_t len = 0;
    char *data = read_file(f, &len);
    static const size_t cuts[] = {0, 7, 40, 56, 100};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0] + 1; i++) {
        size_t cut = i < sizeof cuts / sizeof cuts[0] ? cuts[i] : len - 1;
        cr_assert_eq(qms_test_write(f, data, cut), 0);
        struct outcome o = run_engine(&v.s);
        cr_assert_eq(o.n_cached, 0, "cut at %zu", cut);
        cr_assert_str_eq(o.text, ref);
    }
}

Test(cache, forged_entry_with_a_valid_checksum_but_wrong_key_is_ignored)
{
    /* a file from another configuration (or planted with a recomputed checksum but without
       the run key) never serves entries */
    struct env v = make_env();
    write_file(v.set, ".qmslint.yml", "fail_on: warning\n");
    run_engine(&v.s);
    char *f = cache_file(v.cache);
    size_t len = 0;
    char *data = read_file(f, &len);
    write_file(v.set, ".qmslint.yml", "fail_on: error\n");
    run_engine(&v.s); /* writes the file for the new key */
    cr_assert_eq(qms_test_write(f, data, len), 0); /* old key back in place */
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_cached, 0);
}

Test(cache, garbage_cache_file_is_ignored)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *f = cache_file(v.cache);
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    memcpy(junk, "QMSLCACH", 8);
    cr_assert_eq(qms_test_write(f, junk, sizeof junk), 0);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_cached, 0);
    cr_assert_eq(o.n_read, 3);
}

/* A file with a valid checksum and key but damaged entries (what a bug, or someone able to
 * write the user's cache folder, could produce): every count and length is checked, so the
 * run completes, whatever it restores. Run under ASan to see that nothing is read out of
 * bounds. */
static void reseal(unsigned char *data, size_t len)
{
    unsigned char sum[32];
    struct qms_fsum s;
    qms_fsum_init(&s);
    qms_fsum_update(&s, data + 56, len - 56);
    qms_fsum_final(&s, sum);
    memcpy(data + 24, sum, 32);
    uint64_t payload = len - 56;
    for (int i = 0; i < 8; i++)
        data[16 + i] = (unsigned char)(payload >> (8 * i));
}

Test(cache, resealed_damaged_entries_never_crash_the_run)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *f = cache_file(v.cache);
    size_t len = 0;
    unsigned char *orig = (unsigned char *)read_file(f, &len);
    cr_assert_gt(len, 56 + 44 + 16);
    unsigned char *data = keep(malloc(len));
    uint32_t seed = 12345;
    int served = 0;
    for (int round = 0; round < 60; round++) {
        memcpy(data, orig, len);
        size_t n = len;
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = 56 + 44 + (seed >> 8) % (len - 56 - 44);
            seed = seed * 1103515245u + 12345u;
            data[at] = (round % 3 == 0) ? 0xff : (unsigned char)(seed >> 16);
        }
        if (round % 5 == 4) {
            seed = seed * 1103515245u + 12345u;
            n = 56 + 44 + (seed >> 8) % (len - 56 - 44); /* cut inside an entry */
        }
        reseal(data, n);
        cr_assert_eq(qms_test_write(f, (const char *)data, n), 0);
        struct outcome o = run_engine(&v.s);
        cr_assert_eq(o.n_docs, 3);
        cr_assert_eq(o.n_read + o.n_cached, 3);
        served += o.n_cached > 0;
    }
    printf("cache: %d of 60 resealed damaged files still decoded (and were used)\n", served);
}

Test(cache, old_cache_files_of_other_sets_are_pruned_on_write)
{
    struct env v = make_env();
    run_engine(&v.s);
    char *old = path_in(v.cache, "00000000000000000000000000000000.qmscache");
    char *recent = path_in(v.cache, "11111111111111111111111111111111.qmscache");
    char *other = path_in(v.cache, "notes.txt");
    write_file(v.cache, "00000000000000000000000000000000.qmscache", "x");
    write_file(v.cache, "11111111111111111111111111111111.qmscache", "x");
    write_file(v.cache, "notes.txt", "x");
    set_mtime(old, time(NULL) - 40 * 86400, 0);
    set_mtime(other, time(NULL) - 40 * 86400, 0);
    write_file(v.set, "QP-009.md", "# Nine\n"); /* something to write */
    run_engine(&v.s);
    struct stat st;
    cr_assert_neq(stat(old, &st), 0, "a 40-day-old cache file is kept");
    cr_assert_eq(stat(recent, &st), 0);
    cr_assert_eq(stat(other, &st), 0, "not ours: left alone");
}

Test(cache, cache_folder_inside_the_set_is_never_used)
{
    struct env v = make_env();
    char *inside = path_in(v.set, ".cache/q");
    v.s.cache_dir = inside;
    run_engine(&v.s);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_cached, 0);
    char *dot = path_in(v.set, ".cache");
    struct stat st;
    cr_assert_neq(stat(dot, &st), 0, "qmslint wrote into the checked folder");
}

Test(cache, off_unless_asked)
{
    struct env v = make_env();
    v.s.use_cache = 0;
    run_engine(&v.s);
    struct outcome o = run_engine(&v.s);
    cr_assert_eq(o.n_read, 3);
    struct stat st;
    cr_assert_neq(stat(v.cache, &st), 0);
}

/* ---------------------------------------------------------------- the command line */

static char *cli(const char *cwd, const char *const *argv, int *rc, char **err_out)
{
    char *out = NULL, *err = NULL;
    *rc = qms_test_run(cwd, argv, &out, &err);
    keep(err);
    if (err_out)
        *err_out = err;
    return keep(out ? out : strdup(""));
}

/* "qmslint: cache: N documents restored, M read, K hashed" -> M (or -1). */
static long read_count(const char *err)
{
    const char *p = err ? strstr(err, "qmslint: cache: ") : NULL;
    while (p && !strstr(p, " read,"))
        p = strstr(p + 1, "qmslint: cache: ");
    long restored = -1, read = -1, hashed = -1;
    for (; p; p = strstr(p + 1, "qmslint: cache: "))
        if (sscanf(p, "qmslint: cache: %ld documents restored, %ld read, %ld hashed", &restored,
                   &read, &hashed) == 3)
            return read;
    return -1;
}

Test(cache, cli_output_identical_with_and_without_cache_on_the_sample_set)
{
    char *sample = keep(qms_test_fixture("sample-qms"));
    char *base = tmpdir();
    char *cache = path_in(base, "c");
    static const char *const formats[] = {"text", "json", "sarif"};
    for (size_t i = 0; i < 3; i++) {
        const char *nocache[] = {"check", "--no-color", "--today", "2025-06-01", "--format",
                                 formats[i], "--no-cache", sample, NULL};
        const char *cached[] = {"check", "--no-color", "--today", "2025-06-01", "--format",
                                formats[i], "--cache-dir", cache, "-v", sample, NULL};
        int rc0, rc1, rc2;
        char *err1 = NULL, *err2 = NULL;
        char *ref = cli(NULL, nocache, &rc0, NULL);
        char *first = cli(NULL, cached, &rc1, &err1);
        char *second = cli(NULL, cached, &rc2, &err2);
        cr_assert_str_eq(first, ref, "%s differs on the first cached run", formats[i]);
        cr_assert_str_eq(second, ref, "%s differs when restored from the cache", formats[i]);
        cr_assert_eq(rc1, rc0);
        cr_assert_eq(rc2, rc0);
        cr_assert_eq(read_count(err2), 0, "second run: %s", err2 ? err2 : "");
        cr_assert_gt(strlen(ref), 10);
    }
}

static char *generate(size_t n, int seed)
{
    char *dir = tmpdir();
    char *set = path_in(dir, "set");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "python3 %s/bench/gen_set.py %zu %s --seed %d >/dev/null 2>&1",
             QMS_TEST_SOURCE_DIR, n, set, seed);
    if (system(cmd) != 0)
        cr_skip_test("bench/gen_set.py did not run (python3?)");
    return set;
}

/* The first regular Markdown file under dir (relative path into out). */
static int first_md(const char *dir, const char *rel, char *out, size_t size)
{
    char *full = rel[0] ? path_in(dir, rel) : keep(strdup(dir));
    DIR *d = opendir(full);
    if (!d) {
        return 0;
    }
    struct dirent *de;
    char names[256][256];
    size_t n = 0;
    while ((de = readdir(d)) && n < 256)
        if (de->d_name[0] != '.')
            snprintf(names[n++], sizeof names[0], "%s", de->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        size_t l = strlen(names[i]);
        if (l > 3 && strcmp(names[i] + l - 3, ".md") == 0) {
            snprintf(out, size, "%s", sub);
            found = 1;
        } else {
            found = first_md(dir, sub, out, size);
        }
    }
    return found;
}

Test(cache, changed_mode_on_a_generated_set_reads_only_the_changed_file)
{
    char *set = generate(300, 7);
    char *base = tmpdir();
    char *cache = path_in(base, "c");
    char rel[4096];
    cr_assert(first_md(set, "", rel, sizeof rel), "no Markdown file generated");
    char *file = path_in(set, rel);
    /* a git-less set: --changed takes the current folder as the root */
    const char *prime[] = {"check", "--today", "2025-06-01", "--format", "json",
                           "--cache-dir", cache, "-v", "--changed", rel, NULL};
    int rc;
    char *err = NULL;
    cli(set, prime, &rc, &err);
    cr_assert_gt(read_count(err), 250, "%s", err ? err : "");

    size_t len = 0;
    char *text = read_file(file, &len);
    cr_assert_not_null(text);
    char *extra = keep(malloc(len + 64));
    memcpy(extra, text, len);
    memcpy(extra + len, "\n\nSee QP-99999 and [gone](nowhere.md).\n", 40);
    cr_assert_eq(qms_test_write(file, extra, len + 39), 0);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *out = cli(set, prime, &rc, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert_eq(read_count(err), 1, "%s", err ? err : "");
    const char *plain[] = {"check", "--today", "2025-06-01", "--format", "json", "--no-cache",
                           "--changed", rel, NULL};
    int rc0;
    char *ref = cli(set, plain, &rc0, NULL);
    cr_assert_str_eq(out, ref);
    cr_assert_eq(rc, rc0);
    cr_assert(strstr(out, "nowhere.md") != NULL, "the new dangling link must be reported");
    printf("cache: --changed on 300 generated documents, second run: %.3f s\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);

    /* the whole set's report, restored from the cache, is the same as read afresh */
    const char *full[] = {"check", "--today", "2025-06-01", "--format", "sarif",
                          "--cache-dir", cache, "-v", ".", NULL};
    const char *full_plain[] = {"check", "--today", "2025-06-01", "--format", "sarif",
                                "--no-cache", ".", NULL};
    char *cached = cli(set, full, &rc, &err);
    cr_assert_eq(read_count(err), 0, "%s", err ? err : "");
    char *fresh = cli(set, full_plain, &rc0, NULL);
    cr_assert_str_eq(cached, fresh);
    cr_assert_eq(rc, rc0);
}

Test(cache, two_runs_at_once_leave_a_valid_cache)
{
    struct env v = make_env();
    char *ref = reference(&v.s);
    const char *argv[] = {"check", "--today", "2024-10-04", "--cache-dir", v.cache, v.set, NULL};
    pid_t kids[4];
    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        cr_assert_geq(kids[i], 0);
        if (kids[i] == 0) {
            char *o = NULL, *e = NULL;
            int rc = qms_test_run(NULL, argv, &o, &e);
            _exit(rc == 0 || rc == 1 ? 0 : 3);
        }
    }
    for (int i = 0; i < 4; i++) {
        int status = 0;
        cr_assert_eq(waitpid(kids[i], &status, 0), kids[i]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    /* no temporary file left, and the engine (same key: --today 2024-10-04 is day 20000)
       reads the survivor */
    DIR *d = opendir(v.cache);
    cr_assert_not_null(d);
    struct dirent *de;
    while ((de = readdir(d)))
        cr_assert_null(strstr(de->d_name, ".tmp"), "left %s", de->d_name);
    closedir(d);
    struct outcome o = run_engine(&v.s);
    cr_assert_str_eq(o.text, ref);
    const char *again[] = {"check", "--today", "2024-10-04", "--cache-dir", v.cache, "-v",
                           v.set, NULL};
    int rc;
    char *err = NULL;
    cli(NULL, again, &rc, &err);
    cr_assert_eq(read_count(err), 0, "the survivor must serve every document: %s", err);
}
