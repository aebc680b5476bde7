#!/usr/bin/env bash
# Screenshots of the gap report for the docs (docs/img/), generated from the sample set by
# headless chromium (scripts/setup.sh installs it), never drawn by hand.
#   scripts/screenshots.sh [BUILD_DIR]     default: build
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
qmslint="$build/qmslint"
set_dir="$build/fixtures/sample-qms"
chromium="$(command -v chromium || command -v chromium-browser || true)"
[ -x "$qmslint" ] || { echo "screenshots: no $qmslint (build first)" >&2; exit 2; }
[ -d "$set_dir" ] || { echo "screenshots: no $set_dir (build the qms_fixtures target)" >&2; exit 2; }
[ -n "$chromium" ] || { echo "screenshots: chromium is not installed (scripts/setup.sh)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# --today pins the review-date findings so the pictures do not change with the calendar
"$qmslint" report "$set_dir" --today 2026-01-15 --format html -o "$work/gap-report.html"

# name width height section: the report, with every other section hidden (a copy of it)
shot() {
  local page="$work/$1.html"
  if [ -n "$4" ]; then
    sed "s|</head>|<style>body>header,body>section:not(#$4){display:none}</style></head>|" \
      "$work/gap-report.html" >"$page"
  else
    cp "$work/gap-report.html" "$page"
  fi
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$2,$3" --screenshot="docs/img/$1.png" "file://$page" >/dev/null 2>&1
  echo "screenshots: docs/img/$1.png"
}
mkdir -p docs/img
shot report-summary 1200 1000 ""
shot report-matrix 1200 1400 matrix
shot report-register 1200 700 register
shot report-findings 1200 1000 findings
