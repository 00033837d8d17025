// `gatehouse mfa code`: the codes an authenticator app shows for a seed file, for a shell without
// oathtool; they are the codes Gatehouse accepts (RFC 6238's SHA-1 test vector: seed
// "12345678901234567890", 59 s after the epoch, 287082 in six digits).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMfa } from '../../src/cli/mfa.ts';
import { totpCodeAt, totpStep } from '../../src/model/totp.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-mfa-code-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const seedFile = join(dir, 'seed.txt');
// base32 of the ASCII "12345678901234567890", as create-virtual-mfa-device writes a seed: one line.
writeFileSync(seedFile, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n');

const codes = (args: string[], at: Date) => {
  let out = '';
  runMfa(['code', '--seed-file', seedFile, ...args], { out: (t) => (out += t), now: () => at });
  return out;
};

test("the current code, the previous and next ones, and consecutive pairs for EnableMFADevice", () => {
  const at = new Date(59_000);
  assert.equal(codes([], at), '287082\n');
  assert.equal(codes(['--offset=1'], new Date(29_000)), '287082\n');
  assert.equal(codes(['--offset=-1', '--count', '2'], new Date(89_000)), `287082\n${totpCodeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 2)}\n`);
  assert.throws(() => codes(['--count', '0'], at), /--count must be an integer from 1 to 10, got 0/);
});

test('through the command: the code of now; a file that is not a seed is refused', async () => {
  const before = totpStep(new Date());
  const r = await runCli(['mfa', 'code', '--seed-file', seedFile]);
  const after = totpStep(new Date());
  assert.equal(r.status, 0, r.stderr);
  assert.ok([totpCodeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', before), totpCodeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', after)].includes(r.stdout.trim()), r.stdout);

  const notSeed = join(dir, 'qr.png');
  writeFileSync(notSeed, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const bad = await runCli(['mfa', 'code', '--seed-file', notSeed]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `gatehouse: ${notSeed} does not hold a Base32 seed\n`);
  const none = await runCli(['mfa', 'code']);
  assert.equal(none.status, 2);
  assert.equal(none.stderr, 'gatehouse: mfa code needs --seed-file FILE\n');
});
