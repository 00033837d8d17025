// Inline policies of users, groups and roles through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, policyOfSize, rejects } from './policy-support.ts';

describe('IAM inline policies', () => {
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
      entity: 'u',
      quota: 2048,
      put: (PolicyName: string, PolicyDocument: string, name = 'u') => iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName, PolicyDocument })),
      get: async (PolicyName: string, name = 'u') => {
        const out = await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName }));
        return { entity: out.UserName, name: out.PolicyName, document: out.PolicyDocument };
      },
      del: (PolicyName: string, name = 'u') => iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName })),
      list: (extra: { MaxItems?: number; Marker?: string } = {}, name = 'u') => iam.send(new ListUserPoliciesCommand({ UserName: name, ...extra })),
    },
    {
      kind: 'group',
      entity: 'g',
      quota: 5120,
      put: (PolicyName: string, PolicyDocument: string, name = 'g') => iam.send(new PutGroupPolicyCommand({ GroupName: name, PolicyName, PolicyDocument })),
      get: async (PolicyName: string, name = 'g') => {
        const out = await iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName }));
        return { entity: out.GroupName, name: out.PolicyName, document: out.PolicyDocument };
      },
      del: (PolicyName: string, name = 'g') => iam.send(new DeleteGroupPolicyCommand({ GroupName: name, PolicyName })),
      list: (extra: { MaxItems?: number; Marker?: string } = {}, name = 'g') => iam.send(new ListGroupPoliciesCommand({ GroupName: name, ...extra })),
    },
    {
      kind: 'role',
      entity: 'r',
      quota: 10240,
      put: (PolicyName: string, PolicyDocument: string, name = 'r') => iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument })),
      get: async (PolicyName: string, name = 'r') => {
        const out = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName }));
        return { entity: out.RoleName, name: out.PolicyName, document: out.PolicyDocument };
      },
      del: (PolicyName: string, name = 'r') => iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName })),
      list: (extra: { MaxItems?: number; Marker?: string } = {}, name = 'r') => iam.send(new ListRolePoliciesCommand({ RoleName: name, ...extra })),
    },
  ] as const;

  for (const k of kinds) {
    describe(k.kind, () => {
      test('put, replace, get, list and delete', async () => {
        await k.put('b', allow('s3:GetObject'));
        await k.put('a', allow('s3:PutObject'));
        await k.put('b', allow('s3:ListBucket'));
        const got = await k.get('b');
        assert.deepEqual({ ...got, document: decodeURIComponent(got.document ?? '') }, { entity: k.entity, name: 'b', document: allow('s3:ListBucket') });
        const listed = await k.list();
        assert.deepEqual(listed.PolicyNames, ['a', 'b']);
        assert.equal(listed.IsTruncated, false);
        const p1 = await k.list({ MaxItems: 1 });
        assert.deepEqual([p1.PolicyNames, p1.IsTruncated], [['a'], true]);
        const p2 = await k.list({ MaxItems: 1, Marker: p1.Marker });
        assert.deepEqual([p2.PolicyNames, p2.IsTruncated], [['b'], false]);

        await k.del('a');
        assert.deepEqual((await k.list()).PolicyNames, ['b']);
        await rejects(k.get('a'), 'NoSuchEntity', `The ${k.kind} policy with name a cannot be found.`);
        await rejects(k.del('a'), 'NoSuchEntity', `The ${k.kind} policy with name a cannot be found.`);
      });

      test('documents are validated as identity policies', async () => {
        await rejects(k.put('p', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] })), 'MalformedPolicyDocument', 'Policy statement must contain resources.');
        await rejects(k.put('p', 'not json'), 'MalformedPolicyDocument');
        assert.deepEqual((await k.list()).PolicyNames, []);
        await rejects(k.put('p', allow('s3:*'), 'ghost'), 'NoSuchEntity', `The ${k.kind} with name ghost cannot be found.`);
      });

      test(`the inline policies share ${k.quota} characters, white space not counted`, async () => {
        const half = Math.floor(k.quota / 2);
        await k.put('one', policyOfSize(half).replace(/,/g, ',   \n'));
        await k.put('two', policyOfSize(k.quota - half));
        const message = `Maximum policy size of ${k.quota} bytes exceeded for ${k.kind} ${k.entity}`;
        await rejects(k.put('three', allow('s3:GetObject')), 'LimitExceeded', message);
        // Replacing a policy counts its new size, not the old one.
        await rejects(k.put('two', policyOfSize(k.quota - half + 1)), 'LimitExceeded', message);
        await k.put('two', policyOfSize(k.quota - half - 10));
        assert.deepEqual((await k.list()).PolicyNames, ['one', 'two']);
      });
    });
  }
});
