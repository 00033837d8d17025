// npm run bench:policy -- [WORKLOAD.json] [seconds]
// Evaluates every request of a policy workload after a warm-up and prints one JSON line:
// {"name":"policy","decisionsPerSec":N,"p50us":X,"p99us":Y,"mismatches":M}
import { evaluate, type EvaluationPolicies } from '../src/policy/index.ts';
import { loadWorkload, STANDARD_WORKLOAD } from './workload.ts';

const file = process.argv[2] || STANDARD_WORKLOAD;
const seconds = Number(process.argv[3] || 3);
const w = loadWorkload(file);
const policies: EvaluationPolicies = { identity: w.identity, boundary: w.boundary };
const reqs = w.requests;

let mismatches = 0;
for (let i = 0; i < reqs.length; i++) if (evaluate(reqs[i], policies).decision !== w.expected[i]) mismatches++;

function pass(): number {
  let allowed = 0;
  for (let i = 0; i < reqs.length; i++) if (evaluate(reqs[i], policies).decision === 'Allowed') allowed++;
  return allowed;
}

let sink = 0;
const warmUntil = performance.now() + 1000;
while (performance.now() < warmUntil) sink += pass();

// Throughput: whole passes over the workload, as the floor measures.
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  sink += pass();
  n += reqs.length;
}
const decisionsPerSec = Math.round(n / ((performance.now() - t0) / 1000));

// Latency: each decision timed on its own (hrtime's own cost, ~50 ns, is included).
const samples: number[] = [];
for (let round = 0; round < 3; round++) {
  for (let i = 0; i < reqs.length; i++) {
    const t = process.hrtime.bigint();
    sink += evaluate(reqs[i], policies).matched.length;
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
}
samples.sort((a, b) => a - b);
const pct = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(2));
console.log(JSON.stringify({ name: 'policy', decisionsPerSec, p50us: pct(0.5), p99us: pct(0.99), mismatches, requests: reqs.length, sink: sink % 7 }));
