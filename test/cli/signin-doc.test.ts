// docs/signin.md's example, run as written (curl, jq and Debian's AWS CLI) against a real
// Gatehouse whose data directory is ./.gatehouse of a scratch working directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTools, docBlock, runBash, SYSTEM_PATH } from '../support/doc-blocks.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

let gh: TestGatehouse;
let cwd: string;
before(async () => {
  assertTools('aws', 'curl', 'jq');
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-signin-doc-'));
  gh = await startTestGatehouse({ dataDir: join(cwd, '.gatehouse'), env: { GATEHOUSE_PASSWORD_HASH_COST: '14' } });
});
after(async () => {
  await gh?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test("docs/signin.md's curl example works as written", async () => {
  const { status, output } = await runBash(docBlock('docs/signin.md', 'signin-example'), { cwd, env: { PATH: SYSTEM_PATH, HOME: cwd, GATEHOUSE_URL: gh.endpoint, AWS_PAGER: '' } });
  const carol = `arn:aws:iam::${gh.accountId}:user/carol`;
  assert.match(output, new RegExp(`^${carol}\\ncarol\\n`, 'm'), output);
  assert.ok(output.includes(`\n{"Arn":"${carol}","Type":"IAMUser","AccountId":"${gh.accountId}","UserName":"carol"}\n`), output);
  // The session signs as carol: GetCallerIdentity, with the session's credentials.
  assert.match(output, new RegExp(`\\n${carol}\\n\\{"Error"`), output);
  assert.ok(output.endsWith('{"Error":{"Code":"SignInFailed","Message":"The account, user name or password is incorrect."}} 401\n'), output);
  assert.equal(status, 0, output);
});
