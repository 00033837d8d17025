// Runs the AWS CLI commands of the README's "MFA and roles from the AWS CLI" section against a
// real server: enable MFA for a user with codes a TOTP app would show, then use a role that
// requires MFA through a role_arn / source_profile / mfa_serial profile.
//
// Needs Debian's AWS CLI at /usr/bin/aws (`apt-get install -y awscli`); without it the test fails
// (it does not skip). Debian 12's CLI (2.9) predates AWS_ENDPOINT_URL, so the test also points the
// CLI's IAM and STS endpoint rules at the server through AWS_DATA_PATH; newer CLIs use
// AWS_ENDPOINT_URL, which is set too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totpCodeAt, totpStep } from '../../src/model/totp.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestGatehouse } from '../support/gatehouse.ts';

const AWS = '/usr/bin/aws';

function endpointRules(url: string): string {
  const param = (builtIn: string, type: string, required: boolean, dflt?: boolean) => ({ builtIn, type, required, ...(dflt === undefined ? {} : { default: dflt }) });
  return JSON.stringify({
    version: '1.0',
    parameters: {
      Region: param('AWS::Region', 'String', false),
      UseDualStack: param('AWS::UseDualStack', 'Boolean', true, false),
      UseFIPS: param('AWS::UseFIPS', 'Boolean', true, false),
      Endpoint: param('SDK::Endpoint', 'String', false),
      UseGlobalEndpoint: param('AWS::STS::UseGlobalEndpoint', 'Boolean', true, false),
    },
    rules: [{ conditions: [], endpoint: { url }, type: 'endpoint' }],
  });
}

describe('the README\'s MFA and role commands, through the AWS CLI', () => {
  let gh: TestGatehouse;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    assert.ok(existsSync(AWS), `the AWS CLI is not installed at ${AWS}: run \`apt-get install -y awscli\` (this test does not skip without it)`);
    gh = await startTestGatehouse();
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    for (const [service, version] of [['sts', '2011-06-15'], ['iam', '2010-05-08']]) {
      mkdirSync(join(dir, 'models', service!, version!), { recursive: true });
      writeFileSync(join(dir, 'models', service!, version!, 'endpoint-rule-set-1.json'), endpointRules(gh.endpoint));
    }
    writeFileSync(join(dir, 'credentials'), `[gatehouse]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`);
    writeFileSync(join(dir, 'config'), '[profile gatehouse]\nregion = us-east-1\n');
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_DATA_PATH: join(dir, 'models'),
      AWS_ENDPOINT_URL: gh.endpoint,
      AWS_PAGER: '',
      AWS_DEFAULT_OUTPUT: 'json',
    };
  });
  after(async () => {
    await gh?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs `aws …` without a controlling terminal, so that an MFA prompt reads the code from stdin.
   * Asynchronously: the server answering it runs in this process.
   */
  const aws = (args: string[], input?: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('setsid', [AWS, ...args], { env, cwd: dir });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
      child.stdin.end(input ?? '');
    });
  const ok = async (args: string[], input?: string) => {
    const r = await aws(args, input);
    assert.equal(r.status, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
  };

  test('enable MFA with two codes, then assume a role that requires MFA from a profile with mfa_serial', async () => {
    const account = gh.accountId;
    await ok(['--profile', 'gatehouse', 'iam', 'create-user', '--user-name', 'alice']);
    const key = (await ok(['--profile', 'gatehouse', 'iam', 'create-access-key', '--user-name', 'alice'])).AccessKey;

    await ok(['--profile', 'gatehouse', 'iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice-qr', '--bootstrap-method', 'QRCodePNG', '--outfile', 'qr.png']);
    assert.deepEqual([...readFileSync(join(dir, 'qr.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'qr.png is a PNG');
    const device = await ok(['--profile', 'gatehouse', 'iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice-phone', '--bootstrap-method', 'Base32StringSeed', '--outfile', 'seed.txt']);
    const serial = device.VirtualMFADevice.SerialNumber;
    assert.equal(serial, `arn:aws:iam::${account}:mfa/alice-phone`);
    const seed = readFileSync(join(dir, 'seed.txt'), 'utf8').trim();
    assert.match(seed, /^[A-Z2-7]{64}$/);

    // What the TOTP app shows: this step's code and the previous one.
    const step = totpStep(new Date());
    await ok(['--profile', 'gatehouse', 'iam', 'enable-mfa-device', '--user-name', 'alice', '--serial-number', serial,
      '--authentication-code1', totpCodeAt(seed, step - 1), '--authentication-code2', totpCodeAt(seed, step)]);
    assert.equal((await ok(['--profile', 'gatehouse', 'iam', 'list-mfa-devices', '--user-name', 'alice'])).MFADevices[0].SerialNumber, serial);

    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] };
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust));
    await ok(['--profile', 'gatehouse', 'iam', 'create-role', '--role-name', 'admin-with-mfa', '--assume-role-policy-document', 'file://trust.json']);
    await ok(['--profile', 'gatehouse', 'iam', 'attach-role-policy', '--role-name', 'admin-with-mfa', '--policy-arn', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
    const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${account}:role/admin-with-mfa` }] };
    await ok(['--profile', 'gatehouse', 'iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'assume', '--policy-document', JSON.stringify(assume)]);

    writeFileSync(join(dir, 'credentials'), `${readFileSync(join(dir, 'credentials'), 'utf8')}[alice]\naws_access_key_id = ${key.AccessKeyId}\naws_secret_access_key = ${key.SecretAccessKey}\n`);
    const roleArn = `arn:aws:iam::${account}:role/admin-with-mfa`;
    writeFileSync(
      join(dir, 'config'),
      `${readFileSync(join(dir, 'config'), 'utf8')}[profile alice]\nregion = us-east-1\n\n` +
        `[profile alice-admin]\nrole_arn = ${roleArn}\nsource_profile = alice\nmfa_serial = ${serial}\nregion = us-east-1\n\n` +
        `[profile alice-admin-no-mfa]\nrole_arn = ${roleArn}\nsource_profile = alice\nregion = us-east-1\n`,
    );

    // Without MFA the role is refused.
    const refused = await aws(['--profile', 'alice-admin-no-mfa', 'sts', 'get-caller-identity']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /AccessDenied/);

    // With the profile's mfa_serial, the CLI asks for a code (one not used yet: the app's next one,
    // or its current one when the commands above took past a step) and assumes the role.
    const fresh = Math.max(step + 1, totpStep(new Date()));
    const me = await ok(['--profile', 'alice-admin', 'sts', 'get-caller-identity'], `${totpCodeAt(seed, fresh)}\n`);
    assert.match(me.Arn, new RegExp(`^arn:aws:sts::${account}:assumed-role/admin-with-mfa/`));
    assert.equal(me.Account, account);
    // The CLI caches the role's credentials: the next command needs no code, and the role's policy applies.
    const roles = await ok(['--profile', 'alice-admin', 'iam', 'list-roles']);
    assert.ok(roles.Roles.some((r: { RoleName: string }) => r.RoleName === 'admin-with-mfa'));
  });
});
