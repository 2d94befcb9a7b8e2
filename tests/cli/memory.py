#!/usr/bin/env python3
"""Peak memory stays flat however long the input stream is.

    tests/cli/memory.py BIN PEAKRSS

Also: a directory of 10,000 profile files with a few broken ones is
assessed in one run (-j 2) with every profile reported and the broken ones
named, exit 3.

Builds a 1 MB and a 100 MB multi-document stream of valid profiles (with a
broken document every 1,000), runs `vmctr validate`, `vmctr advise --format
ndjson -j 2` and `vmctr portfolio` over both, and fails when the peak
resident memory of the 100 MB run exceeds the 1 MB run's by more than 2 MB.
Peaks are the children's ru_maxrss as reported by PEAKRSS (tests/cli/peakrss.c,
a small C parent so that the inherited baseline stays near 1 MB).
Also the -j bound (docs/performance.md, issue 13): a stream of profiles
with 64 components each, whose reports are ~100-500 times their input,
stays under 64 MiB peak at -j 64 in the formats with the largest output
(it reached 5 GB when the ring held 4 x N jobs of 32 documents' output).
Ends with "N passed, N failed".
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testlib  # noqa: E402

BIN = testlib.binary()
PEAKRSS = os.path.abspath(sys.argv[2])
LIMIT_KB = 2048

PROFILE = """---
apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: app-{n}
  owner: team-{m}
  labels: {{tier: backend, cost-center: cc-{m}}}
spec:
  workload: {{architecture: microservices, lifecycle: greenfield, os: linux, packaging: container-image, twelve_factor: true, stateful: false}}
  isolation: {{segregation: standard, compliance: [gdpr]}}
  economics: {{budget: moderate, vendor_support: preferred, lock_in_tolerance: medium}}
  delivery: {{release_frequency: daily, scaling: elastic, downtime_tolerance: none, ci_cd: advanced}}
  team: {{linux: advanced, containers: advanced, kubernetes: basic, iac: partial, culture: devops}}
  strategy: {{hosting: hybrid-cloud, cloud_provider: aws, ecosystem: open-source, modernization: refactor}}
  operations: {{availability: high, observability: cloud-native, instances: {i}}}
  decision: {{paradigm: container, platform: kubernetes}}
"""
BROKEN = """---
apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: broken-{n}
spec:
  delivery: {{release_frequency: dayly}}
"""


def write_stream(path, size):
    with open(path, "w") as f:
        n = 0
        written = 0
        while written < size:
            doc = BROKEN.format(n=n) if n % 1000 == 999 else PROFILE.format(n=n, m=n % 17, i=1 + n % 500)
            f.write(doc)
            written += len(doc)
            n += 1
    return n


def peak_kb(args):
    out = subprocess.run([PEAKRSS, BIN] + args, check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def main():
    t = testlib.Tally(verbose=True)
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.yaml")
        large = os.path.join(tmp, "large.yaml")
        ns = write_stream(small, 1 << 20)
        nl = write_stream(large, 100 << 20)
        print(f"streams: {ns} and {nl} documents")
        for args in (["validate"], ["advise", "--format", "ndjson", "-j", "2"], ["portfolio"]):
            rc_s, kb_s = peak_kb(args + [small])
            rc_l, kb_l = peak_kb(args + [large])
            t.ok(rc_s == 3 and rc_l == 3 and kb_l - kb_s <= LIMIT_KB,
                 f"{' '.join(args)}: peak {kb_s} KB on 1 MB, {kb_l} KB on 100 MB (at most {LIMIT_KB} KB more), "
                 f"exit {rc_s}/{rc_l} (3: some documents are broken)")
        # -j 64 on documents with 64 components: in-flight output is bounded
        comp = os.path.join(tmp, "components.yaml")
        comps = "".join("    - {name: c%d}\n" % i for i in range(64))
        with open(comp, "w") as f:
            for n in range(600):
                f.write("---\napiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: app-%d}\n"
                        "spec:\n  workload: {architecture: microservices, os: linux}\n  components:\n" % n + comps)
        for args in (["advise", "--format", "json"], ["advise", "--format", "html"], ["check", "--format", "junit"]):
            rc, kb = peak_kb(args + ["-j", "64", comp])
            t.ok(rc == 0 and kb < 64 * 1024,
                 f"{' '.join(args)} -j 64, 64 components: exit {rc}, peak {kb} KB (limit 65536)")
        # a directory of 10,000 profiles with a few broken ones: nothing lost
        d = os.path.join(tmp, "inventory")
        os.makedirs(os.path.join(d, "team-a"))
        os.makedirs(os.path.join(d, "team-b"))
        broken = 0
        for n in range(10000):
            sub = "team-a" if n % 2 else "team-b"
            with open(os.path.join(d, sub, f"app-{n:05d}.yaml"), "w") as f:
                if n % 997 == 13:
                    f.write(BROKEN.format(n=n))
                    broken += 1
                else:
                    f.write(PROFILE.format(n=n, m=n % 17, i=1 + n % 500))
        out = subprocess.run([BIN, "advise", "--format", "ndjson", "-j", "2", d], capture_output=True, text=True)
        lines = out.stdout.splitlines()
        errors = [l for l in lines if '"vmctr.error/v1"' in l]
        reports = [l for l in lines if '"vmctr.report/v1"' in l]
        stderr_errors = [l for l in out.stderr.splitlines() if ": error: " in l]
        t.ok((out.returncode, len(reports), len(errors), len(stderr_errors)) == (3, 10000 - broken, broken, broken),
             f"directory of 10,000 profiles ({broken} broken): every one reported, exit 3",
             f"exit {out.returncode}, {len(reports)} reports, {len(errors)} error records, {len(stderr_errors)} "
             f"errors on stderr (expected 3, {10000 - broken}, {broken}, {broken})")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
