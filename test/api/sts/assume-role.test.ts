// sts:AssumeRole through the real SDK against a real server: trust policies same-account and
// cross-account, each refusal, chaining, MFA, expiry, deleted roles, session policies and tags,
// revoking sessions, and RoleLastUsed.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, GetUserCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { secondAccount } from '../../support/accounts.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type Credentials, type TestGatehouse } from '../../support/gatehouse.ts';
import { mfaCodes, totpClock } from '../../support/mfa.ts';
import { allowAll, creds, trustAccount } from '../../support/policies.ts';

describe('sts:AssumeRole', () => {
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

  const assume = (c: Credentials, input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> & { RoleArn: string }) =>
    gh.stsFor(c).send(new AssumeRoleCommand({ RoleSessionName: 's1', ...input }));

  test('same account: the trust policy names the account and the identity policy allows; the session is the role', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('reader', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const out = await assume(alice, { RoleArn: roleArn, RoleSessionName: 'alice-session' });
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(c.SessionToken!.length >= 100);
    assert.ok(c.Expiration instanceof Date);
    assert.equal(c.Expiration!.getTime() - Math.floor(clock.now().getTime() / 1000) * 1000, 3600_000);
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/reader/alice-session`);
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:alice-session$/);
    assert.equal(out.PackedPolicySize, undefined);

    const session = creds(c);
    const me = await gh.stsFor(session).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, out.AssumedRoleUser?.Arn);
    assert.equal(me.UserId, out.AssumedRoleUser?.AssumedRoleId);
    assert.equal(me.Account, account);
    // The role's policies apply: ListUsers allowed, ListRoles not.
    await gh.iamFor(session).send(new ListUsersCommand({}));
    await rejects(
      gh.iamFor(session).send(new ListRolesCommand({})),
      'AccessDenied',
      `User: arn:aws:sts::${account}:assumed-role/reader/alice-session is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${account}:role/ because no identity-based policy allows the iam:ListRoles action`,
    );
    // GetUser without a name: a role session is not a user.
    await rejects(gh.iamFor(session).send(new GetUserCommand({})), 'ValidationError', 'Must specify userName when calling with non-User credentials');
  });

  test('the session survives a restart (sessions are durable)', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('reader', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const session = creds((await assume(alice, { RoleArn: roleArn })).Credentials);
    await gh.restart();
    await gh.iamFor(session).send(new ListUsersCommand({}));
  });

  test('refused without an identity policy allowing sts:AssumeRole when the trust policy names only the account', async () => {
    const bob = await gh.user('bob');
    const roleArn = await gh.role('reader', trustAccount(account));
    await rejects(
      assume(bob, { RoleArn: roleArn }),
      'AccessDenied',
      new RegExp(`^User: arn:aws:iam::${account}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${roleArn.replace(/[/]/g, '\\/')} because no identity-based policy allows the sts:AssumeRole action Encoded authorization failure message: `),
    );
  });

  test('a trust policy naming the user grants on its own; one naming someone else refuses', async () => {
    const bob = await gh.user('bob');
    const carol = await gh.user('carol', allowAll('sts:AssumeRole'));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'sts:AssumeRole' }] };
    const roleArn = await gh.role('bobs', trust);
    await assume(bob, { RoleArn: roleArn });
    await rejects(assume(carol, { RoleArn: roleArn }), 'AccessDenied', /because no resource-based policy allows the sts:AssumeRole action/);
  });

  test('a role that does not exist is an AccessDenied, not a NoSuchEntity', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const missing = `arn:aws:iam::${account}:role/nope`;
    await rejects(assume(alice, { RoleArn: missing }), 'AccessDenied', new RegExp(`^User: arn:aws:iam::${account}:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/nope`));
  });

  test('the root user may not assume roles', async () => {
    const roleArn = await gh.role('reader', trustAccount(account));
    // The refusal comes before anything else is looked at.
    const { assumeRole } = await import('../../../src/sts/assume-role.ts');
    await assert.rejects(
      assumeRole({ caller: { principal: { type: 'Root', arn: `arn:aws:iam::${account}:root`, account }, accountId: account, userId: account, accessKeyId: 'x', tags: [] } } as never, { roleArn, roleSessionName: 's' }),
      { code: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' },
    );
  });

  test('sts:ExternalId: required by the trust policy, refused when wrong or missing', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('partner', trustAccount(account, { StringEquals: { 'sts:ExternalId': 'Unicorn-42' } }));
    await rejects(assume(alice, { RoleArn: roleArn }), 'AccessDenied', /no resource-based policy allows the sts:AssumeRole action/);
    await rejects(assume(alice, { RoleArn: roleArn, ExternalId: 'Unicorn-43' }), 'AccessDenied');
    await assume(alice, { RoleArn: roleArn, ExternalId: 'Unicorn-42' });
  });

  test('DurationSeconds: up to the role\'s MaxSessionDuration, refused above it', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('long', trustAccount(account), { maxSessionDuration: 7200 });
    const out = await assume(alice, { RoleArn: roleArn, DurationSeconds: 7200 });
    assert.equal(out.Credentials!.Expiration!.getTime() - Math.floor(clock.now().getTime() / 1000) * 1000, 7200_000);
    await rejects(assume(alice, { RoleArn: roleArn, DurationSeconds: 7201 }), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    await rejects(assume(alice, { RoleArn: roleArn, DurationSeconds: 899 }), 'ValidationError', /durationSeconds/);
  });

  test('role chaining: at most one hour; transitive tags and the source identity carry over', async () => {
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']));
    const trust = trustAccount(account, undefined, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
    const first = await gh.role('first', trust, { policy: allowAll(['sts:AssumeRole', 'sts:TagSession']), maxSessionDuration: 43200 });
    const second = await gh.role('second', trust, { maxSessionDuration: 43200 });
    const s1 = creds(
      (
        await assume(alice, {
          RoleArn: first,
          DurationSeconds: 7200,
          SourceIdentity: 'alice',
          Tags: [{ Key: 'project', Value: 'blue' }, { Key: 'temp', Value: 'x' }],
          TransitiveTagKeys: ['project'],
        })
      ).Credentials,
    );
    await rejects(
      assume(s1, { RoleArn: second, DurationSeconds: 3601 }),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const chained = await assume(s1, { RoleArn: second, DurationSeconds: 3600 });
    assert.equal(chained.SourceIdentity, 'alice');
    const session = await gh.server().state.get('session', chained.Credentials!.AccessKeyId!);
    const data = session?.data as { tags: unknown; chained: boolean; sourceIdentity: string };
    assert.deepEqual(data.tags, [{ Key: 'project', Value: 'blue' }]);
    assert.equal(data.chained, true);
    // A transitive tag cannot be overridden down the chain.
    await rejects(
      assume(s1, { RoleArn: second, Tags: [{ Key: 'project', Value: 'red' }] }),
      'InvalidParameterValue',
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  });

  test('a transitive tag key must name one of the tags passed', async () => {
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'sts:TagSession']));
    const roleArn = await gh.role('tagged', trustAccount(account, undefined, ['sts:AssumeRole', 'sts:TagSession']));
    await rejects(
      assume(alice, { RoleArn: roleArn, Tags: [{ Key: 'project', Value: 'blue' }], TransitiveTagKeys: ['team'] }),
      'InvalidParameterValue',
      'The specified transitive tag key must be included in the requested tags.',
    );
  });

  test('a RoleArn that is no ARN is a ValidationError, not AccessDenied', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const bad = 'this-is-not-a-role-arn-at-all';
    await rejects(assume(alice, { RoleArn: bad }), 'ValidationError', `${bad} is invalid`);
    const status = await assume(alice, { RoleArn: bad }).catch((e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
    assert.equal(status, 400);
    // A well-formed ARN of a role that does not exist is still AccessDenied.
    await rejects(assume(alice, { RoleArn: `arn:aws:iam::${account}:role/ghost` }), 'AccessDenied');
  });

  test('MFA: the trust policy requires aws:MultiFactorAuthPresent; a wrong or reused code is refused', async () => {
    const admin = gh.iamFor(gh.credentials);
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'iam:*']));
    const roleArn = await gh.role('secure', trustAccount(account, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), { policy: allowAll('iam:ListUsers', '*', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }) });
    const { serial, seed } = await mfa.enrol(admin, 'alice');
    await rejects(assume(alice, { RoleArn: roleArn }), 'AccessDenied', /no resource-based policy allows the sts:AssumeRole action/);
    await rejects(assume(alice, { RoleArn: roleArn, SerialNumber: serial, TokenCode: '000000' === mfa.next(seed) ? '111111' : '000000' }), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const code = mfa.next(seed);
    const out = await assume(alice, { RoleArn: roleArn, SerialNumber: serial, TokenCode: code });
    // The same code again: refused.
    await rejects(assume(alice, { RoleArn: roleArn, SerialNumber: serial, TokenCode: code }), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    // The session carries MFA: aws:MultiFactorAuthAge is under an hour.
    const session = creds(out.Credentials);
    await gh.iamFor(session).send(new ListUsersCommand({}));
    // An hour later the age condition fails (the session itself lasts an hour: ask for it to last longer is not allowed, so check at 59 minutes).
    clock.advance(3599_000);
    await gh.iamFor(session).send(new ListUsersCommand({}));
  });

  test('an expired session is refused with ExpiredToken; a wrong token with InvalidClientTokenId', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('reader', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const session = creds((await assume(alice, { RoleArn: roleArn, DurationSeconds: 900 })).Credentials);
    await rejects(gh.iamFor({ ...session, sessionToken: session.sessionToken!.slice(0, -4) + 'AAAA' }).send(new ListUsersCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    await rejects(gh.iamFor({ ...session, sessionToken: undefined }).send(new ListUsersCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    clock.advance(901_000);
    await rejects(gh.iamFor(session).send(new ListUsersCommand({})), 'ExpiredToken', 'The security token included in the request is expired');
  });

  test('a deleted role\'s sessions are refused', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('doomed', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const session = creds((await assume(alice, { RoleArn: roleArn })).Credentials);
    const admin = gh.iamFor(gh.credentials);
    await admin.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'p' }));
    await admin.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    await rejects(gh.iamFor(session).send(new ListUsersCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  });

  test('session policies only narrow: an inline session policy and a managed one', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('wide', trustAccount(account), { policy: allowAll(['iam:ListUsers', 'iam:ListRoles']) });
    const narrow = JSON.stringify(allowAll(['iam:ListUsers', 'iam:CreateUser']));
    const out = await assume(alice, { RoleArn: roleArn, Policy: narrow });
    assert.ok(out.PackedPolicySize! > 0 && out.PackedPolicySize! <= 100);
    const session = creds(out.Credentials);
    await gh.iamFor(session).send(new ListUsersCommand({}));
    await rejects(gh.iamFor(session).send(new ListRolesCommand({})), 'AccessDenied', /because no session policy allows the iam:ListRoles action/);
    // The session policy cannot add what the role lacks.
    const { CreateUserCommand } = await import('@aws-sdk/client-iam');
    await rejects(gh.iamFor(session).send(new CreateUserCommand({ UserName: 'x' })), 'AccessDenied', /no identity-based policy allows/);
    const managed = await assume(alice, { RoleArn: roleArn, PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }] });
    await gh.iamFor(creds(managed.Credentials)).send(new ListRolesCommand({}));
    await rejects(assume(alice, { RoleArn: roleArn, Policy: '{"Version":"2012-10-17","Statement":[]' }), 'MalformedPolicyDocument');
  });

  test('PackedPolicyTooLarge for tags or policies past the packed budget', async () => {
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'sts:TagSession']));
    const roleArn = await gh.role('tagged', trustAccount(account, undefined, ['sts:AssumeRole', 'sts:TagSession']));
    let n = 12345;
    const noise = (len: number) => Array.from({ length: len }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[(n = (n * 1103515245 + 12345) % 2 ** 31) % 62]).join('');
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: noise(256) }));
    await rejects(assume(alice, { RoleArn: roleArn, Tags: tags }), 'PackedPolicyTooLarge', /^Packed size of session tags consumes \d+% of allotted space\.$/);
    const big = JSON.stringify(allowAll('s3:GetObject', Array.from({ length: 24 }, () => `arn:aws:s3:::${noise(60)}`)));
    await rejects(assume(alice, { RoleArn: roleArn, Policy: big }), 'PackedPolicyTooLarge', /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  });

  test('session tags: need sts:TagSession in the trust policy, and become aws:PrincipalTag over the role\'s tags', async () => {
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'sts:TagSession']));
    const byTag = allowAll('iam:ListUsers', '*', { StringEquals: { 'aws:PrincipalTag/team': 'blue' } });
    const noTagSession = await gh.role('plain', trustAccount(account), { policy: byTag });
    await rejects(assume(alice, { RoleArn: noTagSession, Tags: [{ Key: 'team', Value: 'blue' }] }), 'AccessDenied', /sts:TagSession/);
    const roleArn = await gh.role('tagged', trustAccount(account, undefined, ['sts:AssumeRole', 'sts:TagSession']), { policy: byTag });
    const blue = creds((await assume(alice, { RoleArn: roleArn, Tags: [{ Key: 'team', Value: 'blue' }] })).Credentials);
    await gh.iamFor(blue).send(new ListUsersCommand({}));
    const red = creds((await assume(alice, { RoleArn: roleArn, Tags: [{ Key: 'team', Value: 'red' }] })).Credentials);
    await rejects(gh.iamFor(red).send(new ListUsersCommand({})), 'AccessDenied');
  });

  test('sts:SetSourceIdentity is checked against the trust policy', async () => {
    const alice = await gh.user('alice', allowAll(['sts:AssumeRole', 'sts:SetSourceIdentity']));
    const roleArn = await gh.role('plain', trustAccount(account));
    await rejects(assume(alice, { RoleArn: roleArn, SourceIdentity: 'alice' }), 'AccessDenied', /sts:SetSourceIdentity/);
    const ok = await gh.role('si', trustAccount(account, { StringEquals: { 'sts:SourceIdentity': 'alice' } }, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
    assert.equal((await assume(alice, { RoleArn: ok, SourceIdentity: 'alice' })).SourceIdentity, 'alice');
    await rejects(assume(alice, { RoleArn: ok, SourceIdentity: 'mallory' }), 'AccessDenied');
  });

  test('cross-account: both the trust policy and the caller\'s identity policies must allow', async () => {
    const other = await secondAccount(gh, 'dave', allowAll('sts:AssumeRole'));
    const noPolicy = await secondAccount(gh, 'erin');
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [other.accountId, noPolicy.accountId] }, Action: 'sts:AssumeRole' }] };
    const shared = await gh.role('shared', trust, { policy: allowAll('iam:ListUsers') });
    const out = await assume(other, { RoleArn: shared, RoleSessionName: 'dave' });
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/shared/dave`);
    const session = creds(out.Credentials);
    const me = await gh.stsFor(session).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, account);
    await gh.iamFor(session).send(new ListUsersCommand({}));
    // The other account's user without an identity policy: refused.
    await rejects(assume(noPolicy, { RoleArn: shared }), 'AccessDenied', /because no identity-based policy allows the sts:AssumeRole action/);
    // A role whose trust policy names only this account: refused for the other account's user.
    const local = await gh.role('local', trustAccount(account));
    await rejects(assume(other, { RoleArn: local }), 'AccessDenied', /because no resource-based policy allows the sts:AssumeRole action/);
  });

  test('revoking active sessions: a deny on aws:TokenIssueTime older than now', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('reader', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const old = creds((await assume(alice, { RoleArn: roleArn })).Credentials);
    clock.advance(5_000);
    const revokeAt = clock.now().toISOString();
    const admin = gh.iamFor(gh.credentials);
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: 'reader',
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeAt } } }],
        }),
      }),
    );
    await rejects(gh.iamFor(old).send(new ListUsersCommand({})), 'AccessDenied', /with an explicit deny in an identity-based policy/);
    clock.advance(2_000);
    const fresh = creds((await assume(alice, { RoleArn: roleArn })).Credentials);
    await gh.iamFor(fresh).send(new ListUsersCommand({}));
  });

  test('RoleLastUsed is set when a session of the role makes a call', async () => {
    const alice = await gh.user('alice', allowAll('sts:AssumeRole'));
    const roleArn = await gh.role('reader', trustAccount(account), { policy: allowAll('iam:ListUsers') });
    const admin = gh.iamFor(gh.credentials);
    assert.deepEqual((await admin.send(new GetRoleCommand({ RoleName: 'reader' }))).Role?.RoleLastUsed, {});
    const session = creds((await assume(alice, { RoleArn: roleArn })).Credentials);
    await gh.iamFor(session).send(new ListUsersCommand({}));
    await gh.server().state.idle();
    const last = (await admin.send(new GetRoleCommand({ RoleName: 'reader' }))).Role?.RoleLastUsed;
    assert.equal(last?.Region, 'us-east-1');
    assert.equal(last?.LastUsedDate?.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
  });

  test('an AccessDenied from AssumeRole carries a message only sts:DecodeAuthorizationMessage reveals', async () => {
    const bob = await gh.user('bob', allowAll('sts:DecodeAuthorizationMessage'));
    const roleArn = await gh.role('reader', trustAccount(account));
    const err = await assume(bob, { RoleArn: roleArn }).then(
      () => assert.fail('expected AccessDenied'),
      (e: Error) => e,
    );
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(err.message)?.[1];
    assert.ok(encoded);
    const { DecodedMessage } = await gh.stsFor(bob).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    const doc = JSON.parse(DecodedMessage!);
    assert.equal(doc.allowed, false);
    assert.equal(doc.explicitDeny, false);
    assert.equal(doc.context.action, 'sts:AssumeRole');
    assert.equal(doc.context.resource, roleArn);
    assert.equal(doc.context.principal.arn, bob.arn);
    assert.ok(doc.context.conditions.items.some((c: { key: string; values: { items: { value: string }[] } }) => c.key === 'sts:rolesessionname' && c.values.items[0]?.value === 's1'));
    // Without the permission, or with a tampered message: refused.
    const carol = await gh.user('carol');
    await rejects(gh.stsFor(carol).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })), 'AccessDenied', /sts:DecodeAuthorizationMessage/);
    await rejects(gh.stsFor(bob).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded.slice(0, -8) + 'AAAAAAAA' })), 'InvalidAuthorizationMessageException');
  });
});
