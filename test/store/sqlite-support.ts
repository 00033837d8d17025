// A connection of the test's own to a SQLite store's database, for what only SQL shows or does
// (key rows, triggers): the store itself offers no handle to its database.
import BetterSqlite3, { type Database } from 'better-sqlite3';

export function withSqlite<T>(store: { file: string }, fn: (db: Database) => T): T {
  const db = new BetterSqlite3(store.file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
