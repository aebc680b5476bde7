#!/usr/bin/env bash
# Prints (never asserts) the --changed time on a generated set with and without the document
# cache (docs/cache.md). Usage: tests/unit/cache/measure.sh [BUILD_DIR] [N]
#   BUILD_DIR: a Release build holding qmslint (default build-bench); N documents (3000).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$(cd "${1:-$root/build-bench}" && pwd)
n=${2:-3000}
qmslint=$build/qmslint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QMSLINT_RULES_DIR=$root/rules
python3 "$root/bench/gen_set.py" "$n" "$work/set" --seed 11 >/dev/null
cd "$work/set"
file=$(find . -name '*.md' | sort | head -1)
run() { /usr/bin/time -f "%e s, peak RSS %M KB" "$@" 2>&1 >/dev/null | { grep -E "cache: [0-9]|peak" || true; } | tr '\n' ' '; echo; }
echo "== $n documents, check --changed $file"
echo "-- without cache (--no-cache), 3 runs:"
for i in 1 2 3; do run "$qmslint" check --no-cache --format json --changed "$file"; done
echo "-- with cache: first run (fills it):"
run "$qmslint" check -v --cache-dir "$work/cache" --format json --changed "$file"
echo "-- with cache, nothing changed, 3 runs:"
for i in 1 2 3; do run "$qmslint" check -v --cache-dir "$work/cache" --format json --changed "$file"; done
printf '\nSee QP-99999.\n' >> "$file"
echo "-- with cache, the file changed, 3 runs:"
for i in 1 2 3; do run "$qmslint" check -v --cache-dir "$work/cache" --format json --changed "$file"; done
"$qmslint" check -v --cache-dir "$work/cache" --format json --changed "$file" > "$work/a.json" 2>/dev/null || true
"$qmslint" check --no-cache --format json --changed "$file" > "$work/b.json" 2>/dev/null || true
cmp -s "$work/a.json" "$work/b.json" && echo "-- output identical with and without cache" || echo "-- OUTPUT DIFFERS"
ls -l "$work/cache"
