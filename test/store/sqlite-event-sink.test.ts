import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.ts';
import { lookupKeysOf } from '../../src/audit/lookup-keys.ts';
import { EventQueries } from '../../src/audit/query.ts';
import { withSqlite } from './sqlite-support.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-writer-thread-'));
after(() => rmSync(root, { recursive: true, force: true }));

const event = (name: string) => ({ eventVersion: '1.11', eventName: name, eventSource: 'iam.amazonaws.com', eventTime: '2026-11-23T10:00:00Z', eventID: `id-${name}`, readOnly: true, requestParameters: null, responseElements: null, userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' } });
/** The writer thread is sent events as their JSON text. */
const text = (name: string) => JSON.stringify(event(name));
const eventCount = (store: SqliteStore) => withSqlite(store, (db) => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);

test('batches written by the writer thread are in the store, indexed, and announced to its listeners', async () => {
  const store = await openSqliteStore(join(root, 'a'), { eventKeys: lookupKeysOf });
  const sink = store.openEventSink();
  const announced: [number, number][] = [];
  store.onEvents((first, last) => announced.push([first, last]));
  await sink.appendEvents([text('ListUsers'), text('GetUser')], false);
  await store.commit({ puts: [], deletes: [], events: [event('CreateUser')] });
  await sink.appendEvents([text('ListRoles')], true);
  assert.deepEqual(announced, [[1, 2], [3, 3], [4, 4]]);
  const rows = withSqlite(store, (db) => db.prepare('SELECT id, json FROM events ORDER BY id').all() as { id: number; json: string }[]);
  assert.deepEqual(rows.map((r) => JSON.parse(r.json).eventName), ['ListUsers', 'GetUser', 'CreateUser', 'ListRoles']);
  const byUser = await new EventQueries(store).page({ attribute: { key: 'Username', value: 'alice' }, limit: 10 });
  assert.deepEqual(byUser.rows.map((r) => r.id), [4, 3, 2, 1]);

  // Closed, it starts a new thread for the next batch.
  await sink.close();
  await sink.appendEvents([text('ListGroups')], false);
  assert.equal(eventCount(store), 5);
  await sink.close();
  await store.close();
});

test('a batch that cannot be written is refused with the database’s error, and nothing of it is kept', async () => {
  const store = await openSqliteStore(join(root, 'b'), { eventKeys: lookupKeysOf });
  withSqlite(store, (db) => db.exec("CREATE TRIGGER refuse BEFORE INSERT ON events WHEN json_extract(NEW.json, '$.eventName') = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"));
  const sink = store.openEventSink();
  await assert.rejects(sink.appendEvents([text('ListUsers'), text('Refused')], false), /refused by the test/);
  assert.equal(eventCount(store), 0);
  await sink.appendEvents([text('ListUsers')], false);
  assert.equal(eventCount(store), 1);
  await sink.close();
  await store.close();
});

test('with a prefilter, the thread tells which ids of each batch match it', async () => {
  const store = await openSqliteStore(join(root, 'screen'), { eventKeys: lookupKeysOf });
  const screened: [number, number, readonly number[]][] = [];
  const sink = store.openEventSink({ prefilter: /"eventName":"Create/g, onScreened: (first, last, candidates) => screened.push([first, last, candidates]) });
  await sink.appendEvents([text('ListUsers'), text('CreateUser'), text('CreateRole'), text('GetUser')], false);
  await store.commit({ puts: [], deletes: [], events: [event('CreateGroup')] });
  await sink.appendEvents([text('ListRoles'), text('CreateUser')], false);
  await sink.appendEvents([text('ListRoles')], false);
  assert.deepEqual(screened, [[1, 4, [2, 3]], [6, 7, [7]], [8, 8, []]]);
  await sink.close();
  await store.close();
});

test('a sink needs the module of the store’s event keys function, for its thread to import it', async () => {
  const store = await openSqliteStore(join(root, 'keys'), { eventKeys: (e) => lookupKeysOf(e) });
  assert.throws(() => store.openEventSink(), /eventKeys\.module/);
  await store.close();
});
