// LookupEvents' queries against a brute-force reading of the same events: events written by many
// appends whose times overlap and do not follow ids (batched reads commit after changes made
// later) still come newest first, exactly, page after page, by key and within time ranges,
// whether a key row stands for one event or for a run of them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { EventQueries, type EventsQuery } from '../../src/audit/query.ts';
import { withSqlite } from '../store/sqlite-support.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-query-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Ev {
  eventTime: string;
  user: string;
  name: string;
}
const keysOf = (e: unknown) => [['Username', (e as Ev).user] as const, ['EventName', (e as Ev).name] as const];
const time = (s: number) => `2026-11-23T10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`;

// Each append's events fall within a few seconds of its own start, which appends overlap: so a
// key row often covers a run of events (one second, consecutive ids), and runs interleave.
const appendsArb = fc.array(
  fc
    .tuple(
      fc.integer({ min: 0, max: 38 }),
      fc.array(fc.record({ offset: fc.integer({ min: 0, max: 2 }), user: fc.constantFrom('alice', 'bob', 'carol'), name: fc.constantFrom('ListUsers', 'CreateUser') }), { minLength: 1, maxLength: 40 }),
    )
    .map(([base, events]) => events.map((e) => ({ second: base + e.offset, user: e.user, name: e.name }))),
  { minLength: 1, maxLength: 10 },
);

let n = 0;
test('a key search gives the newest events first, exactly as a full scan would, in pages and time ranges', async () => {
  await fc.assert(
    fc.asyncProperty(
      appendsArb,
      fc.constantFrom('alice', 'bob', 'ListUsers', 'nobody'),
      fc.integer({ min: 1, max: 7 }),
      fc.option(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }))),
      async (appends, value, limit, range) => {
        const store = await openSqliteStore(join(root, `p${++n}`), { eventKeys: keysOf });
        const all: { id: number; time: string; ev: Ev }[] = [];
        for (const batch of appends) {
          const events = batch.map((b) => ({ eventTime: time(b.second), user: b.user, name: b.name }));
          await store.appendEvents(events, false);
          for (const ev of events) all.push({ id: all.length + 1, time: ev.eventTime, ev });
        }
        const key = value === 'ListUsers' ? 'EventName' : 'Username';
        const [start, end] = range === null ? [undefined, undefined] : [time(Math.min(...range)), time(Math.max(...range))];
        const expected = all
          .filter((e) => (key === 'EventName' ? e.ev.name : e.ev.user) === value && (start === undefined || (e.time >= start && e.time <= end!)))
          .sort((a, b) => (a.time > b.time ? -1 : a.time < b.time ? 1 : b.id - a.id))
          .map((e) => e.id);
        const queries = new EventQueries(store);
        const seen: number[] = [];
        let q: EventsQuery = { attribute: { key, value }, start, end, limit };
        for (;;) {
          const page = await queries.page(q);
          seen.push(...page.rows.map((r) => r.id));
          if (!page.more) break;
          const last = page.rows.at(-1)!;
          q = { ...q, after: { time: last.time, id: last.id } };
        }
        await store.close();
        assert.deepEqual(seen, expected);
      },
    ),
    { numRuns: 60 },
  );
});

test('a run longer than a key row covers is split, and a search still finds every event of it once', async () => {
  const store = await openSqliteStore(join(root, 'long-run'), { eventKeys: keysOf });
  const second = Array.from({ length: 150 }, () => ({ eventTime: time(5), user: 'alice', name: 'ListUsers' }));
  await store.appendEvents([...second, ...second.map((e) => ({ ...e, eventTime: time(6) }))], false);
  const rows = withSqlite(store, (db) => (db.prepare("SELECT COUNT(*) AS n FROM event_keys WHERE name = 'Username'").get() as { n: number }).n);
  assert.equal(rows, 6, 'two seconds of 150 events: three rows each, of at most 64 events');
  const queries = new EventQueries(store);
  const seen: number[] = [];
  let q: EventsQuery = { attribute: { key: 'Username', value: 'alice' }, limit: 50 };
  for (;;) {
    const page = await queries.page(q);
    seen.push(...page.rows.map((r) => r.id));
    if (!page.more) break;
    q = { ...q, after: { time: page.rows.at(-1)!.time, id: page.rows.at(-1)!.id } };
  }
  assert.deepEqual(seen, Array.from({ length: 300 }, (_, i) => 300 - i));
  await store.close();
});

test('a key an event names twice is one result, not two', async () => {
  const twice = (e: unknown) => [['ResourceName', 'bob'] as const, ['ResourceName', 'bob'] as const, ['EventName', (e as Ev).name] as const];
  const store = await openSqliteStore(join(root, 'twice'), { eventKeys: twice });
  await store.appendEvents([1, 2, 3].map(() => ({ eventTime: time(1), user: 'alice', name: 'UpdateUser' })), false);
  const page = await new EventQueries(store).page({ attribute: { key: 'ResourceName', value: 'bob' }, limit: 10 });
  assert.deepEqual(page.rows.map((r) => r.id), [3, 2, 1]);
  await store.close();
});

test('an event is found by its id, a UUIDv7 of its time, among the events of its second, with no key row for it', async () => {
  const { IdSource, seededRandom } = await import('../../src/model/ids.ts');
  const { lookupKeysOf } = await import('../../src/audit/lookup-keys.ts');
  const ids = new IdSource(seededRandom(7));
  const store = await openSqliteStore(join(root, 'event-id'), { eventKeys: lookupKeysOf });
  const at = new Date('2026-11-23T10:00:05.250Z');
  const events = Array.from({ length: 300 }, (_, i) => ({ eventTime: time(5), eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', readOnly: true, eventID: ids.eventId(new Date(at.getTime() + i)), requestParameters: null as null | Record<string, string>, responseElements: null }));
  // A parameter whose text is another event's id member: JSON escapes its quotes, so it is no match.
  events[7]!.requestParameters = { note: `"eventID":"${events[123]!.eventID}"` };
  await store.appendEvents(events, false);
  await store.appendEvents([{ ...events[0]!, eventTime: time(6), eventID: ids.eventId(new Date('2026-11-23T10:00:06Z')) }], false);
  assert.equal(withSqlite(store, (db) => (db.prepare("SELECT COUNT(*) AS n FROM event_keys WHERE name = 'EventId'").get() as { n: number }).n), 0);
  const queries = new EventQueries(store);
  const find = async (value: string, extra: Partial<EventsQuery> = {}) => (await queries.page({ attribute: { key: 'EventId', value }, limit: 50, ...extra })).rows.map((r) => JSON.parse(r.json).eventID);
  for (const i of [0, 123, 299]) assert.deepEqual(await find(events[i]!.eventID), [events[i]!.eventID]);
  assert.deepEqual(await find(events[42]!.eventID, { start: time(6) }), []); // outside the time range
  assert.deepEqual(await find(events[42]!.eventID, { end: time(5) }), [events[42]!.eventID]);
  assert.deepEqual(await find(ids.eventId(at)), []); // a well-formed id of that second that names no event
  assert.deepEqual(await find('not-a-uuid'), []);
  await store.close();
});

test('trails written with EventId key rows are still searched by them', async () => {
  const oldKeys = (e: unknown) => [['EventId', (e as { eventID: string }).eventID] as const];
  const store = await openSqliteStore(join(root, 'event-id-rows'), { eventKeys: oldKeys });
  await store.appendEvents([{ eventTime: time(1), eventID: 'c0ffee00-0000-4000-8000-000000000001' }, { eventTime: time(2), eventID: 'c0ffee00-0000-4000-8000-000000000002' }], false);
  const rows = (await new EventQueries(store).page({ attribute: { key: 'EventId', value: 'c0ffee00-0000-4000-8000-000000000002' }, limit: 50 })).rows;
  assert.deepEqual(rows.map((r) => r.id), [2]);
  await store.close();
});
