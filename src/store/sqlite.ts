// The embedded store: one SQLite file, <dataDir>/gatehouse.db. WAL mode with synchronous=FULL so
// that a write acknowledged to the caller survives a crash or power loss (DESIGN rule 2).

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { NameConflictError } from './errors.ts';
import { applyMigrations, sqliteMigrations, type Migration } from './migrations.ts';
import { eventTime, lastPutPerKey, type EntityRecord, type Store, type StoreBatch, type StoredEvent } from './types.ts';

export const SQLITE_FILE_NAME = 'gatehouse.db';

export interface SqliteStoreOptions {
  /** For the time recorded on events that carry no `eventTime`. */
  now?: () => Date;
  /** How long to wait for a lock held by another process, in ms. */
  busyTimeoutMs?: number;
  /** For tests of the migration machinery. */
  migrations?: readonly Migration[];
}

interface EntityRow {
  kind: string;
  id: string;
  account_id: string;
  name: string | null;
  data: string;
}

export async function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SQLITE_FILE_NAME);
  // Create the file owner-only before SQLite does (it would use the umask).
  closeSync(openSync(file, 'a', 0o600));
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    const now = options.now ?? (() => new Date());
    applyMigrations(db, options.migrations ?? sqliteMigrations, now);
    return new SqliteStore(db, now);
  } catch (e) {
    db.close();
    throw e;
  }
}

class SqliteStore implements Store {
  readonly #db: Database;
  readonly #selectAll;
  readonly #selectEvents;
  readonly #commit: (batch: StoreBatch) => void;

  constructor(db: Database, now: () => Date) {
    this.#db = db;
    this.#selectAll = db.prepare<[], EntityRow>('SELECT kind, id, account_id, name, data FROM entities');
    this.#selectEvents = db.prepare<[number, number], { id: number; time: string; json: string }>(
      'SELECT id, time, json FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    const remove = db.prepare<[string, string]>('DELETE FROM entities WHERE kind = ? AND id = ?');
    const insert = db.prepare<[string, string, string, string | null, string | null, string]>(
      'INSERT INTO entities (kind, id, account_id, name, name_lower, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const addEvent = db.prepare<[string, string]>('INSERT INTO events (time, json) VALUES (?, ?)');

    this.#commit = db.transaction((batch: StoreBatch) => {
      // Remove every row the batch replaces before inserting, so that names moving between
      // entities within one batch (a swap) do not trip the unique index half-way.
      const puts = lastPutPerKey(batch.puts);
      for (const d of batch.deletes) remove.run(d.kind, d.id);
      for (const r of puts) remove.run(r.kind, r.id);
      for (const r of puts) {
        const name = r.name ?? null;
        try {
          insert.run(r.kind, r.id, r.accountId, name, name === null ? null : name.toLowerCase(), toJson(r));
        } catch (e) {
          if (isUniqueViolation(e) && name !== null) throw new NameConflictError(r.kind, r.accountId, name);
          throw e;
        }
      }
      for (const ev of batch.events ?? []) {
        const json = JSON.stringify(ev);
        if (json === undefined) throw new TypeError('an event must be JSON-serialisable');
        addEvent.run(eventTime(ev, now), json);
      }
    });
  }

  async loadAll(): Promise<EntityRecord[]> {
    return this.#selectAll.all().map((row) => {
      const record: EntityRecord = { kind: row.kind, id: row.id, accountId: row.account_id, data: JSON.parse(row.data) };
      if (row.name !== null) record.name = row.name;
      return record;
    });
  }

  async commit(batch: StoreBatch): Promise<void> {
    // better-sqlite3 rolls the transaction back when the function throws.
    this.#commit(batch);
  }

  async readEvents(afterId = 0, limit = 1000): Promise<StoredEvent[]> {
    return this.#selectEvents.all(afterId, limit).map((row) => ({ id: row.id, time: row.time, event: JSON.parse(row.json) }));
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function toJson(r: EntityRecord): string {
  const json = JSON.stringify(r.data);
  if (json === undefined) throw new TypeError(`${r.kind} ${r.id}: data must be JSON-serialisable`);
  return json;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
