// Every call is authorized as AWS authorizes it: allowed, explicitly denied, implicitly denied,
// limited by a permissions boundary, and conditioned on tags; a denial changes nothing.
// Also: a restart loses nothing, and test mode's reset returns the account to its bootstrap state.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand,
  TagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

let gh: TestGatehouse;
before(async () => {
  gh = await startTestGatehouse();
});
after(() => gh.close());
beforeEach(() => gh.reset());

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** An IAM client signed as a new user with an access key and the inline policy. */
const userClient = async (name: string, inline?: string): Promise<IAMClient> => (await gh.user(name, inline)).iam;

async function denied(promise: Promise<unknown>): Promise<{ Code?: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as { Code?: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  assert.fail('the call was allowed');
}

const arn = (name: string) => `arn:aws:iam::${gh.accountId}:user/${name}`;

describe('enforcement', () => {
  test('an identity policy that allows the action lets the call through', async () => {
    const alice = await userClient('alice', policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }));
    const { Users } = await alice.send(new ListUsersCommand({}));
    assert.deepEqual(Users!.map((u) => u.UserName).sort(), ['admin', 'alice']);
  });

  test('no policy: AccessDenied, 403, with AWS message naming the missing identity-based allow', async () => {
    const alice = await userClient('alice');
    const e = await denied(alice.send(new CreateUserCommand({ UserName: 'mallory' })));
    assert.equal(e.Code, 'AccessDenied');
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.equal(
      e.message,
      `User: ${arn('alice')} is not authorized to perform: iam:CreateUser on resource: ${arn('mallory')} because no identity-based policy allows the iam:CreateUser action`,
    );
  });

  test('a denied call changes nothing', async () => {
    const alice = await userClient('alice');
    await denied(alice.send(new CreateUserCommand({ UserName: 'mallory' })));
    const { Users } = await gh.iam.send(new ListUsersCommand({}));
    assert.ok(!Users!.some((u) => u.UserName === 'mallory'));
  });

  test('an explicit deny beats the allow, and the message says so', async () => {
    const alice = await userClient(
      'alice',
      policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:CreateGroup', Resource: '*' }),
    );
    const e = await denied(alice.send(new CreateGroupCommand({ GroupName: 'devs' })));
    assert.equal(e.Code, 'AccessDenied');
    assert.match(e.message, /is not authorized to perform: iam:CreateGroup on resource: arn:aws:iam::\d{12}:group\/devs with an explicit deny in an identity-based policy$/);
    const { Groups } = await gh.iam.send(new ListGroupsCommand({}));
    assert.ok(!Groups!.some((g) => g.GroupName === 'devs'));
  });

  test('a permissions boundary limits what the identity policy allows', async () => {
    const alice = await userClient('alice', policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }));
    const { Policy } = await gh.iam.send(
      new CreatePolicyCommand({ PolicyName: 'read-users', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }) }),
    );
    await gh.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: Policy!.Arn! }));
    await alice.send(new ListUsersCommand({}));
    const e = await denied(alice.send(new ListGroupsCommand({})));
    assert.match(e.message, /because no permissions boundary allows the iam:ListGroups action$/);
  });

  test('AWS managed policies attached to a user are enforced', async () => {
    const alice = await userClient('alice');
    await gh.iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await alice.send(new ListUsersCommand({}));
    const e = await denied(alice.send(new CreateGroupCommand({ GroupName: 'devs' })));
    assert.equal(e.Code, 'AccessDenied');
  });

  test('policy variables: a user may act only on itself (${aws:username})', async () => {
    const alice = await userClient('alice', policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }));
    await gh.iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const me = await alice.send(new GetUserCommand({ UserName: 'alice' }));
    assert.equal(me.User!.UserName, 'alice');
    const e = await denied(alice.send(new GetUserCommand({ UserName: 'bob' })));
    assert.equal(e.Code, 'AccessDenied');
  });

  test('ABAC: iam:ResourceTag and aws:PrincipalTag conditions decide per target', async () => {
    const alice = await userClient(
      'alice',
      policy({
        Effect: 'Allow',
        Action: 'iam:GetUser',
        Resource: '*',
        Condition: { StringEquals: { 'iam:ResourceTag/team': '${aws:PrincipalTag/team}' } },
      }),
    );
    await gh.iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await gh.iam.send(new CreateUserCommand({ UserName: 'bob', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await gh.iam.send(new CreateUserCommand({ UserName: 'carol', Tags: [{ Key: 'team', Value: 'red' }] }));
    assert.equal((await alice.send(new GetUserCommand({ UserName: 'bob' }))).User!.UserName, 'bob');
    const e = await denied(alice.send(new GetUserCommand({ UserName: 'carol' })));
    assert.equal(e.Code, 'AccessDenied');
  });

  test('a change to the caller takes effect on its next request with the same key', async () => {
    const alice = await userClient(
      'alice',
      policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }),
    );
    await denied(alice.send(new GetUserCommand({ UserName: 'alice' })));
    await gh.iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.equal((await alice.send(new GetUserCommand({ UserName: 'alice' }))).User!.UserName, 'alice');
    await gh.iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'red' }] }));
    await denied(alice.send(new GetUserCommand({ UserName: 'alice' })));
  });

  test('aws:SourceIp and aws:SecureTransport are set from the connection', async () => {
    const alice = await userClient(
      'alice',
      policy(
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
        { Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ),
    );
    await alice.send(new ListUsersCommand({}));
    await denied(alice.send(new ListGroupsCommand({}))); // plain HTTP here
  });
});

describe('durability and test mode', () => {
  test('a restart loses nothing: entities, policies and working access keys', async () => {
    const alice = await userClient('alice', policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }));
    await gh.iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await gh.restart();
    const { Users } = await alice.send(new ListUsersCommand({}));
    assert.deepEqual(Users!.map((u) => u.UserName).sort(), ['admin', 'alice']);
    const { Groups } = await gh.iam.send(new ListGroupsCommand({}));
    assert.deepEqual(Groups!.map((g) => g.GroupName).sort(), ['Administrators', 'devs']);
    await denied(alice.send(new ListGroupsCommand({})));
  });

  test('reset returns the account to its bootstrap state and the bootstrap key keeps working', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'temp' }));
    await gh.iam.send(new CreateGroupCommand({ GroupName: 'temp-group' }));
    await gh.reset();
    const { Users } = await gh.iam.send(new ListUsersCommand({}));
    assert.deepEqual(Users!.map((u) => u.UserName), ['admin']);
    const { Groups } = await gh.iam.send(new ListGroupsCommand({}));
    assert.deepEqual(Groups!.map((g) => g.GroupName), ['Administrators']);
  });

  test('the reset endpoint does not exist outside test mode', async () => {
    const plain = await startTestGatehouse({ env: { GATEHOUSE_TEST_MODE: '0' } });
    try {
      const res = await fetch(`${plain.endpoint}/_gatehouse/reset`, { method: 'POST' });
      assert.notEqual(res.status, 200);
      await plain.iam.send(new ListUsersCommand({}));
    } finally {
      await plain.close();
    }
  });
});
