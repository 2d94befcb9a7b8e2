#!/bin/sh
# Non-interactive paths of `vmctr init`: answers files (YAML, JSON, flat and
# nested), --set, --no-input, --template, refusing to overwrite, atomic
# output, and that every profile written passes `vmctr validate`.
#
#   tests/cli/init.sh path/to/vmctr
#
# stdin is never a terminal here, so vmctr must never prompt. Ends with
# "N passed, N failed"; exits 1 on any failure. (The questionnaire itself
# is tested through a pseudo-terminal by tests/cli/init_pty.py.)
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
t_bin "$@"
[ -x "$BIN" ] || { echo "$0: $BIN: not an executable" >&2; exit 2; }
t_env
COLUMNS=80
export COLUMNS
t_tmp init
T=$TMP
cd "$T" || exit 2

fail() { bad "$1: $2"; } # fail NAME WHY

# run NAME EXPECTED_EXIT ARGS... : runs vmctr with stdin from /dev/null,
# output in out/err; returns 1 (after reporting) when the exit code differs
run() {
    name=$1 want=$2
    shift 2
    "$BIN" "$@" </dev/null >out 2>err
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$name" "exit $got, expected $want; stderr: $(head -c 400 err)"
        return 1
    fi
    return 0
}
valid() { "$BIN" validate "$1" >/dev/null 2>vout || { cat vout; return 1; }; }
has() { grep -qF -- "$2" "$1"; }
modeline='# yaml-language-server: $schema=https://vmctr.dev/schema/profile-v1.json'

# ---- --template ----------------------------------------------------------
if run template 0 init --template; then
    n_fields=$(grep -c '^    # [a-z_]*:$' out)
    if [ "$(head -n 1 out)" != "$modeline" ]; then fail template "no modeline first"
    elif ! valid out; then fail template "does not validate"
    elif [ "$n_fields" -lt 40 ]; then fail template "only $n_fields commented fields"
    elif ! has out "one of monolith | modular-monolith"; then fail template "values not listed"
    elif ! has out "name: my-workload"; then fail template "no placeholder name"
    else ok template; fi
fi
if run template-file 0 init --template -o tmpl.yaml && valid tmpl.yaml && [ ! -s out ]; then
    ok template-file
else
    fail template-file "not written or invalid"
fi

# ---- answers: YAML, flat and nested keys ------------------------------------
cat >answers.yaml <<'EOF'
# answers for vmctr init
name: billing-api
owner: "payments: team"
description: yes
labels: {tier: backend, cost-center: "4711"}
workload.architecture: microservices
spec.workload.lifecycle: greenfield
workload:
  os: linux
  gui: false
isolation:
  compliance: [pci-dss, gdpr]
economics.licenses: [red-hat]
delivery: {release_frequency: daily}
operations.instances: 12
priorities.team: 5
strategy.edge: ~
EOF
if run answers-yaml 0 init --answers answers.yaml -o billing.yaml; then
    if ! valid billing.yaml; then fail answers-yaml "does not validate"
    elif [ "$(head -n 1 billing.yaml)" != "$modeline" ]; then fail answers-yaml "no modeline"
    elif ! { has billing.yaml "architecture: microservices" && has billing.yaml "lifecycle: greenfield" &&
             has billing.yaml "os: linux" && has billing.yaml "gui: false" &&
             has billing.yaml "compliance: [pci-dss, gdpr]" && has billing.yaml "licenses: [red-hat]" &&
             has billing.yaml "release_frequency: daily" && has billing.yaml "instances: 12" &&
             has billing.yaml "team: 5" && has billing.yaml 'owner: "payments: team"' &&
             has billing.yaml 'description: "yes"' && has billing.yaml 'cost-center: "4711"'; }; then
        fail answers-yaml "a value is missing: $(cat billing.yaml)"
    elif has billing.yaml "edge:"; then fail answers-yaml "a null answer was written"
    elif [ -s out ]; then fail answers-yaml "wrote to stdout with -o"
    else ok answers-yaml; fi
fi

# the written profile gives the same advice as the answers describe
if "$BIN" advise --format json billing.yaml >adv.json 2>/dev/null && has adv.json '"paradigm"'; then
    ok answers-yaml-advise
else
    fail answers-yaml-advise "advise failed on the written profile"
fi

# a written profile read back as answers gives the same bytes
if run round-trip 0 init -a billing.yaml && cmp -s out billing.yaml; then
    ok round-trip
else
    fail round-trip "differs: $(diff billing.yaml out | head -20)"
fi

# a whole profile works as an answers file too (metadata + spec)
cat >profile-form.yaml <<'EOF'
apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: from-profile
  labels:
    tier: web
spec:
  workload: {os: windows, lifecycle: legacy}
  team:
    culture: traditional
EOF
if run answers-profile-form 0 init -a profile-form.yaml; then
    if valid out && has out "name: from-profile" && has out "os: windows" && has out "culture: traditional"; then
        ok answers-profile-form
    else
        fail answers-profile-form "wrong output: $(cat out)"
    fi
fi

# ---- answers: JSON ------------------------------------------------------------
cat >answers.json <<'EOF'
{
  "metadata": {"name": "json-app", "labels": {"team": "a"}},
  "spec": {"workload": {"os": "windows", "custom_kernel": true}},
  "team.culture": "devops",
  "isolation.compliance": "hipaa, gdpr",
  "operations.instances": 3,
  "strategy.edge": null
}
EOF
if run answers-json 0 init --answers answers.json -o json.yaml; then
    if valid json.yaml && has json.yaml "name: json-app" && has json.yaml "custom_kernel: true" &&
        has json.yaml "culture: devops" && has json.yaml "compliance: [hipaa, gdpr]" &&
        has json.yaml "instances: 3" && has json.yaml "labels: {team: a}"; then
        ok answers-json
    else
        fail answers-json "wrong output: $(cat json.yaml)"
    fi
fi

# answers from stdin
if "$BIN" init --answers - <answers.json >out 2>err && valid out && has out "name: json-app"; then
    ok answers-stdin
else
    fail answers-stdin "$(cat err)"
fi

# ---- answers: errors -------------------------------------------------------------
cat >bad.yaml <<'EOF'
name: x
workload.os: linxu
workload:
  os: linux
team: {cultur: devops}
gui: true
EOF
if run answers-invalid 3 init -a bad.yaml -o never.yaml; then
    if [ -e never.yaml ]; then fail answers-invalid "wrote a file"
    elif ! has err "bad.yaml:2:14: error: spec.workload.os: 'linxu' is not one of linux, windows, mixed, other (did you mean 'linux'?)"; then
        fail answers-invalid "no positioned error: $(cat err)"
    elif ! has err "bad.yaml:4:3: error: spec.workload.os is given twice (first on line 2)"; then
        fail answers-invalid "no duplicate error: $(cat err)"
    elif ! has err "(did you mean 'team.culture'?)"; then fail answers-invalid "no suggestion: $(cat err)"
    elif ! has err "(did you mean 'workload.gui'?)"; then fail answers-invalid "no section suggestion: $(cat err)"
    else ok answers-invalid; fi
fi
printf '{"name": "x", "workload.os": "linux"' >bad.json
if run answers-json-invalid 3 init -a bad.json && has err "bad.json:1:" && has err "invalid JSON"; then
    ok answers-json-invalid
else
    fail answers-json-invalid "$(cat err)"
fi
if run answers-missing-file 5 init -a no-such-file.yaml --set name=x; then ok answers-missing-file; fi
printf -- '- a\n- b\n' >list.yaml
if run answers-not-a-map 3 init -a list.yaml && has err "expected a mapping"; then
    ok answers-not-a-map
else
    fail answers-not-a-map "$(cat err)"
fi
printf 'name: x\ncomponents: []\n' >comp.yaml
if run answers-components 3 init -a comp.yaml && has err "components are not set by"; then
    ok answers-components
else
    fail answers-components "$(cat err)"
fi

# ---- --set -------------------------------------------------------------------
if run set 0 init --no-input --set name=set-only --set workload.os=linux --set spec.team.culture=devops \
    --set economics.licenses=vmware,suse --set isolation.compliance='[a, b]' --set labels.tier=web \
    --set owner='Ops: EMEA'; then
    if valid out && has out "name: set-only" && has out "os: linux" && has out "culture: devops" &&
        has out "licenses: [vmware, suse]" && has out "compliance: [a, b]" && has out "labels: {tier: web}" &&
        has out 'owner: "Ops: EMEA"'; then
        ok set
    else
        fail set "wrong output: $(cat out)"
    fi
fi
# --set comes after --answers and wins
if run set-overrides-answers 0 init -a answers.yaml --set workload.os=windows --set name=other; then
    if has out "os: windows" && has out "name: other" && ! has out "os: linux"; then
        ok set-overrides-answers
    else
        fail set-overrides-answers "$(cat out)"
    fi
fi
# --set FIELD=unknown (or empty) takes an answer back
if run set-unknown 0 init -a answers.yaml --set workload.os=unknown --set workload.gui=; then
    if ! has out "os:" && ! has out "gui:"; then ok set-unknown; else fail set-unknown "$(cat out)"; fi
fi
if run set-bad-value 2 init --set name=x --set workload.os=lnux && has err "did you mean 'linux'"; then
    ok set-bad-value
fi
if run set-bad-field 2 init --set name=x --set wrkload.os=linux && has err "did you mean 'workload.os'"; then
    ok set-bad-field
fi
if run set-bad-name 2 init --set name=Bad_Name && has err "not a DNS label"; then ok set-bad-name; fi
if run set-no-equals 2 init --set workload.os; then ok set-no-equals; fi

# ---- missing name: never prompt without a terminal -------------------------------------
if run no-input-no-name 2 init --no-input --set workload.os=linux -o nn.yaml; then
    if [ -e nn.yaml ]; then fail no-input-no-name "wrote a file"
    elif ! has err "metadata.name is required"; then fail no-input-no-name "$(cat err)"
    else ok no-input-no-name; fi
fi
if run not-a-tty-no-name 2 init --set workload.os=linux && has err "metadata.name is required" && [ ! -s out ]; then
    ok not-a-tty-no-name
else
    fail not-a-tty-no-name "prompted or wrote: $(cat out err)"
fi
if run not-a-tty-nothing 2 init && [ ! -s out ]; then ok not-a-tty-nothing; fi

# ---- overwriting -----------------------------------------------------------------
echo "keep me" >exists.yaml
if run no-overwrite 2 init --set name=x -o exists.yaml; then
    if [ "$(cat exists.yaml)" != "keep me" ]; then fail no-overwrite "file changed"
    elif ! has err "already exists" || ! has err "--force"; then fail no-overwrite "$(cat err)"
    else ok no-overwrite; fi
fi
if run no-overwrite-template 2 init --template -o exists.yaml && [ "$(cat exists.yaml)" = "keep me" ]; then
    ok no-overwrite-template
fi
if run force 0 init --force --set name=forced -o exists.yaml && valid exists.yaml && has exists.yaml "name: forced"
then
    ok force
else
    fail force "not overwritten"
fi

# ---- atomic output: no temporary files left behind --------------------------------
mkdir atomic
if run atomic 0 init --set name=atomic -o atomic/p.yaml && [ "$(ls -A atomic)" = "p.yaml" ]; then
    ok atomic
else
    fail atomic "directory holds: $(ls -A atomic)"
fi
if run output-dir-missing 5 init --set name=x -o no/such/dir/p.yaml; then ok output-dir-missing; fi

# ---- usage --------------------------------------------------------------------------
if run operand 2 init stray.yaml; then ok operand; fi
if run help 0 init --help && has out "--answers" && has out "--no-input" && has out "--template"; then ok help; fi

# ---- a local schema: schema --install DIR, init --schema-url --------------
if run install 0 schema --install sch && [ -s sch/profile-v1.json ] && [ -s sch/report-v1.json ] &&
    [ -s sch/waivers-v1.json ] && has err '"yaml.schemas"' && has err "$T/sch/profile-v1.json"; then
    ok schema-install
fi
if run schema-url 0 init --no-input --set name=local-schema --schema-url "$T/sch/profile-v1.json" -o ls.yaml &&
    [ "$(head -n 1 ls.yaml)" = "# yaml-language-server: \$schema=$T/sch/profile-v1.json" ] && valid ls.yaml; then
    ok schema-url
else
    fail schema-url "modeline: $(head -n 1 ls.yaml 2>/dev/null)"
fi
if run schema-url-newline 2 init --no-input --set name=x --schema-url "$(printf 'a\nb')"; then ok schema-url-newline; fi

t_done
