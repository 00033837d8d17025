import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { HmacSha256Key } from '../../src/authn/hmac-sha256.ts';

test('HmacSha256Key gives what createHmac gives, for keys shorter and longer than a block and any text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 130 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (key, message) => {
      const expected = createHmac('sha256', key).update(message, 'utf8').digest('hex');
      assert.equal(new HmacSha256Key(key).digestHex(message), expected);
    }),
  );
});

test('one key signs many messages without carrying state from one to the next', () => {
  const key = randomBytes(32);
  const hmac = new HmacSha256Key(key);
  for (const message of ['AWS4-HMAC-SHA256\n20261123T000000Z', '', 'é漢字🙂', 'x'.repeat(1000), 'AWS4-HMAC-SHA256\n20261123T000000Z']) {
    assert.equal(hmac.digestHex(message), createHmac('sha256', key).update(message).digest('hex'));
  }
});
