#!/usr/bin/env bash
# Installs what is missing, builds qmslint twice (plain, then with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs the whole test suite on each, then gives every fuzz
# target a short run (FUZZ_SMOKE_SECONDS, default 30). Fails when any of it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure -j"$jobs")
}

echo "== plain build"
run_suite build-test
echo "== ASan + UBSan build"
run_suite build-asan -DQMS_SANITIZE=ON
echo "== fuzz smoke (libFuzzer, ASan + UBSan)"
scripts/fuzz-smoke.sh
