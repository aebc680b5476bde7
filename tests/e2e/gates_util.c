/* Helpers for the CI-gate tests (see gates.h). */
#include "gates.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libxml/parser.h>

char *gates_set(const char *first_rel, ...)
{
    char *dir = qms_test_tmpdir();
    cr_assert(dir, "cannot create a temporary folder");
    va_list ap;
    va_start(ap, first_rel);
    for (const char *rel = first_rel; rel; rel = va_arg(ap, const char *)) {
        const char *text = va_arg(ap, const char *);
        e2e_write(dir, rel, text, strlen(text));
    }
    va_end(ap);
    return dir;
}

int gates_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof cmd, "command too long");
    fflush(NULL);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

char *gates_read(const char *dir, const char *rel)
{
    char *path = e2e_path(dir, rel);
    return qms_test_read(path, NULL);
}

int gates_exists(const char *dir, const char *rel)
{
    struct stat st;
    return stat(e2e_path(dir, rel), &st) == 0;
}

struct jv *gates_json(const char *text)
{
    char why[256] = "";
    cr_assert(text, "no output");
    struct jv *root = jv_parse(text, why, sizeof why);
    cr_assert(root, "not JSON (%s): %.2000s", why, text);
    return root;
}

void gates_need(const char *program)
{
    if (gates_sh("command -v %s >/dev/null 2>&1", program) != 0)
        cr_skip("%s is not installed (scripts/setup.sh installs it)", program);
}

int gates_xml_file_ok(const char *path, char *why, size_t why_size)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(why, why_size, "%s", e && e->message ? e->message : "not XML");
        return 0;
    }
    xmlFreeDoc(doc);
    return 1;
}
