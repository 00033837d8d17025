// IAM role and service-linked role operations through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

describe('IAM roles', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const createRole = (RoleName: string, extra: Partial<ConstructorParameters<typeof CreateRoleCommand>[0]> = {}) =>
    iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: EC2_TRUST, ...extra }));

  describe('CreateRole and GetRole', () => {
    test('creates a role with its path, description, session duration and tags', async () => {
      const { Role } = await createRole('app', {
        Path: '/team/',
        Description: 'the app',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'env', Value: 'prod' }],
      });
      assert.equal(Role?.RoleName, 'app');
      assert.equal(Role?.Path, '/team/');
      assert.equal(Role?.Arn, `arn:aws:iam::${gh.accountId}:role/team/app`);
      assert.match(Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
      // AWS's CreateRole answer leaves MaxSessionDuration out; GetRole has it.
      assert.equal(Role?.MaxSessionDuration, undefined);
      assert.deepEqual(Role?.Tags, [{ Key: 'env', Value: 'prod' }]);
      // The SDK decodes the URL-encoded document it receives.
      assert.equal(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''), EC2_TRUST);

      const got = (await iam.send(new GetRoleCommand({ RoleName: 'APP' }))).Role;
      assert.equal(got?.RoleName, 'app');
      assert.equal(got?.Description, 'the app');
      assert.equal(got?.MaxSessionDuration, 7200);
      assert.deepEqual(got?.Tags, [{ Key: 'env', Value: 'prod' }]);
      assert.deepEqual(got?.RoleLastUsed, {});
      assert.equal(got?.CreateDate?.getTime(), Role?.CreateDate?.getTime());
    });

    test('defaults: path /, one hour sessions', async () => {
      const { Role } = await createRole('plain');
      assert.equal(Role?.Path, '/');
      assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'plain' }))).Role?.MaxSessionDuration, 3600);
      assert.equal(Role?.Arn, `arn:aws:iam::${gh.accountId}:role/plain`);
    });

    test('a duplicate name (any case) is EntityAlreadyExists', async () => {
      await createRole('dup');
      await rejects(createRole('DUP'), 'EntityAlreadyExists', 'Role with name DUP already exists.');
    });

    test('the trust policy is validated as one', async () => {
      const noPrincipal = allow('sts:AssumeRole');
      await rejects(
        createRole('bad', { AssumeRolePolicyDocument: noPrincipal }),
        'MalformedPolicyDocument',
        'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
      );
      await rejects(createRole('bad', { AssumeRolePolicyDocument: '{nope' }), 'MalformedPolicyDocument', 'This policy contains invalid Json');
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'bad' })), 'NoSuchEntity', 'The role with name bad cannot be found.');
    });

    test('MaxSessionDuration must be 3600–43200', async () => {
      await rejects(createRole('short', { MaxSessionDuration: 3599 }), 'ValidationError', /maxSessionDuration/);
      await rejects(createRole('long', { MaxSessionDuration: 43201 }), 'ValidationError', /maxSessionDuration/);
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'short' })), 'NoSuchEntity');
      await createRole('max', { MaxSessionDuration: 43200 });
      assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'max' }))).Role?.MaxSessionDuration, 43200);
    });

    test('a permissions boundary must exist, and GetRole shows it', async () => {
      const missing = `arn:aws:iam::${gh.accountId}:policy/nope`;
      await rejects(
        createRole('bounded', { PermissionsBoundary: missing }),
        'NoSuchEntity',
        `Scope ARN: ${missing} does not exist or is not attachable.`,
      );
      const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
      const { Role } = await createRole('bounded', { PermissionsBoundary: boundary });
      assert.deepEqual(Role?.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary });
      const got = (await iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role;
      assert.equal(got?.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
    });

    test('tags are checked: reserved prefix and duplicate keys', async () => {
      await rejects(createRole('t', { Tags: [{ Key: 'aws:x', Value: '1' }] }), 'InvalidInput');
      await rejects(createRole('t', { Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }), 'InvalidInput');
      await rejects(iam.send(new GetRoleCommand({ RoleName: 't' })), 'NoSuchEntity');
    });
  });

  describe('UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy', () => {
    test('UpdateRole changes the description and the session duration', async () => {
      await createRole('r');
      await iam.send(new UpdateRoleCommand({ RoleName: 'r', Description: 'new', MaxSessionDuration: 10800 }));
      const got = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role;
      assert.equal(got?.Description, 'new');
      assert.equal(got?.MaxSessionDuration, 10800);
      await rejects(iam.send(new UpdateRoleCommand({ RoleName: 'ghost', Description: 'x' })), 'NoSuchEntity', 'The role with name ghost cannot be found.');
    });

    test('UpdateRoleDescription answers the role', async () => {
      await createRole('r');
      const { Role } = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'r', Description: 'described' }));
      assert.equal(Role?.Description, 'described');
      assert.equal(Role?.RoleName, 'r');
    });

    test('UpdateAssumeRolePolicy validates and replaces the trust policy', async () => {
      await createRole('r');
      const lambdaTrust = EC2_TRUST.replace('ec2', 'lambda');
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: lambdaTrust }));
      let got = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role;
      assert.equal(decodeURIComponent(got?.AssumeRolePolicyDocument ?? ''), lambdaTrust);
      await rejects(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: allow('s3:*') })), 'MalformedPolicyDocument');
      got = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role;
      assert.equal(decodeURIComponent(got?.AssumeRolePolicyDocument ?? ''), lambdaTrust);
    });
  });

  describe('DeleteRole', () => {
    test('deletes a role with nothing attached', async () => {
      await createRole('gone');
      await iam.send(new DeleteRoleCommand({ RoleName: 'gone' }));
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'gone' })), 'NoSuchEntity');
      await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'gone' })), 'NoSuchEntity', 'The role with name gone cannot be found.');
    });

    test('refuses while the role is in an instance profile, has managed or inline policies', async () => {
      await createRole('busy');
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'prof' }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'prof', RoleName: 'busy' }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'busy', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'busy', PolicyName: 'inline', PolicyDocument: allow('s3:*') }));

      await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'busy' })), 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'prof', RoleName: 'busy' }));
      await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'busy' })), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'busy', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'busy' })), 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'busy', PolicyName: 'inline' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'busy' }));
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'busy' })), 'NoSuchEntity');
    });
  });

  describe('ListRoles', () => {
    test('filters by path prefix and pages in name order', async () => {
      for (const n of ['b', 'a', 'C', 'd']) await createRole(n, { Path: n === 'd' ? '/other/' : '/team/' });
      const all = await iam.send(new ListRolesCommand({}));
      assert.deepEqual(all.Roles?.map((r) => r.RoleName), ['a', 'b', 'C', 'd']);
      assert.equal(all.IsTruncated, false);
      assert.equal(all.Marker, undefined);
      // Listings leave out tags and RoleLastUsed.
      assert.equal(all.Roles?.[0]?.Tags, undefined);

      const team = await iam.send(new ListRolesCommand({ PathPrefix: '/team/' }));
      assert.deepEqual(team.Roles?.map((r) => r.RoleName), ['a', 'b', 'C']);

      const p1 = await iam.send(new ListRolesCommand({ MaxItems: 3 }));
      assert.deepEqual(p1.Roles?.map((r) => r.RoleName), ['a', 'b', 'C']);
      assert.equal(p1.IsTruncated, true);
      assert.ok(p1.Marker);
      const p2 = await iam.send(new ListRolesCommand({ MaxItems: 3, Marker: p1.Marker }));
      assert.deepEqual(p2.Roles?.map((r) => r.RoleName), ['d']);
      assert.equal(p2.IsTruncated, false);
    });
  });

  describe('tags', () => {
    test('TagRole adds and replaces, UntagRole removes, ListRoleTags pages', async () => {
      await createRole('r', { Tags: [{ Key: 'a', Value: '1' }] });
      await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'A', Value: '2' }, { Key: 'b', Value: '3' }] }));
      let tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }));
      assert.deepEqual(tags.Tags, [{ Key: 'A', Value: '2' }, { Key: 'b', Value: '3' }]);
      const page = await iam.send(new ListRoleTagsCommand({ RoleName: 'r', MaxItems: 1 }));
      assert.equal(page.IsTruncated, true);
      assert.deepEqual(page.Tags, [{ Key: 'A', Value: '2' }]);
      await iam.send(new UntagRoleCommand({ RoleName: 'r', TagKeys: ['a'] }));
      tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }));
      assert.deepEqual(tags.Tags, [{ Key: 'b', Value: '3' }]);
      await rejects(iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'aws:no', Value: '' }] })), 'InvalidInput');
      await rejects(iam.send(new ListRoleTagsCommand({ RoleName: 'ghost' })), 'NoSuchEntity');
    });

    test('more than 50 tags is LimitExceeded and changes nothing', async () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await createRole('r', { Tags: tags });
      await rejects(iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'one-more', Value: 'v' }] })), 'LimitExceeded');
      assert.equal((await iam.send(new ListRoleTagsCommand({ RoleName: 'r', MaxItems: 100 }))).Tags?.length, 50);
    });
  });

  describe('service-linked roles', () => {
    test('CreateServiceLinkedRole names the role after the service and trusts only it', async () => {
      const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com', Description: 'EB' }));
      assert.equal(Role?.RoleName, 'AWSServiceRoleForElasticBeanstalk');
      assert.equal(Role?.Path, '/aws-service-role/elasticbeanstalk.amazonaws.com/');
      assert.equal(Role?.Arn, `arn:aws:iam::${gh.accountId}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`);
      assert.equal(Role?.Description, 'EB');
      // AWS writes the one principal and the one action as plain strings.
      assert.deepEqual(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')), {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'elasticbeanstalk.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
      assert.equal(Role?.MaxSessionDuration, undefined);
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForElasticBeanstalk' }));
      assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['AWSElasticBeanstalkServiceRolePolicy']);

      await rejects(
        iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' })),
        'InvalidInput',
        'Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix.',
      );
    });

    test('a custom suffix makes a second role; services that refuse suffixes say so', async () => {
      const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'web' }));
      assert.equal(Role?.RoleName, 'AWSServiceRoleForAutoScaling_web');
      await rejects(
        iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'es.amazonaws.com', CustomSuffix: 'x' })),
        'InvalidInput',
        'Custom suffix is not allowed for es.amazonaws.com',
      );
      // Most services take one role only; ECS is one of them.
      await rejects(
        iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com', CustomSuffix: 'x' })),
        'InvalidInput',
        'Custom suffix is not allowed for ecs.amazonaws.com',
      );
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS_x' })), 'NoSuchEntity');
    });

    test("roles are named and given policies from AWS's table of services", async () => {
      const cases = [
        ['accountdiscovery.ssm.amazonaws.com', 'AWSServiceRoleForAmazonSSM_AccountDiscovery', 'AWSSystemsManagerAccountDiscoveryServicePolicy'],
        ['custom-resource.application-autoscaling.amazonaws.com', 'AWSServiceRoleForApplicationAutoScaling_CustomResource', 'AWSApplicationAutoScalingCustomResourcePolicy'],
        ['cloud9.amazonaws.com', 'AWSServiceRoleForAWSCloud9', 'AWSCloud9ServiceRolePolicy'],
        ['eks-nodegroup.amazonaws.com', 'AWSServiceRoleForAmazonEKSNodegroup', 'AWSServiceRoleForAmazonEKSNodegroup'],
      ] as const;
      for (const [service, roleName, policyName] of cases) {
        const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service }));
        assert.equal(Role?.RoleName, roleName);
        assert.equal(Role?.Path, `/aws-service-role/${service}/`);
        const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
        assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: policyName, PolicyArn: `arn:aws:iam::aws:policy/aws-service-role/${policyName}` }]);
      }
    });

    test('a service not in the table gets a role named after its first label, no policy, and may take a suffix', async () => {
      const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'made-up.amazonaws.com' }));
      assert.equal(Role?.RoleName, 'AWSServiceRoleForMadeUp');
      assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForMadeUp' }))).AttachedPolicies, []);
      const second = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'made-up.amazonaws.com', CustomSuffix: 'two' }));
      assert.equal(second.Role?.RoleName, 'AWSServiceRoleForMadeUp_two');
    });

    test('only AWS may modify a service-linked role', async () => {
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
      const name = 'AWSServiceRoleForAutoScaling';
      const message = `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;
      await rejects(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: EC2_TRUST })), 'UnmodifiableEntity', message);
      await rejects(iam.send(new DeleteRoleCommand({ RoleName: name })), 'UnmodifiableEntity', message);
      await rejects(iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: allow('s3:*') })), 'UnmodifiableEntity', message);
      await rejects(iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })), 'UnmodifiableEntity', message);
      await rejects(
        iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy' })),
        'UnmodifiableEntity',
        message,
      );
      // Its description may change.
      const { Role } = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: name, Description: 'mine' }));
      assert.equal(Role?.Description, 'mine');
      // An ordinary role cannot be put where service-linked roles live.
      await rejects(createRole('sneaky', { Path: '/aws-service-role/x/' }), 'InvalidInput');
    });

    test('DeleteServiceLinkedRole deletes at once and reports SUCCEEDED', async () => {
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
      const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }));
      assert.match(DeletionTaskId ?? '', /^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling\/[0-9a-f-]{36}$/);
      await rejects(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })), 'NoSuchEntity');
      const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
      assert.equal(status.Status, 'SUCCEEDED');

      await rejects(
        iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: 'task/aws-service-role/a.amazonaws.com/R/00000000-0000-4000-8000-000000000000' })),
        'NoSuchEntity',
      );
      await rejects(iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: 'nonsense' })), 'InvalidInput');
      await rejects(iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })), 'NoSuchEntity');
    });

    test('DeleteServiceLinkedRole refuses an ordinary role', async () => {
      await createRole('mine');
      await rejects(iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'mine' })), 'InvalidInput');
      assert.ok((await iam.send(new GetRoleCommand({ RoleName: 'mine' }))).Role);
    });
  });

  test('a customer policy attached to a role counts against its quota of 10', async () => {
    await createRole('full');
    for (let i = 0; i < 10; i++) {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: allow('s3:GetObject') }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'full', PolicyArn: Policy?.Arn }));
    }
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'full', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      'LimitExceeded',
      'Cannot exceed quota for PoliciesPerRole: 10',
    );
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'full' }));
    assert.equal(attached.AttachedPolicies?.length, 10);
  });
});
