#!/usr/bin/env python3
"""gen-docs.py - regenerates the generated parts of the documentation.

The field reference of docs/profile.md comes from `vmctr schema` (the JSON
Schema the binary generates from its field table), the order of the ordered
enums from the rank columns of src/lib/field.c, the limits from the
VM_LIMIT_* macros of include/vmctr/common.h, and the list of built-in rules
in docs/rules.md from `vmctr rules list --format json` (or, while that
command does not exist, from rules/*.yaml). Only the text between
`<!-- BEGIN GENERATED X -->` and `<!-- END GENERATED X -->` is replaced;
everything else in the files is written by hand.

Usage:
    scripts/gen-docs.py [--bin build/release/vmctr]            # rewrite docs/ in place
    scripts/gen-docs.py --bin BIN --output-dir DIR             # write regenerated copies to DIR
    scripts/gen-docs.py --bin BIN --check                      # exit 1 and show a diff if stale

Needs python3 with PyYAML only for the rules/*.yaml fallback.
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ["workload", "isolation", "economics", "delivery", "team", "strategy",
            "operations", "priorities", "decision"]
CATEGORIES = SECTIONS[:7]


def run(binary, *args):
    try:
        p = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        sys.exit("gen-docs: cannot run %s: %s (build it first)" % (binary, e.strerror))
    return p.returncode, p.stdout.decode("utf-8")


def code(s):
    return "`%s`" % s


def md_escape(s):
    return s.replace("|", "\\|")


# ---- profile fields ----------------------------------------------------------

def describe(prop, defs):
    """(type, values) of one schema property, for the field table."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        if name == "name":
            return "name", "DNS label: `[a-z0-9-]`, 1..63 characters, no leading or trailing `-`"
        prop = defs[name]
    if "enum" in prop:
        vals = [v for v in prop["enum"] if v is not None]
        return "enum", ", ".join(code(v) for v in vals)
    types = prop.get("type", [])
    if isinstance(types, str):
        types = [types]
    types = [t for t in types if t != "null"]
    t = types[0] if types else "?"
    if t == "boolean":
        return "bool", "`true`, `false`"
    if t == "integer":
        return "integer", "%s..%s" % (prop.get("minimum", ""), prop.get("maximum", ""))
    if t == "array":
        items = prop.get("items", {})
        if "enum" in items:
            return "list of enums", ", ".join(code(v) for v in items["enum"] if v is not None)
        return "list of strings", "free strings (at most %s items)" % prop.get("maxItems", "?")
    if t == "object":
        return "map string → string", "at most %s entries" % prop.get("maxProperties", "?")
    if t == "string":
        return "string", "free text (at most %s bytes)" % prop.get("maxLength", "?")
    return t, ""


def field_rows(prefix, props, defs, ordered):
    rows = ["| field | type | values | meaning |", "|---|---|---|---|"]
    for key, prop in props.items():
        path = prefix + key
        typ, vals = describe(prop, defs)
        if path in ordered:
            typ = "ordered enum"
        desc = prop.get("description", "")
        if not desc and "$ref" in prop:
            desc = defs[prop["$ref"].rsplit("/", 1)[1]].get("description", "")
        rows.append("| %s | %s | %s | %s |" % (code(path), typ, md_escape(vals), md_escape(desc)))
    return rows


def gen_fields(schema, ordered):
    defs = schema["$defs"]
    out = []
    meta = schema["properties"]["metadata"]
    out.append("### `metadata` — %s" % meta.get("description", ""))
    out.append("")
    out.append("Required: %s." % ", ".join(code("metadata." + r) for r in meta.get("required", [])))
    out.append("")
    out += field_rows("metadata.", meta["properties"], defs, ordered)
    for sec in SECTIONS:
        d = defs[sec]
        out.append("")
        out.append("### `spec.%s` — %s" % (sec, d.get("description", "")))
        out.append("")
        out += field_rows("spec.%s." % sec, d["properties"], defs, ordered)
    comp = defs.get("component")
    if comp:
        out.append("")
        out.append("### `spec.components[]` — %s" % comp.get("description", ""))
        out.append("")
        keys = list(comp["properties"].keys())
        out.append("Keys of an item: %s (at most %s items)." % (
            ", ".join(code(k) for k in keys), defs["components"].get("maxItems", "?")))
    return out


def parse_ranks():
    """Ordered enums from src/lib/field.c: {path: [values from lowest to highest]}."""
    src = open(os.path.join(ROOT, "src/lib/field.c"), encoding="utf-8").read()
    skill = re.search(r'#define SKILL V\(([^)]*)\)', src).group(1)
    pat = re.compile(r'\bF\(\s*\w+,\s*"(\w+)",\s*"(\w+)",\s*VM_T_ENUM,\s*(V\(([^)]*)\)|SKILL),\s*(R\(([^)]*)\)|NULL)')
    out = {}
    for m in pat.finditer(src):
        sec, key, vals, ranks = m.group(1), m.group(2), m.group(4), m.group(6)
        if ranks is None:
            continue
        vals = re.findall(r'"([^"]*)"', vals if vals is not None else skill)
        rk = [int(x) for x in ranks.split(",")]
        out["spec.%s.%s" % (sec, key)] = [v for _, v in sorted(zip(rk, vals))]
    return out


def gen_orders(ordered):
    out = ["| field | order, lowest first |", "|---|---|"]
    for path, vals in ordered.items():
        out.append("| %s | %s |" % (code(path), " < ".join(code(v) for v in vals)))
    return out


LIMIT_TEXT = {
    "VM_LIMIT_DOC_BYTES": "bytes in one YAML document (a stream may hold any number of documents)",
    "VM_LIMIT_DEPTH": "nesting of mappings and sequences",
    "VM_LIMIT_SCALAR_BYTES": "bytes in one scalar (a key or a value)",
    "VM_LIMIT_ITEMS": "entries in one mapping or sequence",
    "VM_LIMIT_COMPONENTS": "items of `spec.components`",
    "VM_LIMIT_ERRORS": "diagnostics reported per document (then `note: N more errors not shown`)",
    "VM_LIMIT_RULES": "rules in one rule set (built-in plus `--rules DIR`)",
    "VM_LIMIT_RULE_NODES": "condition nodes (`all`/`any`/`not`/leaves) in one rule's `when`",
    "VM_LIMIT_RULE_FILE": "bytes in one rule file",
}


def human_bytes(n):
    if n % (1024 * 1024) == 0:
        return " (%d MiB)" % (n // (1024 * 1024))
    if n % 1024 == 0 and n >= 1024:
        return " (%d KiB)" % (n // 1024)
    return ""


def gen_limits():
    src = open(os.path.join(ROOT, "include/vmctr/common.h"), encoding="utf-8").read()
    out = ["| limit | value | what it bounds |", "|---|---|---|"]
    for m in re.finditer(r'#define (VM_LIMIT_\w+)\s+(.+?)\s*(?:/\*(.*?)\*/)?\s*$', src, re.M):
        name, expr, comment = m.group(1), m.group(2), (m.group(3) or "").strip()
        value = eval(re.sub(r'(\d+)u\b', r'\1', expr), {"__builtins__": {}})
        text = LIMIT_TEXT.get(name, comment)
        extra = human_bytes(value) if "BYTES" in name or "FILE" in name else ""
        out.append("| `%s` | %d%s | %s |" % (name, value, extra, text))
    return out


# ---- rules -------------------------------------------------------------------

def rules_from_binary(binary):
    rc, out = run(binary, "rules", "list", "--format", "json")
    if rc != 0:
        return None
    try:
        data = json.loads(out)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = data.get("items", [])
    rules = []
    for r in data:
        if not isinstance(r, dict) or "id" not in r:
            return None
        if r.get("builtin", True) is False:
            continue
        rules.append({"id": r["id"], "title": r.get("title", ""), "reference": r.get("reference", "")})
    return rules


def rules_from_files():
    import yaml  # python3-yaml
    rules = []
    d = os.path.join(ROOT, "rules")
    for name in sorted(os.listdir(d)):
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(d, name), encoding="utf-8") as fp:
            doc = yaml.safe_load(fp)
        for r in doc.get("rules") or []:
            rules.append({"id": r["id"], "title": r.get("title", ""), "reference": r.get("reference", "")})
    return rules


def gen_rules(binary):
    rules = rules_from_binary(binary) if binary else None
    if rules is None:
        rules = rules_from_files()
    cat = {c: i for i, c in enumerate(CATEGORIES)}
    rules.sort(key=lambda r: (cat.get(r["id"].split(".", 1)[0], 99), r["id"]))
    out = ["%d built-in rules." % len(rules), ""]
    current = None
    for r in rules:
        c = r["id"].split(".", 1)[0]
        if c != current:
            if current is not None:
                out.append("")
            out.append("#### %s" % c)
            out.append("")
            out.append("| id | title | reference |")
            out.append("|---|---|---|")
            current = c
        out.append("| `%s` | %s | %s |" % (r["id"], md_escape(r["title"]), md_escape(r["reference"])))
    return out


# ---- splicing ----------------------------------------------------------------

def splice(text, name, lines, path):
    begin = "<!-- BEGIN GENERATED %s -->" % name
    end = "<!-- END GENERATED %s -->" % name
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        sys.exit("gen-docs: %s: markers %s / %s not found" % (path, begin, end))
    note = "<!-- generated by scripts/gen-docs.py; do not edit by hand -->"
    body = "\n".join([begin, note, ""] + lines + ["", end])
    return text[:i] + body + text[j + len(end):]


def main():
    ap = argparse.ArgumentParser(description="Regenerate the generated parts of docs/.")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/release/vmctr"), help="the vmctr binary")
    ap.add_argument("--output-dir", help="write the regenerated files here instead of in place")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 with a diff if docs are stale")
    a = ap.parse_args()

    rc, out = run(a.bin, "schema")
    if rc != 0:
        sys.exit("gen-docs: `%s schema` failed (exit %d)" % (a.bin, rc))
    schema = json.loads(out)
    ordered = parse_ranks()

    plan = {
        "docs/profile.md": [("FIELDS", gen_fields(schema, ordered)),
                            ("ORDERS", gen_orders(ordered)),
                            ("LIMITS", gen_limits())],
        "docs/rules.md": [("ORDERS", gen_orders(ordered)),
                          ("RULES", gen_rules(a.bin))],
    }
    stale = 0
    for rel, blocks in plan.items():
        path = os.path.join(ROOT, rel)
        old = open(path, encoding="utf-8").read()
        new = old
        for name, lines in blocks:
            new = splice(new, name, lines, rel)
        if a.check:
            if new != old:
                stale += 1
                sys.stdout.writelines(difflib.unified_diff(
                    old.splitlines(True), new.splitlines(True), rel, rel + " (regenerated)"))
            continue
        dest = os.path.join(a.output_dir, os.path.basename(rel)) if a.output_dir else path
        if a.output_dir or new != old:
            with open(dest, "w", encoding="utf-8") as fp:
                fp.write(new)
    if stale:
        print("gen-docs: %d file(s) out of date; run scripts/gen-docs.py --bin %s" % (stale, a.bin),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
