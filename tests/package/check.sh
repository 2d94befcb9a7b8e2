#!/bin/sh
# tests/package/check.sh BUILD_DIR - the Debian package of a configured and
# built tree (the release preset's):
#
#   - cpack builds vmctr_<version>_<arch>.deb (into a temporary directory,
#     so `make package` output is never touched);
#   - its Depends were computed by dpkg-shlibdeps: libc6, libyaml-0-2,
#     libcjson1, ...; and every library the installed binary loads itself,
#     at start (DT_NEEDED) or at run time (libzip and libexpat, dlopen()ed
#     by `import rvtools` on an .xlsx, libcsv on a CSV file;
#     dpkg-shlibdeps cannot see them), belongs to a
#     package Depends names (LD_DEBUG=files,libs and dpkg-query -S);
#   - it holds the binary, the compressed man page, the three completion
#     scripts, the JSON Schemas under /usr/share/vmctr, copyright and
#     changelog under /usr/share/doc/vmctr, all owned by root, nothing
#     outside /usr and no development files;
#   - installed into a scratch root (dpkg-deb -x), the binary runs from
#     there: --version, version --format json, advise on an example,
#     import rvtools on an .xlsx and on a CSV file, and its completion
#     and schema output
#     equal the shipped files;
#   - lintian reports no errors (its warnings are shown).
#
# Without dpkg-deb or cpack's DEB tools the test cannot run (exit 77); without
# lintian the other checks run and then it exits 77 (skipped); under
# CI=true both fail instead. Ends with "N passed, N failed".
set -u
BUILD=$(cd "${1:?usage: tests/package/check.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $* (CI=true: scripts/deps.sh test installs it)"
        exit 1
    fi
    echo "skip: $*"
    exit 77
}
for t in dpkg-deb dpkg-shlibdeps cpack; do
    command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

version=$(sed -n 's/^#define VMCTR_VERSION "\(.*\)"/\1/p' "$ROOT/include/vmctr/common.h")
arch=$(dpkg --print-architecture)
deb="$TMP/out/vmctr_${version}_${arch}.deb"

if cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/out" >"$TMP/cpack.log" 2>&1 && [ -f "$deb" ]; then
    ok "cpack wrote $(basename "$deb")"
else
    bad "cpack did not write vmctr_${version}_${arch}.deb"
    cat "$TMP/cpack.log"
    ls "$TMP/out" 2>/dev/null
    echo "$pass passed, $fail failed"
    exit 1
fi

# control fields
dpkg-deb -f "$deb" Depends >"$TMP/depends"
for lib in libc6 libyaml-0-2 libcjson1; do
    if grep -q "\\b$lib\\b" "$TMP/depends"; then ok "Depends names $lib"; else bad "Depends lacks $lib: $(cat "$TMP/depends")"; fi
done
for f in Package:vmctr "Version:$version" "Architecture:$arch" Section:utils Maintainer: Description: Homepage:; do
    k=${f%%:*}
    v=${f#*:}
    got=$(dpkg-deb -f "$deb" "$k")
    if [ -n "$got" ] && { [ -z "$v" ] || [ "$got" = "$v" ]; }; then ok "control $k: $got"; else bad "control $k is '$got'"; fi
done

# contents
dpkg-deb -c "$deb" >"$TMP/contents"
for f in usr/bin/vmctr usr/share/man/man1/vmctr.1.gz \
         usr/share/bash-completion/completions/vmctr usr/share/zsh/vendor-completions/_vmctr \
         usr/share/fish/vendor_completions.d/vmctr.fish \
         usr/share/vmctr/schema/profile-v1.json usr/share/vmctr/schema/report-v1.json \
         usr/share/vmctr/schema/waivers-v1.json \
         $(cd "$ROOT" && ls schemas/*.json | sed 's|^schemas/|usr/share/vmctr/schema/|') \
         usr/share/doc/vmctr/copyright usr/share/doc/vmctr/changelog.gz; do
    if grep -q " \./$f\$" "$TMP/contents"; then ok "ships /$f"; else bad "does not ship /$f"; fi
done
if awk '{print $2}' "$TMP/contents" | grep -qv '^root/root$'; then bad "files not owned by root/root"; else ok "every file is root/root"; fi
if awk '{print $6}' "$TMP/contents" | grep -v '^\./$' | grep -qv '^\./usr/'; then
    bad "files outside /usr: $(awk '{print $6}' "$TMP/contents" | grep -v '^\./usr/' | grep -v '^\./$' | head -3)"
else
    ok "everything is under /usr"
fi
if grep -qE '\.a$|/include/|\.pc$' "$TMP/contents"; then bad "development files in the package"; else ok "no development files"; fi

# installed into a scratch root, it runs from there
dpkg-deb -x "$deb" "$TMP/root"
V="$TMP/root/usr/bin/vmctr"
if [ -x "$V" ] && "$V" --version | head -1 | grep -qx "vmctr $version"; then ok "the installed binary runs (--version)"; else bad "the installed binary does not run"; fi
if "$V" version --format json >"$TMP/version.json" && grep -q "\"version\": \"$version\"" "$TMP/version.json"; then
    ok "version --format json"
else
    bad "version --format json: $(cat "$TMP/version.json")"
fi
if (cd "$ROOT" && "$V" advise examples/billing-api.yaml) >"$TMP/advise.txt" 2>&1 && grep -q '^Recommendation: ' "$TMP/advise.txt"; then
    ok "the installed binary advises on examples/billing-api.yaml"
else
    bad "advise from the scratch root: $(head -3 "$TMP/advise.txt")"
fi
XLSX="$ROOT/tests/fuzz/corpus/import_xlsx/small.xlsx"
CSV="$ROOT/tests/fuzz/corpus/import_csv/rv47-vinfo.csv"
for f in "$XLSX" "$CSV"; do
    if "$V" import rvtools "$f" >"$TMP/import.yaml" 2>"$TMP/import.err" && grep -q '^kind: WorkloadProfile' "$TMP/import.yaml"; then
        ok "the installed binary imports $(basename "$f") (its libraries loaded at run time)"
    else
        bad "import rvtools $(basename "$f") from the scratch root: $(head -3 "$TMP/import.err")"
    fi
done
# Which libraries does the binary load itself (glibc's loader says: "needed
# by" it, or "dynamically loaded by" it), and from which file ("calling
# init")? Each file's package must be in Depends.
# (an .xlsx loads libzip and libexpat at run time, a CSV file libcsv)
LD_DEBUG=files,libs "$V" import rvtools "$XLSX" 2>"$TMP/ld.log" >/dev/null
LD_DEBUG=files,libs "$V" import rvtools "$CSV" 2>>"$TMP/ld.log" >/dev/null
own=$(grep -E "; +(needed|dynamically loaded) by $V \[" "$TMP/ld.log" | sed 's/.*file=\([^ ]*\) .*/\1/' | sort -u)
if [ -z "$own" ]; then
    # the package is for Debian, whose glibc always prints these lines:
    # without them Depends would go unchecked, so that is a failure
    bad "LD_DEBUG=files,libs printed no loaded library: Depends cannot be checked against them"
else
    for lib in libzip libexpat libcsv; do
        case " $(echo $own) " in *" $lib.so"*) ;; *) bad "import rvtools did not load $lib: $(echo $own)" ;; esac
    done
    for so in $own; do
        path=$(sed -n "s|.*calling init: \(.*/$so\)\$|\1|p" "$TMP/ld.log" | head -1)
        real=$(readlink -f "$path" 2>/dev/null)
        pkg=
        # dpkg's database may hold the path before or after the /usr merge
        for f in "$path" "$real" "${real#/usr}" "/usr$path"; do
            [ -n "$pkg" ] || pkg=$(dpkg-query -S "$f" 2>/dev/null | sed -n '1s/[:,].*//p')
        done
        if [ -z "$pkg" ]; then
            bad "$so ($real): no package owns it"
        elif grep -Eq "(^|, )$pkg( |,|\$)" "$TMP/depends"; then
            ok "$so is in $pkg, named in Depends"
        else
            bad "$so is in $pkg, which Depends does not name: $(cat "$TMP/depends")"
        fi
    done
fi
for s in bash:usr/share/bash-completion/completions/vmctr zsh:usr/share/zsh/vendor-completions/_vmctr \
         fish:usr/share/fish/vendor_completions.d/vmctr.fish; do
    if "$V" completion "${s%%:*}" | cmp -s - "$TMP/root/${s#*:}"; then ok "shipped ${s%%:*} completion = vmctr completion ${s%%:*}"; else bad "shipped ${s%%:*} completion differs"; fi
done
if "$V" schema | cmp -s - "$TMP/root/usr/share/vmctr/schema/profile-v1.json" &&
   "$V" schema --report | cmp -s - "$TMP/root/usr/share/vmctr/schema/report-v1.json" &&
   "$V" schema --waivers | cmp -s - "$TMP/root/usr/share/vmctr/schema/waivers-v1.json"; then
    ok "shipped schemas = vmctr schema [--report|--waivers]"
else
    bad "shipped schemas differ from vmctr schema"
fi
if gzip -dc "$TMP/root/usr/share/man/man1/vmctr.1.gz" | cmp -s - "$ROOT/man/vmctr.1"; then ok "man page = man/vmctr.1"; else bad "man page differs"; fi

# lintian
if command -v lintian >/dev/null 2>&1; then
    # --fail-on error: warnings are shown but only errors fail
    if lintian --fail-on error --tag-display-limit 0 "$deb" >"$TMP/lintian.log" 2>&1; then
        ok "lintian: no errors"
    else
        bad "lintian reports errors"
    fi
    cat "$TMP/lintian.log"
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
skip "lintian is not installed (apt-get install lintian)"
