// The alert engine's cursor: events that cannot raise an alert move it in memory only (no write,
// no wait on the event writer's lock), it is stored with the next alert or on saveCursor(), and
// an engine started again over the same trail raises nothing twice.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.ts';
import { IamState } from '../../src/iam/state.ts';
import { AlertEngine } from '../../src/audit/alerts/engine.ts';
import { BUILTIN_PREFILTER, builtinRules } from '../../src/audit/alerts/builtin.ts';
import { ManualClock } from '../../src/model/clock.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-alert-engine-'));
after(() => rmSync(root, { recursive: true, force: true }));

const identity = (type: 'IAMUser' | 'Root') => ({ type, principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' });
const call = (eventName: string, type: 'IAMUser' | 'Root' = 'IAMUser') => ({
  eventVersion: '1.11', userIdentity: identity(type), eventTime: '2026-11-23T10:00:00Z', eventSource: 'iam.amazonaws.com', eventName,
  awsRegion: 'us-east-1', sourceIPAddress: '10.0.0.1', requestParameters: null, responseElements: null, readOnly: true, recipientAccountId: '123456789012',
});
const storedCursor = (store: SqliteStore) => store.readCursor('alerts');

/** A fresh trail in `dir`, its clock, and engines over it with the built-in rules and their prefilter (null: none). */
async function trail(dir: string, prefilter: RegExp | null = BUILTIN_PREFILTER) {
  const store = await openSqliteStore(join(root, dir));
  const state = await IamState.load(store);
  const clock = new ManualClock(new Date('2026-11-23T10:00:00Z'));
  const engine = () => new AlertEngine({ store, state, rules: builtinRules(), targets: [], now: () => clock.now(), prefilter: prefilter ?? undefined });
  return { store, clock, engine };
}

test('reads move the cursor without writing it; an alert stores it; a new engine raises nothing twice', async () => {
  const { store, clock, engine } = await trail('a');

  const first = engine();
  await store.appendEvents([call('ListUsers'), call('GetUser')], false);
  assert.deepEqual(await first.processNew(), []);
  assert.equal(await storedCursor(store), undefined, 'events that cannot raise an alert write nothing');

  await store.appendEvents([call('ListRoles'), call('ListUsers', 'Root'), call('GetUser')], false);
  assert.deepEqual((await first.processNew()).map((a) => [a.rule, a.eventId]), [['root-activity', 4]]);
  assert.equal(await storedCursor(store), 5, 'stored with the alert, past the whole batch');

  await store.appendEvents([call('ListUsers')], false);
  assert.deepEqual(await first.processNew(), []);
  assert.equal(await storedCursor(store), 5);
  await first.saveCursor();
  assert.equal(await storedCursor(store), 6);

  // Started again (as after a crash before saveCursor): nothing raised twice.
  await store.appendEvents([call('GetUser')], false);
  assert.deepEqual(await engine().processNew(), []);
  assert.equal((await store.recentAlerts(100)).length, 1);
  await store.close();
});

test('a cursor moved in memory is stored once it has waited long enough', async () => {
  const t = await trail('b');
  const { store, clock } = t;
  const engine = t.engine();
  await store.appendEvents([call('ListUsers')], false);
  await engine.processNew();
  assert.equal(await storedCursor(store), undefined);
  clock.advance(11_000);
  await store.appendEvents([call('ListUsers')], false);
  await engine.processNew();
  assert.equal(await storedCursor(store), 2);
  await store.close();
});

test('a run screened where it was written is passed reading only its candidates; one screened too late changes nothing', async () => {
  const t = await trail('screened');
  const { store, clock } = t;
  const engine = t.engine();
  // Ids 1-4, screened: only 3 is a candidate. Event 2 would raise an alert if it were read, so
  // an alert for 3 alone shows that the engine trusted the screening and read nothing else.
  await store.appendEvents([call('ListUsers'), call('ListUsers', 'Root'), call('ListRoles', 'Root'), call('GetUser')], false);
  engine.screened(1, 4, [3]);
  assert.deepEqual((await engine.processNew()).map((a) => [a.rule, a.eventId]), [['root-activity', 3]]);
  // Ids 5-6 are read the usual way (no screening): the root call raises its alert.
  await store.appendEvents([call('GetUser', 'Root'), call('ListUsers')], false);
  assert.deepEqual((await engine.processNew()).map((a) => a.eventId), [5]);
  // A screening for a run the cursor has passed is dropped and raises nothing again.
  engine.screened(5, 6, [5]);
  assert.deepEqual(await engine.processNew(), []);
  await store.appendEvents([call('ListUsers')], false);
  assert.deepEqual(await engine.processNew(), []);
  assert.equal(await storedCursor(store), 6, 'stored with the alert for 5, past its batch; 7 moved it in memory only');
  await store.close();
});

test('without a prefilter, screenings are ignored and every event is read', async () => {
  const t = await trail('unscreened', null);
  const { store } = t;
  const engine = t.engine();
  await store.appendEvents([call('ListUsers', 'Root'), call('GetUser', 'Root')], false);
  engine.screened(1, 2, []);
  assert.deepEqual((await engine.processNew()).map((a) => a.eventId), [1, 2]);
  await store.close();
});
