// IAM-style pagination: MaxItems (default 100), an opaque Marker, IsTruncated.
import { invalidInput } from '../model/errors.ts';

export interface Page<T> {
  readonly page: T[];
  readonly isTruncated: boolean;
  /** Present only when truncated: what the caller sends back as Marker. */
  readonly marker?: string;
}

export interface PaginateOptions<T> {
  readonly defaultMaxItems?: number;
  /**
   * A stable key of each item (e.g. its name or id), with items sorted by it. The marker then
   * remembers the last key returned, so items deleted between pages do not shift the next page.
   * Without it the marker is an offset.
   */
  readonly keyOf?: (item: T) => string;
}

function encodeMarker(state: { o?: number; k?: string }): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeMarker(marker: string): { o?: number; k?: string } {
  try {
    const state = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as unknown;
    if (state !== null && typeof state === 'object') {
      const { o, k } = state as { o?: unknown; k?: unknown };
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return { o };
      if (typeof k === 'string') return { k };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput('Invalid Marker.');
}

export function paginate<T>(
  items: readonly T[],
  marker: string | undefined,
  maxItems: number | undefined,
  options: PaginateOptions<T> = {},
): Page<T> {
  const limit = maxItems ?? options.defaultMaxItems ?? 100;
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const state = decodeMarker(marker);
    if (state.k !== undefined) {
      if (!options.keyOf) throw invalidInput('Invalid Marker.');
      const keyOf = options.keyOf;
      const after = state.k;
      const i = items.findIndex((item) => keyOf(item) > after);
      start = i < 0 ? items.length : i;
    } else {
      start = Math.min(state.o ?? 0, items.length);
    }
  }
  const page = items.slice(start, start + limit);
  const isTruncated = start + limit < items.length;
  if (!isTruncated) return { page, isTruncated };
  const last = page[page.length - 1];
  const next = options.keyOf && last !== undefined ? encodeMarker({ k: options.keyOf(last) }) : encodeMarker({ o: start + limit });
  return { page, isTruncated, marker: next };
}

export interface PageBounds {
  /** The page is items start to end (exclusive). */
  readonly start: number;
  readonly end: number;
  readonly isTruncated: boolean;
  readonly marker?: string;
}

/**
 * The page of `total` items (offset markers), for lists too long to build before paging:
 * only the items of the page are then made.
 */
export function pageBounds(total: number, marker: string | undefined, maxItems: number | undefined, defaultMaxItems = 100): PageBounds {
  const limit = maxItems ?? defaultMaxItems;
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const state = decodeMarker(marker);
    if (state.o === undefined) throw invalidInput('Invalid Marker.');
    start = Math.min(state.o, total);
  }
  const end = Math.min(start + limit, total);
  const isTruncated = end < total;
  return isTruncated ? { start, end, isTruncated, marker: encodeMarker({ o: end }) } : { start, end, isTruncated };
}
