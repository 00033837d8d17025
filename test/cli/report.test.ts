// `gatehouse report`: an account built with known problems, read back from its data directory;
// the report finds each problem and nothing else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Finding } from '../../src/analyzer/hygiene.ts';
import { runReport } from '../../src/cli/report.ts';
import type { Draft } from '../../src/iam/state.ts';
import { ManualClock } from '../../src/model/clock.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

const DAY = 86_400_000;

describe('gatehouse report', () => {
  const now = Date.parse('2025-06-01T12:00:00.000Z');
  const clock = new ManualClock(now - 100 * DAY);
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  let gh: TestGatehouse;

  before(async () => {
    // Bootstrap (the admin user and its key) happens 100 days ago.
    gh = await startTestGatehouse({ clock, env: { GATEHOUSE_PASSWORD_HASH_COST: '14' } });
    const accountId = gh.accountId;
    let n = 0;
    const user = (tx: Draft, name: string, created: number, extra: Record<string, unknown> = {}) => {
      const id = `AIDATESTUSER${String(++n).padStart(9, '0')}`;
      tx.put({
        kind: 'user', id, accountId, name,
        data: { userName: name, userId: id, path: '/', arn: `arn:aws:iam::${accountId}:user/${name}`, createDate: ago(created), tags: [], attachedPolicyArns: [], inlinePolicies: {}, groupIds: [], ...extra },
      });
      return id;
    };
    const key = (tx: Draft, owner: string, created: number, status: 'Active' | 'Inactive', usedDaysAgo?: number) => {
      const id = `AKIATESTKEY${String(++n).padStart(9, '0')}`;
      const lastUsed = usedDaysAgo === undefined ? undefined : { date: ago(usedDaysAgo), serviceName: 's3', region: 'us-east-1' };
      tx.put({ kind: 'accessKey', id, accountId, data: { accessKeyId: id, userId: owner, status, createDate: ago(created), secretEncrypted: 'x', ...(lastUsed ? { lastUsed } : {}) } });
    };
    const password = (tx: Draft, owner: string, setDaysAgo: number) =>
      tx.put({ kind: 'loginProfile', id: owner, accountId, data: { userId: owner, passwordHash: '$scrypt$x', createDate: ago(setDaysAgo), passwordResetRequired: false, passwordLastChanged: ago(setDaysAgo) } as never });
    const mfa = (tx: Draft, owner: string, name: string) => {
      const serial = `arn:aws:iam::${accountId}:mfa/${name}`;
      tx.put({ kind: 'mfaDevice', id: serial, accountId, name, data: { serialNumber: serial, path: '/', name, createDate: ago(1), seedEncrypted: 'x', userId: owner, enableDate: ago(1), tags: [] } });
    };

    await gh.server().state.transact((tx) => {
      const account = tx.get('account', accountId)!;
      tx.put({ ...account, data: { ...account.data, passwordPolicy: { minimumPasswordLength: 8, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true, allowUsersToChangePassword: true, passwordReusePrevention: 24 } } });
      // The bootstrap admin's key (100 days old) counts as used yesterday.
      for (const k of tx.list('accessKey', accountId)) tx.put({ ...k, data: { ...k.data, lastUsed: { date: ago(1), serviceName: 'iam', region: 'us-east-1' } } });
      // The root user: a key used 3 days ago, no MFA.
      key(tx, 'root', 200, 'Active', 3);

      const nomfa = user(tx, 'nomfa', 30, { passwordLastUsed: ago(2) });
      password(tx, nomfa, 30);
      const stale = user(tx, 'stale', 120);
      key(tx, stale, 120, 'Active');
      const twokeys = user(tx, 'twokeys', 20);
      key(tx, twokeys, 20, 'Active', 1);
      key(tx, twokeys, 10, 'Active', 1);
      user(tx, 'direct', 10, { inlinePolicies: { s3: '{"Version":"2012-10-17","Statement":[]}' } });
      const oldpw = user(tx, 'oldpw', 60);
      password(tx, oldpw, 60);
      mfa(tx, oldpw, 'oldpw');
      // New credentials get their grace period; inactive keys are not counted; MFA users are fine.
      const newbie = user(tx, 'newbie', 5);
      password(tx, newbie, 5);
      key(tx, newbie, 5, 'Active');
      mfa(tx, newbie, 'newbie');
      const retired = user(tx, 'retired', 300);
      key(tx, retired, 300, 'Inactive');
      const clean = user(tx, 'clean', 200, { passwordLastUsed: ago(1) });
      password(tx, clean, 40);
      mfa(tx, clean, 'clean');
      key(tx, clean, 40, 'Active', 1);
    });
  });
  after(() => gh.close());

  async function run(args: string[]): Promise<string> {
    let text = '';
    await runReport(args, { out: (t) => (text += t), clock: new ManualClock(now), env: {} });
    return text;
  }

  test('finds each planted problem, and nothing else (--json)', async () => {
    const out = JSON.parse(await run(['--data-dir', gh.dataDir, '--json'])) as { accountId: string; generatedAt: string; findings: Finding[] };
    assert.equal(out.accountId, gh.accountId);
    assert.equal(out.generatedAt, new Date(now).toISOString());
    const got = out.findings.map((f) => `${f.identity} ${f.rule}`).sort();
    assert.deepEqual(got, [
      '<root_account> root-access-key',
      '<root_account> root-recently-used',
      '<root_account> root-without-mfa',
      'account weak-password-policy',
      'admin access-key-not-rotated',
      'direct policy-attached-to-user',
      'nomfa console-user-without-mfa',
      'oldpw unused-password',
      'stale access-key-not-rotated',
      'stale unused-access-key',
      'twokeys multiple-active-access-keys',
    ]);
    for (const f of out.findings) {
      assert.ok(f.arn.startsWith(`arn:aws:iam::${gh.accountId}:`), f.arn);
      assert.ok(f.evidence.length > 10 && f.fix.length > 10, JSON.stringify(f));
    }
    const byKey = new Map(out.findings.map((f) => [`${f.identity} ${f.rule}`, f]));
    assert.match(byKey.get('stale access-key-not-rotated')!.evidence, /120 days ago \(limit 90\)/);
    assert.match(byKey.get('stale unused-access-key')!.evidence, /never been used/);
    assert.match(byKey.get('account weak-password-policy')!.evidence, /minimum length 8 < 14/);
    assert.doesNotMatch(byKey.get('account weak-password-policy')!.evidence, /reuse/);
    assert.match(byKey.get('<root_account> root-recently-used')!.evidence, /used access key AKIA\w+ for s3 in us-east-1/);
    assert.match(byKey.get('oldpw unused-password')!.evidence, /never been used since it was set .*60 days ago/);
  });

  test('prints a readable report naming identity, rule, evidence and fix', async () => {
    const text = await run(['--data-dir', gh.dataDir]);
    assert.match(text, new RegExp(`^Gatehouse hygiene report for account ${gh.accountId}`));
    assert.match(text, /\nnomfa \(arn:aws:iam::\d{12}:user\/nomfa\)\n {2}\[console-user-without-mfa\] The user has a console password and no MFA device\.\n {4}fix: /);
    assert.match(text, /\n11 findings\.\n$/);
    assert.doesNotMatch(text, /clean|newbie|retired/);
  });

  test('a data directory without a store is an error, and is not created', async () => {
    const missing = join(tmpdir(), `gatehouse-none-${process.pid}`);
    await assert.rejects(run(['--data-dir', missing]), /no Gatehouse data/);
    assert.equal(existsSync(missing), false);
  });
});
