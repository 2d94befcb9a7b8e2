#!/bin/sh
# Checks that the build packages are present; installs the missing ones with
# apt-get when it can (as root, or through sudo), otherwise prints the exact
# command to run and fails.
#
#   scripts/deps.sh        the build packages (make run, make build)
#   scripts/deps.sh test   also what the test suite runs with (make test):
#                          python3 and PyYAML for the acceptance oracle,
#                          xmllint (libxml2-utils) for XML well-formedness,
#                          zsh and fish to check the generated completions,
#                          jq, git and man (man-db) for the README examples,
#                          shellcheck for the CI action and bash completion
#                          scripts; under CI=true
#                          also clang (the second compiler), lintian (the
#                          .deb check), pre-commit (the hooks) and chromium
#                          (the browser test of the HTML reports), which are
#                          optional locally (their tests skip without them)
set -eu
PKGS="cmake pkg-config libyaml-dev libcjson-dev libcmocka-dev libzip-dev libexpat1-dev libcsv-dev"
if [ "${1:-}" = test ]; then
    PKGS="$PKGS python3 python3-yaml libxml2-utils zsh fish jq git man-db shellcheck"
    if [ "${CI:-}" = true ]; then
        PKGS="$PKGS clang lintian pre-commit chromium"
    fi
fi
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "vmctr: missing build packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "vmctr: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "vmctr: no apt-get here; install:$missing" >&2
    exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
