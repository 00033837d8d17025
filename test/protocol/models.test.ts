// The committed service models are what `npm run generate:models` makes from the AWS SDK v3
// clients installed: a bumped client without regenerated models fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUDTRAIL, IAM, STS } from '../../src/protocol/model.ts';

test('src/protocol/models/*.json are the generator’s output for the installed SDK clients', () => {
  const out = mkdtempSync(join(tmpdir(), 'gatehouse-models-'));
  try {
    execFileSync(process.execPath, ['scripts/generate-models.mjs', '--out', out], { stdio: 'pipe' });
    for (const id of ['iam', 'sts', 'cloudtrail']) {
      const committed = readFileSync(new URL(`../../src/protocol/models/${id}.json`, import.meta.url), 'utf8');
      assert.ok(committed === readFileSync(join(out, `${id}.json`), 'utf8'), `${id}.json is stale: run npm run generate:models`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('answers keep the model’s member order, not the schemas’ required-first order', () => {
  const names = (op: string, service = IAM) => service.operations.get(op)!.input!.members.map((m) => m.name);
  assert.deepEqual(names('CreateUser'), ['Path', 'UserName', 'PermissionsBoundary', 'Tags']);
  const user = IAM.operations.get('GetUser')!.output!.byName.get('User')!.shape;
  assert.equal(user.kind, 'structure');
  if (user.kind === 'structure') {
    assert.deepEqual(user.members.map((m) => m.name), ['Path', 'UserName', 'UserId', 'Arn', 'CreateDate', 'PasswordLastUsed', 'PermissionsBoundary', 'Tags']);
  }
  assert.deepEqual(names('AssumeRole', STS).slice(0, 3), ['RoleArn', 'RoleSessionName', 'PolicyArns']);
  assert.equal(IAM.operations.get('GetUser')!.resultWrapper, 'GetUserResult');
  assert.equal(IAM.xmlns, 'https://iam.amazonaws.com/doc/2010-05-08/');
  assert.equal(STS.version, '2011-06-15');
  assert.equal(CLOUDTRAIL.targetPrefix, 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101');
  // Sensitive members stay sensitive (they are hidden in the audit trail).
  assert.equal(IAM.operations.get('UpdateSAMLProvider')!.input!.byName.get('AddPrivateKey')!.shape.sensitive, true);
});
