// LookupEvents over the store's trail: newest first (event time, then id), optionally by one
// lookup attribute (the keys the store indexes, lookup-keys.ts), within a time range, a page at a
// time. The store answers each search from an index (one range scan in SQLite), so its cost
// depends on the page size and not on how many events there are.
//
// EventId has no key rows (lookup-keys.ts): an event id is a UUIDv7 made from the same clock
// reading as the event's time, so the event is found among the events of that second. Trails
// written before that keep their EventId rows, which are searched first.
import type { EventPosition, EventRange, EventRow, TrailEvents } from '../store/trail.ts';

export type { EventRow };

export interface EventsQuery {
  attribute?: { key: string; value: string };
  /** Inclusive bounds, in the stored form (2024-01-02T03:04:05Z). */
  start?: string;
  end?: string;
  /** Continue after this (time, id): the last one of the previous page. */
  after?: EventPosition;
  limit: number;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The second (as events store their time) a UUIDv7 event id was made in, if it is one. */
export function eventIdSecond(eventId: string): string | undefined {
  if (!UUID_V7.test(eventId)) return undefined;
  const ms = Number.parseInt(eventId.slice(0, 8) + eventId.slice(9, 13), 16);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export class EventQueries {
  readonly #events: TrailEvents;

  constructor(events: TrailEvents) {
    this.#events = events;
  }

  /** Events with ids above `afterId`, oldest first: for consumers that read the trail in order. */
  eventsAfter(afterId: number, limit: number): Promise<EventRow[]> {
    return this.#events.eventsAfter(afterId, limit);
  }

  /** One page (and whether there is more: `limit + 1` rows are read). */
  async page(q: EventsQuery): Promise<{ rows: EventRow[]; more: boolean }> {
    const key = q.attribute && ([q.attribute.key, q.attribute.value] as const);
    let rows = await this.#events.findEvents({ key, start: q.start, end: q.end, before: q.after, limit: q.limit + 1 });
    if (q.attribute?.key === 'EventId' && rows.length === 0) rows = await this.#byEventId(q.attribute.value, { start: q.start, end: q.end, before: q.after });
    const more = rows.length > q.limit;
    if (more) rows.length = q.limit;
    return { rows, more };
  }

  /**
   * The events of the id's second whose text holds it (JSON escapes quotes inside strings, so the
   * needle can only match an eventID member; each is checked anyway).
   */
  async #byEventId(eventId: string, range: EventRange): Promise<EventRow[]> {
    const second = eventIdSecond(eventId);
    if (second === undefined) return [];
    const rows = await this.#events.findEventsInSecond(second, `"eventID":"${eventId}"`, range);
    return rows.filter((row) => (JSON.parse(row.json) as { eventID?: unknown }).eventID === eventId);
  }
}
