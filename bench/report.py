#!/usr/bin/env python3
"""Render bench.py's results as markdown: print the table, write the doc.

    report.py RESULTS.json [--doc docs/performance.md]
"""

import argparse
import json
import os
import sys

# NDJSON's floor was 0.5x until issue 12 added a system's own questions and
# every report's priority sensitivity, and asked that it stay >= 0.6x.
TARGETS = {
    "ndjson": ("throughput >= 0.6x the floor", 0.6),
    "csv": ("throughput >= 0.7x the floor", 0.7),
}


def fmt_t(s):
    if s is None:
        return "n/a"
    if s < 0.1:
        return "%.2f ms" % (s * 1e3)
    return "%.2f s" % s


def fmt_rate(r):
    return "n/a" if r is None else "{:,.0f}".format(r)


def fmt_kb(kb):
    return "n/a" if kb is None else "{:,} KB".format(kb)


def yn(ok):
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def get_run(res, kind, size=None):
    for r in res["runs"]:
        if r.get("kind") == kind and (size is None or r.get("size") == size):
            return r
    return None


def ok_run(r):
    return r is not None and "error" not in r and r.get("seconds") is not None


def quot(a, b, least=False):
    """a's time over b's: their medians, or with least the least time of
    each one's rounds (the estimate least moved by other load on the
    machine). None when either failed, or with least when either kept no
    rounds (the start-up keeps hyperfine's medians only)."""
    if not (ok_run(a) and ok_run(b)):
        return None
    if not least:
        return a["seconds"] / b["seconds"]
    if not (a.get("times") and b.get("times")):
        return None
    return min(a["times"]) / min(b["times"])


def base_ratio(res, kind, n, least=False):
    """The baseline's ratio to the floor (on its own corpus) for kind at n."""
    return quot(get_run(res, "base-floor", n), get_run(res, "base-" + kind, n), least)


# Issue 11: a change of structure keeps every ratio within 5% of the tree it
# started from; measured against the baseline in the same rounds, since the
# ratios themselves move with the machine.
BASELINE_TOLERANCE = 0.05


def build_baseline(res):
    """Rows of the baseline table and its targets: this tree's ratio beside
    the baseline's, measured in the same rounds on the same machine. The
    verdict reads the medians; the last column gives the change from the
    least time of each command's rounds, which other load moves less (on a
    noisy machine the two differ, and the reader should see by how much)."""
    if "baseline" not in res:
        return [], []
    rev = res["baseline"]["rev"]
    tol = "%g%%" % (BASELINE_TOLERANCE * 100)
    rows, targets = [], []

    def row(what, mine_of, theirs_of, higher_is_better=True):
        """mine_of(least), theirs_of(least): the two ratios, or None."""
        mine, theirs = mine_of(False), theirs_of(False)
        if mine is None or theirs is None:
            rows.append([what, "n/a", "n/a", "n/a", "n/a", "n/a"])
            targets.append(["%s within %s of the baseline %s's" % (what, tol, rev), "n/a (error)", "n/a"])
            return

        def change_of(m, t):
            return m / t - 1 if higher_is_better else t / m - 1
        change = change_of(mine, theirs)
        ml, tl = mine_of(True), theirs_of(True)
        least = "%+.1f%%" % (change_of(ml, tl) * 100) if ml is not None and tl is not None else "-"
        met = yn(change >= -BASELINE_TOLERANCE)
        rows.append([what, "%.2fx" % theirs, "%.2fx" % mine, "%+.1f%%" % (change * 100), met, least])
        targets.append(["%s within %s of the baseline %s's" % (what, tol, rev),
                        "%.2fx vs %.2fx (%+.1f%%)" % (mine, theirs, change * 100), met])

    for n in res["sizes"]:
        fl = get_run(res, "floor", n)
        mix = res.get("systems", {}).get(str(n))
        if mix:
            rows.append(["systems (profiles with `components`) in the %s-profile corpora"
                         % "{:,}".format(n), "{:,}".format(mix[1]), "{:,}".format(mix[0]), "", "", ""])
        for kind, label in (("ndjson", "`advise --format ndjson`"),
                            ("csv", "`advise --format csv`"),
                            ("check", "`check --format json`")):
            r = get_run(res, kind, n)
            if get_run(res, "base-" + kind, n) is None:
                continue
            row("%s, %s profiles: ratio to the floor" % (label, "{:,}".format(n)),
                lambda least, fl=fl, r=r: quot(fl, r, least),
                lambda least, kind=kind: base_ratio(res, kind, n, least))
        same = get_run(res, "same-ndjson", n)
        if same is not None:
            bfl = get_run(res, "base-floor", n)
            row("`advise --format ndjson`, %s profiles of the baseline's corpus: ratio to the floor"
                % "{:,}".format(n), lambda least, bfl=bfl, same=same: quot(bfl, same, least),
                lambda least: base_ratio(res, "ndjson", n, least))
        j1, j2, b1, b2 = (get_run(res, k, n) for k in ("j1", "j2", "base-j1", "base-j2"))
        if b1 is not None or b2 is not None:
            row("`-j 2` over `-j 1`, %s profiles" % "{:,}".format(n),
                lambda least, j1=j1, j2=j2: quot(j1, j2, least),
                lambda least, b1=b1, b2=b2: quot(b1, b2, least))
    st, nop, bst = get_run(res, "start"), get_run(res, "start-noop"), get_run(res, "base-start")
    if bst is not None:
        # a start-up is better when smaller: its ratio to the no-op, inverted
        row("`advise small.yaml` over the no-op's start", lambda least: quot(st, nop, least),
            lambda least: quot(bst, nop, least), higher_is_better=False)
    return rows, targets


def build(res):
    runs = res["runs"]
    sizes = res["sizes"]
    big = sizes[-1]

    def get(kind, size=None):
        for r in runs:
            if r.get("kind") == kind and (size is None or r.get("size") == size):
                return r
        return None

    def ok(r):
        return r is not None and "error" not in r and r.get("seconds") is not None

    rows = []   # what, time, per_s, ratio, rss, target, met
    targets = []  # target, measured, met

    def err_row(what, r):
        rows.append([what, "n/a (error)", "", "", "", "", ""])

    for n in sizes:
        fl = get("floor", n)
        fl_rate = fl.get("per_s") if ok(fl) else None
        for kind, label in (("floor", "floor: libyaml event parse"),
                            ("ndjson", "`vmctr advise --format ndjson`"),
                            ("csv", "`vmctr advise --format csv`"),
                            ("check", "`vmctr check --format json`"),
                            ("j1", "`vmctr advise -j 1 --format ndjson`"),
                            ("j2", "`vmctr advise -j 2 --format ndjson`"),
                            ("py", "Python + PyYAML CLoader peer"),
                            ("clips", "CLIPS 6.30 peer (libyaml-fed)"),
                            ("jre", "json-rules-engine %s peer" %
                             res["machine"].get("json-rules-engine", ""))):
            r = get(kind, n)
            if r is None:
                continue
            what = "%s, %s profiles" % (label, "{:,}".format(n))
            if kind == "jre" and r.get("subset"):
                what = "%s, first %s of %s profiles" % (
                    label, "{:,}".format(r["profiles"]), "{:,}".format(n))
            if not ok(r):
                err_row(what, r)
                if kind in TARGETS:
                    targets.append([TARGETS[kind][0] + " (%s)" % "{:,}".format(n),
                                    "n/a (error)", "n/a"])
                continue
            rate = r.get("per_s")
            ratio = rate / fl_rate if (rate and fl_rate) else None
            target, met = "", ""
            if kind in TARGETS:
                target = ">= %.1fx floor" % TARGETS[kind][1]
                m = ratio >= TARGETS[kind][1] if ratio is not None else None
                met = yn(m)
                measured = "n/a" if ratio is None else "%.2fx" % ratio
                b = base_ratio(res, kind, n)
                if b is not None and ratio is not None:
                    measured += " (the baseline here: %.2fx)" % b
                targets.append([TARGETS[kind][0] + " (%s)" % "{:,}".format(n), measured, yn(m)])
            nd = get("ndjson", n)
            if kind in ("jre", "clips") and not ok(nd):
                label_t = {"jre": ("vmctr >= 20x faster", "json-rules-engine"),
                           "clips": ("vmctr >= 5x faster", "CLIPS")}[kind]
                target, met = label_t[0], "n/a"
                targets.append(["%s than %s (%s)" % (label_t[0], label_t[1],
                                                     "{:,}".format(n)),
                                "n/a (vmctr error)", "n/a"])
            if kind in ("jre", "clips", "py") and ok(nd) and rate:
                speed = nd["per_s"] / rate
                if kind == "jre":
                    target, met = "vmctr >= 20x faster", yn(speed >= 20)
                    targets.append(["vmctr >= 20x faster than json-rules-engine (%s)"
                                    % "{:,}".format(n), "%.1fx" % speed, met])
                elif kind == "clips":
                    target, met = "vmctr >= 5x faster", yn(speed >= 5)
                    targets.append(["vmctr >= 5x faster than CLIPS (%s)"
                                    % "{:,}".format(n), "%.1fx" % speed, met])
                else:
                    target = "(vmctr is %.1fx faster)" % speed
                if kind != "py":
                    target += " (vmctr: %.1fx)" % speed
            if kind == "j2":
                j1 = get("j1", n)
                if ok(j1):
                    sp = j1["seconds"] / r["seconds"]
                    target, met = ">= 1.7x `-j 1`: %.2fx" % sp, yn(sp >= 1.7)
                    targets.append(["`-j 2` >= 1.7x the throughput of `-j 1` (%s)"
                                    % "{:,}".format(n), "%.2fx" % sp, met])
            rows.append([what, fmt_t(r["seconds"]), fmt_rate(rate),
                         "n/a" if ratio is None else "%.2fx" % ratio,
                         fmt_kb(r.get("peak_rss_kb")), target, met])
        if n == big:
            j2 = get("j2", n)
            if j2 is not None and not ok(j2) or (get("j1", n) is not None and not ok(get("j1", n))):
                targets.append(["`-j 2` >= 1.7x the throughput of `-j 1`", "n/a (error)", "n/a"])

    # process start
    st, nop = get("start"), get("start-noop")
    if st is not None:
        if ok(st) and ok(nop):
            ratio = st["seconds"] / nop["seconds"]
            rows.append(["`vmctr advise small.yaml` (one process)", fmt_t(st["seconds"]),
                         "", "%.2fx no-op" % ratio, "", "<= 2x no-op", yn(ratio <= 2)])
            rows.append(["no-op C program linked to libyaml + libcjson",
                         fmt_t(nop["seconds"]), "", "1.00x no-op", "", "", ""])
            targets.append(["single `vmctr advise` <= 2x the no-op program's wall time",
                            "%.2fx (%s vs %s, %s)" % (ratio, fmt_t(st["seconds"]),
                                                     fmt_t(nop["seconds"]), st.get("how")),
                            yn(ratio <= 2)])
        else:
            err_row("`vmctr advise small.yaml` (one process)", st)
            targets.append(["single `vmctr advise` <= 2x the no-op program's wall time",
                            "n/a (error)", "n/a"])

    # inventory import: throughput against the libzip + expat floor, and
    # the estate pipeline under 2 s
    xf, im, ip = get("xlsx-floor"), get("import"), get("import-portfolio")
    if xf is not None:
        vms = "{:,}".format(xf.get("profiles", 0))
        rows.append(["floor: libzip + expat read of a %s-VM RVTools .xlsx" % vms, fmt_t(xf.get("seconds")),
                     "", "1.00x", fmt_kb(xf.get("peak_rss_kb")), "", ""])
        if ok(xf) and ok(im):
            ratio = xf["seconds"] / im["seconds"]
            rows.append(["`vmctr import rvtools`, %s VMs" % vms, fmt_t(im["seconds"]), fmt_rate(im.get("per_s")),
                         "%.2fx" % ratio, fmt_kb(im.get("peak_rss_kb")), "", ""])
        if ok(ip):
            met = yn(ip["seconds"] < 2)
            rows.append(["`vmctr import rvtools | vmctr portfolio -`, %s VMs" % vms, fmt_t(ip["seconds"]),
                         fmt_rate(ip.get("per_s")),
                         "%.2fx" % (xf["seconds"] / ip["seconds"]) if ok(xf) else "n/a",
                         fmt_kb(ip.get("peak_rss_kb")), "< 2 s", met])
            targets.append(["`vmctr import rvtools` of %s VMs piped to `portfolio` under 2 s" % vms,
                            fmt_t(ip["seconds"]), met])
        else:
            targets.append(["`vmctr import rvtools` piped to `portfolio` under 2 s", "n/a (error)", "n/a"])

    # repository scan: against listing the files with git, and under 3 s
    sf, sc = get("scan-floor"), get("scan")
    if sf is not None:
        nf = "{:,}".format(sf.get("profiles", 0))
        rows.append(["floor: `git ls-files` of a %s-file tree" % nf, fmt_t(sf.get("seconds")), "", "1.00x",
                     fmt_kb(sf.get("peak_rss_kb")), "", ""])
        if ok(sc):
            met = yn(sc["seconds"] < 3)
            rows.append(["`vmctr scan`, %s files" % nf, fmt_t(sc["seconds"]), fmt_rate(sc.get("per_s")),
                         "%.2fx" % (sf["seconds"] / sc["seconds"]) if ok(sf) else "n/a",
                         fmt_kb(sc.get("peak_rss_kb")), "< 3 s", met])
            targets.append(["`vmctr scan` of a %s-file tree under 3 s" % nf, fmt_t(sc["seconds"]), met])
        else:
            targets.append(["`vmctr scan` of a 50,000-file tree under 3 s", "n/a (error)", "n/a"])

    # memory
    small_n = 1000 if 1000 in sizes else sizes[0]
    m1, m2 = get("ndjson", small_n), get("ndjson", big)
    if small_n != big:
        if ok(m1) and ok(m2):
            d = m2["peak_rss_kb"] - m1["peak_rss_kb"]
            targets.append(["peak memory at {:,} within 1 MB of the {:,} run".format(big, small_n),
                            "%s vs %s (%+d KB)" % (fmt_kb(m2["peak_rss_kb"]),
                                                   fmt_kb(m1["peak_rss_kb"]), d),
                            yn(d <= 1024)])
        else:
            targets.append(["peak memory at {:,} within 1 MB of the {:,} run".format(big, small_n),
                            "n/a (error)", "n/a"])
    return rows, targets


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def render(res):
    rows, targets = build(res)
    brows, btargets = build_baseline(res)
    t1 = table(["what", "time (median)", "profiles/s", "ratio vs floor",
                "peak RSS", "target", "met?"], rows)
    t2 = table(["target", "measured", "met?"], targets + btargets)
    t3 = table(["measure", "baseline %s" % res["baseline"]["rev"], "this tree", "change",
                "within %g%%?" % (BASELINE_TOLERANCE * 100), "change, least of rounds"],
               brows) if brows else ""
    return t1, t2, t3


def notes_of(res):
    notes = list(res.get("notes", []))
    jre = [r for r in res["runs"] if r.get("kind") == "jre" and r.get("subset")]
    if jre:
        notes.append("json-rules-engine ran on the first {:,} profiles of each larger "
                     "corpus (the same profiles: the generator is sequential) and is "
                     "compared per profile.".format(res["jre_max"]))
    errs = [r for r in res["runs"] if "error" in r]
    for r in errs:
        notes.append("%s failed (%s): `%s`" % (r["name"], r["error"], r.get("cmd", "")))
    return notes


def baseline_text(res, t3, has_steps=False):
    if not t3:
        return []
    b = res["baseline"]
    return [
        "## Against the baseline on this machine",
        "",
        "The baseline is %s (`%s`: the revision in bench/baseline, or `BENCH_BASELINE`), "
        "built from `git archive` with this build's compiler and timed in the same rounds "
        "as this tree, each on the corpus its own `bench/gen_corpus.py` writes, against the "
        "floor on that corpus. A ratio to the floor is a property of the machine as much as "
        "of vmctr: a CPU that runs libyaml's scanner faster than vmctr's own code lowers "
        "every ratio (bench/profiling.md item 23), so a change's cost is read here, beside "
        "the baseline, rather than against a ratio measured elsewhere. \"Change\" is this "
        "tree's ratio over the baseline's (for the start, the baseline's ratio to the no-op "
        "over this tree's). The rows on the baseline's corpus run this tree on the very "
        "bytes the baseline ran on: there the difference is the code's alone, while the two "
        "generators' corpora may differ in mix (the systems rows; a system costs vmctr "
        "about three times a single profile). Rows that divide two floors timed apart "
        "carry a few percent of the machine's drift; the last column reads the same "
        "change from the least time of each command's rounds instead of the median (the "
        "verdict keeps the median; - where no rounds were kept): where the two disagree by "
        "much, the machine was noisy. "
        "Everything merged since the baseline "
        "is in the change, features that add work as well as changes of structure that "
        "should not%s" % (b["rev"], b.get("version", "?"),
                          ": the section \"What each step cost\" (bench/steps) times the trees "
                          "in between and says which change moved it." if has_steps else
                          " (`BENCH_STEPS`, on by default, times the trees in between)."),
        "",
        t3,
        "",
    ]


def doc(res, t1, t2, t3="", steps=""):
    m = res["machine"]
    notes = notes_of(res)
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (bench/run.sh, bench/bench.py, bench/report.py) "
        "on %s. Do not edit by hand: run it again." % m.get("date", "?"),
        "",
        "## How to reproduce",
        "",
        "```sh",
        "make bench        # release build, then bench/run.sh build/release",
        "```",
        "",
        "`BENCH_ROUNDS` (default 3), `BENCH_SIZES` (default `1000 100000`), "
        "`BENCH_JRE_MAX` (default 10000), `BENCH_PEER_MAX` (default 100000), "
        "`BENCH_BASELINE` (a git revision timed beside this tree, default the one in "
        "`bench/baseline`; empty for none), `BENCH_STEPS` (the trees of \"What each step "
        "cost\", default `bench/steps`; empty for none) and `BENCH_STEP_ROUNDS` (default 60) "
        "change the run; `BENCH_SIZES=1000 BENCH_ROUNDS=1 BENCH_STEPS= make bench` is a quick "
        "check (the first run with the steps builds each of their trees once, about a minute "
        "each). Each time is the median of at least %d round(s) (at least 5 for the floor and "
        "vmctr), wall clock around the "
        "whole process (runs shorter than 2 s in all are repeated up to 31 times; the floor "
        "and vmctr's commands are timed in turn, round after round, so that a change in the "
        "machine's speed affects them alike); peak RSS is the largest of them (GNU time's %%M)." % res["rounds"],
        "",
        "## Machine",
        "",
        "| | |", "|---|---|",
        "| CPUs (`nproc`) | %s |" % m.get("nproc"),
        "| CPU | %s |" % m.get("cpu"),
        "| memory | %s |" % m.get("memory"),
        "| kernel | %s |" % m.get("kernel"),
        "| compiler | %s |" % m.get("compiler"),
        "| libyaml | %s |" % m.get("libyaml"),
        "| libcjson | %s |" % m.get("libcjson"),
        "| vmctr | %s |" % m.get("vmctr"),
        "| Python peer | %s |" % m.get("python"),
        "| Node.js / json-rules-engine | %s / %s |" % (m.get("node"), m.get("json-rules-engine")),
        "| CLIPS peer | %s |" % m.get("clips"),
        "| rules in the catalogue | %s |" % res.get("rules", "?"),
        "",
        "## Results",
        "",
        t1,
        "",
        "## Targets",
        "",
        t2,
        "",
    ] + baseline_text(res, t3, bool(steps)) + ([steps.rstrip("\n"), ""] if steps else []) + [
        "## What is measured",
        "",
        "- **Corpus**: `bench/gen_corpus.py --count N --seed 1`, one multi-document "
        "YAML stream of valid profiles of about 1.4 KB each, every section used, "
        "about 20% with 2-3 `components`, 20% with `priorities`, 30% with a "
        "`decision`, a few fields left out so reports have `unknowns`.",
        "- **Floor**: `bench-floor` (bench/floor.c) parses the same stream with "
        "libyaml's event API and counts documents, nothing else. Ratios are "
        "profiles/s divided by the floor's at the same size.",
        "- **vmctr**: `vmctr advise --format ndjson` (full reports: rationale, "
        "unknowns, counterfactuals) and `--format csv`, stdout to /dev/null; "
        "`vmctr check --format json` (exit 1 = a proposal fails, not an error).",
        "- **Process start**: `vmctr advise small.yaml` against `bench-noop` "
        "(bench/noop.c: links libyaml and libcjson, does nothing).",
        "- **Peers** run the same catalogue, translated from `rules/` by "
        "`bench/peers/rules_to_json.py`: a plain Python + PyYAML (CLoader) "
        "script with a recursive rule interpreter and `json.dumps` "
        "(`bench/peers/py_peer.py`), json-rules-engine on Node.js with js-yaml "
        "(`bench/peers/jre_peer.js`, installed by npm in bench/peers only, never "
        "a runtime dependency) and, when built, CLIPS 6.30 as a library fed by "
        "libyaml events (`bench/peers/clips_peer.c`). They parse, evaluate every "
        "rule, pick a paradigm and platform (components too) and print one JSON "
        "report per profile with the fired rules, blockers and unknowns; they "
        "do no validation and no counterfactuals, i.e. less work than vmctr.",
        "",
    ]
    if notes:
        lines += ["## Notes", ""] + ["- " + n for n in notes] + [""]
    prof = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiling.md")
    if os.path.exists(prof):
        with open(prof) as fh:
            lines += [fh.read().rstrip("\n"), ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--doc")
    ap.add_argument("--steps", help="the section 'What each step cost' (bench/compare.py --section)")
    a = ap.parse_args()
    steps = ""
    if a.steps:
        with open(a.steps, encoding="utf-8") as fh:
            steps = fh.read()
    with open(a.results) as fh:
        res = json.load(fh)
    t1, t2, t3 = render(res)
    print(t1)
    print()
    print(t2)
    if t3:
        print()
        print(t3)
    for n in notes_of(res):
        print("- " + n)
    if a.doc:
        with open(a.doc, "w") as fh:
            fh.write(doc(res, t1, t2, t3, steps))
        sys.stderr.write("bench: wrote %s\n" % a.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
