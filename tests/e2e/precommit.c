/* The pre-commit hook for real (issue 9): a git repository whose .pre-commit-config.yaml uses
 * our .pre-commit-hooks.yaml (from a local hooks repository built from the source tree's
 * file), Debian's `pre-commit` on PATH with the built qmslint; a commit with a defect is
 * blocked, a clean one goes through. Skipped when git or pre-commit is absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gates.h"

struct repo {
    char *root;   /* the temporary folder */
    char *work;   /* the repository under test */
    char *env;    /* environment for every command */
};

/* A hooks repository holding our .pre-commit-hooks.yaml, committed; returns its commit id. */
static char *hooks_repo(struct repo *r)
{
    char *hooks = e2e_path(r->root, "hooks");
    char *src = qms_test_source(".pre-commit-hooks.yaml");
    char *text = qms_test_read(src, NULL);
    cr_assert(text, "no .pre-commit-hooks.yaml at the repository root");
    e2e_write(hooks, ".pre-commit-hooks.yaml", text, strlen(text));
    cr_assert_eq(gates_sh("cd '%s' && %s git init -q . && %s git add -A && "
                          "%s git commit -qm hooks && git rev-parse HEAD > ../hooks.rev",
                          hooks, r->env, r->env, r->env),
                 0);
    char *rev = gates_read(r->root, "hooks.rev");
    cr_assert(rev);
    rev[strcspn(rev, "\n")] = '\0';
    return rev;
}

static struct repo make_repo(const char *qmslint_yml)
{
    gates_need("git");
    gates_need("pre-commit");
    struct repo r;
    r.root = qms_test_tmpdir();
    r.work = e2e_path(r.root, "work");
    char *bin = e2e_path(r.root, "bin");
    cr_assert_eq(gates_sh("mkdir -p '%s' '%s/home' && ln -s '%s' '%s/qmslint'", bin, r.root,
                          QMS_TEST_QMSLINT, bin),
                 0);
    size_t n = 4096;
    r.env = malloc(n);
    snprintf(r.env, n,
             "env PATH='%s':\"$PATH\" HOME='%s/home' PRE_COMMIT_HOME='%s/cache' "
             "GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=qa GIT_AUTHOR_EMAIL=qa@example.com "
             "GIT_COMMITTER_NAME=qa GIT_COMMITTER_EMAIL=qa@example.com "
             "QMSLINT_PLUGIN_PATH= SKIP=",
             bin, r.root, r.root);
    char *rev = hooks_repo(&r);
    char config[2048];
    snprintf(config, sizeof config,
             "repos:\n"
             "  - repo: %s/hooks\n"
             "    rev: %s\n"
             "    hooks:\n"
             "      - id: qmslint\n",
             r.root, rev);
    e2e_write(r.work, ".pre-commit-config.yaml", config, strlen(config));
    e2e_write(r.work, ".qmslint.yml", qmslint_yml, strlen(qmslint_yml));
    cr_assert_eq(gates_sh("cd '%s' && %s git init -q . && %s pre-commit install >/dev/null && "
                          "%s git add .pre-commit-config.yaml .qmslint.yml && "
                          "%s git commit -qm setup >/dev/null 2>&1",
                          r.work, r.env, r.env, r.env, r.env),
                 0, "cannot set up the repository");
    return r;
}

/* git add + commit of one file; the commit's exit status (the hook's verdict). */
static int commit(const struct repo *r, const char *rel, const char *text)
{
    e2e_write(r->work, rel, text, strlen(text));
    return gates_sh("cd '%s' && %s git add '%s' && %s git commit -qm '%s' > ../commit.log 2>&1",
                    r->work, r->env, rel, r->env, rel);
}

static void assert_blocked_then_fixed(const struct repo *r, const char *rel, const char *bad,
                                      const char *good, const char *rule)
{
    cr_assert_neq(commit(r, rel, bad), 0, "the hook lets a defect through: %s",
                  gates_read(r->root, "commit.log"));
    char *log = gates_read(r->root, "commit.log");
    cr_assert(log && strstr(log, rule), "the hook says why: %s", log);
    cr_assert(strstr(log, "Failed"), "%s", log);
    cr_assert_eq(commit(r, rel, good), 0, "a clean commit is blocked: %s",
                 gates_read(r->root, "commit.log"));
    cr_assert_eq(gates_sh("cd '%s' && git log --oneline | grep -q '%s'", r->work, rel), 0);
}

Test(precommit, blocks_a_commit_with_an_error_and_lets_a_clean_one_through)
{
    struct repo r = make_repo("plugins:\n  xref: false\n  revision: false\n  iso9001: false\n"
                              "rules:\n  structure/placeholder-text: error\n"
                              "  structure/missing-section: off\n");
    assert_blocked_then_fixed(&r, "procedures/visitors.md", "# Visitors\n\nContact: TBD\n",
                              "# Visitors\n\nContact: the site manager.\n",
                              "[structure/placeholder-text]");
}

Test(precommit, blocks_a_commit_with_a_dangling_reference)
{
    char *so = e2e_path(QMS_TEST_PLUGIN_DIR, "xref.so");
    if (!qms_test_read(so, NULL))
        cr_skip("the xref plugin is not built");
    struct repo r = make_repo("plugins:\n  structure: false\n  revision: false\n  iso9001: false\n");
    cr_assert_eq(commit(&r, "QP-002.md", "# QP-002 Records\n\nKept for three years.\n"), 0, "%s",
                 gates_read(r.root, "commit.log"));
    assert_blocked_then_fixed(&r, "QP-001.md", "# QP-001 Control\n\nRecords: see QP-019.\n",
                              "# QP-001 Control\n\nRecords: see QP-002.\n", "[xref/dangling]");
}

Test(precommit, files_outside_the_hook_pattern_do_not_run_it)
{
    struct repo r = make_repo("rules:\n  structure/placeholder-text: error\n");
    cr_assert_eq(commit(&r, "notes.txt", "TBD\n"), 0, "%s", gates_read(r.root, "commit.log"));
    char *log = gates_read(r.root, "commit.log");
    cr_assert(log && strstr(log, "no files to check"), "%s", log);
}
