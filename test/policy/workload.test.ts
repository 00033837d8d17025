// The standard policy workload (bench/data/policy-workload.json.gz, a copy of the team's standard one): every decision must equal `expected`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.ts';
import { loadWorkload } from '../../bench/workload.ts';

test('every decision of the standard workload equals its expected decision', () => {
  const w = loadWorkload();
  assert.equal(w.requests.length, w.expected.length);
  const wrong: string[] = [];
  w.requests.forEach((req, i) => {
    const got = evaluate(req, { identity: w.identity, boundary: w.boundary }).decision;
    if (got !== w.expected[i]) wrong.push(`#${i} ${req.action} ${req.resource}: got ${got}, expected ${w.expected[i]}`);
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} mismatches`);
});
