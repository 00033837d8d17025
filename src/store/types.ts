// Durable state behind one async interface (DESIGN.md). The store knows nothing of IAM: it keeps
// JSON documents keyed by (kind, id), and enforces AWS's rule that names are unique per account
// and kind, case-insensitively. The audit trail's storage is trail.ts.

export interface EntityRecord {
  /** 'account' | 'user' | 'group' | 'role' | 'policy' | … (open: any string) */
  kind: string;
  /** Unique per kind. */
  id: string;
  accountId: string;
  /** Unique per (accountId, kind), compared case-insensitively; absent for unnamed kinds. */
  name?: string;
  /** Must survive JSON.stringify/JSON.parse unchanged. */
  data: unknown;
}

export interface EntityKey {
  kind: string;
  id: string;
}

export interface StoreBatch {
  puts: EntityRecord[];
  deletes: EntityKey[];
  /** Audit events, written in the same transaction. */
  events?: unknown[];
}

export interface StoredEvent {
  /** Increasing, assigned by the store. */
  id: number;
  /** ISO 8601; the event's own `eventTime` when it has one, else the commit time. */
  time: string;
  event: unknown;
}

export interface Store {
  /** Every entity: used once at start to build the in-memory view. */
  loadAll(): Promise<EntityRecord[]>;
  /**
   * One transaction, all or nothing. Deletes are applied before puts; a put replaces the entity
   * with the same (kind, id). Rejects with NameConflictError when a name is already taken.
   */
  commit(batch: StoreBatch): Promise<void>;
  /** Events with id > afterId, oldest first. */
  readEvents(afterId?: number, limit?: number): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

/** The time recorded for an event: its CloudTrail-style `eventTime` if it has one. */
export function eventTime(event: unknown, fallback: () => Date): string {
  if (typeof event === 'object' && event !== null) {
    const t = (event as { eventTime?: unknown }).eventTime;
    if (typeof t === 'string') return t;
  }
  return fallback().toISOString();
}

/** A batch may put one (kind, id) more than once: the last put wins. */
export function lastPutPerKey(puts: readonly EntityRecord[]): EntityRecord[] {
  const last = new Map<string, EntityRecord>();
  for (const r of puts) {
    const key = `${r.kind}\u0000${r.id}`;
    last.delete(key); // keep the order of the last occurrence
    last.set(key, r);
  }
  return [...last.values()];
}
