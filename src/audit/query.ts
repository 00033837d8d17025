// LookupEvents over the store: newest first (event time, then id), optionally by one lookup
// attribute (event_keys), within a time range, a page at a time. Each query is a single index
// range scan (events_time, or event_keys' primary key with each row's short run of events), so
// its cost depends on the page size and not on how many events there are.
//
// EventId has no key rows (lookup-keys.ts): an event id is a UUIDv7 made from the same clock
// reading as the event's time, so the event is found among the events of that second. Trails
// written before that keep their EventId rows, which are searched first.
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
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The second (as events store their time) a UUIDv7 event id was made in, if it is one. */
export function eventIdSecond(eventId: string): string | undefined {
  if (!UUID_V7.test(eventId)) return undefined;
  const ms = Number.parseInt(eventId.slice(0, 8) + eventId.slice(9, 13), 16);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export class EventQueries {
  readonly #all: Statement<[string, string, string, number, number], EventRow>;
  readonly #byKey: Statement<[string, string, string, string, string, string, number, number], EventRow>;
  readonly #inSecond: Statement<[string, string, string, string, number, string], EventRow>;

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
    // The events of one second whose text holds the id (JSON escapes quotes inside strings, so
    // the needle can only match the eventID member itself; page() checks it anyway).
    this.#inSecond = db.prepare(
      `SELECT id, time, json FROM events INDEXED BY events_time
       WHERE time = ? AND time >= ? AND time <= ? AND (time, id) < (?, ?) AND instr(json, ?) > 0
       ORDER BY time DESC, id DESC`,
    );
  }

  /** One page (and whether there is more: `limit + 1` rows are read). */
  page(q: EventsQuery): { rows: EventRow[]; more: boolean } {
    const start = q.start ?? MIN;
    const end = q.end ?? MAX;
    const afterTime = q.after?.time ?? MAX;
    const afterId = q.after?.id ?? Number.MAX_SAFE_INTEGER;
    let rows =
      q.attribute === undefined
        ? this.#all.all(start, end, afterTime, afterId, q.limit + 1)
        : this.#byKey.all(q.attribute.key, q.attribute.value, start, end, afterTime, afterTime, afterId, q.limit + 1);
    if (q.attribute?.key === 'EventId' && rows.length === 0) rows = this.#byEventId(q.attribute.value, start, end, afterTime, afterId);
    const more = rows.length > q.limit;
    if (more) rows.length = q.limit;
    return { rows, more };
  }

  #byEventId(eventId: string, start: string, end: string, afterTime: string, afterId: number): EventRow[] {
    const second = eventIdSecond(eventId);
    if (second === undefined) return [];
    return this.#inSecond
      .all(second, start, end, afterTime, afterId, `"eventID":"${eventId}"`)
      .filter((row) => (JSON.parse(row.json) as { eventID?: unknown }).eventID === eventId);
  }
}
