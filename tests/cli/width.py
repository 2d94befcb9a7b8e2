#!/usr/bin/env python3
"""Every text output fits the terminal it runs in.

    tests/cli/width.py path/to/vmctr

Runs the text outputs a person reads (advise, advise --explain, a system, a
what-if, portfolio, rules list, diff, the main help and every command's
--help) at COLUMNS=20, 40 and 80, in ASCII and in UTF-8 and with colour, on
profiles that include words longer than the terminal (a 60-character name,
a 61-character owner, a URL: tests/golden/cases/advise-text-narrow-long-
words/long-words.yaml), and fails on any line of standard output wider
than COLUMNS (columns are code points; colour escapes take none). Below 20
columns vmctr lays out for 20 (docs/report.md).

Examples in --help are broken the way a shell reads them back (a
backslash at the end of the line): each must give the same words as at 200
columns.

Not checked, on purpose: `check`'s text findings and every diagnostic
(`file:line:col: ...`) stay one line each, for editors and grep.
Ends with "N passed, N failed"; exits 1 on any failure.
"""
import os
import re
import shlex
import subprocess
import sys

if len(sys.argv) != 2:
    sys.stderr.write("usage: width.py VMCTR_BINARY\n")
    sys.exit(2)
BIN = os.path.abspath(sys.argv[1])
LONG = "tests/golden/cases/advise-text-narrow-long-words/long-words.yaml"
SGR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

RUNS = [
    ["advise", LONG],
    ["advise", "--explain", LONG],
    ["advise", "--explain", "examples/billing-api.yaml"],
    ["advise", "--explain", "tests/acceptance/erp-plus-new-services.yaml"],
    ["advise", "--explain", "examples/retail-bank.yaml"],
    ["advise", "--what-if", "delivery.release_frequency=quarterly", LONG],
    ["portfolio", LONG, "examples/"],
    ["rules", "list"],
    ["diff", LONG, "examples/billing-api.yaml"],
    ["--help"],
    ["help", "rules", "list"],
]


def commands():
    out = subprocess.run([BIN, "--help"], capture_output=True, text=True,
                         env=dict(os.environ, COLUMNS="200")).stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^  ([a-z]+) ", block, re.M)]


def examples(args, cols):
    """The example commands of a --help, as the shell would split them."""
    env = dict(os.environ, COLUMNS=str(cols), NO_COLOR="1", LC_ALL="C")
    out = subprocess.run([BIN] + args, capture_output=True, text=True, env=env).stdout
    if "\nExamples:\n" not in out:
        return []
    words = []
    for block in out.split("\nExamples:\n")[1:]:  # `rules --help` shows each subcommand's
        text = block.split("\n\n", 1)[0].replace("\\\n", "")
        words += [shlex.split(l) for l in text.split("\n") if l.strip()]
    return words


def main():
    runs = RUNS + [[c, "--help"] for c in commands() if c != "help"]
    passed = failed = 0
    for args in runs:
        if args[-1] != "--help":
            continue
        want = examples(args, 200)
        for cols in (20, 40, 80):
            got = examples(args, cols)
            if got == want:
                passed += 1
            else:
                failed += 1
                print("FAIL %s at %d: the examples read back differently:\n     %r\n     %r" %
                      (" ".join(args), cols, got, want))
    for args in runs:
        for cols in (20, 40, 80):
            for mode in ("C", "C.UTF-8", "color"):
                env = dict(os.environ, COLUMNS=str(cols), LC_ALL="C" if mode == "C" else "C.UTF-8")
                env.pop("NO_COLOR", None)
                extra = []
                if mode == "color" and args[0] in ("advise", "portfolio"):
                    extra = ["--color", "always"]
                elif mode == "color":
                    continue
                else:
                    env["NO_COLOR"] = "1"
                p = subprocess.run([BIN] + args[:1] + extra + args[1:], capture_output=True, env=env)
                text = p.stdout.decode("utf-8", "replace")
                wide = [l for l in text.split("\n") if len(SGR.sub("", l)) > cols]
                name = "%s at %d (%s)" % (" ".join(args), cols, mode)
                if p.returncode not in (0, 1) or not text:
                    failed += 1
                    print("FAIL %s: exit %d, %d bytes: %s" % (name, p.returncode, len(text), p.stderr[:200]))
                elif wide:
                    failed += 1
                    print("FAIL %s: %d lines wider than %d, e.g.\n     %r" % (name, len(wide), cols, wide[0]))
                else:
                    passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
