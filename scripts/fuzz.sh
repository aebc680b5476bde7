#!/usr/bin/env bash
# Runs one libFuzzer target for a set time: scripts/fuzz.sh TARGET SECONDS
#   TARGET: fuzz_docx fuzz_odt fuzz_markdown fuzz_config fuzz_meta (or docx, odt, ...)
# Builds build-fuzz/ with clang + ASan/UBSan + libFuzzer when needed, seeds the corpus from
# fixtures/, keeps a growing corpus in build-fuzz/fuzz/corpus/TARGET (not in git) and writes
# any crashing input to fuzz/regressions/TARGET/ (those ARE kept in git, and replayed by
# tests/unit/fuzzregress). Environment: FUZZ_BUILD (build folder), FUZZ_NICE (nice level, 10),
# FUZZ_ARGS (extra libFuzzer flags), FUZZ_NO_BUILD=1 (use the build as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
case $target in fuzz_*) ;; *) target=fuzz_$target ;; esac
case $target in
  fuzz_docx|fuzz_odt|fuzz_markdown|fuzz_config|fuzz_meta) ;;
  *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
build=${FUZZ_BUILD:-$root/build-fuzz}
nice_level=${FUZZ_NICE:-10}

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=${FUZZ_CC:-clang} cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DQMS_FUZZ=ON -DQMS_SANITIZE=ON -DQMS_BUILD_TESTS=OFF >/dev/null
  fi
  nice -n "$nice_level" cmake --build "$build" -j"${FUZZ_BUILD_JOBS:-2}" --target "$target" >/dev/null
fi

# Seeds: our fixtures, packed the way fixtures/pack.cmake packs them.
seeds=$build/fuzz/seeds/$target
rm -rf "$seeds"
mkdir -p "$seeds"
pack() { # folder.d -> zip
  local src=$1 out=$2
  rm -f "$out"
  ( cd "$src"
    if [ -f mimetype ]; then zip -X -0 -q "$out" mimetype; fi
    find . -type f ! -name mimetype | sed 's|^\./||' | LC_ALL=C sort | zip -X -9 -q "$out" -@ )
}
n=0
# parts NUL-separated, the unzipped form the package targets also take (fuzz/fuzz_zip.h)
parts() { # folder.d out part...
  local src=$1 out=$2 first=1
  shift 2
  : > "$out"
  for p in "$@"; do
    [ $first = 1 ] || printf '\0' >> "$out"
    first=0
    if [ -f "$src/$p" ]; then cat "$src/$p" >> "$out"; fi
  done
}
case $target in
  fuzz_docx)
    while IFS= read -r d; do n=$((n + 1)); pack "$d" "$seeds/seed$n.zip"; done \
      < <(find fixtures -type d \( -name '*.docx.d' -o -name '*.docm.d' -o -name '*.dotx.d' \) | LC_ALL=C sort)
    while IFS= read -r d; do n=$((n + 1)); parts "$d" "$seeds/parts$n.xml" word/document.xml \
        word/styles.xml docProps/core.xml docProps/custom.xml word/comments.xml word/header1.xml \
        word/footnotes.xml; done \
      < <(find fixtures -type d \( -name '*.docx.d' -o -name '*.docm.d' -o -name '*.dotx.d' \) | LC_ALL=C sort) ;;
  fuzz_odt)
    while IFS= read -r d; do n=$((n + 1)); pack "$d" "$seeds/seed$n.zip"; done \
      < <(find fixtures -type d \( -name '*.odt.d' -o -name '*.ott.d' \) | LC_ALL=C sort)
    while IFS= read -r d; do n=$((n + 1)); parts "$d" "$seeds/parts$n.xml" content.xml \
        styles.xml meta.xml; done \
      < <(find fixtures -type d \( -name '*.odt.d' -o -name '*.ott.d' \) | LC_ALL=C sort)
    while IFS= read -r f; do n=$((n + 1)); cp "$f" "$seeds/flat$n.fodt"; done \
      < <(find fixtures -name '*.fodt' -type f | LC_ALL=C sort) ;;
  fuzz_markdown|fuzz_meta)
    while IFS= read -r f; do n=$((n + 1)); cp "$f" "$seeds/seed$n.md"; done \
      < <(find fixtures -name '*.md' -type f -size -200k | LC_ALL=C sort) ;;
  fuzz_config)
    while IFS= read -r f; do n=$((n + 1)); cp "$f" "$seeds/seed$n.yml"; done \
      < <(find fixtures -type f \( -name '*.yml' -o -name '*.yaml' \) | LC_ALL=C sort) ;;
esac
# Past crashes are seeds too: a fix must keep them fixed.
if [ -d "fuzz/regressions/$target" ]; then
  while IFS= read -r f; do n=$((n + 1)); cp "$f" "$seeds/regression$n"; done \
    < <(find "fuzz/regressions/$target" -type f ! -name 'README*' | LC_ALL=C sort)
fi

corpus=$build/fuzz/corpus/$target
artifacts=$root/fuzz/regressions/$target/
mkdir -p "$corpus" "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QMSLINT_RULES_DIR=$root/rules
echo "fuzz.sh: $target for ${seconds}s (corpus $corpus, crashes to fuzz/regressions/$target/)"
exec nice -n "$nice_level" "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
  ${FUZZ_ARGS:-} "$corpus" "$seeds"
