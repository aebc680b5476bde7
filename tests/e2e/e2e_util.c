#include "e2e.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* argv with "--only-plugin structure" after a plugin-loading command (leaked: one process
 * per test). */
static const char *const *only_structure(const char *const *argv)
{
    size_t n = 0;
    while (argv[n])
        n++;
    if (n == 0 || (strcmp(argv[0], "check") != 0 && strcmp(argv[0], "rules") != 0 && strcmp(argv[0], "baseline") != 0 &&
                   strcmp(argv[0], "plugins") != 0))
        return argv;
    const char **out = calloc(n + 3, sizeof *out);
    out[0] = argv[0];
    out[1] = "--only-plugin";
    out[2] = "structure";
    for (size_t i = 1; i < n; i++)
        out[i + 2] = argv[i];
    return out;
}

struct run e2e_run(const char *cwd, const char *const *argv)
{
    return e2e_run_all(cwd, only_structure(argv));
}

struct run e2e_run_all(const char *cwd, const char *const *argv)
{
    struct run r = {0};
    r.status = qms_test_run(cwd, argv, &r.out, &r.err);
    if (!r.out)
        r.out = strdup("");
    if (!r.err)
        r.err = strdup("");
    return r;
}

static char *slurp(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ssize_t got;
    lseek(fd, 0, SEEK_SET);
    while (buf && (got = read(fd, buf + n, cap - n - 1)) > 0) {
        n += (size_t)got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (buf)
        buf[n] = '\0';
    return buf ? buf : strdup("");
}

struct run e2e_run_env(const char *cwd, const char *const *argv, const char *env_no_color)
{
    struct run r = {0};
    char outname[] = "/tmp/qmse2eo.XXXXXX", errname[] = "/tmp/qmse2ee.XXXXXX";
    int ofd = mkstemp(outname), efd = mkstemp(errname);
    cr_assert(ofd >= 0 && efd >= 0);
    unlink(outname);
    unlink(errname);
    argv = only_structure(argv);
    size_t n = 0;
    while (argv[n])
        n++;
    const char **args = calloc(n + 2, sizeof *args);
    args[0] = QMS_TEST_QMSLINT;
    for (size_t i = 0; i < n; i++)
        args[i + 1] = argv[i];
    pid_t pid = fork();
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        int nul = open("/dev/null", O_RDONLY);
        dup2(nul, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        if (env_no_color)
            setenv("NO_COLOR", env_no_color, 1);
        else
            unsetenv("NO_COLOR");
        setenv("QMSLINT_PLUGIN_PATH", QMS_TEST_PLUGIN_DIR, 1);
        execv(args[0], (char *const *)args);
        _exit(127);
    }
    free(args);
    int status = 0;
    cr_assert(pid > 0 && waitpid(pid, &status, 0) == pid);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(ofd);
    r.err = slurp(efd);
    close(ofd);
    close(efd);
    return r;
}

size_t e2e_count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    if (!hay || !len)
        return 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

size_t e2e_lines(const char *s)
{
    return e2e_count(s, "\n");
}

static int each_line(const char *s, const char *ere, int want_all, char *bad, size_t bad_size)
{
    regex_t re;
    cr_assert(regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) == 0, "bad regex %s", ere);
    int all = 1, some = 0;
    const char *p = s;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);
        int ok = regexec(&re, line, 0, NULL, 0) == 0;
        if (ok)
            some = 1;
        else if (all) {
            all = 0;
            if (bad && bad_size)
                snprintf(bad, bad_size, "%s", line);
        }
        free(line);
        p = nl ? nl + 1 : NULL;
    }
    regfree(&re);
    return want_all ? all : some;
}

int e2e_all_lines_match(const char *s, const char *ere, char *bad_line, size_t bad_size)
{
    return each_line(s, ere, 1, bad_line, bad_size);
}

int e2e_some_line_matches(const char *s, const char *ere)
{
    return each_line(s, ere, 0, NULL, 0);
}

char *e2e_fixture(const char *rel)
{
    return qms_test_fixture(rel);
}

char *e2e_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

void e2e_write(const char *dir, const char *rel, const char *data, size_t len)
{
    char *p = e2e_path(dir, rel);
    cr_assert(qms_test_write(p, data, len) == 0, "cannot write %s", p);
    free(p);
}

/* ---- a strict JSON parser ---- */

struct jp {
    const char *s;
    size_t i, len;
    char *why;
    size_t why_size;
    int depth;
};

static int jp_fail(struct jp *p, const char *what)
{
    if (p->why && p->why_size)
        snprintf(p->why, p->why_size, "%s at byte %zu", what, p->i);
    return -1;
}

static void jp_ws(struct jp *p)
{
    while (p->i < p->len && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
        p->i++;
}

static int jp_value(struct jp *p, struct jv *out);

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(char *buf, size_t *n, unsigned long cp)
{
    if (cp < 0x80) {
        buf[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | (cp >> 6));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*n)++] = (char)(0xE0 | (cp >> 12));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xF0 | (cp >> 18));
        buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned long cp;
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int jp_string(struct jp *p, char **out)
{
    p->i++; /* opening quote */
    char *buf = malloc(p->len - p->i + 1);
    size_t n = 0;
    while (p->i < p->len) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            buf[n] = '\0';
            *out = buf;
            return 0;
        }
        if (c < 0x20) {
            free(buf);
            return jp_fail(p, "raw control character in string");
        }
        if (c == '\\') {
            if (p->i + 1 >= p->len) {
                free(buf);
                return jp_fail(p, "truncated escape");
            }
            char e = p->s[p->i + 1];
            p->i += 2;
            switch (e) {
            case '"': buf[n++] = '"'; break;
            case '\\': buf[n++] = '\\'; break;
            case '/': buf[n++] = '/'; break;
            case 'b': buf[n++] = '\b'; break;
            case 'f': buf[n++] = '\f'; break;
            case 'n': buf[n++] = '\n'; break;
            case 'r': buf[n++] = '\r'; break;
            case 't': buf[n++] = '\t'; break;
            case 'u': {
                unsigned long cp = 0;
                if (p->i + 4 > p->len) {
                    free(buf);
                    return jp_fail(p, "truncated \\u escape");
                }
                for (int k = 0; k < 4; k++) {
                    int h = hexval(p->s[p->i + (size_t)k]);
                    if (h < 0) {
                        free(buf);
                        return jp_fail(p, "bad \\u escape");
                    }
                    cp = cp * 16 + (unsigned long)h;
                }
                p->i += 4;
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    free(buf);
                    return jp_fail(p, "surrogate escape (qmslint never writes them)");
                }
                put_utf8(buf, &n, cp);
                break;
            }
            default:
                free(buf);
                return jp_fail(p, "bad escape");
            }
            continue;
        }
        size_t l = utf8_len((const unsigned char *)p->s + p->i, p->len - p->i);
        if (!l) {
            free(buf);
            return jp_fail(p, "invalid UTF-8 in string");
        }
        memcpy(buf + n, p->s + p->i, l);
        n += l;
        p->i += l;
    }
    free(buf);
    return jp_fail(p, "unterminated string");
}

static int jp_number(struct jp *p, struct jv *out)
{
    size_t start = p->i;
    int integer = 1;
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->len)
        return jp_fail(p, "bad number");
    if (p->s[p->i] == '0')
        p->i++;
    else if (p->s[p->i] >= '1' && p->s[p->i] <= '9')
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    else
        return jp_fail(p, "bad number");
    if (p->i < p->len && p->s[p->i] == '.') {
        integer = 0;
        p->i++;
        if (p->i >= p->len || p->s[p->i] < '0' || p->s[p->i] > '9')
            return jp_fail(p, "bad fraction");
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        integer = 0;
        p->i++;
        if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (p->i >= p->len || p->s[p->i] < '0' || p->s[p->i] > '9')
            return jp_fail(p, "bad exponent");
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    char *tmp = strndup(p->s + start, p->i - start);
    out->type = JV_NUMBER;
    out->number = strtod(tmp, NULL);
    out->is_integer = integer;
    free(tmp);
    return 0;
}

static int jp_literal(struct jp *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->i < n || strncmp(p->s + p->i, word, n) != 0)
        return jp_fail(p, "unexpected token");
    p->i += n;
    return 0;
}

static int jp_container(struct jp *p, struct jv *out, int object)
{
    char close = object ? '}' : ']';
    size_t cap = 0;
    out->type = object ? JV_OBJECT : JV_ARRAY;
    if (++p->depth > 200)
        return jp_fail(p, "nesting too deep");
    p->i++;
    jp_ws(p);
    if (p->i < p->len && p->s[p->i] == close) {
        p->i++;
        p->depth--;
        return 0;
    }
    for (;;) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = realloc(out->items, cap * sizeof *out->items);
            if (object)
                out->keys = realloc(out->keys, cap * sizeof *out->keys);
        }
        jp_ws(p);
        if (object) {
            if (p->i >= p->len || p->s[p->i] != '"')
                return jp_fail(p, "expected a key");
            if (jp_string(p, &out->keys[out->n]) != 0)
                return -1;
            for (size_t k = 0; k < out->n; k++)
                if (strcmp(out->keys[k], out->keys[out->n]) == 0)
                    return jp_fail(p, "duplicate key");
            jp_ws(p);
            if (p->i >= p->len || p->s[p->i] != ':')
                return jp_fail(p, "expected ':'");
            p->i++;
        }
        memset(&out->items[out->n], 0, sizeof out->items[0]);
        if (jp_value(p, &out->items[out->n]) != 0)
            return -1;
        out->n++;
        jp_ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == close) {
            p->i++;
            p->depth--;
            return 0;
        }
        return jp_fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int jp_value(struct jp *p, struct jv *out)
{
    jp_ws(p);
    if (p->i >= p->len)
        return jp_fail(p, "unexpected end");
    char c = p->s[p->i];
    switch (c) {
    case '{':
        return jp_container(p, out, 1);
    case '[':
        return jp_container(p, out, 0);
    case '"':
        out->type = JV_STRING;
        return jp_string(p, &out->string);
    case 't':
        out->type = JV_BOOL;
        out->boolean = 1;
        return jp_literal(p, "true");
    case 'f':
        out->type = JV_BOOL;
        return jp_literal(p, "false");
    case 'n':
        out->type = JV_NULL;
        return jp_literal(p, "null");
    default:
        return jp_number(p, out);
    }
}

struct jv *jv_parse(const char *text, char *why, size_t why_size)
{
    struct jp p = {text, 0, strlen(text), why, why_size, 0};
    struct jv *root = calloc(1, sizeof *root);
    if (jp_value(&p, root) != 0)
        return NULL; /* leaked: one process per test */
    jp_ws(&p);
    if (p.i != p.len) {
        jp_fail(&p, "trailing characters");
        return NULL;
    }
    return root;
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
    if (!obj || obj->type != JV_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

const struct jv *jv_at(const struct jv *root, const char *path)
{
    char *copy = strdup(path), *save = NULL;
    const struct jv *cur = root;
    for (char *tok = strtok_r(copy, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
        if (cur->type == JV_ARRAY) {
            char *end;
            unsigned long i = strtoul(tok, &end, 10);
            cur = (*end == '\0' && i < cur->n) ? &cur->items[i] : NULL;
        } else {
            cur = jv_get(cur, tok);
        }
    }
    free(copy);
    return cur;
}

/* The test process keeps what it read until it exits (one process per test); only the
 * qmslint child's leaks matter, and those fail the tests through its exit status. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:/tests/e2e/\nleak:/tests/support/testutil.c\n";
}
