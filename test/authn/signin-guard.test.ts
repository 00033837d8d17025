// Failure counting for sign-in: per (identity, source) (slow-down, lockout) and per source address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigninGuard } from '../../src/authn/signin-guard.ts';
import { ManualClock } from '../../src/model/clock.ts';

const config = { slowdownThreshold: 2, slowdownSeconds: 1, lockoutThreshold: 4, sourceLockoutThreshold: 6, lockoutSeconds: 60 };

test('slow-down doubles per failure of a pair, lockout after the threshold, forgotten after the period', () => {
  const clock = new ManualClock(0);
  const g = new SigninGuard(config, clock);
  g.fail('a', 'ip1');
  assert.equal(g.check('a', 'ip1'), undefined);
  g.fail('a', 'ip1');
  assert.deepEqual(g.check('a', 'ip1'), { code: 'SignInThrottled', retryAfterSeconds: 1 });
  clock.advance(1000);
  assert.equal(g.check('a', 'ip1'), undefined);
  g.fail('a', 'ip1');
  assert.deepEqual(g.check('a', 'ip1'), { code: 'SignInThrottled', retryAfterSeconds: 2 });
  g.fail('a', 'ip1');
  assert.deepEqual(g.check('a', 'ip1'), { code: 'SignInLocked', retryAfterSeconds: 60 });
  assert.equal(g.check('b', 'ip2'), undefined);
  clock.advance(60_000);
  assert.equal(g.check('a', 'ip1'), undefined);
  assert.equal(g.failures('a', 'ip1'), 0);
});

test("an attacker's failures slow and lock only the attacker: the identity signs in from another source", () => {
  const clock = new ManualClock(0);
  const g = new SigninGuard(config, clock);
  for (let i = 0; i < 4; i++) g.fail('alice', 'attacker');
  assert.equal(g.check('alice', 'attacker')?.code, 'SignInLocked');
  assert.equal(g.check('alice', 'office'), undefined, 'a source that has not failed is not held back');
  g.succeed('alice', 'office');
  assert.equal(g.check('alice', 'attacker')?.code, 'SignInLocked', "the identity's success does not free the attacker");
});

test('a spraying source is locked out across identities, and only that source; success clears only the pair', () => {
  const clock = new ManualClock(0);
  const g = new SigninGuard(config, clock);
  for (const name of ['a', 'b', 'c', 'd', 'e']) g.fail(name, 'ip1');
  g.succeed('a', 'ip1');
  assert.equal(g.failures('a', 'ip1'), 0);
  assert.equal(g.check('z', 'ip1'), undefined);
  g.fail('f', 'ip1');
  assert.deepEqual(g.check('z', 'ip1'), { code: 'SignInLocked', retryAfterSeconds: 60 });
  assert.equal(g.check('z', 'ip2'), undefined, 'a user the sprayer never tried signs in from elsewhere');
  assert.equal(g.check('a', 'ip2'), undefined);
  g.clear();
  assert.equal(g.check('z', 'ip1'), undefined);
});
