// Appending to the audit trail's tables on one SQLite connection: each event row continues the
// hash chain from the newest row (read inside the writing transaction, so two connections that
// append, the request thread's and the event writer thread's, still make one unbroken chain:
// SQLite lets one write transaction at a time), and its lookup keys go into event_keys in one
// statement per event.
import type { Database, Statement } from 'better-sqlite3';
import { chainHash, GENESIS_HASH, type EventKey } from './event-chain.ts';
import { eventTime } from './types.ts';

/** An event ready to append: its JSON text and the event itself (for its time and keys). */
export interface EventEntry {
  readonly json: string;
  readonly event: unknown;
}

/** Most lookup keys written by one statement; an event with more takes several. */
const KEYS_PER_STATEMENT = 8;

export class EventLog {
  readonly #head: Statement<[], { hash: Buffer | null }>;
  readonly #addEvent: Statement<[string, string, Buffer, Buffer]>;
  /** INSERT … VALUES (…), (…): index n writes n + 1 keys. */
  readonly #addKeys: Statement<unknown[]>[] = [];
  readonly #now: () => Date;
  readonly #eventKeys: ((event: unknown) => Iterable<EventKey>) | undefined;

  constructor(db: Database, now: () => Date, eventKeys?: (event: unknown) => Iterable<EventKey>) {
    this.#head = db.prepare('SELECT hash FROM events ORDER BY id DESC LIMIT 1');
    this.#addEvent = db.prepare('INSERT INTO events (time, json, prev_hash, hash) VALUES (?, ?, ?, ?)');
    for (let n = 1; n <= KEYS_PER_STATEMENT; n++) {
      this.#addKeys.push(db.prepare(`INSERT OR IGNORE INTO event_keys (name, value, time, event_id) VALUES ${Array(n).fill('(?, ?, ?, ?)').join(', ')}`));
    }
    this.#now = now;
    this.#eventKeys = eventKeys;
  }

  /** Appends the entries in order; call inside a write transaction. Returns the ids written. */
  append(entries: readonly EventEntry[]): { first: number; last: number } | undefined {
    if (entries.length === 0) return undefined;
    let prev = this.#head.get()?.hash ?? GENESIS_HASH;
    let first = 0;
    let last = 0;
    const params: unknown[] = [];
    for (const { json, event } of entries) {
      const time = eventTime(event, this.#now);
      const hash = chainHash(prev, time, json);
      const id = Number(this.#addEvent.run(time, json, prev, hash).lastInsertRowid);
      if (first === 0) first = id;
      last = id;
      prev = hash;
      if (this.#eventKeys === undefined) continue;
      params.length = 0;
      for (const [name, value] of this.#eventKeys(event)) {
        params.push(name, value, time, id);
        if (params.length === 4 * KEYS_PER_STATEMENT) {
          this.#addKeys[KEYS_PER_STATEMENT - 1]!.run(params);
          params.length = 0;
        }
      }
      if (params.length > 0) this.#addKeys[params.length / 4 - 1]!.run(params);
    }
    return { first, last };
  }
}

/** The JSON text of an event, refusing what JSON cannot carry. */
export function eventJson(event: unknown): string {
  const json = JSON.stringify(event);
  if (json === undefined) throw new TypeError('an event must be JSON-serialisable');
  return json;
}
