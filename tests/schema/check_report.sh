#!/bin/sh
# Validates real `vmctr advise --format json` reports against
# `vmctr schema --report` with ajv (JSON Schema 2020-12, strict mode): every
# document of tests/acceptance/*.yaml and examples/*.yaml, without and with
# --what-if (the --format json report; the ndjson form is not covered).
# Not part of ctest (needs node); run by hand or in CI:
#
#   npm install --prefix /tmp/ajv ajv-cli ajv-formats
#   tests/schema/check_report.sh build/release/vmctr [/tmp/ajv/node_modules/.bin/ajv]
set -eu
BIN=${1:?usage: $0 VMCTR_BINARY [AJV]}
AJV=${2:-/tmp/ajv/node_modules/.bin/ajv}
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmctr-schema.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
"$BIN" schema --report >"$TMP/schema.json"
n=0
for f in tests/acceptance/*.yaml examples/*.yaml; do
    b=$(basename "$f" .yaml)
    "$BIN" advise --format json "$f" >"$TMP/$b.out" || true
    "$BIN" advise --format json --what-if delivery.release_frequency=quarterly \
        --what-if team.kubernetes=none "$f" >"$TMP/$b.wi.out" || true
done
# one report per document: split the concatenated JSON values
n=$(python3 - "$TMP" <<'PY'
import json, os, sys
d = sys.argv[1]; n = 0
for name in sorted(os.listdir(d)):
    if not name.endswith(".out"):
        continue
    text = open(os.path.join(d, name)).read(); dec = json.JSONDecoder(); i = k = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        json.dump(obj, open(os.path.join(d, "%s.%d.json" % (name, k)), "w")); k += 1; n += 1
print(n)
PY
)
# one ajv run over all reports; it prints "<file> valid" or "<file> invalid" plus errors
out=$("$AJV" validate --spec=draft2020 -s "$TMP/schema.json" -d "$TMP/*.out.*.json" 2>&1) || {
    printf '%s\n' "$out" | grep -v ' valid$' | head -40
    echo "schema check: FAILED"
    exit 1
}
echo "schema check: $n reports valid"
