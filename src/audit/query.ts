// LookupEvents over the store: newest first (event time, then id), optionally by one lookup
// attribute (event_keys), within a time range, a page at a time. Each query is a single index
// range scan (events_time, or event_keys' primary key with each row's short run of events), so
// its cost depends on the page size and not on how many events there are.
import type { Database, Statement } from 'better-sqlite3';
import { EVENTS_OF_KEY_ROW } from '../store/event-log.ts';

export interface EventsQuery {
  attribute?: { key: string; value: string };
  /** Inclusive bounds, in the stored form (2024-01-02T03:04:05Z). */
  start?: string;
  end?: string;
  /** Continue after this (time, id): the last one of the previous page. */
  after?: { time: string; id: number };
  limit: number;
}

export interface EventRow {
  id: number;
  time: string;
  json: string;
}

const MIN = '';
const MAX = '\uffff';

export class EventQueries {
  readonly #all: Statement<[string, string, string, number, number], EventRow>;
  readonly #byKey: Statement<[string, string, string, string, string, string, number, number], EventRow>;

  constructor(db: Database) {
    this.#all = db.prepare(
      `SELECT id, time, json FROM events INDEXED BY events_time
       WHERE time >= ? AND time <= ? AND (time, id) < (?, ?)
       ORDER BY time DESC, id DESC LIMIT ?`,
    );
    // A key row covers a run of events (first_id..event_id, all at its time; runs of one key
    // never overlap), so rows in (time, event_id) order, each run's events newest first, are the
    // events in (time, id) order.
    this.#byKey = db.prepare(
      `SELECT e.id AS id, e.time AS time, e.json AS json
       FROM event_keys k JOIN events e ON ${EVENTS_OF_KEY_ROW}
       WHERE k.name = ? AND k.value = ? AND k.time >= ? AND k.time <= ? AND k.time <= ? AND (e.time, e.id) < (?, ?)
       ORDER BY k.time DESC, k.event_id DESC, e.id DESC LIMIT ?`,
    );
  }

  /** One page (and whether there is more: `limit + 1` rows are read). */
  page(q: EventsQuery): { rows: EventRow[]; more: boolean } {
    const start = q.start ?? MIN;
    const end = q.end ?? MAX;
    const afterTime = q.after?.time ?? MAX;
    const afterId = q.after?.id ?? Number.MAX_SAFE_INTEGER;
    const rows =
      q.attribute === undefined
        ? this.#all.all(start, end, afterTime, afterId, q.limit + 1)
        : this.#byKey.all(q.attribute.key, q.attribute.value, start, end, afterTime, afterTime, afterId, q.limit + 1);
    const more = rows.length > q.limit;
    if (more) rows.length = q.limit;
    return { rows, more };
  }
}
