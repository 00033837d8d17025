// GetSessionToken (with and without MFA), the "force MFA" policy end to end, GetFederationToken,
// GetCallerIdentity for every kind of caller, GetAccessKeyInfo, and last-used data through sessions.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
} from '@aws-sdk/client-sts';
import { totpCodeAt, totpStep } from '../../../src/model/totp.ts';
import { secondAccount } from '../../support/accounts.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { mfaCodes, totpClock } from '../../support/mfa.ts';
import { allowAll, creds } from '../../support/policies.ts';

/** AWS's example policy "allows IAM users to self-manage an MFA device" (reference_policies_examples_iam_mfa-selfmanage). */
const FORCE_MFA = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowListActions', Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListVirtualMFADevices'], Resource: '*' },
    { Sid: 'AllowUserToCreateVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/*' },
    {
      Sid: 'AllowUserToManageTheirOwnMFA',
      Effect: 'Allow',
      Action: ['iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    {
      Sid: 'AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice'],
      Resource: ['arn:aws:iam::*:user/${aws:username}'],
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
    {
      Sid: 'BlockMostAccessUnlessSignedInWithMFA',
      Effect: 'Deny',
      NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ListUsers', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
    { Sid: 'WorkWithMfa', Effect: 'Allow', Action: ['iam:ListRoles'], Resource: '*' },
  ],
};

describe('sts:GetSessionToken, GetFederationToken, GetCallerIdentity, GetAccessKeyInfo', () => {
  let gh: TestGatehouse;
  const clock = totpClock();
  const mfa = mfaCodes(clock);
  let account: string;
  before(async () => {
    gh = await startTestGatehouse({ clock });
    account = gh.accountId;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  test('without MFA: 12 hours by default; no IAM calls; of STS only AssumeRole and GetCallerIdentity', async () => {
    const alice = await gh.user('alice', allowAll('*'));
    const out = await gh.stsFor(alice).send(new GetSessionTokenCommand({}));
    assert.equal(out.Credentials!.Expiration!.getTime() - Math.floor(clock.now().getTime() / 1000) * 1000, 43200_000);
    const session = creds(out.Credentials);
    const me = await gh.stsFor(session).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, alice.arn);
    await rejects(gh.iamFor(session).send(new ListUsersCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    await rejects(gh.stsFor(session).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    await rejects(gh.stsFor(session).send(new GetFederationTokenCommand({ Name: 'x' })), 'AccessDenied', 'Cannot call GetFederationToken with session credentials');
  });

  test('with MFA: IAM calls work; a wrong, reused or foreign code is refused', async () => {
    const admin = gh.iamFor(gh.credentials);
    const alice = await gh.user('alice', allowAll('*'));
    const { serial, seed } = await mfa.enrol(admin, 'alice');
    const failed = 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';
    const good = mfa.next(seed);
    const wrong = good === '123456' ? '654321' : '123456';
    await rejects(gh.stsFor(alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: wrong })), 'AccessDenied', failed);
    const out = await gh.stsFor(alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: good, DurationSeconds: 900 }));
    await rejects(gh.stsFor(alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: good })), 'AccessDenied', failed);
    const session = creds(out.Credentials);
    await gh.iamFor(session).send(new ListUsersCommand({}));
    // Another user's device is not alice's.
    const bob = await gh.user('bob', allowAll('*'));
    await rejects(gh.stsFor(bob).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: mfa.next(seed) })), 'AccessDenied', failed);
    clock.advance(901_000);
    await rejects(gh.iamFor(session).send(new ListUsersCommand({})), 'ExpiredToken');
  });

  test('the "force MFA" policy: a user enrols their own device, then works only with an MFA session', async () => {
    const dave = await gh.user('dave', FORCE_MFA);
    const iam = gh.iamFor(dave);
    await rejects(iam.send(new ListRolesCommand({})), 'AccessDenied', /with an explicit deny in an identity-based policy/);
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave-phone' }));
    const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
    const step = totpStep(clock.now());
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: 'dave',
        SerialNumber: VirtualMFADevice!.SerialNumber!,
        AuthenticationCode1: totpCodeAt(seed, step - 1),
        AuthenticationCode2: totpCodeAt(seed, step),
      }),
    );
    await rejects(iam.send(new ListRolesCommand({})), 'AccessDenied', /explicit deny/);
    clock.advance(30_000);
    const code = totpCodeAt(seed, totpStep(clock.now()));
    const out = await gh.stsFor(dave).send(new GetSessionTokenCommand({ SerialNumber: VirtualMFADevice!.SerialNumber!, TokenCode: code }));
    await gh.iamFor(creds(out.Credentials)).send(new ListRolesCommand({}));
  });

  test('GetFederationToken: no session policy, no permissions; with one, the intersection with the user\'s', async () => {
    const alice = await gh.user('alice', allowAll(['sts:GetFederationToken', 'iam:ListUsers', 'sts:DecodeAuthorizationMessage']));
    const none = await gh.stsFor(alice).send(new GetFederationTokenCommand({ Name: 'guest' }));
    // AWS answers PackedPolicySize even when nothing was packed.
    assert.equal(none.PackedPolicySize, 0);
    assert.equal(none.FederatedUser?.Arn, `arn:aws:sts::${account}:federated-user/guest`);
    assert.equal(none.FederatedUser?.FederatedUserId, `${account}:guest`);
    const guest = creds(none.Credentials);
    const me = await gh.stsFor(guest).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([me.Arn, me.UserId, me.Account], [`arn:aws:sts::${account}:federated-user/guest`, `${account}:guest`, account]);
    // Federated users call no IAM operation and of STS only GetCallerIdentity.
    await rejects(gh.iamFor(guest).send(new ListUsersCommand({})), 'InvalidClientTokenId');
    await rejects(gh.stsFor(guest).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'x' })), 'AccessDenied', 'Cannot call DecodeAuthorizationMessage with session credentials');
    await rejects(gh.stsFor(guest).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/r`, RoleSessionName: 's' })), 'AccessDenied');
    const withPolicy = await gh.stsFor(alice).send(new GetFederationTokenCommand({ Name: 'guest2', Policy: JSON.stringify(allowAll('*')), DurationSeconds: 900 }));
    assert.ok((withPolicy.PackedPolicySize ?? 0) > 0);
    // The federated user's permissions are decided with the user's policies and the session policy.
    const { sessionCaller } = await import('../../../src/sts/session-caller.ts');
    const { getSession } = await import('../../../src/sts/sessions.ts');
    const server = gh.server();
    const withCaller = sessionCaller(server.state, getSession(server.state, withPolicy.Credentials!.AccessKeyId!)!)!;
    const noneCaller = sessionCaller(server.state, getSession(server.state, none.Credentials!.AccessKeyId!)!)!;
    const { Authorizer } = await import('../../../src/authz/authorizer.ts');
    const { PolicyView } = await import('../../../src/authz/policy-view.ts');
    const authorizer = new Authorizer(new PolicyView(server.state));
    const decide = (caller: typeof withCaller, action: string) =>
      authorizer.decide({ caller, action, resource: '*', context: new Map() }).result.decision;
    assert.equal(decide(withCaller, 'iam:ListUsers'), 'Allowed');
    assert.equal(decide(withCaller, 'iam:ListRoles'), 'ImplicitDeny'); // the user lacks it
    assert.equal(decide(noneCaller, 'iam:ListUsers'), 'ImplicitDeny'); // no session policy
    await rejects(gh.stsFor(await gh.user('bob')).send(new GetFederationTokenCommand({ Name: 'xx' })), 'AccessDenied', /sts:GetFederationToken on resource: arn:aws:sts::\d+:federated-user\/xx/);
  });

  test('GetCallerIdentity is allowed whatever the policies say', async () => {
    const denied = await gh.user('denied', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    const me = await gh.stsFor(denied).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, denied.arn);
    assert.match(me.UserId!, /^AIDA/);
  });

  test('GetAccessKeyInfo answers the account an access key id belongs to', async () => {
    const alice = await gh.user('alice', allowAll('sts:GetAccessKeyInfo'));
    assert.equal((await gh.stsFor(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }))).Account, account);
    const other = await secondAccount(gh, 'zed');
    assert.equal((await gh.stsFor(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: other.accessKeyId }))).Account, other.accountId);
    await rejects(gh.stsFor(await gh.user('bob')).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId })), 'AccessDenied');
  });

  test('a call made with session credentials counts as use of the access key they came from', async () => {
    const alice = await gh.user('alice', allowAll('*'));
    const session = creds((await gh.stsFor(alice).send(new GetSessionTokenCommand({}))).Credentials);
    const admin = gh.iamFor(gh.credentials);
    await gh.server().state.idle();
    clock.advance(120_000);
    await gh.stsFor(session).send(new GetCallerIdentityCommand({}));
    await gh.server().state.idle();
    const last = await admin.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId }));
    assert.equal(last.AccessKeyLastUsed?.ServiceName, 'sts');
    assert.equal(last.AccessKeyLastUsed?.LastUsedDate?.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
  });
});
