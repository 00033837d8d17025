// The README's first session, run as written with Debian's AWS CLI (/usr/bin/aws) against a real
// Gatehouse whose data directory is ./.gatehouse of a scratch working directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

const AWS_CLI = '/usr/bin/aws';
const README = new URL('../../README.md', import.meta.url);

/** The shell block between the README's `<!-- NAME … -->` and `<!-- /NAME -->` markers. */
export function readmeBlock(name: string): string {
  const text = readFileSync(README, 'utf8');
  const m = new RegExp(`<!-- ${name}[^>]*-->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${name} -->`).exec(text);
  assert.ok(m, `README.md has no ${name} block`);
  return m[1]!;
}

let gh: TestGatehouse;
let cwd: string;
before(async () => {
  assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does`);
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  gh = await startTestGatehouse({ dataDir: join(cwd, '.gatehouse') });
});
after(async () => {
  await gh?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

// The server runs in this process: the CLI must run asynchronously, or the server could not answer it.
async function bash(script: string, cwd: string, env: Record<string, string>): Promise<string> {
  const result = await promisify(execFile)('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 }).catch(
    (e: { stdout?: string; stderr?: string }) => e,
  );
  return (result.stdout ?? '') + (result.stderr ?? '');
}

test("the README's first AWS CLI session works as written", async () => {
  const script = readmeBlock('first-session');
  const env: Record<string, string> = { PATH: `/usr/bin:/bin`, HOME: cwd, GATEHOUSE_URL: gh.endpoint, AWS_PAGER: '' };
  const out = await bash(script, cwd, env);
  const arn = (name: string) => `arn:aws:iam::${gh.accountId}:user/${name}`;
  assert.match(out, new RegExp(`^${arn('alice')}$`, 'm'), out);
  // alice lists users (tab-separated, sorted by name)…
  assert.match(out, /^admin\talice$/m, out);
  // …is refused CreateUser with AWS's reason…
  assert.ok(
    out.includes(
      `An error occurred (AccessDenied) when calling the CreateUser operation: User: ${arn('alice')} is not authorized to perform: iam:CreateUser on resource: ${arn('mallory')} because no identity-based policy allows the iam:CreateUser action`,
    ),
    out,
  );
  // …and the simulator explains both decisions.
  assert.match(out, /^iam:ListUsers\s+allowed$/m, out);
  assert.match(out, /^iam:CreateUser\s+implicitDeny$/m, out);
  // The refusal is in the audit trail, found through CloudTrail's LookupEvents.
  assert.match(out, /^"errorCode": *"AccessDenied"$/m, out);
});
