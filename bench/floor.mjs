#!/usr/bin/env node
// The cost floor for policy evaluation on this machine: for each request, one Map lookup by
// service prefix and one precompiled regex test per candidate statement. It computes no real
// decision; it says how fast the simplest possible pass over the same statements can go, so an
// engine's throughput can be read as a ratio to it, measured in the same run.
// Usage: node floor.mjs [workload.json] [seconds]   → prints one JSON line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] || join(here, 'data', 'policy-workload.json.gz');
const seconds = Number(process.argv[3] || 3);
const raw = readFileSync(file);
const w = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const esc = (s) => s.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
const glob = (pats) => new RegExp('^(?:' + pats.map((p) => p.toLowerCase().split('*').map(esc).join('.*')).join('|') + ')$');

const byService = new Map();
const everywhere = [];
for (const p of [...w.identityPolicies, w.permissionsBoundary]) {
  for (const s of list(p.document.Statement)) {
    const actions = [...list(s.Action), ...list(s.NotAction)];
    const services = new Set(actions.map((a) => a.toLowerCase().split(':')[0]));
    const entry = glob(actions);
    if (s.NotAction || services.size !== 1) everywhere.push(entry);
    else {
      const k = [...services][0];
      if (!byService.has(k)) byService.set(k, []);
      byService.get(k).push(entry);
    }
  }
}
for (const [k, v] of byService) byService.set(k, v.concat(everywhere));

const reqs = w.requests;
function pass() {
  let hits = 0;
  for (let i = 0; i < reqs.length; i++) {
    const a = reqs[i].action.toLowerCase();
    const cands = byService.get(a.slice(0, a.indexOf(':'))) || everywhere;
    for (let j = 0; j < cands.length; j++) if (cands[j].test(a)) hits++;
  }
  return hits;
}
let sink = 0;
const warmUntil = performance.now() + 1000;
while (performance.now() < warmUntil) sink += pass();
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) { sink += pass(); n += reqs.length; }
const perSec = Math.round(n / ((performance.now() - t0) / 1000));
console.log(JSON.stringify({ name: 'floor', decisionsPerSec: perSec, requests: reqs.length, sink: sink % 7 }));
