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
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
t_root
t_env
COLUMNS=80
export COLUMNS
t_tmp html

A=tests/acceptance
SCEN="erp-plus-new-services custom-kernel-module slow-release-monolith"

render() { # name args...
    name=$1
    shift
    "$BIN" advise "$@" >"$TMP/$name" 2>"$TMP/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "vmctr advise $*: exit $rc"
        sed 's/^/    /' "$TMP/$name.err"
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
        cmp -s "$TMP/$s.$f.1" "$TMP/$s.$f.2" || bad "$s $f: two runs differ"
    done
    for run in 1 2; do
        # shellcheck disable=SC2086
        render "$s.explain.$run" --explain $wi "$A/$s.yaml"
    done
    cmp -s "$TMP/$s.explain.1" "$TMP/$s.explain.2" || bad "$s text --explain: two runs differ"
done
# threads must not change a byte
files=""
for s in $SCEN; do files="$files $A/$s.yaml"; done
for f in text json ndjson csv markdown html; do
    # shellcheck disable=SC2086
    render "all.$f.j1" --format $f -j 1 $files
    # shellcheck disable=SC2086
    render "all.$f.j2" --format $f -j 2 $files
    cmp -s "$TMP/all.$f.j1" "$TMP/all.$f.j2" || bad "$f: -j 1 and -j 2 differ"
done
[ "$failed" -eq 0 ] && ok "output identical across runs and -j"

# HTML validation
jar=${VNU_JAR:-}
if [ -z "$jar" ]; then
    for c in node_modules/vnu-jar/build/dist/vnu.jar /tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar; do
        [ -f "$c" ] && { jar=$c; break; }
    done
fi
if ! have java || [ -z "$jar" ] || [ ! -f "$jar" ]; then
    if [ "${VNU_REQUIRED:-}" = 1 ]; then
        bad "java or vnu.jar not found (set VNU_JAR)"
    else
        skip "html validation: java or vnu.jar not found (npm install --prefix /tmp/vnu vnu-jar)"
    fi
    t_done
fi
for s in $SCEN; do
    cp "$TMP/$s.html.1" "$TMP/$s.html"
done
# and a portfolio site: its index and every profile page
"$BIN" portfolio --format html -o "$TMP/site/" examples "$A" || bad "portfolio site"
if ! java -jar "$jar" --errors-only "$TMP"/*.html "$TMP"/site/*.html; then
    bad "vnu reported errors"
else
    ok "vnu found no errors in $(echo $SCEN | wc -w) HTML reports and the portfolio site"
fi
t_done
