// The behaviour every Store must have; run against each implementation by its own test file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameConflictError } from '../../src/store/errors.ts';
import type { EntityRecord, Store } from '../../src/store/types.ts';

const user = (id: string, name: string, accountId = '111111111111'): EntityRecord => ({
  kind: 'user',
  id,
  accountId,
  name,
  data: { userName: name, userId: id, tags: [{ Key: 'k', Value: 'v' }] },
});

const byKey = (a: EntityRecord, b: EntityRecord) => (a.kind + a.id < b.kind + b.id ? -1 : 1);

export function storeContract(open: () => Promise<Store>): void {
  test('a new store is empty', async () => {
    const store = await open();
    assert.deepEqual(await store.loadAll(), []);
    assert.deepEqual(await store.readEvents(), []);
    await store.close();
  });

  test('puts, replaces and deletes by (kind, id)', async () => {
    const store = await open();
    await store.commit({ puts: [user('U1', 'alice'), user('U2', 'bob')], deletes: [] });
    await store.commit({ puts: [{ ...user('U1', 'Alice2') }], deletes: [{ kind: 'user', id: 'U2' }] });
    assert.deepEqual(await store.loadAll(), [user('U1', 'Alice2')]);
    await store.close();
  });

  test('the same id may be used by different kinds; unnamed records are fine', async () => {
    const store = await open();
    const key: EntityRecord = { kind: 'accessKey', id: 'X', accountId: '111111111111', data: { status: 'Active' } };
    await store.commit({ puts: [user('X', 'x'), key], deletes: [] });
    assert.deepEqual((await store.loadAll()).sort(byKey), [key, user('X', 'x')]);
    await store.close();
  });

  test('names are unique per account and kind, case-insensitively; a conflicting batch changes nothing', async () => {
    const store = await open();
    await store.commit({ puts: [user('U1', 'Alice')], deletes: [] });
    await assert.rejects(
      store.commit({ puts: [user('U2', 'other'), user('U3', 'ALICE')], deletes: [{ kind: 'user', id: 'U1' }], events: [{ n: 1 }] })
        .then(() => store.commit({ puts: [user('U4', 'alice')], deletes: [] })),
      (e: unknown) => e instanceof NameConflictError && e.kind === 'user' && e.entityName === 'alice',
    );
    // The first batch deleted U1 first, so it succeeded; the second conflicted with U3 ('ALICE').
    const names = (await store.loadAll()).map((r) => r.name).sort();
    assert.deepEqual(names, ['ALICE', 'other']);

    await assert.rejects(store.commit({ puts: [user('U5', 'new'), user('U6', 'Other')], deletes: [{ kind: 'user', id: 'U3' }], events: [{ n: 2 }] }), NameConflictError);
    assert.deepEqual((await store.loadAll()).map((r) => r.name).sort(), ['ALICE', 'other'], 'U5 was not kept and U3 not deleted');
    assert.deepEqual((await store.readEvents()).map((e) => e.event), [{ n: 1 }], 'the event of the failed batch was not kept');
    await store.close();
  });

  test('the same name is fine in another account or another kind, and after a rename', async () => {
    const store = await open();
    await store.commit({
      puts: [user('U1', 'ops'), user('U2', 'ops', '222222222222'), { kind: 'group', id: 'G1', accountId: '111111111111', name: 'ops', data: {} }],
      deletes: [],
    });
    await store.commit({ puts: [user('U1', 'ops-old')], deletes: [] });
    await store.commit({ puts: [user('U3', 'OPS')], deletes: [] });
    assert.equal((await store.loadAll()).length, 4);
    await store.close();
  });

  test('two entities may swap names in one batch; two puts of one id keep the last', async () => {
    const store = await open();
    await store.commit({ puts: [user('U1', 'x'), user('U2', 'y')], deletes: [] });
    await store.commit({ puts: [user('U1', 'Y'), user('U2', 'X')], deletes: [] });
    const names = Object.fromEntries((await store.loadAll()).map((r) => [r.id, r.name]));
    assert.deepEqual(names, { U1: 'Y', U2: 'X' });
    await store.commit({ puts: [user('U3', 'first'), user('U3', 'second'), user('U4', 'first')], deletes: [] });
    const u3 = (await store.loadAll()).filter((r) => r.id === 'U3');
    assert.deepEqual(u3.map((r) => r.name), ['second']);
    await store.close();
  });

  test('events are written with the batch, in order, with ids and times', async () => {
    const store = await open();
    await store.commit({ puts: [], deletes: [], events: [{ eventName: 'A', eventTime: '2024-01-02T03:04:05Z' }, { eventName: 'B' }] });
    await store.commit({ puts: [user('U1', 'a')], deletes: [], events: [{ eventName: 'C' }] });
    const events = await store.readEvents();
    assert.deepEqual(events.map((e) => (e.event as { eventName: string }).eventName), ['A', 'B', 'C']);
    assert.deepEqual(events.map((e) => e.id), [1, 2, 3]);
    assert.equal(events[0]!.time, '2024-01-02T03:04:05Z');
    assert.match(events[1]!.time, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual((await store.readEvents(1, 1)).map((e) => e.id), [2]);
    await store.close();
  });

  test('data that is not JSON is refused and changes nothing', async () => {
    const store = await open();
    await assert.rejects(store.commit({ puts: [user('U1', 'a'), { kind: 'user', id: 'U2', accountId: '1', data: undefined }], deletes: [] }));
    assert.deepEqual(await store.loadAll(), []);
    await store.close();
  });

  test('records come back as copies, not the objects committed', async () => {
    const store = await open();
    const r = user('U1', 'a');
    await store.commit({ puts: [r], deletes: [] });
    (r.data as { userName: string }).userName = 'changed';
    const [loaded] = await store.loadAll();
    assert.equal((loaded!.data as { userName: string }).userName, 'a');
    await store.close();
  });
}
