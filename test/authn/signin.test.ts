// POST /signin against a real server: IAM users and the root user, the same answer for every
// wrong identity, slow-down then lockout and its expiry, forced password changes, MFA.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccountAliasCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { totpCode } from '../../src/model/totp.ts';
import { ManualClock } from '../../src/model/clock.ts';
import { loadDataKey, secretBox } from '../../src/store/data-key.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type Credentials, type TestGatehouse } from '../support/gatehouse.ts';

const ROOT_EMAIL = 'owner@example.com';
const ROOT_PASSWORD = 'Root-Passw0rd!2024';
const PASSWORD = 'Corr3ct-Horse!';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const DAY = 86_400_000;

interface Answer {
  status: number;
  body: { Error?: { Code: string; Message: string }; Credentials?: Record<string, string>; Principal?: Record<string, string>; MFAAuthenticated?: boolean };
  retryAfter: string | null;
}

describe('POST /signin', () => {
  let gh: TestGatehouse;
  const clock = new ManualClock(Date.now());

  before(async () => {
    gh = await startTestGatehouse({
      clock,
      env: {
        GATEHOUSE_PASSWORD_HASH_COST: '14',
        GATEHOUSE_ROOT_EMAIL: ROOT_EMAIL,
        GATEHOUSE_ROOT_PASSWORD: ROOT_PASSWORD,
        GATEHOUSE_SIGNIN_SLOWDOWN_THRESHOLD: '3',
        GATEHOUSE_SIGNIN_SLOWDOWN_SECONDS: '2',
        GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD: '5',
        GATEHOUSE_SIGNIN_LOCKOUT_SECONDS: '600',
        GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD: '8',
        // The tests name their source address: the loopback client is a trusted proxy.
        GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1,::1',
      },
    });
  });
  after(() => gh.close());
  beforeEach(async () => {
    clock.set(Date.now());
    await gh.reset();
  });

  /** An SDK client whose clock agrees with the server's manual one (SigV4 refuses skew). */
  const iamAt = (c: Credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }) =>
    new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() });

  async function signin(body: unknown, from = '192.0.2.1'): Promise<Answer> {
    const res = await fetch(`${gh.endpoint}/signin`, { method: 'POST', headers: { 'x-forwarded-for': from }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Answer['body'], retryAfter: res.headers.get('retry-after') };
  }
  const asUser = (userName: string, password: string, extra: Record<string, string> = {}, from?: string) => signin({ account: gh.accountId, userName, password, ...extra }, from);

  async function userWithPassword(userName: string, opts: { resetRequired?: boolean; canGetSelf?: boolean } = {}): Promise<void> {
    const iam = iamAt();
    await iam.send(new CreateUserCommand({ UserName: userName }));
    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD, PasswordResetRequired: opts.resetRequired }));
    if (opts.canGetSelf) {
      const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] };
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'self-with-mfa', PolicyDocument: JSON.stringify(doc) }));
    }
  }

  async function giveMfaDevice(ownerId: string, name: string): Promise<void> {
    const serialNumber = `arn:aws:iam::${gh.accountId}:mfa/${name}`;
    const now = clock.now().toISOString();
    await gh.server().state.transact((tx) =>
      tx.put({
        kind: 'mfaDevice', id: serialNumber, accountId: gh.accountId, name,
        data: { serialNumber, path: '/', name, createDate: now, seedEncrypted: secretBox(loadDataKey(gh.dataDir)).seal(SEED), userId: ownerId, enableDate: now, tags: [] },
      }),
    );
  }

  const sessionOf = (a: Answer): Credentials => ({
    accessKeyId: a.body.Credentials!.AccessKeyId!,
    secretAccessKey: a.body.Credentials!.SecretAccessKey!,
    sessionToken: a.body.Credentials!.SessionToken!,
  });

  test('an IAM user signs in: temporary credentials for a console session, and the last use recorded', async () => {
    await userWithPassword('alice');
    const a = await asUser('alice', PASSWORD);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.match(a.body.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(a.body.Credentials!.SessionToken!.length > 40);
    assert.equal(Date.parse(a.body.Credentials!.Expiration!) - clock.now().getTime(), 12 * 3600 * 1000);
    assert.deepEqual(a.body.Principal, { Arn: `arn:aws:iam::${gh.accountId}:user/alice`, Type: 'IAMUser', AccountId: gh.accountId, UserName: 'alice' });
    assert.equal(a.body.MFAAuthenticated, false);
    const { User } = await iamAt().send(new GetUserCommand({ UserName: 'alice' }));
    assert.equal(User?.PasswordLastUsed?.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
  });

  test('the account may be named by its alias', async () => {
    await userWithPassword('alice');
    await iamAt().send(new CreateAccountAliasCommand({ AccountAlias: 'example-corp' }));
    const a = await signin({ account: 'example-corp', userName: 'ALICE', password: PASSWORD });
    assert.equal(a.status, 200);
    assert.equal(a.body.Principal?.UserName, 'alice');
  });

  test('unknown account, unknown user, no login profile and a wrong password all answer alike', async () => {
    await userWithPassword('alice');
    await iamAt().send(new CreateUserCommand({ UserName: 'nopassword' }));
    const answers = [
      await asUser('alice', 'Wrong-passw0rd!'),
      await asUser('ghost', PASSWORD),
      await asUser('nopassword', PASSWORD),
      await signin({ account: '999999999999', userName: 'alice', password: PASSWORD }),
      await signin({ account: 'no-such-alias', userName: 'alice', password: PASSWORD }),
      await signin({ email: 'nobody@example.com', password: ROOT_PASSWORD }),
      await signin({ email: ROOT_EMAIL, password: PASSWORD }),
    ];
    for (const a of answers) {
      assert.equal(a.status, 401);
      assert.deepEqual(a.body, { Error: { Code: 'SignInFailed', Message: 'The account, user name or password is incorrect.' } });
    }
  });

  test('repeated failures slow down, then lock out, whatever the password; the lockout expires', async () => {
    await userWithPassword('alice');
    for (let i = 0; i < 3; i++) assert.equal((await asUser('alice', 'Wrong-passw0rd!')).status, 401);
    // Third failure: the next attempt must wait 2 s, even with the right password.
    let a = await asUser('alice', PASSWORD);
    assert.equal(a.status, 429);
    assert.equal(a.body.Error?.Code, 'SignInThrottled');
    assert.equal(a.retryAfter, '2');
    clock.advance(2000);
    assert.equal((await asUser('alice', 'Wrong-passw0rd!')).status, 401); // 4th failure: now 4 s
    clock.advance(3000);
    assert.equal((await asUser('alice', PASSWORD)).body.Error?.Code, 'SignInThrottled');
    clock.advance(1000);
    assert.equal((await asUser('alice', 'Wrong-passw0rd!')).status, 401); // 5th failure: locked out
    clock.advance(60_000);
    a = await asUser('alice', PASSWORD);
    assert.equal(a.status, 429);
    assert.equal(a.body.Error?.Code, 'SignInLocked');
    assert.equal(a.retryAfter, '540');
    // The same names are counted whether they exist or not: ghosts lock out the same way.
    for (let i = 0; i < 3; i++) await asUser('ghost', PASSWORD, {}, '192.0.2.2');
    assert.equal((await asUser('ghost', PASSWORD, {}, '192.0.2.2')).body.Error?.Code, 'SignInThrottled');
    // Another identity is not affected.
    await userWithPassword('bob');
    assert.equal((await asUser('bob', PASSWORD)).status, 200);
    clock.advance(540_000);
    assert.equal((await asUser('alice', PASSWORD)).status, 200);
    // Success clears the count.
    assert.equal((await asUser('alice', 'Wrong-passw0rd!')).status, 401);
    assert.equal((await asUser('alice', PASSWORD)).status, 200);
  });

  test("an attacker pacing wrong passwords by Retry-After locks out only itself: the real user signs in from elsewhere", async () => {
    await userWithPassword('alice');
    const attacker = '203.0.113.66';
    let locked = false;
    for (let i = 0; i < 20 && !locked; i++) {
      const a = await asUser('alice', `Guess-${i}-passw0rd!`, {}, attacker);
      if (a.status === 429) {
        locked = a.body.Error?.Code === 'SignInLocked';
        if (!locked) clock.advance(Number(a.retryAfter) * 1000);
      }
    }
    assert.ok(locked, 'the attacker is locked out');
    assert.equal((await asUser('alice', PASSWORD, {}, attacker)).body.Error?.Code, 'SignInLocked', 'even with the right password, from the attacking source');
    const real = await asUser('alice', PASSWORD, {}, '198.51.100.10');
    assert.equal(real.status, 200, 'the real user signs in during the attack');
  });

  test('at most the lockout threshold of passwords is checked per identity and source', async () => {
    await userWithPassword('alice');
    const source = '203.0.113.70';
    let checked = 0;
    for (let i = 0; i < 30; i++) {
      const a = await asUser('alice', `Guess-${i}-passw0rd!`, {}, source);
      if (a.status === 401) checked++;
      if (a.retryAfter !== null) clock.advance(Number(a.retryAfter) * 1000 - 1);
      if (a.body.Error?.Code === 'SignInLocked') break;
    }
    assert.equal(checked, 5, 'GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD is 5 here');
  });

  test('a source that sprays names is locked out, and no user it never tried is', async () => {
    await userWithPassword('alice');
    const sprayer = '203.0.113.99';
    for (let i = 0; i < 8; i++) assert.equal((await asUser(`user${i}`, PASSWORD, {}, sprayer)).status, 401);
    assert.equal((await asUser('alice', PASSWORD, {}, sprayer)).body.Error?.Code, 'SignInLocked', 'the sprayer is held back, whoever it names');
    assert.equal((await asUser('alice', PASSWORD, {}, '198.51.100.10')).status, 200, 'alice, never tried, signs in');
  });

  test('PasswordResetRequired forces a change first; it needs the right to change the password', async () => {
    await userWithPassword('alice', { resetRequired: true });
    let a = await asUser('alice', PASSWORD);
    assert.equal(a.status, 403);
    assert.equal(a.body.Error?.Code, 'PasswordChangeRequired');
    assert.equal(a.body.Credentials, undefined);
    // No iam:ChangePassword and no AllowUsersToChangePassword: refused.
    a = await asUser('alice', PASSWORD, { newPassword: 'N3w-Passw0rd!!' });
    assert.equal(a.status, 403);
    assert.equal(a.body.Error?.Code, 'AccessDenied');
    await iamAt().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true, AllowUsersToChangePassword: true }));
    a = await asUser('alice', PASSWORD, { newPassword: 'short' });
    assert.equal(a.status, 400);
    assert.deepEqual(a.body.Error, { Code: 'PasswordPolicyViolation', Message: 'Password should have a minimum length of 12, Password should have at least one symbol' });
    a = await asUser('alice', PASSWORD, { newPassword: PASSWORD });
    assert.equal(a.body.Error?.Code, 'PasswordPolicyViolation');
    a = await asUser('alice', PASSWORD, { newPassword: 'N3w-Passw0rd!!' });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    const { LoginProfile } = await iamAt().send(new GetLoginProfileCommand({ UserName: 'alice' }));
    assert.equal(LoginProfile?.PasswordResetRequired, false);
    assert.equal((await asUser('alice', PASSWORD)).status, 401);
    assert.equal((await asUser('alice', 'N3w-Passw0rd!!')).status, 200);
  });

  test('an expired password must be changed; with HardExpiry only an administrator can reset it', async () => {
    await userWithPassword('alice');
    await userWithPassword('bob');
    await iamAt().send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 30, AllowUsersToChangePassword: true }));
    clock.advance(29 * DAY);
    assert.equal((await asUser('alice', PASSWORD)).status, 200);
    clock.advance(2 * DAY);
    let a = await asUser('alice', PASSWORD);
    assert.equal(a.body.Error?.Code, 'PasswordChangeRequired');
    assert.match(a.body.Error!.Message, /expired/);
    assert.equal((await asUser('alice', PASSWORD, { newPassword: 'N3w-Passw0rd!!' })).status, 200);
    assert.equal((await asUser('alice', 'N3w-Passw0rd!!')).status, 200);

    await iamAt().send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 30, HardExpiry: true, AllowUsersToChangePassword: true }));
    a = await asUser('bob', PASSWORD, { newPassword: 'N3w-Passw0rd!!' });
    assert.equal(a.status, 403);
    assert.equal(a.body.Error?.Code, 'PasswordExpired');
    await iamAt().send(new UpdateLoginProfileCommand({ UserName: 'bob', Password: 'Adm1n-Set-Passw0rd' }));
    assert.equal((await asUser('bob', 'Adm1n-Set-Passw0rd')).status, 200);
  });

  test('MFA: the code is asked for, checked, counted as a failure when wrong, and used once; the session carries it', async () => {
    await userWithPassword('alice', { canGetSelf: true });
    await userWithPassword('bob', { canGetSelf: true });
    const alice = gh.server().state.byName('user', gh.accountId, 'alice')!;
    await giveMfaDevice(alice.id, 'alice-phone');

    let a = await asUser('alice', PASSWORD);
    assert.equal(a.status, 401);
    assert.equal(a.body.Error?.Code, 'MFACodeRequired');
    const code = totpCode(SEED, clock.now());
    const wrong = code === '000000' ? '111111' : '000000';
    a = await asUser('alice', PASSWORD, { mfaCode: wrong });
    assert.equal(a.status, 401);
    assert.equal(a.body.Error?.Code, 'InvalidMFACode');
    // A wrong password with MFA is still just SignInFailed.
    assert.equal((await asUser('alice', 'Wrong-passw0rd!', { mfaCode: code })).body.Error?.Code, 'SignInFailed');
    a = await asUser('alice', PASSWORD, { mfaCode: code });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.MFAAuthenticated, true);
    // The policy allows GetUser only with MFA: alice's session has it, bob's has not.
    const { User } = await iamAt(sessionOf(a)).send(new GetUserCommand({}));
    assert.equal(User?.UserName, 'alice');
    const b = await asUser('bob', PASSWORD);
    await assert.rejects(iamAt(sessionOf(b)).send(new GetUserCommand({})), (e: Error & { Code?: string }) => e.Code === 'AccessDenied');
    // The same code again is refused (the step is used).
    assert.equal((await asUser('alice', PASSWORD, { mfaCode: code })).body.Error?.Code, 'InvalidMFACode');
    clock.advance(30_000);
    assert.equal((await asUser('alice', PASSWORD, { mfaCode: totpCode(SEED, clock.now()) })).status, 200);
  });

  test('the root user signs in with its email; root MFA is asked for when enabled', async () => {
    let a = await signin({ email: ROOT_EMAIL.toUpperCase(), password: ROOT_PASSWORD });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual(a.body.Principal, { Arn: `arn:aws:iam::${gh.accountId}:root`, Type: 'Root', AccountId: gh.accountId });
    assert.equal(Date.parse(a.body.Credentials!.Expiration!) - clock.now().getTime(), 3600 * 1000);
    const { User } = await iamAt(sessionOf(a)).send(new GetUserCommand({}));
    assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:root`);
    assert.equal((await signin({ account: gh.accountId, email: ROOT_EMAIL, password: ROOT_PASSWORD })).status, 200);
    assert.equal((await signin({ account: '999999999999', email: ROOT_EMAIL, password: ROOT_PASSWORD })).body.Error?.Code, 'SignInFailed');

    await giveMfaDevice('root', 'root-key');
    assert.equal((await signin({ email: ROOT_EMAIL, password: ROOT_PASSWORD })).body.Error?.Code, 'MFACodeRequired');
    a = await signin({ email: ROOT_EMAIL, password: ROOT_PASSWORD, mfaCode: totpCode(SEED, clock.now()) });
    assert.equal(a.status, 200);
    assert.equal(a.body.MFAAuthenticated, true);
  });

  test('malformed requests are ValidationError and count as nothing', async () => {
    for (const body of ['not json', '[]', { account: gh.accountId, password: 'x' }, { userName: 'a', password: 'x' }, { account: gh.accountId, userName: 'a' }, { email: 'a@b', userName: 'a', password: 'x' }, { account: gh.accountId, userName: 'a', password: 42 }]) {
      const a = await signin(body);
      assert.equal(a.status, 400, JSON.stringify(body));
      assert.equal(a.body.Error?.Code, 'ValidationError');
    }
  });
});
