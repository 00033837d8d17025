// The embedded store: one SQLite file, <dataDir>/gatehouse.db. WAL mode with synchronous=FULL so
// that a write acknowledged to the caller survives a crash or power loss (DESIGN rule 2). The
// audit trail's tables are sqlite-trail.ts's.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Transaction } from 'better-sqlite3';
import { NameConflictError } from './errors.ts';
import { EventLog, eventJson } from './event-log.ts';
import { applyMigrations, sqliteMigrations, type Migration } from './migrations.ts';
import { SqliteTrail } from './sqlite-trail.ts';
import type { AuditStore, EventKeysFunction } from './trail.ts';
import { lastPutPerKey, type EntityRecord, type Store, type StoreBatch, type StoredEvent } from './types.ts';

export const SQLITE_FILE_NAME = 'gatehouse.db';

export interface SqliteStoreOptions {
  /** For the time recorded on events that carry no `eventTime`. */
  now?: () => Date;
  /** How long to wait for a lock held by another process, in ms. */
  busyTimeoutMs?: number;
  /** For tests of the migration machinery. */
  migrations?: readonly Migration[];
  /** The lookup keys of an event (audit/lookup-keys.ts), indexed for LookupEvents. */
  eventKeys?: EventKeysFunction;
  /** The key of the audit trail's hash chain (store/event-chain.ts); without it, events are linked unkeyed. */
  chainKey?: Uint8Array;
  /**
   * Opens an existing database to read it beside a running server (the CLI's reports): nothing is
   * created or migrated, and a commit is refused.
   */
  readOnly?: boolean;
}

/** The SQLite store: entities and the audit trail in one database file. */
export interface SqliteStore extends Store, AuditStore {
  readonly file: string;
  /**
   * Appends events alone. `durable: false` skips the fsync (synchronous=NORMAL for this one
   * commit): the events survive a crash of the process, and reach the disk with the next durable
   * commit or checkpoint. For events that were not promised to anyone (reads, failures).
   */
  appendEvents(events: unknown[], durable: boolean): Promise<void>;
}

interface EntityRow {
  kind: string;
  id: string;
  account_id: string;
  name: string | null;
  data: string;
}

export async function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  const now = options.now ?? (() => new Date());
  if (options.readOnly) {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    return new SqliteStoreImpl(db, file, now, options, false);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Create the file owner-only before SQLite does (it would use the umask).
  closeSync(openSync(file, 'a', 0o600));
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    applyMigrations(db, options.migrations ?? sqliteMigrations, now);
    return new SqliteStoreImpl(db, file, now, options, true);
  } catch (e) {
    db.close();
    throw e;
  }
}

type Commit = Transaction<(batch: StoreBatch) => { first: number; last: number } | undefined>;

class SqliteStoreImpl extends SqliteTrail implements SqliteStore {
  readonly #selectAll;
  readonly #selectEvents;
  readonly #commit: Commit | undefined;

  constructor(db: Database, file: string, now: () => Date, options: SqliteStoreOptions, writable: boolean) {
    super(db, file, options.eventKeys, options.chainKey);
    this.#selectAll = db.prepare<[], EntityRow>('SELECT kind, id, account_id, name, data FROM entities');
    this.#selectEvents = db.prepare<[number, number], { id: number; time: string; json: string }>(
      'SELECT id, time, json FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.#commit = writable ? commitTransaction(db, now, options) : undefined;
  }

  async loadAll(): Promise<EntityRecord[]> {
    return this.#selectAll.all().map((row) => {
      const record: EntityRecord = { kind: row.kind, id: row.id, accountId: row.account_id, data: JSON.parse(row.data) };
      if (row.name !== null) record.name = row.name;
      return record;
    });
  }

  async commit(batch: StoreBatch): Promise<void> {
    if (this.#commit === undefined) throw new Error('the store is open read-only');
    // better-sqlite3 rolls the transaction back when the function throws. IMMEDIATE: the
    // transaction reads the chain's head, so it must hold the write lock from its start.
    const written = this.#commit.immediate(batch);
    if (written !== undefined) this.announceEvents(written.first, written.last);
  }

  async appendEvents(events: unknown[], durable: boolean): Promise<void> {
    if (durable) return this.commit({ puts: [], deletes: [], events });
    this.db.pragma('synchronous = NORMAL');
    try {
      await this.commit({ puts: [], deletes: [], events });
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async readEvents(afterId = 0, limit = 1000): Promise<StoredEvent[]> {
    return this.#selectEvents.all(afterId, limit).map((row) => ({ id: row.id, time: row.time, event: JSON.parse(row.json) }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A commit: entity changes and the events that record them, in one transaction. */
function commitTransaction(db: Database, now: () => Date, { eventKeys, chainKey }: SqliteStoreOptions): Commit {
  const remove = db.prepare<[string, string]>('DELETE FROM entities WHERE kind = ? AND id = ?');
  const insert = db.prepare<[string, string, string, string | null, string | null, string]>(
    'INSERT INTO entities (kind, id, account_id, name, name_lower, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const log = new EventLog(db, now, eventKeys, chainKey);
  return db.transaction((batch: StoreBatch) => {
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
    return log.append((batch.events ?? []).map((event) => ({ json: eventJson(event), event })));
  });
}
function toJson(r: EntityRecord): string {
  const json = JSON.stringify(r.data);
  if (json === undefined) throw new TypeError(`${r.kind} ${r.id}: data must be JSON-serialisable`);
  return json;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
