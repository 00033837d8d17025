// `gatehouse audit verify`: walks the whole chain and every digest and names the first event that
// was altered, removed, inserted or forged. Each row must hash to its own hash with the chain key
// (else its content was changed, or it was written by someone without the key: forged or
// re-hashed) and point at the hash of the row before it (else something between them was removed
// or inserted, or the row before was changed and re-hashed); each digest must carry a valid
// signature, follow the digest before it, and match the chain at the event it names (else the
// chain was rewritten up to there, or its newest events were removed); events older than a
// digest interval must be covered by a digest (else the digests were removed); and each digest
// exported beside the trail's files must be in the database as it was exported (else the newest
// events were removed together with their digest).
//
// Unkeyed links (plain SHA-256) are those of trails written before the chain was keyed: they are
// accepted only before the first keyed event. A trail pruned by retention starts at an event
// whose link is anchored in the digest that covered the events pruned before it.
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { chainHash, chainLink, GENESIS_HASH, type ChainLink } from '../store/event-chain.ts';
import type { ChainedEventRow, DigestRecord, TrailDigests, TrailEvents } from '../store/trail.ts';
import type { DigestBody } from './digest.ts';

export type ProblemKind = 'altered' | 'removed' | 'inserted' | 'forged' | 'digest' | 'undigested';

export interface Problem {
  kind: ProblemKind;
  /** The event the problem is at (for `removed`: the first event after the gap). */
  eventId: number;
  /** eventID and eventName of that row, when it can be read. */
  eventName?: string;
  eventUuid?: string;
  message: string;
}

export interface VerifyReport {
  intact: boolean;
  events: number;
  digests: number;
  /** Events written before the chain existed (schema 1), not covered. */
  unchained: number;
  /** Events with unkeyed links, written before the chain was keyed (when keys were checked). */
  unkeyed: number;
  /** Whether the links' keys were checked (the private key was at hand), or only their order. */
  keysChecked: boolean;
  /** The first event in the database, when retention pruned the ones before it. */
  prunedBefore?: number;
  /** Digest files read from the export directory. */
  exportedDigests?: number;
  /** Events after the last digest: protected by the chain only until the next digest. */
  undigested: number;
  lastDigestTime?: string;
  problem?: Problem;
}

type Row = ChainedEventRow;

/** Events read at a time. */
const PAGE = 1000;

function describe(row: Row): { eventName?: string; eventUuid?: string } {
  try {
    const e = JSON.parse(row.json) as { eventName?: string; eventID?: string };
    return { eventName: e.eventName, eventUuid: e.eventID };
  } catch {
    return {};
  }
}

function label(row: Row): string {
  const d = describe(row);
  return `event ${row.id}${d.eventName ? ` (${d.eventName}${d.eventUuid ? ` ${d.eventUuid}` : ''})` : ''}`;
}

interface Walk {
  problem?: Problem;
  events: number;
  unchained: number;
  unkeyed: number;
  lastId: number;
  /** The first chained row when its link does not start at the genesis hash (pruned, or removed). */
  start?: Row;
}

/** The chain's first broken spot, if any; also the hashes by id that digests are checked against. */
async function walkChain(store: TrailEvents, link: ChainLink | undefined, hashAt: Map<number, Buffer>, wanted: Set<number>, onProgress: VerifyProgress | undefined): Promise<Walk> {
  const total = onProgress !== undefined ? await store.countEvents(0) : 0;
  const walk: Walk = { events: 0, unchained: 0, unkeyed: 0, lastId: 0 };
  let prev: Row | undefined;
  let prevPrevHash: Buffer = GENESIS_HASH;
  let keyedSeen = false;
  let lastId = 0;
  for (let page = await store.readChain(0, PAGE); page.length > 0; page = page.length < PAGE ? [] : await store.readChain(lastId, PAGE)) {
    onProgress?.(walk.events, total);
    for (let i = 0; i < page.length; i++) {
      const row = page[i]!;
      walk.events++;
      lastId = walk.lastId = row.id;
      if (row.hash === null || row.prevHash === null) {
        if (prev === undefined || prev.hash === null) {
          walk.unchained++;
          prev = row;
          continue;
        }
        walk.problem ??= { kind: 'inserted', eventId: row.id, ...describe(row), message: `${label(row)} has no place in the chain: it was inserted` };
        continue;
      }
      if (wanted.has(row.id)) hashAt.set(row.id, row.hash);
      if (walk.problem !== undefined) continue;
      // The first chained row may start after pruned events: its link is checked against the digest that covered them.
      const first = prev === undefined || prev.hash === null;
      if (first && !row.prevHash.equals(GENESIS_HASH)) walk.start = row;
      const expectedPrev = first ? row.prevHash : prev!.hash!;
      const keyed = link !== undefined && link(row.prevHash, row.time, row.json).equals(row.hash);
      // Without the key only unkeyed rows can be checked; keyed ones are taken on their links.
      const unkeyed = !keyed && chainHash(row.prevHash, row.time, row.json).equals(row.hash);
      const selfOk = link === undefined ? true : keyed || (unkeyed && !keyedSeen);
      const linkOk = row.prevHash.equals(expectedPrev);
      if (keyed) keyedSeen = true;
      else if (unkeyed && link !== undefined && !keyedSeen) walk.unkeyed++;
      if (!selfOk && unkeyed) {
        walk.problem = {
          kind: 'forged',
          eventId: row.id,
          ...describe(row),
          message: `${label(row)} is not sealed with the audit key: it was forged, or the chain was recomputed from there after an event at or before it was altered or removed`,
        };
      } else if (!selfOk) {
        // A row outside the chain: the next row links over it to the one before.
        const after = page[i + 1] ?? (await store.readChain(row.id, 1))[0];
        const skipped = after?.prevHash != null && after.prevHash.equals(expectedPrev);
        walk.problem = skipped || !linkOk
          ? { kind: 'inserted', eventId: row.id, ...describe(row), message: `${label(row)} is not part of the chain: it was inserted` }
          : { kind: 'altered', eventId: row.id, ...describe(row), message: `${label(row)} was altered: its content no longer matches its hash` };
      } else if (!linkOk) {
        if (prev !== undefined && row.prevHash.equals(prevPrevHash)) {
          walk.problem = { kind: 'inserted', eventId: prev.id, ...describe(prev), message: `${label(prev)} was inserted: the chain runs from the event before it to event ${row.id}` };
        } else if (prev === undefined || row.id - prev.id > 1) {
          const from = (prev?.id ?? 0) + 1;
          const to = row.id - 1;
          walk.problem = {
            kind: 'removed',
            eventId: row.id,
            ...describe(row),
            message: from <= to ? `event${from === to ? ` ${from}` : `s ${from}–${to}`} removed: ${label(row)} follows a missing event` : `an event before ${label(row)} was removed`,
          };
        } else {
          walk.problem = { kind: 'altered', eventId: prev.id, ...describe(prev), message: `${label(prev)} was altered and re-hashed: ${label(row)} still links to its original hash` };
        }
      }
      prevPrevHash = prev?.hash ?? GENESIS_HASH;
      prev = row;
    }
  }
  return walk;
}

/** Told how many of the trail's events have been read, of how many, as the chain is walked. */
export type VerifyProgress = (read: number, total: number) => void;

export interface VerifyKeys {
  /** The key digests are signed with. */
  publicKey: KeyObject;
  /** The chain's key (digest.ts chainKeyOf): without it, links are checked for order only. */
  chainKey?: Uint8Array;
}

export interface VerifyOptions {
  /** Digests are written this often: events older than it (plus a grace) must be covered. */
  digestIntervalSeconds: number;
  now: Date;
  /** The digests found in the export directory (export.ts readExportedDigests). */
  exportedDigests?: readonly DigestRecord[];
  onProgress?: VerifyProgress;
}

/** What an event may wait for its digest beyond the interval: the timer's and the writer's delays, and event times truncated to the second. */
const GRACE_MS = 5000;

export async function verifyTrail(store: TrailEvents & TrailDigests, keys: VerifyKeys, options: VerifyOptions): Promise<VerifyReport> {
  const { publicKey } = keys;
  const digests = await store.readDigests();
  const hashAt = new Map<number, Buffer>();
  const chain = await walkChain(store, keys.chainKey && chainLink(keys.chainKey), hashAt, new Set(digests.map((d) => d.lastEventId)), options.onProgress);
  // A broken link names the spot exactly; a digest that does not match only bounds it, so it is
  // reported only when the chain itself holds (every hash after the spot was recomputed).
  let problem = chain.problem;
  const consider = (p: Problem) => {
    problem ??= p;
  };
  const signed = (d: DigestRecord) => verifySignature(null, Buffer.from(d.body, 'utf8'), publicKey, Buffer.from(d.signature, 'base64'));
  const start = chain.start;
  let anchored = false;
  let previous: { id: number; signature: string; lastEventId: number } | undefined;
  for (const d of digests) {
    const at = `digest ${d.id} (${d.time})`;
    if (!signed(d)) {
      consider({ kind: 'digest', eventId: d.lastEventId, message: `${at} has an invalid signature: it was altered or signed with another key` });
      break;
    }
    const body = JSON.parse(d.body) as DigestBody;
    if (body.previousDigestSignature !== (previous?.signature ?? null) || body.previousDigestId !== (previous?.id ?? null)) {
      consider({ kind: 'digest', eventId: body.lastEventId, message: `${at} does not follow the digest before it: a digest was removed or inserted` });
      break;
    }
    if (start !== undefined && body.lastEventId === start.id - 1 && body.lastEventHash === start.prevHash!.toString('hex')) anchored = true;
    // Digests of events pruned by retention cannot be matched: the trail's start is anchored in one of them instead.
    const pruned = start !== undefined && body.lastEventId < start.id;
    if (body.lastEventId > 0 && !pruned) {
      const hash = hashAt.get(body.lastEventId);
      const from = (previous?.lastEventId ?? 0) + 1;
      if (hash === undefined) {
        consider({
          kind: 'removed',
          eventId: body.lastEventId,
          message: `event ${body.lastEventId}, signed in ${at}, is missing: ${body.lastEventId > chain.lastId ? `the newest events (after ${chain.lastId}) were removed` : 'it was removed'}`,
        });
      } else if (hash.toString('hex') !== body.lastEventHash) {
        consider({
          kind: 'altered',
          eventId: from,
          message: `the chain does not match ${at}: an event between ${from} and ${body.lastEventId} was altered and every later hash recomputed`,
        });
      }
    }
    previous = { id: d.id, signature: d.signature, lastEventId: body.lastEventId };
  }
  if (start !== undefined && !anchored) {
    consider({
      kind: 'removed',
      eventId: start.id,
      ...describe(start),
      message: `the trail starts at ${label(start)}, but no digest covers the events before it: ${start.id > 2 ? `events 1–${start.id - 1} were` : start.id === 2 ? 'event 1 was' : 'the events before it were'} removed`,
    });
  }
  const exported = options.exportedDigests;
  if (exported !== undefined) checkExported(exported, digests, chain.lastId, signed, consider);
  const lastDigested = previous?.lastEventId ?? 0;
  const undigested = await store.countEvents(lastDigested);
  if (undigested > 0) {
    const [oldest] = await store.readChain(lastDigested, 1);
    const age = options.now.getTime() - Date.parse(oldest!.time);
    if (age > options.digestIntervalSeconds * 1000 + GRACE_MS) {
      consider({
        kind: 'undigested',
        eventId: oldest!.id,
        ...describe(oldest!),
        message: `${label(oldest!)} of ${oldest!.time} and the ${undigested - 1} after it are covered by no digest, though one is written every ${options.digestIntervalSeconds} seconds: the digests were removed (or the server has not run since it stopped without its last digest: start it to digest them)`,
      });
    }
  }
  return {
    intact: problem === undefined,
    events: chain.events,
    digests: digests.length,
    unchained: chain.unchained,
    unkeyed: chain.unkeyed,
    keysChecked: keys.chainKey !== undefined,
    ...(start !== undefined && anchored ? { prunedBefore: start.id } : {}),
    ...(exported !== undefined ? { exportedDigests: exported.length } : {}),
    undigested,
    lastDigestTime: digests.at(-1)?.time,
    problem,
  };
}

/** Each exported digest must be in the database as it was exported. */
function checkExported(exported: readonly DigestRecord[], digests: readonly DigestRecord[], lastEventId: number, signed: (d: DigestRecord) => boolean, consider: (p: Problem) => void): void {
  const byId = new Map(digests.map((d) => [d.id, d]));
  for (const e of [...exported].sort((a, b) => a.id - b.id)) {
    const at = `digest ${e.id} (${e.time}) in the export directory`;
    if (!signed(e)) {
      consider({ kind: 'digest', eventId: e.lastEventId, message: `${at} has an invalid signature: it was altered or signed with another key` });
      return;
    }
    const d = byId.get(e.id);
    if (d === undefined) {
      consider({
        kind: 'removed',
        eventId: e.lastEventId,
        message: `${at} is missing from the database: ${e.lastEventId > lastEventId ? `the newest events (${lastEventId + 1}–${e.lastEventId}) were removed with it` : 'it was removed'}`,
      });
      return;
    }
    if (d.body !== e.body || d.signature !== e.signature) {
      consider({ kind: 'digest', eventId: e.lastEventId, message: `${at} differs from the database's digest ${d.id}: the database's digests were replaced` });
      return;
    }
  }
}
