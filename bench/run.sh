#!/usr/bin/env bash
# bench/run.sh BUILD_DIR -- the vmctr benchmark (`make bench`).
#
# BUILD_DIR holds the built `vmctr`, `bench-floor` and `bench-noop` (and,
# optionally, `bench-clips-peer`).  Corpora are generated once into
# BUILD_DIR/bench-cache and reused.  Prints the table of ratios and writes
# docs/performance.md (or $BENCH_DOC).
#
# Environment: BENCH_ROUNDS (3), BENCH_SIZES ("1000 100000"), BENCH_JRE_MAX
# (10000), BENCH_PEER_MAX (100000), BENCH_STARTS (200), BENCH_DOC
# (docs/performance.md), BENCH_NO_INSTALL=1 to install nothing (hyperfine,
# python3-yaml, the npm packages of bench/peers), BENCH_BASELINE (a git
# revision timed beside this tree on the same machine; default: the one in
# bench/baseline; empty: none), BENCH_STEPS (the trees timed step by step by
# bench/compare.py; default bench/steps; empty: none), BENCH_STEP_ROUNDS (60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ $# -ne 1 ]; then
	echo "usage: bench/run.sh BUILD_DIR" >&2
	exit 2
fi
build="$(cd "$1" && pwd)"
doc="${BENCH_DOC:-$root/docs/performance.md}"
cache="$build/bench-cache"
mkdir -p "$cache"

say() { printf 'bench: %s\n' "$*" >&2; }

for bin in vmctr bench-floor bench-noop bench-xlsx-floor; do
	if [ ! -x "$build/$bin" ]; then
		say "warning: $build/$bin is missing"
	fi
done
# bench-floor and bench-noop are tiny: build them here if CMake did not
for pair in "bench-floor:floor.c:yaml-0.1" "bench-noop:noop.c:yaml-0.1 libcjson" \
	"bench-xlsx-floor:xlsx_floor.c:libzip expat"; do
	IFS=: read -r bin src libs <<<"$pair"
	if [ ! -x "$build/$bin" ]; then
		say "building $bin from bench/$src"
		# shellcheck disable=SC2046,SC2086
		cc -O2 -std=c17 "$here/$src" $(pkg-config --cflags --libs $libs) -o "$build/$bin"
	fi
done

may_install() { [ "${BENCH_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=0
apt_install() {
	if [ $apt_updated = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# CLIPS peer (optional): Debian's libclips-dev 6.30
if [ ! -x "$build/bench-clips-peer" ]; then
	if [ ! -f /usr/include/clips/clips.h ] && may_install; then
		say "installing libclips-dev (CLIPS peer)"
		apt_install libclips-dev || true
	fi
	if [ -f /usr/include/clips/clips.h ]; then
		say "building bench-clips-peer from bench/peers/clips_peer.c"
		# shellcheck disable=SC2046
		cc -O2 -std=c17 "$here/peers/clips_peer.c" $(pkg-config --cflags --libs yaml-0.1 libcjson) \
			-lclips -lm -o "$build/bench-clips-peer" 2>/dev/null \
			|| say "bench-clips-peer did not build: the CLIPS peer is skipped"
	fi
fi

# hyperfine for the process-start comparison (else a Python loop is used)
if ! command -v hyperfine >/dev/null && may_install; then
	say "installing hyperfine"
	apt_install hyperfine || say "hyperfine not installed: falling back to a Python loop"
fi

# a Python whose PyYAML has the libyaml-based CLoader
has_cloader() { "$1" -c 'import yaml, sys; sys.exit(0 if yaml.__with_libyaml__ else 1)' 2>/dev/null; }
py=""
for cand in "${BENCH_PYTHON:-}" /usr/bin/python3 python3; do
	if [ -n "$cand" ] && command -v "$cand" >/dev/null && has_cloader "$cand"; then
		py="$(command -v "$cand")"
		break
	fi
done
if [ -z "$py" ] && may_install; then
	say "installing python3-yaml"
	apt_install python3-yaml || true
	has_cloader /usr/bin/python3 && py=/usr/bin/python3
fi
if [ -z "$py" ]; then
	say "error: no Python with PyYAML's CLoader (apt-get install python3-yaml)"
	exit 5
fi

# json-rules-engine and js-yaml, in bench/peers only
if command -v npm >/dev/null && [ ! -d "$here/peers/node_modules/json-rules-engine" ] \
	&& [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
	say "npm install in bench/peers"
	(cd "$here/peers" && npm install --no-audit --no-fund --loglevel=error >/dev/null) \
		|| say "npm install failed: the json-rules-engine peer is skipped"
fi

# The baseline: an earlier tree, built once into the cache from `git archive`
# and timed in the same rounds as this one, each on the corpus its own
# generator writes.  Ratios to the floor depend on the machine (how much
# faster it runs libyaml than vmctr's own code); the baseline's ratio on the
# same machine says whether a change cost throughput (docs/performance.md).
baseline_args=()
baseline_why=""
if [ "${BENCH_BASELINE+set}" = set ]; then
	rev_req="$BENCH_BASELINE"
	rev_from="BENCH_BASELINE"
else
	rev_req=""
	if [ -r "$here/baseline" ]; then
		rev_req="$(sed -n 's/^\([0-9a-f]\{7,40\}\).*/\1/p' "$here/baseline" | head -n 1)"
	fi
	rev_from="bench/baseline"
fi
# built by bench/compare.py's one recipe (with this build's compiler,
# without -Werror: an older tree need not be warning-free under a newer
# compiler; without its tests: they need nothing the benchmark does), into
# the cache the steps below share
if [ -n "$rev_req" ]; then
	if tree="$("$py" "$here/compare.py" --build "$build" --build-tree "$rev_req" 2>"$cache/baseline-why")"; then
		IFS=$'\t' read -r rev12 bvm bsrc <<<"$tree"
		baseline_args=(--baseline "$rev12" --baseline-vmctr "$bvm" --baseline-root "$bsrc")
	else
		baseline_why="$(sed -n 's/^compare: //p' "$cache/baseline-why" | tail -n 1) ($rev_from)"
	fi
fi
if [ -n "$baseline_why" ]; then
	say "warning: $baseline_why: no baseline"
	baseline_args=(--baseline-note "$baseline_why")
fi

"$py" "$here/bench.py" --build "$build" --root "$root" --out "$cache/results.json" \
	--python-peer "$py" "${baseline_args[@]}"

# What each step cost: the trees of bench/steps (BENCH_STEPS overrides the
# file, empty turns it off) timed one after another on the same bytes by
# bench/compare.py; a tree that cannot be built here is named in its notes.
steps_args=()
steps_file="${BENCH_STEPS-$here/steps}"
rm -f "$cache/steps.md"
if [ -n "$steps_file" ]; then
	say "timing the trees of $steps_file (bench/compare.py)"
	if "$py" "$here/compare.py" --build "$build" --steps "$steps_file" --section --callgrind \
		--rounds "${BENCH_STEP_ROUNDS:-60}" --doc "$cache/steps.md" >/dev/null; then
		steps_args=(--steps "$cache/steps.md")
	else
		say "warning: bench/compare.py failed: no section \"What each step cost\""
		printf '## What each step cost\n\nNot measured: bench/compare.py failed (run it again to see why).\n' \
			>"$cache/steps.md"
		steps_args=(--steps "$cache/steps.md")
	fi
fi
mkdir -p "$(dirname "$doc")"
"$py" "$here/report.py" "$cache/results.json" --doc "$doc" "${steps_args[@]}"
