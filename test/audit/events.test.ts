// Every request becomes a CloudTrail record: checked field by field for each identity type,
// failures, denials, unauthenticated requests and console sign-ins; no secret in any record;
// a mutating call's event is committed with its change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  AttachRolePolicyCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import { ADMIN, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

const ACCOUNT = '123456789012';
let gh: TestGatehouse;

before(async () => {
  gh = await startTestGatehouse({ root: true });
});
after(async () => {
  await gh.close();
});

const last = async (name: string) => {
  const all = (await gh.events()).filter((e) => e.eventName === name);
  assert.ok(all.length > 0, `no ${name} event`);
  return all[all.length - 1]!;
};

describe('API call records', () => {
  test('CreateUser by an IAM user: every field, and the event is committed with the change', async () => {
    const out = await gh.iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }] }));
    // Read the database at once, without flushing the batch: the event went in with the user.
    const db = new BetterSqlite3(join(gh.dataDir, SQLITE_FILE_NAME), { readonly: true });
    const row = db.prepare("SELECT json FROM events WHERE json LIKE '%\"eventName\":\"CreateUser\"%'").get() as { json: string } | undefined;
    db.close();
    assert.ok(row, 'the CreateUser event is durable when the call is answered');
    const e = JSON.parse(row.json);
    assert.equal(e.eventVersion, '1.11');
    assert.deepEqual(Object.keys(e.userIdentity), ['type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName']);
    assert.equal(e.userIdentity.type, 'IAMUser');
    assert.match(e.userIdentity.principalId, /^AIDA/);
    assert.equal(e.userIdentity.arn, `arn:aws:iam::${ACCOUNT}:user/admin`);
    assert.equal(e.userIdentity.accountId, ACCOUNT);
    assert.equal(e.userIdentity.accessKeyId, ADMIN.accessKeyId);
    assert.equal(e.userIdentity.userName, 'admin');
    assert.match(e.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(e.eventSource, 'iam.amazonaws.com');
    assert.equal(e.eventName, 'CreateUser');
    assert.equal(e.awsRegion, 'us-east-1');
    assert.equal(e.sourceIPAddress, '127.0.0.1');
    assert.match(e.userAgent, /aws-sdk-js/);
    assert.deepEqual(e.requestParameters, { userName: 'alice', tags: [{ key: 'team', value: 'blue' }] });
    assert.equal(e.responseElements.user.userName, 'alice');
    assert.equal(e.responseElements.user.userId, out.User!.UserId);
    assert.equal(e.responseElements.user.arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
    assert.match(e.responseElements.user.createDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M$/);
    assert.equal(e.requestID, out.$metadata.requestId);
    assert.match(e.eventID, /^[0-9a-f-]{36}$/);
    assert.equal(e.readOnly, false);
    assert.equal(e.eventType, 'AwsApiCall');
    assert.equal(e.managementEvent, true);
    assert.equal(e.recipientAccountId, ACCOUNT);
    assert.equal(e.eventCategory, 'Management');
    assert.equal(e.errorCode, undefined);
  });

  test('a read is recorded read-only without responseElements', async () => {
    await gh.iam.send(new ListUsersCommand({}));
    const e = await last('ListUsers');
    assert.equal(e.readOnly, true);
    assert.equal(e.responseElements, null);
    assert.equal(e.requestParameters, null);
  });

  test('a failure carries errorCode and errorMessage', async () => {
    await assert.rejects(gh.iam.send(new GetUserCommand({ UserName: 'nobody' })));
    const e = await last('GetUser');
    assert.equal(e.errorCode, 'NoSuchEntity');
    assert.equal(e.errorMessage, 'The user with name nobody cannot be found.');
    assert.deepEqual(e.requestParameters, { userName: 'nobody' });
    const keys = Object.keys(e);
    assert.ok(keys.indexOf('errorCode') < keys.indexOf('requestParameters'), 'errors come before the parameters, as in AWS records');
  });

  test('a denial is recorded as AccessDenied for the caller', async () => {
    const bob = await gh.user('bob');
    await assert.rejects(bob.iam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    const e = (await gh.events()).filter((x) => x.eventName === 'ListUsers' && x.errorCode === 'AccessDenied').at(-1)!;
    assert.equal(e.userIdentity.userName, 'bob');
    assert.equal(e.userIdentity.accessKeyId, bob.accessKeyId);
    assert.match(e.errorMessage!, /is not authorized to perform: iam:ListUsers/);
  });

  test('an unauthenticated request (wrong secret) is recorded with the key it claimed', async () => {
    const wrong = gh.iamFor({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret-at-all-not-the-secret00' });
    await assert.rejects(wrong.send(new ListUsersCommand({})), { name: 'SignatureDoesNotMatch' });
    const e = (await gh.events()).filter((x) => x.errorCode === 'SignatureDoesNotMatch').at(-1)!;
    assert.equal(e.eventName, 'ListUsers');
    assert.equal(e.userIdentity.type, 'Unknown');
    assert.equal(e.userIdentity.accessKeyId, ADMIN.accessKeyId);
    assert.equal(e.eventSource, 'iam.amazonaws.com');
  });

  test('a malformed request (no Action, unsigned) is recorded', async () => {
    const res = await fetch(gh.endpoint, { method: 'POST', body: 'Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 403);
    const e = (await gh.events()).filter((x) => x.errorCode === 'MissingAuthenticationToken').at(-1)!;
    assert.equal(e.eventName, 'Unknown');
    assert.equal(e.userIdentity.type, 'Unknown');
  });
});

describe('identity types', () => {
  test('AssumedRole: principalId ROLEID:session, sessionContext with the role as sessionIssuer', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    const role = (await gh.iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trust }))).Role!;
    await gh.iam.send(new AttachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const session = await gh.session(role.Arn!, 'sess-1');
    const assume = await last('AssumeRole');
    assert.equal(assume.eventSource, 'sts.amazonaws.com');
    assert.equal(assume.readOnly, true);
    assert.deepEqual(assume.requestParameters, { roleArn: role.Arn, roleSessionName: 'sess-1' });
    await session.sts.send(new GetCallerIdentityCommand({}));
    const e = (await gh.events()).filter((x) => x.eventName === 'GetCallerIdentity' && x.userIdentity.type === 'AssumedRole').at(-1)!;
    assert.equal(e.userIdentity.principalId, `${role.RoleId}:sess-1`);
    assert.equal(e.userIdentity.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/sess-1`);
    assert.equal(e.userIdentity.accessKeyId, session.accessKeyId);
    assert.deepEqual(e.userIdentity.sessionContext!.sessionIssuer, { type: 'Role', principalId: role.RoleId, arn: role.Arn, accountId: ACCOUNT, userName: 'auditor' });
    assert.equal(e.userIdentity.sessionContext!.attributes.mfaAuthenticated, 'false');
    assert.match(e.userIdentity.sessionContext!.attributes.creationDate, /Z$/);
  });

  test('FederatedUser: sessionIssuer is the IAM user that called GetFederationToken', async () => {
    const fed = (await gh.stsFor(ADMIN).send(new GetFederationTokenCommand({ Name: 'fed-carol', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] }) }))).Credentials!;
    await gh.stsFor({ accessKeyId: fed.AccessKeyId!, secretAccessKey: fed.SecretAccessKey!, sessionToken: fed.SessionToken! }).send(new GetCallerIdentityCommand({}));
    const e = (await gh.events()).filter((x) => x.userIdentity.type === 'FederatedUser').at(-1)!;
    assert.equal(e.userIdentity.principalId, `${ACCOUNT}:fed-carol`);
    assert.equal(e.userIdentity.arn, `arn:aws:sts::${ACCOUNT}:federated-user/fed-carol`);
    assert.equal(e.userIdentity.sessionContext!.sessionIssuer!.type, 'IAMUser');
    assert.equal((e.userIdentity.sessionContext!.sessionIssuer as { userName: string }).userName, 'admin');
  });
});

describe('secrets', () => {
  test('no secret access key, session token or password in any record; passwords read HIDDEN_DUE_TO_SECURITY_REASONS', async () => {
    const dave = await gh.user('dave');
    const password = 'Correct-Horse-Battery-9!';
    await gh.iam.send(new CreateLoginProfileCommand({ UserName: 'dave', Password: password }));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    const role = (await gh.iam.send(new CreateRoleCommand({ RoleName: 'secret-check', AssumeRolePolicyDocument: trust }))).Role!;
    const session = await gh.session(role.Arn!, 'secret-session');
    const text = JSON.stringify(await gh.events());
    for (const secret of [dave.secretAccessKey, password, session.secretAccessKey, session.sessionToken!, ADMIN.secretAccessKey]) {
      assert.ok(!text.includes(secret), 'a secret reached the trail');
    }
    const created = await last('CreateAccessKey');
    assert.equal(created.responseElements!.accessKey && (created.responseElements!.accessKey as Record<string, unknown>).accessKeyId, dave.accessKeyId);
    assert.equal((created.responseElements!.accessKey as Record<string, unknown>).secretAccessKey, undefined);
    const profile = await last('CreateLoginProfile');
    assert.equal(profile.requestParameters!.password, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  });
});

describe('console sign-in', () => {
  test('ConsoleLogin events for a success and a failure', async () => {
    const ok = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify({ account: ACCOUNT, userName: 'dave', password: 'Correct-Horse-Battery-9!' }), headers: { 'user-agent': 'test-browser' } });
    assert.equal(ok.status, 200);
    const bad = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify({ account: ACCOUNT, userName: 'dave', password: 'wrong-password' }) });
    assert.equal(bad.status, 401);
    const logins = (await gh.events()).filter((e) => e.eventName === 'ConsoleLogin');
    const [success, failure] = logins.slice(-2);
    assert.equal(success!.eventSource, 'signin.amazonaws.com');
    assert.equal(success!.eventType, 'AwsConsoleSignIn');
    assert.deepEqual(success!.responseElements, { ConsoleLogin: 'Success' });
    assert.equal(success!.additionalEventData!.MFAUsed, 'No');
    assert.equal(success!.userIdentity.type, 'IAMUser');
    assert.equal(success!.userIdentity.userName, 'dave');
    assert.equal(success!.userIdentity.accessKeyId, '');
    assert.equal(success!.userAgent, 'test-browser');
    assert.deepEqual(failure!.responseElements, { ConsoleLogin: 'Failure' });
    assert.equal(failure!.errorMessage, 'Failed authentication');
    assert.equal(failure!.userIdentity.userName, 'dave');
    assert.ok(!JSON.stringify(logins).includes('wrong-password'));
  });

  test('a sign-in for a user that does not exist hides the name', async () => {
    await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify({ account: ACCOUNT, userName: 'ghost', password: 'whatever-1' }) });
    const e = (await gh.events()).filter((x) => x.eventName === 'ConsoleLogin').at(-1)!;
    assert.equal(e.userIdentity.userName, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(e.userIdentity.accountId, ACCOUNT);
  });

  test('the root user signing in is a Root identity', async () => {
    const res = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify({ email: 'root@example.com', password: 'Root-Password-1234!' }) });
    assert.equal(res.status, 200);
    const e = (await gh.events()).filter((x) => x.eventName === 'ConsoleLogin').at(-1)!;
    assert.deepEqual(e.userIdentity, { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: '' });
    assert.deepEqual(e.responseElements, { ConsoleLogin: 'Success' });
  });
});
