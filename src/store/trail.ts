// The audit trail's storage, behind the store: events as their JSON text with the hash chain and
// lookup keys the store keeps for them, signed digests, the cursors of the trail's consumers,
// alerts and their webhook outbox. What the rows mean (what a digest covers and signs, how
// LookupEvents pages, which alerts fire, how a delivery is retried) is audit/'s; here are plain
// typed records, and every method is async so that a network database implements them as they
// are. Every implementation passes test/store/trail-contract.ts.
import type { EventKey } from './event-chain.ts';

export type { EventKey };

/**
 * The lookup keys of an event: what LookupEvents searches by (audit/lookup-keys.ts). A store may
 * compute them on a worker thread, which cannot be sent a function: `module` then names the
 * module that exports this function under its own name, for the thread to import.
 */
export interface EventKeysFunction {
  (event: unknown): Iterable<EventKey>;
  module?: string;
}

/** An event as stored: id (increasing, assigned by the store), time (ISO 8601) and JSON text. */
export interface EventRow {
  id: number;
  time: string;
  json: string;
}

/** An event with its links in the hash chain (store/event-chain.ts); null for events written before the chain. */
export interface ChainedEventRow extends EventRow {
  prevHash: Buffer | null;
  hash: Buffer | null;
}

/** A place in the newest-first order of events, (time, id). */
export interface EventPosition {
  time: string;
  id: number;
}

/** Events within [start, end] (inclusive, in the stored form) and strictly before `before` in (time, id) order; an absent bound does not limit. */
export interface EventRange {
  start?: string;
  end?: string;
  before?: EventPosition;
}

export interface EventSearch extends EventRange {
  /** Only events that have this lookup key. */
  key?: EventKey;
  limit: number;
}

/** Where batches of events that are not part of a change go (audit/writer.ts). */
export interface EventSink {
  /**
   * Appends events given as their JSON text, in order, in one transaction; resolves once they are
   * committed. `durable: false` may skip the fsync: such events survive a crash of the process and
   * reach the disk with the next durable commit.
   */
  appendEvents(jsons: string[], durable: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface EventSinkOptions {
  /** Tested on each event's JSON text as it is written (the alert engine's prefilter). */
  prefilter?: RegExp;
  /** With a prefilter: each batch's ids and those of its events that matched, told before the batch is announced. */
  onScreened?: (first: number, last: number, candidates: readonly number[]) => void;
}

export interface DigestRecord {
  id: number;
  time: string;
  /** The last event the digest covers. */
  lastEventId: number;
  /** The signed text and its signature. */
  body: string;
  signature: string;
}

export type NewDigest = Omit<DigestRecord, 'id'>;

/** What a new digest is made from, read in the transaction that writes it. */
export interface DigestBasis {
  previous: DigestRecord | undefined;
  /** The newest event of the chain. */
  head: { id: number; hash: Buffer } | undefined;
  /** How many events have ids after the previous digest's last event, up to the head. */
  newEvents: number;
}

export interface AlertRecord {
  id: number;
  time: string;
  rule: string;
  severity: string;
  eventId: number | null;
  /** The alert as JSON text (what a webhook is sent, less the id). */
  body: string;
}

export type NewAlert = Omit<AlertRecord, 'id'>;

export interface SigninAddress {
  principal: string;
  address: string;
  firstSeen: string;
}

/** The alerts of a batch of events, written together with the consumer's cursor past the batch. */
export interface AlertBatch {
  alerts: NewAlert[];
  /** Each alert is owed to each of these webhooks, due at the alert's time. */
  targets: readonly string[];
  /** Addresses principals signed in from for the first time in the batch. */
  signinAddresses: readonly SigninAddress[];
  cursor: { name: string; eventId: number };
}

export interface DeliveryRecord {
  alertId: number;
  target: string;
  attempts: number;
  nextAttempt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
}

/** A delivery owed and due, with the alert's body. */
export interface DueDelivery {
  alertId: number;
  target: string;
  attempts: number;
  body: string;
}

/** How a delivery attempt ended: delivered, given up, or to be tried again. */
export type DeliveryOutcome = { deliveredAt: string } | { failedAt: string; error: string } | { nextAttempt: string; error: string };

/** The events of the trail. */
export interface TrailEvents {
  /** Called with the id range of events this process committed (a commit or a sink's batch). */
  onEvents(listener: (first: number, last: number) => void): () => void;
  /** Where batches of events go: off the calling thread where the store can. */
  openEventSink(options?: EventSinkOptions): EventSink;
  /** Events with id > afterId, oldest first. */
  eventsAfter(afterId: number, limit: number): Promise<EventRow[]>;
  /** The events with these ids (those that exist), oldest first. */
  eventsById(ids: readonly number[]): Promise<EventRow[]>;
  /** Events in the range, newest first (time, then id). */
  findEvents(search: EventSearch): Promise<EventRow[]>;
  /** The events of one second (as times are stored) in the range whose JSON text contains `text`, newest first. */
  findEventsInSecond(second: string, text: string, range: EventRange): Promise<EventRow[]>;
  /** Events that have `key` and ids below `beforeId`, newest first (time, then id). */
  eventsWithKeyBefore(key: EventKey, beforeId: number, limit: number): Promise<EventRow[]>;
  /** Events with id > afterId and their chain links, oldest first. */
  readChain(afterId: number, limit: number): Promise<ChainedEventRow[]>;
  /** How many events have ids above `afterId`. */
  countEvents(afterId: number): Promise<number>;
  /**
   * Removes the events with ids up to `throughId` and their lookup keys (retention: audit/retention.ts
   * decides what may go, and always keeps the newest event, so that ids are never reused); answers
   * how many were removed.
   */
  pruneEvents(throughId: number): Promise<number>;
}

/** Signed digests of the trail. */
export interface TrailDigests {
  /**
   * Writes a digest in one transaction with the reading of its basis, so that digests form one
   * chain however many are written at once. `sign` makes the digest from the basis, or answers
   * undefined to write none.
   */
  appendDigest(sign: (basis: DigestBasis) => NewDigest | undefined): Promise<DigestRecord | undefined>;
  /** Every digest, oldest first. */
  readDigests(): Promise<DigestRecord[]>;
}

/** How far each consumer of the trail (the exporter, the alert engine) has read: the last event id. */
export interface TrailCursors {
  readCursor(name: string): Promise<number | undefined>;
  writeCursor(name: string, eventId: number): Promise<void>;
}

/** Alerts, the webhook deliveries they owe, and what the alert rules remember. */
export interface AlertStore {
  /** Writes a batch's alerts, their deliveries, sign-in addresses and the cursor in one transaction; answers the alerts with their ids. */
  recordAlerts(batch: AlertBatch): Promise<AlertRecord[]>;
  /** The addresses a principal has signed in from. */
  signinAddresses(principal: string): Promise<string[]>;
  /** Deliveries neither delivered nor given up whose next attempt is due by `now`, soonest first. */
  dueDeliveries(now: string, limit: number): Promise<DueDelivery[]>;
  /** Records an attempt: `attempts` made so far and how the last one ended. */
  updateDelivery(alertId: number, target: string, attempts: number, outcome: DeliveryOutcome): Promise<void>;
  /** The newest alerts first. */
  recentAlerts(limit: number): Promise<AlertRecord[]>;
  /** The deliveries of these alerts, by alert id then target. */
  deliveriesOf(alertIds: readonly number[]): Promise<DeliveryRecord[]>;
}

export interface AuditStore extends TrailEvents, TrailDigests, TrailCursors, AlertStore {}
