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
