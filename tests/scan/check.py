#!/usr/bin/env python3
"""Tests of `vmctr scan` (and `vmctr check --evidence`) on a generated
repository (tests/scan/gen.py).

    tests/scan/check.py BIN

Checks: every signal of the fixture is found with the right value and the
right PATH:LINE; every evidence comment is true (that line of that file
holds that text); hints are comments, never fills; untracked files are
ignored in a git work tree and seen by the directory walk; symbolic links
are not followed; binary files and bytes past VM_LIMIT_SCAN_READ are not
read; hostile file names are neutralised; the output is deterministic and
accepted by validate/advise; --base keeps every value a person wrote,
warns where the evidence disagrees and adds the rest, with CR LF line ends
when the base has them, never inside a multi-line string and never
changing a value (else as comments), empty documents after it kept; VM_LIMIT_SCAN_FILES
at the boundary (a synthetic git index of 1,000,000 and 1,000,001
entries, about 5 s). Prints "N passed, N
failed"; exits 1 on failure, 77 when git is missing (skipped).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import testlib  # noqa: E402

BIN = testlib.binary()
T = testlib.Tally()
ok = T.ok


def run(args, stdin=None, cwd=None):
    return testlib.run(BIN, args, stdin, cwd)


def unescape(s):
    """Text of a comment as vmctr escapes it (YAML double-quoted escapes)."""
    return yaml.safe_load('"' + s.replace('"', '\\"') + '"')


EVID = re.compile(r"^\s*(?:# (?:hint|also seen): )?([a-z_]+): ([a-z0-9-]+)  # evidence: (.*):(\d+): (.*)$")


def evidence(out):
    got = []
    for line in out.decode("utf-8").split("\n"):
        m = EVID.match(line)
        if m:
            got.append((m.group(1), m.group(2), unescape(m.group(3)), int(m.group(4)), unescape(m.group(5)),
                        line.lstrip().startswith("#")))
    return got


def leaves(d, pre=""):
    out = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(leaves(v, pre + "." + str(k) if pre else str(k)))
    else:
        out[pre] = d
    return out


def main():
    if not shutil.which("git"):
        testlib.skip_all("git is not installed")
    tmp = tempfile.mkdtemp(prefix="vmctr-scan.")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), tmp], check=True)
        exp = json.load(open(os.path.join(tmp, "expect.json")))
        root = exp["root"]
        rc, out, err = run(["scan", root])
        ok(rc == 0, "scan exit %d: %s" % (rc, err[-300:]))
        ok(b"tracked by git" in err, "git mode not used: %r" % err)
        ok(out == run(["scan", root])[1], "output differs between two runs")
        text = out.decode("utf-8")
        ok(not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text),
           "a raw control or bidi character in the output")
        for cmd in (["validate", "-"], ["advise", "-"]):
            rc, _, e = run(cmd, out)
            ok(rc == 0, "%s exit %d: %s" % (cmd[0], rc, e[-300:]))
        doc = yaml.safe_load(out)
        spec = doc["spec"]
        got = evidence(out)
        byfield = {(f, c): (v, p, ln, t) for f, v, p, ln, t, c in got}
        for path, (value, epath, eline) in exp["expect"].items():
            sec, key = path.split(".")
            have = spec.get(sec, {}).get(key)
            ok(str(have).lower() == value, "%s: %r, want %r" % (path, have, value))
            e = byfield.get((key, False))
            ok(e is not None and e[1] == epath and e[2] == eline,
               "%s: evidence %r, want %s:%d" % (path, e and e[1:3], epath, eline))
        for path, (value, epath, eline) in exp["hints"].items():
            sec, key = path.split(".")
            ok(key not in spec.get(sec, {}), "%s: a hint filled the field" % path)
            e = byfield.get((key, True))
            ok(e is not None and e[0] == value and e[1] == epath and e[2] == eline, "%s: hint %r" % (path, e))
        # every evidence comment is true
        bad = []
        for f, v, p, ln, t, _ in got:
            try:
                lines = open(os.path.join(root, p), "rb").read().decode("utf-8").split("\n")
                if lines[ln - 1].strip()[:200] != t:
                    bad.append((p, ln, t, lines[ln - 1]))
            except (OSError, IndexError) as e:
                bad.append((p, ln, t, str(e)))
        ok(len(got) >= 10 and not bad, "%d evidence comments, false: %r" % (len(got), bad[:3]))
        ok("untracked" not in text, "git mode saw an untracked file")
        ok("evil.ko" not in text, "a symbolic link was followed")
        ok("past_the_limit" not in text, "read past VM_LIMIT_SCAN_READ")
        ok("blob.bin" not in text, "a binary file was read for content")

        # the same tree without git: walked, untracked files seen
        walked = os.path.join(tmp, "walked")
        shutil.copytree(root, walked, symlinks=True, ignore=shutil.ignore_patterns(".git", "fifo.sh"))
        rc, wout, werr = run(["scan", "--name", "Walked Repo", walked])
        ok(rc == 0 and b"walked" in werr, "walk mode: exit %d, %r" % (rc, werr))
        ok(b"name: walked-repo" in wout, "--name made a DNS label")
        ok(b"untracked/Containerfile" in wout or b"untracked/kmod.ko" in wout, "walk mode did not see every file")
        ok(b"evil.ko" not in wout, "walk mode followed a symbolic link")

        # --base: keep what a person wrote
        base = os.path.join(tmp, "base.yaml")
        with open(base, "w") as f:
            f.write("# my profile\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: shop\n"
                    "  description: mine\nspec:\n  workload:\n    packaging: installer   # I know\n"
                    "    lifecycle: legacy\n  team:\n    linux: basic\n  priorities:\n    team: 4\n# end\n")
        rc, mout, merr = run(["scan", "-q", "--base", base, root])
        ok(rc == 0, "--base exit %d: %s" % (rc, merr[-300:]))
        ok(run(["validate", "-"], mout)[0] == 0, "--base output invalid:\n" + mout.decode())
        b, m = leaves(yaml.safe_load(open(base))), leaves(yaml.safe_load(mout))
        ok(all(m.get(k) == v for k, v in b.items()), "--base changed a value the person wrote")
        ok(m.get("spec.team.iac") == "partial" and m.get("spec.workload.os") == "windows",
           "--base did not add the evidence")
        ok(re.search(rb"base\.yaml:9:16: warning: spec\.workload\.packaging: the profile says 'installer' but the "
                     rb"repository shows 'container-image'", merr), "--base: no contradiction warning: %r" % merr)
        ok(b"# my profile" in mout and b"# I know" in mout and b"# end" in mout, "--base lost a comment")
        for text_, what in (("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\n", "no spec"),
                            ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\n"
                             "spec: {workload: {os: linux}}\n", "flow style"),
                            ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n"
                             "  workload:\n  team:\n    culture: devops\n", "null section"),
                            ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\nspec:\n  isolation:\n"
                             "    compliance:\n      - |\n        pci\n        dss\n", "block scalar last")):
            with open(base, "w") as f:
                f.write(text_)
            rc, mout, merr = run(["scan", "-q", "--base", base, root])
            ok(rc == 0 and run(["validate", "-"], mout)[0] == 0,
               "--base (%s): exit %d, output invalid: %s %s" % (what, rc, mout.decode(), merr.decode()))
            b, m = leaves(yaml.safe_load(text_)), leaves(yaml.safe_load(mout))
            ok(all(m.get(k) == v for k, v in b.items()), "--base (%s) changed a value" % what)
        # (evidence without quotes, so that lines put inside a quoted string
        # would still parse: only the value check can tell)
        mini = os.path.join(tmp, "mini")
        os.makedirs(mini)
        with open(os.path.join(mini, "Dockerfile"), "w") as f:
            f.write("FROM debian\n")
        # a quoted string over several lines ending the document or spec:
        # the new lines go after it, not into it; a line break libyaml counts
        # and the splice does not (LS in a comment) must not shift them into
        # a string either (then the evidence goes in comments at the end);
        # empty documents after the profile are kept
        for text_, what, placed in (
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  description: 'Card\n"
                 "    billing'\n", "single-quoted, last", True),
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n  isolation:\n"
                 "    compliance:\n      - \"pci\n        dss\"\n", "double-quoted, last in spec", True),
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n  workload:  # a\u2028# b\n"
                 "    os: linux\n  isolation: {compliance: ['a\n     b']}\n", "LS in a comment", False),
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n---\n# only a comment\n",
                 "an empty document after", True),
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n...\n---\n",
                 "... and --- after", True),
                # lone CRs libyaml counts as line breaks and the splice does
                # not: the new lines would land in the empty document after
                # the profile (found by fuzz_scan), so they are comments
                ("\r\r\r# c\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n...\n---\n"
                 "# only a comment\n", "lone CRs, an empty document after", False),
                # a flow collection closed on a line of its own: after the `]`
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n  economics:\n"
                 "    licenses: [\n      vmware,\n      suse\n    ]\n", "] on a line of its own", True),
                # `spec:` with nothing: its sections go below it
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n# later\n",
                 "empty spec", True),
                # a block scalar with no line end after it: a line end would
                # change its value, so the comments go at the start
                ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n  description: >\n    one",
                 "unterminated block scalar", False)):
            with open(base, "wb") as f:
                f.write(text_.encode())
            rc, mout, merr = run(["scan", "--base", base, mini])
            ok(rc == 0 and run(["validate", "-"], mout)[0] == 0,
               "--base (%s): exit %d, output invalid: %r %r" % (what, rc, mout, merr))
            first = lambda t: next((d for d in yaml.safe_load_all(t) if d), {})  # noqa: E731
            b, m = leaves(first(text_)), leaves(first(mout))
            ok(all(m.get(k) == v for k, v in b.items()), "--base (%s) changed a value: %r" % (what, mout))
            ok((m.get("spec.workload.packaging") == "container-image") == placed and
               (b"could not be placed" in merr) != placed,
               "--base (%s): evidence %s expected: %r %r" % (what, "placed" if placed else "as comments", mout,
                                                             merr))
        # a section in flow style or null keeps it; its evidence is comments
        # that name the section, under a warning that names it
        for sec_text, what in (("workload: {}", "flow"), ("workload: ~", "null")):
            with open(base, "w") as f:
                f.write("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n  %s\n"
                        "  team:\n    linux: basic\n" % sec_text)
            rc, mout, merr = run(["scan", "--base", base, mini])
            ok(rc == 0 and b"\n# workload.packaging: container-image  # evidence: Dockerfile:1: FROM debian\n" in mout
               and b"spec.workload is written in flow style or null" in merr and sec_text.encode() in mout,
               "--base (%s section): %r %r" % (what, mout, merr))
        # a base kept with CR LF line ends (and none after its last line)
        # comes back with CR LF everywhere, its own lines byte for byte
        for text_, what in (("apiVersion: vmctr/v1\r\nkind: WorkloadProfile\r\nmetadata:\r\n  name: x\t# t\r\n"
                             "spec:\r\n  workload:\r\n    lifecycle: legacy\r\n  team:\r\n    linux: basic", "CR LF"),
                            ("apiVersion: vmctr/v1\r\nkind: WorkloadProfile\r\nmetadata: {name: x}\r\n"
                             "spec: {workload: {os: linux}}\r\n", "CR LF, flow style")):
            with open(base, "wb") as f:
                f.write(text_.encode())
            rc, mout, merr = run(["scan", "-q", "--base", base, root])
            lines = mout.split(b"\n")
            ok(rc == 0 and lines[-1] == b"" and all(x.endswith(b"\r") for x in lines[:-1]),
               "--base (%s): a line without CR LF: %r" % (what, mout))
            mine = text_.encode().split(b"\r\n")
            ok(all(x + b"\r" in lines for x in mine if x), "--base (%s) changed a line of its own" % what)
            ok(run(["validate", "-"], mout)[0] == 0, "--base (%s) output invalid" % what)
        with open(base, "w") as f:
            f.write("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\nspec:\n  workload:\n"
                    "    os: linux\n    os: windows\n")
        rc, mout, merr = run(["scan", "--base", base, root])
        ok(rc == 3 and not mout and re.search(rb"base\.yaml:8:5: error", merr), "--base invalid: %d %r" % (rc, merr))
        # --base reads the base as validate does (a hostile review found
        # each): a document hidden after a line break other than LF, after
        # the profile, is an error, not a stream passed through (or the
        # evidence written into it); an empty document before the profile
        # (LS, then ---) is passed over, not "the base profile is empty"
        hidden = b"apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n---\n# z\r---\n"
        for text_, want in ((hidden, 3),
                            (hidden + b"apiVersion: vmctr/v1\rkind: WorkloadProfile\rmetadata: {name: y}\r", 3),
                            (b"\r\r" + hidden, 3),
                            (b"\xe2\x80\xa8\n---\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\n",
                             0),
                            (b"\xc2\x85\n---\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\n", 0),
                            (b"---\n# c\n---\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: x}\n---\n",
                             0)):
            with open(base, "wb") as f:
                f.write(text_)
            vrc = run(["validate", base])[0]
            rc, mout, merr = run(["scan", "--base", base, mini])
            ok(rc == want and vrc == want and (rc == 0) == bool(mout), "--base %r: exit %d (validate %d), %r %r" %
               (text_[:40], rc, vrc, mout, merr))
            ok(rc != 3 or b"another document starts here after a line break other than LF" in merr,
               "--base %r: %r" % (text_[:40], merr))
            ok(rc != 0 or (run(["validate", "-"], mout)[0] == 0 and b"packaging: container-image" in mout and
                           b"could not be placed" not in merr), "--base %r: %r %r" % (text_[:40], mout, merr))
        # a base so close to the document limit that no evidence fits: the
        # warning says so (and how to see the evidence), not "a value"
        head = b"apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: x\n"
        with open(base, "wb") as f:
            f.write(head + b"# " + b"x" * (1048500 - len(head) - 3) + b"\n")
        rc, mout, merr = run(["scan", "--base", base, mini])
        ok(rc == 0 and b"larger than the 1024 KiB document limit" in merr and b"without --base prints" in merr and
           run(["validate", "-"], mout)[0] == 0, "--base near the limit: exit %d, %r" % (rc, merr))
        ok(run(["scan", os.path.join(tmp, "nonexistent")])[0] == 5, "a missing DIR is exit 5")

        # VM_LIMIT_SCAN_FILES (1,000,000) at the boundary, without a million
        # files: a git index of 1,000,000 entries (one blob; no work-tree
        # files) is listed and accepted, one more entry is exit 5
        many = os.path.join(tmp, "many")
        os.makedirs(many)
        genv = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=tmp)
        subprocess.run(["git", "init", "-q", many], check=True, env=genv)
        blob = subprocess.run(["git", "-C", many, "hash-object", "-w", "--stdin"], input=b"x\n", check=True,
                              capture_output=True, env=genv).stdout.decode().strip()
        entries = "".join("100644 %s\t%07d\n" % (blob, i) for i in range(1000000)).encode()
        subprocess.run(["git", "-C", many, "update-index", "--index-version", "4", "--index-info"], input=entries,
                       check=True, env=genv)
        del entries
        rc, _, err = run(["scan", many])
        ok(rc == 0 and b"1000000 files (tracked by git)" in err, "1,000,000 files: exit %d, %r" % (rc, err[-200:]))
        subprocess.run(["git", "-C", many, "update-index", "--index-info"],
                       input=("100644 %s\tx\n" % blob).encode(), check=True, env=genv)
        rc, _, err = run(["scan", many])
        ok(rc == 5 and b"more than 1000000 files (VM_LIMIT_SCAN_FILES)" in err,
           "1,000,001 files: exit %d, %r" % (rc, err[-200:]))
        shutil.rmtree(many)
        ok(run(["scan", root, root])[0] == 2, "two DIRs is a usage error")

        # check --evidence: a profile that contradicts the repository
        prof = os.path.join(tmp, "prof.yaml")
        with open(prof, "w") as f:
            f.write("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: shop\nspec:\n  workload:\n"
                    "    packaging: installer\n    os: windows\n")
        rc, cout, cerr = run(["check", "--evidence", root, prof])
        rc0, cout0, cerr0 = run(["check", prof])
        ok(rc == rc0 and cout == cout0, "check --evidence changed the verdict or the report")
        ok(re.search(rb"prof\.yaml:7:16: warning: spec\.workload\.packaging: the profile says 'installer' but the "
                     rb"repository shows 'container-image'", cerr), "check --evidence: no warning: %r" % cerr)
        ok(b"spec.workload.os" not in cerr, "check --evidence warned about a field that agrees")
        ok(cerr.count(b"warning:") == 1 and b"also seen: 'os-package'" in cerr,
           "check --evidence: one warning per field, naming the other values seen: %r" % cerr)

        # check --evidence on a system: the parent's fields once at the
        # parent; each component on the fields it sets itself (not on what
        # it inherits), at its own position, with its own path; a value
        # that agrees with any of the field's evidence (the repository has
        # both a Dockerfile and a systemd unit) is no contradiction
        with open(prof, "w") as f:
            f.write("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: shop\nspec:\n  workload:\n"
                    "    packaging: installer\n    os: windows\n  components:\n"
                    "    - name: web\n      workload:\n        architecture: microservices\n"
                    "    - name: legacy\n      workload:\n        packaging: installer\n"
                    "    - name: api\n      workload:\n        packaging: container-image\n"
                    "    - name: svc\n      workload:\n        packaging: os-package\n"
                    "    - name: db\n      workload:\n        os: linux\n        stateful: false\n")
        rc, cout, cerr = run(["check", "--evidence", root, prof])
        got = re.findall(rb"prof\.yaml:(\d+):(\d+): warning: ([a-z_.\[\]0-9]+): the profile says '([a-z-]+)'", cerr)
        want = [(b"7", b"16", b"spec.workload.packaging", b"installer"),
                (b"15", b"20", b"spec.components[1].workload.packaging", b"installer"),
                (b"24", b"13", b"spec.components[4].workload.os", b"linux"),
                (b"25", b"19", b"spec.components[4].workload.stateful", b"false")]
        ok(got == want and cerr.count(b"warning:") == 4, "check --evidence on a system: %r\n%s" % (got, cerr.decode()))
        ok(rc == run(["check", prof])[0], "check --evidence changed a system's verdict")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
