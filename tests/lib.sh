# tests/lib.sh - what the shell script tests share. Sourced (POSIX sh):
#
#   . "$(dirname "$0")/../lib.sh"
#   t_bin "$@"      BIN=$1, the vmctr binary, made absolute (a usage line
#                   and exit 2 without it)
#   t_root          cd to the repository root, whatever the current directory
#                   (for a script in tests/DIR/; call it after t_bin)
#   t_tmp NAME      TMP=a fresh directory (vmctr-NAME.XXXXXX), removed on exit
#   t_env           NO_COLOR=1 LC_ALL=C exported, FORCE_COLOR unset
#
#   ok [NAME]       a check passed (prints "ok   NAME" when named)
#   bad NAME        a check failed ("FAIL NAME")
#   skip NAME       a check could not run ("SKIP NAME"): not a pass
#   expect_rc NAME WANTED_EXIT GOT_EXIT
#   have TOOL       TOOL is on PATH
#   t_done          "N passed, N failed" (", N skipped" when any) and the
#                   exit status: 1 when a check failed; 77 when one was
#                   skipped (ctest SKIP_RETURN_CODE: "Skipped"), except under
#                   CI=true, where a skipped check fails; else 0.
#
# The counters are $passed, $failed and $skipped.

passed=0
failed=0
skipped=0

t_bin() {
    if [ $# -lt 1 ]; then
        echo "usage: $0 VMCTR_BINARY" >&2
        exit 2
    fi
    BIN=$1
    case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
}

t_root() { cd "$(dirname "$0")/../.." || exit 2; } # from tests/DIR/SCRIPT

t_tmp() {
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmctr-$1.XXXXXX") || exit 2
    trap 'rm -rf "$TMP"' EXIT INT TERM
}

t_env() {
    NO_COLOR=1 LC_ALL=C
    export NO_COLOR LC_ALL
    unset FORCE_COLOR 2>/dev/null || true
}

ok() {
    passed=$((passed + 1))
    [ $# -eq 0 ] || echo "ok   $*"
}
bad() {
    failed=$((failed + 1))
    echo "FAIL $*"
}
skip() {
    skipped=$((skipped + 1))
    echo "SKIP $*"
}
expect_rc() { if [ "$3" = "$2" ]; then ok "$1"; else bad "$1 (exit $3, wanted $2)"; fi; }
have() { command -v "$1" >/dev/null 2>&1; }

t_done() {
    if [ "$skipped" -eq 0 ]; then
        echo "$passed passed, $failed failed"
    else
        echo "$passed passed, $failed failed, $skipped skipped"
    fi
    [ "$failed" -eq 0 ] || exit 1
    [ "$skipped" -eq 0 ] && exit 0
    [ "${CI:-}" = true ] && { echo "CI=true: skipped tests fail"; exit 1; }
    exit 77
}
