import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Caller } from '../../src/iam/caller.ts';
import { requestContext } from '../../src/authz/context.ts';

const alice: Caller = {
  principal: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', account: '123456789012' },
  accountId: '123456789012',
  userId: 'AIDAALICE',
  userName: 'alice',
  entityId: 'AIDAALICE',
  accessKeyId: 'AKIAALICE',
  tags: [{ Key: 'Team', Value: 'blue' }],
};
const facts = { sourceIp: '10.0.0.7', secureTransport: false, region: 'eu-west-1', now: new Date('2026-11-23T10:00:05.900Z'), userAgent: 'aws-cli/2' };

test('the request context holds the keys AWS sets, lowercased, whichever way it is read first', () => {
  const expected = new Map<string, string | string[]>([
    ['aws:userid', 'AIDAALICE'],
    ['aws:username', 'alice'],
    ['aws:principalarn', 'arn:aws:iam::123456789012:user/alice'],
    ['aws:principalaccount', '123456789012'],
    ['aws:principaltype', 'User'],
    ['aws:principalisawsservice', 'false'],
    ['aws:viaawsservice', 'false'],
    ['aws:principaltag/team', 'blue'],
    ['aws:sourceip', '10.0.0.7'],
    ['aws:securetransport', 'false'],
    ['aws:requestedregion', 'eu-west-1'],
    ['aws:currenttime', '2026-11-23T10:00:05Z'],
    ['aws:epochtime', String(Math.floor(Date.parse('2026-11-23T10:00:05Z') / 1000))],
    ['aws:useragent', 'aws-cli/2'],
    ['iam:policyarn', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  ]);
  const extra = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
  const readers: ((c: ReturnType<typeof requestContext>) => unknown)[] = [
    (c) => c.get('aws:username'),
    (c) => c.has('aws:sourceip'),
    (c) => c.size,
    (c) => [...c],
    (c) => [...c.keys()],
  ];
  for (const first of readers) {
    const ctx = requestContext(alice, facts, extra);
    first(ctx);
    assert.deepEqual(new Map(ctx), expected);
    assert.deepEqual([...ctx.entries()], [...expected.entries()]);
    assert.deepEqual([...ctx.values()], [...expected.values()]);
    assert.equal(ctx.size, expected.size);
    assert.equal(ctx.get('aws:principaltag/team'), 'blue');
    assert.equal(ctx.has('aws:tokenissuetime'), false);
    const seen: string[] = [];
    ctx.forEach((_, key, map) => {
      assert.equal(map, ctx);
      seen.push(key);
    });
    assert.deepEqual(seen, [...expected.keys()]);
  }
});
