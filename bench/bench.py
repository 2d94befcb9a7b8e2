#!/usr/bin/env python3
"""Measure vmctr against its floor and its peers (called by bench/run.sh).

    bench.py --build BUILD_DIR --root REPO --out RESULTS.json

Environment:
  BENCH_ROUNDS     rounds per measurement, the median is kept (default 3;
                   at least 5 for the floor and vmctr's commands; runs
                   shorter than 2 s in all get more rounds, at most 31)
  BENCH_SIZES      corpus sizes in profiles (default "1000 100000")
  BENCH_PEER_MAX   largest corpus the Python and CLIPS peers run on
                   (default 100000)
  BENCH_JRE_MAX    largest corpus json-rules-engine runs on (default 10000):
                   above it the peer runs on the first BENCH_JRE_MAX profiles
                   of the same corpus and is compared per profile
  BENCH_STARTS     runs for the process-start comparison (default 200)
  BENCH_PYTHON     Python with PyYAML's CLoader for the Python peer

--baseline REV --baseline-vmctr BIN --baseline-root SRC (given by run.sh
from BENCH_BASELINE or bench/baseline): an earlier tree's vmctr, timed in
the same rounds as this tree's commands on the corpus its own generator
(SRC/bench/gen_corpus.py) writes, against the floor on that corpus.

Every command is timed as a child process: wall time with a monotonic clock,
peak resident set size from GNU time (or wait4 rusage).  A command that fails is kept
in the results as an error, and its row reads "n/a (error)": the benchmark
goes on.
"""

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv, stdout=subprocess.DEVNULL, ok_codes=(0,)):
    """Run argv; return (seconds, peak_rss_kb, exit_code, stderr_head).

    Peak RSS comes from GNU time's %M when /usr/bin/time is there: Linux keeps
    a process's RSS high-water mark across exec, so the rusage of a child
    forked straight from this Python would never read below Python's own
    size (~14 MB); GNU time is small (~2 MB).  Without it, wait4's rusage is
    used and small programs read high.  Wall time is taken here, around the
    whole child, for every command alike."""
    with tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".time") as tf:
        full = [TIME, "-f", "%M", "-o", tf.name] + list(argv) if TIME else list(argv)
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=stdout,
                             stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        p.returncode = rc
        kb = ru.ru_maxrss
        if TIME:
            lines = [x for x in tf.read().split("\n") if x.strip()]
            try:
                kb = int(lines[-1])
            except (IndexError, ValueError):
                pass
        err.seek(0)
        head = err.read(2000).decode("utf-8", "replace").strip().splitlines()
    return dt, kb, rc, (head[0] if head else "")


# Short runs are repeated until each command has been timed for about this
# long (at most MAX_ROUNDS rounds): a median of 3 runs of 30 ms is noise.
SHORT_RUN_TOTAL_S = 2.0
MAX_ROUNDS = 31
# The floor and vmctr's own commands (the targets) get at least this many
# rounds whatever BENCH_ROUNDS says: on a shared 2-core machine one slow
# round in three moves a median, and -j 2 needs both cores free.
VM_MIN_ROUNDS = 5


def measure_group(specs, rounds):
    """Times several commands round-robin: one run of each per round, so that
    a change in the machine's speed during the benchmark (other tenants,
    clock frequency) affects all of them alike and their ratios hold.  Each
    spec is a dict with name, argv, profiles and optionally ok_codes.  The
    number of rounds is `rounds`, raised for short runs (see
    SHORT_RUN_TOTAL_S).  Returns one result dict per spec, in order: the
    median wall time, the largest peak RSS, or an error."""
    out = [{"name": sp["name"], "cmd": " ".join(sp["argv"]), "profiles": sp["profiles"]}
           for sp in specs]
    times = [[] for _ in specs]
    rss = [[] for _ in specs]
    want, r = rounds, 0
    while r < want:
        for i, sp in enumerate(specs):
            if "error" in out[i]:
                continue
            ok = sp.get("ok_codes", (0,))
            dt, kb, rc, err = run_once(sp["argv"], ok_codes=ok)
            if rc not in ok:
                out[i]["error"] = "exit %d%s" % (rc, ": " + err if err else "")
                log("%s: %s" % (sp["name"], out[i]["error"]))
                continue
            times[i].append(dt)
            rss[i].append(kb)
        if r == 0:
            first = [t[0] for t in times if t]
            if first:
                want = max(rounds, min(MAX_ROUNDS, math.ceil(SHORT_RUN_TOTAL_S / max(min(first), 1e-3))))
        r += 1
    for i, res in enumerate(out):
        if "error" in res or not times[i]:
            continue
        res["times"] = times[i]
        res["seconds"] = statistics.median(times[i])
        res["peak_rss_kb"] = max(rss[i])
        if res["profiles"]:
            res["per_s"] = res["profiles"] / res["seconds"]
        log("%-28s %8.3f s  %9.0f profiles/s  %7d KB  (%d rounds)" % (
            res["name"], res["seconds"], res.get("per_s", 0), res["peak_rss_kb"], len(times[i])))
    return out


def measure(name, argv, rounds, profiles, ok_codes=(0,)):
    """One command: see measure_group."""
    return measure_group([{"name": name, "argv": argv, "profiles": profiles,
                           "ok_codes": ok_codes}], rounds)[0]


def ensure_corpus(cache, n, seed=1, bench_dir=HERE):
    """The corpus of n profiles that bench_dir's generator writes (this
    tree's, or a baseline's), generated once into cache."""
    path = os.path.join(cache, "corpus-%d-s%d.yaml" % (n, seed))
    if not os.path.exists(path):
        log("generating %s" % path)
        tmp = path + ".tmp"
        subprocess.check_call(["/usr/bin/python3" if os.path.exists("/usr/bin/python3")
                               else sys.executable,
                               os.path.join(bench_dir, "gen_corpus.py"), "--count",
                               str(n), "--seed", str(seed), "-o", tmp])
        os.replace(tmp, path)
    return path


def count_systems(path):
    """Profiles with `components` in a generated corpus (the generators
    write `spec.components` as a line of its own at two spaces)."""
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.startswith(b"  components:"))


def starts_hyperfine(cmds, runs):
    """Median wall time in seconds of each command, with hyperfine."""
    hf = shutil.which("hyperfine")
    if not hf:
        return None
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as t:
        out = t.name
    argv = [hf, "-N", "--warmup", "20", "--runs", str(runs),
            "--export-json", out, "--style", "none"]
    argv += [" ".join(c) for c in cmds]
    if subprocess.call(argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL) != 0:
        # -N needs hyperfine >= 1.13; exit codes of vmctr may differ
        argv.remove("-N")
        if subprocess.call(argv + ["-i"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) != 0:
            return None
    with open(out) as fh:
        data = json.load(fh)
    os.unlink(out)
    return [r["median"] for r in data["results"]], (
        subprocess.run([hf, "--version"], capture_output=True,
                       text=True).stdout.strip() + ", %d runs" % runs)


def starts_loop(cmds, runs):
    meds = []
    for c in cmds:
        for _ in range(20):
            subprocess.call(c, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.call(c, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
            ts.append(time.perf_counter() - t0)
        meds.append(statistics.median(ts))
    return meds, "Python subprocess loop, %d runs" % runs


def cmd_version(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        out = (p.stdout or p.stderr).strip().splitlines()
        return out[0] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def machine():
    m = {"nproc": os.cpu_count(), "cpu": "?", "memory": "?",
         "kernel": platform.release(), "date": time.strftime("%Y-%m-%d")}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    m["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            m["memory"] = "%.1f GiB" % (kb / 1048576.0)
    except OSError:
        pass
    m["nproc"] = int(cmd_version(["nproc"]) or m["nproc"])
    m["compiler"] = cmd_version(["cc", "--version"])
    m["libyaml"] = cmd_version(["pkg-config", "--modversion", "yaml-0.1"])
    m["libcjson"] = cmd_version(["pkg-config", "--modversion", "libcjson"])
    m["node"] = cmd_version(["node", "--version"])
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--python-peer", default=os.environ.get("BENCH_PYTHON", ""))
    ap.add_argument("--baseline", default="", help="the baseline's revision (a label)")
    ap.add_argument("--baseline-vmctr", default="", help="the baseline's vmctr")
    ap.add_argument("--baseline-root", default="", help="the baseline's source tree")
    ap.add_argument("--baseline-note", default="", help="why there is no baseline (run.sh)")
    a = ap.parse_args()

    rounds = max(1, env_int("BENCH_ROUNDS", 3))
    sizes = sorted({int(x) for x in os.environ.get("BENCH_SIZES", "1000 100000").split()})
    peer_max = env_int("BENCH_PEER_MAX", 100000)
    jre_max = env_int("BENCH_JRE_MAX", 10000)
    starts_n = env_int("BENCH_STARTS", 200)

    b = os.path.abspath(a.build)
    vmctr = os.path.join(b, "vmctr")
    floor = os.path.join(b, "bench-floor")
    noop = os.path.join(b, "bench-noop")
    clips = os.path.join(b, "bench-clips-peer")
    cache = os.path.join(b, "bench-cache")
    os.makedirs(cache, exist_ok=True)

    res = {"machine": machine(), "rounds": rounds, "sizes": sizes,
           "jre_max": jre_max, "peer_max": peer_max, "runs": [], "notes": []}
    res["machine"]["vmctr"] = cmd_version([vmctr, "--version"])
    runs = res["runs"]

    def add(r, **kw):
        r.update(kw)
        runs.append(r)
        return r

    def add_group(group, size):
        """Measures [(kind, name, argv)] in the same rounds (a floor beside
        what it is the floor of) and adds each result as its kind."""
        got = measure_group([{"name": name, "argv": argv, "profiles": size, "ok_codes": (0,)}
                             for _, name, argv in group], max(rounds, VM_MIN_ROUNDS))
        for (kind, _, _), r in zip(group, got):
            add(r, size=size, kind=kind)

    # --- rule catalogue for the peers
    rules_dir = os.path.join(a.root, "rules")
    peers_dir = os.path.join(HERE, "peers")
    cat_py = os.path.join(cache, "catalogue-py.json")
    cat_jre = os.path.join(cache, "catalogue-jre.json")
    cat_clp = os.path.join(cache, "catalogue.clp")
    pyexe = a.python_peer or sys.executable
    have_cat = subprocess.call([pyexe, os.path.join(peers_dir, "rules_to_json.py"),
                                rules_dir, "--py", cat_py, "--jre", cat_jre,
                                "--clips", cat_clp]) == 0
    if not have_cat:
        res["notes"].append("rules/ could not be translated: peers not run")
    else:
        with open(cat_py) as fh:
            res["rules"] = len(json.load(fh)["rules"])

    small = os.path.join(cache, "small.yaml")
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_corpus.py"),
                           "--single", "-o", small])

    # --- vmctr's output is checked once per command on the smallest corpus
    # (not timed): a command that prints no reports would otherwise look fast
    c0 = ensure_corpus(cache, sizes[0])
    n0 = sizes[0]
    valid = {}

    def validate(kind, argv, ok_codes, check):
        try:
            p = subprocess.run(argv, capture_output=True, timeout=900)
        except (OSError, subprocess.SubprocessError) as e:
            valid[kind] = "cannot run: %s" % e
            return
        if p.returncode not in ok_codes:
            err = p.stderr.decode("utf-8", "replace").strip().splitlines()
            valid[kind] = "exit %d%s" % (p.returncode, ": " + err[0] if err else "")
            return
        why = check(p.stdout)
        if why:
            valid[kind] = "invalid output: " + why

    def ndjson_ok(out):
        lines = out.splitlines()
        if len(lines) != n0:
            return "%d lines for %d profiles" % (len(lines), n0)
        try:
            first = json.loads(lines[0])
        except ValueError:
            return "first line is not JSON"
        if first.get("schema") != "vmctr.report/v1":
            return "no \"schema\": \"vmctr.report/v1\""
        missing = [k for k in ("recommendation", "rationale", "unknowns",
                               "counterfactuals") if k not in first]
        return "reports lack %s" % ", ".join(missing) if missing else ""

    def csv_ok(out):
        lines = out.splitlines()
        return "" if len(lines) >= n0 else "%d lines for %d profiles" % (len(lines), n0)

    def nonempty(out):
        return "" if out.strip() else "no output"

    validate("ndjson", [vmctr, "advise", "--format", "ndjson", c0], (0,), ndjson_ok)
    validate("csv", [vmctr, "advise", "--format", "csv", c0], (0,), csv_ok)
    validate("check", [vmctr, "check", "--format", "json", c0], (0, 1), nonempty)
    validate("j1", [vmctr, "advise", "-j", "1", "--format", "ndjson", c0], (0,), ndjson_ok)
    validate("j2", [vmctr, "advise", "-j", "2", "--format", "ndjson", c0], (0,), ndjson_ok)
    validate("start", [vmctr, "advise", small], (0,), nonempty)
    res["invalid"] = valid
    for k, why in valid.items():
        log("vmctr %s: %s" % (k, why))

    # --- the baseline (see the module's docstring): checked like vmctr, and
    # left out with a note when its output is not what is timed
    base = None
    if a.baseline_note:
        res["notes"].append("no baseline was timed: %s" % a.baseline_note)
    if a.baseline and a.baseline_vmctr and a.baseline_root:
        bcache = os.path.dirname(os.path.abspath(a.baseline_vmctr))
        bcache = os.path.join(os.path.dirname(bcache), "corpora")
        os.makedirs(bcache, exist_ok=True)
        bbench = os.path.join(a.baseline_root, "bench")
        base = {"rev": a.baseline, "vmctr": a.baseline_vmctr, "cache": bcache, "bench": bbench,
                "small": os.path.join(bcache, "small.yaml")}
        res["baseline"] = {"rev": a.baseline, "version": cmd_version([a.baseline_vmctr, "--version"])}
        try:
            subprocess.check_call([sys.executable, os.path.join(bbench, "gen_corpus.py"),
                                   "--single", "-o", base["small"]])
            bc0 = ensure_corpus(bcache, n0, bench_dir=bbench)
        except (OSError, subprocess.SubprocessError) as e:
            valid["baseline"] = "its corpus generator failed: %s" % e
        else:
            for argv, ok_codes, check in (
                    (["advise", "--format", "ndjson", bc0], (0,), ndjson_ok),
                    (["advise", "--format", "csv", bc0], (0,), csv_ok),
                    (["check", "--format", "json", bc0], (0, 1), nonempty),
                    (["advise", "-j", "2", "--format", "ndjson", bc0], (0,), ndjson_ok),
                    (["advise", base["small"]], (0,), nonempty)):
                if "baseline" not in valid:
                    validate("baseline", [a.baseline_vmctr] + argv, ok_codes, check)
        if "baseline" in valid:
            log("baseline %s: %s" % (a.baseline, valid["baseline"]))
            res["notes"].append("the baseline %s was not timed: %s" % (a.baseline, valid["baseline"]))
            res.pop("baseline")
            base = None

    for n in sizes:
        corpus = ensure_corpus(cache, n)
        log("--- %d profiles (%s, %.1f MB)" % (n, corpus, os.path.getsize(corpus) / 1e6))
        # the floor and vmctr's commands are timed round-robin (measure_group)
        group = [("floor", "floor", [floor, corpus], (0,)),
                 ("ndjson", "advise ndjson", [vmctr, "advise", "--format", "ndjson", corpus], (0,)),
                 ("csv", "advise csv", [vmctr, "advise", "--format", "csv", corpus], (0,)),
                 ("check", "check json", [vmctr, "check", "--format", "json", corpus], (0, 1))]
        if n == sizes[-1]:
            for j in ("1", "2"):
                group.append(("j" + j, "advise -j %s ndjson" % j,
                              [vmctr, "advise", "-j", j, "--format", "ndjson", corpus], (0,)))
        bc = None
        if base:
            try:
                bc = ensure_corpus(base["cache"], n, bench_dir=base["bench"])
            except (OSError, subprocess.SubprocessError) as e:
                res["notes"].append("the baseline's %d-profile corpus could not be generated (%s): "
                                    "no baseline at that size" % (n, e))
        if bc:
            res.setdefault("systems", {})[str(n)] = [count_systems(corpus), count_systems(bc)]
            bv = base["vmctr"]
            group += [("base-floor", "baseline floor", [floor, bc], (0,)),
                      ("base-ndjson", "baseline advise ndjson", [bv, "advise", "--format", "ndjson", bc], (0,)),
                      ("base-csv", "baseline advise csv", [bv, "advise", "--format", "csv", bc], (0,)),
                      ("base-check", "baseline check json", [bv, "check", "--format", "json", bc], (0, 1)),
                      # this tree on the baseline's corpus: the same bytes in, so
                      # the difference is the code's, not the generators'
                      ("same-ndjson", "advise ndjson, the baseline's corpus",
                       [vmctr, "advise", "--format", "ndjson", bc], (0,))]
            if n == sizes[-1]:
                for j in ("1", "2"):
                    group.append(("base-j" + j, "baseline advise -j %s ndjson" % j,
                                  [bv, "advise", "-j", j, "--format", "ndjson", bc], (0,)))
        timed = [g for g in group if g[0] not in valid]
        got = dict(zip((g[0] for g in timed),
                       measure_group([{"name": name, "argv": argv, "profiles": n, "ok_codes": ok}
                                      for _, name, argv, ok in timed], max(rounds, VM_MIN_ROUNDS))))
        for kind, name, argv, _ in group:
            r = got.get(kind) or {"name": name, "cmd": " ".join(argv), "profiles": n,
                                  "error": valid[kind]}
            add(r, size=n, kind=kind)
        if have_cat and n <= peer_max:
            add(measure("python peer", [pyexe, os.path.join(peers_dir, "py_peer.py"),
                                        cat_py, corpus], rounds, n),
                size=n, kind="py")
            if os.access(clips, os.X_OK):
                add(measure("clips peer", [clips, cat_clp, cat_py, corpus], rounds, n),
                    size=n, kind="clips")
        if have_cat and shutil.which("node") and \
                os.path.isdir(os.path.join(peers_dir, "node_modules", "json-rules-engine")):
            m = min(n, jre_max)
            add(measure("json-rules-engine peer",
                        ["node", os.path.join(peers_dir, "jre_peer.js"), cat_jre,
                         corpus, str(m)], rounds, m), size=n, kind="jre",
                subset=m < n)

    # --- inventory import (docs/import.md): an RVTools workbook of
    # BENCH_INVENTORY_VMS VMs (tests/import/gen.py), against the floor of
    # reading the same bytes with libzip + expat alone (bench-xlsx-floor)
    inv_n = env_int("BENCH_INVENTORY_VMS", 10000)
    inv_dir = os.path.join(cache, "inventory-%d" % inv_n)
    inv = os.path.join(inv_dir, "big.xlsx")
    if not os.path.exists(inv):
        subprocess.check_call([sys.executable, os.path.join(a.root, "tests", "import", "gen.py"),
                               "--vms", str(inv_n), inv_dir])
    xfloor = os.path.join(b, "bench-xlsx-floor")
    inv_group = [("xlsx-floor", "floor: libzip + expat read of the workbook", [xfloor, inv]),
                 ("import", "vmctr import rvtools", [vmctr, "import", "rvtools", "-q", inv]),
                 ("import-portfolio", "vmctr import rvtools | vmctr portfolio -",
                  ["sh", "-c", '"$0" import rvtools -q "$1" | "$0" portfolio - >/dev/null', vmctr, inv])]
    if os.access(xfloor, os.X_OK):
        add_group(inv_group, inv_n)
    else:
        res["notes"].append("bench-xlsx-floor is missing: the import benchmark is skipped")

    # --- repository scan (docs/scan.md): a git work tree of
    # BENCH_SCAN_FILES files (tests/scan/gen.py), against the floor of
    # listing it with `git ls-files` alone
    scan_n = env_int("BENCH_SCAN_FILES", 50000)
    scan_dir = os.path.join(cache, "scan-%d" % scan_n)
    tree = os.path.join(scan_dir, "tree")
    if not os.path.isdir(tree) and shutil.which("git"):
        subprocess.check_call([sys.executable, os.path.join(a.root, "tests", "scan", "gen.py"),
                               "--files", str(scan_n), scan_dir])
    if os.path.isdir(os.path.join(tree, ".git")):
        add_group([("scan-floor", "floor: git ls-files of the tree", ["git", "-C", tree, "ls-files", "-z"]),
                   ("scan", "vmctr scan", [vmctr, "scan", "-q", tree])], scan_n)
    else:
        res["notes"].append("git is missing: the scan benchmark is skipped")

    # --- process start
    cmds = [[vmctr, "advise", small], [noop]]
    if base:
        cmds.append([base["vmctr"], "advise", base["small"]])
    if "start" in valid:
        add({"name": "start", "error": valid["start"], "cmd": " ".join(cmds[0])},
            kind="start")
    else:
        # in 5 rounds of a fifth of the runs, every command in each round,
        # and the median of the rounds' medians: hyperfine runs one command
        # after the other, and a drift of the machine's speed during one
        # command's runs would otherwise decide its ratio to the others
        nr = 5
        per = [starts_hyperfine(cmds, max(1, starts_n // nr)) for _ in range(nr)]
        if all(per):
            meds = [statistics.median(p[0][i] for p in per) for i in range(len(cmds))]
            how = per[0][1].replace(", %d runs" % max(1, starts_n // nr),
                                    ", %d rounds of %d runs" % (nr, max(1, starts_n // nr)))
        else:
            meds, how = starts_loop(cmds, starts_n)
        add({"name": "start vmctr advise", "seconds": meds[0],
             "cmd": " ".join(cmds[0]), "how": how}, kind="start")
        add({"name": "start no-op", "seconds": meds[1], "cmd": noop, "how": how},
            kind="start-noop")
        if base:
            add({"name": "start baseline advise", "seconds": meds[2],
                 "cmd": " ".join(cmds[2]), "how": how}, kind="base-start")
        log("start: vmctr %.3f ms, no-op %.3f ms (%s)" % (meds[0] * 1e3, meds[1] * 1e3, how))

    # --- versions of the peers
    mv = res["machine"]
    mv["python"] = cmd_version([pyexe, "-c", "import sys,yaml;print(sys.version.split()[0],"
                                "'PyYAML',yaml.__version__,'CLoader',yaml.__with_libyaml__)"])
    try:
        with open(os.path.join(peers_dir, "node_modules", "json-rules-engine",
                               "package.json")) as fh:
            mv["json-rules-engine"] = json.load(fh)["version"]
    except OSError:
        mv["json-rules-engine"] = "not installed"
    mv["clips"] = "built" if os.access(clips, os.X_OK) else "not built"

    with open(a.out, "w") as fh:
        json.dump(res, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
