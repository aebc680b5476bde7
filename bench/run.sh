#!/usr/bin/env bash
# One command for the benchmark (docs/performance.md): generates mixed DOCX/ODT/Markdown sets
# (bench/gen_set.py) and times, side by side as medians with the ratio to qmslint:
#   qmslint check --jobs 1, qmslint check (all cores), the parse floor (bench/parse_floor.c),
#   pandoc DOCX/ODT -> Markdown (all cores, xargs -P), markdownlint-cli2 and textlint on the
#   Markdown third, the peak RSS of each (/usr/bin/time -v), and a --changed run on one file
#   of the biggest set.
#
#   bench/run.sh                       sizes 300 3000 30000
#   SIZES="300 3000" bench/run.sh      other sizes
#   RUNS=5 BIG_RUNS=2 SEED=9001        runs per measurement (BIG_RUNS from BIG_SIZE docs up)
#   TOOLS_MAX=3000                     pandoc/markdownlint/textlint only up to this size
#                                      (pandoc takes minutes per thousand files)
# Writes bench/out/results.md (and .json per measurement) and prints the table.
set -euo pipefail
# Everything runs from main(), so bash has read the whole script before it starts: editing
# this file while a long benchmark runs cannot change the run.
main() {
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$here/out
SIZES=${SIZES:-"300 3000 30000"}
RUNS=${RUNS:-5}
BIG_RUNS=${BIG_RUNS:-2}
BIG_SIZE=${BIG_SIZE:-10000}
TOOLS_MAX=${TOOLS_MAX:-3000}
SEED=${SEED:-9001}
build=${BENCH_BUILD:-$root/build-bench}
mkdir -p "$out"

say() { printf 'bench: %s\n' "$*" >&2; }

# ---- tools
apt_install() {
  if [ "$(id -u)" = 0 ]; then apt-get install -y "$@" >/dev/null
  elif command -v sudo >/dev/null; then sudo apt-get install -y "$@" >/dev/null
  else say "please install: $*"; return 1; fi
}
command -v hyperfine >/dev/null || apt_install hyperfine || true
command -v pandoc >/dev/null || apt_install pandoc || true
[ -x /usr/bin/time ] || apt_install time
if [ ! -x "$here/node_modules/.bin/markdownlint-cli2" ] || [ ! -x "$here/node_modules/.bin/textlint" ]; then
  say "installing markdownlint-cli2 and textlint into bench/node_modules"
  (cd "$here" && npm install --no-save --no-audit --no-fund --no-package-lock --prefix . \
     markdownlint-cli2 textlint textlint-rule-terminology textlint-rule-no-todo >/dev/null)
fi
have_hyperfine=$(command -v hyperfine >/dev/null && echo 1 || echo 0)

# ---- build (Release, no tests)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DQMS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target qmslint qms_parse_floor >/dev/null
qmslint=$build/qmslint
floor=$build/bench/qms_parse_floor
# Full checks are timed without the per-document cache (docs/cache.md): a warm cache would
# measure the cache, not the check. --changed is timed with it, warmed by one full run first.
nocache=()
if "$qmslint" check --help 2>&1 | grep -q -- '--no-cache'; then nocache=(--no-cache); fi
export QMSLINT_RULES_DIR=$root/rules

# ---- measurement helpers
# median_of NAME RUNS CMD...: prints the median wall time in seconds
median_of() {
  local name=$1 runs=$2; shift 2
  local json=$out/$name.json
  if [ "$have_hyperfine" = 1 ]; then
    # PREPARE (a shell command) runs before every timed run, e.g. to change a file
    local prep=()
    [ -n "${PREPARE:-}" ] && prep=(--prepare "$PREPARE")
    hyperfine --style none --ignore-failure --warmup "$([ "$runs" -gt 2 ] && echo 1 || echo 0)" \
      "${prep[@]}" --runs "$runs" --export-json "$json" --shell=none -- "$(printf '%q ' "$@")" \
      >/dev/null 2>&1 \
      || hyperfine --style none --ignore-failure "${prep[@]}" --runs "$runs" --export-json "$json" \
           "$(printf '%q ' "$@")" >/dev/null
    # a run that exited above 1 (a tool's setup error, pandoc failing on a file) is marked "!"
    python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
bad = any(c is not None and c > 1 for c in r.get("exit_codes", []))
print("%.3f%s" % (r["median"], "!" if bad else ""))' "$json"
  else
    local t=()
    for _ in $(seq "$runs"); do
      local s e
      [ -n "${PREPARE:-}" ] && bash -c "$PREPARE"
      s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
      t+=("$(echo "$e - $s" | bc)")
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'
  fi
}
# peak_rss_mb CMD...: peak resident set in MiB of one run
peak_rss_mb() {
  local log=$out/time-v.log
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true   # qmslint exits 1 on findings
  awk -F: '/Maximum resident set size/ {printf "%.0f\n", $2/1024}' "$log"
}
# bash -c wrappers for the commands that loop over files
pandoc_all() { # DIR
  find "$1" \( -name '*.docx' -o -name '*.odt' \) -print0 |
    xargs -0 -P "$(nproc)" -n 16 sh -c 'for f; do pandoc -t gfm -o /dev/null "$f" || exit 255; done' sh
}
export -f pandoc_all

results=$out/results.md
targets=$out/targets.txt
: > "$targets"
target() { printf '%s\n' "$*" >> "$targets"; }
{
  echo "| documents | tool | median s | × qmslint | peak RSS MiB |"
  echo "|---:|---|---:|---:|---:|"
} > "$results"
row() { printf '| %s | %s | %s | %s | %s |\n' "$@" >> "$results"; }
ratio() { python3 -c 'import sys; a,b=float(sys.argv[1].rstrip("!")),float(sys.argv[2].rstrip("!")); print("%.1f" % (a/b) if b>0 else "-")' "$1" "$2"; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
biggest=
for n in $SIZES; do
  set_dir=$out/set-$n
  marker=.generated-$SEED-$(md5sum "$here/gen_set.py" | cut -c1-8)
  if [ ! -f "$set_dir/$marker" ]; then
    say "generating $n documents (seed $SEED)"
    rm -rf "$set_dir"
    python3 "$here/gen_set.py" "$n" "$set_dir" --seed "$SEED"
    : > "$set_dir/.qmslint.yml"   # the set root for --changed
    : > "$set_dir/$marker"
  fi
  biggest=$set_dir
  runs=$RUNS
  [ "$n" -ge "$BIG_SIZE" ] && runs=$BIG_RUNS
  say "$n documents: qmslint"
  q_all=$(median_of "qmslint-$n" "$runs" "$qmslint" check "${nocache[@]}" --format json -- "$set_dir")
  q_all_rss=$(peak_rss_mb "$qmslint" check "${nocache[@]}" --format json -- "$set_dir")
  q_one=$(median_of "qmslint-j1-$n" "$runs" "$qmslint" check "${nocache[@]}" --jobs 1 --format json -- "$set_dir")
  q_one_rss=$(peak_rss_mb "$qmslint" check "${nocache[@]}" --jobs 1 --format json -- "$set_dir")
  say "$n documents: parse floor"
  f=$(median_of "floor-$n" "$runs" "$floor" "$set_dir")
  f_rss=$(peak_rss_mb "$floor" "$set_dir")
  target "$n documents: qmslint on all cores / parse floor = $(ratio "$q_all" "$f")× (target ≤ 2×); peak RSS $q_all_rss MiB"
  row "$n" "qmslint check (all $(nproc) cores)" "$q_all" "1.0" "$q_all_rss"
  row "$n" "qmslint check --jobs 1" "$q_one" "$(ratio "$q_one" "$q_all")" "$q_one_rss"
  row "$n" "parse floor (1 thread)" "$f" "$(ratio "$f" "$q_all")" "$f_rss"
  if [ "$n" -le "$TOOLS_MAX" ]; then
    md_list=$out/md-$n.txt
    find "$set_dir" -name '*.md' | LC_ALL=C sort > "$md_list"
    if command -v pandoc >/dev/null; then
      say "$n documents: pandoc"
      p=$(median_of "pandoc-$n" 1 bash -c 'pandoc_all "$1"' _ "$set_dir")
      p_rss=$(peak_rss_mb pandoc -t gfm -o /dev/null "$(find "$set_dir" -name '*.docx' | head -n 1)")
      row "$n" "pandoc DOCX/ODT → Markdown (all cores)" "$p" "$(ratio "$p" "$q_all")" "$p_rss (one file)"
    fi
    say "$n documents: markdownlint-cli2"
    m=$(median_of "markdownlint-$n" "$([ "$runs" -gt 3 ] && echo 3 || echo "$runs")" \
        "$here/node_modules/.bin/markdownlint-cli2" "$set_dir/**/*.md")
    m_rss=$(peak_rss_mb "$here/node_modules/.bin/markdownlint-cli2" "$set_dir/**/*.md")
    row "$n" "markdownlint-cli2 (Markdown third)" "$m" "$(ratio "$m" "$q_all")" "$m_rss"
    say "$n documents: textlint"
    printf '{"rules": {"terminology": true, "no-todo": true}}\n' > "$out/textlintrc.json"
    t=$(median_of "textlint-$n" 1 "$here/node_modules/.bin/textlint" --config "$out/textlintrc.json" \
        "$set_dir")
    t_rss=$(peak_rss_mb "$here/node_modules/.bin/textlint" --config "$out/textlintrc.json" \
        "$set_dir")
    row "$n" "textlint (Markdown third)" "$t" "$(ratio "$t" "$q_all")" "$t_rss"
    if [ -n "${p:-}" ]; then
      pt=$(python3 -c 'import sys; print("%.3f" % (float(sys.argv[1].rstrip("!")) + float(sys.argv[2].rstrip("!"))))' "$p" "$t")
      row "$n" "pandoc + textlint" "$pt" "$(ratio "$pt" "$q_all")" "-"
      target "$n documents: pandoc + textlint / qmslint = $(ratio "$pt" "$q_all")× (target ≥ 50×)"
    fi
  fi
done

# ---- pre-commit shape: one changed file of the biggest set
if [ -n "$biggest" ] && "$qmslint" check --help 2>&1 | grep -q -- '--changed'; then
  one=$(cd "$biggest" && find . -name '*.md' | LC_ALL=C sort | sed -n 1p)
  n=$(basename "$biggest" | sed 's/set-//')
  say "--changed on one file of $n (after one full run to fill the cache)"
  (cd "$biggest" && "$qmslint" check --format json -- . >/dev/null 2>&1 || true)
  runs=$RUNS
  [ "$n" -ge "$BIG_SIZE" ] && runs=$BIG_RUNS
  # the pre-commit hook's own command (.pre-commit-hooks.yaml: text output), and as in a
  # commit the file really changed: one more line before every run (new size, new content),
  # so it is read and checked while the other documents come from the cache
  saved=$(mktemp)
  cp -p "$biggest/$one" "$saved"
  c=$(cd "$biggest" && PREPARE="printf '\\nEdited for the benchmark.\\n' >> $(printf '%q' "$biggest/$one")" \
      median_of "changed-$n" "$runs" "$qmslint" check --changed -- "$one")
  printf '\nEdited for the benchmark.\n' >> "$biggest/$one"
  c_rss=$(cd "$biggest" && peak_rss_mb "$qmslint" check --changed -- "$one")
  cp -p "$saved" "$biggest/$one"
  rm -f "$saved"
  row "$n" "qmslint check --changed (one edited file, warm cache)" "$c" "-" "$c_rss"
  target "$n documents: --changed on one edited file = ${c}s (target < 0.5 s); peak RSS $c_rss MiB"
fi

echo
echo "load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "ratio: the tool's median / qmslint's median on all cores (higher = slower than qmslint)"
echo "a time marked ! had a run exit above 1 (the tool failed): see bench/out/NAME.json"
cat "$results"
echo
cat "$targets"
}

main "$@"
exit $?
