// The audit trail's hash chain. Each event row carries the hash of the row before it and its own
// hash over (that previous hash, its time, its JSON): altering, removing or inserting a row
// breaks a link that `audit verify` finds. Computed inside the store's commit, the one serialized
// write path, so concurrent requests and failed commits cannot fork the chain.
//
// The link is keyed: HMAC-SHA256 with the chain key (derived from the audit signing key,
// audit/digest.ts), so that whoever can write the database but lacks the key cannot append a
// forged event or recompute the chain after an edit. Trails written before the key existed
// hold plain SHA-256 links; `audit verify` accepts them only before the first keyed event.
import { sha256 } from '../model/sha256.ts';

/** The previous hash of the first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** The data a link hashes, the previous hash, the time, a newline and the JSON text (UTF-8), after `pad` bytes left for the caller. */
function linkData(pad: number, previous: Uint8Array, time: string, json: string): Buffer {
  const text = `${time}\n${json}`;
  const data = Buffer.allocUnsafe(pad + previous.length + Buffer.byteLength(text, 'utf8'));
  data.set(previous, pad);
  data.write(text, pad + previous.length, 'utf8');
  return data;
}

/** The unkeyed link of trails written before the chain key: SHA-256 over the link's data. */
export function chainHash(previous: Uint8Array, time: string, json: string): Buffer {
  return sha256(linkData(0, previous, time, json));
}

/** The keyed link: HMAC-SHA256 (RFC 2104) with the chain key over the link's data. */
export function keyedChainHash(key: Uint8Array, previous: Uint8Array, time: string, json: string): Buffer {
  return chainLink(key)(previous, time, json);
}

/** How a store links events: keyed when it is given the chain key. */
export type ChainLink = (previous: Uint8Array, time: string, json: string) => Buffer;

const BLOCK = 64;

export function chainLink(key: Uint8Array | undefined): ChainLink {
  if (key === undefined) return chainHash;
  // HMAC as two one-shot SHA-256 calls over the padded keys, which costs less per event than a
  // crypto Hmac object (test/store/event-chain.test.ts holds it equal to createHmac's).
  const k = key.length > BLOCK ? sha256(key) : key;
  const inner = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + 32, 0x5c);
  for (let i = 0; i < k.length; i++) {
    inner[i]! ^= k[i]!;
    outer[i]! ^= k[i]!;
  }
  return (previous, time, json) => {
    const data = linkData(BLOCK, previous, time, json);
    inner.copy(data, 0);
    const o = Buffer.from(outer);
    sha256(data).copy(o, BLOCK);
    return sha256(o);
  };
}

/** A lookup key of an event (name, value): what LookupEvents searches by. */
export type EventKey = readonly [name: string, value: string];
