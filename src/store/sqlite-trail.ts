// The audit trail's tables in the SQLite store (schema in migrations.ts): the queries behind
// store/trail.ts. Statements are prepared when first used, so that a store opened read-only on an
// older schema still answers what that schema holds.
import type { Database, Statement } from 'better-sqlite3';
import { EVENTS_OF_KEY_ROW } from './event-log.ts';
import { SqliteEventSink } from './sqlite-event-sink.ts';
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

const SQL = {
  eventsAfter: 'SELECT id, time, json FROM events WHERE id > ? ORDER BY id LIMIT ?',
  eventById: 'SELECT id, time, json FROM events WHERE id = ?',
  // One index range scan each (events_time, or event_keys' primary key with each row's short run
  // of events), so a search costs what its page holds, not what the trail holds.
  findAll: `SELECT id, time, json FROM events INDEXED BY events_time
    WHERE time >= ? AND time <= ? AND (time, id) < (?, ?)
    ORDER BY time DESC, id DESC LIMIT ?`,
  // A key row covers a run of events (first_id..event_id, all at its time; runs of one key never
  // overlap), so rows in (time, event_id) order, each run's events newest first, are the events
  // in (time, id) order.
  findByKey: `SELECT e.id AS id, e.time AS time, e.json AS json
    FROM event_keys k JOIN events e ON ${EVENTS_OF_KEY_ROW}
    WHERE k.name = ? AND k.value = ? AND k.time >= ? AND k.time <= ? AND k.time <= ? AND (e.time, e.id) < (?, ?)
    ORDER BY k.time DESC, k.event_id DESC, e.id DESC LIMIT ?`,
  findInSecond: `SELECT id, time, json FROM events INDEXED BY events_time
    WHERE time = ? AND time >= ? AND time <= ? AND (time, id) < (?, ?) AND instr(json, ?) > 0
    ORDER BY time DESC, id DESC`,
  withKeyBefore: `SELECT e.id AS id, e.time AS time, e.json AS json FROM event_keys k JOIN events e ON ${EVENTS_OF_KEY_ROW}
    WHERE k.name = ? AND k.value = ? AND coalesce(k.first_id, k.event_id) < ? AND e.id < ?
    ORDER BY k.time DESC, k.event_id DESC, e.id DESC LIMIT ?`,
  readChain: 'SELECT id, time, json, prev_hash, hash FROM events WHERE id > ? ORDER BY id LIMIT ?',
  countAfter: 'SELECT COUNT(*) AS n FROM events WHERE id > ?',
  pruneEvents: 'DELETE FROM events WHERE id <= ?',
  pruneKeys: 'DELETE FROM event_keys WHERE event_id <= ?',
  countBetween: 'SELECT COUNT(*) AS n FROM events WHERE id > ? AND id <= ?',
  chainHead: 'SELECT id, hash FROM events WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1',
  lastDigest: 'SELECT id, time, last_event_id, body, signature FROM audit_digests ORDER BY id DESC LIMIT 1',
  digests: 'SELECT id, time, last_event_id, body, signature FROM audit_digests ORDER BY id',
  addDigest: 'INSERT INTO audit_digests (time, last_event_id, body, signature) VALUES (?, ?, ?, ?)',
  getCursor: 'SELECT event_id FROM audit_cursors WHERE name = ?',
  setCursor: 'INSERT INTO audit_cursors (name, event_id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET event_id = excluded.event_id',
  addAlert: 'INSERT INTO alerts (time, rule, severity, event_id, body) VALUES (?, ?, ?, ?, ?)',
  addDelivery: 'INSERT INTO alert_outbox (alert_id, target, next_attempt) VALUES (?, ?, ?)',
  signinAddresses: 'SELECT address FROM signin_addresses WHERE principal = ?',
  addSigninAddress: 'INSERT INTO signin_addresses (principal, address, first_seen) VALUES (?, ?, ?)',
  due: `SELECT o.alert_id, o.target, o.attempts, a.body FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
    WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt <= ? ORDER BY o.next_attempt, o.alert_id LIMIT ?`,
  delivered: 'UPDATE alert_outbox SET attempts = ?, delivered_at = ?, last_error = NULL WHERE alert_id = ? AND target = ?',
  failed: 'UPDATE alert_outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE alert_id = ? AND target = ?',
  retry: 'UPDATE alert_outbox SET attempts = ?, next_attempt = ?, last_error = ? WHERE alert_id = ? AND target = ?',
  recentAlerts: 'SELECT id, time, rule, severity, event_id, body FROM alerts ORDER BY id DESC LIMIT ?',
  deliveriesOf: 'SELECT alert_id, target, attempts, next_attempt, delivered_at, failed_at, last_error FROM alert_outbox WHERE alert_id = ? ORDER BY target',
} as const;

type Query = keyof typeof SQL;

// What an absent bound of a search becomes: no stored time sorts before '' or after '\uffff'.
const MIN_TIME = '';
const MAX_TIME = '\uffff';
const MAX_ID = Number.MAX_SAFE_INTEGER;

interface DigestRow {
  id: number;
  time: string;
  last_event_id: number;
  body: string;
  signature: string;
}

interface AlertRow {
  id: number;
  time: string;
  rule: string;
  severity: string;
  event_id: number | null;
  body: string;
}

interface DeliveryRow {
  alert_id: number;
  target: string;
  attempts: number;
  next_attempt: string;
  delivered_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

export class SqliteTrail implements AuditStore {
  protected readonly db: Database;
  readonly file: string;
  readonly #eventKeys: EventKeysFunction | undefined;
  readonly #chainKey: Uint8Array | undefined;
  readonly #statements = new Map<Query, Statement>();
  readonly #listeners = new Set<(first: number, last: number) => void>();

  constructor(db: Database, file: string, eventKeys: EventKeysFunction | undefined, chainKey?: Uint8Array) {
    this.db = db;
    this.file = file;
    this.#eventKeys = eventKeys;
    this.#chainKey = chainKey;
  }

  #sql<R = unknown>(query: Query): Statement<unknown[], R> {
    let statement = this.#statements.get(query);
    if (statement === undefined) this.#statements.set(query, (statement = this.db.prepare(SQL[query])));
    return statement as Statement<unknown[], R>;
  }

  onEvents(listener: (first: number, last: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the listeners of events committed: by this connection or by the event writer thread. */
  protected announceEvents(first: number, last: number): void {
    for (const listener of this.#listeners) {
      try {
        listener(first, last);
      } catch (e) {
        process.emitWarning(e instanceof Error ? e : String(e), 'AuditListenerError');
      }
    }
  }

  /** A writer thread with its own connection (sqlite-event-sink.ts), started with the first batch. */
  openEventSink(options: EventSinkOptions = {}): EventSink {
    const keys = this.#eventKeys;
    if (keys !== undefined && keys.module === undefined) throw new Error('the event writer thread needs eventKeys.module: the module that exports the event keys function');
    return new SqliteEventSink({
      file: this.file,
      eventKeys: keys && { module: keys.module!, name: keys.name },
      chainKey: this.#chainKey,
      prefilter: options.prefilter,
      onScreened: options.onScreened,
      onWritten: (first, last) => this.announceEvents(first, last),
    });
  }

  async eventsAfter(afterId: number, limit: number): Promise<EventRow[]> {
    return this.#sql<EventRow>('eventsAfter').all(afterId, limit);
  }

  async eventsById(ids: readonly number[]): Promise<EventRow[]> {
    const one = this.#sql<EventRow>('eventById');
    const rows: EventRow[] = [];
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      const row = one.get(id);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }

  async findEvents(s: EventSearch): Promise<EventRow[]> {
    const start = s.start ?? MIN_TIME;
    const end = s.end ?? MAX_TIME;
    const beforeTime = s.before?.time ?? MAX_TIME;
    const beforeId = s.before?.id ?? MAX_ID;
    if (s.key === undefined) return this.#sql<EventRow>('findAll').all(start, end, beforeTime, beforeId, s.limit);
    return this.#sql<EventRow>('findByKey').all(s.key[0], s.key[1], start, end, beforeTime, beforeTime, beforeId, s.limit);
  }

  async findEventsInSecond(second: string, text: string, r: EventRange): Promise<EventRow[]> {
    return this.#sql<EventRow>('findInSecond').all(second, r.start ?? MIN_TIME, r.end ?? MAX_TIME, r.before?.time ?? MAX_TIME, r.before?.id ?? MAX_ID, text);
  }

  async eventsWithKeyBefore(key: EventKey, beforeId: number, limit: number): Promise<EventRow[]> {
    return this.#sql<EventRow>('withKeyBefore').all(key[0], key[1], beforeId, beforeId, limit);
  }

  async readChain(afterId: number, limit: number): Promise<ChainedEventRow[]> {
    const rows = this.#sql<{ id: number; time: string; json: string; prev_hash: Buffer | null; hash: Buffer | null }>('readChain').all(afterId, limit);
    return rows.map((r) => ({ id: r.id, time: r.time, json: r.json, prevHash: r.prev_hash, hash: r.hash }));
  }

  async countEvents(afterId: number): Promise<number> {
    return this.#sql<{ n: number }>('countAfter').get(afterId)!.n;
  }

  async pruneEvents(throughId: number): Promise<number> {
    // A key row whose run reaches past throughId stays: it finds only the events that remain.
    return this.db.transaction(() => {
      this.#sql('pruneKeys').run(throughId);
      return this.#sql('pruneEvents').run(throughId).changes;
    }).immediate();
  }

  async appendDigest(sign: (basis: DigestBasis) => NewDigest | undefined): Promise<DigestRecord | undefined> {
    // IMMEDIATE: the basis is read under the write lock, so two writers cannot fork the digests.
    return this.db.transaction(() => {
      const last = this.#sql<DigestRow>('lastDigest').get();
      const previous = last && digestRecord(last);
      const head = this.#sql<{ id: number; hash: Buffer }>('chainHead').get();
      const newEvents = this.#sql<{ n: number }>('countBetween').get(previous?.lastEventId ?? 0, head?.id ?? 0)!.n;
      const digest = sign({ previous, head, newEvents });
      if (digest === undefined) return undefined;
      const id = Number(this.#sql('addDigest').run(digest.time, digest.lastEventId, digest.body, digest.signature).lastInsertRowid);
      return { id, ...digest };
    }).immediate();
  }

  async readDigests(): Promise<DigestRecord[]> {
    return this.#sql<DigestRow>('digests').all().map(digestRecord);
  }

  async readCursor(name: string): Promise<number | undefined> {
    return this.#sql<{ event_id: number }>('getCursor').get(name)?.event_id;
  }

  async writeCursor(name: string, eventId: number): Promise<void> {
    this.#sql('setCursor').run(name, eventId);
  }

  async recordAlerts(batch: AlertBatch): Promise<AlertRecord[]> {
    return this.db.transaction(() => {
      const out: AlertRecord[] = [];
      for (const a of batch.alerts) {
        const id = Number(this.#sql('addAlert').run(a.time, a.rule, a.severity, a.eventId, a.body).lastInsertRowid);
        for (const target of batch.targets) this.#sql('addDelivery').run(id, target, a.time);
        out.push({ id, time: a.time, rule: a.rule, severity: a.severity, eventId: a.eventId, body: a.body });
      }
      for (const s of batch.signinAddresses) this.#sql('addSigninAddress').run(s.principal, s.address, s.firstSeen);
      this.#sql('setCursor').run(batch.cursor.name, batch.cursor.eventId);
      return out;
    }).immediate();
  }

  async signinAddresses(principal: string): Promise<string[]> {
    return this.#sql<{ address: string }>('signinAddresses').all(principal).map((r) => r.address);
  }

  async dueDeliveries(now: string, limit: number): Promise<DueDelivery[]> {
    const rows = this.#sql<{ alert_id: number; target: string; attempts: number; body: string }>('due').all(now, limit);
    return rows.map((r) => ({ alertId: r.alert_id, target: r.target, attempts: r.attempts, body: r.body }));
  }

  async updateDelivery(alertId: number, target: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
    if ('deliveredAt' in outcome) this.#sql('delivered').run(attempts, outcome.deliveredAt, alertId, target);
    else if ('failedAt' in outcome) this.#sql('failed').run(attempts, outcome.failedAt, outcome.error, alertId, target);
    else this.#sql('retry').run(attempts, outcome.nextAttempt, outcome.error, alertId, target);
  }

  async recentAlerts(limit: number): Promise<AlertRecord[]> {
    return this.#sql<AlertRow>('recentAlerts')
      .all(limit)
      .map((r) => ({ id: r.id, time: r.time, rule: r.rule, severity: r.severity, eventId: r.event_id, body: r.body }));
  }

  async deliveriesOf(alertIds: readonly number[]): Promise<DeliveryRecord[]> {
    const byAlert = this.#sql<DeliveryRow>('deliveriesOf');
    return [...new Set(alertIds)]
      .sort((a, b) => a - b)
      .flatMap((id) => byAlert.all(id))
      .map((r) => ({
        alertId: r.alert_id,
        target: r.target,
        attempts: r.attempts,
        nextAttempt: r.next_attempt,
        deliveredAt: r.delivered_at,
        failedAt: r.failed_at,
        lastError: r.last_error,
      }));
  }
}

function digestRecord(r: DigestRow): DigestRecord {
  return { id: r.id, time: r.time, lastEventId: r.last_event_id, body: r.body, signature: r.signature };
}
