// The account password policy through the real SDK: Update/Get/Delete, and every rule enforced on
// every password set or changed, with a message naming the rule.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';


describe('IAM account password policy', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  test('without a policy GetAccountPasswordPolicy is NoSuchEntity, and AWS defaults apply', async () => {
    await rejects(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity', `The Password Policy with domain name ${gh.accountId} cannot be found.`);
    await rejects(iam.send(new DeleteAccountPasswordPolicyCommand({})), 'NoSuchEntity', 'The account policy with name PasswordPolicy cannot be found.');
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const create = (Password: string) => iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password }));
    await rejects(create('Ab1!'), 'PasswordPolicyViolation', 'Password should have a minimum length of 8');
    await rejects(create('abcdefgh1'), 'PasswordPolicyViolation', 'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol');
    await rejects(create('ABCDEFGH1'), 'PasswordPolicyViolation', 'Password should meet 1 more of the following requirements: Password should have at least one lowercase letter, Password should have at least one symbol');
    // Not the user's (or the account's) name.
    await iam.send(new CreateUserCommand({ UserName: 'Str0ng-Name' }));
    await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'Str0ng-Name', Password: 'str0ng-NAME' })), 'PasswordPolicyViolation', 'Password should not be identical to your account name or email address');
    // Three of the four types is enough.
    await create('abcdefgH1');
  });

  test('UpdateAccountPasswordPolicy stores every parameter; left-out ones take their defaults', async () => {
    await iam.send(new UpdateAccountPasswordPolicyCommand({
      MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24, HardExpiry: true,
    }));
    assert.deepEqual((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, {
      MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true, ExpirePasswords: true, MaxPasswordAge: 90, PasswordReusePrevention: 24, HardExpiry: true,
    });
    await iam.send(new UpdateAccountPasswordPolicyCommand({ RequireNumbers: true }));
    assert.deepEqual((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, {
      MinimumPasswordLength: 6, RequireSymbols: false, RequireNumbers: true, RequireUppercaseCharacters: false, RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false, ExpirePasswords: false, HardExpiry: false,
    });
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    await rejects(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity');
  });

  test('out-of-range values are ValidationError', async () => {
    await rejects(iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 5 })), 'ValidationError');
    await rejects(iam.send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 25 })), 'ValidationError');
    await rejects(iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 1096 })), 'ValidationError');
  });

  test('each rule is enforced on create, update and change, naming the rules broken', async () => {
    await iam.send(new UpdateAccountPasswordPolicyCommand({
      MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true,
    }));
    const alice = (await gh.user('alice')).iam;
    const create = (Password: string) => iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password }));
    await rejects(create('Aa1!aaaaa'), 'PasswordPolicyViolation', 'Password should have a minimum length of 10');
    await rejects(create('aa1!aaaaaa'), 'PasswordPolicyViolation', 'Password should have at least one uppercase letter');
    await rejects(create('AA1!AAAAAA'), 'PasswordPolicyViolation', 'Password should have at least one lowercase letter');
    await rejects(create('Aa!aaaaaaa'), 'PasswordPolicyViolation', 'Password should have at least one number');
    await rejects(create('Aa1aaaaaaa'), 'PasswordPolicyViolation', 'Password should have at least one symbol');
    // A character outside AWS's symbol list does not count as one.
    await rejects(create('Aa1.aaaaaa'), 'PasswordPolicyViolation', 'Password should have at least one symbol');
    await rejects(create('aaaaa'), 'PasswordPolicyViolation',
      'Password should have a minimum length of 10, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol');
    await create('Aa1[aaaaaa');
    await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'nope' })), 'PasswordPolicyViolation', /minimum length of 10/);
    await rejects(alice.send(new ChangePasswordCommand({ OldPassword: 'Aa1[aaaaaa', NewPassword: 'nope' })), 'PasswordPolicyViolation', /minimum length of 10/);
  });

  test('PasswordReusePrevention refuses the last N passwords, on UpdateLoginProfile and ChangePassword', async () => {
    await iam.send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 2, AllowUsersToChangePassword: true }));
    const alice = (await gh.user('alice')).iam;
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'First-passw0rd' }));
    await rejects(alice.send(new ChangePasswordCommand({ OldPassword: 'First-passw0rd', NewPassword: 'First-passw0rd' })), 'PasswordPolicyViolation', 'Password should not be one of the previous 2 passwords');
    await alice.send(new ChangePasswordCommand({ OldPassword: 'First-passw0rd', NewPassword: 'Second-passw0rd' }));
    await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'First-passw0rd' })), 'PasswordPolicyViolation', 'Password should not be one of the previous 2 passwords');
    await iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'Third-passw0rd' }));
    // Two back is allowed again once it leaves the window.
    await alice.send(new ChangePasswordCommand({ OldPassword: 'Third-passw0rd', NewPassword: 'First-passw0rd' }));
  });

  test('AllowUsersToChangePassword lets IAM users read the policy without a policy of their own', async () => {
    const bob = (await gh.user('bob')).iam;
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12 }));
    await rejects(bob.send(new GetAccountPasswordPolicyCommand({})), 'AccessDenied', /iam:GetAccountPasswordPolicy/);
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, AllowUsersToChangePassword: true }));
    assert.equal((await bob.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.MinimumPasswordLength, 12);
  });
});
