#!/usr/bin/env bash
# Installs everything qmslint needs on a fresh Debian 12, as root; safe to run again.
#   scripts/setup.sh            dependencies only
#   scripts/setup.sh --build    dependencies, then configure and build into build/
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git zip unzip ca-certificates
  libxml2-dev libzip-dev libtree-sitter-dev libyaml-dev libpcre2-dev libcriterion-dev
  python3 python3-jsonschema pre-commit
  clang libclang-rt-14-dev
  chromium fonts-dejavu-core
)
# chromium: the gap report's browser test (tests/e2e/report_browser.c) and scripts/screenshots.sh

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# npm may already come with a Node.js of the machine's own; only Debian's when there is none.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Markdown grammar, exactly as pinned in package-lock.json; its install script (a Node
# binding we do not use) is skipped. CMake compiles the C sources against Debian's libtree-sitter.
grammar=node_modules/@tree-sitter-grammars/tree-sitter-markdown
if ! [ -f "$grammar/tree-sitter-markdown/src/parser.c" ] || ! cmp -s package-lock.json node_modules/.package-lock.json.qmslint; then
  echo "setup: installing the tree-sitter Markdown grammar from npm"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.package-lock.json.qmslint
fi

if [ "${1:-}" = "--build" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)"
fi
