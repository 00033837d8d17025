// Session tags, packed policy size and encoded authorization messages, without a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeAuthorizationMessage, encodeAuthorizationMessage } from '../../src/sts/authorization-message.ts';
import { packedPolicySize } from '../../src/sts/packed-policy.ts';
import { sessionTagContext, sessionTags } from '../../src/sts/session-tags.ts';
import { hashSessionToken, sessionTokenMatches, type Session } from '../../src/sts/sessions.ts';
import { secretBox } from '../../src/store/data-key.ts';
import type { Caller } from '../../src/iam/caller.ts';

test('session tags: checks, transitive keys, inheritance that cannot be overridden', () => {
  assert.throws(() => sessionTags({ tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }], transitiveTagKeys: [] }), { code: 'InvalidParameterValue' });
  assert.throws(() => sessionTags({ tags: [{ Key: 'aws:x', Value: '1' }], transitiveTagKeys: [] }), { code: 'InvalidParameterValue' });
  assert.throws(() => sessionTags({ tags: [], transitiveTagKeys: ['missing'] }), { code: 'InvalidParameterValue' });
  const inherited = { tags: [{ Key: 'project', Value: 'blue' }, { Key: 'temp', Value: 'x' }], transitiveTagKeys: ['project'] };
  assert.deepEqual(sessionTags({ tags: [{ Key: 'cost', Value: '7' }], transitiveTagKeys: [] }, inherited), {
    tags: [{ Key: 'project', Value: 'blue' }, { Key: 'cost', Value: '7' }],
    transitiveTagKeys: ['project'],
  });
  assert.throws(() => sessionTags({ tags: [{ Key: 'PROJECT', Value: 'red' }], transitiveTagKeys: [] }, inherited), { code: 'InvalidParameterValue' });
  const ctx = sessionTagContext({ tags: [{ Key: 'k', Value: 'v' }], transitiveTagKeys: ['k'] });
  assert.deepEqual(ctx, { 'aws:RequestTag/k': 'v', 'aws:TagKeys': ['k'], 'sts:TransitiveTagKeys': ['k'] });
});

test('packed policy size: absent without extras, a percentage, and AWS\'s two refusals', () => {
  assert.equal(packedPolicySize({}), undefined);
  const small = packedPolicySize({ policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' });
  assert.ok(small! > 0 && small! < 20, String(small));
  const noise = () => randomBytes(192).toString('base64');
  assert.throws(() => packedPolicySize({ tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: noise() })) }), {
    code: 'PackedPolicyTooLarge',
    message: /^Packed size of session tags consumes \d+% of allotted space\.$/,
  });
  assert.throws(() => packedPolicySize({ policy: noise() + noise() + noise() + noise() + noise() + noise() }), {
    code: 'PackedPolicyTooLarge',
    message: /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
  });
});

test('session tokens are compared by hash', () => {
  const session = { tokenHash: hashSessionToken('token-1') } as Session;
  assert.equal(sessionTokenMatches(session, 'token-1'), true);
  assert.equal(sessionTokenMatches(session, 'token-2'), false);
  assert.equal(sessionTokenMatches(session, undefined), false);
});

test('an encoded authorization message decodes only with the same data key and account', () => {
  const box = secretBox(randomBytes(32));
  const caller: Caller = { principal: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', account: '111122223333' }, accountId: '111122223333', userId: 'AIDAEXAMPLE', userName: 'bob', accessKeyId: 'AKIA', tags: [] };
  const request = { principal: caller.principal, action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/r', context: new Map([['aws:username', 'bob']]) };
  const encoded = encodeAuthorizationMessage(box, '111122223333', caller, request, { decision: 'ImplicitDeny', deniedBy: 'identity', matched: [] });
  const doc = JSON.parse(decodeAuthorizationMessage(box, '111122223333', encoded));
  assert.deepEqual(doc.context.principal, { id: 'AIDAEXAMPLE', name: 'bob', arn: 'arn:aws:iam::111122223333:user/bob' });
  assert.deepEqual(doc.context.conditions.items, [{ key: 'aws:username', values: { items: [{ value: 'bob' }] } }]);
  assert.equal(doc.allowed, false);
  assert.throws(() => decodeAuthorizationMessage(box, '444455556666', encoded), { code: 'InvalidAuthorizationMessageException' });
  assert.throws(() => decodeAuthorizationMessage(secretBox(randomBytes(32)), '111122223333', encoded), { code: 'InvalidAuthorizationMessageException' });
});
