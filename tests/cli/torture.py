#!/usr/bin/env python3
"""Allocation-failure ("torture") test, in the style of curl's.

    tests/cli/torture.py BIN FAILMALLOC_SO [--all] [COMMAND...]

For each command and format below, runs vmctr once normally under the
LD_PRELOAD shim tests/cli/failmalloc.c to count its allocations (malloc,
calloc, realloc), then once per N with the Nth allocation failing, writing
with -o into a fresh directory. Each failing run must either succeed with
output byte-identical to the normal run (the allocation had a fallback), or
exit 5 with exactly one line saying "out of memory" (or strerror's "Cannot
allocate memory") on stderr and no -o file (and no temporary file) left
behind. Never a partial report with exit 0, never a crash, never a failed
test case (`rules test` exit 1) for want of memory, never the message
twice or not at all.

Short mode (make test) runs every STRIDE-th N plus the last TAIL ones (where
the report is rendered and written); --all (make fuzz, scripts/fuzz.sh) runs
every N. Release builds only: ASan brings its own allocator. COMMAND
arguments (advise, check, portfolio, scan, import, rules, validate) run
only those cases.

With import, the .xlsx and a CSV file are also imported under
address-space limits (RLIMIT_AS, as `ulimit -v`), from the smallest at
which vmctr starts up to the first that succeeds, every 64 KiB (the CSV
every 4 KiB): the shim never fails mmap, and running out of address
space is how loading libzip (dlopen, which maps libcrypto), libexpat and
libcsv fails under real memory pressure. The same rule holds, and some
limit must fail while loading each of the three.
Ends with "N passed, N failed" and the number of runs.
"""
import os
import resource
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testlib  # noqa: E402

STRIDE = 7
TAIL = 60
EX = "examples/billing-api.yaml"
XLSX = "tests/fuzz/corpus/import_xlsx/small.xlsx"  # an RVTools workbook: libzip + expat (dlopen)
CASES = [["advise", "--format", f, EX] for f in ("text", "json", "csv", "html", "markdown")] + \
        [["advise", "--explain", EX], ["advise", "--format", "markdown", "--adr-number", "7", EX]] + \
        [["check", "--format", f, EX] for f in ("text", "json", "sarif", "junit", "github")] + \
        [["advise", EX, EX], ["check", EX, EX]] + \
        [["advise", "-j", "2", EX, "examples/retail-bank.yaml", "examples/profiles"]] + \
        [["portfolio", "--format", f, EX] for f in ("text", "json", "html")] + \
        [["validate", "--format", f, EX] for f in ("text", "json")] + \
        [["scan", "--name", "shop", "@REPO"], ["scan", "--base", EX, "@REPO"], ["scan", "--base", "@FLOW", "@REPO"],
         ["scan", "--base", "@DOCS", "@REPO"],
         ["import", "rvtools", "@RVDIR"], ["import", "rvtools", XLSX], ["import", "azure-migrate", "@AZURE"],
         ["check", "--evidence", "@REPO", EX]] + \
        [["advise", "--no-builtin-rules", "--rules", "tests/golden/rules", "--format", "json", EX],
         ["check", "--no-builtin-rules", "--rules", "tests/golden/rules", "--waivers",
          "tests/cli/fixtures/waivers/waivers.yaml", "--today", "2026-12-06", "tests/cli/fixtures/check/system.yaml"],
         ["rules", "lint", "--no-builtin-rules", "tests/golden/rules"],
         ["check", "--no-builtin-rules", "--today", "2026-12-06", "--config", "@CONFIG",
          "tests/cli/fixtures/check/system.yaml"]] + \
        [["rules", "test", "--no-builtin-rules", "--format", f, "tests/golden/rules/workload.yaml", "@RTEST"]
         for f in ("text", "junit")] + \
        [["rules", "test", "@RTEST"]] + \
        [["diff", "--format", f, EX, "examples/retail-bank.yaml"] for f in ("text", "json")] + \
        [["init", "--no-input", "--answers", a, "--set", "team.iac=partial", "--force"] for a in ("@ANSWERS", "@JSON")]

# A small repository for scan (outside any git work tree, so git's own
# allocations, which the shim also fails, cannot change which files are
# listed): evidence for fields billing-api.yaml sets (a contradiction) and
# leaves out (inserted); @FLOW is a base whose sections are flow style (the
# evidence goes in comments at the end); @DOCS is billing-api.yaml between
# empty documents (each loaded, as validate does). Small inventories for import; the
# .xlsx is the fuzz corpus's RVTools workbook (6 VMs, shared strings).
REPO = {
    "Dockerfile": "FROM debian:12\nRUN make\n",
    "deploy/app.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: shop\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    "infra/main.tf": "resource \"null_resource\" \"x\" {}\n",
    "pom.xml": "<project><dependency>io.prometheus</dependency></project>\n",
    "src/log.py": "logging.basicConfig(filename='/var/log/shop.log')\n",
}
# Answers for init, flat keys and nested sections alike.
ANSWERS = ("metadata.name: shop\nspec.workload.os: linux\nspec.workload.architecture: microservices\n"
           "delivery:\n  release_frequency: daily\nteam: {containers: advanced, kubernetes: basic}\n")
# The same answers as JSON (cJSON: its out of memory is not "invalid JSON").
JSON_ANSWERS = ('{"metadata.name": "shop", "spec": {"workload": {"os": "linux", "architecture": "microservices"}},'
                ' "delivery.release_frequency": "daily", "team": {"containers": "advanced", "kubernetes": "basic"},'
                ' "metadata.labels": {"tier": "web"}, "isolation.compliance": ["pci-dss", "gdpr"]}\n')
# A config naming the rules and waivers the check above is given as options:
# a config that lost a path for want of memory must not pass as read.
CONFIG = ("apiVersion: vmctr/v1\nkind: Config\ncheck:\n  exclude: ['vendor/**', '**/*.tmp.yaml']\n"
          "  rules: tests/golden/rules\n  waivers: tests/cli/fixtures/waivers/waivers.yaml\n")
FLOW = "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: shop}\nspec: {workload: {os: linux}}\n"
# A rule-test file whose first case loads its profile from a file beside it
# (file:, resolved with realpath, read, cut and parsed: each can run out of
# memory) and whose second is inline; every case passes, with the built-in
# rules as with tests/golden/rules/workload.yaml alone.
RTEST = """apiVersion: vmctr/v1
kind: RuleTest
tests:
  - name: from a file
    file: cases/pass.yaml
    expect: {paradigm: container, not_fires: [workload.batch]}
  - name: inline
    profile:
      workload: {os: linux}
    expect: {not_fires: [workload.batch]}
"""
RVINFO = ("VM,Powerstate,Template,OS according to the configuration file,Annotation,Folder,Cluster,FT State\r\n"
          "web-01,poweredOn,False,Microsoft Windows Server 2019 (64-bit),Front end,/apps/shop,c1,notConfigured\r\n"
          "Db 02,poweredOff,False,Red Hat Enterprise Linux 8 (64-bit),,/apps/shop,c1,running\r\n"
          "tmpl,poweredOff,True,Ubuntu Linux (64-bit),,/t,c1,notConfigured\r\n")
RVUSB = "VM,Device Type,Connected\r\nweb-01,USB,True\r\n"
AZURE = "*Server name,*OS name,OS version,Cores,Memory (In MB)\r\nsrv-1,Windows Server 2016,10,4,8192\r\n" \
        "srv-2,Ubuntu 22.04,22,2,4096\r\n"


def fixtures(tmp):
    """Writes the scan and import inputs; returns the placeholder map."""
    repo = os.path.join(tmp, "repo")
    for name, text in REPO.items():
        p = os.path.join(repo, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    rv = os.path.join(tmp, "rv")
    os.makedirs(rv)
    for name, text in (("RVTools_tabvInfo.csv", RVINFO), ("RVTools_tabvUSB.csv", RVUSB)):
        with open(os.path.join(rv, name), "w", newline="") as f:
            f.write(text)
    rt = os.path.join(tmp, "rt")
    os.makedirs(os.path.join(rt, "cases"))
    with open(os.path.join(rt, "cases", "pass.yaml"), "w") as f:
        f.write(open(EX).read())
    out = {"@REPO": repo, "@RVDIR": rv, "@FLOW": os.path.join(tmp, "flow.yaml"),
           "@DOCS": os.path.join(tmp, "docs.yaml"),
           "@AZURE": os.path.join(tmp, "azure.csv"), "@RTEST": os.path.join(rt, "ok.test.yaml"),
           "@CONFIG": os.path.join(tmp, "config.yaml"), "@ANSWERS": os.path.join(tmp, "answers.yaml")}
    with open(out["@ANSWERS"], "w") as f:
        f.write(ANSWERS)
    out["@JSON"] = os.path.join(tmp, "answers.json")
    with open(out["@JSON"], "w") as f:
        f.write(JSON_ANSWERS)
    with open(out["@CONFIG"], "w") as f:
        f.write(CONFIG)
    with open(out["@RTEST"], "w") as f:
        f.write(RTEST)
    with open(out["@FLOW"], "w") as f:
        f.write(FLOW)
    with open(out["@DOCS"], "w") as f:
        f.write("---\n# before\n---\n" + open(EX).read() + "---\n# after\n...\n")
    with open(out["@AZURE"], "w", newline="") as f:
        f.write(AZURE)
    return out


def run(binary, shim, args, out, env_extra):
    env = dict(os.environ, LD_PRELOAD=shim, NO_COLOR="1", LC_ALL="C", **env_extra)
    env.pop("GITHUB_ACTIONS", None)
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(tempfile.gettempdir())  # no work tree above the fixtures
    if args[:2] == ["rules", "lint"] or args[0] in ("validate", "diff"):
        # rules lint and validate have no -o: stdout stands for the output
        # file, and is "written" only when the run did not fail for memory
        p = subprocess.run([binary] + args, env=env, capture_output=True, timeout=60)
        if p.returncode != 5:
            with open(out, "wb") as f:
                f.write(p.stdout)
    elif args[0] == "init":  # no input file: -o goes last
        p = subprocess.run([binary] + args + ["-o", out], env=env, capture_output=True, timeout=60)
    else:
        p = subprocess.run([binary] + args[:-1] + ["-o", out, args[-1]], env=env, capture_output=True, timeout=60)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def aslimit(binary, inp, libs, step, out):
    """import rvtools INP under RLIMIT_AS limits, every STEP KiB from where
    vmctr starts; returns
    (runs, problems, summary, {lib: limits that failed loading it})."""
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    env.pop("LD_PRELOAD", None)

    def go(kib):
        if os.path.exists(out):
            os.unlink(out)
        lim = kib * 1024
        p = subprocess.run([binary, "import", "rvtools", "-o", out, inp], env=env, capture_output=True, timeout=60,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (lim, lim)))
        return p.returncode, p.stderr.decode("utf-8", "replace")

    rc, _ = go(1 << 20)  # 1 GiB: the reference
    if rc != 0:
        return 1, ["the reference run under 1 GiB failed"], "", {}
    want = open(out, "rb").read()
    runs, bad, started, failed = 1, [], None, {lib: 0 for lib in libs}
    kib, fine = 1024 - 64, False
    while kib < (1 << 20):
        # 64 KiB steps until vmctr starts, then back one and every STEP
        kib += step if fine else 64
        runs += 1
        rc, err = go(kib)
        # ld.so could not start vmctr (its libraries, TLS; vmctr never exits
        # 127): near the bottom, with address-space randomisation, a limit
        # that started before may not the next time
        if rc == 127:
            continue
        if started is None:
            if rc < 0:  # too little to exec: killed by the kernel
                continue
            if not fine and step < 64:
                kib, fine = kib - 64, True
                continue
            started = kib
        if rc == 0 and os.path.exists(out) and open(out, "rb").read() == want:
            return runs, bad, f"{started}..{kib} KiB every {step}", failed
        if rc == 5 and "out of memory" in err and not os.path.exists(out):
            for lib in libs:
                failed[lib] += f"{lib} could not be loaded" in err
            continue
        bad.append(f"RLIMIT_AS={kib} KiB: exit {rc}: {err.strip()[:120]!r}")
    return runs, bad + ["never succeeded under 1 GiB"], "", failed


def main():
    binary, shim = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    every = "--all" in sys.argv[3:]
    only = [a for a in sys.argv[3:] if a != "--all"]  # command names: run only those cases
    t = testlib.Tally(verbose=True)
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        ph = fixtures(tmp)
        for args in CASES:
            if only and args[0] not in only:
                continue
            args = [ph.get(a, a) for a in args]
            # the input's base name too: two cases are `import rvtools`
            name = " ".join([os.path.basename(a) if a.startswith(tmp) else a for a in args[:-1]] +
                            [os.path.basename(args[-1])])
            ref = os.path.join(tmp, "ref.out")
            cnt = os.path.join(tmp, "count")
            rc0, err0 = run(binary, shim, args, ref, {"VMCTR_ALLOC_COUNT": cnt})
            total = int(open(cnt).read()) if os.path.exists(cnt) else 0
            # the reference must succeed (every case's does) and count: a
            # reference that fails (rules lint exit 4) would make every run
            # that fails the same way "identical", a shim that counts nothing
            # would fail no allocation
            if not t.ok(rc0 == 0 and total > 0 and os.path.exists(ref),
                        f"{name}: the reference run exits 0 after {total} allocations", f"exit {rc0}: {err0.strip()[:300]}"):
                continue
            want = open(ref, "rb").read()
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
                # one line: a buffer that ran out is said once, not again by
                # every later writer that finds it still flagged
                says = sum("out of memory" in line or "Cannot allocate memory" in line for line in err.splitlines())
                if rc == rc0 and os.path.exists(out) and open(out, "rb").read() == want:
                    if says and not err0.count("out of memory"):
                        # a run that succeeds must not say it ran out: a
                        # message lost to it, with exit 0, is a lie either way
                        bad.append(f"N={n}: exit {rc} with identical output, but stderr says out of memory")
                    continue
                if rc == 5 and says == 1 and not left:
                    continue
                why = f"exit {rc}"
                if rc == rc0:
                    why += ", output differs" if os.path.exists(out) else ", no output"
                elif rc == 5:
                    why += f", left {left}" if says == 1 else f", out of memory said {says} times"
                bad.append(f"N={n}: {why}: {err.strip()[:120]!r}")
            t.ok(not bad, f"{name}: {len(ns)} of {total} allocations failed in turn, each exit 5 or identical",
                 f"{len(bad)} mishandled:" + "".join("\n     " + b for b in bad[:8]))
        if not only or "import" in only:
            # the .xlsx loads libzip (and libcrypto), then libexpat; the
            # CSV export libcsv, which is small: every 4 KiB
            for inp, libs, step in ((XLSX, ("libzip", "libexpat"), 64), (ph["@RVDIR"], ("libcsv",), 4)):
                n, bad, summary, lf = aslimit(binary, inp, libs, step, os.path.join(tmp, "as.out"))
                runs += n
                if not bad:
                    bad = [f"no limit failed while loading {lib}: its dlopen path was not exercised"
                           for lib in libs if not lf[lib]]
                name = f"import rvtools {os.path.basename(inp)} under RLIMIT_AS"
                t.ok(not bad,
                     f"{name} {summary} KiB, " + ", ".join(f"{lf[lib]} failed loading {lib}" for lib in libs) +
                     ", each exit 5 or identical",
                     f"{len(bad)} limits mishandled:" + "".join("\n     " + b for b in bad[:8]))
    return t.done(f"{runs} runs")


if __name__ == "__main__":
    sys.exit(main())
