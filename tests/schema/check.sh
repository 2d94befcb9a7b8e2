#!/bin/sh
# Checks vmctr's JSON Schemas with a real validator (ajv, JSON Schema 2020-12):
#
#  1. `vmctr schema` accepts every example and acceptance profile, and
#     rejects profiles that `vmctr validate` rejects (wrong enum, unknown
#     key, bad name, YAML 1.1 boolean, out-of-range integer);
#  2. `vmctr schema --report` accepts the real reports: --format json of
#     every acceptance profile and example, with and without --what-if, and
#     every line of --format ndjson (the lean form), the report list of
#     several documents and an error record;
#  3. `vmctr schema --waivers` accepts the waiver files `vmctr check`
#     accepts and rejects the malformed ones it rejects;
#  4. schemas/check-v1.json and schemas/rules-test-v1.json accept the real
#     JSON of `vmctr check` (every gate outcome, invalid documents, waivers,
#     skipped files) and `vmctr rules test` (passing and failing cases);
#  5. schemas/diff-v1.json, portfolio-v1.json, validate-v1.json and
#     rules-list-v1.json (and version-v1.json) accept the real JSON of `vmctr diff`, `portfolio`,
#     `validate` (clean, invalid, capped) and `rules list` (built-in and
#     --rules), and every JSON output carries a "schema" marker.
#
#   tests/schema/check.sh BIN [AJV]
#
# AJV defaults to build/tools/node_modules/.bin/ajv (scripts/test-tools.sh).
# Without it the script prints SKIP and exits 77 (ctest: skipped), except
# under CI=true, where a missing validator fails.
# Ends with "N passed, N failed".
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
t_root
AJV=${2:-build/tools/node_modules/.bin/ajv}
if [ ! -x "$AJV" ] || ! have node; then
    skip "ajv not found at $AJV (run scripts/test-tools.sh)"
    t_done
fi
t_tmp schema
ajv() { "$AJV" validate --spec=draft2020 --strict=true -s "$1" -d "$2" >"$TMP/ajv.out" 2>&1; }

"$BIN" schema >"$TMP/profile.schema.json" || bad "vmctr schema"
"$BIN" schema --report >"$TMP/report.schema.json" || bad "vmctr schema --report"

# 1. profiles: one file per document (js-yaml reads one document per file)
mkdir "$TMP/docs"
for f in examples/*.yaml tests/acceptance/*.yaml; do
    awk -v base="$TMP/docs/$(basename "$f" .yaml)" '
        BEGIN { n = 0; out = base "-0.yaml" }
        /^---([ \t]|$)/ { if (seen) { n++; out = base "-" n ".yaml" } }
        { print > out; if ($0 !~ /^(#|---|[ \t]*$)/) seen = 1 }' "$f"
done
# all documents in one ajv run (it prints "FILE valid" or "FILE invalid" per file)
many() { # schema glob
    "$AJV" validate --spec=draft2020 --strict=true --all-errors -s "$1" -d "$2" >"$TMP/many.out" 2>&1
    for f in $2; do
        if grep -q "^$f valid" "$TMP/many.out"; then ok; else bad "schema rejects $f"; fi
    done
    grep -v " valid$" "$TMP/many.out" | head -30 | sed 's/^/    /'
}
many "$TMP/profile.schema.json" "$TMP/docs/*.yaml"
rejected() { # name yaml-body: vmctr validate and the schema must both reject it
    printf 'apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: bad\n%s\n' "$2" >"$TMP/$1.yaml"
    if "$BIN" validate "$TMP/$1.yaml" 2>/dev/null; then bad "vmctr validate accepts $1"; else ok; fi
    if ajv "$TMP/profile.schema.json" "$TMP/$1.yaml"; then bad "schema accepts $1"; else ok; fi
}
rejected enum 'spec:
  delivery: {release_frequency: dayly}'
rejected unknown-key 'spec:
  workload: {archtecture: monolith}'
rejected yaml11-bool 'spec:
  workload: {gui: yes}'
rejected range 'spec:
  operations: {instances: 0}'
rejected priority 'spec:
  priorities: {team: 9}'
rejected component-key 'spec:
  components: [{name: a, components: []}]'
printf 'apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: Bad_Name\n' >"$TMP/name.yaml"
if ajv "$TMP/profile.schema.json" "$TMP/name.yaml"; then bad "schema accepts Bad_Name"; else ok; fi

# 2. reports
i=0
for f in examples/*.yaml tests/acceptance/*.yaml; do
    "$BIN" advise --format ndjson "$f" >"$TMP/r.ndjson" 2>/dev/null
    "$BIN" advise --format ndjson --what-if delivery.release_frequency=quarterly "$f" >>"$TMP/r.ndjson" 2>/dev/null
    # pretty JSON: one report per document, split on the top-level closing brace
    "$BIN" advise --format json "$f" 2>/dev/null | awk -v base="$TMP/json-$i" '
        { print > (base "-" n ".json") } /^}$/ { n++ }'
    "$BIN" advise --format json --what-if team.kubernetes=none "$f" 2>/dev/null | awk -v base="$TMP/jsonw-$i" '
        { print > (base "-" n ".json") } /^}$/ { n++ }'
    awk -v base="$TMP/nd-$i" '{ print > (base "-" NR ".json") }' "$TMP/r.ndjson"
    i=$((i + 1))
done
# several documents (and an invalid one): one report list
"$BIN" advise --format json examples/*.yaml >"$TMP/list-0.json" 2>/dev/null
printf 'apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: bad\nspec: {nope: 1}\n' >"$TMP/bad.yaml"
"$BIN" advise --format json "$TMP/bad.yaml" examples/billing-api.yaml >"$TMP/list-1.json" 2>/dev/null
"$BIN" advise --format ndjson "$TMP/bad.yaml" >"$TMP/nd-error.json" 2>/dev/null
mkdir "$TMP/reports"
mv "$TMP"/list-*.json "$TMP/nd-error.json" "$TMP/reports/"
mv "$TMP"/json-*.json "$TMP"/jsonw-*.json "$TMP"/nd-*.json "$TMP/reports/"
many "$TMP/report.schema.json" "$TMP/reports/*.json"
# 3. waiver files (dates quoted: js-yaml would read an unquoted date as a
# timestamp; yaml-language-server and vmctr read it as a string)
"$BIN" schema --waivers >"$TMP/waivers.schema.json" || bad "vmctr schema --waivers"
W=tests/cli/fixtures/check
sed "s/expires: \([0-9-]*\)$/expires: '\1'/" tests/cli/fixtures/waivers/waivers.yaml >"$TMP/w-good.yaml"
if "$BIN" check --today 2026-12-06 --waivers "$TMP/w-good.yaml" $W/pass.yaml >/dev/null 2>&1; then ok; else bad "vmctr rejects w-good"; fi
if ajv "$TMP/waivers.schema.json" "$TMP/w-good.yaml"; then ok; else bad "waiver schema rejects w-good"; cat "$TMP/ajv.out"; fi
wbad() { # name waiver-entry: vmctr check and the schema must both reject it
    printf 'apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n%s\n' "$2" >"$TMP/w-$1.yaml"
    if "$BIN" check --today 2026-12-06 --waivers "$TMP/w-$1.yaml" $W/pass.yaml >/dev/null 2>&1; then
        bad "vmctr check accepts waiver $1"; else ok; fi
    if ajv "$TMP/waivers.schema.json" "$TMP/w-$1.yaml"; then bad "waiver schema accepts $1"; else ok; fi
}
wbad no-reason "  - {profile: a, gate: mismatch, owner: o, expires: '2027-01-01'}"
wbad no-owner "  - {profile: a, gate: mismatch, reason: good reason, expires: '2027-01-01'}"
wbad no-profile "  - {gate: mismatch, reason: good reason, owner: o, expires: '2027-01-01'}"
wbad no-what "  - {profile: a, reason: good reason, owner: o, expires: '2027-01-01'}"
wbad both "  - {profile: a, rule: workload.custom-kernel, gate: mismatch, reason: good reason, owner: o, expires: '2027-01-01'}"
wbad bad-gate "  - {profile: a, gate: mismach, reason: good reason, owner: o, expires: '2027-01-01'}"
wbad bad-date "  - {profile: a, gate: mismatch, reason: good reason, owner: o, expires: '2027-1-01'}"
wbad todo "  - {profile: a, gate: mismatch, reason: TODO later, owner: o, expires: '2027-01-01'}"
wbad unknown-key "  - {profile: a, gate: mismatch, reasn: good reason, reason: good reason, owner: o, expires: '2027-01-01'}"
wbad two-lines "  - {profile: a, gate: mismatch, reason: \"good\\nreason\", owner: o, expires: '2027-01-01'}"
# 4. the check and rules-test JSON outputs against schemas/*.json
mkdir "$TMP/outs"
C=tests/cli/fixtures/check
"$BIN" check -f json $C/pass.yaml $C/mismatch.yaml $C/lowconf.yaml $C/blocker.yaml $C/nodecision.yaml \
    $C/system.yaml $C/broken.yaml >"$TMP/outs/check-all.json" 2>/dev/null
"$BIN" check -f json --today 2027-01-01 --waivers tests/cli/fixtures/waivers/waivers.yaml $C/blocker.yaml \
    $C/system.yaml >"$TMP/outs/check-waivers.json" 2>/dev/null
"$BIN" check -f json --exclude 'vendor/*' tests/cli/fixtures/mixed >"$TMP/outs/check-mixed.json" 2>/dev/null
many schemas/check-v1.json "$TMP/outs/check-*.json"
P=tests/cli/fixtures/rulepack
"$BIN" rules test -f json --no-builtin-rules $P/policy.yaml $P/policy.test.yaml tests/cli/fixtures/rulepack-bad/failing \
    >"$TMP/outs/rt-failing.json" 2>/dev/null
"$BIN" rules test -f json rules/tests >"$TMP/outs/rt-builtin.json" 2>/dev/null
many schemas/rules-test-v1.json "$TMP/outs/rt-*.json"
# 5. diff, portfolio, validate and rules list against schemas/*.json
D=tests/golden/cases/diff-text
"$BIN" diff -f json $D/a.yaml $D/b.yaml >"$TMP/outs/diff-text.json" 2>/dev/null
"$BIN" diff -f json $D/a.yaml $D/a.yaml >"$TMP/outs/diff-same.json" 2>/dev/null
D=tests/golden/cases/diff-components
"$BIN" diff -f json $D/a.yaml $D/b.yaml >"$TMP/outs/diff-comp.json" 2>/dev/null
"$BIN" diff -f json $D/b.yaml $D/a.yaml >"$TMP/outs/diff-comp-rev.json" 2>/dev/null
"$BIN" diff -f json examples/billing-api.yaml examples/retail-bank.yaml >"$TMP/outs/diff-ex.json" 2>/dev/null
many schemas/diff-v1.json "$TMP/outs/diff-*.json"
"$BIN" portfolio -f json examples tests/acceptance >"$TMP/outs/pf-all.json" 2>/dev/null
"$BIN" portfolio -f json "$TMP/bad.yaml" >"$TMP/outs/pf-bad.json" 2>/dev/null
"$BIN" portfolio -f json --top 1 examples/billing-api.yaml >"$TMP/outs/pf-one.json" 2>/dev/null
many schemas/portfolio-v1.json "$TMP/outs/pf-*.json"
# validate: no diagnostics, errors + warnings, and the capped "N more" note
"$BIN" validate -f json examples >"$TMP/outs/val-ok.json" 2>/dev/null
"$BIN" validate -f json tests/golden/cases/validate-*/ "$TMP"/*.yaml >"$TMP/outs/val-bad.json" 2>/dev/null
awk 'BEGIN { print "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: many\nspec:";
    for (i = 0; i < 200; i++) printf "  bogus%d: 1\n", i }' >"$TMP/many-errors.yaml"
"$BIN" validate -f json "$TMP/many-errors.yaml" >"$TMP/outs/val-capped.json" 2>/dev/null
if grep -q '"severity": "note"' "$TMP/outs/val-capped.json"; then ok; else bad "validate: no capped-errors note"; fi
many schemas/validate-v1.json "$TMP/outs/val-*.json"
"$BIN" rules list -f json >"$TMP/outs/rl-builtin.json" 2>/dev/null
"$BIN" rules list -f json --rules tests/cli/fixtures/rulepack/policy.yaml >"$TMP/outs/rl-user.json" 2>/dev/null
"$BIN" rules list -f json --rules tests/golden/cases/rules-user-override/rules >"$TMP/outs/rl-override.json" 2>/dev/null
many schemas/rules-list-v1.json "$TMP/outs/rl-*.json"
"$BIN" version -f json >"$TMP/outs/version.json" 2>/dev/null
many schemas/version-v1.json "$TMP/outs/version.json"
# every JSON output names its schema
for f in "$TMP"/outs/*.json; do
    if head -c 200 "$f" | grep -q '"schema": *"vmctr\.[a-z-]*/v1"'; then ok; else bad "no schema marker in $f"; fi
done
t_done
