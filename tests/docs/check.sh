#!/bin/sh
# tests/docs/check.sh BIN - checks that the documentation matches the program.
#
#   - the generated parts of docs/profile.md and docs/rules.md are up to date
#     (scripts/gen-docs.py regenerates them into a temporary directory);
#   - every VM_LIMIT_* of include/vmctr/common.h is named in docs/profile.md;
#   - man/vmctr.1 renders without warnings (when groff is installed);
#   - every command of `BIN --help` is in man/vmctr.1 and README.md, and
#     every long option of every command's --help is in man/vmctr.1.
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 if
# any check failed, 77 (skipped) without groff, except under CI=true.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=${PYTHON:-python3}
t_tmp docs

# 1. generated blocks
if "$PY" "$ROOT/scripts/gen-docs.py" --bin "$BIN" --output-dir "$TMP" >"$TMP/gen.log" 2>&1; then
    for f in profile.md rules.md; do
        if diff -u "$ROOT/docs/$f" "$TMP/$f" >"$TMP/$f.diff"; then
            ok "docs/$f generated parts are up to date"
        else
            bad "docs/$f is stale; run: scripts/gen-docs.py --bin $BIN"
            head -40 "$TMP/$f.diff"
        fi
    done
else
    bad "scripts/gen-docs.py failed"
    cat "$TMP/gen.log"
fi

# 2. every VM_LIMIT_* named in its doc: the profile limits (common.h) in
#    docs/profile.md; the inventory, scan, waiver, config and rule-test limits
#    in theirs (tests/cli/limits.sh tests the gate files' limits at and past
#    each cap)
for pair in "include/vmctr/common.h:docs/profile.md" \
    "include/vmctr/sys/inventory.h:docs/import.md" "include/vmctr/sys/scan.h:docs/scan.md" \
    "include/vmctr/waiver.h:docs/ci.md" "include/vmctr/sys/config.h:docs/ci.md" "include/vmctr/ruletest.h:docs/rules.md"; do
    h=${pair%%:*}
    d=${pair#*:}
    for name in $(sed -n 's/^#define \(VM_LIMIT_[A-Z_]*\).*/\1/p' "$ROOT/$h"); do
        if grep -q "$name" "$ROOT/$d"; then
            ok "limit $name documented"
        else
            bad "limit $name missing from $d"
        fi
    done
done

# 3. the man page renders cleanly
if have groff; then
    if LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$ROOT/man/vmctr.1" >"$TMP/groff.log" 2>&1 && [ ! -s "$TMP/groff.log" ]; then
        ok "man/vmctr.1 renders without warnings"
    else
        bad "man/vmctr.1 has groff warnings"
        cat "$TMP/groff.log"
    fi
else
    skip "groff not installed: man page rendering not checked"
fi

# 4. the rule-test example of docs/rules.md ("Testing rules") is what the
#    golden case rules-test-doc-layout runs: its test file byte for byte, and
#    `vmctr rules test policy/` on that layout (rules beside the test, the
#    case's profile in cases/)
G=$ROOT/tests/golden/cases/rules-test-doc-layout
awk '/^```yaml$/ { inb = 1; buf = ""; next }
     inb && /^```$/ { if (buf ~ /^# policy\/acme\.test\.yaml/) printf "%s", buf; inb = 0; next }
     inb { buf = buf $0 "\n" }' "$ROOT/docs/rules.md" >"$TMP/acme.test.yaml"
if [ -s "$TMP/acme.test.yaml" ] && cmp -s "$TMP/acme.test.yaml" "$G/policy/acme.test.yaml"; then
    ok "docs/rules.md: the rule-test example is $G/policy/acme.test.yaml"
else
    bad "docs/rules.md: the rule-test example differs from $G/policy/acme.test.yaml"
    diff -u "$G/policy/acme.test.yaml" "$TMP/acme.test.yaml" | head -40
fi
# shellcheck disable=SC2016
if grep -q 'with `vmctr rules test policy/`' "$ROOT/docs/rules.md" && [ -f "$G/policy/acme.yaml" ] &&
    [ -f "$G/policy/cases/pci.yaml" ] && [ "$(cat "$G/cmd")" = 'rules test $CASE/policy/' ]; then
    ok "docs/rules.md: \`vmctr rules test policy/\` is the golden case's command on the documented layout"
else
    bad "docs/rules.md: the documented \`vmctr rules test policy/\` layout is not what $G runs"
fi

# 5. commands and options
cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ {print $1}' | grep -v '^help$')
[ -n "$cmds" ] || bad "could not read the command list from '$BIN --help'"
for c in $cmds; do
    if grep -q "^\.SS \"vmctr $c" "$ROOT/man/vmctr.1"; then ok "man: command $c"; else bad "man: command $c has no section"; fi
    if grep -q "vmctr $c" "$ROOT/README.md"; then ok "README: command $c"; else bad "README: no example of vmctr $c"; fi
    helps="$c"
    [ "$c" = rules ] && helps="rules list|rules show|rules lint"
    [ "$c" = import ] && helps="import rvtools|import azure-migrate|import csv"
    IFS='|'
    for h in $helps; do
        unset IFS
        # shellcheck disable=SC2086
        "$BIN" $h --help >"$TMP/help.txt" 2>&1
        # the long option names of the Options: block only
        for o in $(sed -n '/^Options:/,/^$/p' "$TMP/help.txt" | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u); do
            case $o in --help|--color) continue ;; esac
            m=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
            if grep -q -- "$m" "$ROOT/man/vmctr.1"; then
                ok "man: vmctr $h $o"
            else
                bad "man: vmctr $h $o is not documented"
            fi
        done
        IFS='|'
    done
    unset IFS
done

t_done
