#!/bin/bash
# scripts/ci/action.sh key|build|check - the steps of action.yml (the
# GitHub Action), in a file so that they can be read, shellchecked and run
# outside GitHub (tests/ci/check.py runs them in a scratch repository).
#
#   key    prints key=<cache key> to $GITHUB_OUTPUT: OS, architecture and a
#          digest of the sources that go into the binary
#   build  makes $VMCTR_BUILD_DIR/bin/vmctr from $GITHUB_ACTION_PATH, unless
#          a build of the same key is there (restored by actions/cache);
#          installs the missing Debian/Ubuntu build packages with apt-get
#          (through sudo when not root); appends its bin to $GITHUB_PATH
#   check  runs vmctr check with the INPUT_* variables and exits with its
#          exit code; writes exit-code= and report= to $GITHUB_OUTPUT
set -u
SRC=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
BUILD=${VMCTR_BUILD_DIR:?VMCTR_BUILD_DIR is not set}
OUT=${GITHUB_OUTPUT:-/dev/null}

key() {
    local digest
    digest=$(cd "$SRC" && find CMakeLists.txt cmake include src rules man packaging -type f 2>/dev/null |
        LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
    echo "vmctr-$(uname -s)-$(uname -m)-$digest"
}

deps() {
    local missing="" p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "vmctr action: installing$missing"
    # shellcheck disable=SC2086 # $missing is a list of package names
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
}

case ${1:-} in
key)
    echo "key=$(key)" >>"$OUT"
    ;;
build)
    set -e
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "vmctr action: needs a Debian or Ubuntu runner (apt-get)" >&2
        exit 5
    fi
    want=$(key)
    # the libraries vmctr links (the -dev packages bring the shared ones;
    # their names do not change between Debian and Ubuntu releases)
    libs="libyaml-dev libcjson-dev libzip-dev libexpat1-dev libcsv-dev"
    if [ -x "$BUILD/bin/vmctr" ] && [ "$(cat "$BUILD/key" 2>/dev/null)" = "$want" ]; then
        # shellcheck disable=SC2086
        deps $libs
        echo "vmctr action: using the cached build $want"
    else
        # shellcheck disable=SC2086
        deps cmake pkg-config gcc make $libs
        rm -rf "${BUILD:?}/tree" "${BUILD:?}/bin" "${BUILD:?}/key"
        cmake -S "$SRC" -B "$BUILD/tree" -DCMAKE_BUILD_TYPE=Release -DVMCTR_TESTS=OFF -DVMCTR_WERROR=OFF >/dev/null
        cmake --build "$BUILD/tree" -j "$(nproc 2>/dev/null || echo 2)" --target vmctr-cli
        mkdir -p "$BUILD/bin"
        cp "$BUILD/tree/vmctr" "$BUILD/bin/vmctr"
        rm -rf "$BUILD/tree"
        echo "$want" >"$BUILD/key"
    fi
    "$BUILD/bin/vmctr" --version | head -1
    [ -n "${GITHUB_PATH:-}" ] && echo "$BUILD/bin" >>"$GITHUB_PATH"
    exit 0
    ;;
check)
    fmt=${INPUT_FORMAT:-github}
    report=${INPUT_OUTPUT:-}
    if [ -z "$report" ]; then
        case $fmt in
        sarif) report=vmctr.sarif ;;
        junit) report=vmctr-junit.xml ;;
        json) report=vmctr-check.json ;;
        esac
    fi
    args=(check --format "$fmt")
    [ -n "$report" ] && args+=(--output "$report")
    [ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
    [ -n "${INPUT_MIN_CONFIDENCE:-}" ] && args+=(--min-confidence "$INPUT_MIN_CONFIDENCE")
    [ -n "${INPUT_RULES:-}" ] && args+=(--rules "$INPUT_RULES")
    [ -n "${INPUT_WAIVERS:-}" ] && args+=(--waivers "$INPUT_WAIVERS")
    case ${INPUT_REQUIRE_DECISION:-false} in
    true) args+=(--require-decision) ;;
    false | '') ;;
    *) echo "vmctr action: require-decision must be true or false, not '$INPUT_REQUIRE_DECISION'" >&2; exit 2 ;;
    esac
    # blank-separated lists, never glob-expanded
    set -f
    # shellcheck disable=SC2206
    extra=(${INPUT_ARGS:-})
    # shellcheck disable=SC2206
    paths=(${INPUT_PATHS:-profiles/})
    set +f
    [ ${#paths[@]} -eq 0 ] && paths=(profiles/)
    echo "vmctr ${args[*]} ${extra[*]} -- ${paths[*]}"
    "$BUILD/bin/vmctr" "${args[@]}" "${extra[@]}" -- "${paths[@]}"
    rc=$?
    { echo "exit-code=$rc"; echo "report=$report"; } >>"$OUT"
    exit "$rc"
    ;;
*)
    echo "usage: scripts/ci/action.sh key|build|check" >&2
    exit 2
    ;;
esac
