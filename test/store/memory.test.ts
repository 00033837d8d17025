import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory.ts';
import { storeContract } from './contract.ts';
import { trailContract } from './trail-contract.ts';

describe('MemoryStore', () => {
  storeContract(async () => new MemoryStore());
  trailContract(async (options) => new MemoryStore(options));

  test('starts with the initial records', async () => {
    const store = new MemoryStore({ initial: [{ kind: 'account', id: '111111111111', accountId: '111111111111', data: {} }] });
    assert.equal((await store.loadAll()).length, 1);
  });

  test('failNextCommit makes one commit fail and change nothing', async () => {
    const store = new MemoryStore();
    store.failNextCommit = new Error('disk full');
    await assert.rejects(store.commit({ puts: [{ kind: 'k', id: '1', accountId: 'a', data: 1 }], deletes: [] }), /disk full/);
    assert.deepEqual(await store.loadAll(), []);
    await store.commit({ puts: [{ kind: 'k', id: '1', accountId: 'a', data: 1 }], deletes: [] });
    assert.equal((await store.loadAll()).length, 1);
  });

  test('a closed store refuses work', async () => {
    const store = new MemoryStore();
    await store.close();
    await assert.rejects(store.loadAll());
  });
});
