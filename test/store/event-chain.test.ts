import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { chainHash, GENESIS_HASH } from '../../src/store/event-chain.ts';

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
