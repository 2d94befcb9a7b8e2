#!/bin/sh
# tests/needed.sh BIN XLSX - what the vmctr binary loads, and when
# (docs/architecture.md "Libraries loaded on first use"):
#
#   - its DT_NEEDED entries (readelf -d) name neither libzip nor libcrypto
#     (nor libssl): Debian's libzip4 pulls in libcrypto, whose relocation
#     tripled the start-up time of every command;
#   - nothing it needs brings either in indirectly (ldd);
#   - `vmctr advise` does not load libzip, `vmctr import rvtools XLSX` does
#     (at run time: LD_DEBUG=files, glibc) and succeeds.
#
# Without readelf the test cannot run, without ldd or glibc's LD_DEBUG
# that part cannot (exit 77 at the end; fails under CI=true).
# Ends with "N passed, N failed".
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
BIN=${1:?usage: tests/needed.sh BIN XLSX}
XLSX=${2:?usage: tests/needed.sh BIN XLSX}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! have readelf; then
    skip "readelf (binutils) is not installed"
    t_done
fi
t_tmp needed
FORBIDDEN='lib(zip|crypto|ssl)\.so'

readelf -d "$BIN" >"$TMP/dynamic" 2>&1
if ! grep -q '(NEEDED)' "$TMP/dynamic"; then
    bad "readelf -d $BIN shows no NEEDED entries: $(head -3 "$TMP/dynamic")"
elif grep '(NEEDED)' "$TMP/dynamic" | grep -Eq "$FORBIDDEN"; then
    bad "DT_NEEDED names $(grep '(NEEDED)' "$TMP/dynamic" | grep -Eo "\[$FORBIDDEN[^]]*\]" | tr '\n' ' ')"
else
    ok "DT_NEEDED: $(grep '(NEEDED)' "$TMP/dynamic" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
fi

if ! have ldd; then
    skip "ldd is not installed: what the binary's libraries bring in is not checked"
elif ! ldd "$BIN" >"$TMP/ldd" 2>&1; then
    bad "ldd $BIN: $(head -3 "$TMP/ldd")"
elif grep -Eq "$FORBIDDEN" "$TMP/ldd"; then
    bad "loaded at start (ldd): $(grep -E "$FORBIDDEN" "$TMP/ldd" | tr -s ' \t' ' ')"
else
    ok "nothing loaded at start brings in libzip or libcrypto (ldd)"
fi

# LD_DEBUG=files: glibc's loader lists every object it maps
LD_DEBUG=files "$BIN" advise "$ROOT/examples/billing-api.yaml" >/dev/null 2>"$TMP/advise.log"
rc=$?
if [ $rc -ne 0 ]; then
    bad "vmctr advise under LD_DEBUG=files: exit $rc: $(grep -v '^ *[0-9]*:' "$TMP/advise.log" | head -3)"
elif ! grep -q 'file=' "$TMP/advise.log"; then
    skip "LD_DEBUG=files printed nothing (not glibc?): run-time loading not checked"
else
    if grep 'file=' "$TMP/advise.log" | grep -Eq "$FORBIDDEN"; then
        bad "vmctr advise loads $(grep 'file=' "$TMP/advise.log" | grep -Eo "file=$FORBIDDEN[^ ]*" | sort -u | tr '\n' ' ')"
    else
        ok "vmctr advise loads neither libzip nor libcrypto"
    fi
    if LD_DEBUG=files "$BIN" import rvtools "$XLSX" >"$TMP/out.yaml" 2>"$TMP/import.log" &&
       grep -q '^kind: WorkloadProfile' "$TMP/out.yaml"; then
        if grep -q 'file=libzip\.so.*dynamically loaded by' "$TMP/import.log"; then
            ok "vmctr import rvtools $(basename "$XLSX") loads libzip at run time"
        else
            bad "vmctr import rvtools did not dlopen libzip: $(grep 'file=libzip' "$TMP/import.log" | head -2)"
        fi
    else
        bad "vmctr import rvtools $XLSX failed: $(grep -v '^ *[0-9]*:' "$TMP/import.log" | head -3)"
    fi
fi

t_done
