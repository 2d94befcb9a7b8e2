#!/usr/bin/env python3
"""Tests of `vmctr import rvtools` against generated inventories.

    tests/import/check.py BIN

Generates the fixtures (tests/import/gen.py) into a temporary directory and
checks, for every variant (RVTools 4.7 CSV, older headers, camelCase
headers, semicolon/Latin-1 CSV, UTF-16LE/BE CSV with a BOM, .xlsx):
  - exit 0, byte-identical output on a second run, and the stream accepted
    by `validate`, `advise`, `check` and `portfolio` as is;
  - one profile per kept VM, in input order; templates and SRM placeholders
    skipped and counted; names unique DNS labels;
  - every field the generator knows the answer to (os, availability,
    passthrough, power state label) is what it should be, and nothing else
    is filled (unknown stays absent);
  - every provenance comment is true: the cell at that tab, line/row and
    column holds that raw value;
  - no raw control or bidirectional-override character reaches the output;
  - --group-by: one profile per group, components <= 64, a split warned;
  - hostile inputs: exit 3 and a file:line:col position naming the reason
    (zip bombs, entity expansion, traversal, a directory lying about an
    entry's size either way, huge cells, too many rows/columns/entries);
  - VM_LIMIT_INV_FILE_BYTES at the boundary (sparse files, and a pipe).
Prints one line per failure and "N passed, N failed"; exits 1 on failure.
Needs python3 and PyYAML (scripts/deps.sh test).
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import gen  # noqa: E402
import testlib  # noqa: E402

BIN = testlib.binary()
T = testlib.Tally()
ok = T.ok


def run(args, stdin=None):
    return testlib.run(BIN, args, stdin)


def yaml_str(q):
    """A double-quoted scalar as written by vmctr, decoded."""
    return yaml.safe_load(q)


PROV = re.compile(r'^\s*(?:- )?[a-z_]+: .*?  # (\w+) (line|row) (\d+), ("(?:[^"\\]|\\.)*")(?:: ("(?:[^"\\]|\\.)*"))?')


def csv_records(path, delim, encoding):
    """{start line: {header: value}} of a CSV file."""
    data = open(path, "rb").read().decode(encoding)
    if data.startswith("\ufeff"):
        data = data[1:]
    out = {}
    lines = data.split("\n")
    # csv.reader over line pieces, tracking where each record starts
    it = iter(enumerate(lines, start=1))
    header = None
    buf, start = "", None
    for no, line in it:
        if start is None:
            start = no
        buf += line + "\n"
        try:
            rows = list(csv.reader(io.StringIO(buf), delimiter=delim))
        except csv.Error:
            continue
        if buf.count('"') % 2:
            continue
        if rows:
            row = rows[0]
            if header is None:
                header = row
            else:
                out[start] = dict(zip(header, row))
        buf, start = "", None
    return out


def check_provenance(name, out, tables):
    bad = 0
    n = 0
    for line in out.decode("utf-8").split("\n"):
        m = PROV.match(line)
        if not m:
            continue
        tab, _unit, no, col, raw = m.group(1), m.group(2), int(m.group(3)), yaml_str(m.group(4)), m.group(5)
        if raw is None:
            continue
        raw = yaml_str(raw)
        n += 1
        rec = tables.get(tab, {}).get(no)
        if rec is None or rec.get(col, "").strip() != raw.strip():
            bad += 1
            if bad < 4:
                print("  %s: %s %d %r: %r, file has %r" % (name, tab, no, col, raw, rec and rec.get(col)))
    ok(n > 50 and bad == 0, "%s: %d provenance comments checked, %d false" % (name, n, bad))


def xlsx_tables(rows):
    usb, net, disk = gen.device_tables(rows)
    out = {}
    for tab, table in (("vInfo", gen.vinfo_table(rows, "rv47")), ("vUSB", usb), ("vNetwork", net),
                       ("vDisk", disk)):
        header = table[0]
        out[tab] = {i: dict(zip(header, r)) for i, r in enumerate(table[1:], start=2)}
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="vmctr-import.")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), tmp], check=True)
        exp = json.load(open(os.path.join(tmp, "expect.json")))
        vms = exp["vms"]
        kept = [v for v in vms if not v["skip"]]
        rows = gen.vm_rows(len(vms))
        variants = [("rv47", ",", "utf-8"), ("rv3x", ",", "utf-8"), ("camel", ",", "utf-8"),
                    ("euro", ";", "latin-1"), ("utf16le", "\t", "utf-16-le"), ("utf16be", ",", "utf-16-be"),
                    ("rv47.xlsx", None, None)]
        for v, delim, enc in variants:
            path = os.path.join(tmp, v)
            rc, out, err = run(["import", "rvtools", path])
            ok(rc == 0, "%s: exit %d: %s" % (v, rc, err[-300:]))
            rc2, out2, _ = run(["import", "rvtools", path])
            ok(out == out2, "%s: output differs between two runs" % v)
            m = re.search(rb"(\d+) VMs -> (\d+) profiles \((\d+) powered off, labelled\); skipped (\d+) templates, "
                          rb"(\d+) SRM", err)
            ok(m and [int(x) for x in m.groups()] ==
               [len(kept), len(kept), sum(1 for k in kept if k["power"] == "poweredOff"),
                sum(1 for k in vms if k["template"]), sum(1 for k in vms if k["srm"])],
               "%s: summary %r" % (v, m and m.group(0)))
            for cmd in (["validate", "-"], ["advise", "-"], ["check", "-"], ["portfolio", "-"]):
                rc, o, e = run(cmd, out)
                ok(rc in ((0, 1) if cmd[0] == "check" else (0,)), "%s: %s exit %d: %s" % (v, cmd[0], rc, e[-300:]))
            text = out.decode("utf-8")
            ok(not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text),
               "%s: a raw control or bidi character in the output" % v)
            docs = list(yaml.safe_load_all(out))
            ok(len(docs) == len(kept), "%s: %d profiles for %d kept VMs" % (v, len(docs), len(kept)))
            names = [d["metadata"]["name"] for d in docs]
            ok(len(set(names)) == len(names), "%s: names not unique" % v)
            ok(all(re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", n) for n in names),
               "%s: a name is not a DNS label" % v)
            wrong = []
            for d, k in zip(docs, kept):
                spec = d["spec"]
                lab = d["metadata"].get("labels", {})
                got_os = spec.get("workload", {}).get("os")
                got_av = spec.get("operations", {}).get("availability")
                got_hw = spec.get("workload", {}).get("hardware_access")
                want_hw = "passthrough" if k["hw"] else None
                if got_os != k["os"] or got_av != k["availability"] or got_hw != want_hw:
                    wrong.append((k["name"], got_os, k["os"], got_av, k["availability"], got_hw, want_hw))
                if (lab.get("rvtools/powerstate") is not None) != (k["power"] != "poweredOn"):
                    wrong.append((k["name"], "powerstate", lab.get("rvtools/powerstate")))
                # profiles refuse C0 controls and DEL: the label carries U+FFFD
                want_label = re.sub("[\x00-\x08\x0b-\x1f\x7f]", "\ufffd", k["name"].strip())
                if enc in ("utf-8", "utf-16-le", "utf-16-be") and lab.get("rvtools/vm") != want_label:
                    wrong.append((k["name"], "label", lab.get("rvtools/vm")))
                if spec.get("strategy") != {"current_platform": "vmware-esxi"} or \
                        spec.get("economics") != {"licenses": ["vmware"]}:
                    wrong.append((k["name"], "platform/licences"))
                if set(spec) - {"workload", "economics", "strategy", "operations"} or \
                        set(spec.get("workload", {})) - {"os", "hardware_access"} or \
                        set(spec.get("operations", {})) - {"availability"}:
                    wrong.append((k["name"], "filled beyond the evidence", sorted(spec)))
                if v != "rv3x" and k["app"] and lab.get("Application") != k["app"]:
                    wrong.append((k["name"], "custom attribute", lab.get("Application")))
            ok(not wrong, "%s: %d VMs mapped wrong, e.g. %r" % (v, len(wrong), wrong[:3]))
            if v.endswith(".xlsx"):
                tables = xlsx_tables(rows)
            else:
                tables = {}
                for tab in ("vInfo", "vUSB", "vNetwork", "vDisk"):
                    tables[tab] = csv_records(os.path.join(path, "RVTools_tab%s.csv" % tab), delim, enc)
            check_provenance(v, out, tables)

            # --group-by
            rc, gout, gerr = run(["import", "rvtools", "-q", "--group-by", "Application", path])
            ok(rc == 0, "%s: --group-by exit %d" % (v, rc))
            rc, _, e = run(["validate", "-"], gout)
            ok(rc == 0, "%s: --group-by output invalid: %s" % (v, e[-300:]))
            gdocs = list(yaml.safe_load_all(gout))
            comps = [len(d["spec"].get("components", [])) for d in gdocs]
            ok(max(comps) <= 64, "%s: a profile with %d components" % (v, max(comps)))
            if v != "rv3x":
                with_app = sum(1 for k in kept if k["app"])
                ok(sum(comps) == with_app, "%s: %d components for %d VMs with the label" % (v, sum(comps), with_app))
                ok(b'group "bigapp" has 66 VMs: split into 2 profiles' in gerr, "%s: no split warning" % v)
                ok(sum(1 for d in gdocs if "components" not in d["spec"]) == len(kept) - with_app,
                   "%s: VMs without the label are not profiles of their own" % v)
            rc, fout, _ = run(["import", "rvtools", "-q", "--group-by", "folder", path])
            ok(rc == 0 and run(["portfolio", "-"], fout)[0] == 0, "%s: --group-by folder" % v)

        # other inventories through column maps (Azure Migrate built in; the shipped maps)
        maps = os.path.join(HERE, "..", "..", "examples", "maps")
        for m in exp["mapped"]:
            path = os.path.join(tmp, m["file"])
            args = ["import", "azure-migrate", path] if m["map"] is None else \
                ["import", "csv", "--map", os.path.join(maps, m["map"]), path]
            rc, out, err = run(args)
            ok(rc == 0, "%s: exit %d: %s" % (m["file"], rc, err[-300:]))
            for cmd in (["validate", "-"], ["advise", "-"], ["portfolio", "-"]):
                rc, _, e = run(cmd, out)
                ok(rc == 0, "%s: %s exit %d: %s" % (m["file"], cmd[0], rc, e[-300:]))
            docs = list(yaml.safe_load_all(out))
            named = [(n, o, p) for n, o, p in zip(m["names"], m["os"], m["platform"]) if n]
            ok(len(docs) == len(named), "%s: %d profiles for %d named rows" % (m["file"], len(docs), len(named)))
            wrong = []
            for d, (n, o, p) in zip(docs, named):
                spec = d.get("spec") or {}
                got = (spec.get("workload", {}).get("os"), spec.get("strategy", {}).get("current_platform"))
                if got != (o, p):
                    wrong.append((n, got, (o, p)))
                if set(spec) - {"workload", "strategy"} or set(spec.get("workload", {})) - {"os"}:
                    wrong.append((n, "filled beyond the map", sorted(spec)))
            ok(not wrong, "%s: %r" % (m["file"], wrong[:3]))
            ok(out == run(args)[1], "%s: output differs between two runs" % m["file"])
        # the same Azure Migrate CSV saved as UTF-16LE (BOM) gives the same profiles
        az = next(m["file"] for m in exp["mapped"] if m["map"] is None)
        u16 = os.path.join(tmp, "u16")
        os.makedirs(u16)
        text = open(os.path.join(tmp, az), "rb").read().decode("utf-8-sig")
        with open(os.path.join(u16, az), "wb") as f:
            f.write("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
        rc, o8, _ = run(["import", "azure-migrate", "-q", os.path.join(tmp, az)])
        rc16, o16, e16 = run(["import", "azure-migrate", "-q", os.path.join(u16, az)])
        ok(rc == 0 and rc16 == 0 and o16.replace(b"/u16/", b"/") == o8,
           "azure-migrate: UTF-16LE gives other profiles than UTF-8: %d %r" % (rc16, e16[:200]))
        snow = os.path.join(tmp, "servicenow.csv")
        rc, out, _ = run(["import", "csv", "-q", "--map", os.path.join(maps, "servicenow-cmdb.yaml"), snow])
        d0 = next(yaml.safe_load_all(out))
        ok(d0["metadata"].get("owner") == "Payments Ops" and d0["metadata"].get("description") ==
           "Ledger server\nsecond line", "servicenow: owner from support_group when owned_by is empty, description")
        rc, out, err = run(["import", "csv", "-q", "--group-by", "application", "--map",
                            os.path.join(maps, "aws-ads.yaml"), os.path.join(tmp, "aws.csv")])
        ok(rc == 0 and b"components:" in out and run(["validate", "-"], out)[0] == 0, "aws: --group-by application")
        # bad maps: exit 3 with positions; defaults refused
        bad = os.path.join(tmp, "bad-map.yaml")
        for text, why in (("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: os, field: workload.os, default: linux}\n", "defaults are forbidden"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: os, field: workload.os, values: {'*': linx}}\n", "'linx' is not one of"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: os, field: workload.os}\n", "give 'values'"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: os, field: workload.os, values: }\n", "give 'values'"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: os, field: workload.os, values: {}}\n", "give 'values'"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolumns:\n"
                           "  - {header: x, field: decision.paradigm, values: {'*': vm}}\n", "not inventory evidence"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\ncolumns: []\n", "missing required key 'name'"),
                          ("apiVersion: vmctr/v1\nkind: InventoryMap\nname: n\ncolums: []\n", "did you mean")):
            with open(bad, "w") as f:
                f.write(text)
            rc, out, err = run(["import", "csv", "--map", bad, snow])
            first = err.decode("utf-8", "replace").split("\n")[0]
            ok(rc == 3 and re.match(re.escape(bad) + r":\d+:\d+: error: ", first) and why in first and not out,
               "bad map (%s): exit %d, %r" % (why, rc, first))
        rc, _, err = run(["import", "csv", snow])
        ok(rc == 2 and b"--map" in err, "csv without --map is a usage error")

        # hostile inputs
        for f, why in sorted(exp["hostile"].items()):
            p = os.path.join(tmp, "hostile", f)
            rc, out, err = run(["import", "rvtools", p])
            first = err.decode("utf-8", "replace").split("\n")[0]
            ok(rc == 3 and re.match(re.escape(p) + r":\d+:\d+: error: ", first) and why in first and not out,
               "hostile %s: exit %d, %r (want exit 3, a position and %r)" % (f, rc, first, why))

        for f, pos in (("utf16-lone.csv", ":2:4: "), ("utf16-high.csv", ":2:7: ")):
            p = os.path.join(tmp, "hostile", f)
            err = run(["import", "rvtools", p])[2]
            ok(err.startswith((p + pos).encode()), "%s: position %r, want %r" % (f, err[:120], pos))

        # VM_LIMIT_INV_FILE_BYTES (256 MiB), at the boundary, with sparse files:
        # one byte over is refused by its size, and through a pipe after
        # reading one byte past the limit; exactly the limit is read (and
        # then refused for its first cell of NUL bytes, not for its size)
        lim = 256 << 20
        big = os.path.join(tmp, "big.csv")
        with open(big, "wb") as f:
            f.truncate(lim + 1)
        rc, out, err = run(["import", "rvtools", big])
        ok(rc == 3 and b"larger than 256 MiB (VM_LIMIT_INV_FILE_BYTES)" in err and not out,
           "a file of 256 MiB + 1 byte: exit %d, %r" % (rc, err[:200]))
        cat = subprocess.Popen(["cat", big], stdout=subprocess.PIPE)
        p = subprocess.run([BIN, "import", "rvtools", "-"], stdin=cat.stdout, capture_output=True,
                           env=dict(os.environ, NO_COLOR="1", LC_ALL="C"))
        cat.stdout.close()
        cat.wait()
        ok(p.returncode == 3 and b"larger than 256 MiB" in p.stderr and not p.stdout,
           "256 MiB + 1 byte through a pipe: exit %d, %r" % (p.returncode, p.stderr[:200]))
        os.truncate(big, lim)
        rc, out, err = run(["import", "rvtools", big])
        ok(rc == 3 and b"larger than" not in err and b"cell of more than" in err,
           "a file of exactly 256 MiB is read: exit %d, %r" % (rc, err[:200]))
        os.unlink(big)

        # usage and I/O errors
        ok(run(["import"])[0] == 2, "import without a source is a usage error")
        ok(run(["import", "vmware"])[0] == 2, "an unknown source is a usage error")
        ok(run(["import", "rvtools"])[0] == 2, "rvtools without PATH is a usage error")
        ok(run(["import", "rvtools", os.path.join(tmp, "nonexistent.xlsx")])[0] == 5, "a missing file is exit 5")
        ok(run(["import", "rvtools", os.path.join(tmp, "rv47", "RVTools_tabvUSB.csv")])[0] == 2,
           "a device tab alone is a usage error")
        ok(run(["import", "rvtools", os.path.join(tmp, "hostile")])[0] == 3, "a directory without vInfo is exit 3")
        rc, out, err = run(["import", "rvtools", "-q", "-"], open(os.path.join(tmp, "rv47", "RVTools_tabvInfo.csv"),
                                                                    "rb").read())
        ok(rc == 0 and out.count(b"\n---\n") + 1 == len(kept), "stdin is read as a vInfo CSV")
        o = os.path.join(tmp, "out.yaml")
        rc, out, _ = run(["import", "rvtools", "-q", "-o", o, os.path.join(tmp, "rv47.xlsx")])
        ok(rc == 0 and not out and os.path.getsize(o) > 0, "-o writes the file")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
