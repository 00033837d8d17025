// GetAccountAuthorizationDetails through the real SDK against a real server: every list, each
// Filter, paging, and a round trip of every document put.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type EntityType,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const POWER_USER = 'arn:aws:iam::aws:policy/PowerUserAccess';

// Documents as a person writes them (indentation, a variable, a condition): they must come back as put.
const ALICE_INLINE = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] },
  null,
  2,
);
const DEVS_INLINE = '{\n    "Version": "2012-10-17",\n    "Statement": {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}\n}';
const APP_INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
});
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, null, 1);

type Details = GetAccountAuthorizationDetailsCommandOutput;

describe('GetAccountAuthorizationDetails', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  let account: string;
  let shared: string;
  let unused: string;

  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
    account = gh.accountId;
    shared = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Shared', Path: '/team/', PolicyDocument: allow('s3:GetObject'), Description: 'shared' }))).Policy!.Arn!;
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: shared, PolicyDocument: allow('s3:ListBucket'), SetAsDefault: true }));
    unused = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Unused', PolicyDocument: allow('sns:Publish') }))).Policy!.Arn!;

    await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }], PermissionsBoundary: POWER_USER }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'Home', PolicyDocument: ALICE_INLINE }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: shared }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/eng/' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'alice' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'Describe', PolicyDocument: DEVS_INLINE }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: shared }));

    await iam.send(new CreateRoleCommand({ RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'Send', PolicyDocument: APP_INLINE }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: READ_ONLY }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'app', PermissionsBoundary: shared }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'app' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: EC2_TRUST }));
  });
  after(() => gh.close());

  const details = async (Filter?: EntityType[], MaxItems?: number, Marker?: string): Promise<Details> =>
    iam.send(new GetAccountAuthorizationDetailsCommand({ Filter, MaxItems, Marker }));

  /** Every page, concatenated. */
  const allPages = async (Filter?: EntityType[], MaxItems?: number) => {
    const out = { users: [] as NonNullable<Details['UserDetailList']>, groups: [] as NonNullable<Details['GroupDetailList']>, roles: [] as NonNullable<Details['RoleDetailList']>, policies: [] as NonNullable<Details['Policies']>, pages: 0 };
    let marker: string | undefined;
    do {
      const page = await details(Filter, MaxItems, marker);
      out.pages++;
      out.users.push(...(page.UserDetailList ?? []));
      out.groups.push(...(page.GroupDetailList ?? []));
      out.roles.push(...(page.RoleDetailList ?? []));
      out.policies.push(...(page.Policies ?? []));
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      marker = page.Marker;
    } while (marker !== undefined);
    return out;
  };

  test('users: path, ids, inline policies, groups, attached policies, boundary, tags', async () => {
    const d = await details();
    assert.equal(d.IsTruncated, false);
    assert.deepEqual(d.UserDetailList?.map((u) => u.UserName), ['admin', 'alice']);
    const alice = d.UserDetailList!.find((u) => u.UserName === 'alice')!;
    assert.equal(alice.Path, '/eng/');
    assert.equal(alice.Arn, `arn:aws:iam::${account}:user/eng/alice`);
    assert.match(alice.UserId ?? '', /^AIDA/);
    assert.ok(alice.CreateDate instanceof Date);
    assert.deepEqual(alice.GroupList, ['devs', 'Administrators']);
    assert.deepEqual(alice.AttachedManagedPolicies, [{ PolicyName: 'Shared', PolicyArn: shared }]);
    assert.deepEqual(alice.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: POWER_USER });
    assert.deepEqual(alice.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.equal(alice.UserPolicyList?.length, 1);
    assert.equal(alice.UserPolicyList![0]!.PolicyName, 'Home');
    const admin = d.UserDetailList!.find((u) => u.UserName === 'admin')!;
    assert.deepEqual(admin.UserPolicyList, []);
    assert.deepEqual(admin.AttachedManagedPolicies, []);
    assert.equal(admin.PermissionsBoundary, undefined);
    assert.equal(admin.Tags, undefined);
  });

  test('groups and roles', async () => {
    const d = await details();
    assert.deepEqual(d.GroupDetailList?.map((g) => g.GroupName), ['Administrators', 'devs']);
    const devs = d.GroupDetailList!.find((g) => g.GroupName === 'devs')!;
    assert.equal(devs.Path, '/eng/');
    assert.equal(devs.Arn, `arn:aws:iam::${account}:group/eng/devs`);
    assert.match(devs.GroupId ?? '', /^AGPA/);
    assert.deepEqual(devs.GroupPolicyList?.map((p) => p.PolicyName), ['Describe']);
    assert.deepEqual(devs.AttachedManagedPolicies, [{ PolicyName: 'Shared', PolicyArn: shared }]);
    assert.deepEqual(d.GroupDetailList!.find((g) => g.GroupName === 'Administrators')!.AttachedManagedPolicies, [
      { PolicyName: 'AdministratorAccess', PolicyArn: ADMIN },
    ]);

    assert.deepEqual(d.RoleDetailList?.map((r) => r.RoleName), ['app', 'worker']);
    const app = d.RoleDetailList!.find((r) => r.RoleName === 'app')!;
    assert.equal(app.Arn, `arn:aws:iam::${account}:role/svc/app`);
    assert.match(app.RoleId ?? '', /^AROA/);
    assert.deepEqual(app.RolePolicyList?.map((p) => p.PolicyName), ['Send']);
    assert.deepEqual(app.AttachedManagedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }]);
    assert.deepEqual(app.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: shared });
    assert.deepEqual(app.Tags, [{ Key: 'env', Value: 'prod' }]);
    assert.deepEqual(app.RoleLastUsed, {});
    assert.equal(app.InstanceProfileList?.length, 1);
    const profile = app.InstanceProfileList![0]!;
    assert.equal(profile.InstanceProfileName, 'app-profile');
    assert.deepEqual(profile.Roles?.map((r) => r.RoleName), ['app']);
    const worker = d.RoleDetailList!.find((r) => r.RoleName === 'worker')!;
    assert.deepEqual(worker.InstanceProfileList, []);
    assert.deepEqual(worker.RolePolicyList, []);
    assert.deepEqual(worker.AttachedManagedPolicies, []);
  });

  test('policies: every customer managed one, and the AWS managed ones in use, with every version', async () => {
    const d = await details();
    const arns = d.Policies?.map((p) => p.Arn);
    assert.deepEqual(arns, [ADMIN, POWER_USER, READ_ONLY, shared, unused]);
    const sharedOut = d.Policies!.find((p) => p.Arn === shared)!;
    assert.equal(sharedOut.PolicyName, 'Shared');
    assert.equal(sharedOut.Path, '/team/');
    assert.match(sharedOut.PolicyId ?? '', /^ANPA/);
    assert.equal(sharedOut.DefaultVersionId, 'v2');
    assert.equal(sharedOut.AttachmentCount, 2); // alice and devs
    assert.equal(sharedOut.PermissionsBoundaryUsageCount, 1); // app
    assert.equal(sharedOut.IsAttachable, true);
    assert.equal(sharedOut.Description, 'shared');
    assert.ok(sharedOut.CreateDate instanceof Date && sharedOut.UpdateDate instanceof Date);
    assert.deepEqual(
      sharedOut.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion, decodeURIComponent(v.Document ?? '')]),
      [
        ['v2', true, allow('s3:ListBucket')],
        ['v1', false, allow('s3:GetObject')],
      ],
    );
    const powerUser = d.Policies!.find((p) => p.Arn === POWER_USER)!;
    assert.equal(powerUser.AttachmentCount, 0);
    assert.equal(powerUser.PermissionsBoundaryUsageCount, 1);
    assert.equal(powerUser.PolicyVersionList?.length, 1);
    assert.equal(powerUser.PolicyVersionList![0]!.IsDefaultVersion, true);
    const doc = JSON.parse(decodeURIComponent(powerUser.PolicyVersionList![0]!.Document!)) as { Statement: unknown[] };
    assert.ok(doc.Statement.length > 0);
    assert.equal(d.Policies!.find((p) => p.Arn === ADMIN)!.AttachmentCount, 1);
  });

  test('round trip: every document reads back as it was put', async () => {
    const d = await details();
    const decode = (s: string | undefined) => decodeURIComponent(s ?? '');
    assert.equal(decode(d.UserDetailList!.find((u) => u.UserName === 'alice')!.UserPolicyList![0]!.PolicyDocument), ALICE_INLINE);
    assert.equal(decode(d.GroupDetailList!.find((g) => g.GroupName === 'devs')!.GroupPolicyList![0]!.PolicyDocument), DEVS_INLINE);
    const app = d.RoleDetailList!.find((r) => r.RoleName === 'app')!;
    assert.equal(decode(app.RolePolicyList![0]!.PolicyDocument), APP_INLINE);
    assert.equal(decode(app.AssumeRolePolicyDocument), TRUST);
    assert.equal(decode(app.InstanceProfileList![0]!.Roles![0]!.AssumeRolePolicyDocument), TRUST);
    assert.equal(decode(d.Policies!.find((p) => p.Arn === unused)!.PolicyVersionList![0]!.Document), allow('sns:Publish'));
  });

  test('each Filter keeps its kind only; the other lists come back empty', async () => {
    const only = async (f: EntityType) => {
      const d = await details([f]);
      return [d.UserDetailList?.length, d.GroupDetailList?.length, d.RoleDetailList?.length, d.Policies?.map((p) => p.PolicyName)];
    };
    assert.deepEqual(await only('User'), [2, 0, 0, []]);
    assert.deepEqual(await only('Group'), [0, 2, 0, []]);
    assert.deepEqual(await only('Role'), [0, 0, 2, []]);
    assert.deepEqual(await only('LocalManagedPolicy'), [0, 0, 0, ['Shared', 'Unused']]);
    assert.deepEqual(await only('AWSManagedPolicy'), [0, 0, 0, ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess']]);
    const both = await details(['Role', 'User']);
    assert.deepEqual([both.UserDetailList?.length, both.GroupDetailList?.length, both.RoleDetailList?.length, both.Policies?.length], [2, 0, 2, 0]);
    await rejects(details(['Nothing' as EntityType]), 'ValidationError');
  });

  test('MaxItems and Marker page across the four lists', async () => {
    const whole = await allPages();
    assert.equal(whole.pages, 1);
    const paged = await allPages(undefined, 2);
    assert.equal(paged.pages, Math.ceil((2 + 2 + 2 + 5) / 2));
    assert.deepEqual(paged.users.map((u) => u.UserName), whole.users.map((u) => u.UserName));
    assert.deepEqual(paged.groups.map((g) => g.GroupName), whole.groups.map((g) => g.GroupName));
    assert.deepEqual(paged.roles.map((r) => r.RoleName), whole.roles.map((r) => r.RoleName));
    assert.deepEqual(paged.policies.map((p) => p.Arn), whole.policies.map((p) => p.Arn));
    const first = await details(undefined, 3);
    assert.equal(first.IsTruncated, true);
    assert.deepEqual([first.UserDetailList?.length, first.GroupDetailList?.length], [2, 1]);
    await rejects(details(undefined, undefined, 'garbage'), 'InvalidInput');
  });

  test('a caller needs iam:GetAccountAuthorizationDetails', async () => {
    const reader = (await gh.user('reader')).iam;
    await rejects(
      reader.send(new GetAccountAuthorizationDetailsCommand({})),
      'AccessDenied',
      `User: arn:aws:iam::${account}:user/reader is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
    );
    await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'Snapshot', PolicyDocument: allow('iam:GetAccountAuthorizationDetails') }));
    const d = await reader.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    assert.ok(d.UserDetailList?.some((u) => u.UserName === 'reader'));
  });
});
