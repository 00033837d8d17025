// Login profile operations and ChangePassword through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetLoginProfileCommand,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';


const PASSWORD = 'Corr3ct-Horse!';

describe('IAM login profiles', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const profileOf = (userName: string) => {
    const user = gh.server().state.byName('user', gh.accountId, userName)!;
    return gh.server().state.get('loginProfile', user.id);
  };

  /** A user with a password and an access key, as a client of its own. */
  async function selfService(userName: string, allowChange = true): Promise<IAMClient> {
    const ownPassword = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: 'arn:aws:iam::*:user/${aws:username}' }] };
    const user = await gh.user(userName, allowChange ? ownPassword : undefined);
    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD }));
    return user.iam;
  }

  describe('CreateLoginProfile and GetLoginProfile', () => {
    test('creates a profile; the password is kept only as a scrypt hash and never answered', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { LoginProfile } = await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD, PasswordResetRequired: true }));
      assert.equal(LoginProfile?.UserName, 'alice');
      assert.equal(LoginProfile?.PasswordResetRequired, true);
      assert.ok(LoginProfile?.CreateDate instanceof Date);
      assert.equal((LoginProfile as unknown as Record<string, unknown>).Password, undefined);
      const stored = profileOf('alice')!.data;
      assert.match(stored.passwordHash, /^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      assert.ok(!JSON.stringify(stored).includes(PASSWORD));
      const got = await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }));
      assert.deepEqual(got.LoginProfile, LoginProfile);
    });

    test('a second profile is EntityAlreadyExists; an unknown user NoSuchEntity; a missing profile NoSuchEntity', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD }));
      const before = profileOf('alice');
      await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'An0ther-Passw0rd' })), 'EntityAlreadyExists', 'Login Profile for user alice already exists.');
      assert.equal(profileOf('alice'), before);
      await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'ghost', Password: PASSWORD })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      await rejects(iam.send(new GetLoginProfileCommand({ UserName: 'bob' })), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
    });

    test('a password breaking the policy is PasswordPolicyViolation and creates nothing', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'password' })), 'PasswordPolicyViolation',
        'Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol');
      assert.equal(profileOf('alice'), undefined);
    });
  });

  describe('UpdateLoginProfile', () => {
    test('sets a new password and PasswordResetRequired; only the flag when no password is given', async () => {
      const alice = await selfService('alice');
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', PasswordResetRequired: true }));
      assert.equal((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.PasswordResetRequired, true);
      const hash = profileOf('alice')!.data.passwordHash;
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'Adm1n-Chosen-Pw' }));
      const after = profileOf('alice')!.data;
      assert.notEqual(after.passwordHash, hash);
      assert.equal(after.passwordResetRequired, true);
      // The new password is the one ChangePassword now wants.
      await rejects(alice.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'Th1rd-Passw0rd!' })), 'InvalidUserType');
      await alice.send(new ChangePasswordCommand({ OldPassword: 'Adm1n-Chosen-Pw', NewPassword: 'Th1rd-Passw0rd!' }));
      assert.equal(profileOf('alice')!.data.passwordResetRequired, false);
    });

    test('errors: NoSuchEntity for the user and the profile, PasswordPolicyViolation, changing nothing', async () => {
      await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'ghost', Password: PASSWORD })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'bob', Password: PASSWORD })), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
      await iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: PASSWORD }));
      const before = profileOf('bob');
      await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'bob', Password: 'Sh0rt!' })), 'PasswordPolicyViolation', 'Password should have a minimum length of 8');
      assert.equal(profileOf('bob'), before);
    });
  });

  describe('DeleteLoginProfile', () => {
    test('deletes the profile; then the user can be deleted; a missing profile is NoSuchEntity', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD }));
      await rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflict', 'Cannot delete entity, must delete login profile first.');
      await iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' }));
      await rejects(iam.send(new GetLoginProfileCommand({ UserName: 'alice' })), 'NoSuchEntity');
      await rejects(iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' })), 'NoSuchEntity', 'Login Profile for User alice cannot be found.');
      await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    });
  });

  describe('without UserName (optional in the current model)', () => {
    const ownProfile = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile', 'iam:CreateLoginProfile'], Resource: 'arn:aws:iam::*:user/${aws:username}' }] };

    test("an IAM user's call is about its own profile", async () => {
      const dave = await gh.user('dave', ownProfile);
      await dave.iam.send(new CreateLoginProfileCommand({ Password: PASSWORD }));
      assert.equal((await dave.iam.send(new GetLoginProfileCommand({}))).LoginProfile?.UserName, 'dave');
      await dave.iam.send(new DeleteLoginProfileCommand({}));
      assert.equal(profileOf('dave'), undefined);
      await rejects(dave.iam.send(new GetLoginProfileCommand({})), 'NoSuchEntity', 'Login Profile for User dave cannot be found.');
    });

    test('a role session, and a CreateLoginProfile without Password, get the ValidationError they always got', async () => {
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${gh.accountId}:root` }, Action: 'sts:AssumeRole' }] };
      const all = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] };
      const session = (await gh.session(await gh.role('ops', trust, { policy: all }), 'ops-session')).iam;
      const missingUser = "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null";
      await rejects(session.send(new GetLoginProfileCommand({})), 'ValidationError', missingUser);
      await rejects(session.send(new DeleteLoginProfileCommand({})), 'ValidationError', missingUser);
      await rejects(session.send(new CreateLoginProfileCommand({ Password: PASSWORD })), 'ValidationError', missingUser);
      await iam.send(new CreateUserCommand({ UserName: 'erin' }));
      await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'erin' })), 'ValidationError',
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
      assert.equal(profileOf('erin'), undefined);
    });
  });

  describe('ChangePassword', () => {
    test("changes the caller's own password when the old one is right", async () => {
      const alice = await selfService('alice');
      const hash = profileOf('alice')!.data.passwordHash;
      await rejects(alice.send(new ChangePasswordCommand({ OldPassword: 'Wrong-passw0rd', NewPassword: 'N3w-Passw0rd!!' })), 'InvalidUserType', 'The old password is incorrect.');
      assert.equal(profileOf('alice')!.data.passwordHash, hash);
      await rejects(alice.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'weak' })), 'PasswordPolicyViolation');
      await alice.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'N3w-Passw0rd!!' }));
      const after = profileOf('alice')!.data;
      assert.notEqual(after.passwordHash, hash);
      assert.deepEqual(after.previousPasswordHashes, [hash]);
    });

    test('needs iam:ChangePassword, or the account policy letting users change their own password', async () => {
      const bob = await selfService('bob', false);
      await rejects(bob.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'N3w-Passw0rd!!' })), 'AccessDenied', /iam:ChangePassword/);
      await iam.send(new UpdateAccountPasswordPolicyCommand({ AllowUsersToChangePassword: true }));
      await bob.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'N3w-Passw0rd!!' }));
      // An explicit deny still wins over the account's grant.
      const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }] };
      await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'no', PolicyDocument: JSON.stringify(deny) }));
      await rejects(bob.send(new ChangePasswordCommand({ OldPassword: 'N3w-Passw0rd!!', NewPassword: 'Th1rd-Passw0rd!' })), 'AccessDenied', /explicit deny/);
    });

    test('a user without a password is NoSuchEntity', async () => {
      const carol = (await gh.user('carol')).iam;
      await iam.send(new UpdateAccountPasswordPolicyCommand({ AllowUsersToChangePassword: true }));
      await rejects(carol.send(new ChangePasswordCommand({ OldPassword: PASSWORD, NewPassword: 'N3w-Passw0rd!!' })), 'NoSuchEntity', 'Login Profile for User carol cannot be found.');
    });
  });
});

describe('CreateLoginProfile for a user who has one', () => {
  let gh: TestGatehouse;
  before(async () => {
    // One password hash at a time, at the real cost: a hash that was not needed would show as a wait.
    gh = await startTestGatehouse({ env: { GATEHOUSE_PASSWORD_HASH_COST: '17', GATEHOUSE_PASSWORD_HASH_CONCURRENCY: '1' } });
  });
  after(() => gh.close());

  test('is refused before any password is hashed', async () => {
    for (const name of ['alice', 'bob']) await gh.iam.send(new CreateUserCommand({ UserName: name }));
    await gh.iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Corr3ct-horse-battery' }));
    let bobDone = false;
    const bob = gh.iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: 'Corr3ct-horse-battery' })).finally(() => (bobDone = true));
    await rejects(gh.iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'An0ther-Passw0rd' })), 'EntityAlreadyExists', 'Login Profile for user alice already exists.');
    assert.equal(bobDone, false, "answered while bob's password was still being hashed: it did not wait for a hash of its own");
    await bob;
  });
});
