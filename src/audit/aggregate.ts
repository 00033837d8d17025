// Unauthenticated failures are aggregated: one event per source address and error code per
// minute, then one more that counts the rest. An anonymous flood (unsigned or badly signed calls,
// sign-ins refused without checking a password) would otherwise write an event per request, and
// CloudTrail records most of these not at all. The first failure of a window is recorded in full
// at once; those that follow in the window are only counted, and when the window closes (or the
// trail is flushed: LookupEvents, shutdown) one event stands for them: the first's record with
// the last one's time and request id, and in additionalEventData `AggregatedCount` (how many
// requests it stands for, so that the counts of a trail's events, 1 for an ordinary one, add up
// to the requests made), `FirstEventTime` and `LastEventTime`. Memory is bounded: at most
// MAX_WINDOWS windows are open, and opening one more closes the oldest.
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import { eventTimeOf } from './event.ts';

const WINDOW_MS = 60_000;
const MAX_WINDOWS = 10_000;

interface Window {
  /** The first failure's record, as written. */
  template: string;
  opened: number;
  /** Failures counted since the window opened or last wrote its count. */
  count: number;
  first: number;
  last: number;
  lastRequestId: string;
}

export class FailureAggregator {
  readonly #clock: Clock;
  readonly #ids: IdSource;
  readonly #write: (json: string) => void;
  /** "source\0code" → its window, oldest opened first. */
  readonly #windows = new Map<string, Window>();
  #timer: NodeJS.Timeout | undefined;

  constructor(clock: Clock, ids: IdSource, write: (json: string) => void) {
    this.#clock = clock;
    this.#ids = ids;
    this.#write = write;
  }

  /**
   * Counts a failure into its source's window for `code` and answers true, or answers false when
   * it opens a window: then the caller records it in full and gives its record to `opened`.
   */
  counted(source: string, code: string, requestId: string): boolean {
    const key = `${source}\u0000${code}`;
    const w = this.#windows.get(key);
    if (w === undefined) return false;
    const now = this.#clock.now().getTime();
    if (now - w.opened >= WINDOW_MS || now < w.opened) {
      this.#close(key, w);
      return false;
    }
    if (w.count === 0) w.first = now;
    w.count++;
    w.last = now;
    w.lastRequestId = requestId;
    return true;
  }

  /** A window opens with the failure just recorded in full (`json`). */
  opened(source: string, code: string, json: string): void {
    if (this.#windows.size >= MAX_WINDOWS) {
      const [oldest, w] = this.#windows.entries().next().value!;
      this.#close(oldest, w);
    }
    const now = this.#clock.now().getTime();
    this.#windows.set(`${source}\u0000${code}`, { template: json, opened: now, count: 0, first: now, last: now, lastRequestId: '' });
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), WINDOW_MS / 4);
      this.#timer.unref();
    }
  }

  /** Writes every window's count so far (the windows stay open): the trail is read or the server stops. */
  flush(): void {
    for (const w of this.#windows.values()) this.#writeCount(w);
  }

  /** Closes every window and stops the sweeper. */
  close(): void {
    this.flush();
    this.#windows.clear();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Open windows (tests, diagnostics). */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(): void {
    const now = this.#clock.now().getTime();
    for (const [key, w] of this.#windows) if (now - w.opened >= WINDOW_MS || now < w.opened) this.#close(key, w);
    if (this.#windows.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #close(key: string, w: Window): void {
    this.#writeCount(w);
    this.#windows.delete(key);
  }

  #writeCount(w: Window): void {
    if (w.count === 0) return;
    const first = new Date(w.first);
    const last = new Date(w.last);
    this.#write(aggregateJson(w.template, w.count, first, last, w.lastRequestId, this.#ids.eventId(last)));
    w.count = 0;
  }
}

/** The record that stands for `count` failures like `template`'s (members in AWS's order). */
function aggregateJson(template: string, count: number, first: Date, last: Date, requestId: string, eventId: string): string {
  const t = JSON.parse(template) as Record<string, unknown>;
  const counted = { AggregatedCount: count, FirstEventTime: eventTimeOf(first), LastEventTime: eventTimeOf(last) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (k === 'additionalEventData') continue;
    out[k] = k === 'eventTime' ? eventTimeOf(last) : k === 'requestID' ? requestId : k === 'eventID' ? eventId : v;
    if (k === 'responseElements') out.additionalEventData = { ...(t.additionalEventData as object | undefined), ...counted };
  }
  return JSON.stringify(out);
}
