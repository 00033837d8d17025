// IAM managed policy operations through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  PutRolePermissionsBoundaryCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, policyOfSize, rejects } from './policy-support.ts';

describe('IAM managed policies', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const arnOf = (name: string, path = '/') => `arn:aws:iam::${gh.accountId}:policy${path}${name}`;
  const createPolicy = (PolicyName: string, extra: Partial<ConstructorParameters<typeof CreatePolicyCommand>[0]> = {}) =>
    iam.send(new CreatePolicyCommand({ PolicyName, PolicyDocument: allow('s3:GetObject'), ...extra }));

  describe('CreatePolicy and GetPolicy', () => {
    test('creates version v1 as the default, with path, description and tags', async () => {
      const { Policy } = await createPolicy('read', { Path: '/team/', Description: 'reads', Tags: [{ Key: 'k', Value: 'v' }] });
      assert.equal(Policy?.Arn, arnOf('read', '/team/'));
      assert.match(Policy?.PolicyId ?? '', /^ANPA[A-Z2-7]{17}$/);
      assert.equal(Policy?.DefaultVersionId, 'v1');
      assert.equal(Policy?.AttachmentCount, 0);
      assert.equal(Policy?.PermissionsBoundaryUsageCount, 0);
      assert.equal(Policy?.IsAttachable, true);
      // AWS's CreatePolicy answer has no Description; it echoes the tags.
      assert.equal(Policy?.Description, undefined);
      assert.deepEqual(Policy?.Tags, [{ Key: 'k', Value: 'v' }]);

      const got = (await iam.send(new GetPolicyCommand({ PolicyArn: Policy?.Arn }))).Policy;
      assert.equal(got?.PolicyName, 'read');
      assert.equal(got?.Path, '/team/');
      assert.equal(got?.Description, 'reads');
      assert.deepEqual(got?.Tags, [{ Key: 'k', Value: 'v' }]);
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy?.Arn, VersionId: 'v1' }))).PolicyVersion;
      assert.equal(decodeURIComponent(version?.Document ?? ''), allow('s3:GetObject'));
      assert.equal(version?.IsDefaultVersion, true);
    });

    test('documents are validated; names are unique in the account', async () => {
      await rejects(
        createPolicy('bad', { PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }) }),
        'MalformedPolicyDocument',
        'Policy statement must contain resources.',
      );
      await rejects(iam.send(new GetPolicyCommand({ PolicyArn: arnOf('bad') })), 'NoSuchEntity', `Policy ${arnOf('bad')} was not found.`);
      await createPolicy('one');
      // GetPolicy always answers Tags, empty when there are none.
      assert.deepEqual((await iam.send(new GetPolicyCommand({ PolicyArn: arnOf('one') }))).Policy?.Tags, []);
      await rejects(createPolicy('ONE', { Path: '/other/' }), 'EntityAlreadyExists', 'A policy called ONE already exists. Duplicate names are not allowed.');
    });

    test('a managed policy holds 6,144 characters, white space not counted', async () => {
      const fits = policyOfSize(6144);
      await createPolicy('big', { PolicyDocument: fits.replace(/,/g, ',\n    ') });
      await rejects(createPolicy('too-big', { PolicyDocument: policyOfSize(6145) }), 'LimitExceeded', 'Cannot exceed quota for PolicySize: 6144');
    });

    test('GetPolicy knows AWS managed policies and counts their use in this account', async () => {
      const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      let got = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
      assert.equal(got?.PolicyName, 'ReadOnlyAccess');
      assert.equal(got?.Path, '/');
      assert.match(got?.DefaultVersionId ?? '', /^v\d+$/);
      assert.equal(got?.AttachmentCount, 0);
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arn }));
      await iam.send(new CreateUserCommand({ UserName: 'u', PermissionsBoundary: arn }));
      got = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
      assert.equal(got?.AttachmentCount, 1);
      assert.equal(got?.PermissionsBoundaryUsageCount, 1);
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: got?.DefaultVersionId }))).PolicyVersion;
      assert.ok(JSON.parse(decodeURIComponent(version?.Document ?? '')).Statement);
      await rejects(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchThing' })), 'NoSuchEntity');
    });
  });

  describe('versions', () => {
    test('up to five versions; SetAsDefault and SetDefaultPolicyVersion move the default', async () => {
      const arn = (await createPolicy('p')).Policy!.Arn!;
      const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:PutObject') }))).PolicyVersion;
      assert.equal(v2?.VersionId, 'v2');
      assert.equal(v2?.IsDefaultVersion, false);
      const v3 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:ListBucket'), SetAsDefault: true })))
        .PolicyVersion;
      assert.equal(v3?.IsDefaultVersion, true);
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v3');
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:A') }));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:B') }));
      await rejects(
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:C') })),
        'LimitExceeded',
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );

      const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      assert.deepEqual(listed.Versions?.map((v) => v.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1']);
      assert.deepEqual(listed.Versions?.map((v) => v.IsDefaultVersion), [false, false, true, false, false]);

      await rejects(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'DeleteConflict', 'Cannot delete the default version of a policy.');
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      await rejects(
        iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })),
        'NoSuchEntity',
        `Policy ${arn} version v1 does not exist or is not attachable.`,
      );
      // Version numbers are never reused.
      const v6 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:D') }))).PolicyVersion;
      assert.equal(v6?.VersionId, 'v6');

      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      const got = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion;
      assert.equal(got?.IsDefaultVersion, true);
      assert.equal(decodeURIComponent(got?.Document ?? ''), allow('s3:PutObject'));
      await rejects(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })), 'NoSuchEntity');
      await rejects(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: '{}' })), 'MalformedPolicyDocument');
    });
  });

  describe('DeletePolicy', () => {
    test('refuses while attached, used as a boundary or with other versions', async () => {
      const arn = (await createPolicy('p')).Policy!.Arn!;
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arn }));
      await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 'Cannot delete a policy attached to entities.');
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: arn }));
      await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: arn }));
      await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 'Cannot delete a policy attached to entities.');

      const other = (await createPolicy('q')).Policy!.Arn!;
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: other, PolicyDocument: allow('s3:X') }));
      await rejects(
        iam.send(new DeletePolicyCommand({ PolicyArn: other })),
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: other, VersionId: 'v2' }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: other }));
      await rejects(iam.send(new GetPolicyCommand({ PolicyArn: other })), 'NoSuchEntity');
      await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: other })), 'NoSuchEntity', `Policy ${other} was not found.`);
    });
  });

  describe('ListPolicies', () => {
    test('Scope, PathPrefix, OnlyAttached and PolicyUsageFilter', async () => {
      await createPolicy('zeta', { Path: '/mine/' });
      const alpha = (await createPolicy('alpha')).Policy!.Arn!;
      const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
      assert.deepEqual(local.Policies?.map((p) => p.PolicyName), ['alpha', 'zeta']);
      assert.equal(local.Policies?.[0]?.Description, undefined);
      const mine = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/mine/' }));
      assert.deepEqual(mine.Policies?.map((p) => p.PolicyName), ['zeta']);

      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: alpha }));
      await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
      const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
      // The bootstrap admin group has AdministratorAccess.
      assert.deepEqual(attached.Policies?.map((p) => p.PolicyName).sort(), ['AdministratorAccess', 'alpha']);
      assert.equal(attached.Policies?.find((p) => p.PolicyName === 'alpha')?.AttachmentCount, 1);
      const boundaries = await iam.send(new ListPoliciesCommand({ PolicyUsageFilter: 'PermissionsBoundary' }));
      assert.deepEqual(boundaries.Policies?.map((p) => p.PolicyName), ['PowerUserAccess']);
      assert.equal(boundaries.Policies?.[0]?.PermissionsBoundaryUsageCount, 1);

      const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/job-function/' }));
      assert.ok((aws.Policies?.length ?? 0) > 3);
      assert.ok(aws.Policies?.every((p) => p.Arn?.startsWith('arn:aws:iam::aws:policy/job-function/')));
    });

    test('pages through the whole library quickly, each policy once', async () => {
      await createPolicy('mine');
      const seen = new Set<string>();
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await iam.send(new ListPoliciesCommand({ Marker: marker, MaxItems: 1000 }));
        for (const p of page.Policies ?? []) {
          assert.ok(!seen.has(p.Arn!), `listed twice: ${p.Arn}`);
          seen.add(p.Arn!);
        }
        marker = page.IsTruncated ? page.Marker : undefined;
        pages++;
      } while (marker !== undefined);
      assert.ok(seen.size > 1000, `only ${seen.size} policies`);
      assert.ok(seen.has(arnOf('mine')));
      assert.ok(seen.has('arn:aws:iam::aws:policy/AdministratorAccess'));
      assert.ok(pages >= 2);
      // The default page is 100.
      const first = await iam.send(new ListPoliciesCommand({}));
      assert.equal(first.Policies?.length, 100);
      assert.equal(first.IsTruncated, true);
    });
  });

  describe('ListEntitiesForPolicy', () => {
    test('lists the groups, users and roles using a policy, filtered by kind, path and usage', async () => {
      const arn = (await createPolicy('p')).Policy!.Arn!;
      await iam.send(new CreateRoleCommand({ RoleName: 'r', Path: '/svc/', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new CreateUserCommand({ UserName: 'u' }));
      await iam.send(new CreateUserCommand({ UserName: 'b', PermissionsBoundary: arn }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arn }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: arn }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Administrators', PolicyArn: arn }));

      const all = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      assert.deepEqual(all.PolicyGroups?.map((g) => g.GroupName), ['Administrators']);
      assert.deepEqual(all.PolicyUsers?.map((u) => u.UserName), ['b', 'u']);
      assert.deepEqual(all.PolicyRoles?.map((r) => r.RoleName), ['r']);
      assert.match(all.PolicyRoles?.[0]?.RoleId ?? '', /^AROA/);

      const roles = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Role' }));
      assert.deepEqual([roles.PolicyGroups, roles.PolicyUsers, roles.PolicyRoles?.map((r) => r.RoleName)], [[], [], ['r']]);
      const svc = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PathPrefix: '/svc/' }));
      assert.deepEqual(svc.PolicyRoles?.map((r) => r.RoleName), ['r']);
      assert.deepEqual(svc.PolicyUsers, []);
      const asBoundary = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }));
      assert.deepEqual(asBoundary.PolicyUsers?.map((u) => u.UserName), ['b']);
      assert.deepEqual(asBoundary.PolicyRoles, []);
      const asPolicy = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsPolicy' }));
      assert.deepEqual(asPolicy.PolicyUsers?.map((u) => u.UserName), ['u']);

      const paged = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2 }));
      assert.equal(paged.IsTruncated, true);
      const rest = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2, Marker: paged.Marker }));
      assert.equal(rest.IsTruncated, false);
      assert.equal((paged.PolicyUsers?.length ?? 0) + (rest.PolicyUsers?.length ?? 0), 2);

      await rejects(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arnOf('ghost') })), 'NoSuchEntity');
    });
  });

  describe('tags', () => {
    test('TagPolicy, UntagPolicy, ListPolicyTags', async () => {
      const arn = (await createPolicy('p')).Policy!.Arn!;
      await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
      await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['b'] }));
      const tags = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }));
      assert.deepEqual(tags.Tags, [{ Key: 'a', Value: '1' }]);
      await rejects(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'aws:x', Value: '' }] })), 'InvalidInput');
      await rejects(iam.send(new TagPolicyCommand({ PolicyArn: arnOf('ghost'), Tags: [{ Key: 'a', Value: '' }] })), 'NoSuchEntity');
    });
  });
});
