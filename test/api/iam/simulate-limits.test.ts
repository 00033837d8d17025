// Issue 13, finding 1: SimulateCustomPolicy is in IAMReadOnlyAccess, and one call of 300
// statements of `StringLike aws:username "*a*a…*b"`, 100 actions and a 40,000-character context
// value held every other request for 13 s. Simulations now run on worker threads within a time
// budget: the request thread stays free, and a simulation past its budget answers 400.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  ListUsersCommand,
  SimulateCustomPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';

let gh: TestGatehouse;
let reader: IAMClient;

before(async () => {
  gh = await startTestGatehouse();
  await gh.iam.send(new CreateUserCommand({ UserName: 'reader' }));
  await gh.iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  const key = (await gh.iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
  reader = gh.iamFor({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
  // Start the simulation workers first: their start-up is not what the bounds below measure.
  await reader.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policyOf(1, '*')], ActionNames: ['s3:GetObject'] }));
});
after(() => gh.close());

/** A policy of `count` statements, each allowing everything when aws:username is like `pattern`. */
function policyOf(count: number, pattern: string): string {
  const statement = { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:username': pattern } } };
  return JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: count }, () => statement) });
}

const actions = (n: number) => Array.from({ length: n }, (_, i) => `s3:GetObject${i}`);
const longName = [{ ContextKeyName: 'aws:username', ContextKeyValues: ['a'.repeat(40_000)], ContextKeyType: 'string' as const }];

describe('a huge simulation', () => {
  test('the issue\'s own call now answers, and quickly', async () => {
    const t0 = performance.now();
    const out = await reader.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [policyOf(300, `${'*a'.repeat(60)}*b`)],
      ActionNames: actions(100),
      ContextEntries: longName,
    }));
    assert.equal(out.EvaluationResults!.length, 100);
    assert.ok(out.EvaluationResults!.every((r) => r.EvalDecision === 'implicitDeny'));
    assert.ok(performance.now() - t0 <= 5000);
  });

  test('past its budget answers 400 InvalidInput, and never holds other requests', async () => {
    // A middle block that occurs nowhere: each of the 300 conditions scans the 40,000 characters,
    // for each of 1,000 results: far past the 2 s budget.
    const t0 = performance.now();
    const huge = reader.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [policyOf(300, `${'*a'.repeat(30)}*ab*`)],
      ActionNames: actions(1000),
      ContextEntries: longName,
      MaxItems: 1000,
    })).then(
      () => assert.fail('the huge simulation answered'),
      (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => ({ e, ms: performance.now() - t0 }),
    );
    await new Promise((r) => setTimeout(r, 300));
    let worst = 0;
    let answered = 0;
    let settled = false;
    void huge.then(() => (settled = true));
    for (let i = 0; i < 20 && !settled; i++) {
      const t = performance.now();
      await gh.iam.send(new ListUsersCommand({}));
      worst = Math.max(worst, performance.now() - t);
      answered++;
    }
    const { e, ms } = await huge;
    assert.ok(answered > 0, 'other requests ran while the simulation ran');
    assert.ok(worst <= 1000, `another request waited ${Math.round(worst)} ms`);
    assert.equal(e.name, 'InvalidInputException');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.match(e.message ?? '', /^The simulation did not finish within 2000 ms\./);
    assert.ok(ms <= 5000, `the refusal took ${Math.round(ms)} ms`);
  });

  test('only the page asked for is simulated: a later page of a huge simulation answers', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }] });
    const resources = Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::b/${i}`);
    const first = await reader.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: actions(500), ResourceArns: resources, MaxItems: 3 }));
    assert.equal(first.IsTruncated, true);
    assert.deepEqual(first.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalResourceName]), [
      ['s3:GetObject0', 'arn:aws:s3:::b/0'], ['s3:GetObject0', 'arn:aws:s3:::b/1'], ['s3:GetObject0', 'arn:aws:s3:::b/2'],
    ]);
    const next = await reader.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: actions(500), ResourceArns: resources, MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(next.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]), [
      ['s3:GetObject0', 'arn:aws:s3:::b/3', 'allowed'], ['s3:GetObject0', 'arn:aws:s3:::b/4', 'allowed'],
    ]);
  });
});
