#!/bin/sh
# HTML and determinism checks for `vmctr advise`.
#
#   tests/html/check.sh BIN
#
# 1. Every format (text, text --explain, json, ndjson, csv, markdown, html)
#    of three scenarios (components, blockers, --what-if) is rendered twice,
#    and once more with -j 2 over all of them: the bytes must be identical.
# 2. The HTML reports and a portfolio site (index and every profile page)
#    go through the W3C Nu checker (vnu.jar) when `java`
#    and the jar are available: $VNU_JAR, else node_modules/vnu-jar or
#    /tmp/vnu/node_modules/vnu-jar (npm install --prefix /tmp/vnu vnu-jar).
#    Without them that step is skipped with a SKIP line and the script
#    exits 77 (ctest: skipped) after the other checks passed, unless
#    VNU_REQUIRED=1 (or CI=true), which makes a missing checker a failure.
# Runs from the repository root whatever the current directory.
set -u
[ "${CI:-}" = true ] && VNU_REQUIRED=1
if [ $# -ne 1 ]; then
    echo "usage: $0 VMCTR_BINARY" >&2
    exit 2
fi
BIN=$1
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
cd "$(dirname "$0")/../.." || exit 2
NO_COLOR=1 COLUMNS=80 LC_ALL=C
export NO_COLOR COLUMNS LC_ALL
unset FORCE_COLOR 2>/dev/null || true
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmctr-html.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

A=tests/acceptance
SCEN="erp-plus-new-services custom-kernel-module slow-release-monolith"
fail=0

render() { # name args...
    name=$1
    shift
    "$BIN" advise "$@" >"$TMP/$name" 2>"$TMP/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL vmctr advise $*: exit $rc"
        sed 's/^/    /' "$TMP/$name.err"
        fail=1
    fi
}

for s in $SCEN; do
    wi=
    [ "$s" = slow-release-monolith ] && wi="--what-if delivery.release_frequency=daily"
    for f in text json ndjson csv markdown html; do
        for run in 1 2; do
            # shellcheck disable=SC2086
            render "$s.$f.$run" --format $f $wi "$A/$s.yaml"
        done
        if ! cmp -s "$TMP/$s.$f.1" "$TMP/$s.$f.2"; then
            echo "FAIL $s $f: two runs differ"
            fail=1
        fi
    done
    for run in 1 2; do
        # shellcheck disable=SC2086
        render "$s.explain.$run" --explain $wi "$A/$s.yaml"
    done
    cmp -s "$TMP/$s.explain.1" "$TMP/$s.explain.2" || { echo "FAIL $s text --explain: two runs differ"; fail=1; }
done
# threads must not change a byte
files=""
for s in $SCEN; do files="$files $A/$s.yaml"; done
for f in text json ndjson csv markdown html; do
    # shellcheck disable=SC2086
    render "all.$f.j1" --format $f -j 1 $files
    # shellcheck disable=SC2086
    render "all.$f.j2" --format $f -j 2 $files
    cmp -s "$TMP/all.$f.j1" "$TMP/all.$f.j2" || { echo "FAIL $f: -j 1 and -j 2 differ"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok: output identical across runs and -j"

# HTML validation
jar=${VNU_JAR:-}
if [ -z "$jar" ]; then
    for c in node_modules/vnu-jar/build/dist/vnu.jar /tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar; do
        [ -f "$c" ] && { jar=$c; break; }
    done
fi
if ! command -v java >/dev/null 2>&1 || [ -z "$jar" ] || [ ! -f "$jar" ]; then
    if [ "${VNU_REQUIRED:-}" = 1 ]; then
        echo "FAIL: java or vnu.jar not found (set VNU_JAR)"
        exit 1
    fi
    echo "SKIP html validation: java or vnu.jar not found (npm install --prefix /tmp/vnu vnu-jar)"
    # a skipped check is not a pass: 77 is ctest's "Skipped" (SKIP_RETURN_CODE)
    [ "$fail" -ne 0 ] && exit 1
    exit 77
fi
for s in $SCEN; do
    cp "$TMP/$s.html.1" "$TMP/$s.html"
done
# and a portfolio site: its index and every profile page
"$BIN" portfolio --format html -o "$TMP/site/" examples "$A" || { echo "FAIL portfolio site"; fail=1; }
if ! java -jar "$jar" --errors-only "$TMP"/*.html "$TMP"/site/*.html; then
    echo "FAIL: vnu reported errors"
    fail=1
else
    echo "ok: vnu found no errors in $(echo $SCEN | wc -w) HTML reports and the portfolio site"
fi
exit $fail
