// Request context construction: AWS compares condition key names case-insensitively, so the
// context is keyed by lowercased name once, when the request is built.
import type { ContextValue, RequestContext } from './types.ts';

export function contextFrom(entries: Record<string, ContextValue | undefined> | Iterable<[string, ContextValue]>): RequestContext {
  const map = new Map<string, ContextValue>();
  const pairs = Symbol.iterator in entries ? (entries as Iterable<[string, ContextValue]>) : Object.entries(entries);
  for (const [key, value] of pairs) if (value !== undefined) map.set(key.toLowerCase(), value);
  return map;
}
