import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

  test('opened read-only, it reads what a writer committed beside it, refuses commits, and creates nothing', async () => {
    const dir = freshDir();
    const writer = await openSqliteStore(dir);
    await writer.commit({ puts: [{ kind: 'user', id: 'U1', accountId: '111111111111', name: 'ann', data: {} }], deletes: [], events: [{ eventName: 'CreateUser' }] });
    const reader = await openSqliteStore(dir, { readOnly: true });
    await writer.commit({ puts: [], deletes: [], events: [{ eventName: 'GetUser' }] });
    assert.deepEqual((await reader.loadAll()).map((r) => r.name), ['ann']);
    assert.deepEqual((await reader.readEvents()).map((e) => e.event), [{ eventName: 'CreateUser' }, { eventName: 'GetUser' }]);
    await assert.rejects(reader.commit({ puts: [], deletes: [], events: [{ eventName: 'Forged' }] }), /read-only/);
    await assert.rejects(reader.writeCursor('export', 1), /readonly/i);
    assert.equal(await writer.countEvents(0), 2);
    await reader.close();
    await writer.close();
    const nowhere = freshDir();
    await assert.rejects(openSqliteStore(nowhere, { readOnly: true }), /unable to open|directory does not exist|SQLITE_CANTOPEN/i);
    assert.equal(existsSync(nowhere), false);
  });

  test('a commit after close fails', async () => {
    const store = await openSqliteStore(freshDir());
    await store.close();
    await assert.rejects(store.commit({ puts: [], deletes: [] }));
  });
});
