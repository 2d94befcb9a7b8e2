#!/bin/sh
# The documented caps of the gate's input files, each tested at the limit
# (accepted) and one past it (the documented error and exit status):
#
#   VM_LIMIT_WAIVERS      1024 waivers per file   -> exit 4 (docs/ci.md)
#   VM_LIMIT_WAIVER_FILE  1 MiB per waiver file   -> exit 4 (docs/ci.md)
#   VM_LIMIT_CONFIG_FILE  64 KiB .vmctr/config    -> exit 2 (docs/ci.md)
#   VM_LIMIT_RULE_TESTS   4096 cases per file     -> exit 4 (docs/rules.md)
#
# The big inputs are generated here, never committed.
#
#   tests/cli/limits.sh BIN        (run from anywhere; ends "N passed, N failed")
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
t_root
t_tmp limits
P=tests/cli/fixtures/check/pass.yaml

# expect NAME RC REGEX CMD...: exit status RC and a stderr line matching REGEX
# (REGEX "" = stderr free of "error:")
expect() {
    name=$1 want=$2 re=$3
    shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, want $want"
        head -5 "$TMP/err" | sed 's/^/    /'
    elif [ -n "$re" ] && ! grep -Eq "$re" "$TMP/err"; then
        bad "$name: no '$re' on stderr"
        head -5 "$TMP/err" | sed 's/^/    /'
    elif [ -z "$re" ] && grep -q "error:" "$TMP/err"; then
        bad "$name: unexpected error"
        head -5 "$TMP/err" | sed 's/^/    /'
    else
        ok
    fi
}

# N waivers that accept nothing (so unused warnings, exit 0)
waivers() { # N FILE
    {
        printf 'apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n'
        awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
            printf "  - {profile: p%d, gate: mismatch, reason: approved by the board, owner: o, expires: 2027-01-01}\n", i }'
    } >"$2"
}
# FILE padded with comment lines to exactly SIZE bytes
pad() { # FILE SIZE
    have=$(wc -c <"$1")
    awk -v n=$(($2 - have)) 'BEGIN {
        while (n > 0) { w = n > 100 ? 100 : n; s = "#"; for (i = 1; i < w - 1; i++) s = s "x";
            if (w == 1) printf "\n"; else printf "%s\n", s; n -= w } }' >>"$1"
    [ "$(wc -c <"$1")" -eq "$2" ] || { echo "pad: $1 is not $2 bytes"; exit 2; }
}

# 1. VM_LIMIT_WAIVERS = 1024
waivers 1024 "$TMP/w1024.yaml"
expect "1024 waivers" 0 "" "$BIN" check --today 2026-12-06 --waivers "$TMP/w1024.yaml" $P
waivers 1025 "$TMP/w1025.yaml"
expect "1025 waivers" 4 "w1025\.yaml:1028:5: error: waivers\[1024\]: more than 1024 waivers" \
    "$BIN" check --today 2026-12-06 --waivers "$TMP/w1025.yaml" $P

# 2. VM_LIMIT_WAIVER_FILE = 1 MiB
waivers 1 "$TMP/w1m.yaml"
pad "$TMP/w1m.yaml" 1048576
expect "waiver file of 1 MiB" 0 "" "$BIN" check --today 2026-12-06 --waivers "$TMP/w1m.yaml" $P
waivers 1 "$TMP/w1m1.yaml"
pad "$TMP/w1m1.yaml" 1048577
expect "waiver file of 1 MiB + 1" 4 "w1m1\.yaml: error: waiver file larger than 1048576 bytes" \
    "$BIN" check --today 2026-12-06 --waivers "$TMP/w1m1.yaml" $P

# 3. VM_LIMIT_CONFIG_FILE = 64 KiB
printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  fail_on: mismatch\n' >"$TMP/c64k.yaml"
pad "$TMP/c64k.yaml" 65536
expect "config of 64 KiB" 0 "" "$BIN" check --config "$TMP/c64k.yaml" $P
printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  fail_on: mismatch\n' >"$TMP/c64k1.yaml"
pad "$TMP/c64k1.yaml" 65537
expect "config of 64 KiB + 1" 2 "c64k1\.yaml: error: config file larger than 65536 bytes" \
    "$BIN" check --config "$TMP/c64k1.yaml" $P
# the same file found as .vmctr/config.yaml (no --config)
mkdir -p "$TMP/repo/.vmctr"
cp "$TMP/c64k1.yaml" "$TMP/repo/.vmctr/config.yaml"
cp $P "$TMP/repo/pass.yaml"
expect "default config of 64 KiB + 1" 2 "config\.yaml: error: config file larger than 65536 bytes" \
    sh -c 'cd "$1" && exec "$2" check pass.yaml' sh "$TMP/repo" "$BIN"

# 4. VM_LIMIT_RULE_TESTS = 4096
cases() { # N FILE
    {
        printf 'apiVersion: vmctr/v1\nkind: RuleTest\ntests:\n'
        awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
            printf "  - {name: case %d, profile: {workload: {os: linux}}, expect: {not_fires: [workload.custom-kernel]}}\n", i }'
    } >"$2"
}
cases 4096 "$TMP/t4096.test.yaml"
expect "4096 rule-test cases" 0 "" "$BIN" rules test "$TMP/t4096.test.yaml"
grep -q "4096 passed" "$TMP/out" && ok || bad "4096 rule-test cases: not all run: $(tail -1 "$TMP/out")"
cases 4097 "$TMP/t4097.test.yaml"
expect "4097 rule-test cases" 4 "t4097\.test\.yaml:4100:5: error: tests\[4096\]: more than 4096 test cases" \
    "$BIN" rules test "$TMP/t4097.test.yaml"

t_done
