// Runs the rules over committed events, in id order from a cursor kept in the store. The alerts
// an event raises, the deliveries they owe (one per webhook) and the cursor move are written in
// one transaction, so after a crash the engine resumes where it stopped and no alert is lost or
// raised twice. Each alert also goes to the log at once.
import type { Database, Statement } from 'better-sqlite3';
import type { StateReader } from '../../iam/state.ts';
import { EVENTS_OF_KEY_ROW } from '../../store/event-log.ts';
import type { CloudTrailEvent } from '../event.ts';
import type { Alert, AlertRule, RuleContext } from './types.ts';

const CURSOR = 'alerts';
const BATCH = 500;
/** How often a cursor moved only in memory is stored. */
const CURSOR_SAVE_MS = 10_000;

export interface AlertEngineDeps {
  db: Database;
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
  readonly #read: Statement<[number, number], { id: number; json: string }>;
  readonly #readOne: Statement<[number], { id: number; json: string }>;
  /** Screened runs of events by their first id (the event writer thread screens its batches). */
  readonly #screened = new Map<number, Screened>();
  readonly #previous: Statement<[{ name: string; before: number }], { json: string }>;
  /** rule/key → times (ms) within the longest window asked for */
  readonly #windows = new Map<string, number[]>();
  #scheduled = false;
  /** The last event processed, ahead of the stored cursor while only events that cannot raise an alert were passed. */
  #cursor: number | undefined;
  #stored: number | undefined;
  #storedAt = 0;
  readonly #getCursor: Statement<[string], { event_id: number }>;
  readonly #setCursor: Statement<[string, number]>;

  constructor(deps: AlertEngineDeps) {
    this.#deps = deps;
    this.#read = deps.db.prepare('SELECT id, json FROM events WHERE id > ? ORDER BY id LIMIT ?');
    this.#readOne = deps.db.prepare('SELECT id, json FROM events WHERE id = ?');
    this.#getCursor = deps.db.prepare('SELECT event_id FROM audit_cursors WHERE name = ?');
    this.#setCursor = deps.db.prepare('INSERT INTO audit_cursors (name, event_id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET event_id = excluded.event_id');
    this.#previous = deps.db.prepare(
      `SELECT e.json AS json FROM event_keys k JOIN events e ON ${EVENTS_OF_KEY_ROW}
       WHERE k.name = 'EventName' AND k.value = @name AND coalesce(k.first_id, k.event_id) < @before AND e.id < @before
       ORDER BY k.time DESC, k.event_id DESC, e.id DESC LIMIT 50`,
    );
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
      try {
        this.processNew();
      } catch (e) {
        (this.#deps.onError ?? ((x) => process.emitWarning(String(x))))(e);
      }
    }, 20).unref();
  }

  /**
   * Runs the rules over every event after the cursor; returns the alerts raised. The alerts of a
   * batch, the deliveries they owe and the cursor are written in one transaction. A batch with
   * nothing the prefilter lets through writes nothing: the cursor moves in memory and is stored
   * with the next alert, every CURSOR_SAVE_MS, and on `saveCursor()` (after a crash the engine
   * reads such events again, and they raise nothing again). Most events are reads; this keeps
   * the request thread from writing, and waiting on the event writer thread's lock, after each
   * batch of them.
   */
  processNew(): Alert[] {
    const { db } = this.#deps;
    const raised: Alert[] = [];
    const addAlert = db.prepare('INSERT INTO alerts (time, rule, severity, event_id, body) VALUES (?, ?, ?, ?, ?)');
    const addDelivery = db.prepare('INSERT INTO alert_outbox (alert_id, target, next_attempt) VALUES (?, ?, ?)');
    for (;;) {
      const after = this.#position();
      let candidates: { id: number; json: string }[];
      let last: number;
      const screened = this.#screened.get(after + 1);
      if (screened !== undefined) {
        this.#screened.delete(after + 1);
        candidates = screened.candidates.map((id) => this.#readOne.get(id)).filter((row) => row !== undefined);
        last = screened.last;
      } else {
        const rows = this.#read.all(after, BATCH);
        if (rows.length === 0) break;
        const prefilter = this.#deps.prefilter;
        candidates = prefilter === undefined ? rows : rows.filter((row) => prefilter.test(row.json));
        last = rows[rows.length - 1]!.id;
      }
      if (candidates.length === 0) {
        this.#cursor = last;
        if (this.#deps.now().getTime() - this.#storedAt >= CURSOR_SAVE_MS) this.saveCursor();
        continue;
      }
      const batch = db.transaction(() => {
        const out: Alert[] = [];
        const now = this.#deps.now().toISOString();
        for (const row of candidates) {
          const event = JSON.parse(row.json) as CloudTrailEvent;
          if (typeof event.eventName !== 'string' || event.userIdentity === undefined) continue;
          for (const rule of this.#deps.rules) {
            const finding = rule.evaluate(event, row.id, this.#context(db));
            if (finding === undefined) continue;
            const alert: Omit<Alert, 'id'> = {
              time: now,
              rule: rule.id,
              severity: rule.severity,
              summary: finding.summary,
              accountId: event.recipientAccountId ?? event.userIdentity.accountId,
              eventId: row.id,
              details: finding.details,
              event,
            };
            const id = Number(addAlert.run(now, rule.id, rule.severity, row.id, JSON.stringify(alert)).lastInsertRowid);
            for (const target of this.#deps.targets) addDelivery.run(id, target, now);
            out.push({ id, ...alert });
          }
        }
        this.#setCursor.run(CURSOR, last);
        return out;
      }).immediate();
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

  /** Stores the cursor where it has moved in memory. */
  saveCursor(): void {
    if (this.#cursor === undefined || this.#cursor === this.#stored) return;
    this.#setCursor.run(CURSOR, this.#cursor);
    this.#stored = this.#cursor;
    this.#storedAt = this.#deps.now().getTime();
  }

  #position(): number {
    if (this.#cursor === undefined) {
      this.#cursor = this.#stored = (this.#getCursor.get(CURSOR) as { event_id: number } | undefined)?.event_id ?? 0;
      this.#storedAt = this.#deps.now().getTime();
    }
    return this.#cursor;
  }

  #context(db: Database): RuleContext {
    return {
      state: this.#deps.state,
      previous: (eventName, accountId, beforeId) => {
        for (const { json } of this.#previous.all({ name: eventName, before: beforeId })) {
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
        this.#windows.set(k, times);
        return times.length;
      },
      signinAddress: (principal, address, time) => {
        const known = db.prepare('SELECT address FROM signin_addresses WHERE principal = ?').all(principal) as { address: string }[];
        if (known.some((r) => r.address === address)) return 'known';
        db.prepare('INSERT INTO signin_addresses (principal, address, first_seen) VALUES (?, ?, ?)').run(principal, address, time);
        return known.length === 0 ? 'first' : 'new';
      },
    };
  }
}
