#!/bin/sh
# Golden CLI tests: runs every case under tests/golden/cases/ with the vmctr
# binary given as $1 and compares stdout, stderr and the exit code exactly.
#
#   tests/golden/run.sh BIN [CASE...]          run all cases, or the named ones
#   UPDATE=1 tests/golden/run.sh BIN [CASE...] rewrite the expectations
#
# A case is a directory tests/golden/cases/<name>/ holding
#   cmd     one line: the arguments after `vmctr`, run from the repository
#           root; $CASE names the case directory (e.g. `validate $CASE/a.yaml`)
#   stdin   optional: fed to standard input (else /dev/null)
#   env     optional: VAR=value words added to the environment of this case
#   stdout, stderr, exit   what must come out, byte for byte
# The environment is fixed: NO_COLOR=1 COLUMNS=80 LC_ALL=C, no FORCE_COLOR.
# After UPDATE=1, read every changed file: a golden that enshrines a bug is a
# defect.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 VMCTR_BINARY [CASE...]" >&2
    exit 2
fi
BIN=$1
shift
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ ! -x "$BIN" ]; then
    echo "$0: $BIN: not an executable" >&2
    exit 2
fi
cd "$(dirname "$0")/../.." || exit 2
ROOT=tests/golden/cases
NO_COLOR=1 COLUMNS=80 LC_ALL=C
export NO_COLOR COLUMNS LC_ALL
unset FORCE_COLOR CLICOLOR_FORCE 2>/dev/null || true
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmctr-golden.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 30"

if [ $# -gt 0 ]; then
    CASES=$*
else
    CASES=$(cd "$ROOT" && for d in */; do printf '%s\n' "${d%/}"; done)
fi

passed=0
failed=0
for name in $CASES; do
    CASE=$ROOT/$name
    if [ ! -f "$CASE/cmd" ]; then
        echo "FAIL $name: no $CASE/cmd"
        failed=$((failed + 1))
        continue
    fi
    cmd=$(cat "$CASE/cmd")
    input=/dev/null
    [ -f "$CASE/stdin" ] && input=$CASE/stdin
    # word-split the command line, expanding $CASE (and nothing unquoted else:
    # no globbing, so `--exclude *.yml` is not expanded against the tree)
    set -f
    eval "set -- $cmd"
    set +f
    caseenv=
    [ -f "$CASE/env" ] && caseenv=$(cat "$CASE/env")
    # shellcheck disable=SC2086
    $TIMEOUT env $caseenv "$BIN" "$@" <"$input" >"$TMP/stdout" 2>"$TMP/stderr"
    echo $? >"$TMP/exit"
    if [ "${UPDATE:-}" = 1 ]; then
        for f in stdout stderr exit; do
            if ! cmp -s "$TMP/$f" "$CASE/$f" 2>/dev/null; then
                cp "$TMP/$f" "$CASE/$f"
                echo "updated $CASE/$f"
            fi
        done
        passed=$((passed + 1))
        continue
    fi
    ok=1
    for f in exit stdout stderr; do
        if [ ! -f "$CASE/$f" ]; then
            echo "FAIL $name: missing $CASE/$f (run with UPDATE=1, then read it)"
            ok=0
        elif ! cmp -s "$CASE/$f" "$TMP/$f"; then
            echo "FAIL $name: $f differs (vmctr $cmd)"
            diff -u "$CASE/$f" "$TMP/$f" | sed 's/^/    /'
            ok=0
        fi
    done
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
