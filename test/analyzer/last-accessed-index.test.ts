// The last accessed index over a trail given as rows: it reads in pages past its cursor, keeps the
// newest use per (entity, action), attributes sessions to their role, and ignores what is no IAM
// entity's (root, federated users, unauthenticated calls, console sign-in, unreadable rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastAccessedIndex } from '../../src/analyzer/last-accessed-index.ts';
import type { EventRow } from '../../src/store/trail.ts';

const user = (id: string) => ({ type: 'IAMUser', principalId: id });
const session = (roleId: string) => ({ type: 'AssumedRole', principalId: `${roleId}:s`, sessionContext: { sessionIssuer: { type: 'Role', principalId: roleId } } });

function trail(events: (object | string)[]): { rows: EventRow[]; reads: number[]; read: (afterId: number, limit: number) => Promise<EventRow[]> } {
  const rows = events.map((e, i) => ({ id: i + 1, time: '2025-01-01T00:00:00Z', json: typeof e === 'string' ? e : JSON.stringify(e) }));
  const reads: number[] = [];
  return {
    rows,
    reads,
    read: async (afterId, limit) => {
      reads.push(afterId);
      return rows.filter((r) => r.id > afterId).slice(0, limit);
    },
  };
}

const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
const call = (identity: object, source: string, name: string, minute: number, region = 'us-east-1') => ({
  userIdentity: identity,
  eventSource: `${source}.amazonaws.com`,
  eventName: name,
  eventTime: at(minute),
  awsRegion: region,
});

test('the newest use of each action per user and per role, sessions counting for their role', async () => {
  const t = trail([
    call(user('AIDA1'), 'iam', 'GetUser', 1),
    call(user('AIDA1'), 'iam', 'GetUser', 3, 'eu-west-1'),
    call(user('AIDA1'), 'iam', 'GetUser', 2), // written later, older: the newer stays
    call(session('AROA1'), 'sts', 'GetCallerIdentity', 4),
    call({ type: 'Root', principalId: '123456789012' }, 'iam', 'ListUsers', 5),
    call({ type: 'FederatedUser', principalId: '123456789012:bob' }, 'iam', 'ListUsers', 5),
    call({ type: 'Unknown' }, 'iam', 'ListUsers', 5),
    call(user('AIDA1'), 'signin', 'ConsoleLogin', 6),
    'not json',
  ]);
  const index = new LastAccessedIndex(t.read);
  await index.catchUp();
  assert.deepEqual([...index.usesOf('AIDA1')!], [['iam:GetUser', { time: at(3), region: 'eu-west-1' }]]);
  assert.deepEqual([...index.usesOf('AROA1')!], [['sts:GetCallerIdentity', { time: at(4), region: 'us-east-1' }]]);
  assert.equal(index.cursor, 9);
});

test('reads in pages past its cursor; a later catch-up reads only what is new; concurrent ones share a reading', async () => {
  const events = Array.from({ length: 4500 }, (_, i) => call(user(`AIDA${i % 3}`), 'iam', `Action${i % 7}`, i % 60));
  const t = trail(events);
  const index = new LastAccessedIndex(t.read);
  await Promise.all([index.catchUp(), index.catchUp()]);
  assert.deepEqual(t.reads, [0, 2000, 4000]);
  assert.equal(index.cursor, 4500);
  t.rows.push({ id: 4501, time: at(0), json: JSON.stringify(call(user('AIDA9'), 'sts', 'GetCallerIdentity', 59)) });
  await index.catchUp();
  assert.deepEqual(t.reads.slice(3), [4500]);
  assert.equal(index.usesOf('AIDA9')!.get('sts:GetCallerIdentity')!.time, at(59));
  assert.equal(index.usesOf('AIDA0')!.size, 7);
});
