// The README's "Running in production" steps that replace the bootstrap key, run as written with
// Debian's AWS CLI against a real Gatehouse (data directory ./.gatehouse of a scratch working
// directory, which is also HOME): afterwards only the new key works, and the file is gone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { assertTools, docBlock, runBash, SYSTEM_PATH } from '../support/doc-blocks.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, type TestGatehouse } from '../support/gatehouse.ts';

let gh: TestGatehouse;
let cwd: string;
before(async () => {
  assertTools('aws');
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-rotate-'));
  gh = await startTestGatehouse({ dataDir: join(cwd, '.gatehouse'), env: { GATEHOUSE_PASSWORD_HASH_COST: '14' } });
});
after(async () => {
  await gh?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test("the README's bootstrap key replacement: a new admin key in ~/.aws/credentials, the old key and the file gone", async () => {
  const bootstrapFile = join(cwd, '.gatehouse', 'bootstrap-credentials');
  assert.ok(existsSync(bootstrapFile));
  const { status, output } = await runBash(docBlock('README.md', 'rotate-admin-key'), { cwd, env: { PATH: SYSTEM_PATH, HOME: cwd, GATEHOUSE_URL: gh.endpoint, AWS_PAGER: '' } });
  assert.equal(status, 0, output);
  assert.ok(!existsSync(bootstrapFile), 'the bootstrap credentials file is deleted');

  const credentials = readFileSync(join(cwd, '.aws', 'credentials'), 'utf8');
  const accessKeyId = /^aws_access_key_id = (\S+)$/m.exec(credentials)?.[1];
  const secretAccessKey = /^aws_secret_access_key = (\S+)$/m.exec(credentials)?.[1];
  assert.match(accessKeyId ?? '', /^AKIA[A-Z0-9]{16}$/);
  assert.notEqual(accessKeyId, TEST_ACCESS_KEY_ID);
  // The admin's only key is the new one (the block's last command lists them)…
  assert.equal(output, `${accessKeyId}\n`);
  // …which works, where the bootstrap key no longer does.
  assert.ok((await gh.iamFor({ accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! }).send(new ListUsersCommand({}))).Users);
  await assert.rejects(gh.iam.send(new ListUsersCommand({})), { name: 'InvalidClientTokenId' });
});
