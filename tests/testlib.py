"""What the Python script tests share (standard library only).

A script in tests/DIR/ imports it with

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import testlib  # noqa: E402

  REPO, CI        the repository root; True under CI=true
  binary()        the vmctr under test: sys.argv[1], made absolute
  env(**extra)    os.environ with NO_COLOR=1 and LC_ALL=C (and extra)
  run(bin, args)  (exit status, stdout bytes, stderr bytes) of bin args...
  Tally           the pass/fail/skip counters: ok(cond, what, detail=""),
                  skip(why), done(note=None) -> the exit status
  skip_all(why)   nothing can be checked: exit 77 (ctest "Skipped",
                  SKIP_RETURN_CODE), or 1 under CI=true

A skipped check is not a pass: done() returns 77 when one was skipped and
none failed, and 1 under CI=true.
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CI = os.environ.get("CI") == "true"


def binary():
    if len(sys.argv) < 2:
        sys.exit("usage: %s VMCTR_BINARY" % sys.argv[0])
    return os.path.abspath(sys.argv[1])


def env(**extra):
    e = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    e.update(extra)
    return e


def run(binary_path, args, stdin=None, cwd=None):
    p = subprocess.run([binary_path] + list(args), input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       cwd=cwd, env=env())
    return p.returncode, p.stdout, p.stderr


class Tally:
    """Counts checks. verbose: a pass prints "ok: WHAT" too; tail: a
    failure's detail is cut to its last `tail` characters."""

    def __init__(self, verbose=False, tail=None):
        self.passed = self.failed = 0
        self.skipped = []
        self.verbose = verbose
        self.tail = tail

    def ok(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            if self.verbose:
                print("ok: " + what)
        else:
            self.failed += 1
            detail = str(detail)[-self.tail:] if detail and self.tail else detail
            print("FAIL: %s%s" % (what, ("\n  " + str(detail)) if detail else ""))
        return cond

    def skip(self, why):
        self.skipped.append(why)
        print("skip: " + why)

    def done(self, note=None):
        print("%d passed, %d failed%s" % (self.passed, self.failed, " (%s)" % note if note else ""))
        if self.failed:
            return 1
        if self.skipped:
            if CI:
                print("FAIL: %d skipped under CI=true" % len(self.skipped))
                return 1
            return 77
        return 0


def skip_all(why):
    if CI:
        print("FAIL: %s (CI=true)" % why)
        sys.exit(1)
    print("skip: " + why)
    sys.exit(77)
