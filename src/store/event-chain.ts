// The audit trail's hash chain. Each event row carries the hash of the row before it and its own
// hash over (that previous hash, its time, its JSON): altering, removing or inserting a row
// breaks a link that `audit verify` finds. Computed inside the store's commit, the one serialized
// write path, so concurrent requests and failed commits cannot fork the chain.
import { sha256 } from '../model/sha256.ts';

/** The previous hash of the first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** SHA-256 over the previous hash, the time, a newline and the JSON text. */
export function chainHash(previous: Uint8Array, time: string, json: string): Buffer {
  const text = `${time}\n${json}`;
  const data = Buffer.allocUnsafe(previous.length + Buffer.byteLength(text, 'utf8'));
  data.set(previous, 0);
  data.write(text, previous.length, 'utf8');
  return sha256(data);
}

/** A lookup key of an event (name, value): what LookupEvents searches by. */
export type EventKey = readonly [name: string, value: string];
