#!/usr/bin/env python3
"""README.md is true for a newcomer.

    tests/docs/readme.py BIN              check
    UPDATE=1 tests/docs/readme.py BIN     rewrite README's sample outputs

  * every command of the "## Examples" block runs as written from the top of
    a fresh copy of the tree (the files git tracks or would add, committed in
    a new repository, so `git show HEAD:...` works), with `vmctr` on PATH:
    exit 0, or 0/1 for `vmctr check` and `diff --exit-code` (the gate's own
    outcome). A line marked "(needs a terminal)" is the interactive
    questionnaire, which tests/cli/init_pty.py drives; it is not run here.
    Lines piping into jq need jq (skipped without it);
  * each block after `<!-- README-output: CMD -->` is exactly `$ CMD` and
    CMD's output (NO_COLOR, COLUMNS=80, a UTF-8 locale), so the sample output
    is the real output; UPDATE=1 rewrites those blocks after a change to the
    rules or the report (check the diff);
  * the profile shown under "## A profile" is examples/quickstart.yaml;
  * the newcomer path works: `cmake --install` of BIN's build tree (what
    `make install PREFIX=...` runs) into a scratch prefix gives a working
    bin/vmctr, the man page and completions; `man ./man/vmctr.1` renders
    (skipped without man).
Ends with "N passed, N failed"; a skipped check exits 77 (ctest: Skipped),
and fails under CI=true.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import testlib  # noqa: E402
from testlib import REPO  # noqa: E402

BIN = testlib.binary()
ENV = testlib.env(COLUMNS="80", LC_ALL="C.UTF-8", TERM="dumb")
T = testlib.Tally(verbose=True, tail=2000)
ok = T.ok


readme_path = os.path.join(REPO, "README.md")
readme = open(readme_path).read()

# ---- sample outputs ------------------------------------------------------------------
pat = re.compile(r"(<!-- README-output: (.+?) -->\n```\n)(.*?)(```\n)", re.S)
blocks = list(pat.finditer(readme))
ok(blocks, "README has sample output blocks")


def real_output(cmd):
    args = cmd.split()
    assert args[0] == "vmctr"
    p = subprocess.run([BIN, *args[1:]], capture_output=True, text=True, cwd=REPO, env=ENV)
    return "$ %s\n%s" % (cmd, p.stdout)


if os.environ.get("UPDATE") == "1":
    new = pat.sub(lambda m: m.group(1) + real_output(m.group(2)) + m.group(4), readme)
    if new != readme:
        open(readme_path, "w").write(new)
        print("README.md: sample outputs rewritten")
    readme = new
    blocks = list(pat.finditer(readme))
for m in blocks:
    want = real_output(m.group(2))
    ok(m.group(3) == want, "README sample output of '%s' is the real output (UPDATE=1 rewrites it)" % m.group(2),
       "README:\n%s\nreal:\n%s" % (m.group(3)[:1500], want[:1500]))

prof = re.search(r"`examples/quickstart.yaml`:\n\n```yaml\n(.*?)```\n", readme, re.S)
ok(prof and prof.group(1) == open(os.path.join(REPO, "examples", "quickstart.yaml")).read(),
   "the profile under '## A profile' is examples/quickstart.yaml")

# ---- the Examples block on a fresh copy --------------------------------------------
ex = re.search(r"^## Examples\n.*?```sh\n(.*?)```\n", readme, re.S | re.M)
ok(ex is not None, "README has an Examples block")
lines = [l for l in (ex.group(1).splitlines() if ex else []) if l.strip()]

tmp = tempfile.mkdtemp(prefix="vmctr-readme-")
clone = os.path.join(tmp, "vmctr")
os.makedirs(clone)
files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                       capture_output=True, check=True).stdout.decode().split("\0")
for f in files:
    if f and not f.startswith("build/") and os.path.isfile(os.path.join(REPO, f)):
        os.makedirs(os.path.dirname(os.path.join(clone, f)), exist_ok=True)
        shutil.copy2(os.path.join(REPO, f), os.path.join(clone, f))
g = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"]
subprocess.run(g + ["init", "-q"], cwd=clone, check=True)
subprocess.run(g + ["add", "-A"], cwd=clone, check=True)
subprocess.run(g + ["commit", "-qm", "clone"], cwd=clone, check=True)
bindir = os.path.join(tmp, "bin")
os.makedirs(bindir)
os.symlink(BIN, os.path.join(bindir, "vmctr"))
env = dict(ENV, PATH=bindir + os.pathsep + os.environ["PATH"])

commands = set()
for line in lines:
    if "(needs a terminal)" in line:
        print("skip (interactive, see tests/cli/init_pty.py): " + line)
        continue
    if "| jq" in line and not shutil.which("jq"):
        T.skip("jq is not installed: not run: " + line)
        continue
    p = subprocess.run(["bash", "--norc", "--noprofile", "-o", "pipefail", "-c", line], cwd=clone, env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    gate = line.startswith("vmctr check") or "diff --exit-code" in line
    codes = (0, 1) if gate else (0,)
    ok(p.returncode in codes and "command not found" not in p.stderr and "No such file" not in p.stderr,
       "README example runs: %s" % line.split("  #")[0].strip(), "exit %d: %s" % (p.returncode, p.stderr[:600]))
    m = re.search(r"\bvmctr (\w+)", line)
    if m:
        commands.add(m.group(1))
cmds = subprocess.run([BIN, "--help"], capture_output=True, text=True).stdout
listed = re.findall(r"^  (\w+)  ", cmds.split("Commands:\n", 1)[1].split("\n\n", 1)[0], re.M)
ok(set(listed) - {"help"} <= commands, "the Examples block uses every command",
   sorted(set(listed) - {"help"} - commands))

# ---- newcomer path -----------------------------------------------------------------------
build = os.path.dirname(BIN)
prefix = os.path.join(tmp, "prefix")
p = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
ok(p.returncode == 0, "cmake --install (make install PREFIX=...) into a scratch prefix", p.stdout + p.stderr)
pv = subprocess.run([os.path.join(prefix, "bin", "vmctr"), "--version"], capture_output=True, text=True)
ok(pv.returncode == 0 and pv.stdout.startswith("vmctr "), "PREFIX/bin/vmctr runs")
for f in ("share/man/man1/vmctr.1.gz", "share/bash-completion/completions/vmctr",
          "share/zsh/vendor-completions/_vmctr", "share/fish/vendor_completions.d/vmctr.fish",
          "share/vmctr/schema/profile-v1.json", "share/vmctr/schema/report-v1.json",
          "share/vmctr/schema/waivers-v1.json"):
    ok(os.path.isfile(os.path.join(prefix, f)), "make install puts %s under PREFIX" % f)
if shutil.which("man"):
    p = subprocess.run(["man", "./man/vmctr.1"], cwd=REPO, capture_output=True, text=True,
                       env=dict(ENV, MANPAGER="cat", PAGER="cat", MANWIDTH="80"))
    ok(p.returncode == 0 and "vmctr" in p.stdout and "SYNOPSIS" in p.stdout, "man ./man/vmctr.1 renders",
       p.stderr[:300])
    p = subprocess.run(["man", "-w", "vmctr"], capture_output=True, text=True,
                       env=dict(ENV, PATH=os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"],
                                MANPATH=""))
    ok(p.returncode == 0 and p.stdout.strip().startswith(prefix),
       "man vmctr finds PREFIX/share/man through PATH", p.stdout + p.stderr)
else:
    T.skip("man is not installed: man ./man/vmctr.1 and man -w vmctr not checked")

shutil.rmtree(tmp, ignore_errors=True)
sys.exit(T.done())
