// Access-key last-used data (GetAccessKeyLastUsed, the credential report). Recording every call
// would make every read a write; like AWS, which reports last use at a coarse grain, we persist it
// at most once a minute per key (sooner when the service or region changes), off the request path.
import type { IamState } from '../iam/state.ts';

const PERSIST_INTERVAL_MS = 60_000;
/** Keys whose last-used write is already queued: concurrent calls must not queue one each. */
const pending = new WeakMap<IamState, Set<string>>();

function isFresh(last: { date: string; serviceName: string; region: string } | undefined, service: string, region: string, now: Date): boolean {
  return last !== undefined && last.serviceName === service && last.region === region && now.getTime() - Date.parse(last.date) < PERSIST_INTERVAL_MS;
}

export function recordKeyUse(state: IamState, accessKeyId: string, service: string, region: string, now: Date): void {
  const key = state.accessKey(accessKeyId);
  if (key === undefined || isFresh(key.data.lastUsed, service, region, now)) return;
  let queued = pending.get(state);
  if (queued === undefined) pending.set(state, (queued = new Set()));
  if (queued.has(accessKeyId)) return;
  queued.add(accessKeyId);
  state
    .transact((tx) => {
      const current = tx.accessKey(accessKeyId);
      if (current === undefined || isFresh(current.data.lastUsed, service, region, now)) return;
      tx.put({ ...current, data: { ...current.data, lastUsed: { date: now.toISOString(), serviceName: service, region } } });
    })
    .catch(() => undefined) // last-used data is best effort; it never fails the call it describes
    .finally(() => queued.delete(accessKeyId));
}
