// Permissions boundaries of users and roles through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

const POWER_USER = 'arn:aws:iam::aws:policy/PowerUserAccess';

describe('IAM permissions boundaries', () => {
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
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST }));
  });

  test('PutUserPermissionsBoundary sets and replaces; DeleteUserPermissionsBoundary removes', async () => {
    const own = (await iam.send(new CreatePolicyCommand({ PolicyName: 'b', PolicyDocument: allow('s3:*') }))).Policy!.Arn!;
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: POWER_USER }));
    let user = (await iam.send(new GetUserCommand({ UserName: 'u' }))).User;
    assert.deepEqual(user?.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: POWER_USER });
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: own }));
    user = (await iam.send(new GetUserCommand({ UserName: 'u' }))).User;
    assert.equal(user?.PermissionsBoundary?.PermissionsBoundaryArn, own);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: own }))).Policy?.PermissionsBoundaryUsageCount, 1);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: POWER_USER }))).Policy?.PermissionsBoundaryUsageCount, 0);

    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'u' }));
    user = (await iam.send(new GetUserCommand({ UserName: 'u' }))).User;
    assert.equal(user?.PermissionsBoundary, undefined);
    // Removing a boundary that is not there is not an error.
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'u' }));
  });

  test('PutRolePermissionsBoundary sets; DeleteRolePermissionsBoundary removes', async () => {
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: POWER_USER }));
    let role = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role;
    assert.deepEqual(role?.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: POWER_USER });
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'r' }));
    role = (await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role;
    assert.equal(role?.PermissionsBoundary, undefined);
  });

  test('the boundary policy must exist; the principal too', async () => {
    const missing = `arn:aws:iam::${gh.accountId}:policy/nope`;
    const message = `Scope ARN: ${missing} does not exist or is not attachable.`;
    await rejects(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: missing })), 'NoSuchEntity', message);
    await rejects(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: missing })), 'NoSuchEntity', message);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'u' }))).User?.PermissionsBoundary, undefined);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role?.PermissionsBoundary, undefined);
    await rejects(
      iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'ghost', PermissionsBoundary: POWER_USER })),
      'NoSuchEntity',
      'The user with name ghost cannot be found.',
    );
    await rejects(iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'ghost' })), 'NoSuchEntity', 'The role with name ghost cannot be found.');
  });

  test('a policy in use as a boundary cannot be deleted', async () => {
    const own = (await iam.send(new CreatePolicyCommand({ PolicyName: 'b', PolicyDocument: allow('s3:*') }))).Policy!.Arn!;
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: own }));
    await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: own })), 'DeleteConflict', 'Cannot delete a policy attached to entities.');
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'u' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: own }));
  });

  test("a service-linked role's boundary is AWS's to set", async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
    await rejects(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'AWSServiceRoleForAutoScaling', PermissionsBoundary: POWER_USER })),
      'UnmodifiableEntity',
    );
  });

  test('authorization sees iam:PermissionsBoundary and iam:PolicyARN', async () => {
    // A delegate may create roles only with the PowerUser boundary, and attach ReadOnlyAccess only.
    const delegation = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': POWER_USER } } },
        {
          Effect: 'Allow',
          Action: 'iam:AttachRolePolicy',
          Resource: `arn:aws:iam::${gh.accountId}:role/*`,
          Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
        },
      ],
    });
    await iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'delegate', PolicyDocument: delegation }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u' }))).AccessKey!;
    const delegate = gh.iamFor({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });

    await rejects(delegate.send(new CreateRoleCommand({ RoleName: 'free', AssumeRolePolicyDocument: EC2_TRUST })), 'AccessDenied');
    await delegate.send(new CreateRoleCommand({ RoleName: 'capped', AssumeRolePolicyDocument: EC2_TRUST, PermissionsBoundary: POWER_USER }));
    await rejects(
      delegate.send(new AttachRolePolicyCommand({ RoleName: 'capped', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })),
      'AccessDenied',
    );
    await delegate.send(new AttachRolePolicyCommand({ RoleName: 'capped', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'free' })), 'NoSuchEntity');
  });
});
