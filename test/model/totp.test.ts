// TOTP (RFC 6238) as virtual MFA devices use it: the RFC's own test vectors, the window of one
// step either side, consecutive codes, and that a used step never counts again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchConsecutiveTotp, matchTotp, newTotpSeed, otpauthUri, totpCode, totpCodeAt, totpStep } from '../../src/model/totp.ts';
import { seededRandom } from '../../src/model/ids.ts';

// RFC 6238 Appendix B: SHA-1 with the ASCII secret "12345678901234567890"; 6-digit codes are
// the last six digits of the 8-digit ones.
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('RFC 6238 test vectors (SHA-1)', () => {
  const vectors: [number, string][] = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ];
  for (const [seconds, code] of vectors) assert.equal(totpCode(RFC_SEED, new Date(seconds * 1000)), code, `T=${seconds}`);
});

test('seeds are 64 base32 characters (40 random bytes) and differ', () => {
  const random = seededRandom(7);
  const a = newTotpSeed((n) => random.bytes(n));
  const b = newTotpSeed((n) => random.bytes(n));
  assert.match(a, /^[A-Z2-7]{64}$/);
  assert.notEqual(a, b);
});

test('a code matches within one step either side of now, not two', () => {
  const now = new Date(1_700_000_015_000);
  const step = totpStep(now);
  for (const d of [-1, 0, 1]) assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step + d), now), step + d);
  for (const d of [-2, 2]) assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step + d), now), undefined);
  assert.equal(matchTotp(RFC_SEED, 'abcdef', now), undefined);
});

test('a step at or before the last used one never matches again', () => {
  const now = new Date(1_700_000_015_000);
  const step = totpStep(now);
  assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step), now, { lastUsedStep: step }), undefined);
  assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step - 1), now, { lastUsedStep: step - 1 }), undefined);
  assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step + 1), now, { lastUsedStep: step }), step + 1);
});

test('drift shifts the window', () => {
  const now = new Date(1_700_000_015_000);
  const step = totpStep(now);
  assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step + 5), now), undefined);
  assert.equal(matchTotp(RFC_SEED, totpCodeAt(RFC_SEED, step + 5), now, { driftSteps: 5 }), step + 5);
});

test('two consecutive codes, in order, give the first step', () => {
  const now = new Date(1_700_000_015_000);
  const step = totpStep(now);
  const c = (d: number) => totpCodeAt(RFC_SEED, step + d);
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(-1), c(0), now), step - 1);
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(0), c(1), now), step);
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(0), c(-1), now), undefined); // out of order
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(-1), c(1), now), undefined); // not consecutive
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(4), c(5), now), undefined);
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(4), c(5), now, { window: 10 }), step + 4);
  assert.equal(matchConsecutiveTotp(RFC_SEED, c(-1), c(0), now, { lastUsedStep: step - 1 }), undefined);
});

test('the otpauth URI names the device and the account', () => {
  assert.equal(otpauthUri('phone', 'alice', 'ABC'), 'otpauth://totp/phone@alice?secret=ABC');
});
