// The README's first session, then its "MFA and roles" section in the same shell, as written,
// with Debian's AWS CLI 2.9 (/usr/bin/aws) and oathtool, against a real Gatehouse whose data
// directory is ./.gatehouse of a scratch working directory (with the checkout's bin/ in it, as
// in a checkout). Where the CLI asks for an MFA code, the test types the code an app would show.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totpCodeAt, totpStep } from '../../src/model/totp.ts';
import { assertTools, docBlock, REPO, runBash, SYSTEM_PATH, type BashRun } from '../support/doc-blocks.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

const SECTION_BREAK = '=== mfa-roles ===';

let gh: TestGatehouse;
let cwd: string;
let run: BashRun;
let firstSession: string;
let mfaRoles: string;
const prompts: string[] = [];

before(async () => {
  assertTools('aws', 'oathtool');
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  symlinkSync(join(REPO, 'bin'), join(cwd, 'bin'));
  gh = await startTestGatehouse({ dataDir: join(cwd, '.gatehouse') });
  const script = `${docBlock('README.md', 'first-session')}\necho '${SECTION_BREAK}'\n${docBlock('README.md', 'mfa-roles')}`;
  run = await runBash(script, {
    cwd,
    env: { PATH: SYSTEM_PATH, HOME: cwd, GATEHOUSE_URL: gh.endpoint, AWS_PAGER: '' },
    // The person at the keyboard: the app's next code (those of this step and before were used to enable the device).
    answer(output) {
      const prompt = /Enter MFA code for [^\n]*: ?$/.exec(output)?.[0];
      if (prompt === undefined) return undefined;
      prompts.push(prompt);
      const seed = readFileSync(join(cwd, '.gatehouse', 'alice-phone.seed'), 'utf8').trim();
      return `${totpCodeAt(seed, totpStep(new Date()) + 1)}\n`;
    },
  });
  [firstSession, mfaRoles] = run.output.split(`${SECTION_BREAK}\n`) as [string, string];
  assert.ok(mfaRoles !== undefined, run.output);
});
after(async () => {
  await gh?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

const arn = (kind: string, name: string) => `arn:aws:iam::${gh.accountId}:${kind}/${name}`;

test("the README's first AWS CLI session works as written", () => {
  const out = firstSession;
  assert.match(out, new RegExp(`^${arn('user', 'alice')}$`, 'm'), out);
  // alice lists users (tab-separated, sorted by name)…
  assert.match(out, /^admin\talice$/m, out);
  // …is refused CreateUser with AWS's reason…
  assert.ok(
    out.includes(
      `An error occurred (AccessDenied) when calling the CreateUser operation: User: ${arn('user', 'alice')} is not authorized to perform: iam:CreateUser on resource: ${arn('user', 'mallory')} because no identity-based policy allows the iam:CreateUser action`,
    ),
    out,
  );
  // …and the simulator explains both decisions.
  assert.match(out, /^iam:ListUsers\s+allowed$/m, out);
  assert.match(out, /^iam:CreateUser\s+implicitDeny$/m, out);
  // The refusal is in the audit trail, found through CloudTrail's LookupEvents.
  assert.match(out, /^"errorCode": *"AccessDenied"$/m, out);
});

test("the README's MFA and roles section works as written after it, with the AWS CLI 2.9", () => {
  const out = mfaRoles;
  const serial = `arn:aws:iam::${gh.accountId}:mfa/alice-phone`;
  // The device is made and enabled with two codes from oathtool.
  assert.match(out, new RegExp(`^${serial}$`, 'm'), out);
  assert.equal(out.match(new RegExp(`^${serial}$`, 'gm'))?.length, 2, `created, then listed as alice's: ${out}`);
  assert.match(out, new RegExp(`^${arn('role', 'admin-with-mfa')}$`, 'm'), out);
  // Without MFA the role is refused, through the endpoint rules of aws-data-path (the 2.9 CLI ignores AWS_ENDPOINT_URL).
  assert.ok(
    out.includes(`An error occurred (AccessDenied) when calling the AssumeRole operation: User: ${arn('user', 'alice')} is not authorized to perform: sts:AssumeRole on resource: ${arn('role', 'admin-with-mfa')}`),
    out,
  );
  // With the profile's mfa_serial, the CLI asked once for a code, and assumed the role.
  assert.deepEqual(prompts.map((p) => p.trim()), [`Enter MFA code for ${serial}:`], out);
  assert.match(out, new RegExp(`^arn:aws:sts::${gh.accountId}:assumed-role/admin-with-mfa/botocore-session-\\d+$`, 'm'), out);
  // The cached role credentials do what alice alone may not.
  assert.match(out, new RegExp(`^${arn('user', 'mallory')}$`, 'm'), out);
  assert.equal(run.status, 0, out);
});
