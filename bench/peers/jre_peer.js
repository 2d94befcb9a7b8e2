#!/usr/bin/env node
// Benchmark peer: json-rules-engine 7 on Node.js, fed by js-yaml.
//
// Same work as bench/peers/py_peer.py: parse every document of a
// multi-document YAML stream, run the rule catalogue (translated from rules/
// by rules_to_json.py --jre) through a json-rules-engine Engine, pick the
// paradigm and the platform, and print one JSON report per profile (NDJSON)
// with the fired rules, blockers and unknowns.  Components are evaluated on
// the merged spec, one engine run each.
//
// vmctr's rule semantics need custom operators: a leaf on an absent field is
// false, except `unknown`.  gt..lte on ordered enums compare the numeric
// `FIELD#rank` fact that this peer adds for each ordered field present.
//
//   node jre_peer.js CATALOGUE.json CORPUS.yaml [LIMIT] > reports.ndjson
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');
const { Engine } = require('json-rules-engine');

const [catPath, corpusPath, limitArg] = process.argv.slice(2);
if (!catPath || !corpusPath) {
  process.stderr.write('usage: jre_peer.js CATALOGUE.json CORPUS.yaml [LIMIT]\n');
  process.exit(2);
}
const CAT = JSON.parse(fs.readFileSync(catPath, 'utf8'));
const LIMIT = limitArg ? parseInt(limitArg, 10) : Infinity;

const same = (a, b) => {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
};
const def = (v) => v !== undefined && v !== null;

const engine = new Engine([], { allowUndefinedFacts: true });
engine.addOperator('v_eq', (f, v) => def(f) && same(f, v));
engine.addOperator('v_ne', (f, v) => def(f) && !same(f, v));
engine.addOperator('v_in', (f, v) => def(f) && v.some((x) => same(f, x)));
engine.addOperator('v_not_in', (f, v) => def(f) && !v.some((x) => same(f, x)));
engine.addOperator('v_contains', (f, v) => Array.isArray(f) && f.includes(v));
engine.addOperator('v_known', (f) => def(f));
engine.addOperator('v_unknown', (f) => !def(f));
for (const r of CAT.engine_rules) engine.addRule(r);

const PAR = CAT.paradigms;
const PLAT = CAT.platforms;

function flatten(spec) {
  const flat = {};
  for (const sec of CAT.categories) {
    const d = spec[sec];
    if (d && typeof d === 'object' && !Array.isArray(d)) {
      for (const k of Object.keys(d)) {
        const v = d[k];
        if (!def(v)) continue;
        const f = sec + '.' + k;
        flat[f] = v;
        const order = CAT.ordered[f];
        if (order) {
          const i = order.indexOf(v);
          if (i >= 0) flat[f + '#rank'] = i;
        }
      }
    }
  }
  return flat;
}

async function evaluate(spec) {
  const flat = flatten(spec);
  const prio = spec.priorities || {};
  const { events } = await engine.run(flat);
  const fired = events.map((e) => e.params.rule).sort((a, b) => a - b);
  const par = Object.fromEntries(PAR.map((p) => [p, 0]));
  const plat = Object.fromEntries(PLAT.map((p) => [p, 0]));
  const excluded = new Set();
  const rationale = [];
  const blockers = [];
  for (const i of fired) {
    const r = CAT.rules[i];
    if (r.excludes.length) {
      r.excludes.forEach((x) => excluded.add(x));
      blockers.push({ rule: r.id, excludes: r.excludes, reference: r.reference });
    }
    const w = (def(prio[r.category]) ? prio[r.category] : 3) / 3;
    const keys = Object.keys(r.scores);
    if (w === 0 || keys.length === 0) continue;
    let total = 0;
    for (const k of keys) {
      const c = r.scores[k] * w;
      if (k in par) { par[k] += c; total += c; } else if (k in plat) plat[k] += c;
    }
    rationale.push({
      rule: r.id, category: r.category, contribution: total, reference: r.reference,
      because: r.fields.filter((f) => f in flat).map((f) => ({ field: 'spec.' + f, value: flat[f] })),
    });
  }
  let cands = PAR.filter((p) => !excluded.has(p));
  if (!cands.length) cands = PAR;
  const ranked = cands.slice().sort((a, b) => (par[b] - par[a]) || (PAR.indexOf(a) - PAR.indexOf(b)));
  const best = ranked[0];
  const second = ranked.length > 1 ? par[ranked[1]] : 0;
  const conf = (par[best] - second) / (Math.abs(par[best]) + Math.abs(second) + 1);
  let pc = PLAT.filter((p) => !excluded.has(p) && (best === 'hybrid' || CAT.platform_paradigm[p] === best));
  if (!pc.length) pc = PLAT;
  let platform = pc[0];
  for (const p of pc) if (plat[p] > plat[platform]) platform = p;
  const unknowns = CAT.fields.filter((f) => !(f in flat)).map((f) => ({ field: 'spec.' + f, swing: CAT.swing[f] || 0 }));
  rationale.sort((a, b) => (Math.abs(b.contribution) - Math.abs(a.contribution)) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return {
    rec: { paradigm: best, platform, confidence: Math.round(Math.max(0, Math.min(1, conf)) * 1000) / 1000 },
    scores: { paradigms: par, platforms: plat }, rationale, blockers, unknowns,
  };
}

function merge(parent, comp) {
  const out = Object.assign({}, parent);
  for (const k of Object.keys(comp)) {
    if (k === 'name') continue;
    const v = comp[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object') {
      out[k] = Object.assign({}, out[k], v);
    } else out[k] = v;
  }
  return out;
}

async function report(doc) {
  const spec = doc.spec || {};
  const e = await evaluate(spec);
  const comps = [];
  for (const c of spec.components || []) {
    const ce = await evaluate(merge(spec, c));
    comps.push({ name: c.name, recommendation: ce.rec });
  }
  if (comps.length) {
    const ps = new Set(comps.map((c) => c.recommendation.paradigm));
    e.rec.paradigm = ps.size > 1 ? 'hybrid' : [...ps][0];
  }
  return {
    schema: 'vmctr.report/v1',
    profile: { name: (doc.metadata || {}).name, file: corpusPath },
    recommendation: e.rec, scores: e.scores, rationale: e.rationale,
    blockers: e.blockers, unknowns: e.unknowns, counterfactuals: [], components: comps,
  };
}

// js-yaml's loadAll builds every document before calling back; a stream of
// 100,000 profiles would hold them all.  Split at document markers (a line
// starting with `---`, which ends a document wherever it appears) and load
// each document on its own, as a Node service reading such a stream would.
function* documents(text) {
  let start = 0;
  for (;;) {
    const i = text.indexOf('\n---', start);
    const end = i < 0 ? text.length : i + 1;
    const chunk = text.slice(start, end);
    if (chunk.trim() !== '' && chunk.trim() !== '---') {
      const d = yaml.load(chunk);
      if (d) yield d;
    }
    if (i < 0) return;
    start = i + 1;
  }
}

async function main() {
  const text = fs.readFileSync(corpusPath, 'utf8');
  let n = 0;
  let buf = [];
  for (const d of documents(text)) {
    if (n >= LIMIT) break;
    buf.push(JSON.stringify(await report(d)));
    n++;
    if (buf.length >= 256) { fs.writeSync(1, buf.join('\n') + '\n'); buf = []; }
  }
  if (buf.length) fs.writeSync(1, buf.join('\n') + '\n');
  process.stderr.write(`jre_peer: ${n} profiles\n`);
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
