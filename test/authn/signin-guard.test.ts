// Failure counting for sign-in: per identity (slow-down, lockout) and per source address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigninGuard } from '../../src/authn/signin-guard.ts';
import { ManualClock } from '../../src/model/clock.ts';

const config = { slowdownThreshold: 2, slowdownSeconds: 1, lockoutThreshold: 4, sourceLockoutThreshold: 6, lockoutSeconds: 60 };

test('slow-down doubles per failure, lockout after the threshold, forgotten after the period', () => {
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
  assert.equal(g.failures('a'), 0);
});

test('a source address is locked out across identities; success clears only the identity', () => {
  const clock = new ManualClock(0);
  const g = new SigninGuard(config, clock);
  for (const name of ['a', 'b', 'c', 'd', 'e']) g.fail(name, 'ip1');
  g.succeed('a');
  assert.equal(g.failures('a'), 0);
  assert.equal(g.check('z', 'ip1'), undefined);
  g.fail('f', 'ip1');
  assert.deepEqual(g.check('z', 'ip1'), { code: 'SignInLocked', retryAfterSeconds: 60 });
  assert.equal(g.check('z', 'ip2'), undefined);
  g.clear();
  assert.equal(g.check('z', 'ip1'), undefined);
});
