#include "testutil.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

char *qms_test_fixture(const char *rel) { return join(QMS_TEST_FIXTURES, rel); }
char *qms_test_source(const char *rel) { return join(QMS_TEST_SOURCE_DIR, rel); }

char *qms_test_shared(const char *rel)
{
    struct stat st;
    char *p = join(QMS_TEST_SHARED_DIR, rel);
    if (!p || stat(p, &st) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

char *qms_test_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    }
}

int qms_test_write(const char *path, const char *data, size_t len)
{
    mkdirs(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int rc = fwrite(data, 1, len, f) == len ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

char *qms_test_tmpdir(void)
{
    char *t = strdup("/tmp/qmstest.XXXXXX");
    if (t && !mkdtemp(t)) {
        free(t);
        return NULL;
    }
    return t;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ssize_t r;
    while (buf && (r = read(fd, buf + n, cap - n - 1)) > 0) {
        n += (size_t)r;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    return buf;
}

int qms_test_run(const char *cwd, const char *const *argv, char **out, char **err)
{
    char outname[] = "/tmp/qmsout.XXXXXX", errname[] = "/tmp/qmserr.XXXXXX";
    int ofd = mkstemp(outname), efd = mkstemp(errname);
    if (ofd < 0 || efd < 0)
        return -1;
    unlink(outname);
    unlink(errname);
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
        setenv("NO_COLOR", "1", 1);
        setenv("QMSLINT_PLUGIN_PATH", QMS_TEST_PLUGIN_DIR, 1);
        execv(args[0], (char *const *)args);
        _exit(127);
    }
    free(args);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    char *o = slurp_fd(ofd), *e = slurp_fd(efd);
    close(ofd);
    close(efd);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct qms_config *qms_test_config(const char *yaml, char **out_path)
{
    struct qms_err err = {{0}};
    struct qms_config *cfg = NULL;
    if (!yaml) {
        cr_assert_eq(qms_config_default(&cfg, &err), 0, "%s", err.msg);
        return cfg;
    }
    char *dir = qms_test_tmpdir();
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/.qmslint.yml", dir);
    free(dir);
    cr_assert_eq(qms_test_write(path, yaml, strlen(yaml)), 0);
    cr_assert_eq(qms_config_load(&cfg, path, &err), 0, "%s", err.msg);
    if (out_path)
        *out_path = path;
    else
        free(path);
    return cfg;
}
