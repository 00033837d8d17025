import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedPolicyArn } from '../../src/iam/managed-policies.ts';

test('the library holds the well-known AWS managed policies with real documents', () => {
  const all = awsManagedPolicies();
  assert.ok(all.size > 1000, `${all.size} policies`);
  for (const name of ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'IAMFullAccess', 'CloudWatchReadOnlyAccess']) {
    const p = awsManagedPolicy(`arn:aws:iam::aws:policy/${name}`);
    assert.ok(p, name);
    assert.equal(p.policyName, name);
    assert.equal(p.path, '/');
    assert.match(p.defaultVersionId, /^v\d+$/);
    assert.match(p.policyId, /^ANPA[A-Z2-7]{17}$/);
    assert.match(p.createDate, /^\d{4}-\d\d-\d\dT/);
    const doc = JSON.parse(p.document) as { Version: string; Statement: unknown[] };
    assert.equal(doc.Version, '2012-10-17');
    assert.ok(doc.Statement.length > 0);
  }
  assert.deepEqual(JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess')!.document).Statement, [
    { Effect: 'Allow', Action: '*', Resource: '*' },
  ]);
  assert.equal(awsManagedPolicies(), all, 'loaded once');
});

test('policies under paths have them in their ARN', () => {
  const lambda = awsManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
  assert.equal(lambda?.path, '/service-role/');
  const paths = new Set([...awsManagedPolicies().values()].map((p) => p.path));
  for (const path of ['/', '/service-role/', '/job-function/', '/aws-service-role/']) assert.ok(paths.has(path), path);
  for (const p of awsManagedPolicies().values()) {
    assert.equal(p.arn, `arn:aws:iam::aws:policy${p.path}${p.policyName}`);
  }
});

test('policy ids are stable and distinct', () => {
  const ids = new Set([...awsManagedPolicies().values()].map((p) => p.policyId));
  assert.equal(ids.size, awsManagedPolicies().size);
});

test('isAwsManagedPolicyArn', () => {
  assert.equal(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/Whatever'), true);
  assert.equal(isAwsManagedPolicyArn('arn:aws:iam::123456789012:policy/Mine'), false);
  assert.equal(awsManagedPolicy('arn:aws:iam::aws:policy/NoSuchPolicy'), undefined);
});
