// The lookup keys the store contract indexes: a function a store's worker thread can import too.
import type { EventKey } from '../../src/store/trail.ts';

export function contractEventKeys(event: unknown): EventKey[] {
  const e = event as { eventName?: string; user?: string; resources?: string[] };
  const keys: EventKey[] = [];
  if (e.eventName !== undefined) keys.push(['EventName', e.eventName]);
  if (e.user !== undefined) keys.push(['Username', e.user]);
  for (const r of e.resources ?? []) keys.push(['ResourceName', r]);
  return keys;
}

contractEventKeys.module = import.meta.url;
