// Runs the rules over committed events, in id order from a cursor kept in the store. The alerts
// an event raises, the deliveries they owe (one per webhook) and the cursor move are written in
// one transaction, so after a crash the engine resumes where it stopped and no alert is lost or
// raised twice. Each alert also goes to the log at once.
import type { StateReader } from '../../iam/state.ts';
import type { AlertStore, EventRow, SigninAddress, TrailCursors, TrailEvents } from '../../store/trail.ts';
import type { CloudTrailEvent } from '../event.ts';
import type { Alert, AlertRule, RuleContext } from './types.ts';

const CURSOR = 'alerts';
const BATCH = 500;
/** How often a cursor moved only in memory is stored. */
const CURSOR_SAVE_MS = 10_000;
/** Events of a name read back for `previous`. */
const PREVIOUS_LIMIT = 50;
/** Keys the windows of `count` and `distinct` hold before stale ones are dropped; at most MAX_KEYS are kept. */
const PRUNE_AT = 10_000;
const MAX_KEYS = 100_000;
/** Values `distinct` remembers per key (the oldest go first). */
const MAX_VALUES = 10_000;

export interface AlertEngineDeps {
  store: TrailEvents & TrailCursors & AlertStore;
  state: StateReader;
  rules: readonly AlertRule[];
  /** The webhook URLs alerts are owed to. */
  targets: readonly string[];
  now: () => Date;
  /** Called with the alerts of each processed batch, after they are durable. */
  onAlerts?: (alerts: Alert[]) => void;
  onError?: (e: unknown) => void;
  /** Events whose JSON does not match this cannot raise an alert (not parsed: reads are most events). */
  prefilter?: RegExp;
}

/** Events first..last, already tested against the prefilter where they were written: these ids matched. */
interface Screened {
  last: number;
  candidates: readonly number[];
}

export class AlertEngine {
  readonly #deps: AlertEngineDeps;
  /** Screened runs of events by their first id (the store's event sink screens its batches). */
  readonly #screened = new Map<number, Screened>();
  /** rule/key → times (ms) within the window asked for */
  readonly #windows = new Map<string, number[]>();
  /** rule/key → value → the last time (ms) it was seen, oldest first */
  readonly #values = new Map<string, Map<string, number>>();
  /** The longest window asked for: keys with nothing more recent are stale. */
  #longestMs = 0;
  #scheduled = false;
  /** The run in progress: runs take turns, so no event is processed twice. */
  #tail: Promise<unknown> = Promise.resolve();
  /** The last event processed, ahead of the stored cursor while only events that cannot raise an alert were passed. */
  #cursor: number | undefined;
  #stored: number | undefined;
  #storedAt = 0;

  constructor(deps: AlertEngineDeps) {
    this.#deps = deps;
  }

  /**
   * Events first..last were committed and tested against this engine's prefilter as they were
   * written: only `candidates` can raise an alert, so the others are passed without reading them.
   */
  screened(first: number, last: number, candidates: readonly number[]): void {
    if (this.#deps.prefilter !== undefined && last >= first) this.#screened.set(first, { last, candidates });
  }

  /** Processes new events soon (coalesced): called after every commit that wrote events. */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.processNew().catch((e) => (this.#deps.onError ?? ((x) => process.emitWarning(String(x))))(e));
    }, 20).unref();
  }

  /**
   * Runs the rules over every event after the cursor; resolves with the alerts raised. The alerts
   * of a batch, the deliveries they owe, what the rules learnt (sign-in addresses) and the cursor
   * are written in one transaction. A batch with nothing the prefilter lets through writes
   * nothing: the cursor moves in memory and is stored with the next alert, every CURSOR_SAVE_MS,
   * and on `saveCursor()` (after a crash the engine reads such events again, and they raise
   * nothing again). Most events are reads; this keeps the request thread from writing, and
   * waiting on the event writer thread's lock, after each batch of them.
   */
  processNew(): Promise<Alert[]> {
    const run = this.#tail.then(() => this.#processNew());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #processNew(): Promise<Alert[]> {
    const { store } = this.#deps;
    const raised: Alert[] = [];
    for (;;) {
      const after = await this.#position();
      let candidates: EventRow[];
      let last: number;
      const screened = this.#screened.get(after + 1);
      if (screened !== undefined) {
        this.#screened.delete(after + 1);
        candidates = await store.eventsById(screened.candidates);
        last = screened.last;
      } else {
        const rows = await store.eventsAfter(after, BATCH);
        if (rows.length === 0) break;
        const prefilter = this.#deps.prefilter;
        candidates = prefilter === undefined ? rows : rows.filter((row) => prefilter.test(row.json));
        last = rows[rows.length - 1]!.id;
      }
      if (candidates.length === 0) {
        this.#cursor = last;
        if (this.#deps.now().getTime() - this.#storedAt >= CURSOR_SAVE_MS) await this.#saveCursor();
        continue;
      }
      const batch = await this.#evaluate(candidates, last);
      this.#cursor = this.#stored = last;
      this.#storedAt = this.#deps.now().getTime();
      raised.push(...batch);
      if (batch.length > 0) this.#deps.onAlerts?.(batch);
    }
    // Runs read past before their screening arrived are of no more use.
    const cursor = this.#cursor ?? 0;
    for (const [first, s] of this.#screened) if (s.last <= cursor) this.#screened.delete(first);
    return raised;
  }

  /** Runs the rules over a batch's candidates and writes what they raised, with the cursor at `last`. */
  async #evaluate(candidates: readonly EventRow[], last: number): Promise<Alert[]> {
    const now = this.#deps.now().toISOString();
    const found: Omit<Alert, 'id'>[] = [];
    const addresses: SigninAddress[] = [];
    const ctx = this.#context(addresses);
    for (const row of candidates) {
      const event = JSON.parse(row.json) as CloudTrailEvent;
      if (typeof event.eventName !== 'string' || event.userIdentity === undefined) continue;
      for (const rule of this.#deps.rules) {
        const finding = await rule.evaluate(event, row.id, ctx);
        if (finding === undefined) continue;
        found.push({
          time: now,
          rule: rule.id,
          severity: rule.severity,
          summary: finding.summary,
          accountId: event.recipientAccountId ?? event.userIdentity.accountId,
          eventId: row.id,
          details: finding.details,
          event,
        });
      }
    }
    const records = await this.#deps.store.recordAlerts({
      alerts: found.map((a) => ({ time: now, rule: a.rule, severity: a.severity, eventId: a.eventId ?? null, body: JSON.stringify(a) })),
      targets: this.#deps.targets,
      signinAddresses: addresses,
      cursor: { name: CURSOR, eventId: last },
    });
    return found.map((a, i) => ({ id: records[i]!.id, ...a }));
  }

  /** Stores the cursor where it has moved in memory (in turn with runs, so it never moves back). */
  saveCursor(): Promise<void> {
    const run = this.#tail.then(() => this.#saveCursor());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #saveCursor(): Promise<void> {
    if (this.#cursor === undefined || this.#cursor === this.#stored) return;
    const cursor = this.#cursor;
    await this.#deps.store.writeCursor(CURSOR, cursor);
    this.#stored = cursor;
    this.#storedAt = this.#deps.now().getTime();
  }

  async #position(): Promise<number> {
    if (this.#cursor === undefined) {
      this.#cursor = this.#stored = (await this.#deps.store.readCursor(CURSOR)) ?? 0;
      this.#storedAt = this.#deps.now().getTime();
    }
    return this.#cursor;
  }

  /**
   * Keeps a map of windows bounded, whatever the keys an attacker makes (an address each): past
   * PRUNE_AT keys, those seen last before the longest window are dropped, and past MAX_KEYS the
   * least recently seen.
   */
  #bound<V>(map: Map<string, V>, now: number, windowSeconds: number, lastOf: (v: V) => number): void {
    this.#longestMs = Math.max(this.#longestMs, windowSeconds * 1000);
    if (map.size <= PRUNE_AT) return;
    for (const [k, v] of map) {
      if (lastOf(v) > now - this.#longestMs) break; // least recently seen first
      map.delete(k);
    }
    while (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
  }

  /** What the rules may ask while a batch is evaluated; sign-in addresses first seen go into `addresses`, written with the batch. */
  #context(addresses: SigninAddress[]): RuleContext {
    const { store } = this.#deps;
    /** principal → the addresses known, read once per batch and kept up to date with it */
    const known = new Map<string, string[]>();
    return {
      state: this.#deps.state,
      previous: async (eventName, accountId, beforeId) => {
        for (const { json } of await store.eventsWithKeyBefore(['EventName', eventName], beforeId, PREVIOUS_LIMIT)) {
          const e = JSON.parse(json) as CloudTrailEvent;
          if (e.errorCode === undefined && (e.recipientAccountId ?? e.userIdentity.accountId) === accountId) return e;
        }
        return undefined;
      },
      count: (rule, key, time, windowSeconds) => {
        const k = `${rule}\u0000${key}`;
        const t = Date.parse(time);
        const since = t - windowSeconds * 1000;
        const times = (this.#windows.get(k) ?? []).filter((x) => x > since);
        times.push(t);
        this.#windows.delete(k); // re-inserted last: the least recently counted keys come first
        this.#windows.set(k, times);
        this.#bound(this.#windows, t, windowSeconds, (v) => v[v.length - 1]!);
        return times.length;
      },
      distinct: (rule, key, value, time, windowSeconds) => {
        const k = `${rule}\u0000${key}`;
        const t = Date.parse(time);
        const since = t - windowSeconds * 1000;
        const values = this.#values.get(k) ?? new Map<string, number>();
        for (const [v, at] of values) {
          if (at > since) break; // oldest first: the rest are in the window
          values.delete(v);
        }
        values.delete(value);
        values.set(value, t);
        if (values.size > MAX_VALUES) values.delete(values.keys().next().value!);
        this.#values.delete(k);
        this.#values.set(k, values);
        this.#bound(this.#values, t, windowSeconds, (v) => [...v.values()].at(-1)!);
        return values.size;
      },
      signinAddress: async (principal, address, time) => {
        let seen = known.get(principal);
        if (seen === undefined) known.set(principal, (seen = await store.signinAddresses(principal)));
        if (seen.includes(address)) return 'known';
        const first = seen.length === 0;
        seen.push(address);
        addresses.push({ principal, address, firstSeen: time });
        return first ? 'first' : 'new';
      },
    };
  }
}
