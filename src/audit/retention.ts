// Retention of events in the database (GATEHOUSE_AUDIT_DB_RETENTION_DAYS): events older than the
// retention go, but only those already exported (their CloudTrail files hold them from then on)
// and covered by a digest, and only up to the last event a digest names. The trail then starts
// just after that event, and its first link is anchored in that signed digest, so `audit verify`
// still checks the whole chain that remains (verify.ts). Events the newest digest names stay,
// so the newest event always does.
import type { TrailCursors, TrailDigests, TrailEvents } from '../store/trail.ts';
import { EXPORT_CURSOR } from './export.ts';

/** Removes what retention allows; answers how many events went. */
export async function pruneTrail(store: TrailEvents & TrailDigests & TrailCursors, now: Date, days: number): Promise<number> {
  if (days <= 0) return 0;
  const exported = (await store.readCursor(EXPORT_CURSOR)) ?? 0;
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const digests = await store.readDigests();
  const newest = digests.at(-1)?.lastEventId ?? 0;
  let through = 0;
  for (const d of digests) {
    const last = d.lastEventId;
    if (last > exported || last >= newest) break;
    if (last <= through) continue;
    const [event] = await store.eventsById([last]);
    if (event === undefined) continue; // pruned already
    if (event.time >= cutoff) break;
    through = last;
  }
  return through > 0 ? store.pruneEvents(through) : 0;
}
