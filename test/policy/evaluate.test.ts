// The details of a decision: the statements that matched and AWS's denial messages. The decisions
// themselves, each case named after the AWS rule it checks, are data: test/policy/cases/*.json.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { denialMessage, evaluate } from '../../src/policy/index.ts';
import { allow, deny, doc, policySet, request, user } from './helpers.ts';

const BUCKET = 'arn:aws:s3:::bucket/key';
const alice = user('alice');
const id = (...s: object[]) => policySet('identity', doc(...s));
const pb = (...s: object[]) => policySet('boundary', doc(...s));
const scp = (...s: object[]) => policySet('scp', doc(...s));

describe('decision details', () => {
  test('matched statements name their policy, Sid and position', () => {
    const identity = id({ Sid: 'Read', ...allow('s3:Get*') }, { Sid: 'NoDelete', ...deny('s3:Delete*') });
    const r = evaluate(request(alice, 's3:GetObject', BUCKET), { identity });
    assert.deepEqual(r.matched.map((m) => [m.type, m.sid, m.index, m.effect]), [['identity', 'Read', 0, 'Allow']]);
  });

  test('an explicit deny lists every denying statement across types', () => {
    const r = evaluate(request(alice, 's3:GetObject', BUCKET), { identity: id(deny('s3:*')), boundary: pb(deny('*')) });
    assert.deepEqual(r.matched.map((m) => m.type), ['identity', 'boundary']);
  });

  test("AWS's message for an implicit deny by identity policies", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    assert.equal(
      denialMessage(req, evaluate(req, {})),
      `User: ${alice.arn} is not authorized to perform: s3:GetObject on resource: ${BUCKET} because no identity-based policy allows the s3:GetObject action`,
    );
  });

  test("AWS's message for an explicit deny in a service control policy", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    const r = evaluate(req, { identity: id(allow('*')), scps: [scp(allow('*'), deny('s3:*'))] });
    assert.equal(denialMessage(req, r), `User: ${alice.arn} is not authorized to perform: s3:GetObject on resource: ${BUCKET} with an explicit deny in a service control policy`);
  });

  test("AWS's message names the permissions boundary", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    const r = evaluate(req, { identity: id(allow('*')), boundary: pb(allow('ec2:*')) });
    assert.match(denialMessage(req, r)!, /because no permissions boundary allows the s3:GetObject action$/);
  });

  test('an allowed request has no denial message', () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    assert.equal(denialMessage(req, evaluate(req, { identity: id(allow('*')) })), undefined);
  });
});
