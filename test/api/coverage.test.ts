// Coverage: every operation of AWS's current IAM and STS models, sent once through the real SDK
// with an empty input, gets an answer other than InvalidAction. NotImplemented only for the
// operations on the lists below, and every operation on them still answers NotImplemented, so
// the lists stay true as operations land.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as iamSdk from '@aws-sdk/client-iam';
import * as stsSdk from '@aws-sdk/client-sts';
import { IAM, STS, type ServiceModel } from '../../src/protocol/model.ts';
import { LEFT_TO_LATER } from '../../src/api/not-implemented.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

/** Left to later issues (Organizations, outbound federation, federation, the analyzer…): permanent for this issue. */
const LATER = new Set([
  'iam:EnableOrganizationsRootCredentialsManagement', 'iam:DisableOrganizationsRootCredentialsManagement',
  'iam:EnableOrganizationsRootSessions', 'iam:DisableOrganizationsRootSessions', 'iam:ListOrganizationsFeatures',
  'iam:GenerateOrganizationsAccessReport', 'iam:GetOrganizationsAccessReport', 'sts:AssumeRoot',
  'iam:EnableOutboundWebIdentityFederation', 'iam:DisableOutboundWebIdentityFederation',
  'iam:GetOutboundWebIdentityFederationInfo', 'sts:GetWebIdentityToken',
  'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity',
  'iam:GetHumanReadableSummary',
  'iam:AcquireRole', 'iam:GetRoleTemplateVersion', 'iam:GetAccountProperties', 'iam:PutAccountProperties',
]);

interface Answer { code: string; status: number | undefined; message: string }

let gh: TestGatehouse;
const answers = new Map<string, Answer>();

before(async () => {
  gh = await startTestGatehouse();
  const services: Array<[ServiceModel, Record<string, unknown>, { send(c: unknown): Promise<unknown> }]> = [
    [IAM, iamSdk, gh.iam],
    [STS, stsSdk, gh.sts],
  ];
  for (const [model, sdk, client] of services) {
    for (const name of model.operations.keys()) {
      const Command = sdk[`${name}Command`] as new (input: object) => unknown;
      assert.ok(Command, `the SDK has no ${name}Command`);
      try {
        await client.send(new Command({}));
        answers.set(`${model.id}:${name}`, { code: 'OK', status: 200, message: '' });
      } catch (e) {
        const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
        answers.set(`${model.id}:${name}`, { code: err.name, status: err.$metadata?.httpStatusCode, message: err.message });
      }
    }
  }
});
after(() => gh.close());

test('every operation of the current IAM and STS models was sent', () => {
  assert.equal(answers.size, IAM.operations.size + STS.operations.size);
  assert.ok(IAM.operations.size >= 176, `IAM has ${IAM.operations.size} operations`);
  assert.ok(STS.operations.size >= 11, `STS has ${STS.operations.size} operations`);
});

test('no operation answers InvalidAction', () => {
  const invalid = [...answers].filter(([, a]) => a.code === 'InvalidAction').map(([op]) => op);
  assert.deepEqual(invalid, []);
});

test('only the listed operations answer NotImplemented, and every listed one still does', () => {
  const notImplemented = [...answers].filter(([, a]) => a.code === 'NotImplemented').map(([op]) => op).sort();
  assert.deepEqual(notImplemented, [...LATER].filter((op) => answers.has(op)).sort());
  for (const op of LATER) assert.ok(answers.has(op), `${op} is not in the model`);
});

test('NotImplemented is a 501 that names the operation, and what the later ones wait for', () => {
  for (const [op, a] of answers) {
    if (a.code !== 'NotImplemented') continue;
    assert.equal(a.status, 501, op);
    const why = LEFT_TO_LATER[op];
    assert.equal(a.message, `Gatehouse does not implement ${op} yet${why === undefined ? '' : `: ${why}`}.`);
    assert.equal(why !== undefined, LATER.has(op), `${op}: a reason exactly for the operations left to later issues`);
  }
});

test('no operation fails inside the server on an empty input', () => {
  const internal = [...answers].filter(([, a]) => a.status === undefined || a.status >= 500 && a.code !== 'NotImplemented').map(([op, a]) => `${op} ${a.code}`);
  assert.deepEqual(internal, []);
});
