#!/bin/sh
# tests/needed.sh BIN XLSX CSV - what the vmctr binary loads, and when
# (docs/architecture.md "Libraries loaded on first use"):
#
#   - its DT_NEEDED entries (readelf -d) name none of libzip, libcrypto,
#     libssl, libexpat, libcsv or libm: Debian's libzip4 pulls in
#     libcrypto, whose relocation tripled the start-up time of every
#     command, and expat and libcsv cost 0.2 ms of a 1.4 ms start; only
#     `import` reads a zip, XML or CSV (src/lib/dynlib.h loads them on
#     first use); libm cost 0.5 ms of a 5 ms start for four calls that
#     src/util/fmath.h makes without it;
#   - nothing it needs brings any of them in indirectly (ldd);
#   - `vmctr advise` loads none of them; `vmctr import rvtools XLSX` loads
#     libzip and libexpat but not libcsv, `vmctr import rvtools CSV` libcsv
#     but neither libzip nor libexpat (at run time: LD_DEBUG=files, glibc),
#     and both succeed.
#
# Without readelf the test cannot run, without ldd or glibc's LD_DEBUG
# that part cannot (exit 77 at the end; fails under CI=true).
# Ends with "N passed, N failed".
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
BIN=${1:?usage: tests/needed.sh BIN XLSX CSV}
XLSX=${2:?usage: tests/needed.sh BIN XLSX CSV}
CSV=${3:?usage: tests/needed.sh BIN XLSX CSV}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! have readelf; then
    skip "readelf (binutils) is not installed"
    t_done
fi
t_tmp needed
FORBIDDEN='lib(zip|crypto|ssl|expat|csv)\.so'
# not at start either (libzip's own dependencies may bring it with import)
AT_START='lib(zip|crypto|ssl|expat|csv|m)\.so'

readelf -d "$BIN" >"$TMP/dynamic" 2>&1
# what may not be loaded at start: a sanitizer's runtime needs libm, and a
# sanitized build links it for it (GCC's runtime is a shared library in
# DT_NEEDED; clang links its own in, which only its symbols show)
if grep '(NEEDED)' "$TMP/dynamic" | grep -Eq 'lib(asan|ubsan|tsan|lsan)\.so' ||
   grep -aEq '__(asan_init|tsan_init|ubsan_handle_)' "$BIN"; then
    LOADED=$FORBIDDEN
    NAMES="libzip, libcrypto, libexpat or libcsv"
else
    LOADED=$AT_START
    NAMES="libzip, libcrypto, libexpat, libcsv or libm"
fi
if ! grep -q '(NEEDED)' "$TMP/dynamic"; then
    bad "readelf -d $BIN shows no NEEDED entries: $(head -3 "$TMP/dynamic")"
elif grep '(NEEDED)' "$TMP/dynamic" | grep -Eq "$LOADED"; then
    bad "DT_NEEDED names $(grep '(NEEDED)' "$TMP/dynamic" | grep -Eo "\[$LOADED[^]]*\]" | tr '\n' ' ')"
else
    ok "DT_NEEDED: $(grep '(NEEDED)' "$TMP/dynamic" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
fi

if ! have ldd; then
    skip "ldd is not installed: what the binary's libraries bring in is not checked"
elif ! ldd "$BIN" >"$TMP/ldd" 2>&1; then
    bad "ldd $BIN: $(head -3 "$TMP/ldd")"
elif grep -Eq "$LOADED" "$TMP/ldd"; then
    bad "loaded at start (ldd): $(grep -E "$LOADED" "$TMP/ldd" | tr -s ' \t' ' ')"
else
    ok "nothing loaded at start brings in $NAMES (ldd)"
fi

# LD_DEBUG=files: glibc's loader lists every object it maps; `loads NAME
# LOG` is whether it dlopen()ed lib<NAME> (at run time, not at start)
loads() { grep -Eq "file=lib$1\.so[^ ]* .*dynamically loaded by" "$2"; }
# import_ok INPUT: `vmctr import rvtools INPUT` under LD_DEBUG=files, into
# $TMP/import.log; fails (with a message) unless it wrote a profile
import_ok() {
    if LD_DEBUG=files "$BIN" import rvtools "$1" >"$TMP/out.yaml" 2>"$TMP/import.log" &&
       grep -q '^kind: WorkloadProfile' "$TMP/out.yaml"; then
        return 0
    fi
    bad "vmctr import rvtools $1 failed: $(grep -v '^ *[0-9]*:' "$TMP/import.log" | head -3)"
    return 1
}
LD_DEBUG=files "$BIN" advise "$ROOT/examples/billing-api.yaml" >/dev/null 2>"$TMP/advise.log"
rc=$?
if [ $rc -ne 0 ]; then
    bad "vmctr advise under LD_DEBUG=files: exit $rc: $(grep -v '^ *[0-9]*:' "$TMP/advise.log" | head -3)"
elif ! grep -q 'file=' "$TMP/advise.log"; then
    skip "LD_DEBUG=files printed nothing (not glibc?): run-time loading not checked"
else
    if grep 'file=' "$TMP/advise.log" | grep -Eq "$LOADED"; then
        bad "vmctr advise loads $(grep 'file=' "$TMP/advise.log" | grep -Eo "file=$LOADED[^ ]*" | sort -u | tr '\n' ' ')"
    else
        ok "vmctr advise (text, with its bars) loads none of $NAMES"
    fi
    if import_ok "$XLSX"; then
        if loads zip "$TMP/import.log" && loads expat "$TMP/import.log" && ! loads csv "$TMP/import.log"; then
            ok "vmctr import rvtools $(basename "$XLSX") loads libzip and libexpat at run time, not libcsv"
        else
            bad "vmctr import rvtools $(basename "$XLSX") should dlopen libzip and libexpat, not libcsv: $(grep -Eo "file=$FORBIDDEN[^ ]* .*loaded by" "$TMP/import.log" | sort -u | tr '\n' ' ')"
        fi
    fi
    if import_ok "$CSV"; then
        if loads csv "$TMP/import.log" && ! loads zip "$TMP/import.log" && ! loads expat "$TMP/import.log"; then
            ok "vmctr import rvtools $(basename "$CSV") loads libcsv at run time, not libzip or libexpat"
        else
            bad "vmctr import rvtools $(basename "$CSV") should dlopen libcsv only: $(grep -Eo "file=$FORBIDDEN[^ ]* .*loaded by" "$TMP/import.log" | sort -u | tr '\n' ' ')"
        fi
    fi
fi

t_done
