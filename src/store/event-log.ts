// Appending to the audit trail's tables on one SQLite connection: each event row continues the
// hash chain from the newest row (read inside the writing transaction, so two connections that
// append, the request thread's and the event writer thread's, still make one unbroken chain:
// SQLite lets one write transaction at a time), and its lookup keys go into event_keys as runs:
// one row for consecutive events of the same second that share a key (migrations.ts, version 3).
import type { Database, Statement } from 'better-sqlite3';
import { chainLink, GENESIS_HASH, type ChainLink, type EventKey } from './event-chain.ts';
import { eventTime } from './types.ts';

/** An event ready to append: its JSON text and the event itself (for its time and keys). */
export interface EventEntry {
  readonly json: string;
  readonly event: unknown;
}

/** Most lookup key rows written by one statement. */
const KEYS_PER_STATEMENT = 16;
/**
 * Most events one key row covers: a search reads (and orders) a run's events whole, so runs are
 * kept short enough for that to cost little next to a page of results.
 */
const MAX_RUN = 64;

/**
 * The join from a key row (k) to the events (e) it covers, for queries over event_keys: rows
 * written before runs (migration 3) have no first_id and cover their event_id alone.
 */
export const EVENTS_OF_KEY_ROW = 'e.id BETWEEN coalesce(k.first_id, k.event_id) AND k.event_id';

/** Events first..last, all at `time`, that have the key name = value. */
interface Run {
  name: string;
  value: string;
  time: string;
  first: number;
  last: number;
}

export class EventLog {
  readonly #head: Statement<[], { hash: Buffer | null }>;
  readonly #addEvent: Statement<[string, string, Buffer, Buffer]>;
  /** INSERT … VALUES (…), (…): index n writes n + 1 keys. */
  readonly #addKeys: Statement<unknown[]>[] = [];
  readonly #now: () => Date;
  readonly #eventKeys: ((event: unknown) => Iterable<EventKey>) | undefined;
  readonly #link: ChainLink;

  /** `chainKey`: the key of the chain's links (store/event-chain.ts); without it, unkeyed links. */
  constructor(db: Database, now: () => Date, eventKeys?: (event: unknown) => Iterable<EventKey>, chainKey?: Uint8Array) {
    this.#head = db.prepare('SELECT hash FROM events ORDER BY id DESC LIMIT 1');
    this.#addEvent = db.prepare('INSERT INTO events (time, json, prev_hash, hash) VALUES (?, ?, ?, ?)');
    for (let n = 1; n <= KEYS_PER_STATEMENT; n++) {
      this.#addKeys.push(db.prepare(`INSERT OR IGNORE INTO event_keys (name, value, time, event_id, first_id) VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}`));
    }
    this.#now = now;
    this.#eventKeys = eventKeys;
    this.#link = chainLink(chainKey);
  }

  /** Appends the entries in order; call inside a write transaction. Returns the ids written. */
  append(entries: readonly EventEntry[]): { first: number; last: number } | undefined {
    if (entries.length === 0) return undefined;
    let prev = this.#head.get()?.hash ?? GENESIS_HASH;
    let first = 0;
    let last = 0;
    // Key → its run so far. A run grows while the next event has the key too, in the same
    // second; any other run is written when its key comes again or at the end.
    const runs = new Map<string, Run>();
    const rows: unknown[] = [];
    for (const { json, event } of entries) {
      const time = eventTime(event, this.#now);
      const hash = this.#link(prev, time, json);
      const id = Number(this.#addEvent.run(time, json, prev, hash).lastInsertRowid);
      if (first === 0) first = id;
      last = id;
      prev = hash;
      if (this.#eventKeys === undefined) continue;
      for (const [name, value] of this.#eventKeys(event)) {
        const key = `${name}\u0000${value}`;
        const run = runs.get(key);
        if (run !== undefined && run.last === id) continue; // a key the event names twice
        if (run !== undefined && run.last === id - 1 && run.time === time && id - run.first < MAX_RUN) {
          run.last = id;
          continue;
        }
        if (run !== undefined) this.#writeRun(run, rows);
        runs.set(key, { name, value, time, first: id, last: id });
      }
    }
    for (const run of runs.values()) this.#writeRun(run, rows);
    if (rows.length > 0) this.#writeKeys(rows);
    return { first, last };
  }

  /** Adds a run's key row to those collected, writing them when a statement's worth is there. */
  #writeRun(run: Run, rows: unknown[]): void {
    rows.push(run.name, run.value, run.time, run.last, run.first === run.last ? null : run.first);
    if (rows.length === 5 * KEYS_PER_STATEMENT) this.#writeKeys(rows);
  }

  /** Writes the key rows collected (5 values each) and empties the list. */
  #writeKeys(rows: unknown[]): void {
    this.#addKeys[rows.length / 5 - 1]!.run(rows);
    rows.length = 0;
  }
}

/** The JSON text of an event, refusing what JSON cannot carry. */
export function eventJson(event: unknown): string {
  const json = JSON.stringify(event);
  if (json === undefined) throw new TypeError('an event must be JSON-serialisable');
  return json;
}
