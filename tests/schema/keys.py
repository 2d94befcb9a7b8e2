#!/usr/bin/env python3
"""The report schema names exactly the keys the report writer emits.

    tests/schema/keys.py VMCTR_BINARY

`vmctr schema --report` (src/lib/schema_report.c) and the report's one writer
(src/lib/report_json.c) take their keys from one table (src/lib/report_keys.h). ajv (tests/schema/check.sh)
proves every real report is valid, which with "additionalProperties": false
means every emitted key is in the schema; it cannot see a key the schema
names that the writer no longer emits. This test compares both ways, as sets
of key paths ("report.recommendation.platforms.vm", "[]" for list items, "*"
for objects keyed by data such as a rule's effects), over the reports of
every example and acceptance profile: full (--format json, with and without
--what-if), lean (--format ndjson), a report list with an error record, and
the lean form's error record (written apart from the list's).
Needs no external tool (python3 only). Exit 0 when the sets agree, else 1
with the differences.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile


def schema_paths(schema, stop=frozenset()):
    """Key paths of the objects a schema describes; a $ref to a name in
    `stop` is not followed (that record is compared on its own)."""
    defs = schema.get("$defs", {})
    out = set()

    def walk(node, path, seen):
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name in seen or name in stop:
                return
            walk(defs[name], path, seen | {name})
        for k in ("oneOf", "anyOf", "allOf"):
            for sub in node.get(k, []):
                walk(sub, path, seen)
        props = node.get("properties")
        if props:
            for key, sub in props.items():
                out.add(path + (key,))
                walk(sub, path + (key,), seen)
        elif node.get("type") == "object" or "propertyNames" in node:
            extra = node.get("additionalProperties")
            if extra is not False:
                out.add(path + ("*",))
                walk(extra if isinstance(extra, dict) else {}, path + ("*",), seen)
        if "items" in node:
            walk(node["items"], path + ("[]",), seen)

    walk(schema, (), frozenset())
    return out


def instance_paths(value, wild, path, out, skip=()):
    """Adds the key paths of value to out; lists under a key in `skip` are
    left out (their records are compared on their own)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            k = "*" if path + ("*",) in wild else key
            out.add(path + (k,))
            if not (isinstance(sub, list) and k in skip):
                instance_paths(sub, wild, path + (k,), out)
    elif isinstance(value, list):
        for sub in value:
            instance_paths(sub, wild, path + ("[]",), out)


def run(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode not in (0, 3):
        sys.exit("vmctr %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def main():
    binary = os.path.abspath(sys.argv[1])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    os.chdir(root)
    schema = json.loads(run(binary, "schema", "--report"))
    files = sorted(glob.glob("examples/*.yaml") + glob.glob("tests/acceptance/*.yaml"))
    docs = []
    for f in files:
        docs.append(json.loads(run(binary, "advise", "--format", "json", f)))
        docs.append(json.loads(run(binary, "advise", "--format", "json", "-w",
                                   "delivery.release_frequency=quarterly", "-w", "isolation.multi_tenant=true", f)))
        for line in run(binary, "advise", "--format", "ndjson", "-w", "workload.os=windows", f).splitlines():
            docs.append(json.loads(line))
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as t:
        t.write("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: bad}\nspec: {workload: {os: plan9}}\n")
        bad = t.name
    try:
        docs.append(json.loads(run(binary, "advise", "--format", "json", files[0], bad)))
        # the lean form's error record (src/cli/cmd_advise.c writes it apart)
        for line in run(binary, "advise", "--format", "ndjson", files[0], bad).splitlines():
            docs.append(json.loads(line))
    finally:
        os.unlink(bad)
    # each record against its own definition: reports (alone, in a list,
    # as a what-if), the list around them, error records
    defs = schema["$defs"]
    want = set()
    seen = set()
    for name in ("report", "report_list", "error"):
        paths = schema_paths(dict(defs[name], **{"$defs": defs}), stop={"report", "error"})
        want |= {(name,) + p for p in paths}
    wild = {p for p in want if p[-1] == "*"}

    def add(kind, obj):
        if kind == "report_list":
            for item in obj.get("items", []):
                add("report", item)
            for item in obj.get("errors", []):
                add("error", item)
        instance_paths(obj, wild, (kind,), seen, ("items", "errors") if kind == "report_list" else ())

    for d in docs:
        add({"vmctr.report-list/v1": "report_list", "vmctr.error/v1": "error"}.get(d.get("schema"), "report"), d)
    show = lambda p: ".".join(p)
    missing = sorted(show(p) for p in seen - want)
    unused = sorted(show(p) for p in want - seen)
    for p in missing:
        print("FAIL the writer emits %s, the schema does not name it" % p)
    for p in unused:
        print("FAIL the schema names %s, no report emits it" % p)
    print("%d key paths, %d only in reports, %d only in the schema" % (len(want), len(missing), len(unused)))
    return 1 if missing or unused else 0


if __name__ == "__main__":
    sys.exit(main())
