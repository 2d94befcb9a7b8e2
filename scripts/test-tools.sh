#!/bin/sh
# Installs the external validators that the test suite checks vmctr's output
# with - ajv-cli (JSON Schema 2020-12), the W3C Nu HTML checker (vnu-jar,
# runs on Java) and puppeteer-core (drives Debian's chromium for the browser
# test; it downloads no browser) - from the npm registry into DIR (default build/tools),
# pinned by tests/tools/package-lock.json. They are test tools only, never
# runtime dependencies. Without npm the suite still runs; the tests that
# need a validator say so and skip that part (and fail under CI=true).
set -eu
dir=${1:-build/tools}
src=$(cd "$(dirname "$0")/../tests/tools" && pwd)
if ! command -v npm >/dev/null 2>&1; then
    echo "test-tools: npm not found: JSON Schema and HTML validator checks will be skipped" >&2
    exit 0
fi
mkdir -p "$dir"
if [ -x "$dir/node_modules/.bin/ajv" ] && [ -f "$dir/node_modules/vnu-jar/build/dist/vnu.jar" ] &&
    [ -d "$dir/node_modules/puppeteer-core" ] &&
    cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
    exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dir/"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
    echo "test-tools: npm ci failed: validator checks will be skipped" >&2
    exit 0
}
