// The audit trail of the in-memory store: the same contract as the SQLite store's tables
// (store/trail.ts), kept in arrays and searched by scanning them, which is plenty for the tests
// and the CLI tools it serves. Events carry the same hash chain, so `audit verify` holds for it too.
import { chainLink, GENESIS_HASH, type ChainLink } from './event-chain.ts';
import type { EventEntry } from './event-log.ts';
import type {
  AlertBatch,
  AlertRecord,
  AuditStore,
  ChainedEventRow,
  DeliveryOutcome,
  DeliveryRecord,
  DigestBasis,
  DigestRecord,
  DueDelivery,
  EventKey,
  EventKeysFunction,
  EventRange,
  EventRow,
  EventSearch,
  EventSink,
  EventSinkOptions,
  NewDigest,
} from './trail.ts';
import { eventTime, type StoredEvent } from './types.ts';

export interface MemoryEvent {
  id: number;
  time: string;
  json: string;
  prevHash: Buffer;
  hash: Buffer;
  /** Its lookup keys, as `name\0value`. */
  keys: ReadonlySet<string>;
}

export class MemoryTrail implements AuditStore {
  readonly #now: () => Date;
  readonly #eventKeys: EventKeysFunction | undefined;
  readonly #link: ChainLink;
  readonly #events: MemoryEvent[] = [];
  /** How many of the oldest events retention removed: #events[i] has id #pruned + i + 1. */
  #pruned = 0;
  readonly #listeners = new Set<(first: number, last: number) => void>();
  readonly #digests: DigestRecord[] = [];
  readonly #cursors = new Map<string, number>();
  readonly #alerts: AlertRecord[] = [];
  readonly #deliveries: DeliveryRecord[] = [];
  /** principal → addresses */
  readonly #signins = new Map<string, string[]>();
  #closed = false;

  constructor(now: () => Date, eventKeys: EventKeysFunction | undefined, chainKey?: Uint8Array) {
    this.#now = now;
    this.#eventKeys = eventKeys;
    this.#link = chainLink(chainKey);
  }

  /**
   * The rows of events to append, chained to the newest event and keyed, changing nothing yet (a
   * commit makes them before it changes its entities, so that a failure changes neither).
   */
  protected chainEvents(entries: readonly EventEntry[]): readonly MemoryEvent[] {
    const added: MemoryEvent[] = [];
    let prev = this.#events.at(-1)?.hash ?? GENESIS_HASH;
    for (const { json, event } of entries) {
      const time = eventTime(event, this.#now);
      const hash = this.#link(prev, time, json);
      const keys = new Set<string>();
      if (this.#eventKeys !== undefined) for (const key of this.#eventKeys(event)) keys.add(keyOf(key));
      added.push({ id: this.#pruned + this.#events.length + added.length + 1, time, json, prevHash: prev, hash, keys });
      prev = hash;
    }
    return added;
  }

  /** Appends rows just made by chainEvents and tells the listeners. */
  protected pushEvents(added: readonly MemoryEvent[]): void {
    if (added.length === 0) return;
    this.#events.push(...added);
    this.#announce(added[0]!.id, added.at(-1)!.id);
  }

  protected check(): void {
    if (this.#closed) throw new Error('the store is closed');
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #announce(first: number, last: number): void {
    for (const listener of this.#listeners) {
      try {
        listener(first, last);
      } catch (e) {
        process.emitWarning(e instanceof Error ? e : String(e), 'AuditListenerError');
      }
    }
  }

  onEvents(listener: (first: number, last: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Appends each batch at once, on the calling thread. */
  openEventSink(options: EventSinkOptions = {}): EventSink {
    const prefilter = options.prefilter && new RegExp(options.prefilter.source, options.prefilter.flags.replace(/[gy]/g, ''));
    return {
      appendEvents: async (jsons) => {
        this.check();
        const added = this.chainEvents(jsons.map((json) => ({ json, event: JSON.parse(json) as unknown })));
        // Screened before the batch is announced, as the SQLite store's writer thread does.
        if (prefilter !== undefined && added.length > 0) options.onScreened?.(added[0]!.id, added.at(-1)!.id, screen(prefilter, jsons, added[0]!.id));
        this.pushEvents(added);
      },
      close: async () => undefined,
    };
  }

  async readEvents(afterId = 0, limit = 1000): Promise<StoredEvent[]> {
    this.check();
    return this.#after(afterId, limit).map((e) => ({ id: e.id, time: e.time, event: JSON.parse(e.json) }));
  }

  async eventsAfter(afterId: number, limit: number): Promise<EventRow[]> {
    this.check();
    return this.#after(afterId, limit).map(row);
  }

  async eventsById(ids: readonly number[]): Promise<EventRow[]> {
    this.check();
    return [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => (Number.isInteger(id) && id > this.#pruned && id <= this.#pruned + this.#events.length ? [row(this.#events[id - this.#pruned - 1]!)] : []));
  }

  async findEvents(s: EventSearch): Promise<EventRow[]> {
    this.check();
    const key = s.key && keyOf(s.key);
    return this.#newestFirst((e) => within(e, s) && (key === undefined || e.keys.has(key)), s.limit);
  }

  async findEventsInSecond(second: string, text: string, range: EventRange): Promise<EventRow[]> {
    this.check();
    return this.#newestFirst((e) => e.time === second && within(e, range) && e.json.includes(text), Infinity);
  }

  async eventsWithKeyBefore(key: EventKey, beforeId: number, limit: number): Promise<EventRow[]> {
    this.check();
    const k = keyOf(key);
    return this.#newestFirst((e) => e.id < beforeId && e.keys.has(k), limit);
  }

  async readChain(afterId: number, limit: number): Promise<ChainedEventRow[]> {
    this.check();
    return this.#after(afterId, limit).map((e) => ({ ...row(e), prevHash: Buffer.from(e.prevHash), hash: Buffer.from(e.hash) }));
  }

  async countEvents(afterId: number): Promise<number> {
    this.check();
    return this.#events.length - clamp(afterId - this.#pruned, this.#events.length);
  }

  async pruneEvents(throughId: number): Promise<number> {
    this.check();
    const n = clamp(throughId - this.#pruned, this.#events.length);
    this.#events.splice(0, n);
    this.#pruned += n;
    return n;
  }

  async appendDigest(sign: (basis: DigestBasis) => NewDigest | undefined): Promise<DigestRecord | undefined> {
    this.check();
    const previous = this.#digests.at(-1);
    const last = this.#events.at(-1);
    const head = last && { id: last.id, hash: Buffer.from(last.hash) };
    const newEvents = (head?.id ?? 0) - clamp(previous?.lastEventId ?? 0, head?.id ?? 0);
    const digest = sign({ previous: previous && { ...previous }, head, newEvents });
    if (digest === undefined) return undefined;
    const record = { id: this.#digests.length + 1, time: digest.time, lastEventId: digest.lastEventId, body: digest.body, signature: digest.signature };
    this.#digests.push(record);
    return { ...record };
  }

  async readDigests(): Promise<DigestRecord[]> {
    this.check();
    return this.#digests.map((d) => ({ ...d }));
  }

  async readCursor(name: string): Promise<number | undefined> {
    this.check();
    return this.#cursors.get(name);
  }

  async writeCursor(name: string, eventId: number): Promise<void> {
    this.check();
    this.#cursors.set(name, eventId);
  }

  async recordAlerts(batch: AlertBatch): Promise<AlertRecord[]> {
    this.check();
    const out: AlertRecord[] = [];
    for (const a of batch.alerts) {
      const alert = { id: this.#alerts.length + 1, time: a.time, rule: a.rule, severity: a.severity, eventId: a.eventId, body: a.body };
      this.#alerts.push(alert);
      for (const target of batch.targets) {
        this.#deliveries.push({ alertId: alert.id, target, attempts: 0, nextAttempt: a.time, deliveredAt: null, failedAt: null, lastError: null });
      }
      out.push({ ...alert });
    }
    for (const s of batch.signinAddresses) {
      const known = this.#signins.get(s.principal) ?? [];
      if (!known.includes(s.address)) this.#signins.set(s.principal, [...known, s.address]);
    }
    this.#cursors.set(batch.cursor.name, batch.cursor.eventId);
    return out;
  }

  async signinAddresses(principal: string): Promise<string[]> {
    this.check();
    return [...(this.#signins.get(principal) ?? [])];
  }

  async dueDeliveries(now: string, limit: number): Promise<DueDelivery[]> {
    this.check();
    return this.#deliveries
      .filter((d) => d.deliveredAt === null && d.failedAt === null && d.nextAttempt <= now)
      .sort((a, b) => (a.nextAttempt < b.nextAttempt ? -1 : a.nextAttempt > b.nextAttempt ? 1 : a.alertId - b.alertId))
      .slice(0, limit)
      .map((d) => ({ alertId: d.alertId, target: d.target, attempts: d.attempts, body: this.#alerts[d.alertId - 1]!.body }));
  }

  async updateDelivery(alertId: number, target: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
    this.check();
    const d = this.#deliveries.find((x) => x.alertId === alertId && x.target === target);
    if (d === undefined) return;
    d.attempts = attempts;
    if ('deliveredAt' in outcome) {
      d.deliveredAt = outcome.deliveredAt;
      d.lastError = null;
    } else if ('failedAt' in outcome) {
      d.failedAt = outcome.failedAt;
      d.lastError = outcome.error;
    } else {
      d.nextAttempt = outcome.nextAttempt;
      d.lastError = outcome.error;
    }
  }

  async recentAlerts(limit: number): Promise<AlertRecord[]> {
    this.check();
    return this.#alerts.slice(Math.max(0, this.#alerts.length - limit)).reverse().map((a) => ({ ...a }));
  }

  async deliveriesOf(alertIds: readonly number[]): Promise<DeliveryRecord[]> {
    this.check();
    const ids = new Set(alertIds);
    return this.#deliveries
      .filter((d) => ids.has(d.alertId))
      .sort((a, b) => a.alertId - b.alertId || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
      .map((d) => ({ ...d }));
  }

  #after(afterId: number, limit: number): MemoryEvent[] {
    const from = clamp(afterId - this.#pruned, this.#events.length);
    return this.#events.slice(from, from + Math.max(0, limit));
  }

  /** The events that pass `keep`, newest first (time, then id), at most `limit`. */
  #newestFirst(keep: (e: MemoryEvent) => boolean, limit: number): EventRow[] {
    return this.#events
      .filter(keep)
      .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : b.id - a.id))
      .slice(0, limit)
      .map(row);
  }
}

/** The ids of the batch (from `first`) whose JSON text matches the prefilter. */
function screen(prefilter: RegExp, jsons: readonly string[], first: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < jsons.length; i++) if (prefilter.test(jsons[i]!)) candidates.push(first + i);
  return candidates;
}

function keyOf([name, value]: EventKey): string {
  return `${name}\u0000${value}`;
}

function row(e: MemoryEvent): EventRow {
  return { id: e.id, time: e.time, json: e.json };
}

/** In [start, end] and before `before` in (time, id) order, as far as those are given. */
function within(e: MemoryEvent, r: EventRange): boolean {
  if ((r.start !== undefined && e.time < r.start) || (r.end !== undefined && e.time > r.end)) return false;
  return r.before === undefined || e.time < r.before.time || (e.time === r.before.time && e.id < r.before.id);
}

/** An id bound as an index into events 1..length. */
function clamp(id: number, length: number): number {
  return Math.min(Math.max(0, Math.floor(id)), length);
}
