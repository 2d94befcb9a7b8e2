#!/usr/bin/env python3
"""The CI integrations work in a repository that holds only profiles.

    tests/ci/check.py BIN

Everything runs in scratch git repositories that contain `profiles/` and
nothing of vmctr. "Upstream" is a scratch git repository made from this
tree's files (tracked and modified ones, as a fresh clone would have them),
tagged v<VMCTR_VERSION>; git's url.<base>.insteadOf (through GIT_CONFIG_*
variables) sends https://github.com/vmctr/vmctr.git there, so the snippets
run exactly as docs/ci.md prints them. `apt-get` and `sudo` are replaced by
stubs on PATH that only check that the named Debian packages are installed
(the test never installs anything).

  * generic (docs/ci.md "ci-snippet: generic"): clones the pinned tag,
    builds and installs vmctr into .cache/vmctr - a real build - and checks;
    exit 0 with a passing profile, 1 once a failing one is added;
  * GitLab (.gitlab-ci.yml snippet) and Jenkins (the `sh '''...'''` steps):
    their install lines are the generic block's, and their steps run with
    .cache/vmctr restored from the generic run (their cache); exit codes and
    the JUnit report, written even when the gate fails;
  * the GitHub Action: action.yml's steps are run as GitHub runs a composite
    action (inputs and their defaults, ${{ }} expressions, step env,
    GITHUB_OUTPUT/GITHUB_PATH files, bash -e); `uses:` steps (actions/cache)
    are not run. The build step really builds (cache miss), then a second
    run reuses the build (cache hit). Formats github and sarif, outputs
    exit-code and report, vmctr's exit code kept, inputs passed through;
  * pre-commit: `pre-commit try-repo` of this tree runs vmctr-validate and
    vmctr-check on staged profiles only (not other YAML files).
  * the pinned tag in docs/ci.md and the action example is v<VMCTR_VERSION>.

Without git or cmake the test cannot run (77); without pre-commit that part
is skipped (77 at the end) - under CI=true both fail. Ends with
"N passed, N failed".
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import testlib  # noqa: E402
from testlib import REPO, skip_all  # noqa: E402

BIN = testlib.binary()
URL = "https://github.com/vmctr/vmctr.git"
T = testlib.Tally(verbose=True, tail=3000)
ok = T.ok


for tool in ("git", "cmake", "bash"):
    if not shutil.which(tool):
        skip_all("%s is not installed" % tool)

VERSION = re.search(r'#define VMCTR_VERSION "(.*)"', open(os.path.join(REPO, "include/vmctr/common.h")).read()).group(1)
TAG = "v" + VERSION
TMP = tempfile.mkdtemp(prefix="vmctr-ci-")


def sh(cmd, cwd, env=None, shell="bash", check=False):
    p = subprocess.run([shell, "-c", cmd] if shell == "bash" else [shell, "-e", "-c", cmd],
                       cwd=cwd, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit("%s: exit %d\n%s%s" % (cmd, p.returncode, p.stdout[-2000:], p.stderr[-2000:]))
    return p


def git(cwd, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main",
                           *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


# ---- upstream: this tree as a tagged release --------------------------------------
upstream = os.path.join(TMP, "upstream")
os.makedirs(upstream)
files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                       capture_output=True, check=True).stdout.decode().split("\0")
for f in files:
    if not f or f.startswith("build/") or not os.path.isfile(os.path.join(REPO, f)):
        continue
    dst = os.path.join(upstream, f)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy2(os.path.join(REPO, f), dst)
git(upstream, "init", "-q")
git(upstream, "add", "-A")
git(upstream, "commit", "-qm", "release")
git(upstream, "tag", TAG)

# ---- stubs: apt-get and sudo never install anything here --------------------------
stubs = os.path.join(TMP, "stubs")
os.makedirs(stubs)
with open(os.path.join(stubs, "apt-get"), "w") as f:
    f.write("""#!/bin/sh
# test stub: `apt-get install PKG...` succeeds only if every PKG is installed
[ "$1" = update ] && exit 0
for a in "$@"; do
    case $a in install|-*) continue ;; esac
    dpkg-query -W -f='${Status}' "$a" 2>/dev/null | grep -q 'install ok installed' ||
        { echo "apt-get stub: $a is not installed on this machine" >&2; exit 100; }
done
""")
with open(os.path.join(stubs, "sudo"), "w") as f:
    f.write('#!/bin/sh\nexec "$@"\n')
for s in ("apt-get", "sudo"):
    os.chmod(os.path.join(stubs, s), 0o755)

ENV = dict(os.environ, PATH=stubs + os.pathsep + os.environ["PATH"], NO_COLOR="1", LC_ALL="C",
           GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="url.%s.insteadOf" % upstream, GIT_CONFIG_VALUE_0=URL,
           HOME=os.path.join(TMP, "home"))
ENV.pop("GITHUB_ACTIONS", None)
os.makedirs(ENV["HOME"])
# vmctr itself must not be on PATH: the snippets have to provide it
ENV["PATH"] = os.pathsep.join(p for p in ENV["PATH"].split(os.pathsep)
                              if not os.path.exists(os.path.join(p, "vmctr")))

PASS_PROFILE = os.path.join(REPO, "examples", "profiles", "payments-api.yaml")
FAIL_PROFILE = os.path.join(REPO, "examples", "profiles", "erp-finance.yaml")


def consumer(name, failing=False):
    """A scratch repository with profiles only (and one unrelated YAML file)."""
    d = os.path.join(TMP, name)
    os.makedirs(os.path.join(d, "profiles"))
    shutil.copy(PASS_PROFILE, os.path.join(d, "profiles"))
    if failing:
        shutil.copy(FAIL_PROFILE, os.path.join(d, "profiles"))
    with open(os.path.join(d, "deploy.yaml"), "w") as f:
        f.write("kind: Deployment\nnot: a profile\n")
    git(d, "init", "-q")
    git(d, "add", "-A")
    git(d, "commit", "-qm", "profiles")
    return d


def add_failing(d):
    shutil.copy(FAIL_PROFILE, os.path.join(d, "profiles"))


# ---- the snippets of docs/ci.md -----------------------------------------------------
doc = open(os.path.join(REPO, "docs", "ci.md")).read()
snippets = dict(re.findall(r"<!-- ci-snippet: ([a-z-]+) -->\n```[a-z]*\n(.*?)```", doc, re.S))
ok(set(snippets) >= {"generic", "github", "gitlab", "jenkins", "pre-commit"}, "docs/ci.md has the tested snippets",
   sorted(snippets))
generic = snippets["generic"]
install = generic[:generic.index("vmctr check")]
ok("VMCTR_REF=%s\n" % TAG in generic, "the pinned tag is %s (VMCTR_VERSION)" % TAG)
ok("vmctr/vmctr@%s" % TAG in snippets["github"], "the action example pins %s" % TAG)
ok("rev: %s" % TAG in snippets["pre-commit"], "the pre-commit example pins %s" % TAG)


def dedent_block(text):
    lines = [l for l in text.splitlines()]
    ind = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[ind:] for l in lines) + "\n"


# generic: a real build from the pinned tag
g = consumer("generic")
p = sh(generic, g, ENV)
ok(p.returncode == 0 and "1 passed" in p.stdout, "generic: build from %s and check (exit 0)" % TAG,
   p.stdout + p.stderr)
ok(os.access(os.path.join(g, ".cache/vmctr/bin/vmctr"), os.X_OK), "generic: vmctr installed in .cache/vmctr/bin")
add_failing(g)
built = os.path.join(g, ".cache/vmctr/bin/vmctr")
before = os.stat(built).st_mtime_ns if os.path.exists(built) else None
p = sh(generic, g, ENV)
ok(p.returncode == 1 and "1 failed" in p.stdout, "generic: a failing profile fails (exit 1)", p.stdout + p.stderr)
ok(before is not None and os.stat(built).st_mtime_ns == before, "generic: the second run reuses .cache/vmctr")
cache = os.path.join(g, ".cache")

# GitLab
gl = yaml.safe_load(snippets["gitlab"])
job = gl["vmctr-check"]
ok(job["cache"]["paths"] == [".cache/vmctr/"], "gitlab: caches .cache/vmctr/")
steps = job["before_script"] + job["script"]
ok(any(install.strip() == s.strip() for s in steps), "gitlab: installs with the generic block's lines")
for failing, code in ((False, 0), (True, 1)):
    d = consumer("gitlab-%d" % code, failing)
    shutil.copytree(cache, os.path.join(d, ".cache"))     # the job's cache
    p = sh("set -e\n" + "\n".join(steps), d, ENV)
    junit = os.path.join(d, job["artifacts"]["reports"]["junit"])
    ok(p.returncode == code, "gitlab: exit %d with%s a failing profile" % (code, "" if failing else "out"),
       p.stdout + p.stderr)
    ok(os.path.exists(junit) and "<testsuites" in open(junit).read(),
       "gitlab: %s written (artifacts: when: always)" % os.path.basename(junit))

# Jenkins
m = re.search(r"sh '''\n(.*?)'''", snippets["jenkins"], re.S)
ok(m is not None, "jenkins: an sh ''' step")
body = dedent_block(m.group(1))
ok(install.strip() in body, "jenkins: installs with the generic block's lines")
ok("junit 'vmctr-junit.xml'" in snippets["jenkins"], "jenkins: publishes vmctr-junit.xml")
for failing, code in ((False, 0), (True, 1)):
    d = consumer("jenkins-%d" % code, failing)
    shutil.copytree(cache, os.path.join(d, ".cache"))
    p = sh(body, d, ENV, shell="sh")          # Jenkins runs sh steps with sh -xe
    ok(p.returncode == code, "jenkins: exit %d with%s a failing profile" % (code, "" if failing else "out"),
       p.stdout + p.stderr)
    ok(os.path.exists(os.path.join(d, "vmctr-junit.xml")), "jenkins: vmctr-junit.xml written")

# ---- the GitHub Action --------------------------------------------------------------
if shutil.which("shellcheck"):
    p = subprocess.run(["shellcheck", os.path.join(REPO, "scripts", "ci", "action.sh")], capture_output=True,
                       text=True)
    ok(p.returncode == 0, "shellcheck finds nothing in scripts/ci/action.sh", p.stdout[:1500])
else:
    T.skip("shellcheck is not installed: scripts/ci/action.sh not checked (scripts/deps.sh test installs it)")
action = yaml.safe_load(open(os.path.join(REPO, "action.yml")))
ok(action["runs"]["using"] == "composite", "action.yml is a composite action")
inputs = action["inputs"]
text = open(os.path.join(REPO, "action.yml")).read()
used = set(re.findall(r"\$\{\{ inputs\.([a-z-]+) \}\}", text))
ok(used == set(inputs), "action.yml: every input is used and every used input is declared",
   (sorted(used), sorted(inputs)))
check_help = subprocess.run([BIN, "check", "--help"], capture_output=True, text=True).stdout
for name in ("fail-on", "min-confidence", "rules", "waivers", "require-decision", "format", "output"):
    ok(name in inputs, "action input %s" % name)
    if name != "waivers" or "--waivers" in check_help:
        ok("--" + name in check_help, "input %s is a vmctr check option (--%s)" % (name, name))

RUNNER = os.path.join(TMP, "runner")


def run_action(repo, with_=None):
    """Runs action.yml's steps as GitHub runs a composite action. Returns
    (exit code of the failing or last step, outputs, log)."""
    with_ = with_ or {}
    vals = {k: str(with_.get(k, v.get("default", ""))) for k, v in inputs.items()}
    outputs = {}
    log = ""
    os.makedirs(RUNNER, exist_ok=True)
    gpath = os.path.join(RUNNER, "path")
    open(gpath, "w").close()

    def expand(s, sid_outputs):
        def sub(m):
            e = m.group(1).strip()
            if e.startswith("inputs."):
                return vals[e[7:]]
            if e == "runner.temp":
                return RUNNER
            if e == "github.action_path":
                return REPO
            mm = re.match(r"steps\.([a-z-]+)\.outputs\.([a-z-]+)$", e)
            if mm:
                return sid_outputs.get(mm.group(1), {}).get(mm.group(2), "")
            raise AssertionError("expression the test runner does not know: " + e)
        return re.sub(r"\$\{\{(.*?)\}\}", sub, str(s))

    rc = 0
    for i, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            continue   # actions/cache: not run here (first run = cache miss)
        assert step.get("shell") == "bash", "composite run steps need shell: bash"
        env = dict(ENV, GITHUB_ACTION_PATH=REPO, RUNNER_TEMP=RUNNER, GITHUB_WORKSPACE=repo, GITHUB_PATH=gpath)
        out = os.path.join(RUNNER, "out-%d" % i)
        open(out, "w").close()
        env["GITHUB_OUTPUT"] = out
        for k, v in (step.get("env") or {}).items():
            env[k] = expand(v, outputs)
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"], outputs)],
                           cwd=repo, env=env, capture_output=True, text=True)
        log += p.stdout + p.stderr
        outputs[step.get("id", str(i))] = dict(l.split("=", 1) for l in open(out).read().splitlines() if "=" in l)
        rc = p.returncode
        if rc != 0:
            break
    result = {k: expand(v["value"], outputs) for k, v in action.get("outputs", {}).items()}
    return rc, result, log, open(gpath).read()


a = consumer("action")
rc, out, log, gpath = run_action(a)
ok(rc == 0, "action: builds from its own checkout (cache miss) and passes (exit 0)", log)
ok(out.get("exit-code") == "0", "action: output exit-code 0", out)
ok("::notice" in log or "pass" in log, "action: github format by default", log[-500:])
ok(gpath.strip().endswith("vmctr-build/bin"), "action: vmctr's directory is added to GITHUB_PATH", gpath)
key = open(os.path.join(RUNNER, "out-0")).read()
ok(re.match(r"key=vmctr-\S+-\S+-[0-9a-f]{16}$", key.strip()), "action: a cache key from the sources", key)
add_failing(a)
rc, out, log, _ = run_action(a)
ok(rc == 1 and out.get("exit-code") == "1", "action: a failing profile fails the step with vmctr's exit 1", log)
ok("using the cached build" in log, "action: the second run reuses the build (cache hit)", log[-800:])
ok(re.search(r"^::error file=profiles/erp-finance.yaml,line=\d+", log, re.M), "action: an ::error annotation",
   log[-800:])
rc, out, log, _ = run_action(a, {"format": "sarif", "paths": "profiles/payments-api.yaml\nprofiles/erp-finance.yaml"})
sarif = os.path.join(a, "vmctr.sarif")
ok(rc == 1 and out.get("report") == "vmctr.sarif" and os.path.exists(sarif), "action: format sarif writes vmctr.sarif",
   (rc, out, log[-800:]))
if os.path.exists(sarif):
    res = json.load(open(sarif))["runs"][0]["results"]
    ok(any(r["ruleId"] and r["level"] == "error" for r in res), "action: the SARIF has the failure")
rc, out, log, _ = run_action(a, {"fail-on": "blocker", "min-confidence": "0.99", "paths": "profiles"})
ok(rc in (0, 1) and "--fail-on blocker --min-confidence 0.99" in log, "action: fail-on and min-confidence passed on",
   log[-500:])
rc, out, log, _ = run_action(a, {"require-decision": "maybe"})
ok(rc == 2 and "require-decision must be true or false" in log, "action: a bad require-decision is a usage error")
rc, out, log, _ = run_action(a, {"args": "--no-such-option"})
ok(rc == 2 and out.get("exit-code") == "2", "action: args are passed on (a bad one: exit 2)", log[-300:])
os.makedirs(os.path.join(a, "policy"))
shutil.copy(os.path.join(REPO, "examples", "policy", "acme-platforms.yaml"), os.path.join(a, "policy"))
rc, out, log, _ = run_action(a, {"rules": "policy", "paths": "profiles", "format": "json"})
js = os.path.join(a, "vmctr-check.json")
ok(rc == 1 and os.path.exists(js) and json.load(open(js))["schema"] == "vmctr.check/v1",
   "action: rules input and json report", log[-500:])

# ---- pre-commit ------------------------------------------------------------------------
hooks = yaml.safe_load(open(os.path.join(REPO, ".pre-commit-hooks.yaml")))
ids = {h["id"]: h for h in hooks}
ok(set(ids) == {"vmctr-validate", "vmctr-check"}, ".pre-commit-hooks.yaml: vmctr-validate and vmctr-check")
for h in hooks:
    ok(h["language"] == "system" and h["entry"].startswith("vmctr ") and h.get("files"),
       "%s: language system, a files pattern" % h["id"])
    r = re.compile(h["files"])
    ok(r.search("profiles/a.yaml") and r.search("deploy/profiles/b.yml") and r.search("app.vmctr.yaml")
       and not r.search("deploy.yaml") and not r.search(".vmctr/config.yaml") and not r.search(".gitlab-ci.yml"),
       "%s: files matches profiles, not other YAML" % h["id"])
if shutil.which("pre-commit"):
    binp = os.path.join(TMP, "bin")
    os.makedirs(binp)
    os.symlink(BIN, os.path.join(binp, "vmctr"))
    penv = dict(ENV, PATH=binp + os.pathsep + ENV["PATH"], PRE_COMMIT_HOME=os.path.join(TMP, "pre-commit-home"))
    pc = consumer("pre-commit")
    with open(os.path.join(pc, "deploy.yaml"), "a") as f:
        f.write("broken: [\n")        # not a profile: the hooks must not read it
    shutil.copy(PASS_PROFILE, os.path.join(pc, "profiles", "second.yaml"))
    git(pc, "add", "-A")
    p = subprocess.run(["pre-commit", "try-repo", REPO, "--all-files"], cwd=pc, env=penv, capture_output=True,
                       text=True)
    ok(p.returncode == 0 and "vmctr check" in p.stdout and "Passed" in p.stdout,
       "pre-commit try-repo: both hooks pass on profiles/ (deploy.yaml untouched)", p.stdout + p.stderr)
    add_failing(pc)
    git(pc, "add", "-A")
    p = subprocess.run(["pre-commit", "try-repo", REPO, "vmctr-check", "--all-files"], cwd=pc, env=penv,
                       capture_output=True, text=True)
    ok(p.returncode == 1 and "erp-finance" in p.stdout, "pre-commit try-repo: vmctr-check fails a failing proposal",
       p.stdout + p.stderr)
else:
    T.skip("pre-commit is not installed (apt-get install pre-commit)")

shutil.rmtree(TMP, ignore_errors=True)
sys.exit(T.done())
