#!/usr/bin/env python3
"""Drives `vmctr init` through a pseudo-terminal, as a person would.

    python3 tests/cli/init_pty.py path/to/vmctr

Uses only the standard library (pty + select; pexpect is not needed). Each
scenario starts vmctr on a new pty in a fresh temporary directory, answers
the questions it actually asks (the adaptive questions depend on the rules,
so answers are looked up by the field shown in "[k/N] field — help"), and
checks the outcome: the file written (and that `vmctr validate` accepts it),
or that nothing was written. Ends with "N passed, N failed"; exits 1 on any
failure.
"""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

if len(sys.argv) != 2:
    sys.stderr.write("usage: init_pty.py VMCTR_BINARY\n")
    sys.exit(2)
BIN = os.path.abspath(sys.argv[1])
TIMEOUT = 10.0
QUESTION = re.compile(r"\[(\d+)/(\d+)\] ([a-z_.]+) \u2014\s")
PROMPT = ") > "

passed = 0
failed = 0


class Session:
    """One vmctr process on a pty; output is kept in self.out (text)."""

    def __init__(self, args, cwd, stdout_file=None, columns=80):
        self.out = ""
        self.pos = 0  # where the next expect() starts looking
        self.status = None
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.chdir(cwd)
                if stdout_file:
                    f = os.open(stdout_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    os.dup2(f, 1)
                env = dict(os.environ, NO_COLOR="1", COLUMNS=str(columns), TERM="xterm", LC_ALL="C.UTF-8")
                env.pop("FORCE_COLOR", None)
                os.execve(BIN, [BIN] + args, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the pty
            data = b""
        if not data:
            raise EOFError
        self.out += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, pattern):
        """Waits for a regex (or plain string) after the last match."""
        rx = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.time() + TIMEOUT
        while True:
            m = rx.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("timed out waiting for %r; output tail:\n%s" % (rx.pattern, self.out[-800:]))
            try:
                self._read(left)
            except EOFError:
                m = rx.search(self.out, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                raise AssertionError("vmctr ended before %r; output tail:\n%s" % (rx.pattern, self.out[-800:]))

    def next_question(self):
        """Waits for the next prompt; returns the field asked, or None when
        the process ends first."""
        try:
            m = self.expect(re.compile(r"\[(\d+)/(\d+)\] ([a-z_.]+) \u2014\s|Recommendation: |Stopped"))
        except AssertionError:
            return None
        if not m.group(3):
            return None
        field = m.group(3)
        start = m.start()
        self.expect(PROMPT)
        self.last = self.out[start:self.pos]  # the whole question, menu and prompt
        return field

    def send(self, line):
        os.write(self.fd, line.encode() + b"\n")

    def answer(self, line, pattern):
        """Sends a line and waits for pattern in what follows (expect)."""
        self.send(line)
        return self.expect(pattern)

    def send_raw(self, data):
        os.write(self.fd, data)

    def wait(self):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                self._read(0.2)
            except EOFError:
                break
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                break
        if self.status is None:
            try:
                _, st = os.waitpid(self.pid, 0 if time.time() < deadline else os.WNOHANG)
                self.status = os.waitstatus_to_exitcode(st)
            except ChildProcessError:
                pass
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            raise AssertionError("vmctr did not exit; output tail:\n" + self.out[-800:])
        try:
            while self._read(0.05):
                pass
        except EOFError:
            pass
        os.close(self.fd)
        return self.status


def validate(path):
    r = subprocess.run([BIN, "validate", path], capture_output=True, text=True)
    assert r.returncode == 0, "vmctr validate %s failed: %s" % (path, r.stderr)


def only_file(d, name):
    """The directory holds exactly `name` (no temp file left behind)."""
    left = sorted(os.listdir(d))
    assert left == [name], "directory holds %r, expected [%r]" % (left, name)


def scenario(fn):
    global passed, failed
    d = tempfile.mkdtemp(prefix="vmctr-init-pty.")
    try:
        fn(d)
        passed += 1
        print("ok   %s" % fn.__name__)
    except AssertionError as e:
        failed += 1
        print("FAIL %s: %s" % (fn.__name__, e))
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---- scenarios -------------------------------------------------------------

def full_flow_with_mistakes_back_and_skip(d):
    s = Session(["init", "-o", "shop-api.yaml"], d)
    # 1. the name: a default from the file name, a wrong name, no way back yet
    assert s.next_question() == "metadata.name"
    assert "(Enter = shop-api, q = quit" in s.last, "no default name offered"
    s.answer("Shop API!", "is not a DNS label")
    s.answer("b", "nothing to go back to")
    s.send("")  # Enter takes the default
    # 2. the core questions, with wrong answers first
    assert s.next_question() == "workload.architecture"
    assert " 1) monolith" in s.last, "no numbered menu"
    s.answer("9", "'9' is not one of the choices: type a number from 1-6")
    s.answer("banana", "'banana' is not one of the choices")
    s.answer("m", "matches more than one value")
    s.answer("?", "Type a number from 1 to 6")
    s.expect(PROMPT)
    s.send("micro")  # a unique prefix: microservices
    assert s.next_question() == "workload.lifecycle"
    s.send("b")  # back to an answered question: Enter keeps the answer
    assert s.next_question() == "workload.architecture"
    assert "(your earlier answer: microservices)" in s.last, s.last
    s.send("")
    assert s.next_question() == "workload.lifecycle"
    s.send("")  # skip
    f = s.next_question()
    assert f == "workload.os", f
    s.send("b")  # back to lifecycle, which was skipped
    assert s.next_question() == "workload.lifecycle"
    assert "(your earlier answer: skipped)" in s.last, s.last
    s.send("3")  # greenfield
    answers = {
        "workload.os": "linux",
        "delivery.release_frequency": "daily",
        "team.containers": "advanced",
        "team.culture": "2",  # transitioning, by number
    }
    asked = []
    while True:
        f = s.next_question()
        if f is None:
            break
        asked.append(f)
        s.send(answers.get(f, ""))  # skip the adaptive ones
    s.expect("Wrote shop-api.yaml")
    assert s.wait() == 0, "exit status %s" % s.status
    assert "So far: " in s.out, "no interim recommendation"
    m = re.search(r"Recommendation: (vm|container|hybrid|microvm)\b.*\(confidence [01]\.\d\d\)", s.out)
    assert m, "no recommendation line in:\n" + s.out[-600:]
    for core in answers:
        assert core in asked or core == "workload.os", "core question %s not asked (asked %s)" % (core, asked)
    assert len(asked) <= 10, "too many questions: %s" % asked
    p = os.path.join(d, "shop-api.yaml")
    text = open(p).read()
    assert text.startswith("# yaml-language-server: $schema=https://vmctr.dev/schema/profile-v1.json\n")
    for want in ("name: shop-api", "architecture: microservices", "lifecycle: greenfield", "os: linux"):
        assert want in text, "%r missing from:\n%s" % (want, text)
    validate(p)
    only_file(d, "shop-api.yaml")


def quit_writes_nothing(d):
    s = Session(["init", "-o", "p.yaml"], d)
    assert s.next_question() == "metadata.name"
    s.send("quitter")
    assert s.next_question() == "workload.architecture"
    s.send("2")
    s.next_question()
    s.answer("q", "nothing written")
    assert s.wait() == 1, "exit status %s (a stopped questionnaire is 1)" % s.status
    assert os.listdir(d) == [], "files left: %s" % os.listdir(d)


def end_of_input_writes_nothing(d):
    s = Session(["init", "-o", "p.yaml"], d)
    assert s.next_question() == "metadata.name"
    s.send("eof-test")
    s.next_question()
    s.send_raw(b"\x04")  # Ctrl-D on an empty line
    s.expect("nothing written")
    st = s.wait()
    assert st == 1, "exit status %s: `vmctr init -o x && vmctr advise x` must stop here" % st
    assert os.listdir(d) == []


def interrupt_writes_nothing(d):
    s = Session(["init", "-o", "p.yaml"], d)
    assert s.next_question() == "metadata.name"
    s.send("ctrl-c")
    s.next_question()
    s.send_raw(b"\x03")  # Ctrl-C: SIGINT from the terminal
    st = s.wait()
    assert st != 0, "exit status %s" % st
    assert os.listdir(d) == [], "files left: %s" % os.listdir(d)


def refuses_existing_file_before_asking(d):
    p = os.path.join(d, "p.yaml")
    open(p, "w").write("keep me\n")
    s = Session(["init", "-o", "p.yaml"], d)
    st = s.wait()
    assert st == 2, "exit status %s" % st
    assert "already exists" in s.out and "--force" in s.out, s.out
    assert "[1/" not in s.out, "asked a question before refusing"
    assert open(p).read() == "keep me\n"


def force_overwrites(d):
    p = os.path.join(d, "p.yaml")
    open(p, "w").write("old\n")
    s = Session(["init", "--force", "-o", "p.yaml"], d)
    assert s.next_question() == "metadata.name"
    s.send("forced")
    while s.next_question():
        s.send("")  # skip everything
    assert s.wait() == 0
    assert "name: forced" in open(p).read()
    validate(p)
    only_file(d, "p.yaml")


def stdout_stays_clean(d):
    out = os.path.join(d, "stdout.yaml")
    s = Session(["init"], d, stdout_file=out)
    assert s.next_question() == "metadata.name"
    s.send("to-stdout")
    while s.next_question():
        s.send("")
    assert s.wait() == 0
    text = open(out).read()
    assert text.startswith("# yaml-language-server:"), "stdout does not start with the modeline:\n" + text[:300]
    assert "[1/" not in text and "Recommendation" not in text, "prompts leaked into stdout"
    validate(out)


def answers_file_asks_only_missing_name(d):
    open(os.path.join(d, "answers.yaml"), "w").write("workload.os: windows\nteam:\n  culture: traditional\n")
    s = Session(["init", "--answers", "answers.yaml", "-o", "legacy-erp.yaml"], d)
    assert s.next_question() == "metadata.name"
    assert "(Enter = legacy-erp, q = quit" in s.last, "no default name offered"
    s.send("")
    assert s.wait() == 0, s.out
    text = open(os.path.join(d, "legacy-erp.yaml")).read()
    assert "name: legacy-erp" in text and "os: windows" in text and "culture: traditional" in text, text
    assert s.out.count("[1/") == 1 and "[2/" not in s.out, "asked more than the name"
    validate(os.path.join(d, "legacy-erp.yaml"))


def no_input_never_prompts(d):
    s = Session(["init", "--no-input", "--set", "workload.os=linux", "-o", "p.yaml"], d)
    st = s.wait()
    assert st == 2, "exit status %s" % st
    assert "metadata.name is required" in s.out, s.out
    assert "[1/" not in s.out
    assert os.listdir(d) == []


def all_mode_asks_every_section(d):
    s = Session(["init", "--all", "-o", "p.yaml"], d)
    assert s.next_question() == "metadata.name"
    m = re.search(r"\[1/(\d+)\]", s.out)
    assert m and int(m.group(1)) > 30, "total %s" % (m and m.group(1))
    s.send("everything")
    seen = []
    for _ in range(12):
        f = s.next_question()
        seen.append(f)
        s.send("1" if f and f != "isolation.compliance" else "")
    assert seen[:9] == ["workload." + k for k in ("architecture", "lifecycle", "os", "custom_kernel", "gui",
                                                    "hardware_access", "stateful", "packaging",
                                                    "twelve_factor")], seen
    assert seen[9] == "isolation.multi_tenant", seen
    s.send("q")
    s.wait()
    assert os.listdir(d) == []


def multi_choice_and_list_answers(d):
    s = Session(["init", "--all", "-o", "p.yaml"], d)
    s.next_question()
    s.send("lists")
    while True:
        f = s.next_question()
        if f is None:
            break
        if f == "isolation.compliance":
            s.send("pci-dss, gdpr")
        elif f == "economics.licenses":
            s.answer("7", "not one of the choices")
            s.send("1 3")
        elif f == "operations.instances":
            s.answer("0", "expected an integer in 1..1000000")
            s.send("40")
        else:
            s.send("")
    assert s.wait() == 0, s.out[-500:]
    text = open(os.path.join(d, "p.yaml")).read()
    for want in ("compliance: [pci-dss, gdpr]", "licenses: [windows-datacenter, red-hat]", "instances: 40"):
        assert want in text, "%r missing:\n%s" % (want, text)
    validate(os.path.join(d, "p.yaml"))


def help_explains_each_choice(d):
    """? lists every choice of the question with one line on what it means
    (the field table's value descriptions), wrapped to the terminal."""
    for cols in (80, 40):
        s = Session(["init", "-o", "p.yaml"], d, columns=cols)
        assert s.next_question() == "metadata.name"
        s.send("helpful")
        assert s.next_question() == "workload.architecture"
        s.answer("?", "Type a number from 1 to 6")
        h = s.out[s.out.rindex("? = help) > ", 0, s.pos):s.pos]
        for n, value, meaning in ((1, "monolith", "one deployable unit, scaled and upgraded as a whole"),
                                  (3, "microservices", "many small services"),
                                  (6, "functions", "Function-as-a-Service")):
            assert re.search(r"\b%d\) %s\b" % (n, value), h), "choice %d not explained:\n%s" % (n, h)
            assert meaning in " ".join(h.split()), "%r missing from:\n%s" % (meaning, h)
        s.expect(PROMPT)
        s.send("micro")
        f = s.next_question()
        s.answer("?", "Type a number from 1 to")
        h2 = s.out[s.out.rindex("? = help) > ", 0, s.pos):s.pos]
        assert re.search(r"\b1\) \S+", h2) and len(re.findall(r"^\s+\d+\) ", h2, re.M)) >= 2, \
            "%s: choices not explained:\n%s" % (f, h2)
        s.expect(PROMPT)
        s.send("q")
        s.wait()
        if cols == 40:
            wide = [l for l in (h + h2).split("\n") if len(l) > 40 and "? = help" not in l]
            assert not wide, "lines wider than 40 columns:\n" + "\n".join(wide)
        assert os.listdir(d) == [], os.listdir(d)


for sc in (full_flow_with_mistakes_back_and_skip, help_explains_each_choice, quit_writes_nothing,
           end_of_input_writes_nothing,
           interrupt_writes_nothing, refuses_existing_file_before_asking, force_overwrites, stdout_stays_clean,
           answers_file_asks_only_missing_name, no_input_never_prompts, all_mode_asks_every_section,
           multi_choice_and_list_answers):
    scenario(sc)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
