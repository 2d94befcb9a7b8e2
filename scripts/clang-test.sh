#!/bin/sh
# scripts/clang-test.sh [JOBS] - the second compiler in `make test`: builds
# the release configuration with clang (preset "clang", build/clang; warnings
# are errors there too) and runs its tests except the slow ones that do not
# depend on the compiler (ctest preset "clang" excludes them by name).
#
# Without clang this is skipped with a message, except under CI=true, where a
# missing compiler fails (scripts/deps.sh installs it there).
set -eu
JOBS=${1:-2}
if ! command -v clang >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "vmctr: clang not found and CI=true: the clang build cannot be skipped" >&2
        exit 1
    fi
    echo "vmctr: clang not found: clang build and tests skipped (apt-get install clang)"
    exit 0
fi
cmake --preset clang >/dev/null
cmake --build --preset clang -j "$JOBS"
ctest --preset clang -j "$JOBS"
