// Managed policy attachments to users, groups and roles through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

describe('IAM managed policy attachments', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(async () => {
    await gh.reset();
    await iam.send(new CreateUserCommand({ UserName: 'u' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'g' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST }));
  });

  const kinds = [
    {
      kind: 'user',
      attach: (PolicyArn: string, name = 'u') => iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn })),
      detach: (PolicyArn: string, name = 'u') => iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn })),
      list: (extra: { PathPrefix?: string; MaxItems?: number; Marker?: string } = {}, name = 'u') =>
        iam.send(new ListAttachedUserPoliciesCommand({ UserName: name, ...extra })),
      quota: 'PoliciesPerUser',
      missing: 'The user with name ghost cannot be found.',
    },
    {
      kind: 'group',
      attach: (PolicyArn: string, name = 'g') => iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn })),
      detach: (PolicyArn: string, name = 'g') => iam.send(new DetachGroupPolicyCommand({ GroupName: name, PolicyArn })),
      list: (extra: { PathPrefix?: string; MaxItems?: number; Marker?: string } = {}, name = 'g') =>
        iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: name, ...extra })),
      quota: 'PoliciesPerGroup',
      missing: 'The group with name ghost cannot be found.',
    },
    {
      kind: 'role',
      attach: (PolicyArn: string, name = 'r') => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn })),
      detach: (PolicyArn: string, name = 'r') => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn })),
      list: (extra: { PathPrefix?: string; MaxItems?: number; Marker?: string } = {}, name = 'r') =>
        iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, ...extra })),
      quota: 'PoliciesPerRole',
      missing: 'The role with name ghost cannot be found.',
    },
  ] as const;

  for (const k of kinds) {
    describe(k.kind, () => {
      test('attach AWS managed and own policies, list them, detach them', async () => {
        const own = (await iam.send(new CreatePolicyCommand({ PolicyName: 'own', Path: '/team/', PolicyDocument: allow('s3:GetObject') }))).Policy!.Arn!;
        await k.attach(READ_ONLY);
        await k.attach(own);
        await k.attach(own); // again: no change
        let listed = await k.list();
        assert.deepEqual(listed.AttachedPolicies, [
          { PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY },
          { PolicyName: 'own', PolicyArn: own },
        ]);
        assert.equal(listed.IsTruncated, false);
        assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: own }))).Policy?.AttachmentCount, 1);

        const team = await k.list({ PathPrefix: '/team/' });
        assert.deepEqual(team.AttachedPolicies?.map((p) => p.PolicyName), ['own']);
        const p1 = await k.list({ MaxItems: 1 });
        assert.equal(p1.IsTruncated, true);
        const p2 = await k.list({ MaxItems: 1, Marker: p1.Marker });
        assert.deepEqual(p2.AttachedPolicies?.map((p) => p.PolicyName), ['own']);

        await k.detach(own);
        listed = await k.list();
        assert.deepEqual(listed.AttachedPolicies?.map((p) => p.PolicyName), ['ReadOnlyAccess']);
        assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: own }))).Policy?.AttachmentCount, 0);
      });

      test('errors: unknown principal, unknown policy, detaching what is not attached', async () => {
        await rejects(k.attach(READ_ONLY, 'ghost'), 'NoSuchEntity', k.missing);
        await rejects(k.list({}, 'ghost'), 'NoSuchEntity', k.missing);
        const missing = `arn:aws:iam::${gh.accountId}:policy/nope`;
        await rejects(k.attach(missing), 'NoSuchEntity', `Policy ${missing} does not exist or is not attachable.`);
        await rejects(k.attach('arn:aws:iam::aws:policy/NotAPolicy'), 'NoSuchEntity');
        await rejects(k.detach(READ_ONLY), 'NoSuchEntity', `Policy ${READ_ONLY} was not found.`);
        await rejects(
          k.attach('arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy'),
          'PolicyNotAttachable',
          'Cannot attach a Service Role Policy to a Customer Role.',
        );
        assert.deepEqual((await k.list()).AttachedPolicies, []);
      });

      test('an ARN that cannot be parsed is a ValidationError, not a lookup', async () => {
        const unparsable = 'this-is-not-an-arn-at-all';
        await rejects(k.attach(unparsable), 'ValidationError', 'Invalid ARN:  Could not be parsed!');
        const status = await k.attach(unparsable).catch((e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
        assert.equal(status, 400);
        assert.deepEqual((await k.list()).AttachedPolicies, []);
      });

      test('at most 10 managed policies', async () => {
        for (let i = 0; i < 10; i++) {
          const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: allow('s3:GetObject') }))).Policy!.Arn!;
          await k.attach(arn);
        }
        await rejects(k.attach(READ_ONLY), 'LimitExceeded', `Cannot exceed quota for ${k.quota}: 10`);
        const listed = await k.list();
        assert.equal(listed.AttachedPolicies?.length, 10);
        assert.ok(!listed.AttachedPolicies?.some((p) => p.PolicyArn === READ_ONLY));
      });
    });
  }
});
