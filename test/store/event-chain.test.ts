import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { chainHash, chainLink, GENESIS_HASH, keyedChainHash } from '../../src/store/event-chain.ts';

// The chain's definition, which stored trails were hashed with: SHA-256 over the previous hash,
// the time, a newline and the JSON text (UTF-8). chainHash must keep computing exactly this.
const defined = (previous: Uint8Array, time: string, json: string) =>
  createHash('sha256').update(previous).update(time, 'utf8').update('\n').update(json, 'utf8').digest();

test('chainHash is SHA-256 over previous hash, time, newline and JSON text, for any text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string(), fc.string({ unit: 'grapheme', maxLength: 3000 }), (previous, time, json) => {
      assert.deepEqual(chainHash(previous, time, json), defined(previous, time, json));
    }),
    { numRuns: 300 },
  );
  assert.equal(chainHash(GENESIS_HASH, '2026-11-23T10:00:00Z', '{}').toString('hex'), defined(GENESIS_HASH, '2026-11-23T10:00:00Z', '{}').toString('hex'));
});

// The keyed link: HMAC-SHA256 (RFC 2104) with the chain key over the same data, for any key length.
const keyedDefined = (key: Uint8Array, previous: Uint8Array, time: string, json: string) =>
  createHmac('sha256', key).update(previous).update(time, 'utf8').update('\n').update(json, 'utf8').digest();

test('the keyed link is HMAC-SHA256 with the chain key over previous hash, time, newline and JSON text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string(), fc.string({ unit: 'grapheme', maxLength: 3000 }), (key, previous, time, json) => {
      assert.deepEqual(chainLink(key)(previous, time, json), keyedDefined(key, previous, time, json));
      assert.deepEqual(keyedChainHash(key, previous, time, json), keyedDefined(key, previous, time, json));
    }),
    { numRuns: 300 },
  );
  assert.equal(chainLink(undefined), chainHash, 'without a key, links are unkeyed');
});
