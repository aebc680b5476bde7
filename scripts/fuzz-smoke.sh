#!/usr/bin/env bash
# CI fuzz smoke run: builds every libFuzzer target with clang + ASan/UBSan (build-fuzz/) and
# runs each for FUZZ_SMOKE_SECONDS (default 30, at most 60) from the fixtures and the kept
# regressions. Fails when any target finds a crash, a leak or a hang; the input is then in
# fuzz/regressions/<target>/ (commit it with the fix: tests/unit/fuzzregress replays it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SMOKE_SECONDS:-30}
if [ "$seconds" -gt 60 ]; then seconds=60; fi
build=${FUZZ_BUILD:-$PWD/build-fuzz}
export FUZZ_BUILD=$build
if ! command -v clang >/dev/null; then
  echo "fuzz-smoke: clang is not installed (apt-get install clang)" >&2
  exit 2
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQMS_FUZZ=ON \
    -DQMS_SANITIZE=ON -DQMS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target qms_fuzz >/dev/null
status=0
for t in fuzz_docx fuzz_odt fuzz_markdown fuzz_config fuzz_meta; do
  log=$build/fuzz/$t-smoke.log
  if FUZZ_NO_BUILD=1 FUZZ_NICE=0 scripts/fuzz.sh "$t" "$seconds" >"$log" 2>&1; then
    echo "fuzz-smoke: $t: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}') runs)"
  else
    echo "fuzz-smoke: $t: FAILED — last lines of $log:" >&2
    tail -n 30 "$log" >&2
    status=1
  fi
done
exit $status
