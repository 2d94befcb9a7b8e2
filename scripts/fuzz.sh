#!/bin/sh
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# into build/fuzz and runs each for SECONDS seconds on its corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (default: 60, every target)
#
# Targets are tests/fuzz/fuzz_<name>.c with seeds in tests/fuzz/corpus/<name>/
# and an optional dictionary tests/fuzz/<name>.dict.
# New interesting inputs go to build/fuzz/corpus/<name>/ (not committed);
# crashes are written to build/fuzz/artifacts/<name>/ and fail the script.
# Add a crashing input to tests/fuzz/corpus/<name>/ once it is fixed, so that
# `make test` replays it under ASan+UBSan for ever after.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-}
if [ -z "$TARGETS" ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n=${f#tests/fuzz/fuzz_}
        TARGETS="$TARGETS ${n%.c}"
    done
fi
command -v clang >/dev/null 2>&1 || { echo "fuzz.sh: clang is required" >&2; exit 5; }

B=build/fuzz
# The library and targets are instrumented for coverage (fuzzer-no-link) and
# sanitizers; only the fuzz_* executables link the libFuzzer driver.
cmake -S . -B "$B" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVMCTR_FUZZ=ON -DVMCTR_WERROR=OFF -DVMCTR_TESTS=ON \
    "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -Wno-unknown-warning-option" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
for t in $TARGETS; do
    cmake --build "$B" --target "fuzz_$t" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
done

status=0
for t in $TARGETS; do
    mkdir -p "$B/corpus/$t" "$B/artifacts/$t"
    echo "fuzz.sh: fuzz_$t for ${SECONDS_PER_TARGET}s"
    dict=
    [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$B/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=1100000 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 $dict \
            -artifact_prefix="$B/artifacts/$t/" "$B/corpus/$t" "tests/fuzz/corpus/$t"; then
        echo "fuzz.sh: fuzz_$t FAILED; reproduce with: $B/fuzz_$t $B/artifacts/$t/<file>" >&2
        status=1
    fi
done
exit $status
