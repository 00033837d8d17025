// The behaviour every store's audit trail must have (store/trail.ts); run against each
// implementation by its own test file, beside the entity contract (contract.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chainHash, GENESIS_HASH } from '../../src/store/event-chain.ts';
import type { AuditStore, EventKeysFunction, EventPosition, EventRange, EventRow, EventSearch } from '../../src/store/trail.ts';
import type { Store } from '../../src/store/types.ts';
import { contractEventKeys } from './trail-keys.ts';

export type OpenTrailStore = (options: { eventKeys?: EventKeysFunction }) => Promise<Store & AuditStore>;

interface Ev {
  eventName: string;
  eventTime: string;
  user?: string;
  resources?: string[];
  note?: string;
}

const time = (s: number) => `2026-11-23T10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`;
const ev = (eventName: string, second: number, more: Partial<Ev> = {}): Ev => ({ eventName, eventTime: time(second), ...more });
const ids = (rows: readonly { id: number }[]) => rows.map((r) => r.id);

export function trailContract(open: OpenTrailStore): void {
  const keyed = () => open({ eventKeys: contractEventKeys });

  test('events from commits and from a sink are read back in id order, as their JSON text, and announced', async () => {
    const store = await keyed();
    const announced: [number, number][] = [];
    store.onEvents((first, last) => announced.push([first, last]));
    const sink = store.openEventSink();
    await store.commit({ puts: [], deletes: [], events: [ev('CreateUser', 1), ev('AttachUserPolicy', 2)] });
    const texts = [JSON.stringify(ev('ListUsers', 3)), '{"eventName":"GetUser",  "eventTime":"2026-11-23T10:00:04Z"}'];
    await sink.appendEvents(texts, false);
    await sink.appendEvents([JSON.stringify(ev('ListRoles', 5))], true);
    await sink.close();
    assert.deepEqual(announced, [[1, 2], [3, 4], [5, 5]]);
    const rows = await store.eventsAfter(0, 10);
    assert.deepEqual(ids(rows), [1, 2, 3, 4, 5]);
    assert.deepEqual(rows.map((r) => r.time), [1, 2, 3, 4, 5].map(time));
    assert.equal(rows[0]!.json, JSON.stringify(ev('CreateUser', 1)));
    assert.deepEqual([rows[2]!.json, rows[3]!.json], texts, 'a sink keeps the text it was given');
    assert.deepEqual(ids(await store.eventsAfter(2, 2)), [3, 4]);
    assert.deepEqual(ids(await store.eventsById([5, 2, 99, 2])), [2, 5]);
    assert.deepEqual((await store.readEvents(3, 1)).map((e) => e.event), [{ eventName: 'GetUser', eventTime: time(4) }]);
    assert.equal(await store.countEvents(0), 5);
    assert.equal(await store.countEvents(3), 2);
    await store.close();
  });

  test('a sink tells each batch’s ids matching the prefilter before it announces the batch', async () => {
    const store = await keyed();
    const told: unknown[] = [];
    store.onEvents((first, last) => told.push(['announced', first, last]));
    const sink = store.openEventSink({ prefilter: /"eventName":"Create/g, onScreened: (first, last, candidates) => told.push(['screened', first, last, [...candidates]]) });
    await sink.appendEvents([ev('ListUsers', 1), ev('CreateUser', 1), ev('CreateRole', 2)].map((e) => JSON.stringify(e)), false);
    await store.commit({ puts: [], deletes: [], events: [ev('CreateGroup', 3)] });
    await sink.appendEvents([JSON.stringify(ev('GetUser', 4))], false);
    await sink.close();
    assert.deepEqual(told, [['screened', 1, 3, [2, 3]], ['announced', 1, 3], ['announced', 4, 4], ['screened', 5, 5, []], ['announced', 5, 5]]);
    await store.close();
  });

  test('every event extends one hash chain, whichever way it was written', async () => {
    const store = await keyed();
    const sink = store.openEventSink();
    await store.commit({ puts: [], deletes: [], events: [ev('CreateUser', 1)] });
    await sink.appendEvents([JSON.stringify(ev('ListUsers', 2)), JSON.stringify(ev('GetUser', 2))], false);
    await store.commit({ puts: [], deletes: [], events: [ev('DeleteUser', 3), { eventName: 'NoTime' }] });
    await sink.close();
    const chain = await store.readChain(0, 100);
    assert.deepEqual(ids(chain), [1, 2, 3, 4, 5]);
    let prev = GENESIS_HASH;
    for (const row of chain) {
      assert.ok(row.prevHash!.equals(prev), `event ${row.id} links to the one before`);
      assert.ok(row.hash!.equals(chainHash(prev, row.time, row.json)), `event ${row.id} hashes its content`);
      prev = row.hash!;
    }
    assert.match(chain[4]!.time, /^\d{4}-\d\d-\d\dT/, 'an event without eventTime gets the commit time');
    assert.deepEqual(ids(await store.readChain(3, 1)), [4]);
    await store.close();
  });

  test('a search gives events newest first by (time, id), by key, within a range and before a position', async () => {
    const store = await keyed();
    // Ids do not follow times: a batch of reads can commit after a change made later.
    await store.commit({ puts: [], deletes: [], events: [ev('CreateUser', 5, { user: 'alice', resources: ['bob', 'bob'] }), ev('ListUsers', 3, { user: 'bob' })] });
    await store.commit({ puts: [], deletes: [], events: [ev('ListUsers', 3, { user: 'alice' }), ev('ListUsers', 4, { user: 'alice' }), ev('GetUser', 1, { user: 'alice' })] });
    const find = async (s: Partial<EventSearch>) => ids(await store.findEvents({ limit: 10, ...s }));
    assert.deepEqual(await find({}), [1, 4, 3, 2, 5]);
    assert.deepEqual(await find({ limit: 2 }), [1, 4]);
    assert.deepEqual(await find({ key: ['Username', 'alice'] }), [1, 4, 3, 5]);
    assert.deepEqual(await find({ key: ['ResourceName', 'bob'] }), [1], 'a key an event names twice finds it once');
    assert.deepEqual(await find({ key: ['EventName', 'ListUsers'], start: time(3), end: time(3) }), [3, 2]);
    assert.deepEqual(await find({ key: ['EventName', 'ListUsers'], before: { time: time(3), id: 3 } }), [2]);
    assert.deepEqual(await find({ before: { time: time(4), id: 4 } }), [3, 2, 5]);
    assert.deepEqual(await find({ key: ['Username', 'nobody'] }), []);
    assert.deepEqual(ids(await store.eventsWithKeyBefore(['Username', 'alice'], 4, 10)), [1, 3], 'ids below 4, newest first');
    assert.deepEqual(ids(await store.eventsWithKeyBefore(['Username', 'alice'], 6, 1)), [1]);
    await store.close();
  });

  test('a search of one second finds the events whose text holds a string', async () => {
    const store = await keyed();
    await store.commit({ puts: [], deletes: [], events: [ev('A', 1, { note: 'x-needle' }), ev('B', 2, { note: 'needle' }), ev('C', 2, { note: 'none' }), ev('D', 2, { note: 'needle' })] });
    const inSecond = async (second: number, text: string, range: EventRange = {}) => ids(await store.findEventsInSecond(time(second), text, range));
    assert.deepEqual(await inSecond(2, 'needle'), [4, 2]);
    assert.deepEqual(await inSecond(1, 'needle'), [1]);
    assert.deepEqual(await inSecond(2, 'needle', { before: { time: time(2), id: 4 } }), [2]);
    assert.deepEqual(await inSecond(2, 'needle', { end: time(1) }), []);
    assert.deepEqual(await inSecond(3, 'needle'), []);
    await store.close();
  });

  test('searches page through exactly what a full scan finds, however events were appended', async () => {
    const appends = fc.array(
      fc.record({
        viaSink: fc.boolean(),
        base: fc.integer({ min: 0, max: 30 }),
        events: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 2 }), user: fc.constantFrom('alice', 'bob'), name: fc.constantFrom('ListUsers', 'CreateUser') }), { minLength: 1, maxLength: 80 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(appends, fc.constantFrom('alice', 'ListUsers', 'nobody', undefined), fc.integer({ min: 1, max: 40 }), fc.option(fc.tuple(fc.integer({ min: 0, max: 33 }), fc.integer({ min: 0, max: 33 }))), async (batches, value, limit, range) => {
        const store = await keyed();
        const sink = store.openEventSink();
        const all: { id: number; time: string; ev: Ev }[] = [];
        for (const b of batches) {
          const events = b.events.map((e) => ev(e.name, b.base + e.offset, { user: e.user }));
          if (b.viaSink) await sink.appendEvents(events.map((e) => JSON.stringify(e)), false);
          else await store.commit({ puts: [], deletes: [], events });
          for (const e of events) all.push({ id: all.length + 1, time: e.eventTime, ev: e });
        }
        await sink.close();
        const key = value === undefined ? undefined : value === 'ListUsers' ? (['EventName', value] as const) : (['Username', value] as const);
        const [start, end] = range === null ? [undefined, undefined] : [time(Math.min(...range)), time(Math.max(...range))];
        const expected = all
          .filter((e) => (key === undefined || (key[0] === 'EventName' ? e.ev.eventName : e.ev.user) === key[1]) && (start === undefined || (e.time >= start && e.time <= end!)))
          .sort((a, b) => (a.time > b.time ? -1 : a.time < b.time ? 1 : b.id - a.id))
          .map((e) => e.id);
        const seen: number[] = [];
        let before: EventPosition | undefined;
        // At most one page more than the events: a store that does not move on fails, not hangs.
        for (let pages = 0; pages <= all.length; pages++) {
          const page: EventRow[] = await store.findEvents({ key, start, end, before, limit });
          seen.push(...ids(page));
          if (page.length < limit) break;
          before = { time: page.at(-1)!.time, id: page.at(-1)!.id };
        }
        await store.close();
        assert.deepEqual(seen, expected);
      }),
      { numRuns: 25 },
    );
  });

  test('a digest is made from the previous one and the chain’s head, read with its writing', async () => {
    const store = await keyed();
    const bases: unknown[] = [];
    const digest = (n: number) =>
      store.appendDigest((basis) => {
        bases.push(basis);
        return { time: time(n), lastEventId: basis.head?.id ?? 0, body: `body ${n}`, signature: `signature ${n}` };
      });
    const first = (await digest(1))!;
    assert.deepEqual(bases[0], { previous: undefined, head: undefined, newEvents: 0 });
    assert.deepEqual(first, { id: first.id, time: time(1), lastEventId: 0, body: 'body 1', signature: 'signature 1' });
    await store.commit({ puts: [], deletes: [], events: [ev('A', 2), ev('B', 3), ev('C', 4)] });
    const second = (await digest(2))!;
    const [head] = await store.readChain(2, 1);
    assert.deepEqual(bases[1], { previous: first, head: { id: 3, hash: head!.hash }, newEvents: 3 });
    await store.commit({ puts: [], deletes: [], events: [ev('D', 5)] });
    await digest(3);
    assert.equal((bases[2] as { newEvents: number }).newEvents, 1);
    assert.deepEqual((bases[2] as { previous: unknown }).previous, second);
    const digests = await store.readDigests();
    assert.deepEqual(digests.map((d) => d.body), ['body 1', 'body 2', 'body 3']);
    assert.ok(first.id < second.id && second.id < digests[2]!.id);
    // A signer may decline: nothing is written.
    assert.equal(await store.appendDigest(() => undefined), undefined);
    assert.equal((await store.readDigests()).length, 3);
    await store.close();
  });

  test('pruning removes the oldest events through an id; the chain goes on from the newest', async () => {
    const store = await keyed();
    await store.commit({ puts: [], deletes: [], events: [1, 2, 3, 4, 5].map((n) => ev(`E${n}`, n)) });
    assert.equal(await store.pruneEvents(3), 3);
    assert.deepEqual((await store.readChain(0, 10)).map((r) => r.id), [4, 5]);
    assert.equal(await store.countEvents(0), 2);
    assert.deepEqual((await store.eventsById([2, 4])).map((r) => r.id), [4]);
    assert.deepEqual((await store.eventsAfter(1, 1)).map((r) => r.id), [4]);
    assert.deepEqual((await store.findEvents({ key: ['EventName', 'E2'], limit: 5 })).map((r) => r.id), []);
    await store.commit({ puts: [], deletes: [], events: [ev('E6', 6)] });
    const [five, six] = await store.readChain(4, 2);
    assert.equal(six!.id, 6);
    assert.ok(six!.prevHash!.equals(five!.hash!), 'the next event links to the newest');
    assert.equal(await store.pruneEvents(3), 0, 'nothing twice');
    await store.close();
  });

  test('a cursor reads what was last written under its name', async () => {
    const store = await keyed();
    assert.equal(await store.readCursor('export'), undefined);
    await store.writeCursor('export', 5);
    await store.writeCursor('alerts', 2);
    await store.writeCursor('export', 9);
    assert.equal(await store.readCursor('export'), 9);
    assert.equal(await store.readCursor('alerts'), 2);
    await store.close();
  });

  test('alerts are written with their deliveries, sign-in addresses and cursor; deliveries come due and are settled', async () => {
    const store = await keyed();
    const alert = (rule: string, at: number, eventId: number | null) => ({ time: time(at), rule, severity: 'high', eventId, body: JSON.stringify({ rule }) });
    const [a1, a2] = await store.recordAlerts({
      alerts: [alert('root-activity', 1, 4), alert('policy-change', 2, null)],
      targets: ['https://b.example/hook', 'https://a.example/hook'],
      signinAddresses: [{ principal: 'arn:aws:iam::123456789012:user/eve', address: '10.0.0.1', firstSeen: time(1) }],
      cursor: { name: 'alerts', eventId: 7 },
    });
    assert.ok(a1!.id < a2!.id);
    assert.deepEqual(a2, { id: a2!.id, ...alert('policy-change', 2, null) });
    assert.equal(await store.readCursor('alerts'), 7);
    assert.deepEqual(await store.signinAddresses('arn:aws:iam::123456789012:user/eve'), ['10.0.0.1']);
    assert.deepEqual(await store.signinAddresses('arn:aws:iam::123456789012:user/other'), []);
    const [a3] = await store.recordAlerts({ alerts: [alert('mfa-deactivated', 3, 9)], targets: [], signinAddresses: [], cursor: { name: 'alerts', eventId: 9 } });
    assert.deepEqual(ids(await store.recentAlerts(2)), [a3!.id, a2!.id]);
    assert.deepEqual(ids(await store.recentAlerts(10)), [a3!.id, a2!.id, a1!.id]);

    const due = async (at: number) => (await store.dueDeliveries(time(at), 10)).map((d) => [d.alertId, d.target, d.attempts, d.body]);
    assert.deepEqual(await due(0), []);
    assert.deepEqual((await due(1)).sort(), [[a1!.id, 'https://a.example/hook', 0, a1!.body], [a1!.id, 'https://b.example/hook', 0, a1!.body]], 'one delivery per target (in no set order)');
    assert.equal((await store.dueDeliveries(time(2), 3)).length, 3, 'at most the limit');
    await store.updateDelivery(a1!.id, 'https://a.example/hook', 1, { deliveredAt: time(3) });
    await store.updateDelivery(a1!.id, 'https://b.example/hook', 1, { nextAttempt: time(30), error: 'HTTP 503' });
    await store.updateDelivery(a2!.id, 'https://a.example/hook', 5, { failedAt: time(3), error: 'HTTP 500' });
    assert.deepEqual(await due(29), [[a2!.id, 'https://b.example/hook', 0, a2!.body]]);
    assert.deepEqual(await due(30), [[a2!.id, 'https://b.example/hook', 0, a2!.body], [a1!.id, 'https://b.example/hook', 1, a1!.body]], 'soonest due first');

    const deliveries = await store.deliveriesOf([a2!.id, a1!.id, a3!.id]);
    assert.deepEqual(deliveries, [
      { alertId: a1!.id, target: 'https://a.example/hook', attempts: 1, nextAttempt: time(1), deliveredAt: time(3), failedAt: null, lastError: null },
      { alertId: a1!.id, target: 'https://b.example/hook', attempts: 1, nextAttempt: time(30), deliveredAt: null, failedAt: null, lastError: 'HTTP 503' },
      { alertId: a2!.id, target: 'https://a.example/hook', attempts: 5, nextAttempt: time(2), deliveredAt: null, failedAt: time(3), lastError: 'HTTP 500' },
      { alertId: a2!.id, target: 'https://b.example/hook', attempts: 0, nextAttempt: time(2), deliveredAt: null, failedAt: null, lastError: null },
    ]);
    await store.close();
  });
}
