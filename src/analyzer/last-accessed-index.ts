// When each IAM user and role last attempted each action, read from the audit trail: the source of
// service last accessed reports. AWS counts every authenticated attempt, allowed or denied
// ("an unexpected entry … does not mean that your account has been compromised, because the
// request might have been denied"), so every event signed by a user, or by a session of a role,
// counts; the root user, federated users and unauthenticated calls are no IAM entity's.
//
// The index reads the trail once, in order, as a consumer with a cursor: each catch-up reads only
// the events written since the last one (in pages, from the store's primary key), and keeps one
// entry per (entity, action) — the newest — so its size is bounded by the entities and the
// actions they used, not by the trail's length. It is in memory: a restarted server reads the
// trail again on its first report.
import type { EventRow } from '../store/trail.ts';

export interface LastUse {
  /** ISO 8601, as the event's eventTime. */
  time: string;
  region: string;
}

/** Reads the trail: events with id > afterId, oldest first (AuditStore.eventsAfter). */
export type ReadEventsAfter = (afterId: number, limit: number) => Promise<EventRow[]>;

const PAGE = 2000;
const AMAZONAWS = '.amazonaws.com';

interface IndexedEvent {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  userIdentity?: {
    type?: string;
    principalId?: string;
    sessionContext?: { sessionIssuer?: { type?: string; principalId?: string } };
  };
}

/** The user id (AIDA…) or role id (AROA…) an event is attributed to, if any. */
function entityIdOf(e: IndexedEvent): string | undefined {
  const identity = e.userIdentity;
  if (identity?.type === 'IAMUser') return identity.principalId;
  if (identity?.type === 'AssumedRole') {
    const issuer = identity.sessionContext?.sessionIssuer;
    return issuer?.type === 'Role' ? issuer.principalId : undefined;
  }
  return undefined;
}

export class LastAccessedIndex {
  readonly #read: ReadEventsAfter;
  /** entity id → "namespace:Action" → its newest use. */
  readonly #uses = new Map<string, Map<string, LastUse>>();
  #cursor = 0;
  #running: Promise<void> | undefined;

  constructor(read: ReadEventsAfter) {
    this.#read = read;
  }

  /** Reads the events written since the last catch-up; concurrent callers share one reading. */
  catchUp(): Promise<void> {
    this.#running ??= this.#readAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #readAll(): Promise<void> {
    for (;;) {
      const rows = await this.#read(this.#cursor, PAGE);
      for (const row of rows) this.#add(row);
      if (rows.length > 0) this.#cursor = rows[rows.length - 1]!.id;
      if (rows.length < PAGE) return;
    }
  }

  #add(row: EventRow): void {
    let e: IndexedEvent;
    try {
      e = JSON.parse(row.json) as IndexedEvent;
    } catch {
      return;
    }
    const entityId = entityIdOf(e);
    const source = e.eventSource;
    if (entityId === undefined || typeof source !== 'string' || !source.endsWith(AMAZONAWS) || typeof e.eventName !== 'string') return;
    const namespace = source.slice(0, -AMAZONAWS.length);
    if (namespace === 'signin') return; // console sign-in is no service access
    const action = `${namespace}:${e.eventName}`;
    let uses = this.#uses.get(entityId);
    if (uses === undefined) this.#uses.set(entityId, (uses = new Map()));
    const time = e.eventTime ?? row.time;
    const known = uses.get(action);
    if (known === undefined || known.time <= time) uses.set(action, { time, region: e.awsRegion ?? '' });
  }

  /** The entity's newest use of each action it used ("iam:GetUser" → …). */
  usesOf(entityId: string): ReadonlyMap<string, LastUse> | undefined {
    return this.#uses.get(entityId);
  }

  /** How many events have been read (for measurements). */
  get cursor(): number {
    return this.#cursor;
  }
}
