/* docs/ci.md is copy-paste material (issue 9): every YAML block parses, the local pre-commit
 * hook mirrors .pre-commit-hooks.yaml, and every qmslint command in the GitHub, GitLab,
 * Jenkins and shell setups runs for real against a small set (exit 0 or 1, never a usage
 * error) and writes the reports the setup then uploads. */
#include <criterion/criterion.h>
#include <string.h>

#include "gates.h"

static const char *const checker =
    "import os, re, shlex, subprocess, sys, yaml\n"
    "doc, hooks, setdir, bindir = sys.argv[1:5]\n"
    "text = open(doc).read()\n"
    "blocks = re.findall(r'```(\\w*)\\n(.*?)```', text, re.S)\n"
    "cmds = []\n"
    "n_yaml = 0\n"
    "hook = yaml.safe_load(open(hooks))[0]\n"
    "def walk(node):\n"
    "    if isinstance(node, dict):\n"
    "        for v in node.values(): yield from walk(v)\n"
    "    elif isinstance(node, list):\n"
    "        for v in node: yield from walk(v)\n"
    "    elif isinstance(node, str): yield node\n"
    "for lang, body in blocks:\n"
    "    if lang == 'yaml':\n"
    "        data = yaml.safe_load(body); n_yaml += 1\n"
    "        for s in walk(data):\n"
    "            if s.startswith('qmslint check') or s.startswith('qmslint baseline'): cmds.append(s)\n"
    "        if isinstance(data, dict) and 'repos' in data:\n"
    "            for repo in data['repos']:\n"
    "                for h in repo['hooks']:\n"
    "                    assert h['id'] == hook['id'], h\n"
    "                    if repo['repo'] == 'local':\n"
    "                        for k in ('entry','language','files','require_serial','pass_filenames'):\n"
    "                            assert h[k] == hook[k], (k, h[k], hook[k])\n"
    "    elif lang == 'sh':\n"
    "        for line in body.replace('\\\\\\n', ' ').splitlines():\n"
    "            line = line.split('#')[0].strip()\n"
    "            if line.startswith('qmslint '): cmds.append(line)\n"
    "    elif lang == 'groovy':\n"
    "        cmds += re.findall(r\"sh '(qmslint [^']*)'\", body)\n"
    "assert n_yaml >= 4, n_yaml\n"
    "assert len(cmds) >= 5, cmds\n"
    "env = dict(os.environ, PATH=bindir + ':' + os.environ['PATH'])\n"
    "for c in cmds:\n"
    "    argv = shlex.split(' '.join(c.split()))\n"
    "    if '--changed' in argv: argv.append('guide.md')\n"
    "    r = subprocess.run(argv, cwd=setdir, env=env, capture_output=True, text=True)\n"
    "    assert r.returncode in (0, 1), (c, r.returncode, r.stderr)\n"
    "    for i, a in enumerate(argv):\n"
    "        if a in ('--output', '-o'):\n"
    "            assert os.path.getsize(os.path.join(setdir, argv[i + 1])) > 0, (c, argv[i + 1])\n"
    "print(len(cmds), 'commands,', n_yaml, 'yaml blocks')\n";

Test(ci_docs, every_setup_parses_and_its_commands_run)
{
    gates_need("python3");
    if (gates_sh("python3 -c 'import yaml' 2>/dev/null") != 0)
        cr_skip("python3-yaml is not installed");
    char *set = gates_set("guide.md", "# Guide\n\nContact: TBD\n", NULL);
    char *bin = qms_test_tmpdir();
    cr_assert_eq(gates_sh("ln -s '%s' '%s/qmslint'", QMS_TEST_QMSLINT, bin), 0);
    char *script = e2e_path(bin, "check_ci_docs.py");
    e2e_write(bin, "check_ci_docs.py", checker, strlen(checker));
    int st = gates_sh("python3 '%s' '%s' '%s' '%s' '%s' >&2", script,
                      qms_test_source("docs/ci.md"), qms_test_source(".pre-commit-hooks.yaml"),
                      set, bin);
    cr_assert_eq(st, 0, "docs/ci.md has a setup that does not work as written");
    cr_assert(gates_exists(set, "qmslint.sarif") && gates_exists(set, "gl-code-quality.json") &&
              gates_exists(set, "qmslint-junit.xml") && gates_exists(set, ".qmslint-baseline.json"));
}
