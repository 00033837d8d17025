// Versioned schema migrations for the SQLite store. Each step runs once, in order, inside one
// transaction together with the record of it in schema_migrations; steps are never edited once
// released: add a new one instead.

import type { Database } from 'better-sqlite3';
import { SchemaTooNewError } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'entities and events',
    sql: `
      CREATE TABLE entities (
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        account_id TEXT NOT NULL,
        name       TEXT,
        name_lower TEXT,
        data       TEXT NOT NULL CHECK (json_valid(data)),
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;
      -- AWS: names are unique per account and kind, case-insensitively.
      CREATE UNIQUE INDEX entities_name ON entities (account_id, kind, name_lower)
        WHERE name_lower IS NOT NULL;
      -- The audit trail, written in the same transaction as the change it records.
      CREATE TABLE events (
        id   INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX events_time ON events (time);
    `,
  },
  {
    version: 2,
    name: 'audit trail: hash chain, lookup keys, digests, export and alert state',
    sql: `
      -- The hash chain (store/event-chain.ts): each row's predecessor's hash and its own.
      ALTER TABLE events ADD COLUMN prev_hash BLOB;
      ALTER TABLE events ADD COLUMN hash BLOB;
      -- LookupEvents searches by one attribute and a time range, newest first: one row per
      -- (attribute, value) of an event, clustered so that such a search is one index range.
      CREATE TABLE event_keys (
        name     TEXT NOT NULL,
        value    TEXT NOT NULL,
        time     TEXT NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (name, value, time, event_id)
      ) WITHOUT ROWID;
      -- Signed digests: each covers the events after the previous digest and that digest.
      CREATE TABLE audit_digests (
        id             INTEGER PRIMARY KEY,
        time           TEXT NOT NULL,
        last_event_id  INTEGER NOT NULL,
        body           TEXT NOT NULL,
        signature      TEXT NOT NULL
      );
      -- How far a consumer of the trail (the exporter, the alert engine) has read.
      CREATE TABLE audit_cursors (
        name     TEXT PRIMARY KEY,
        event_id INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE alerts (
        id       INTEGER PRIMARY KEY,
        time     TEXT NOT NULL,
        rule     TEXT NOT NULL,
        severity TEXT NOT NULL,
        event_id INTEGER,
        body     TEXT NOT NULL
      );
      CREATE INDEX alerts_time ON alerts (time);
      -- Deliveries still owed (delivered_at NULL) survive a restart.
      CREATE TABLE alert_outbox (
        alert_id     INTEGER NOT NULL,
        target       TEXT NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        delivered_at TEXT,
        failed_at    TEXT,
        last_error   TEXT,
        PRIMARY KEY (alert_id, target)
      );
      CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt) WHERE delivered_at IS NULL AND failed_at IS NULL;
      -- Addresses each principal has signed in from (the "new address" rule).
      CREATE TABLE signin_addresses (
        principal  TEXT NOT NULL,
        address    TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (principal, address)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'audit trail: a lookup key row covers a run of events',
    sql: `
      -- A row now stands for the events first_id..event_id (consecutive ids, one append, one
      -- second: all at its time) that share the key; NULL first_id is a single event, as every
      -- row written before this version is. Most events are reads that share all their keys but
      -- EventId with the ones before them, so one row covers many.
      ALTER TABLE event_keys ADD COLUMN first_id INTEGER;
    `,
  },
];

/** The schema version recorded in the database (0 for a new one). */
export function schemaVersion(db: Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the database up to the last migration, in one transaction. Refuses a database that is
 * ahead of `migrations` rather than running against a schema it does not know.
 */
export function applyMigrations(
  db: Database,
  migrations: readonly Migration[] = sqliteMigrations,
  now: () => Date = () => new Date(),
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  return db.transaction(() => {
    const from = schemaVersion(db);
    if (from > latest) throw new SchemaTooNewError(from, latest);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations.slice(from)) {
      db.exec(m.sql);
      record.run(m.version, m.name, now().toISOString());
    }
    return { from, to: latest };
  }).immediate();
}
