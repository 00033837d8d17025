import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from '../../src/iam/entities.ts';
import { IamState, type Draft, type EntityInput, type StateChange, type TransactionOwner } from '../../src/iam/state.ts';
import { NameConflictError } from '../../src/store/errors.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';

const ACCOUNT = '111111111111';
const root = mkdtempSync(join(tmpdir(), 'gatehouse-state-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

function user(id: string, name: string, accountId = ACCOUNT): EntityInput<'user'> {
  const data: User = {
    userName: name,
    userId: id,
    path: '/',
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    createDate: '2024-01-01T00:00:00.000Z',
    tags: [],
    attachedPolicyArns: [],
    inlinePolicies: {},
    groupIds: [],
  };
  return { kind: 'user', id, accountId, name, data };
}

/** CreateUser as the domain will write it: check, then put. */
function createUser(tx: Draft, id: string, name: string): string {
  if (tx.byName('user', ACCOUNT, name)) throw new Error(`EntityAlreadyExists: ${name}`);
  tx.put(user(id, name));
  return id;
}

const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore()],
  ['sqlite', () => openSqliteStore(join(root, `s${++dirs}`))],
];

for (const [label, open] of stores) {
  describe(`IamState over the ${label} store`, () => {
    test('reads: by id, by name (case-insensitive), lists in name order, access keys', async () => {
      const store = await open();
      await store.commit({
        puts: [
          user('U3', 'carol'),
          user('U1', 'Bob'),
          user('U2', 'alice'),
          user('U9', 'zed', '222222222222'),
          { kind: 'accessKey', id: 'AKIAEXAMPLE', accountId: ACCOUNT, data: { accessKeyId: 'AKIAEXAMPLE', userId: 'U1', status: 'Active' } },
        ],
        deletes: [],
      });
      const state = await IamState.load(store);
      assert.equal(state.get('user', 'U1')?.data.userName, 'Bob');
      assert.equal(state.get('group', 'U1'), undefined);
      assert.equal(state.byName('user', ACCOUNT, 'BOB')?.id, 'U1');
      assert.equal(state.byName('user', '222222222222', 'bob'), undefined);
      assert.deepEqual(state.list('user', ACCOUNT).map((u) => u.name), ['alice', 'Bob', 'carol']);
      assert.deepEqual(state.list('user', '333333333333'), []);
      assert.equal(state.accessKey('AKIAEXAMPLE')?.data.userId, 'U1');
      assert.deepEqual(state.listAll('user').map((u) => u.id), ['U2', 'U1', 'U3', 'U9']);
      assert.deepEqual(state.kinds().sort(), ['accessKey', 'user']);
      assert.deepEqual(state.listAll('group'), []);
      await store.close();
    });

    test('a transaction is applied after its commit, bumps the generation and tells listeners', async () => {
      const store = await open();
      const state = await IamState.load(store);
      const seen: StateChange[] = [];
      const unsubscribe = state.onChange((c) => seen.push(c));
      assert.equal(state.generation, 0);
      const id = await state.transact((tx) => createUser(tx, 'U1', 'alice'));
      assert.equal(id, 'U1');
      assert.equal(state.generation, 1);
      assert.equal(state.byName('user', ACCOUNT, 'Alice')?.id, 'U1');
      assert.deepEqual(seen, [{ generation: 1, changed: [{ kind: 'user', id: 'U1' }] }]);
      assert.deepEqual((await store.loadAll()).map((r) => r.id), ['U1']);

      await state.transact((tx) => tx.delete('user', 'U1'));
      assert.equal(state.get('user', 'U1'), undefined);
      assert.equal(state.byName('user', ACCOUNT, 'alice'), undefined);
      assert.deepEqual(state.list('user', ACCOUNT), []);
      assert.equal(seen.length, 2);
      unsubscribe();
      await state.transact((tx) => createUser(tx, 'U2', 'bob'));
      assert.equal(seen.length, 2);
      await store.close();
    });

    test('a throwing function leaves state and database untouched', async () => {
      const store = await open();
      const state = await IamState.load(store);
      await state.transact((tx) => createUser(tx, 'U1', 'alice'));
      await assert.rejects(
        state.transact((tx) => {
          tx.delete('user', 'U1');
          createUser(tx, 'U2', 'bob');
          tx.event({ eventName: 'CreateUser' });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(state.generation, 1);
      assert.ok(state.get('user', 'U1'));
      assert.equal(state.get('user', 'U2'), undefined);
      assert.deepEqual((await store.loadAll()).map((r) => r.id), ['U1']);
      assert.deepEqual(await store.readEvents(), []);
      // And the next transaction still runs.
      await state.transact((tx) => createUser(tx, 'U2', 'bob'));
      assert.equal(state.list('user', ACCOUNT).length, 2);
      await store.close();
    });

    test('two concurrent creates of one name (any case): exactly one winner, the other sees it', async () => {
      const store = await open();
      const state = await IamState.load(store);
      const results = await Promise.allSettled([
        state.transact((tx) => createUser(tx, 'U1', 'Alice')),
        state.transact((tx) => createUser(tx, 'U2', 'alice')),
        state.transact((tx) => createUser(tx, 'U3', 'ALICE')),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected']);
      assert.match(String((results[1] as PromiseRejectedResult).reason), /EntityAlreadyExists/);
      assert.deepEqual(state.list('user', ACCOUNT).map((u) => u.id), ['U1']);
      assert.deepEqual((await store.loadAll()).map((r) => r.id), ['U1']);
      await store.close();
    });

    test('a put that takes a used name fails with NameConflictError even without a check', async () => {
      const store = await open();
      const state = await IamState.load(store);
      await state.transact((tx) => tx.put(user('U1', 'alice')));
      await assert.rejects(state.transact((tx) => tx.put(user('U2', 'ALICE'))), NameConflictError);
      assert.equal(state.get('user', 'U2'), undefined);
      await store.close();
    });

    test('state survives close and reopen', async () => {
      const store = await open();
      const state = await IamState.load(store);
      await state.transact((tx) => {
        createUser(tx, 'U1', 'alice');
        createUser(tx, 'U2', 'bob');
        tx.put({ kind: 'account', id: ACCOUNT, accountId: ACCOUNT, data: { accountId: ACCOUNT, createDate: '2024-01-01T00:00:00Z', alias: 'acme' } });
      });
      await state.transact((tx) => tx.delete('user', 'U2'));
      const records = await store.loadAll();
      await store.close();
      if (label === 'memory') return; // the memory store has nothing to reopen
      const reopened = await openSqliteStore(join(root, `s${dirs}`));
      const again = await IamState.load(reopened);
      assert.deepEqual(await reopened.loadAll(), records);
      assert.equal(again.byName('user', ACCOUNT, 'ALICE')?.data.userId, 'U1');
      assert.equal(again.get('user', 'U2'), undefined);
      assert.equal(again.get('account', ACCOUNT)?.data.alias, 'acme');
      await reopened.close();
    });
  });
}

describe('IamState drafts and rules', () => {
  test('a draft sees its own pending changes: puts, renames, deletes, lists', async () => {
    const state = await IamState.load(new MemoryStore());
    await state.transact((tx) => {
      tx.put(user('U1', 'alice'));
      tx.put(user('U2', 'bob'));
    });
    await state.transact((tx) => {
      tx.put(user('U3', 'carol'));
      assert.equal(tx.byName('user', ACCOUNT, 'CAROL')?.id, 'U3');
      assert.deepEqual(tx.list('user', ACCOUNT).map((u) => u.name), ['alice', 'bob', 'carol']);
      // Rename alice → zoe: the old name is free inside the draft, the new one taken.
      const alice = tx.get('user', 'U1')!;
      tx.put({ ...alice, name: 'zoe', data: { ...alice.data, userName: 'zoe' } });
      assert.equal(tx.byName('user', ACCOUNT, 'alice'), undefined);
      assert.equal(tx.byName('user', ACCOUNT, 'zoe')?.id, 'U1');
      tx.put(user('U4', 'Alice'));
      assert.equal(tx.byName('user', ACCOUNT, 'alice')?.id, 'U4');
      tx.delete('user', 'U2');
      assert.equal(tx.get('user', 'U2'), undefined);
      assert.equal(tx.byName('user', ACCOUNT, 'bob'), undefined);
      assert.deepEqual(tx.list('user', ACCOUNT).map((u) => u.name), ['Alice', 'carol', 'zoe']);
      // The state itself has not changed yet.
      assert.equal(state.byName('user', ACCOUNT, 'alice')?.id, 'U1');
    });
    assert.deepEqual(state.list('user', ACCOUNT).map((u) => `${u.id}:${u.name}`), ['U4:Alice', 'U3:carol', 'U1:zoe']);
  });

  test('a failed commit changes nothing in memory', async () => {
    const store = new MemoryStore();
    const state = await IamState.load(store);
    const seen: StateChange[] = [];
    state.onChange((c) => seen.push(c));
    store.failNextCommit = new Error('disk I/O error');
    await assert.rejects(state.transact((tx) => tx.put(user('U1', 'alice'))), /disk I\/O error/);
    assert.equal(state.get('user', 'U1'), undefined);
    assert.equal(state.generation, 0);
    assert.deepEqual(seen, []);
  });

  test('entities are frozen; changes go through put', async () => {
    const state = await IamState.load(new MemoryStore());
    const input = user('U1', 'alice');
    await state.transact((tx) => tx.put(input));
    const u = state.get('user', 'U1')!;
    assert.throws(() => {
      (u.data.tags as unknown[]).push({ Key: 'a', Value: 'b' });
    }, TypeError);
    assert.throws(() => {
      (u.data as { path: string }).path = '/x/';
    }, TypeError);
    await state.transact((tx) => tx.put({ ...u, data: { ...u.data, tags: [{ Key: 'team', Value: 'red' }] } }));
    assert.deepEqual(state.get('user', 'U1')!.data.tags, [{ Key: 'team', Value: 'red' }]);
    assert.deepEqual(u.data.tags, [], 'the old object is unchanged');
  });

  test('a transaction with no changes commits nothing and keeps the generation', async () => {
    let commits = 0;
    const store = new MemoryStore();
    const commit = store.commit.bind(store);
    store.commit = (b) => {
      commits++;
      return commit(b);
    };
    const state = await IamState.load(store);
    assert.equal(await state.transact((tx) => tx.get('user', 'nobody')?.id ?? 'none'), 'none');
    await state.transact((tx) => tx.delete('user', 'nobody'));
    assert.equal(commits, 0);
    assert.equal(state.generation, 0);
  });

  test('events go to the store in the same commit', async () => {
    const store = new MemoryStore();
    const state = await IamState.load(store);
    await state.transact((tx) => {
      tx.put(user('U1', 'alice'));
      tx.event({ eventName: 'CreateUser', eventTime: '2024-01-01T00:00:00Z' });
    });
    assert.deepEqual((await store.readEvents()).map((e) => e.event), [{ eventName: 'CreateUser', eventTime: '2024-01-01T00:00:00Z' }]);
  });

  test('a transaction made for a request commits the event its owner answers for the result, and settles it', async () => {
    const store = new MemoryStore();
    const state = await IamState.load(store);
    const asked: unknown[] = [];
    const settled: boolean[] = [];
    const request: TransactionOwner = {
      eventFor(result) {
        asked.push(result);
        return { event: { eventName: 'CreateUser', result }, settle: (committed) => settled.push(committed) };
      },
    };
    await state.transact((tx) => tx.put(user('U1', 'alice')));
    await state.transact((tx) => {
      tx.put(user('U2', 'bob'));
      return 'made';
    }, request);
    assert.deepEqual(asked, ['made'], 'a transaction without an owner asks for no event; one with an owner asks with its result');
    assert.deepEqual(settled, [true]);
    assert.deepEqual((await store.readEvents()).map((e) => e.event), [{ eventName: 'CreateUser', result: 'made' }]);
  });

  test("a failed commit settles its owner's event as not committed", async () => {
    const store = new MemoryStore();
    store.commit = async () => {
      throw new Error('disk full');
    };
    const state = await IamState.load(store);
    const settled: boolean[] = [];
    const request: TransactionOwner = { eventFor: () => ({ event: { eventName: 'CreateUser' }, settle: (committed) => settled.push(committed) }) };
    await assert.rejects(state.transact((tx) => tx.put(user('U2', 'bob')), request), /disk full/);
    assert.deepEqual(settled, [false]);
    assert.equal(state.get('user', 'U2'), undefined);
  });

  test('an async function is refused and writes nothing', async () => {
    const state = await IamState.load(new MemoryStore());
    await assert.rejects(
      state.transact(async (tx) => {
        tx.put(user('U1', 'alice'));
      }),
      /synchronous/,
    );
    assert.equal(state.get('user', 'U1'), undefined);
  });

  test('a draft cannot be written after its transaction', async () => {
    const state = await IamState.load(new MemoryStore());
    let kept: Draft | undefined;
    await state.transact((tx) => {
      kept = tx;
    });
    assert.throws(() => kept!.put(user('U1', 'alice')), /ended/);
  });

  test('a throwing listener does not fail the committed transaction', async () => {
    const errors: unknown[] = [];
    const state = await IamState.load(new MemoryStore(), { onListenerError: (e) => errors.push(e) });
    state.onChange(() => {
      throw new Error('listener bug');
    });
    await state.transact((tx) => tx.put(user('U1', 'alice')));
    assert.ok(state.get('user', 'U1'));
    assert.equal(errors.length, 1);
  });

  test('puts are checked for shape', async () => {
    const state = await IamState.load(new MemoryStore());
    await assert.rejects(state.transact((tx) => tx.put({ ...user('U1', 'a'), accountId: '' })), TypeError);
    await assert.rejects(state.transact((tx) => tx.put({ ...user('U1', 'a'), name: '' })), TypeError);
  });

  test('applyRemote applies another node\'s change in turn with local transactions', async () => {
    const state = await IamState.load(new MemoryStore());
    const seen: StateChange[] = [];
    state.onChange((c) => seen.push(c));
    await state.applyRemote({ puts: [user('U7', 'remote')], deletes: [] });
    assert.equal(state.byName('user', ACCOUNT, 'REMOTE')?.id, 'U7');
    assert.equal(state.generation, 1);
    assert.equal(seen.length, 1);
  });

  test('lists are cached until their bucket changes', async () => {
    const state = await IamState.load(new MemoryStore());
    await state.transact((tx) => tx.put(user('U1', 'b')));
    const first = state.list('user', ACCOUNT);
    assert.equal(state.list('user', ACCOUNT), first);
    await state.transact((tx) => tx.put(user('U2', 'a')));
    assert.notEqual(state.list('user', ACCOUNT), first);
    assert.deepEqual(state.list('user', ACCOUNT).map((u) => u.name), ['a', 'b']);
  });
});
