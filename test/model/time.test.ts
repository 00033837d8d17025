import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoSeconds } from '../../src/model/time.ts';

test('isoSeconds writes UTC to the second, as AWS writes times', () => {
  assert.equal(isoSeconds(new Date('2024-01-02T03:04:05.999Z')), '2024-01-02T03:04:05Z');
  assert.equal(isoSeconds(new Date('2024-01-02T05:04:05+02:00')), '2024-01-02T03:04:05Z');
  assert.equal(isoSeconds(new Date(0)), '1970-01-01T00:00:00Z');
});
