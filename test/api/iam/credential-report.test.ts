// GenerateCredentialReport / GetCredentialReport through the real SDK: the CSV checked column by
// column against the state the test made, the four-hour rule, the wire error codes; and the
// account summary's root flags and the root access key rule.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CREDENTIAL_REPORT_COLUMNS, parseCredentialReport } from '../../../src/analyzer/credential-report.ts';
import { ROOT_ACCESS_KEYS_REFUSED } from '../../../src/api/iam/access-keys.ts';
import { ManualClock } from '../../../src/model/clock.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type Credentials, type TestGatehouse } from '../../support/gatehouse.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROOT = { email: 'owner@example.com', password: 'Root-Passw0rd!2024' };

async function rejects(p: Promise<unknown>, code: string, status: number, message?: string): Promise<void> {
  await assert.rejects(p, (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.Code ?? e.name, code, `expected ${code}, got ${e.Code ?? e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

/** 2024-01-01T00:00:00+00:00, as the report writes dates. */
const reportDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

describe('IAM credential report and account summary', () => {
  let gh: TestGatehouse;
  const clock = new ManualClock(Date.now());
  before(async () => {
    gh = await startTestGatehouse({
      clock,
      env: { GATEHOUSE_PASSWORD_HASH_COST: '14', GATEHOUSE_ROOT_EMAIL: ROOT.email, GATEHOUSE_ROOT_PASSWORD: ROOT.password },
    });
  });
  after(() => gh.close());
  beforeEach(async () => {
    clock.set(Date.now());
    await gh.reset();
  });

  const iamAt = (c: Credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }) =>
    new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() });

  async function rootSession(): Promise<Credentials> {
    const res = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify(ROOT) });
    const body = (await res.json()) as { Credentials: Record<string, string> };
    assert.equal(res.status, 200);
    return { accessKeyId: body.Credentials.AccessKeyId!, secretAccessKey: body.Credentials.SecretAccessKey!, sessionToken: body.Credentials.SessionToken! };
  }

  async function report(iam = iamAt()) {
    const r = await iam.send(new GetCredentialReportCommand({}));
    assert.equal(r.ReportFormat, 'text/csv');
    const csv = Buffer.from(r.Content!).toString('utf8');
    return { csv, rows: parseCredentialReport(csv), generated: r.GeneratedTime! };
  }

  test('before any report: ReportNotPresent (410); Generate answers STARTED, then COMPLETE', async () => {
    await rejects(iamAt().send(new GetCredentialReportCommand({})), 'ReportNotPresent', 410);
    const first = await iamAt().send(new GenerateCredentialReportCommand({}));
    assert.equal(first.State, 'STARTED');
    assert.equal(first.Description, 'No report exists. Starting a new report generation task');
    const second = await iamAt().send(new GenerateCredentialReportCommand({}));
    assert.equal(second.State, 'COMPLETE');
    const { csv, generated } = await report();
    assert.equal(csv.split('\n')[0], CREDENTIAL_REPORT_COLUMNS.join(','));
    assert.equal(CREDENTIAL_REPORT_COLUMNS.length, 22);
    assert.equal(generated.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
  });

  test('each column matches the state: root first, then users by name', async () => {
    const t0 = clock.now().getTime();
    const accountCreated = Date.parse(gh.server().state.get('account', gh.accountId)!.data.createDate);
    const iam = iamAt();
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90 }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Corr3ct-Horse!' }));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    clock.advance(DAY);
    const k2 = (await iamAt().send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    clock.advance(HOUR);
    // Signed in before the MFA device below exists.
    const signin = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify({ account: gh.accountId, userName: 'alice', password: 'Corr3ct-Horse!' }) });
    assert.equal(signin.status, 200);
    await rootSession();
    const signedIn = clock.now().getTime();
    const state = gh.server().state;
    const alice = state.byName('user', gh.accountId, 'alice')!;
    await state.transact((tx) => {
      const key1 = tx.accessKey(k1.AccessKeyId!)!;
      tx.put({ ...key1, data: { ...key1.data, lastUsed: { date: new Date(t0 + HOUR).toISOString(), serviceName: 's3', region: 'eu-west-1' } } });
      const key2 = tx.accessKey(k2.AccessKeyId!)!;
      tx.put({ ...key2, data: { ...key2.data, status: 'Inactive' } });
      const serial = `arn:aws:iam::${gh.accountId}:mfa/alice`;
      tx.put({ kind: 'mfaDevice', id: serial, accountId: gh.accountId, name: 'alice', data: { serialNumber: serial, path: '/', name: 'alice', createDate: new Date(t0).toISOString(), seedEncrypted: 'x', userId: alice.id, enableDate: new Date(t0).toISOString(), tags: [] } });
    });

    await iamAt().send(new GenerateCredentialReportCommand({}));
    const { rows } = await report();
    assert.deepEqual(rows.map((r) => r.user), ['<root_account>', 'admin', 'alice', 'bob']);
    const [root, admin, a, b] = rows as [typeof rows[0], typeof rows[0], typeof rows[0], typeof rows[0]];
    assert.deepEqual(root, {
      user: '<root_account>', arn: `arn:aws:iam::${gh.accountId}:root`, user_creation_time: reportDate(accountCreated),
      password_enabled: 'not_supported', password_last_used: reportDate(signedIn), password_last_changed: 'not_supported', password_next_rotation: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'false', access_key_1_last_rotated: 'N/A', access_key_1_last_used_date: 'N/A', access_key_1_last_used_region: 'N/A', access_key_1_last_used_service: 'N/A',
      access_key_2_active: 'false', access_key_2_last_rotated: 'N/A', access_key_2_last_used_date: 'N/A', access_key_2_last_used_region: 'N/A', access_key_2_last_used_service: 'N/A',
      cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    });
    assert.deepEqual(a, {
      user: 'alice', arn: `arn:aws:iam::${gh.accountId}:user/alice`, user_creation_time: reportDate(t0),
      password_enabled: 'true', password_last_used: reportDate(signedIn), password_last_changed: reportDate(t0), password_next_rotation: reportDate(t0 + 90 * DAY),
      mfa_active: 'true',
      access_key_1_active: 'true', access_key_1_last_rotated: reportDate(t0), access_key_1_last_used_date: reportDate(t0 + HOUR), access_key_1_last_used_region: 'eu-west-1', access_key_1_last_used_service: 's3',
      access_key_2_active: 'false', access_key_2_last_rotated: reportDate(t0 + DAY), access_key_2_last_used_date: 'N/A', access_key_2_last_used_region: 'N/A', access_key_2_last_used_service: 'N/A',
      cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    });
    assert.equal(b.password_enabled, 'false');
    assert.equal(b.password_last_used, 'N/A');
    assert.equal(b.password_last_changed, 'N/A');
    assert.equal(b.password_next_rotation, 'N/A');
    assert.equal(b.mfa_active, 'false');
    assert.equal(b.access_key_1_active, 'false');
    // The bootstrap admin's key was used by this test's own calls, through IAM.
    assert.equal(admin.access_key_1_active, 'true');
    assert.equal(admin.access_key_1_last_used_service, 'iam');
    assert.equal(admin.access_key_1_last_used_region, 'us-east-1');
    assert.equal(admin.password_enabled, 'false');
  });

  test('a report is reused for four hours, then expires (ReportExpired, 410) until generated again', async () => {
    await iamAt().send(new GenerateCredentialReportCommand({}));
    const first = await report();
    clock.advance(4 * HOUR - 60_000);
    await iamAt().send(new CreateUserCommand({ UserName: 'carol' }));
    assert.equal((await iamAt().send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
    const reused = await report(iamAt());
    assert.equal(reused.csv, first.csv);
    assert.ok(!reused.rows.some((r) => r.user === 'carol'));
    clock.advance(60_000);
    await rejects(iamAt().send(new GetCredentialReportCommand({})), 'ReportExpired', 410);
    assert.equal((await iamAt().send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
    const fresh = await report(iamAt());
    assert.ok(fresh.rows.some((r) => r.user === 'carol'));
    assert.ok(fresh.generated.getTime() > first.generated.getTime());
  });

  test('GetAccountSummary reports root MFA, root keys and root password accurately', async () => {
    const summary = async () => (await iamAt().send(new GetAccountSummaryCommand({}))).SummaryMap!;
    let s = await summary();
    assert.equal(s.AccountMFAEnabled, 0);
    assert.equal(s.AccountAccessKeysPresent, 0);
    assert.equal(s.AccountPasswordPresent, 1);
    assert.equal(s.Users, 1);
    assert.equal(s.AccessKeysPerUserQuota, 2);
    const now = clock.now().toISOString();
    await gh.server().state.transact((tx) => {
      tx.put({ kind: 'accessKey', id: 'AKIAROOTTESTKEY00001', accountId: gh.accountId, data: { accessKeyId: 'AKIAROOTTESTKEY00001', userId: 'root', status: 'Inactive', createDate: now, secretEncrypted: 'x' } });
      const serial = `arn:aws:iam::${gh.accountId}:mfa/root`;
      tx.put({ kind: 'mfaDevice', id: serial, accountId: gh.accountId, name: 'root', data: { serialNumber: serial, path: '/', name: 'root', createDate: now, seedEncrypted: 'x', userId: 'root', enableDate: now, tags: [] } });
    });
    s = await summary();
    assert.equal(s.AccountMFAEnabled, 1);
    assert.equal(s.AccountAccessKeysPresent, 1);
    assert.equal(s.MFADevices, 1);
    assert.equal(s.MFADevicesInUse, 1);
  });

  test('the root user cannot create access keys unless Gatehouse allows it', async () => {
    const root = iamAt(await rootSession());
    await rejects(root.send(new CreateAccessKeyCommand({})), 'AccessDenied', 403, ROOT_ACCESS_KEYS_REFUSED);
    assert.equal(gh.server().state.list('accessKey', gh.accountId).filter((k) => k.data.userId === 'root').length, 0);

    const allowing = await startTestGatehouse({
      env: { GATEHOUSE_PASSWORD_HASH_COST: '14', GATEHOUSE_ROOT_EMAIL: ROOT.email, GATEHOUSE_ROOT_PASSWORD: ROOT.password, GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS: '1' },
    });
    try {
      const res = await fetch(`${allowing.endpoint}/signin`, { method: 'POST', body: JSON.stringify(ROOT) });
      const { Credentials: c } = (await res.json()) as { Credentials: Record<string, string> };
      const rootThere = allowing.iamFor({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
      const { AccessKey } = await rootThere.send(new CreateAccessKeyCommand({}));
      assert.equal(allowing.server().state.accessKey(AccessKey!.AccessKeyId!)?.data.userId, 'root');
    } finally {
      await allowing.close();
    }
  });
});
