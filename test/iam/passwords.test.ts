// scrypt password hashes: self-describing, salted, verified in constant time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordHashingBusy, PasswordHasher } from '../../src/iam/passwords.ts';

const hasher = new PasswordHasher({ logN: 14 });

test('a hash names its parameters, is salted, and verifies only its password', async () => {
  const a = await hasher.hash('Corr3ct-Horse!');
  const b = await hasher.hash('Corr3ct-Horse!');
  assert.match(a, /^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  assert.notEqual(a, b);
  assert.equal(await hasher.verify('Corr3ct-Horse!', a), true);
  assert.equal(await hasher.verify('corr3ct-Horse!', a), false);
  assert.equal(await hasher.verify('Corr3ct-Horse!', 'garbage'), false);
  // A hash made with other parameters still verifies.
  const stronger = await new PasswordHasher({ logN: 15 }).hash('x');
  assert.equal(await hasher.verify('x', stronger), true);
  assert.equal(await hasher.matchesAny('x', [a, stronger]), true);
  assert.equal(await hasher.verifyNothing('x'), false);
});

test('OWASP parameters by default; weaker costs are refused', () => {
  assert.deepEqual(new PasswordHasher().params, { logN: 17, r: 8, p: 1 });
  assert.throws(() => new PasswordHasher({ logN: 12 }), RangeError);
});

test('hashing is admitted a few at a time: one per requester, a bounded queue, the rest refused at once', async () => {
  const known = await new PasswordHasher({ logN: 14 }).hash('known');
  const hasher = new PasswordHasher({ logN: 14 }, { concurrency: 1, queue: 1 });
  const first = hasher.hash('one', 'a');
  await assert.rejects(hasher.hash('two', 'a'), PasswordHashingBusy, 'one hash per requester at a time');
  const queued = hasher.verify('three', known, 'b');
  await assert.rejects(hasher.verifyNothing('four', 'c'), PasswordHashingBusy, 'the queue is full');
  assert.match(await first, /^\$scrypt\$/);
  assert.equal(await queued, false);
  assert.match(await hasher.hash('five', 'a'), /^\$scrypt\$/, 'a requester is admitted again once its hash is done');
});
