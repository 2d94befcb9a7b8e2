#!/bin/sh
# Real-browser checks of the HTML reports (tests/html/browser.js): advise
# pages (a plain profile, a system with components, blockers, --what-if) and
# a portfolio site, at 1280 and 375 px and printed to PDF on A4 and Letter
# with the page bounds documented in docs/report.md.
#
#   tests/html/browser.sh BIN [NODE_MODULES]
#
# Needs Debian's `chromium` (`scripts/deps.sh test` installs it under
# CI=true) and puppeteer-core from build/tools (scripts/test-tools.sh).
# Without either it exits 77 (ctest reports the test as skipped), except
# under CI=true, where it fails.
set -u
BIN=${1:?usage: $0 VMCTR_BINARY [NODE_MODULES]}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
cd "$(dirname "$0")/../.." || exit 2
MODS=${2:-build/tools/node_modules}
case $MODS in /*) ;; *) MODS=$(pwd)/$MODS ;; esac
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
missing=
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] || missing="chromium (scripts/deps.sh test)"
command -v node >/dev/null 2>&1 || missing="$missing node"
[ -d "$MODS/puppeteer-core" ] || missing="$missing puppeteer-core in $MODS (scripts/test-tools.sh)"
if [ -n "$missing" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL missing: $missing"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP missing: $missing"
    exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmctr-browser.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
A=tests/acceptance
"$BIN" advise -f html -o "$TMP/billing.html" examples/billing-api.yaml || exit 1
"$BIN" advise -f html -o "$TMP/retail-bank.html" examples/retail-bank.yaml || exit 1
"$BIN" advise -f html -o "$TMP/custom-kernel.html" $A/custom-kernel-module.yaml || exit 1
"$BIN" advise -f html -o "$TMP/what-if.html" --what-if delivery.release_frequency=daily $A/slow-release-monolith.yaml || exit 1
"$BIN" portfolio -f html -o "$TMP/site/" examples $A >/dev/null || exit 1
# page bounds (A4 and Letter; docs/report.md "HTML"): a single workload
# prints on at most 8 pages, a system of two or three components on 16, the
# portfolio index of the 50 example and acceptance profiles on 10. A
# system shows each component's four charts and the system's priority
# sensitivity (no charts of the shared fields alone: they are no verdict),
# so retail-bank's two components and the system give 9.
site_page=$(cd "$TMP/site" && ls | grep -v '^index.html$' | head -1)
cat >"$TMP/spec.json" <<JSON
[
  {"file": "$TMP/billing.html", "pages": 8, "charts": 4, "sliders": "examples/billing-api.yaml"},
  {"file": "$TMP/custom-kernel.html", "pages": 8, "charts": 4, "sliders": "$A/custom-kernel-module.yaml"},
  {"file": "$TMP/what-if.html", "pages": 8, "charts": 4, "sliders": "$A/slow-release-monolith.yaml"},
  {"file": "$TMP/retail-bank.html", "pages": 16, "charts": 9},
  {"file": "$TMP/site/index.html", "pages": 10, "charts": 2},
  {"file": "$TMP/site/$site_page", "pages": 16, "charts": 4}
]
JSON
NODE_PATH=$MODS node tests/html/browser.js "$CHROMIUM" "$TMP/spec.json" "$BIN"
