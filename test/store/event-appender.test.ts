import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { signingKeyOf } from '../../src/audit/digest.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { openEventAppender } from '../../src/store/event-appender.ts';
import { verifyTrail } from '../../src/audit/verify.ts';
import { withSqlite } from './sqlite-support.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-appender-'));
after(() => rmSync(root, { recursive: true, force: true }));

const keysOf = (event: unknown) => [['EventName', (event as { eventName: string }).eventName] as const, ['Username', 'alice'] as const];
const event = (n: number) => ({ eventName: `Call${n}`, eventTime: `2026-11-23T10:00:${String(n).padStart(2, '0')}Z` });

test('the store and a second connection appending in turn make one unbroken hash chain', async () => {
  const dir = join(root, 'chain');
  const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
  const store = await openSqliteStore(dir, { eventKeys: keysOf, chainKey: key.chainKey });
  const appender = openEventAppender(store.file, { eventKeys: keysOf, chainKey: key.chainKey });
  const announced: [number, number][] = [];
  store.onEvents((first, last) => announced.push([first, last]));

  await store.commit({ puts: [], deletes: [], events: [event(1)] });
  assert.deepEqual(appender.append([JSON.stringify(event(2)), JSON.stringify(event(3))], false), { first: 2, last: 3 });
  await store.commit({ puts: [], deletes: [], events: [event(4)] });
  assert.deepEqual(appender.append([JSON.stringify(event(5))], true), { first: 5, last: 5 });
  appender.close();

  assert.deepEqual(announced, [[1, 1], [4, 4]], 'the store announces its own commits; the appender’s are announced by whoever sent them');
  const report = await verifyTrail(store, key, { digestIntervalSeconds: 60, now: new Date('2026-11-23T10:00:10Z') });
  assert.equal(report.intact, true, report.problem?.message);
  assert.equal(report.events, 5);
  assert.equal(report.unkeyed, 0, 'both connections key the chain');
  const keys = withSqlite(store, (db) => db.prepare("SELECT value, event_id FROM event_keys WHERE name = 'EventName' ORDER BY event_id").all());
  assert.deepEqual(keys, [1, 2, 3, 4, 5].map((n) => ({ value: `Call${n}`, event_id: n })));
  assert.equal(withSqlite(store, (db) => (db.prepare("SELECT COUNT(*) AS n FROM event_keys WHERE name = 'Username'").get() as { n: number }).n), 5);
  await store.close();
});

test('an appender refuses a database that does not exist rather than creating an empty one', () => {
  assert.throws(() => openEventAppender(join(root, 'nowhere', 'gatehouse.db')), /unable to open|directory does not exist|SQLITE_CANTOPEN/i);
});

test('an event with more lookup keys than one statement writes takes several, and keeps them all', async () => {
  const many = (event: unknown) => Array.from({ length: 19 }, (_, i) => ['ResourceName', `${(event as { eventName: string }).eventName}-r${i}`] as const);
  const store = await openSqliteStore(join(root, 'many'), { eventKeys: many });
  await store.commit({ puts: [], deletes: [], events: [event(1)] });
  const appender = openEventAppender(store.file, { eventKeys: many });
  appender.append([JSON.stringify(event(2))], false);
  appender.close();
  const count = (id: number) => withSqlite(store, (db) => (db.prepare('SELECT COUNT(*) AS n FROM event_keys WHERE event_id = ?').get(id) as { n: number }).n);
  assert.equal(count(1), 19);
  assert.equal(count(2), 19);
  await store.close();
});
