#!/usr/bin/env python3
"""The completion scripts of `vmctr completion bash|zsh|fish`.

    tests/cli/completion.py BIN SHELL        SHELL: bash, zsh or fish

What the program says it has is read from its --help (not from the
generator): the commands of `vmctr --help`, the subcommands a command's usage
names (`rules list|show|lint`: a word W is a subcommand when
`vmctr CMD W --help` prints `Usage: vmctr CMD W ...`), and the long options
of each (sub)command's Options block. Then, for SHELL:

  * the script is generated twice, byte-identical, and passes the shell's
    syntax check (`bash -n`, `zsh -n`, `fish -n`);
  * every command and subcommand, and every option of each, is completed:
    bash through the generated function (COMP_LINE/COMP_POINT set as bash
    sets them, COMPREPLY read back), fish through `complete -C`; zsh has no
    non-interactive completion driver, so its script is checked to name
    each command, subcommand and option, and to register itself (compinit,
    then `$_comps[vmctr]`);
  * bash and fish: option values (every option with fixed choices offers
    exactly those, as --help lists them), --what-if field paths and values
    (the enum values of `vmctr schema`), rule ids (`vmctr rules list`),
    files for FILE operands, `help COMMAND`, `completion SHELL`.

A missing zsh or fish exits 77 (ctest: skipped), except under CI=true,
where it fails. Ends with "N passed, N failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testlib  # noqa: E402

BIN = testlib.binary()
SHELL = sys.argv[2]
ENV = testlib.env(COLUMNS="100")
T = testlib.Tally()
ok = T.ok


def vmctr(*args, check=True):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV)
    if check and p.returncode != 0:
        sys.exit("vmctr %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[:300]))
    return p


# ---- what --help says --------------------------------------------------------

def help_commands():
    out = vmctr("--help").stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [l.split()[0] for l in block.splitlines() if l.strip() and l.split()[0] != "help"]


def options_of(words):
    out = vmctr(*words, "--help").stdout
    block = out.split("Options:\n", 1)[1].split("\n\n", 1)[0]
    opts = {}
    for line in block.splitlines():
        m = re.match(r"^(?:  -([A-Za-z0-9]), |      )--([a-z][a-z0-9-]*)", line)
        if m:
            opts["--" + m.group(2)] = ("-" + m.group(1)) if m.group(1) else None
        else:
            m = re.match(r"^  -([A-Za-z0-9])\b", line)
            if m:
                opts["-" + m.group(1)] = None
    return opts


def subcommands(cmd):
    usage = vmctr(cmd, "--help").stdout.splitlines()[0]
    m = re.match(r"^Usage: vmctr %s ([a-z0-9|-]+)" % re.escape(cmd), usage)
    if not m or "|" not in m.group(1):
        return []
    subs = []
    for w in m.group(1).split("|"):
        p = vmctr(cmd, w, "--help", check=False)
        if p.returncode == 0 and re.match(r"^Usage: vmctr %s %s( |$)" % (cmd, w), p.stdout):
            subs.append(w)
    return subs


COMMANDS = help_commands()
PATHS = []  # (words, options)
for c in COMMANDS:
    subs = subcommands(c)
    PATHS.append(([c], options_of([c]) if not subs else {"--help": "-h"}))
    for s in subs:
        PATHS.append(([c, s], options_of([c, s])))

ok(len(COMMANDS) >= 8, "vmctr --help lists the commands", repr(COMMANDS))
ok("completion" in COMMANDS and "version" in COMMANDS, "completion and version are commands")


# ---- the script ----------------------------------------------------------------

script = vmctr("completion", SHELL).stdout
ok(script == vmctr("completion", SHELL).stdout, "%s: the script is deterministic" % SHELL)
bad = vmctr("completion", "tcsh", check=False)
ok(bad.returncode == 2 and "expected bash, zsh or fish" in bad.stderr, "an unknown shell is a usage error",
   bad.stderr)

tool = {"bash": "bash", "zsh": "zsh", "fish": "fish"}[SHELL]
if not shutil.which(tool):
    testlib.skip_all("%s is not installed (apt-get install %s; scripts/deps.sh test installs it)" % (tool, tool))

tmp = tempfile.mkdtemp(prefix="vmctr-completion-")
path = os.path.join(tmp, {"bash": "vmctr.bash", "zsh": "_vmctr", "fish": "vmctr.fish"}[SHELL])
with open(path, "w") as f:
    f.write(script)
p = subprocess.run([tool, "-n", path], capture_output=True, text=True)
ok(p.returncode == 0 and not p.stderr, "%s -n accepts the script" % tool, p.stderr)
if SHELL == "bash" and shutil.which("shellcheck"):
    p = subprocess.run(["shellcheck", "-s", "bash", path], capture_output=True, text=True)
    ok(p.returncode == 0, "shellcheck finds nothing in the bash script", p.stdout[:1500])
elif SHELL == "bash":
    T.skip("shellcheck is not installed: the bash script not checked (scripts/deps.sh test installs it)")

# a scratch directory for file completion
work = os.path.join(tmp, "work")
os.makedirs(os.path.join(work, "profiles"))
for name in ("app.yaml", "api.yml", "notes.txt"):
    open(os.path.join(work, name), "w").close()

BASH_DRIVER = r'''
source "$1"
shift
for line in "$@"; do
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
    COMPREPLY=()
    _vmctr
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u | tr '\n' ' '
    printf '\n'
done
'''


def complete_many(lines):
    """Candidates for each command line (cursor at the end), in order."""
    if SHELL == "bash":
        p = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "driver", path, *lines],
                           capture_output=True, text=True, cwd=work)
        if p.returncode != 0 or p.stderr:
            sys.exit("bash driver failed: %s" % p.stderr[:500])
        outs = p.stdout.split("\n")[:len(lines)]
        return [set(o.split()) for o in outs]
    if SHELL == "fish":
        prog = "source %s\n" % path + "".join(
            "echo @@; complete -C %s | string replace -r '\\t.*' ''\n" % fish_quote(l) for l in lines) + "exit 0\n"
        p = subprocess.run(["fish", "--no-config", "-c", prog], capture_output=True, text=True, cwd=work,
                           env=dict(ENV, HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp))
        if p.returncode != 0 or p.stderr:
            sys.exit("fish driver failed (exit %d): %s" % (p.returncode, p.stderr[:800]))
        return [set(chunk.split()) for chunk in p.stdout.split("@@\n")[1:]]
    raise AssertionError


def fish_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


# ---- zsh: static checks only ------------------------------------------------------

if SHELL == "zsh":
    for words, opts in PATHS:
        label = " ".join(words)
        if len(words) == 1:
            ok("\n    '%s:" % words[0] in script, "zsh: command %s is listed" % label)
            ok("\n    %s)\n" % words[0] in script, "zsh: command %s has a case" % label)
        else:
            ok("\n    '%s')\n" % label in script, "zsh: subcommand %s has a case" % label)
        for o in opts:
            ok("'%s:" % o in script, "zsh: %s option %s is listed" % (label, o))
    p = subprocess.run(["zsh", "-f", "-c", "autoload -U compinit && compinit -u -d %s/zcd && source %s && "
                        "print -r -- $_comps[vmctr]" % (tmp, path)], capture_output=True, text=True,
                       env=dict(ENV, HOME=tmp))
    ok(p.stdout.strip() == "_vmctr" and not p.stderr, "zsh: sourcing the script registers _vmctr",
       p.stdout + p.stderr)
    shutil.rmtree(tmp)
    sys.exit(T.done())


# ---- bash and fish: completion results --------------------------------------------

schema = json.loads(vmctr("schema").stdout)
rl = json.loads(vmctr("rules", "list", "--format", "json").stdout)
rule_ids = [r["id"] for r in (rl["items"] if isinstance(rl, dict) else rl)]


def choices_in_help(words, opt):
    """The fixed choices of an option, as the option parser lists them when
    given a value outside them (None: the option takes no fixed choice)."""
    # the option first, then an unknown one: a value outside fixed choices is
    # reported first; any other option stops at the unknown one (exit 2)
    p = vmctr(*words, opt + "=\x01", "--zz-no-such-option", check=False)
    m = re.search(r"expected one of (.*?)(?: \(did you mean|$)", p.stderr, re.M)
    return set(x.strip() for x in m.group(1).split(",")) if m else None


cases = []   # (line, check(result) -> (bool, what))


def expect(line, want, exact=False, what=None):
    cases.append((line, want, exact, what or "complete %r" % line))


cmds_all = set(COMMANDS) | {"help"}
expect("vmctr ", cmds_all, exact=True, what="vmctr <TAB> gives every command of --help (and help)")
expect("vmctr help ", set(COMMANDS), what="vmctr help <TAB> gives every command")
expect("vmctr completion ", {"bash", "zsh", "fish"}, exact=True)
for words, opts in PATHS:
    label = " ".join(words)
    if len(words) == 1 and words[0] != "completion":
        expect("vmctr %s" % words[0][:-1], {words[0]}, what="command %s completes from a prefix" % label)
    if len(words) == 2:
        expect("vmctr %s %s" % (words[0], words[1][:2]), {words[1]},
               what="subcommand %s completes from a prefix" % label)
    expect("vmctr %s --" % label, {o for o in opts if o.startswith("--")},
           what="every long option of 'vmctr %s --help' is offered" % label)
    for o, short in opts.items():
        if o in ("--help",):
            continue
        ch = choices_in_help(words, o)
        if ch:
            expect("vmctr %s %s " % (label, o), ch, exact=True,
                   what="vmctr %s %s offers exactly its choices %s" % (label, o, sorted(ch)))
            v = sorted(ch)[0]
            # bash replaces the text after the '=', fish the whole word
            expect("vmctr %s %s=%s" % (label, o, v[:1]),
                   {("" if SHELL == "bash" else o + "=") + x for x in ch if x.startswith(v[:1])}, exact=True,
                   what="vmctr %s %s=PREFIX offers the matching choices" % (label, o))
            if short:
                expect("vmctr %s %s " % (label, short), ch, exact=True,
                       what="vmctr %s %s offers the choices too" % (label, short))

os_values = set(schema["$defs"]["workload"]["properties"]["os"]["enum"]) - {None}
if SHELL == "bash":
    # bash replaces the word after its last '=': candidates are the values
    expect("vmctr advise --what-if workload.os=", os_values, exact=True,
           what="--what-if FIELD= offers the field's values (schema enum)")
    expect("vmctr advise --what-if=workload.os=l", {v for v in os_values if v.startswith("l")}, exact=True,
           what="--what-if=FIELD=PREFIX offers the matching values")
else:
    expect("vmctr advise --what-if workload.os=", {"workload.os=" + v for v in os_values}, exact=True,
           what="--what-if FIELD= offers the field's values (schema enum)")
expect("vmctr advise --what-if workload.o", {"workload.os="}, exact=True,
       what="--what-if completes a field path")
expect("vmctr init --set delivery.rel", {"delivery.release_frequency="}, exact=True,
       what="--set completes a field path")
expect("vmctr rules show deliv", {r for r in rule_ids if r.startswith("deliv")}, exact=True,
       what="rules show completes the built-in rule ids")
expect("vmctr rules show ", set(rule_ids), exact=True, what="rules show offers every built-in rule id")
expect("vmctr advise a", {"app.yaml", "api.yml"}, what="advise completes files")
expect("vmctr check --output a", {"app.yaml", "api.yml"}, what="--output completes files")
expect("vmctr check pro", {"profiles" if SHELL == "bash" else "profiles/"}, what="check completes directories")

results = complete_many([c[0] for c in cases])
for (line, want, exact, what), got in zip(cases, results):
    if exact:
        ok(got == want, "%s: %s" % (SHELL, what), "missing %s, extra %s" % (sorted(want - got), sorted(got - want)))
    else:
        ok(want <= got, "%s: %s" % (SHELL, what), "missing %s (got %s)" % (sorted(want - got), sorted(got)[:20]))

shutil.rmtree(tmp)
sys.exit(T.done())
