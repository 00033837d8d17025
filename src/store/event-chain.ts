// The audit trail's hash chain. Each event row carries the hash of the row before it and its own
// hash over (that previous hash, its time, its JSON): altering, removing or inserting a row
// breaks a link that `audit verify` finds. Computed inside the store's commit, the one serialized
// write path, so concurrent requests and failed commits cannot fork the chain.
import { createHash } from 'node:crypto';

/** The previous hash of the first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export function chainHash(previous: Uint8Array, time: string, json: string): Buffer {
  return createHash('sha256').update(previous).update(time, 'utf8').update('\n').update(json, 'utf8').digest();
}

/** A lookup key of an event (name, value): what LookupEvents searches by. */
export type EventKey = readonly [name: string, value: string];
