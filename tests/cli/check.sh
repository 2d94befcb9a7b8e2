#!/bin/sh
# Script tests of `vmctr check` and `vmctr portfolio` that a byte-for-byte
# golden cannot express: the structure of SARIF (as GitHub code scanning
# reads it) and JUnit XML (as GitLab and Jenkins read it), -j N equivalence
# on a generated 2,000-profile stream, atomic -o, and escaping of odd file
# names. Run from anywhere:
#
#   tests/cli/check.sh build/release/vmctr
#
# With SARIF_MULTITOOL=/path/to/Sarif.Multitool set, the SARIF output is also
# validated with Microsoft's SARIF Multitool (--rule-kind "Gh;Sarif").
# Ends with "N passed, N failed"; exits non-zero when a test fails.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
t_root
t_tmp check
t_env
F=tests/cli/fixtures/check
ALL="$F/pass.yaml $F/mismatch.yaml $F/lowconf.yaml $F/blocker.yaml $F/nodecision.yaml $F/system.yaml $F/broken.yaml"

# json_holds FILE EXPR: FILE parses as JSON, d, and the Python EXPR holds
json_holds() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert eval(sys.argv[2]), sys.argv[2]' "$1" "$2"; }
# json_check NAME FILE EXPR: one check of json_holds
json_check() { if json_holds "$2" "$3"; then ok "$1"; else bad "$1"; fi; }
# the results of the first run of a SARIF log d
RESULTS='d["runs"][0]["results"]'

# ---- SARIF structure --------------------------------------------------------
"$BIN" check --format sarif ./$F/pass.yaml $ALL >"$TMP/quiet.sarif" 2>/dev/null
json_check "sarif: no notes without --notes" "$TMP/quiet.sarif" "$RESULTS and not [x for x in $RESULTS if x['level'] == 'note']"
"$BIN" check --format sarif --notes ./$F/pass.yaml $ALL >"$TMP/out.sarif" 2>/dev/null
expect_rc "sarif: exit 3 with an invalid document" 3 $?
if python3 - "$TMP/out.sarif" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and d["$schema"].startswith("https://")
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "vmctr" and drv["version"] and drv["informationUri"].startswith("https://")
ids = [r["id"] for r in drv["rules"]]
assert len(ids) == len(set(ids)), "duplicate rule ids"
for g in ("vmctr.gate.mismatch", "vmctr.gate.blocker", "vmctr.gate.no-decision", "vmctr.gate.invalid-profile"):
    assert g in ids, g
assert len(ids) > 20, "the whole rule catalogue is listed"
for r in drv["rules"]:
    for k in ("shortDescription", "fullDescription", "help"):
        t = r[k]["text"]
        assert 0 < len(t) <= 1024, (r["id"], k)
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
levels = {}
fps = set()
for res in run["results"]:
    assert res["ruleId"] in ids, res["ruleId"]
    assert res["level"] in ("error", "warning", "note")
    assert res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    uri = loc["artifactLocation"]["uri"]
    assert not uri.startswith("./") and not uri.startswith("/"), uri
    assert loc["region"]["startLine"] >= 1
    fp = res["partialFingerprints"]["vmctrSubject/v1"]
    assert len(fp) == 16
    fps.add(fp)
    levels[res["level"]] = levels.get(res["level"], 0) + 1
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
assert "tests/cli/fixtures/check/mismatch.yaml" in uris
assert levels == {"error": 6, "warning": 1, "note": 2}, levels
assert len(fps) == len(run["results"]), "fingerprints are unique"
EOF
then ok "sarif: GitHub's required fields, levels, locations, fingerprints"; else bad "sarif structure"; fi

"$BIN" check --format sarif $F/pass.yaml >"$TMP/pass.sarif"
expect_rc "sarif: a passing run" 0 $?
json_check "sarif: no results when everything passes" "$TMP/pass.sarif" "$RESULTS == []"

if [ -n "${SARIF_MULTITOOL:-}" ]; then
    rm -f "$TMP/val.sarif"
    "$SARIF_MULTITOOL" validate --rule-kind "Gh;Sarif" -o "$TMP/val.sarif" "$TMP/out.sarif" >/dev/null 2>&1
    if python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; print(r) if r else None; sys.exit(1 if r else 0)' "$TMP/val.sarif"; then
        ok "sarif: SARIF Multitool (Gh;Sarif) finds nothing"
    else
        bad "sarif: SARIF Multitool findings"
    fi
fi

# ---- JUnit structure --------------------------------------------------------
cat "$F/pass.yaml" >"$TMP/dup.yaml"
printf -- '---\n' >>"$TMP/dup.yaml"
cat "$F/pass.yaml" >>"$TMP/dup.yaml"
"$BIN" check --format junit $ALL "$TMP/dup.yaml" >"$TMP/out.xml" 2>/dev/null
expect_rc "junit: exit 3 with an invalid document" 3 $?
if python3 - "$TMP/out.xml" "$TMP/dup.yaml" <<'EOF'
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
suites = doc.getElementsByTagName("testsuite")
assert len(suites) == 8, len(suites)
total = 0
for s in suites:
    cases = s.getElementsByTagName("testcase")
    names = [c.getAttribute("name") for c in cases]
    assert len(names) == len(set(names)), names
    assert int(s.getAttribute("tests")) == len(cases)
    for kind, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        assert int(s.getAttribute(attr)) == sum(1 for c in cases if c.getElementsByTagName(kind)), attr
    for c in cases:
        assert c.getAttribute("classname") == s.getAttribute("name") == c.getAttribute("file")
        assert c.getAttribute("time") == "0"
        for f in c.getElementsByTagName("failure"):
            assert f.getAttribute("message") and f.firstChild.data.strip()
    total += len(cases)
assert total == 15, total
dup = [s for s in suites if s.getAttribute("name") == sys.argv[2]][0]
assert [c.getAttribute("name") for c in dup.getElementsByTagName("testcase")] == ["pass-api", "pass-api#doc2"]
EOF
then ok "junit: suites per file, counts, unique names (#docN), parses"; else bad "junit structure"; fi

# ---- -j N is byte-identical to -j 1 --------------------------------------------
if python3 bench/gen_corpus.py --count 2000 --seed 7 -o "$TMP/c.yaml" >/dev/null 2>&1; then
    for fmt in text json sarif junit github; do
        "$BIN" check -j 1 --format $fmt "$TMP/c.yaml" >"$TMP/j1" 2>"$TMP/e1"
        r1=$?
        "$BIN" check -j 2 --format $fmt "$TMP/c.yaml" >"$TMP/j2" 2>"$TMP/e2"
        r2=$?
        if [ $r1 = $r2 ] && cmp -s "$TMP/j1" "$TMP/j2" && cmp -s "$TMP/e1" "$TMP/e2" && [ -s "$TMP/j1" ]; then
            ok "check --format $fmt: -j 2 identical to -j 1 on 2,000 profiles"
        else
            bad "check --format $fmt: -j 2 differs from -j 1"
        fi
    done
    for fmt in text json html; do
        "$BIN" portfolio -j 1 --format $fmt "$TMP/c.yaml" >"$TMP/j1" 2>&1
        "$BIN" portfolio -j 2 --format $fmt "$TMP/c.yaml" >"$TMP/j2" 2>&1
        if cmp -s "$TMP/j1" "$TMP/j2"; then ok "portfolio --format $fmt: -j 2 identical to -j 1"; else bad "portfolio $fmt -j"; fi
    done
    if "$BIN" portfolio --format json "$TMP/c.yaml" >"$TMP/p.json" && json_holds "$TMP/p.json" \
        'd["profiles"] == 2000 and sum(d["paradigms"].values()) == 2000 and len(d["least_confident"]) == 10'; then
        ok "portfolio: counts add up over 2,000 profiles"
    else
        bad "portfolio counts"
    fi
    "$BIN" check --format sarif "$TMP/c.yaml" >"$TMP/c.sarif"
    json_check "sarif: 2,000 profiles parse" "$TMP/c.sarif" True
else
    bad "bench/gen_corpus.py failed"
fi

# ---- atomic -o ------------------------------------------------------------------
echo "previous content" >"$TMP/report.sarif"
"$BIN" check --format sarif -o "$TMP/report.sarif" $F/pass.yaml $F/no-such-file.yaml 2>/dev/null
rc=$?
if [ $rc = 5 ] && [ "$(cat "$TMP/report.sarif")" = "previous content" ] && [ "$(ls "$TMP" | grep -c report)" = 1 ]; then
    ok "-o: an I/O error leaves the old file and no temporary file"
else
    bad "-o after an I/O error (exit $rc)"
fi
"$BIN" check --format junit -o "$TMP/report.sarif" --rules tests/cli/fixtures/check-rules/badrules $F/pass.yaml 2>/dev/null
rc=$?
if [ $rc = 4 ] && [ "$(cat "$TMP/report.sarif")" = "previous content" ]; then
    ok "-o: invalid rules leave the old file"
else
    bad "-o after invalid rules (exit $rc)"
fi
"$BIN" check --format sarif -o "$TMP/report.sarif" $F/mismatch.yaml
rc=$?
if [ $rc = 1 ] && json_holds "$TMP/report.sarif" "$RESULTS"; then
    ok "-o: a failing gate still writes the whole report (exit 1)"
else
    bad "-o on a failing gate (exit $rc)"
fi
"$BIN" check -o "$TMP/no/such/dir/r.txt" $F/pass.yaml 2>/dev/null
expect_rc "-o into a missing directory: exit 5" 5 $?
"$BIN" portfolio -o "$TMP/p.html" --format html $F/pass.yaml $F/no-such-file.yaml 2>/dev/null
rc=$?
if [ $rc = 5 ] && [ ! -e "$TMP/p.html" ]; then ok "portfolio -o: no file after an I/O error"; else bad "portfolio -o (exit $rc)"; fi

# ---- one file per document: ADRs and a portfolio site ---------------------------
"$BIN" advise --format markdown --adr-number 7 -o "$TMP/adr/" examples/portfolio.yaml examples/billing-api.yaml
rc=$?
if [ $rc = 0 ] && [ "$(cd "$TMP/adr" && ls | tr '\n' ' ')" = "0007-erp-finance.md 0008-image-resizer.md 0009-notebook-sandbox.md 0010-billing-api.md " ] &&
    head -1 "$TMP/adr/0010-billing-api.md" | grep -qx '# 10. Run billing-api as container on kubernetes'; then
    ok "advise markdown -o DIR/: one numbered ADR per document"
else
    bad "advise markdown -o DIR/ (exit $rc): $(ls "$TMP/adr" 2>&1 | tr '\n' ' ')"
fi
"$BIN" portfolio --format html -o "$TMP/site/" examples/portfolio.yaml examples/billing-api.yaml
rc=$?
pages=$(cd "$TMP/site" 2>/dev/null && ls | grep -v '^index.html$' | wc -l)
links=$(grep -o 'href="[a-z0-9-]*\.html"' "$TMP/site/index.html" 2>/dev/null | sort -u | wc -l)
if [ $rc = 0 ] && [ "$pages" = 4 ] && [ "$links" = 4 ]; then
    ok "portfolio html -o DIR/: index and one linked page per profile"
else
    bad "portfolio site (exit $rc, $pages pages, $links links)"
fi

# ---- escaping of odd file names --------------------------------------------------
odd="$TMP/a,b:c %d.yaml"
cp $F/mismatch.yaml "$odd"
"$BIN" check --format github "$odd" >"$TMP/gh.txt"
if grep -q '^::error file=.*a%2Cb%3Ac %25d\.yaml,line=12,col=15,title=' "$TMP/gh.txt"; then
    ok "github: ',' ':' '%' escaped in file="
else
    bad "github: file name escaping"; cat "$TMP/gh.txt"
fi
(cd "$TMP" && "$BIN" check --format sarif "a,b:c %d.yaml") >"$TMP/odd.sarif"
json_check "sarif: file names percent-encoded in uri" "$TMP/odd.sarif" \
    "${RESULTS}[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'a%2Cb%3Ac%20%25d.yaml'"
"$BIN" check --format junit "$odd" >"$TMP/odd.xml"
if python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$TMP/odd.xml"; then ok "junit: odd names parse"; else bad "junit odd names"; fi

# ---- docs/ci.md "Pull requests you do not trust": the hardened snippet ---------
# A pull request that adds a failing blocker and a mismatch, and loosens the
# gate every way its own checkout allows: a .vmctr/config.yaml that excludes
# the blocker, points rules at its own rule directory (which replaces the
# blocking built-in rule), sets fail_on: blocker and min_confidence: 1; a
# .vmctr/waivers.yaml that waives everything. Plain `vmctr check` passes; the
# snippet, as docs/ci.md prints it (with the base branch's waivers and
# rules), fails both profiles.
if have git; then
    H=$TMP/hardened
    g() { git -c user.name=t -c user.email=t@example.org -c init.defaultBranch=main "$@"; }
    mkdir -p "$H/origin/profiles" "$H/origin/.vmctr" "$H/origin/policy" "$H/bin"
    ln -s "$BIN" "$H/bin/vmctr"
    cp $F/pass.yaml "$H/origin/profiles/"
    waiver() { # waiver PROFILE GATE
        printf '  - profile: "%s"\n    gate: %s\n    reason: "accepted for the test run"\n' "$1" "$2"
        printf '    owner: t\n    expires: %s\n' "$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(30))')"
    }
    { printf 'apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n'; waiver 'legacy-*' mismatch; } \
        >"$H/origin/.vmctr/waivers.yaml"
    printf '%s\n' 'apiVersion: vmctr/v1' 'kind: RuleSet' 'rules:' '  - id: strategy.acme-on-prem' \
        '    title: ACME data stays on premises' '    category: strategy' '    reference: "ACME policy 3"' \
        '    rationale: Customer data must not leave ACME sites.' \
        '    when: {field: isolation.compliance, op: contains, value: acme-restricted}' \
        '    scores: {vm: 2}' >"$H/origin/policy/acme.yaml"
    (cd "$H/origin" && g init -q && g add -A && g commit -qm base && g checkout -qb pr) || bad "hardened: git setup"
    cp $F/blocker.yaml $F/mismatch.yaml "$H/origin/profiles/"
    printf '%s\n' 'apiVersion: vmctr/v1' 'kind: Config' 'check:' '  exclude: ["profiles/blocker.yaml"]' \
        '  rules: policy/' '  fail_on: blocker' '  min_confidence: 1' >"$H/origin/.vmctr/config.yaml"
    { printf 'apiVersion: vmctr/v1\nkind: WaiverSet\nwaivers:\n'; waiver '*' blocker; waiver '*' mismatch; } \
        >"$H/origin/.vmctr/waivers.yaml"
    printf '%s\n' 'apiVersion: vmctr/v1' 'kind: RuleSet' 'rules:' '  - id: workload.custom-kernel' \
        '    title: Softened' '    category: workload' '    reference: "none"' '    rationale: Softened by the pull request.' \
        '    when: {field: workload.custom_kernel, op: eq, value: true}' '    scores: {container: 50, kubernetes: 50}' \
        >"$H/origin/policy/soft.yaml"
    (cd "$H/origin" && g add -A && g commit -qm pr && g clone -q -b pr "$H/origin" "$H/pr") || bad "hardened: git pr"
    (cd "$H/pr" && "$BIN" check profiles/) >"$TMP/naive.txt" 2>&1
    expect_rc "hardened: plain check passes what the pull request loosened" 0 $?
    snippet=$(sed -n '/<!-- ci-snippet: hardened -->/,/^```$/p' docs/ci.md | sed '1,2d;$d')
    (cd "$H/pr" && BASE=main TMPDIR=$H PATH="$H/bin:$PATH" sh -e -c "$snippet") >"$TMP/hardened.txt" 2>&1
    expect_rc "hardened: the docs/ci.md snippet fails the gate" 1 $?
    if python3 - "$H/pr/vmctr-junit.xml" <<'PY'
import sys
import xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
failed = {c.getAttribute("classname") + c.getAttribute("name") for c in d.getElementsByTagName("testcase")
          if c.getElementsByTagName("failure")}
assert any("blocker.yaml" in f for f in failed) and any("mismatch.yaml" in f for f in failed), failed
PY
    then
        ok "hardened: the blocker and the mismatch both fail (no exclude, waiver, rule or policy of the pull request)"
    else
        bad "hardened: vmctr-junit.xml: $(head -c 600 "$TMP/hardened.txt")"
    fi
else
    skip "hardened CI snippet: git not found"
fi

t_done
