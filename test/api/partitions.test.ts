// Partitions through the real SDK: an account made with a China (or GovCloud) region lives in that
// partition. Its ARNs, its sessions, the AWS managed policies it sees and its audit events name it;
// policies are matched against those ARNs; a request signed for another partition's region does
// not know its keys, and Gatehouse will not start with a region of another partition.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateUserCommand,
  GetOpenIDConnectProviderCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListPoliciesCommand,
  PutUserPolicyCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rejects } from '../support/assertions.ts';
import { ADMIN, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';
import { allowAll, creds } from '../support/policies.ts';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse } from '../../src/server/gatehouse.ts';
import pino from 'pino';

const INVALID_TOKEN = 'The security token included in the request is invalid.';

const trust = (partition: string, account: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
});

describe('an account in aws-cn (GATEHOUSE_REGION=cn-north-1)', () => {
  let gh: TestGatehouse;
  let account: string;
  before(async () => {
    gh = await startTestGatehouse({ region: 'cn-north-1' });
    account = gh.accountId;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  test('CreateUser and GetCallerIdentity answer arn:aws-cn: ARNs; STS answers in either China region', async () => {
    const { User } = await gh.iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/team/' }));
    assert.equal(User!.Arn, `arn:aws-cn:iam::${account}:user/team/alice`);
    const me = await gh.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws-cn:iam::${account}:user/admin`);
    const northwest = new STSClient({ endpoint: gh.endpoint, region: 'cn-northwest-1', credentials: ADMIN, maxAttempts: 1 });
    assert.equal((await northwest.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws-cn:iam::${account}:user/admin`);
  });

  test('AssumeRole with an arn:aws-cn: trust policy answers an arn:aws-cn:sts assumed-role session', async () => {
    const roleArn = await gh.role('reader', trust('aws-cn', account), { policy: allowAll('iam:ListUsers') });
    assert.equal(roleArn, `arn:aws-cn:iam::${account}:role/reader`);
    const out = await gh.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' }));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws-cn:sts::${account}:assumed-role/reader/s1`);
    const session = gh.stsFor(creds(out.Credentials));
    assert.equal((await session.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws-cn:sts::${account}:assumed-role/reader/s1`);
    await gh.iamFor(creds(out.Credentials)).send(new ListUsersCommand({}));
  });

  test('a trust policy naming the account in another partition does not let it assume the role', async () => {
    const roleArn = await gh.role('elsewhere', trust('aws', account));
    await rejects(gh.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' })), 'AccessDenied');
  });

  test('policies are matched against arn:aws-cn: resources; an arn:aws: resource is refused when written', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'target' }));
    const cn = await gh.user('cn', allowAll('iam:GetUser', `arn:aws-cn:iam::${account}:user/target`));
    assert.equal((await cn.iam.send(new GetUserCommand({ UserName: 'target' }))).User!.Arn, `arn:aws-cn:iam::${account}:user/target`);
    await rejects(
      gh.iam.send(new PutUserPolicyCommand({ UserName: 'target', PolicyName: 'p', PolicyDocument: JSON.stringify(allowAll('iam:GetUser', `arn:aws:iam::${account}:user/target`)) })),
      'MalformedPolicyDocument',
      `Partition "aws" is not valid for resource "arn:aws:iam::${account}:user/target".`,
    );
  });

  test('AWS managed policies are arn:aws-cn:iam::aws:policy/…; the aws partition\'s ARN does not exist here', async () => {
    const { AttachedPolicies } = await gh.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Administrators' }));
    assert.deepEqual(AttachedPolicies?.map((p) => p.PolicyArn), ['arn:aws-cn:iam::aws:policy/AdministratorAccess']);
    await gh.iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await gh.iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' }));
    await rejects(
      gh.iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      'NoSuchEntity',
      'Policy arn:aws:iam::aws:policy/ReadOnlyAccess does not exist or is not attachable.',
    );
    const { Policies } = await gh.iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 5 }));
    assert.equal(Policies!.length, 5);
    for (const p of Policies!) assert.match(p.Arn!, /^arn:aws-cn:iam::aws:policy\//);
  });

  test('an identity provider is arn:aws-cn:…:oidc-provider/…; its arn:aws: twin names nothing', async () => {
    const made = await gh.iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://idp.example.com', ClientIDList: ['app'] }));
    assert.equal(made.OpenIDConnectProviderArn, `arn:aws-cn:iam::${account}:oidc-provider/idp.example.com`);
    await gh.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: made.OpenIDConnectProviderArn }));
    const twin = `arn:aws:iam::${account}:oidc-provider/idp.example.com`;
    await rejects(gh.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: twin })), 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${twin}`);
  });

  test('a request signed for a region of another partition does not know the key: InvalidClientTokenId', async () => {
    const aws = new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
    await rejects(aws.send(new ListUsersCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
    const gov = new STSClient({ endpoint: gh.endpoint, region: 'us-gov-west-1', credentials: ADMIN, maxAttempts: 1 });
    await rejects(gov.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
    // IAM in aws-cn is signed for cn-north-1 only.
    const northwest = new IAMClient({ endpoint: gh.endpoint, region: 'cn-northwest-1', credentials: ADMIN, maxAttempts: 1 });
    await rejects(northwest.send(new ListUsersCommand({})), 'SignatureDoesNotMatch', "Credential should be scoped to a valid region, not 'cn-northwest-1'.");
  });

  test('the audit trail names the caller and the user made with arn:aws-cn: ARNs', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const event = (await gh.events()).filter((e) => e.eventName === 'CreateUser').at(-1)!;
    assert.equal(event.userIdentity.arn, `arn:aws-cn:iam::${account}:user/admin`);
    assert.equal((event.responseElements as { user: { arn: string } }).user.arn, `arn:aws-cn:iam::${account}:user/carol`);
    assert.equal(event.awsRegion, 'cn-north-1');
  });

  test('the account keeps its partition: Gatehouse refuses to start on its data with a region of another', async () => {
    await gh.close(true);
    try {
      const config = loadConfig(['--data-dir', gh.dataDir, '--port', '0', '--region', 'us-east-1'], { GATEHOUSE_TEST_MODE: '1' });
      await assert.rejects(startGatehouse(config, { logger: pino({ level: 'silent' }), announce: () => undefined }), {
        message: `account ${account} lives in partition aws-cn; GATEHOUSE_REGION us-east-1 is in aws: choose a region of aws-cn`,
      });
    } finally {
      await gh.restart();
    }
  });
});

describe('an account in aws-us-gov (GATEHOUSE_REGION=us-gov-west-1)', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse({ region: 'us-gov-west-1' });
  });
  after(() => gh.close());

  test('ARNs are arn:aws-us-gov:, policies match them, and other partitions do not know the key', async () => {
    const account = gh.accountId;
    const { User } = await gh.iam.send(new CreateUserCommand({ UserName: 'dave' }));
    assert.equal(User!.Arn, `arn:aws-us-gov:iam::${account}:user/dave`);
    assert.equal((await gh.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws-us-gov:iam::${account}:user/admin`);
    const reader = await gh.user('reader', allowAll('iam:GetUser', `arn:aws-us-gov:iam::${account}:user/dave`));
    await reader.iam.send(new GetUserCommand({ UserName: 'dave' }));
    const roleArn = await gh.role('r', trust('aws-us-gov', account));
    const out = await gh.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'gov' }));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws-us-gov:sts::${account}:assumed-role/r/gov`);
    const cn = new IAMClient({ endpoint: gh.endpoint, region: 'cn-north-1', credentials: ADMIN, maxAttempts: 1 });
    await rejects(cn.send(new ListUsersCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
  });
});

describe('an account in aws (the default)', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse();
  });
  after(() => gh.close());

  test('a request signed for cn-north-1 or an ISO region does not know the key', async () => {
    for (const region of ['cn-north-1', 'us-iso-east-1']) {
      const client = new IAMClient({ endpoint: gh.endpoint, region, credentials: ADMIN, maxAttempts: 1 });
      await rejects(client.send(new ListUsersCommand({})), 'InvalidClientTokenId', INVALID_TOKEN);
    }
    assert.equal((await gh.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${gh.accountId}:user/admin`);
  });
});
