#!/bin/sh
# Hostile input (issue 13, docs/security.md): file names, profile text and
# rule text written by an attacker must not forge CI annotations, move the
# terminal, inject Markdown or spreadsheet formulas, or make a document
# invalid; the gate must not be bypassed. Each test names the hostile case it
# covers; each failed before the neutralising layer (escape.h) and the other
# fixes of issue 13. File names with newlines are made here, in a temporary
# directory, not committed. Run from anywhere:
#
#   tests/cli/hostile.sh build/release/vmctr
#
# Uses xmllint (Debian libxml2-utils) and python3; without them the tests
# that need them are skipped and the script exits 77 at the end (ctest
# SKIP_RETURN_CODE), which fails under CI=true.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
t_root
t_tmp hostile
t_env
unset GITHUB_ACTIONS 2>/dev/null || true
EX=examples/billing-api.yaml

# clean FILE: no byte a terminal acts on (C0 but LF, DEL, C1, bidi, invalid UTF-8)
clean() {
    python3 - "$1" <<'EOF'
import sys
b = open(sys.argv[1], "rb").read()
try:
    s = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("invalid UTF-8: %s" % e)
bad = [c for c in s if (ord(c) < 32 and c not in "\n") or 0x7f <= ord(c) <= 0x9f
       or ord(c) in (0x61c, 0x2028, 0x2029, 0xfeff) or 0x200b <= ord(c) <= 0x200f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
if bad:
    sys.exit("control characters: %r" % bad[:5])
EOF
}
# broke_out FILE: the diagnostics in FILE are more than 3 lines, hold a CI
# workflow command (a line starting "::") or a byte clean() refuses; $why
# says how many lines and what clean() found.
broke_out() {
    lines=$(grep -c '' "$1")
    msg=
    [ "$lines" -gt 3 ] || grep -q '^::' "$1" || ! msg=$(clean "$1" 2>&1) || return 1
    why="$lines lines${msg:+, $msg}"
}
if ! have python3; then
    skip "all: python3 not found"
    t_done
fi

# A valid profile whose strings carry what YAML lets through after escape
# decoding (C0 controls are refused, see below): C1 controls (CSI U+009B and
# OSC U+009D act like ESC [ and ESC ] on many terminals), NEL, bidi
# overrides, U+FFFE, and Markdown block markers. A copy's file name carries
# ESC and BEL.
python3 - "$EX" "$TMP/esc.yaml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
s = s.replace("owner: payments-team", 'owner: "pay\\u009b31mments\\u202Eevil"')
s = s.replace("description: Card billing and invoicing API",
              'description: "~~~\\n# Heading\\n- item\\n---\\n\\u009d0;PWN\\u009c\\x85\\uFFFE\\u2066x"')
s = s.replace('cost-center: "4711"', 'cost-center: "=HYPERLINK(\\"http://e\\")\\u2028x"')
open(sys.argv[2], "w").write(s)
EOF
ESCNAME=$(printf '%s/esc\033]0;PWN\007.yaml' "$TMP")
cp "$TMP/esc.yaml" "$ESCNAME"

# A rule file whose text carries C1 controls and bidi overrides; it fires on
# every Linux profile.
mkdir -p "$TMP/rules"
cat >"$TMP/rules/evil.yaml" <<'EOF'
apiVersion: vmctr/v1
kind: RuleSet
rules:
  - id: strategy.evil-text
    title: "Title \u009d0;PWN\u009c \u202Eevil\x85"
    category: strategy
    reference: "ref \u009d8;;http://e\u009clink\u009d8;;\u009c"
    rationale: "Rationale \u009b2J\u009bH\nforged line"
    when: {field: workload.os, op: eq, value: linux}
    scores: {vm: 1}
    risks: ["risk \u009b31m red"]
EOF

# ---- forged annotations from a file name ------------------------------------
FORGED="$TMP/x
::error file=README.md,line=1::FORGED
.yaml"
if cp tests/cli/fixtures/check/pass.yaml "$FORGED" 2>/dev/null; then
    "$BIN" check --format github "$FORGED" >"$TMP/gh.out" 2>"$TMP/gh.err"
    expect_rc "github: passing profile with a forged file name exits 0" 0 $?
    if grep -q '^::error file=README' "$TMP/gh.out" || grep -c '' "$TMP/gh.out" | grep -qv '^2$'; then
        bad "github: a file name forges an annotation"
    else
        ok "github: a file name cannot forge an annotation (2 lines, no ::error)"
    fi
    "$BIN" check "$FORGED" >"$TMP/text.out" 2>&1
    if grep -q '^::error' "$TMP/text.out"; then bad "check text: file name starts a line"; else ok "check text: file name stays on its line"; fi
    cp tests/cli/fixtures/check/mismatch.yaml "$FORGED"
    "$BIN" check --format github "$FORGED" >"$TMP/gh2.out" 2>/dev/null
    if [ "$(grep -c '^::' "$TMP/gh2.out")" = 1 ]; then ok "github: failing annotation: one command, file escaped"; else bad "github: failing annotation"; fi
    printf 'apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x, "k\\e[2J\\n::error::F": 1}\n' >"$FORGED"
    "$BIN" validate "$FORGED" >/dev/null 2>"$TMP/diag.err"
    if [ "$(grep -c '' "$TMP/diag.err")" -le 2 ] && clean "$TMP/diag.err" >/dev/null 2>&1 && ! grep -q '^::' "$TMP/diag.err"; then
        ok "diagnostics: file name and echoed key text are one clean line each"
    else
        bad "diagnostics: raw control characters or newlines on stderr"
    fi
    GITHUB_ACTIONS=true "$BIN" validate "$FORGED" >/dev/null 2>"$TMP/diag2.err"
    if grep -q '^::\|##\[' "$TMP/diag2.err"; then bad "diagnostics under GITHUB_ACTIONS: workflow command"; else ok "diagnostics under GITHUB_ACTIONS=true are workflow-command escaped"; fi
    cp tests/cli/fixtures/check/pass.yaml "$TMP/::error::F.yaml"
    GITHUB_ACTIONS=true "$BIN" check --format github "$TMP/::error::F.yaml" >"$TMP/gh3.out" 2>&1
    if grep -q '^::error::F' "$TMP/gh3.out"; then bad "github: '::' file name at line start"; else ok "github: a file name cannot begin a line with ::"; fi
else
    skip "file names with newlines (file system refuses them)"
fi

# ---- import, scan, check --evidence and -o DIR/: file and directory names ----
# Each message below echoes a path; a name with ESC, BEL, a newline and
# "::error::" must reach stderr as one clean line, under a terminal and
# under GITHUB_ACTIONS=true (no line starting with "::").
HNAME=$(printf '%s/h\033]0;PWN\007
::error file=README.md::FORGED
\033[2J' "$TMP")
if mkdir "$HNAME" 2>/dev/null; then
    cp "$EX" "$HNAME/base.yaml"
    printf 'VM\nx\n' >"$HNAME/RVTools_tabvUSB.csv"
    : >"$HNAME/empty"
    for args in "import rvtools H" "import rvtools H/missing.xlsx" "import rvtools H/RVTools_tabvUSB.csv" \
        "import azure-migrate H/missing.csv" "import csv --map H/missing.yaml H/x.csv" "scan H/missing" \
        "scan H/empty" "scan --base H/missing.yaml H" "scan --base H H" "check --evidence H/missing $EX" \
        "advise --format markdown -o H/missing/adr/ $EX" "portfolio --format html -o H/missing/site/ $EX" \
        "check --waivers H/missing.yaml $EX" "check --config H/missing.yaml $EX" "rules test H/missing.yaml"; do
        # shellcheck disable=SC2086
        set -- $args
        n=$#
        for a in "$@"; do
            case $a in H) a=$HNAME ;; H/*) a=$HNAME/${a#H/} ;; esac
            set -- "$@" "$a"
        done
        shift $n
        for gh in "" true; do
            GITHUB_ACTIONS=$gh "$BIN" "$@" >/dev/null 2>"$TMP/h.err"
            rc=$?
            if [ $rc = 0 ]; then
                bad "$args${gh:+ (GITHUB_ACTIONS)}: exit 0, wanted an error"
            elif broke_out "$TMP/h.err"; then
                bad "$args${gh:+ (GITHUB_ACTIONS)}: the name broke out ($why)"
            else
                ok "$args${gh:+ (GITHUB_ACTIONS)}: exit $rc, the name stays on its line, no control characters"
            fi
        done
    done
    # check --verbose names each file it skips, with the apiVersion it found
    printf 'apiVersion: "v1\\u009b2J\\u202e"\nkind: Pod\n' >"$HNAME/foreign.yaml"
    for gh in "" true; do
        GITHUB_ACTIONS=$gh "$BIN" check --verbose "$HNAME" >/dev/null 2>"$TMP/h.err"
        if ! grep -q 'skipped: apiVersion' "$TMP/h.err"; then
            bad "check --verbose${gh:+ (GITHUB_ACTIONS)}: no skip line for the foreign file"
        elif broke_out "$TMP/h.err"; then
            bad "check --verbose${gh:+ (GITHUB_ACTIONS)}: a skipped file's name or apiVersion broke out ($why)"
        else
            ok "check --verbose${gh:+ (GITHUB_ACTIONS)}: a skipped file's name and apiVersion stay clean"
        fi
    done
else
    skip "import/scan names with newlines (file system refuses them)"
fi

# ---- terminal escapes in reports ---------------------------------------------
E=$TMP/esc.yaml R=$TMP/rules
for args in "advise $E" "advise --explain $E" "advise --format markdown $E" "check $E" "advise --rules $R $E" \
    "advise --explain --rules $R $E" "rules list --rules $R" "rules show strategy.evil-text --rules $R" \
    "advise --explain --rules $R ESCNAME" "check ESCNAME" "validate ESCNAME"; do
    # shellcheck disable=SC2086
    set -- $args
    last=$(eval "echo \${$#}")
    if [ "$last" = ESCNAME ]; then
        # the file name with ESC cannot go through word splitting: replace the placeholder
        n=$#
        i=1
        for a in "$@"; do
            [ $i = $n ] && a=$ESCNAME
            set -- "$@" "$a"
            i=$((i + 1))
        done
        shift $n
    fi
    "$BIN" "$@" >"$TMP/t.out" 2>&1
    rc=$?
    if [ $rc -gt 1 ]; then
        bad "$args: exit $rc"
    elif msg=$(clean "$TMP/t.out" 2>&1); then
        ok "$args: no terminal control characters"
    else
        bad "$args: $msg"
    fi
done

# ---- NUL and other C0 controls after escape decoding ------------------------
for esc in '\\0' '\\e' '\\x01' '\\r' '\\x7f'; do
    sed "s/^  owner: .*/  owner: \"pay${esc}ments\"/" "$EX" >"$TMP/c0.yaml"
    "$BIN" validate "$TMP/c0.yaml" >/dev/null 2>"$TMP/c0.err"
    rc=$?
    if [ $rc = 3 ] && grep -q 'c0.yaml:10:10: error: .*in a quoted string' "$TMP/c0.err"; then
        ok "profile refuses \"$esc\" with exit 3 and its position"
    else
        bad "profile accepts \"$esc\" (exit $rc: $(head -c 200 "$TMP/c0.err"))"
    fi
done

# ---- Markdown block injection --------------------------------------------------
"$BIN" advise --format markdown "$TMP/esc.yaml" >"$TMP/adr.md"
if grep -q '^~~~\|^# Heading\|^- item' "$TMP/adr.md"; then
    bad "markdown: description starts a block"
else
    ok "markdown: description cannot open a fence, heading, list or rule"
fi
if [ "$(grep -c '^## ' "$TMP/adr.md")" -ge 4 ]; then ok "markdown: the sections after the description survive"; else bad "markdown: sections swallowed"; fi

# ---- CSV formula injection ------------------------------------------------------
mkdir -p "$TMP/csv"
cp "$EX" "$TMP/csv/=1+2.yaml"
cp "$EX" "$TMP/csv/@SUM(A1).yaml"
(cd "$TMP/csv" && "$BIN" advise --format csv "=1+2.yaml" "@SUM(A1).yaml") >"$TMP/out.csv"
if python3 - "$TMP/out.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) == 3, rows
for r in rows[1:]:
    for cell in r:
        assert not cell or cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not cell[1:2].isdigit()), r
assert rows[1][0] == "'=1+2.yaml" and rows[2][0] == "'@SUM(A1).yaml", rows
EOF
then ok "csv: cells starting with = + - @ are neutralised"; else bad "csv: formula injection"; fi

# ---- valid documents from any input -----------------------------------------------
BADNAME=$(printf '%s/n\377\376-\357\277\276.yaml' "$TMP")
cp tests/cli/fixtures/check/mismatch.yaml "$BADNAME"
"$BIN" check --format json "$BADNAME" "$TMP/esc.yaml" >"$TMP/c.json" 2>/dev/null
if python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$TMP/c.json" 2>/dev/null; then
    ok "json: a non-UTF-8 file name still gives valid UTF-8 JSON"
else
    bad "json: invalid UTF-8 or JSON"
fi
"$BIN" advise --format json "$TMP/esc.yaml" >"$TMP/a.json"
if python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$TMP/a.json" 2>/dev/null; then
    ok "advise json: escapes in profile text give valid JSON"
else
    bad "advise json: invalid"
fi
if have xmllint; then
    for fmt in junit; do
        "$BIN" check --format $fmt "$BADNAME" "$TMP/esc.yaml" >"$TMP/c.xml" 2>/dev/null
        if xmllint --noout "$TMP/c.xml" 2>"$TMP/xmllint.err"; then
            ok "$fmt: well-formed XML with U+FFFE and a non-UTF-8 file name (xmllint)"
        else
            bad "$fmt: not well-formed: $(head -c 300 "$TMP/xmllint.err")"
        fi
    done
else
    skip "XML well-formedness: xmllint not found (Debian libxml2-utils)"
fi
"$BIN" advise --format html "$TMP/esc.yaml" >"$TMP/a.html"
if msg=$(clean "$TMP/a.html" 2>&1); then
    ok "html: no control characters (C1 is a parse error in HTML)"
else
    bad "html: $msg"
fi

# ---- directory walks take regular files only --------------------------------
# A FIFO, or a link inside the directory to one, is skipped with a warning;
# a link to /dev/zero or /dev/urandom leads outside the directory: an error
# (below), exit 5. Neither hangs.
mkdir -p "$TMP/walk"
cp "$EX" "$TMP/walk/a.yaml"
ln -s /dev/zero "$TMP/walk/zero.yaml"
ln -s /dev/urandom "$TMP/walk/random.yaml"
fifo=false
if mkfifo "$TMP/walk/fifo" 2>/dev/null; then
    fifo=true
    ln -s fifo "$TMP/walk/fifo.yaml"
    mkfifo "$TMP/walk/fifo2.yaml"
fi
TO=
have timeout && TO="timeout 60"
$TO "$BIN" validate "$TMP/walk" >/dev/null 2>"$TMP/walk.err"
rc=$?
if [ $rc = 5 ] && grep -q 'zero.yaml: error: symbolic link points outside .*/walk: not read' "$TMP/walk.err" &&
    grep -q 'random.yaml: error: symbolic link points outside' "$TMP/walk.err" &&
    { ! $fifo || { grep -q 'fifo.yaml: not a regular file, skipped' "$TMP/walk.err" &&
        grep -q 'fifo2.yaml: not a regular file, skipped' "$TMP/walk.err"; }; }; then
    ok "directory walk: a FIFO (or a link to one inside) skipped with a warning, links to /dev/zero and /dev/urandom refused (no hang)"
else
    bad "directory walk: exit $rc ($(head -c 300 "$TMP/walk.err"))"
fi

# ---- directory walks do not leave the directory through a symbolic link ------
# A pull request can commit cases/x.yaml -> /home/runner/.aws/credentials or
# -> ../../secret.yaml; vmctr read it and its parse errors echoed the keys
# ("unknown key 'AWS_SECRET_ACCESS_KEY'") into the CI log. Every command that
# walks a directory operand (profiles, --rules DIR, rule tests, rule lint, an
# RVTools CSV directory) refuses a link whose realpath is not inside the
# operand's: "PATH: error: symbolic link points outside DIR: not read", exit
# 5, and the target's content appears nowhere. A link that stays inside is
# read (a file) or not followed (a directory: its target is walked anyway;
# loops end); a file or directory named on the command line is read.
LK=$TMP/lk
SECRET=wJalrXUtnFEMI-hostile-secret
mkdir -p "$LK/outside/dir" "$LK/outside/okdir" "$LK/repo/prof/cases" "$LK/repo/rules" "$LK/repo/inv" \
    "$LK/repo/ok/sub"
printf 'AWS_SECRET_ACCESS_KEY: %s\n' "$SECRET" >"$LK/outside/creds.yaml"
printf '%s: %s\n' "$SECRET" "$SECRET" >"$LK/outside/dir/p.yaml"
cp "$LK/outside/creds.yaml" "$LK/repo/secret.yaml"
cp "$EX" "$LK/outside/ok.yaml"
cp "$EX" "$LK/outside/okdir/ok.yaml"
cp "$EX" "$LK/repo/prof/a.yaml"
ln -s "$LK/outside/creds.yaml" "$LK/repo/prof/cases/abs.yaml"   # absolute, outside
ln -s ../../secret.yaml "$LK/repo/prof/cases/up.yaml"            # a file above
ln -s ../../outside/dir "$LK/repo/prof/shared"                   # a directory outside
ln -s .. "$LK/repo/prof/parent"                                  # ../: the repository
cp tests/golden/rules/workload.yaml "$LK/repo/rules/workload.yaml"
ln -s "$LK/outside/creds.yaml" "$LK/repo/rules/abs.yaml"
ln -s ../secret.yaml "$LK/repo/rules/up.yaml"
ln -s "$LK/outside/creds.yaml" "$LK/repo/inv/RVTools_tabvInfo.csv"
# lk_run NAME DIR CMD...: in $LK/repo, CMD must exit 5, name each link of
# $want (paths relative to DIR) and nothing else as outside DIR, and print
# no byte of the secret
lk_run() {
    name=$1 dir=$2
    shift 2
    (cd "$LK/repo" && $TO "$BIN" "$@") >"$TMP/lk.out" 2>"$TMP/lk.err"
    rc=$?
    miss=
    for l in $want; do
        grep -Fqx "vmctr: $dir/$l: error: symbolic link points outside $dir: not read" "$TMP/lk.err" || miss="$miss $l"
    done
    n=$(grep -c 'symbolic link points outside' "$TMP/lk.err")
    if [ $rc = 5 ] && [ -z "$miss" ] && [ "$n" = "$(echo $want | wc -w)" ] &&
        ! grep -q "$SECRET\|AWS_SECRET" "$TMP/lk.out" "$TMP/lk.err"; then
        ok "link out of a walked directory: $name: an error naming the link, nothing of the target (exit 5)"
    else
        bad "link out of a walked directory: $name: exit $rc, not named:${miss:- -}, $n named: $(head -c 400 "$TMP/lk.err")"
    fi
}
want="cases/abs.yaml cases/up.yaml shared parent"
lk_run "check DIR" prof check prof
lk_run "advise DIR" prof advise prof
lk_run "portfolio DIR" prof portfolio prof
lk_run "validate DIR" prof validate prof
lk_run "rules test DIR" prof rules test prof
want="abs.yaml up.yaml"
lk_run "rules lint DIR" rules rules lint rules
lk_run "check --rules DIR" rules check --rules rules prof/a.yaml
lk_run "advise --rules DIR" rules advise --rules rules prof/a.yaml
want=RVTools_tabvInfo.csv
lk_run "import rvtools DIR" inv import rvtools inv
# inside: a file link is read, directory links (to the operand itself, to a
# sibling, to .) are not followed and end
cp "$EX" "$LK/repo/ok/a.yaml"
ln -s a.yaml "$LK/repo/ok/same.yaml"
ln -s ../a.yaml "$LK/repo/ok/sub/up.yaml"
ln -s .. "$LK/repo/ok/sub/back"
ln -s ../sub "$LK/repo/ok/sub/again"
ln -s . "$LK/repo/ok/dot"
(cd "$LK/repo" && $TO "$BIN" validate --verbose ok) >"$TMP/lk.out" 2>"$TMP/lk.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$TMP/lk.err" ] && [ "$(cat "$TMP/lk.out")" = "ok/a.yaml: ok (1 profile)
ok/same.yaml: ok (1 profile)
ok/sub/up.yaml: ok (1 profile)" ]; then
    ok "links inside a walked directory: files read, directory links not followed (no loop)"
else
    bad "links inside a walked directory: exit $rc: $(head -c 400 "$TMP/lk.out" "$TMP/lk.err")"
fi
# named on the command line: the user's choice, read (a link to a file; a
# link to a directory, walked inside its target)
ln -s ../outside/ok.yaml "$LK/repo/explicit.yaml"
ln -s ../outside/okdir "$LK/repo/explicit-dir"
(cd "$LK/repo" && "$BIN" validate --verbose explicit.yaml explicit-dir) >"$TMP/lk.out" 2>"$TMP/lk.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$TMP/lk.err" ] && [ "$(cat "$TMP/lk.out")" = "explicit.yaml: ok (1 profile)
explicit-dir/ok.yaml: ok (1 profile)" ]; then
    ok "a link named as an operand (to a file, to a directory) is read"
else
    bad "a link named as an operand: exit $rc: $(head -c 300 "$TMP/lk.out" "$TMP/lk.err")"
fi

# ---- .vmctr/config.yaml and .vmctr/waivers.yaml found, not named ----------
# check reads both from the current directory when present: the checkout,
# which may be a pull request's. A committed link (the file, or the .vmctr
# directory itself) to credentials had its keys echoed by the parse errors,
# and so did a found config's `waivers:` or `rules:` path. Found files and
# the paths they name must resolve inside the checkout (the nearest
# directory up with .git, else the current one): else an error naming the
# file, exit 5, nothing of the target printed. A link inside is read, and a
# file named with --config/--waivers is the user's.
DV=$TMP/dv
for c in cfg waiv dir inside; do
    mkdir -p "$DV/$c"
    cp "$EX" "$DV/$c/p.yaml"
done
mkdir -p "$DV/cfg/.vmctr" "$DV/waiv/.vmctr" "$DV/inside/.vmctr" "$DV/inside/conf"
ln -s "$LK/outside/creds.yaml" "$DV/cfg/.vmctr/config.yaml"
ln -s ../../../lk/outside/creds.yaml "$DV/waiv/.vmctr/waivers.yaml"
ln -s "$LK/outside" "$DV/dir/.vmctr"
cp "$LK/outside/creds.yaml" "$LK/outside/config.yaml"
printf 'apiVersion: vmctr/v1\nkind: Config\n' >"$DV/inside/conf/config.yaml"
ln -s ../conf/config.yaml "$DV/inside/.vmctr/config.yaml"
dv_run() {
    name=$1 dir=$2 file=$3
    (cd "$DV/$dir" && $TO "$BIN" check p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
    rc=$?
    if [ $rc = 5 ] && [ "$(cat "$TMP/dv.err")" = "vmctr: $file: error: $msg" ] &&
        [ ! -s "$TMP/dv.out" ] && ! grep -q "$SECRET\|AWS_SECRET" "$TMP/dv.out" "$TMP/dv.err"; then
        ok "a found $name: refused, an error naming it, nothing of the target (exit 5)"
    else
        bad "a found $name: exit $rc: $(head -c 400 "$TMP/dv.out" "$TMP/dv.err")"
    fi
}
msg="symbolic link points outside the checkout: not read"
dv_run ".vmctr/config.yaml linking outside" cfg .vmctr/config.yaml
dv_run ".vmctr/waivers.yaml linking outside" waiv .vmctr/waivers.yaml
dv_run ".vmctr directory linking outside" dir .vmctr/config.yaml
# the paths a found config names: its waiver file and rule directory
for c in cw cr; do
    mkdir -p "$DV/$c/.vmctr"
    cp "$EX" "$DV/$c/p.yaml"
done
printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  waivers: %s\n' "$LK/outside/creds.yaml" >"$DV/cw/.vmctr/config.yaml"
printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  rules: ../../lk/outside/dir\n' >"$DV/cr/.vmctr/config.yaml"
msg="waivers: leads outside the checkout: not read"
dv_run "config's waivers: outside" cw .vmctr/config.yaml
msg="rules: leads outside the checkout: not read"
dv_run "config's rules: directory outside" cr .vmctr/config.yaml
# what else a found config may name: /dev/stdin (a pipe: open() reads it,
# realpath cannot resolve it), a FIFO (would block), a dangling link and a
# missing file outside (the same answer whether or not the file exists);
# a path an option replaces is not checked
for c in cs cf cd cm co; do
    mkdir -p "$DV/$c/.vmctr"
    cp "$EX" "$DV/$c/p.yaml"
done
dv_cfg() { printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  %s: %s\n' "$2" "$3" >"$DV/$1/.vmctr/config.yaml"; }
dv_cfg cs waivers /dev/stdin
msg="waivers: cannot be resolved: not read"
(cd "$DV/cs" && printf 'AWS_SECRET_ACCESS_KEY: %s\n' "$SECRET" | $TO "$BIN" check p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
rc=$?
if [ $rc = 5 ] && [ "$(cat "$TMP/dv.err")" = "vmctr: .vmctr/config.yaml: error: $msg" ] &&
    ! grep -q "$SECRET\|AWS_SECRET" "$TMP/dv.out" "$TMP/dv.err"; then
    ok "a found config's waivers: /dev/stdin (a pipe) is refused, nothing of it read (exit 5)"
else
    bad "a found config's waivers: /dev/stdin: exit $rc: $(head -c 300 "$TMP/dv.out" "$TMP/dv.err")"
fi
mkfifo "$DV/cf/ff" 2>/dev/null
dv_cfg cf waivers ff
msg="waivers: not a regular file: not read"
dv_run "config's waivers: FIFO" cf .vmctr/config.yaml
ln -s /nonexistent/creds.yaml "$DV/cd/.vmctr/waivers.yaml"
msg="cannot be resolved: not read"
dv_run "dangling .vmctr/waivers.yaml link" cd .vmctr/waivers.yaml
dv_cfg cm waivers "$LK/outside/missing.yaml"
msg="waivers: leads outside the checkout: not read"
dv_run "config's waivers: missing file outside" cm .vmctr/config.yaml
dv_cfg co waivers "$LK/outside/creds.yaml"
(cd "$DV/co" && "$BIN" check --no-waivers p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$TMP/dv.err" ]; then
    ok "a found config's waivers: that --no-waivers replaces is not checked"
else
    bad "--no-waivers over a config's outside waivers: exit $rc: $(head -c 300 "$TMP/dv.err")"
fi
# a monorepo: the checkout is the nearest directory up with .git, so a
# service's .vmctr linking to the repository's own is read
mkdir -p "$DV/mono/.git" "$DV/mono/.vmctr" "$DV/mono/svc"
printf 'apiVersion: vmctr/v1\nkind: Config\ncheck:\n  fail_on: blocker\n' >"$DV/mono/.vmctr/config.yaml"
cp "$EX" "$DV/mono/svc/p.yaml"
ln -s ../.vmctr "$DV/mono/svc/.vmctr"
(cd "$DV/mono/svc" && "$BIN" check p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
rc=$?
(cd "$DV/mono/svc" && "$BIN" check --no-config --fail-on blocker p.yaml) >"$TMP/dv.want" 2>&1
if [ $rc = 0 ] && [ ! -s "$TMP/dv.err" ] && cmp -s "$TMP/dv.out" "$TMP/dv.want"; then
    ok "a service's .vmctr linking to its repository's (.git above) is read"
else
    bad "monorepo .vmctr link: exit $rc: $(head -c 300 "$TMP/dv.out" "$TMP/dv.err")"
fi
(cd "$DV/inside" && "$BIN" check p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
rc=$?
(cd "$DV/inside" && "$BIN" check --no-config p.yaml) >"$TMP/dv.want" 2>&1
if [ $rc = 0 ] && [ ! -s "$TMP/dv.err" ] && cmp -s "$TMP/dv.out" "$TMP/dv.want"; then
    ok "a found .vmctr/config.yaml linking inside the checkout is read"
else
    bad "a found config linking inside: exit $rc: $(head -c 300 "$TMP/dv.out" "$TMP/dv.err")"
fi
(cd "$DV/cfg" && "$BIN" check --config "$LK/outside/ok.yaml" p.yaml) >"$TMP/dv.out" 2>"$TMP/dv.err"
if grep -q "^$LK/outside/ok.yaml:.*error: kind" "$TMP/dv.err" && ! grep -q 'points outside' "$TMP/dv.err"; then
    ok "a config named with --config is read where it is (the user's choice)"
else
    bad "--config outside the checkout: $(head -c 300 "$TMP/dv.err")"
fi

# ---- rules test: a case's file: stays in the test file's directory ----------
# A rule-test file comes from the repository under review. A symbolic link
# beside it (to /etc/passwd, to a file above it, or a directory link) must
# not make vmctr read outside the test file's directory: an error at the
# case's file: value, exit 4, no case run. A link that stays inside is read.
RT=$TMP/rt
mkdir -p "$RT/policy/cases" "$RT/secret"
cp "$EX" "$RT/secret/s.yaml"
cp "$EX" "$RT/policy/cases/in.yaml"
ln -s /etc/passwd "$RT/policy/cases/passwd.yaml"
ln -s ../../secret/s.yaml "$RT/policy/cases/up.yaml"
ln -s ../secret "$RT/policy/secret"
ln -s in.yaml "$RT/policy/cases/same.yaml"
rt_case() { printf '  - name: %s\n    file: %s\n    expect: {paradigm: container}\n' "$1" "$2"; }
{
    printf 'apiVersion: vmctr/v1\nkind: RuleTest\ntests:\n'
    rt_case passwd cases/passwd.yaml
    rt_case up cases/up.yaml
    rt_case dir-link secret/s.yaml
} >"$RT/policy/out.test.yaml"
{
    printf 'apiVersion: vmctr/v1\nkind: RuleTest\ntests:\n'
    rt_case in cases/in.yaml
    rt_case same cases/same.yaml
} >"$RT/policy/in.test.yaml"
(cd "$RT" && "$BIN" rules test policy/out.test.yaml) >"$TMP/rt.out" 2>"$TMP/rt.err"
rc=$?
want='policy/out.test.yaml:5:11: error: tests[0].file: '"'"'cases/passwd.yaml'"'"' leads outside the test file'"'"'s directory (a symbolic link): give a file inside it
policy/out.test.yaml:8:11: error: tests[1].file: '"'"'cases/up.yaml'"'"' leads outside the test file'"'"'s directory (a symbolic link): give a file inside it
policy/out.test.yaml:11:11: error: tests[2].file: '"'"'secret/s.yaml'"'"' leads outside the test file'"'"'s directory (a symbolic link): give a file inside it'
if [ $rc = 4 ] && [ "$(cat "$TMP/rt.err")" = "$want" ] && [ ! -s "$TMP/rt.out" ]; then
    ok "rules test: file: through a symbolic link out of the test file's directory is an error (exit 4)"
else
    bad "rules test: file: through a link out of the directory: exit $rc: $(head -c 400 "$TMP/rt.err")"
fi
(cd "$RT" && "$BIN" rules test policy/in.test.yaml) >"$TMP/rt.out" 2>"$TMP/rt.err"
rc=$?
if [ $rc = 0 ] && grep -q '^2 cases, 2 passed' "$TMP/rt.out"; then
    ok "rules test: file: through a symbolic link that stays inside is read"
else
    bad "rules test: file: link inside: exit $rc: $(head -c 400 "$TMP/rt.out" "$TMP/rt.err")"
fi

# ---- -o keeps an existing file's mode; closed stderr ---------------------------
printf 'old\n' >"$TMP/private.md"
chmod 600 "$TMP/private.md"
"$BIN" advise --format markdown -o "$TMP/private.md" "$EX"
mode=$(stat -c %a "$TMP/private.md" 2>/dev/null || echo "?")
if [ "$mode" = 600 ] && grep -q '^## Status' "$TMP/private.md"; then ok "-o keeps a 0600 file 0600"; else bad "-o changed the mode to $mode"; fi
printf 'apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\nspec: {workload: {os: plan9}}\n' >"$TMP/bad.yaml"
"$BIN" check -o "$TMP/closed.txt" "$TMP/bad.yaml" "$EX" 2>&-
rc=$?
if [ $rc = 3 ] && ! grep -q 'error' "$TMP/closed.txt" 2>/dev/null; then
    ok "stderr closed (2>&-): diagnostics do not land in the -o file"
else
    bad "stderr closed: exit $rc, -o file holds: $(head -c 200 "$TMP/closed.txt" 2>/dev/null)"
fi

t_done
