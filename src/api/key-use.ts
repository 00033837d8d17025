// Last-used data: access keys (GetAccessKeyLastUsed, the credential report) and roles
// (RoleLastUsed). Recording every call would make every read a write; like AWS, which reports
// last use at a coarse grain, we persist it at most once a minute per entity (sooner when the
// service or region changes), off the request path. Calls made with temporary credentials count
// as use of the long-term key the session was created with and, for role sessions, of the role.
import type { Caller } from '../iam/caller.ts';
import type { Draft, IamState, StateReader } from '../iam/state.ts';

const PERSIST_INTERVAL_MS = 60_000;

interface LastUse {
  date: string;
  region: string;
  serviceName?: string;
}

/** Recorded dates, parsed once: a recorded use is an immutable part of its entity. */
const parsedDates = new WeakMap<LastUse, number>();
/** A role's recorded RoleLastUsed seen as a LastUse: one per recorded value, so its date is parsed once. */
const roleUses = new WeakMap<object, LastUse>();

function isFresh(last: LastUse | undefined, service: string | undefined, region: string, now: Date): boolean {
  if (last === undefined || last.serviceName !== service || last.region !== region) return false;
  let at = parsedDates.get(last);
  if (at === undefined) parsedDates.set(last, (at = Date.parse(last.date)));
  return now.getTime() - at < PERSIST_INTERVAL_MS;
}

/** Last-used data of one state's keys and roles. */
export class LastUseRecorder {
  readonly #state: IamState;
  /** Entities whose last-used write is already queued: concurrent calls must not queue one each. */
  readonly #pending = new Set<string>();

  constructor(state: IamState) {
    this.#state = state;
  }

  /**
   * Persists a last use unless a fresh one is already recorded: `read` gives the recorded use from
   * the state (or a transaction's draft), `write` records the new one inside the transaction.
   */
  #recordUse(
    key: string,
    read: (s: StateReader) => LastUse | null | undefined,
    write: (tx: Draft) => void,
    service: string | undefined,
    region: string,
    now: Date,
  ): void {
    const last = read(this.#state);
    if (last === null || isFresh(last, service, region, now)) return;
    const queued = this.#pending;
    if (queued.has(key)) return;
    queued.add(key);
    this.#state
      .transact((tx) => {
        const current = read(tx);
        if (current === null || isFresh(current, service, region, now)) return;
        write(tx);
      })
      .catch(() => undefined) // last-used data is best effort; it never fails the call it describes
      .finally(() => queued.delete(key));
  }

  recordKeyUse(accessKeyId: string, service: string, region: string, now: Date): void {
    // Most calls find a fresh use recorded: that check comes before anything is made for a write.
    const current = this.#state.accessKey(accessKeyId)?.data.lastUsed;
    if (current !== undefined && isFresh(current, service, region, now)) return;
    this.#recordUse(
      `accessKey\0${accessKeyId}`,
      (s) => {
        const key = s.accessKey(accessKeyId);
        return key === undefined ? null : key.data.lastUsed;
      },
      (tx) => {
        const key = tx.accessKey(accessKeyId)!;
        tx.put({ ...key, data: { ...key.data, lastUsed: { date: now.toISOString(), serviceName: service, region } } });
      },
      service,
      region,
      now,
    );
  }

  /** RoleLastUsed: when a session of the role last made a call, and in which region. */
  recordRoleUse(roleId: string, region: string, now: Date): void {
    this.#recordUse(
      `role\0${roleId}`,
      (s) => {
        const role = s.get('role', roleId);
        if (role === undefined) return null;
        const last = role.data.roleLastUsed;
        if (last === undefined) return undefined;
        let use = roleUses.get(last);
        if (use === undefined) roleUses.set(last, (use = { date: last.lastUsedDate, region: last.region }));
        return use;
      },
      (tx) => {
        const role = tx.get('role', roleId)!;
        tx.put({ ...role, data: { ...role.data, roleLastUsed: { lastUsedDate: now.toISOString(), region } } });
      },
      undefined,
      region,
      now,
    );
  }

  /** Records the call's use of the caller's credentials: the key (through sessions) and the role. */
  recordCallerUse(caller: Caller, service: string, region: string, now: Date): void {
    const session = caller.session;
    if (session === undefined) {
      this.recordKeyUse(caller.accessKeyId, service, region, now);
      return;
    }
    if (session.sourceAccessKeyId !== undefined) this.recordKeyUse(session.sourceAccessKeyId, service, region, now);
    if (session.kind === 'AssumedRole' && caller.entityId !== undefined) this.recordRoleUse(caller.entityId, region, now);
  }
}
