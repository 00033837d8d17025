// The examples in examples/ (shown in docs/) run and print what the docs say they print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

test('examples/policy-engine.ts decides as docs/policy-engine.md shows', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/policy-engine.ts'], { encoding: 'utf8' });
  const lines = stdout.trim().split('\n');
  assert.match(lines[0]!, /^Allowed\s+s3:GetObject arn:aws:s3:::home\/alice\/notes.txt \(Allow ReadHome\)$/);
  assert.match(lines[1]!, /^ImplicitDeny\s+s3:GetObject arn:aws:s3:::home\/bob\/notes.txt \(no statement applied\)$/);
  assert.match(lines[2]!, /because no identity-based policy allows the s3:GetObject action$/);
  assert.match(lines[3]!, /^ExplicitDeny\s+s3:DeleteObject .* \(Deny NoDeletesWithoutMfa\)$/);
  assert.match(lines[4]!, /with an explicit deny in an identity-based policy$/);
});
