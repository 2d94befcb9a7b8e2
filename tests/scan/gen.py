#!/usr/bin/env python3
"""A repository tree for `vmctr scan`, generated (python3 stdlib only).

    tests/scan/gen.py OUTDIR            the signal repository (OUTDIR/repo,
                                        a git work tree when git is there)
                                        and OUTDIR/expect.json
    tests/scan/gen.py --files N OUTDIR  a tree of N files (bench), git-tracked

The signal repository holds one file per signal family of docs/scan.md,
plus noise: an untracked Dockerfile (git mode must not see it), a binary
file whose bytes contain a needle, a symbolic link to a file outside the
tree, a file name with a newline and an escape sequence, a FIFO, and a
file larger than VM_LIMIT_SCAN_READ whose needle lies past the limit.
"""
import json
import os
import shutil
import subprocess
import sys

FILES = {
    # path: (content, {field: (value, needle or None)})
    "Dockerfile": ("# build\nFROM nvidia/cuda:12.2-runtime\nRUN apt-get install -y kmod && modprobe nvidia\n", None),
    "deploy/db.yaml": ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n"
                       "    spec:\n      containers:\n        - resources: {limits: {nvidia.com/gpu: 1}}\n", None),
    "chart/Chart.yaml": ("apiVersion: v2\nname: shop\n", None),
    ".github/workflows/ci.yml": ("on: [push]\njobs: {}\n", None),
    "infra/main.tf": ("resource \"null_resource\" \"x\" {}\n", None),
    "src/app.py": ("import logging\n\nh = logging.FileHandler('/var/log/app.log')\n", None),
    "requirements.txt": ("flask==3.0\nopentelemetry-sdk==1.20\n", None),
    "src/Legacy/Legacy.csproj": ("<Project>\n  <PropertyGroup>\n    <TargetFrameworkVersion>v4.8</TargetFrameworkVersion>\n"
                                 "    <UseWindowsForms>true</UseWindowsForms>\n  </PropertyGroup>\n</Project>\n", None),
    "packaging/app.service": ("[Unit]\nDescription=x\n[Service]\nExecStart=/usr/bin/app\n", None),
    "README.md": ("FROM nowhere: a README that mentions kind: Deployment is not a manifest\n", None),
}

WEIRD = "a\nodd \x1b[31m\u202e.tf"

# what scan must find: field -> (value, evidence path, evidence line)
EXPECT = {
    "workload.packaging": ("container-image", "Dockerfile", 2),
    "workload.hardware_access": ("gpu", "deploy/db.yaml", 8),
    "workload.stateful": ("true", "deploy/db.yaml", 2),
    "workload.custom_kernel": ("true", "Dockerfile", 3),
    "workload.os": ("windows", "src/Legacy/Legacy.csproj", 3),
    "workload.gui": ("true", "src/Legacy/Legacy.csproj", 4),
    "strategy.current_platform": ("kubernetes", "deploy/db.yaml", 2),
    "delivery.ci_cd": ("basic", ".github/workflows/ci.yml", 1),
    "team.iac": ("partial", WEIRD, 1),
    "operations.observability": ("cloud-native", "requirements.txt", 2),
}
HINTS = {"workload.twelve_factor": ("false", "src/app.py", 3)}


def git(*args, cwd):
    return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t"] + list(args), cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def write(root, path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full) or root, exist_ok=True)
    with open(full, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def signal_repo(out):
    root = os.path.join(out, "repo")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for path, (content, _) in FILES.items():
        write(root, path, content)
    # noise that must not count
    write(root, "bin/blob.bin", b"\x7fELF\0\0kind: StatefulSet\nmodprobe x\n")  # binary: never read for needles
    write(root, "tools/big.sh", "#!/bin/sh\n" + "# filler\n" * 40000 + "modprobe past_the_limit\n")  # > 256 KiB
    write(root, WEIRD, "variable \"x\" {}\n")  # sorts before infra/: the iac evidence, with a hostile name
    outside = os.path.join(out, "outside.sh")
    write(out, "outside.sh", "insmod /tmp/evil.ko\n")
    os.symlink(outside, os.path.join(root, "tools", "link.sh"))
    try:
        os.mkfifo(os.path.join(root, "tools", "fifo.sh"))
    except (OSError, AttributeError):
        pass
    has_git = shutil.which("git") is not None and git("init", "-q", ".", cwd=root)
    if has_git:
        # the FIFO cannot be added; everything else is tracked
        for p in list(FILES) + ["bin/blob.bin", "tools/big.sh", WEIRD, "tools/link.sh"]:
            git("add", "--", p, cwd=root)
        git("commit", "-q", "-m", "fixture", cwd=root)
        # untracked: git mode must not see it
        write(root, "untracked/Containerfile", "FROM scratch\n")
        write(root, "untracked/kmod.ko", b"\0\1\2")
    return root, has_git


def big_tree(out, n):
    root = os.path.join(out, "tree")
    if os.path.isdir(root):
        return
    os.makedirs(root)
    exts = [".py", ".js", ".java", ".md", ".txt", ".yaml", ".json", ".c", ".h", ".html"]
    for i in range(n):
        d = os.path.join(root, "pkg%03d" % (i % 500), "sub%02d" % (i % 7))
        os.makedirs(d, exist_ok=True)
        ext = exts[i % len(exts)]
        with open(os.path.join(d, "f%06d%s" % (i, ext)), "w") as f:
            f.write("line %d\n" % i * (1 + i % 40))
    write(root, "Dockerfile", "FROM alpine:3.19\n")
    write(root, "k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
    if shutil.which("git") and git("init", "-q", ".", cwd=root):
        git("add", "-A", cwd=root)
        git("commit", "-q", "-m", "tree", cwd=root)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--files":
        big_tree(args[2], int(args[1]))
        return
    out = args[0]
    os.makedirs(out, exist_ok=True)
    root, has_git = signal_repo(out)
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump({"root": root, "git": has_git, "expect": EXPECT, "hints": HINTS}, f, indent=1)


if __name__ == "__main__":
    main()
