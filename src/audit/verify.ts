// `gatehouse audit verify`: walks the whole chain and every digest and names the first event that
// was altered, removed or inserted. Each row must hash to its own hash (else its content was
// changed) and point at the hash of the row before it (else something between them was removed
// or inserted, or the row before was changed and re-hashed); each digest must carry a valid
// signature, follow the digest before it, and match the chain at the event it names (else the
// chain was rewritten up to there, or its newest events were removed).
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { chainHash, GENESIS_HASH } from '../store/event-chain.ts';
import type { ChainedEventRow, TrailDigests, TrailEvents } from '../store/trail.ts';
import type { DigestBody } from './digest.ts';

export type ProblemKind = 'altered' | 'removed' | 'inserted' | 'digest';

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

/** The chain's first broken spot, if any; also the hashes by id that digests are checked against. */
async function walkChain(store: TrailEvents, hashAt: Map<number, Buffer>, wanted: Set<number>, onProgress: VerifyProgress | undefined): Promise<{ problem?: Problem; events: number; unchained: number; lastId: number }> {
  const total = onProgress !== undefined ? await store.countEvents(0) : 0;
  let events = 0;
  let unchained = 0;
  let prev: Row | undefined;
  let prevPrevHash: Buffer = GENESIS_HASH;
  let problem: Problem | undefined;
  let lastId = 0;
  for (let page = await store.readChain(0, PAGE); page.length > 0; page = page.length < PAGE ? [] : await store.readChain(lastId, PAGE)) {
    onProgress?.(events, total);
    for (let i = 0; i < page.length; i++) {
      const row = page[i]!;
      events++;
      lastId = row.id;
      if (row.hash === null || row.prevHash === null) {
        if (prev === undefined || prev.hash === null) {
          unchained++;
          prev = row;
          continue;
        }
        problem ??= { kind: 'inserted', eventId: row.id, ...describe(row), message: `${label(row)} has no place in the chain: it was inserted` };
        continue;
      }
      if (wanted.has(row.id)) hashAt.set(row.id, row.hash);
      if (problem !== undefined) continue;
      const expectedPrev = prev?.hash ?? GENESIS_HASH;
      const selfOk = chainHash(row.prevHash, row.time, row.json).equals(row.hash);
      const linkOk = row.prevHash.equals(expectedPrev);
      if (!selfOk) {
        // A row outside the chain: the next row links over it to the one before.
        const after = page[i + 1] ?? (await store.readChain(row.id, 1))[0];
        const skipped = after?.prevHash != null && after.prevHash.equals(expectedPrev);
        problem = skipped || !linkOk
          ? { kind: 'inserted', eventId: row.id, ...describe(row), message: `${label(row)} is not part of the chain: it was inserted` }
          : { kind: 'altered', eventId: row.id, ...describe(row), message: `${label(row)} was altered: its content no longer matches its hash` };
      } else if (!linkOk) {
        if (prev !== undefined && row.prevHash.equals(prevPrevHash)) {
          problem = { kind: 'inserted', eventId: prev.id, ...describe(prev), message: `${label(prev)} was inserted: the chain runs from the event before it to event ${row.id}` };
        } else if (prev === undefined || row.id - prev.id > 1) {
          const from = (prev?.id ?? 0) + 1;
          const to = row.id - 1;
          problem = {
            kind: 'removed',
            eventId: row.id,
            ...describe(row),
            message: from <= to ? `event${from === to ? ` ${from}` : `s ${from}–${to}`} removed: ${label(row)} follows a missing event` : `an event before ${label(row)} was removed`,
          };
        } else {
          problem = { kind: 'altered', eventId: prev.id, ...describe(prev), message: `${label(prev)} was altered and re-hashed: ${label(row)} still links to its original hash` };
        }
      }
      prevPrevHash = prev?.hash ?? GENESIS_HASH;
      prev = row;
    }
  }
  return { problem, events, unchained, lastId };
}

/** Told how many of the trail's events have been read, of how many, as the chain is walked. */
export type VerifyProgress = (read: number, total: number) => void;

export async function verifyTrail(store: TrailEvents & TrailDigests, publicKey: KeyObject, onProgress?: VerifyProgress): Promise<VerifyReport> {
  const digests = await store.readDigests();
  const hashAt = new Map<number, Buffer>();
  const chain = await walkChain(store, hashAt, new Set(digests.map((d) => d.lastEventId)), onProgress);
  // A broken link names the spot exactly; a digest that does not match only bounds it, so it is
  // reported only when the chain itself holds (every hash after the spot was recomputed).
  let problem = chain.problem;
  const consider = (p: Problem) => {
    problem ??= p;
  };
  let previous: { id: number; signature: string; lastEventId: number } | undefined;
  for (const d of digests) {
    const at = `digest ${d.id} (${d.time})`;
    if (!verifySignature(null, Buffer.from(d.body, 'utf8'), publicKey, Buffer.from(d.signature, 'base64'))) {
      consider({ kind: 'digest', eventId: d.lastEventId, message: `${at} has an invalid signature: it was altered or signed with another key` });
      break;
    }
    const body = JSON.parse(d.body) as DigestBody;
    if (body.previousDigestSignature !== (previous?.signature ?? null) || body.previousDigestId !== (previous?.id ?? null)) {
      consider({ kind: 'digest', eventId: body.lastEventId, message: `${at} does not follow the digest before it: a digest was removed or inserted` });
      break;
    }
    if (body.lastEventId > 0) {
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
  const lastDigested = previous?.lastEventId ?? 0;
  const undigested = await store.countEvents(lastDigested);
  return {
    intact: problem === undefined,
    events: chain.events,
    digests: digests.length,
    unchained: chain.unchained,
    undigested,
    lastDigestTime: digests.at(-1)?.time,
    problem,
  };
}
