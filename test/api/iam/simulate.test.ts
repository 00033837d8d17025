// The IAM policy simulator through the real SDK against a real server: SimulatePrincipalPolicy,
// SimulateCustomPolicy, GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  PutGroupPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
  type IAMClient,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

// Pretty-printed as most tools write policies: statement positions are counted in this text.
const DEV_READ = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' },
      { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data' },
    ],
  },
  null,
  2,
);
// One line, Statement a single object: AWS's own example form.
const NO_DELETE = '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}}';
const FROM_CORP = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
  ],
});
const BOUNDARY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'ec2:DescribeInstances'], Resource: '*' }],
});

describe('IAM policy simulator', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  let arn: (kind: string, name: string) => string;
  let alice: string;
  let bob: string;

  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
    arn = (kind, name) => `arn:aws:iam::${gh.accountId}:${kind}/${name}`;
    alice = arn('user', 'eng/alice');
    bob = arn('user', 'bob');
    await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'DevRead', PolicyDocument: DEV_READ }));
    const ec2 = await iam.send(new CreatePolicyCommand({ PolicyName: 'EC2Read', PolicyDocument: allow('ec2:Describe*') }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: ec2.Policy!.Arn }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'NoDelete', PolicyDocument: NO_DELETE }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'FromCorp', PolicyDocument: FROM_CORP }));
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: BOUNDARY }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: boundary.Policy!.Arn }));
  });
  after(() => gh.close());

  const simulate = async (input: Omit<SimulatePrincipalPolicyCommandInput, 'PolicySourceArn'> & { PolicySourceArn?: string }) =>
    (await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: alice, ...input }))).EvaluationResults ?? [];
  const one = async (action: string, input: Partial<SimulatePrincipalPolicyCommandInput> = {}): Promise<EvaluationResult> => {
    const results = await simulate({ ActionNames: [action], ...input });
    assert.equal(results.length, 1);
    return results[0]!;
  };

  describe('SimulatePrincipalPolicy', () => {
    test('allowed by a group inline policy, with the statement and its place in the document', async () => {
      const r = await one('s3:ListBucket', { ResourceArns: ['arn:aws:s3:::data'] });
      assert.equal(r.EvalActionName, 's3:ListBucket');
      assert.equal(r.EvalResourceName, 'arn:aws:s3:::data');
      assert.equal(r.EvalDecision, 'allowed');
      const fromGroup = r.MatchedStatements?.find((m) => m.SourcePolicyId === 'DevRead');
      // The second statement of a pretty-printed array: it starts where the first one ended.
      assert.deepEqual(fromGroup, {
        SourcePolicyId: 'DevRead',
        SourcePolicyType: 'IAM Policy',
        StartPosition: { Line: 9, Column: 6 },
        EndPosition: { Line: 15, Column: 6 },
      });
      // The boundary's allowing statement decided too.
      assert.deepEqual(
        r.MatchedStatements?.find((m) => m.SourcePolicyId === 'Boundary'),
        { SourcePolicyId: 'Boundary', SourcePolicyType: 'Permissions Boundary Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: BOUNDARY.length - 1 } },
      );
      assert.deepEqual(r.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
    });

    test('the first statement of an array starts after the [', async () => {
      const r = await one('s3:GetObject', { ResourceArns: ['arn:aws:s3:::data/report.csv'] });
      assert.equal(r.EvalDecision, 'allowed');
      const m = r.MatchedStatements?.find((s) => s.SourcePolicyId === 'DevRead');
      assert.deepEqual(m?.StartPosition, { Line: 3, Column: 17 });
      assert.deepEqual(m?.EndPosition, { Line: 9, Column: 6 });
    });

    test('an explicit deny lists only the denying statement', async () => {
      const r = await one('s3:DeleteObject', { ResourceArns: ['arn:aws:s3:::data/report.csv'] });
      assert.equal(r.EvalDecision, 'explicitDeny');
      // Statement as a single object on one line: AWS counts from after its `{` to after its `}`.
      assert.deepEqual(r.MatchedStatements, [
        {
          SourcePolicyId: 'NoDelete',
          SourcePolicyType: 'IAM Policy',
          StartPosition: { Line: 1, Column: 38 },
          EndPosition: { Line: 1, Column: NO_DELETE.length },
        },
      ]);
    });

    test('nothing allows: implicitDeny with no statements; * leaves out EvalDecisionDetails', async () => {
      const r = await one('iam:CreateUser');
      assert.equal(r.EvalResourceName, '*');
      assert.equal(r.EvalDecision, 'implicitDeny');
      assert.deepEqual(r.MatchedStatements, []);
      assert.deepEqual(r.MissingContextValues, []);
      assert.equal(r.EvalDecisionDetails, undefined);
      assert.equal(r.ResourceSpecificResults, undefined);
    });

    test('allowed by identity policies but not by the boundary', async () => {
      const limited = await one('ec2:DescribeImages');
      assert.equal(limited.EvalDecision, 'implicitDeny');
      assert.deepEqual(limited.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
      const inside = await one('ec2:DescribeInstances');
      assert.equal(inside.EvalDecision, 'allowed');
      assert.deepEqual(inside.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
      assert.ok(inside.MatchedStatements?.some((m) => m.SourcePolicyId === 'EC2Read' && (m.SourcePolicyType as string) === 'IAM Policy'));
    });

    test('a condition key the request does not supply is reported missing', async () => {
      const r = await one('dynamodb:GetItem');
      assert.equal(r.EvalDecision, 'implicitDeny');
      assert.deepEqual(r.MissingContextValues, ['aws:SourceIp']);
    });

    test('ContextEntries make the condition true (names compared case-insensitively)', async () => {
      const r = await one('dynamodb:GetItem', {
        ContextEntries: [{ ContextKeyName: 'AWS:SourceIP', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }],
      });
      assert.equal(r.EvalDecision, 'allowed');
      assert.deepEqual(r.MissingContextValues, []);
      assert.ok(r.MatchedStatements?.some((m) => m.SourcePolicyId === 'FromCorp'));
      const outside = await one('dynamodb:GetItem', {
        ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['192.0.2.1'], ContextKeyType: 'ip' }],
      });
      assert.equal(outside.EvalDecision, 'implicitDeny');
    });

    test('ResourceArns: one result per action and resource, each with its resource-specific result', async () => {
      const results = await simulate({
        ActionNames: ['s3:GetObject', 's3:DeleteObject'],
        ResourceArns: ['arn:aws:s3:::data/a', 'arn:aws:s3:::other/b'],
      });
      assert.deepEqual(
        results.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]),
        [
          ['s3:GetObject', 'arn:aws:s3:::data/a', 'allowed'],
          ['s3:GetObject', 'arn:aws:s3:::other/b', 'implicitDeny'],
          ['s3:DeleteObject', 'arn:aws:s3:::data/a', 'explicitDeny'],
          ['s3:DeleteObject', 'arn:aws:s3:::other/b', 'explicitDeny'],
        ],
      );
      for (const r of results) {
        assert.equal(r.ResourceSpecificResults?.length, 1);
        const specific = r.ResourceSpecificResults![0]!;
        assert.equal(specific.EvalResourceName, r.EvalResourceName);
        assert.equal(specific.EvalResourceDecision, r.EvalDecision);
        assert.deepEqual(specific.MatchedStatements, r.MatchedStatements);
        assert.deepEqual(specific.PermissionsBoundaryDecisionDetail, r.PermissionsBoundaryDecisionDetail);
        // Present even when no key is missing, as AWS answers it.
        assert.deepEqual(specific.MissingContextValues, []);
        // Same account with a resource ARN: present and empty, as AWS documents.
        assert.deepEqual(r.EvalDecisionDetails, {});
      }
    });

    test('with ResourceArns, missing context keys are reported per resource', async () => {
      const [r] = await simulate({ ActionNames: ['dynamodb:GetItem'], ResourceArns: ['arn:aws:dynamodb:us-east-1:123456789012:table/t'] });
      assert.deepEqual(r!.MissingContextValues, []);
      assert.deepEqual(r!.ResourceSpecificResults?.[0]?.MissingContextValues, ['aws:SourceIp']);
    });

    test('MaxItems and Marker page through the results', async () => {
      const input = { ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], ResourceArns: ['arn:aws:s3:::data/a', 'arn:aws:s3:::data/b'] };
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: alice, ...input, MaxItems: 4, Marker: marker }));
        pages++;
        for (const r of page.EvaluationResults ?? []) seen.push(`${r.EvalActionName} ${r.EvalResourceName}`);
        assert.equal(page.IsTruncated, page.Marker !== undefined);
        marker = page.Marker;
      } while (marker !== undefined);
      assert.equal(pages, 2);
      assert.equal(seen.length, 6);
      assert.equal(new Set(seen).size, 6);
      await rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: alice, ...input, Marker: 'not-a-marker' })), 'InvalidInput');
    });

    test('a group simulates its own policies only; a role its own', async () => {
      const group = await one('s3:DeleteObject', { PolicySourceArn: arn('group', 'devs'), ResourceArns: ['arn:aws:s3:::data/a'] });
      assert.equal(group.EvalDecision, 'implicitDeny'); // alice's deny is not the group's
      const read = await one('s3:GetObject', { PolicySourceArn: arn('group', 'devs'), ResourceArns: ['arn:aws:s3:::data/a'] });
      assert.equal(read.EvalDecision, 'allowed');
      assert.equal(read.PermissionsBoundaryDecisionDetail, undefined);

      await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
      const role = await one('s3:GetObject', { PolicySourceArn: arn('role', 'app'), ResourceArns: ['arn:aws:s3:::any/x'] });
      assert.equal(role.EvalDecision, 'allowed');
      assert.deepEqual(
        role.MatchedStatements?.map((m) => [m.SourcePolicyId, m.SourcePolicyType]),
        [['AmazonS3ReadOnlyAccess', 'IAM Policy']],
      );
    });

    test('PolicyInputList adds policies; PermissionsBoundaryPolicyInputList replaces the boundary', async () => {
      const extra = await one('sqs:SendMessage', { PolicyInputList: [allow('sqs:SendMessage')] });
      // Identity allows now, but alice's boundary does not.
      assert.equal(extra.EvalDecision, 'implicitDeny');
      assert.deepEqual(extra.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
      const both = await one('sqs:SendMessage', {
        PolicyInputList: [allow('sqs:SendMessage')],
        PermissionsBoundaryPolicyInputList: [allow('sqs:*')],
      });
      assert.equal(both.EvalDecision, 'allowed');
      assert.deepEqual(
        both.MatchedStatements?.map((m) => [m.SourcePolicyId, m.SourcePolicyType]),
        [
          ['PolicyInputList.1', 'IAM Policy'],
          ['PermissionsBoundaryPolicyInputList.1', 'Permissions Boundary Policy'],
        ],
      );
      // The replaced boundary no longer allows what the stored one did.
      const s3 = await one('s3:GetObject', { ResourceArns: ['arn:aws:s3:::data/a'], PermissionsBoundaryPolicyInputList: [allow('sqs:*')] });
      assert.equal(s3.EvalDecision, 'implicitDeny');
    });

    test('a resource policy naming the user grants in the same account on its own', async () => {
      const bucketPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: bob }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }],
      });
      const without = await one('s3:GetObject', { PolicySourceArn: bob, ResourceArns: ['arn:aws:s3:::shared/f'] });
      assert.equal(without.EvalDecision, 'implicitDeny');
      const r = await one('s3:GetObject', { PolicySourceArn: bob, ResourceArns: ['arn:aws:s3:::shared/f'], ResourcePolicy: bucketPolicy });
      assert.equal(r.EvalDecision, 'allowed');
      assert.deepEqual(r.MatchedStatements, [
        { SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'Resource Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: bucketPolicy.length - 1 } },
      ]);
      assert.deepEqual(r.EvalDecisionDetails, {});
    });

    test('across accounts both sides must allow, and EvalDecisionDetails says how each decided', async () => {
      const other = '210987654321';
      const bucketPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: alice }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::partner/*' }],
      });
      const input = { ResourceArns: ['arn:aws:s3:::partner/f'], ResourcePolicy: bucketPolicy, ResourceOwner: other };
      const denied = await one('s3:GetObject', input);
      assert.equal(denied.EvalDecision, 'implicitDeny'); // alice's policies allow only arn:aws:s3:::data/*
      assert.deepEqual(denied.EvalDecisionDetails, { 'IAM Policy': 'implicitDeny', PermissionsBoundaryPolicy: 'allowed', ResourcePolicy: 'allowed' });
      const granted = await one('s3:GetObject', { ...input, PolicyInputList: [allow('s3:GetObject', 'arn:aws:s3:::partner/*')] });
      assert.equal(granted.EvalDecision, 'allowed');
      assert.deepEqual(granted.EvalDecisionDetails, { 'IAM Policy': 'allowed', PermissionsBoundaryPolicy: 'allowed', ResourcePolicy: 'allowed' });
      assert.deepEqual(granted.ResourceSpecificResults?.[0]?.EvalDecisionDetails, granted.EvalDecisionDetails);
    });

    test('CallerArn simulates another user with these policies', async () => {
      const bucketPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: bob }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::drop/*' }],
      });
      const asGroup = { PolicySourceArn: arn('group', 'devs'), ResourceArns: ['arn:aws:s3:::drop/x'], ResourcePolicy: bucketPolicy };
      await rejects(simulate({ ActionNames: ['s3:PutObject'], ...asGroup }), 'InvalidInput');
      const r = await one('s3:PutObject', { ...asGroup, CallerArn: bob });
      assert.equal(r.EvalDecision, 'allowed');
      const notBob = await one('s3:PutObject', { ...asGroup, CallerArn: alice });
      assert.equal(notBob.EvalDecision, 'implicitDeny');
      await rejects(simulate({ ActionNames: ['s3:PutObject'], ...asGroup, CallerArn: arn('role', 'app') }), 'InvalidInput');
    });

    test('errors: unknown entity, wrong ARN type, malformed documents, unknown scenario', async () => {
      await rejects(
        simulate({ PolicySourceArn: arn('user', 'nobody'), ActionNames: ['s3:GetObject'] }),
        'NoSuchEntity',
        'The user with name nobody cannot be found.',
      );
      // The path is part of the ARN.
      await rejects(simulate({ PolicySourceArn: arn('user', 'alice'), ActionNames: ['s3:GetObject'] }), 'NoSuchEntity');
      await rejects(simulate({ PolicySourceArn: arn('role', 'ghost'), ActionNames: ['s3:GetObject'] }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
      await rejects(simulate({ PolicySourceArn: arn('policy', 'EC2Read'), ActionNames: ['s3:GetObject'] }), 'InvalidInput');
      await rejects(simulate({ ActionNames: ['s3:GetObject'], PolicyInputList: ['{"Version":"2012-10-17"'] }), 'InvalidInput');
      // Identity policies may not name principals: a resource policy goes in ResourcePolicy.
      const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
      await rejects(simulate({ ActionNames: ['s3:GetObject'], PolicyInputList: [withPrincipal] }), 'InvalidInput');
      await rejects(simulate({ ActionNames: ['s3:GetObject'], ResourcePolicy: allow('s3:GetObject') }), 'InvalidInput');
      await rejects(simulate({ ActionNames: ['s3:GetObject'], ResourceHandlingOption: 'EC2-Nowhere' }), 'InvalidInput');
      const ok = await simulate({ ActionNames: ['ec2:RunInstances'], ResourceHandlingOption: 'EC2-VPC-EBS' });
      assert.equal(ok.length, 1);
    });

    test('authorized as iam:SimulatePrincipalPolicy on the PolicySourceArn', async () => {
      const auditor = (await gh.user('auditor', allow('iam:SimulatePrincipalPolicy', bob))).iam;
      const r = await auditor.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: bob, ActionNames: ['s3:GetObject'] }));
      assert.equal(r.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
      await rejects(
        auditor.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: alice, ActionNames: ['s3:GetObject'] })),
        'AccessDenied',
        `User: ${arn('user', 'auditor')} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${alice} because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
      );
      await rejects(auditor.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allow('s3:*')], ActionNames: ['s3:GetObject'] })), 'AccessDenied');
    });
  });

  describe('SimulateCustomPolicy', () => {
    test("AWS's documented example: the position of a one-line policy and a date condition", async () => {
      const policy =
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
      const after2018 = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [policy],
          ActionNames: ['dynamodb:CreateBackup'],
          ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
        }),
      );
      assert.deepEqual(after2018.EvaluationResults, [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [
            { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } },
          ],
          MissingContextValues: [],
        },
      ]);
      assert.equal(after2018.IsTruncated, false);
      const before2018 = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [policy],
          ActionNames: ['dynamodb:CreateBackup'],
          ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2014-04-25T11:00:00Z'], ContextKeyType: 'date' }],
        }),
      );
      assert.equal(before2018.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
      assert.deepEqual(before2018.EvaluationResults?.[0]?.MatchedStatements, []);
    });

    test('two policies: each statement is named by its place in PolicyInputList', async () => {
      const denyBucket = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] }, null, 4);
      const { EvaluationResults } = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [allow('s3:*'), denyBucket],
          ActionNames: ['s3:ListBucket', 's3:DeleteBucket'],
        }),
      );
      assert.deepEqual(
        EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision, r.MatchedStatements?.map((m) => m.SourcePolicyId)]),
        [
          ['s3:ListBucket', 'allowed', ['PolicyInputList.1']],
          ['s3:DeleteBucket', 'explicitDeny', ['PolicyInputList.2']],
        ],
      );
      // 4-space indentation: `    "Statement": [` puts the [ at column 18.
      const deny = EvaluationResults?.[1]?.MatchedStatements?.[0];
      assert.deepEqual(deny?.StartPosition, { Line: 3, Column: 19 });
      assert.deepEqual(deny?.EndPosition, { Line: 8, Column: 10 });
    });

    test('errors: wildcard action names, a resource policy without CallerArn, malformed documents', async () => {
      await rejects(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allow('s3:*')], ActionNames: ['s3:*'] })), 'InvalidInput');
      const bucketPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: bob }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
      });
      const input = { PolicyInputList: [allow('ec2:*')], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'], ResourcePolicy: bucketPolicy };
      await rejects(iam.send(new SimulateCustomPolicyCommand(input)), 'InvalidInput');
      const r = await iam.send(new SimulateCustomPolicyCommand({ ...input, CallerArn: bob }));
      assert.equal(r.EvaluationResults?.[0]?.EvalDecision, 'allowed');
      await rejects(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['not json'], ActionNames: ['s3:GetObject'] })), 'InvalidInput');
    });
  });

  describe('GetContextKeysFor*Policy', () => {
    test("custom: AWS's documented example, keys spelled as written", async () => {
      const { ContextKeyNames } = await iam.send(
        new GetContextKeysForCustomPolicyCommand({
          PolicyInputList: [
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}',
          ],
        }),
      );
      assert.deepEqual(ContextKeyNames, ['aws:username', 'aws:CurrentTime']);
    });

    test('custom: keys of several policies, each once (case-insensitively)', async () => {
      const tagged = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
          { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'AWS:SecureTransport': 'false' } } },
        ],
      });
      const { ContextKeyNames } = await iam.send(
        new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [tagged, allow('s3:*'), FROM_CORP, FROM_CORP.replace('aws:SourceIp', 'aws:sourceip')] }),
      );
      assert.deepEqual(ContextKeyNames, ['aws:ResourceTag/team', 'aws:PrincipalTag/team', 'AWS:SecureTransport', 'aws:SourceIp']);
      const none = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [allow('s3:*')] }));
      assert.deepEqual(none.ContextKeyNames ?? [], []);
      await rejects(iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['{'] })), 'InvalidInput');
    });

    test("principal: the user's and its groups' policies, plus PolicyInputList", async () => {
      const { ContextKeyNames } = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: alice }));
      assert.deepEqual(ContextKeyNames, ['aws:SourceIp']);
      const more = await iam.send(
        new GetContextKeysForPrincipalPolicyCommand({
          PolicySourceArn: alice,
          PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] })],
        }),
      );
      assert.deepEqual(more.ContextKeyNames, ['aws:SourceIp', 'aws:username']);
      await rejects(iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn('group', 'ghosts') })), 'NoSuchEntity', 'The group with name ghosts cannot be found.');
    });
  });
});
