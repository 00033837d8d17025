import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paginate } from '../../src/protocol/paginate.ts';
import { AwsError } from '../../src/model/errors.ts';

const items = Array.from({ length: 250 }, (_, i) => `user${String(i).padStart(3, '0')}`);

test('default page of 100, then follow the marker to the end', () => {
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const p = paginate(items, marker, undefined);
    seen.push(...p.page);
    marker = p.marker;
    pages++;
    assert.equal(p.isTruncated, marker !== undefined);
  } while (marker);
  assert.equal(pages, 3);
  assert.deepEqual(seen, items);
});

test('MaxItems sets the page size and the last page is not truncated', () => {
  const first = paginate(items.slice(0, 5), undefined, 3);
  assert.deepEqual(first.page, items.slice(0, 3));
  assert.equal(first.isTruncated, true);
  const second = paginate(items.slice(0, 5), first.marker, 3);
  assert.deepEqual(second.page, items.slice(3, 5));
  assert.equal(second.isTruncated, false);
  assert.equal(second.marker, undefined);
});

test('a keyed marker survives deletions between pages', () => {
  const keyOf = (s: string) => s;
  const first = paginate(items, undefined, 10, { keyOf });
  const remaining = items.filter((s) => s !== 'user003' && s !== 'user010');
  const second = paginate(remaining, first.marker, 10, { keyOf });
  assert.equal(second.page[0], 'user011');
});

test('a marker that is not ours is InvalidInput', () => {
  assert.throws(() => paginate(items, 'garbage!', 10), (e: unknown) => e instanceof AwsError && e.code === 'InvalidInput' && e.status === 400);
});
