#!/usr/bin/env python3
"""Allocation-failure ("torture") test, in the style of curl's.

    tests/cli/torture.py BIN FAILMALLOC_SO [--all]

For each command and format below, runs vmctr once normally under the
LD_PRELOAD shim tests/cli/failmalloc.c to count its allocations (malloc,
calloc, realloc), then once per N with the Nth allocation failing, writing
with -o into a fresh directory. Each failing run must either succeed with
output byte-identical to the normal run (the allocation had a fallback), or
exit 5 with "out of memory" (or strerror's "Cannot allocate memory") on
stderr and no -o file (and no temporary
file) left behind. Never a partial report with exit 0, never a crash.

Short mode (make test) runs every STRIDE-th N plus the last TAIL ones (where
the report is rendered and written); --all (make fuzz, scripts/fuzz.sh) runs
every N. Release builds only: ASan brings its own allocator.
Ends with "N passed, N failed" and the number of runs.
"""
import os
import subprocess
import sys
import tempfile

STRIDE = 7
TAIL = 60
EX = "examples/billing-api.yaml"
CASES = [["advise", "--format", f, EX] for f in ("text", "json", "csv", "html", "markdown")] + \
        [["advise", "--explain", EX], ["advise", "--format", "markdown", "--adr-number", "7", EX]] + \
        [["check", "--format", f, EX] for f in ("text", "json", "sarif", "junit", "github")] + \
        [["portfolio", "--format", f, EX] for f in ("text", "json", "html")]


def run(binary, shim, args, out, env_extra):
    env = dict(os.environ, LD_PRELOAD=shim, NO_COLOR="1", LC_ALL="C", **env_extra)
    env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run([binary] + args[:-1] + ["-o", out, args[-1]], env=env, capture_output=True, timeout=60)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def main():
    binary, shim = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    every = "--all" in sys.argv[3:]
    passed = failed = runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for args in CASES:
            name = " ".join(args[:-1])
            ref = os.path.join(tmp, "ref.out")
            cnt = os.path.join(tmp, "count")
            rc0, err0 = run(binary, shim, args, ref, {"VMCTR_ALLOC_COUNT": cnt})
            want = open(ref, "rb").read()
            total = int(open(cnt).read())
            ns = range(1, total + 1) if every else \
                sorted(set(range(1, total + 1, STRIDE)) | set(range(max(1, total - TAIL), total + 1)))
            bad = []
            for n in ns:
                d = tempfile.mkdtemp(dir=tmp)
                out = os.path.join(d, "report.out")
                runs += 1
                try:
                    rc, err = run(binary, shim, args, out, {"VMCTR_FAIL_AT": str(n)})
                except subprocess.TimeoutExpired:
                    bad.append(f"N={n}: hang")
                    continue
                left = os.listdir(d)
                if rc == rc0 and os.path.exists(out) and open(out, "rb").read() == want:
                    continue
                if rc == 5 and ("out of memory" in err or "Cannot allocate memory" in err) and not left:
                    continue
                why = f"exit {rc}"
                if rc == rc0:
                    why += ", output differs" if os.path.exists(out) else ", no output"
                elif rc == 5:
                    why += f", left {left}" if "out of memory" in err or "Cannot allocate" in err else ", no message"
                bad.append(f"N={n}: {why}: {err.strip()[:120]!r}")
            if bad:
                failed += 1
                print(f"FAIL {name}: {len(bad)} of {len(ns)} allocation failures mishandled (of {total})")
                for b in bad[:8]:
                    print("     " + b)
            else:
                passed += 1
                print(f"ok {name}: {len(ns)} of {total} allocations failed in turn, each exit 5 or identical")
    print(f"{passed} passed, {failed} failed ({runs} runs)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
