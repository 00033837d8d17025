import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import type { EntityRecord } from '../../src/store/types.ts';
import { storeContract } from './contract.ts';
import { trailContract } from './trail-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `db${++n}`, 'data');

describe('SqliteStore', () => {
  storeContract(() => openSqliteStore(freshDir()));
  trailContract((options) => openSqliteStore(freshDir(), options));

  test('creates the data directory owner-only, in WAL mode with synchronous=FULL', async () => {
    const dir = freshDir();
    const store = await openSqliteStore(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, SQLITE_FILE_NAME)).mode & 0o077, 0);
    await store.close();
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('what was committed is there after close and reopen', async () => {
    const dir = freshDir();
    const records: EntityRecord[] = [
      { kind: 'account', id: '111111111111', accountId: '111111111111', data: { alias: 'x', nested: { a: [1, 'two', null, true] } } },
      { kind: 'user', id: 'AIDAEXAMPLE', accountId: '111111111111', name: 'Bob', data: { userName: 'Bob', path: '/a/' } },
    ];
    const store = await openSqliteStore(dir);
    await store.commit({ puts: records, deletes: [], events: [{ eventName: 'CreateUser' }] });
    await store.close();
    await store.close(); // closing twice is harmless

    const again = await openSqliteStore(dir);
    const loaded = (await again.loadAll()).sort((a, b) => (a.kind < b.kind ? -1 : 1));
    assert.deepEqual(loaded, records);
    assert.deepEqual((await again.readEvents()).map((e) => e.event), [{ eventName: 'CreateUser' }]);
    // Uniqueness still holds after the reopen.
    await assert.rejects(again.commit({ puts: [{ ...records[1]!, id: 'AIDAOTHER', name: 'BOB' }], deletes: [] }));
    await again.close();
  });

  test('a commit after close fails', async () => {
    const store = await openSqliteStore(freshDir());
    await store.close();
    await assert.rejects(store.commit({ puts: [], deletes: [] }));
  });
});
