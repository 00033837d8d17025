import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../../src/model/clock.ts';

test('ManualClock starts where told and moves only when told', () => {
  const clock = new ManualClock('2024-05-01T12:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2024-05-01T12:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2024-05-01T12:00:00.000Z');
  clock.advance(90_000);
  assert.equal(clock.now().toISOString(), '2024-05-01T12:01:30.000Z');
  clock.set(new Date('2030-01-01T00:00:00Z'));
  assert.equal(clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
});

test('ManualClock hands out copies, not its own state', () => {
  const clock = new ManualClock(0);
  clock.now().setTime(5000);
  assert.equal(clock.now().getTime(), 0);
});

test('ManualClock rejects an invalid time', () => {
  assert.throws(() => new ManualClock('not a date'), RangeError);
});

test('systemClock follows the real time', () => {
  const before = Date.now();
  const t = systemClock.now().getTime();
  assert.ok(t >= before && t <= Date.now());
});
