import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SchemaTooNewError } from '../../src/store/errors.ts';
import { applyMigrations, schemaVersion, sqliteMigrations, type Migration } from '../../src/store/migrations.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-migrations-'));
after(() => rmSync(root, { recursive: true, force: true }));

const NEXT = sqliteMigrations.length + 1;
const extra: Migration = { version: NEXT, name: 'add a note column', sql: 'ALTER TABLE entities ADD COLUMN note TEXT;' };

test('a new database gets every migration, recorded in schema_migrations', () => {
  const db = new BetterSqlite3(':memory:');
  assert.deepEqual(applyMigrations(db), { from: 0, to: sqliteMigrations.length });
  assert.equal(schemaVersion(db), sqliteMigrations.length);
  const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  assert.deepEqual(rows, sqliteMigrations.map((m) => ({ version: m.version, name: m.name })));
  // Applying again does nothing.
  assert.deepEqual(applyMigrations(db), { from: sqliteMigrations.length, to: sqliteMigrations.length });
  db.close();
});

test('reopening with a new migration applies only that one and keeps the data', async () => {
  const dir = join(root, 'upgrade');
  const v1 = await openSqliteStore(dir);
  await v1.commit({ puts: [{ kind: 'user', id: 'U1', accountId: '1', name: 'a', data: {} }], deletes: [] });
  await v1.close();

  const v2 = await openSqliteStore(dir, { migrations: [...sqliteMigrations, extra] });
  assert.equal((await v2.loadAll()).length, 1);
  await v2.close();

  const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
  assert.equal(schemaVersion(db), NEXT);
  const columns = (db.prepare('PRAGMA table_info(entities)').all() as { name: string }[]).map((c) => c.name);
  assert.ok(columns.includes('note'));
  db.close();
});

test('a database newer than the build is refused', async () => {
  const dir = join(root, 'downgrade');
  await (await openSqliteStore(dir, { migrations: [...sqliteMigrations, extra] })).close();
  await assert.rejects(openSqliteStore(dir), SchemaTooNewError);
});

test('a failing migration leaves the database as it was', () => {
  const db = new BetterSqlite3(':memory:');
  applyMigrations(db);
  const broken: Migration = { version: NEXT, name: 'broken', sql: 'CREATE TABLE t (x); SELECT * FROM no_such_table;' };
  assert.throws(() => applyMigrations(db, [...sqliteMigrations, broken]));
  assert.equal(schemaVersion(db), sqliteMigrations.length);
  assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 't'").get(), { n: 0 });
  db.close();
});

test('migrations must be numbered 1, 2, 3, …', () => {
  const db = new BetterSqlite3(':memory:');
  assert.throws(() => applyMigrations(db, [{ version: 2, name: 'gap', sql: '' }]), /expected 1/);
  db.close();
});
