// Service-specific credentials through the real SDK against a real server: the generated user name
// and password (answered once, stored sealed), two per service per user, the services AWS supports,
// reset, status, deletion, NoSuchEntity, authorization on the user and the audit trail.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  SimulatePrincipalPolicyCommand,
  UpdateServiceSpecificCredentialCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { loadDataKey, secretBox } from '../../../src/store/data-key.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { allowAll } from '../../support/policies.ts';

const CODECOMMIT = 'codecommit.amazonaws.com';
const KEYSPACES = 'cassandra.amazonaws.com';

describe('IAM service-specific credentials', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(async () => {
    await gh.reset();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  });

  const create = (UserName: string, ServiceName: string, client = iam) => client.send(new CreateServiceSpecificCredentialCommand({ UserName, ServiceName }));
  const list = (UserName?: string, ServiceName?: string, client = iam) =>
    client.send(new ListServiceSpecificCredentialsCommand({ UserName, ServiceName })).then((r) => r.ServiceSpecificCredentials!);
  const stored = (id: string) => gh.server().state.get('serviceSpecificCredential', id)!;
  const open = (sealed: string) => secretBox(loadDataKey(gh.dataDir)).open(sealed);

  test('a generated user name and password for the service: answered once, stored sealed, listed without it', async () => {
    const { ServiceSpecificCredential: c } = await create('alice', CODECOMMIT);
    assert.match(c!.ServiceSpecificCredentialId!, /^ACCA[A-Z2-7]{17}$/);
    assert.equal(c!.UserName, 'alice');
    assert.equal(c!.ServiceName, CODECOMMIT);
    assert.equal(c!.ServiceUserName, `alice-at-${gh.accountId}`);
    assert.equal(c!.Status, 'Active');
    assert.match(c!.ServicePassword!, /^[A-Za-z0-9+/]{43}=$/);
    assert.ok(Math.abs(c!.CreateDate!.getTime() - Date.now()) < 60_000);

    const data = stored(c!.ServiceSpecificCredentialId!).data;
    assert.ok(!JSON.stringify(data).includes(c!.ServicePassword!));
    assert.equal(open(data.passwordEncrypted), c!.ServicePassword);

    const listed = await list('alice');
    assert.deepEqual(listed, [{ ...c, ServicePassword: undefined }].map(({ ServicePassword: _, ...rest }) => rest));
    assert.deepEqual(await list('bob'), []);
  });

  test('two per service per user, each with its own service user name; other services count apart; the list filters by service', async () => {
    const first = (await create('alice', CODECOMMIT)).ServiceSpecificCredential!;
    const second = (await create('alice', CODECOMMIT)).ServiceSpecificCredential!;
    assert.equal(second.ServiceUserName, `alice+1-at-${gh.accountId}`);
    assert.notEqual(first.ServicePassword, second.ServicePassword);
    await rejects(create('alice', CODECOMMIT), 'LimitExceeded', 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2');
    const keyspaces = (await create('alice', KEYSPACES)).ServiceSpecificCredential!;
    assert.equal(keyspaces.ServiceUserName, `alice-at-${gh.accountId}`);
    await create('bob', CODECOMMIT);

    assert.deepEqual((await list('alice')).map((c) => c.ServiceSpecificCredentialId), [first, second, keyspaces].map((c) => c.ServiceSpecificCredentialId));
    assert.deepEqual((await list('alice', KEYSPACES)).map((c) => c.ServiceSpecificCredentialId), [keyspaces.ServiceSpecificCredentialId]);

    // With the first gone, a new one may take its user name again.
    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: first.ServiceSpecificCredentialId }));
    assert.equal((await create('alice', CODECOMMIT)).ServiceSpecificCredential!.ServiceUserName, `alice-at-${gh.accountId}`);
  });

  test('services without service-specific credentials are NotSupportedService (404), in Create and in the list filter', async () => {
    const message = 'The specified service does not support service-specific credentials.';
    await assert.rejects(create('alice', 'ec2.amazonaws.com'), (e: Error & { Code?: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ServiceNotSupportedException');
      assert.equal(e.message, message);
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
    await rejects(list('alice', 'codecommit'), 'NotSupportedService', message);
    assert.deepEqual(await list('alice'), []);
  });

  test('reset gives a new password once and keeps the rest; update sets the status; deletion frees the user', async () => {
    const c = (await create('alice', KEYSPACES)).ServiceSpecificCredential!;
    const id = c.ServiceSpecificCredentialId!;
    const { ServiceSpecificCredential: reset } = await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: id }));
    assert.notEqual(reset!.ServicePassword, c.ServicePassword);
    assert.deepEqual({ ...reset, ServicePassword: undefined }, { ...c, ServicePassword: undefined });
    assert.equal(open(stored(id).data.passwordEncrypted), reset!.ServicePassword);

    await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: id, Status: 'Inactive' }));
    assert.equal((await list('alice'))[0]!.Status, 'Inactive');
    await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: id, Status: 'Active' }));
    assert.equal((await list('alice'))[0]!.Status, 'Active');

    await rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflict', 'Cannot delete entity, must delete service-specific credentials first.');
    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: id }));
    assert.deepEqual(await list('alice'), []);
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
  });

  test("NoSuchEntity for another user's credential, an unknown one and an unknown user", async () => {
    const id = (await create('alice', CODECOMMIT)).ServiceSpecificCredential!.ServiceSpecificCredentialId!;
    const message = `The Service Specific Credential with id ${id} cannot be found.`;
    await rejects(iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'bob', ServiceSpecificCredentialId: id })), 'NoSuchEntity', message);
    await rejects(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'bob', ServiceSpecificCredentialId: id, Status: 'Inactive' })), 'NoSuchEntity', message);
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'bob', ServiceSpecificCredentialId: id })), 'NoSuchEntity', message);
    await rejects(
      iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: 'ACCAEXAMPLE123EXAMPLE' })),
      'NoSuchEntity',
      'The Service Specific Credential with id ACCAEXAMPLE123EXAMPLE cannot be found.',
    );
    await rejects(create('nobody', CODECOMMIT), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    await rejects(list('nobody'), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    assert.equal((await list('alice'))[0]!.Status, 'Active');
  });

  test('the id and user name are validated as the model constrains them', async () => {
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'alice', ServiceSpecificCredentialId: 'ACCA-short' })), 'ValidationError');
    await rejects(create('not a name', CODECOMMIT), 'ValidationError');
  });

  test('authorized on the user, with the service name as iam:ServiceSpecificCredentialServiceName; without a UserName, the caller’s own; audited without the password', async () => {
    const arn = `arn:aws:iam::${gh.accountId}:user/carol`;
    const carol = await gh.user('carol', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:ListServiceSpecificCredentials', 'iam:ResetServiceSpecificCredential', 'iam:UpdateServiceSpecificCredential'], Resource: arn },
        { Effect: 'Allow', Action: 'iam:CreateServiceSpecificCredential', Resource: arn, Condition: { StringEquals: { 'iam:ServiceSpecificCredentialServiceName': CODECOMMIT } } },
      ],
    });
    await rejects(create('alice', CODECOMMIT, carol.iam), 'AccessDenied', /iam:CreateServiceSpecificCredential on resource: arn:aws:iam::\d+:user\/alice/);
    await rejects(create('carol', KEYSPACES, carol.iam), 'AccessDenied', /iam:CreateServiceSpecificCredential/);
    const seen = (await gh.events()).length;
    const { ServiceSpecificCredential: c } = await create('carol', CODECOMMIT, carol.iam);
    assert.deepEqual((await list(undefined, undefined, carol.iam)).map((x) => [x.UserName, x.ServiceSpecificCredentialId]), [['carol', c!.ServiceSpecificCredentialId]]);
    const reset = (await carol.iam.send(new ResetServiceSpecificCredentialCommand({ ServiceSpecificCredentialId: c!.ServiceSpecificCredentialId }))).ServiceSpecificCredential!;
    await carol.iam.send(new UpdateServiceSpecificCredentialCommand({ ServiceSpecificCredentialId: c!.ServiceSpecificCredentialId, Status: 'Inactive' }));
    await rejects(list('alice', undefined, carol.iam), 'AccessDenied');
    await rejects(carol.iam.send(new DeleteServiceSpecificCredentialCommand({ ServiceSpecificCredentialId: c!.ServiceSpecificCredentialId })), 'AccessDenied');

    const events = (await gh.events()).slice(seen);
    const text = JSON.stringify(events);
    assert.ok(!text.includes(c!.ServicePassword!) && !text.includes(reset.ServicePassword!), 'no password in the trail');
    const made = events.find((e) => e.eventName === 'CreateServiceSpecificCredential')!;
    assert.deepEqual(made.requestParameters, { userName: 'carol', serviceName: CODECOMMIT });
    const element = (made.responseElements as { serviceSpecificCredential: Record<string, unknown> }).serviceSpecificCredential;
    assert.equal(element.serviceUserName, `carol-at-${gh.accountId}`);
    assert.equal(element.servicePassword, undefined);
    assert.equal(events.find((e) => e.eventName === 'ResetServiceSpecificCredential')!.readOnly, false);
    const denied = events.find((e) => e.eventName === 'DeleteServiceSpecificCredential')!;
    assert.equal(denied.errorCode, 'AccessDenied');

    // The policy simulator weighs the same action, resource and key.
    const simulate = async (service: string) =>
      (
        await iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: arn,
            ActionNames: ['iam:CreateServiceSpecificCredential'],
            ResourceArns: [arn],
            ContextEntries: [{ ContextKeyName: 'iam:ServiceSpecificCredentialServiceName', ContextKeyType: 'string', ContextKeyValues: [service] }],
          }),
        )
      ).EvaluationResults![0]!.EvalDecision;
    assert.equal(await simulate(CODECOMMIT), 'allowed');
    assert.equal(await simulate(KEYSPACES), 'implicitDeny');
  });
});
