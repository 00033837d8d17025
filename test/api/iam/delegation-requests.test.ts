// IAM temporary delegation through the real SDK against a real server: a partner's request made
// from a template and its parameters, the owner side's associate / update / accept / reject / send,
// the trade of the exchange token for credentials (sts:GetDelegatedAccessToken) that act as the
// approver bounded by the permission policy, expiry by the clock, AWS's errors, authorization on
// the delegation-request ARN, and the audit trail (which never holds the token).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateDelegationRequestCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetDelegationRequestCommand,
  GetUserCommand,
  ListDelegationRequestsCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
  RejectDelegationRequestCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
  type CreateDelegationRequestCommandInput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetDelegatedAccessTokenCommand } from '@aws-sdk/client-sts';
import { ManualClock } from '../../../src/model/clock.ts';
import { loadDataKey, secretBox } from '../../../src/store/data-key.ts';
import type { DelegationRequest } from '../../../src/iam/delegation-requests.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse, type TestIdentity } from '../../support/gatehouse.ts';
import { allowAll, creds, trustAccount } from '../../support/policies.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The partner's template: read one named user; list users and roles from the regions named. */
const TEMPLATE = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:GetUser'], Resource: 'arn:aws:iam::123456789012:user/@{userName}' },
    { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListRoles'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': '@{regions}' } } },
  ],
};

describe('IAM delegation requests and sts:GetDelegatedAccessToken', () => {
  const clock = new ManualClock(Date.now());
  let gh: TestGatehouse;
  let iam: IAMClient;
  let templateArn: string;
  let owner: TestIdentity;
  before(async () => {
    gh = await startTestGatehouse({ clock });
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(async () => {
    clock.set(Date.now());
    await gh.reset();
    templateArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'partner-template', PolicyDocument: JSON.stringify(TEMPLATE) }))).Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    owner = await gh.user('owner', allowAll());
  });

  const input = (over: Partial<CreateDelegationRequestCommandInput> = {}): CreateDelegationRequestCommandInput => ({
    Description: 'Set up monitoring',
    Permissions: {
      PolicyTemplateArn: templateArn,
      Parameters: [
        { Name: 'userName', Values: ['alice'], Type: 'string' },
        { Name: 'regions', Values: ['us-east-1', 'eu-west-1'], Type: 'stringList' },
      ],
    },
    RequestorWorkflowId: `wf-${Math.random().toString(36).slice(2)}`,
    NotificationChannel: 'arn:aws:sns:us-east-1:123456789012:partner-topic',
    SessionDuration: 3600,
    ...over,
  });
  const create = async (over?: Partial<CreateDelegationRequestCommandInput>) => (await iam.send(new CreateDelegationRequestCommand(input(over)))).DelegationRequestId!;
  const get = async (id: string, client = iam) => (await client.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
  const associate = (id: string, client = owner.iam) => client.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
  const accept = (id: string, client = owner.iam) => client.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
  const send = (id: string, client = owner.iam) => client.send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
  /** The partner's SNS subscription: Gatehouse sends nothing, the request keeps the token sealed with the data key. */
  const deliveredToken = (id: string) => {
    const r = gh.server().state.get('delegationRequest', id)!.data as DelegationRequest;
    return secretBox(loadDataKey(gh.dataDir, {}, false)).open(r.exchangeTokenSealed!);
  };
  const finalized = async (over?: Partial<CreateDelegationRequestCommandInput>) => {
    const id = await create(over);
    await associate(id);
    await accept(id);
    await send(id);
    return id;
  };

  test('the lifecycle: UNASSIGNED, ASSIGNED, PENDING_APPROVAL, ACCEPTED, FINALIZED, with the rendered policy', async () => {
    const id = await create({ RequestMessage: 'Second try', RedirectUrl: 'https://partner.example/return', OnlySendByOwner: true });
    assert.match(id, /^[\w-]{16,128}$/);
    let r = await get(id);
    assert.equal(r.State, 'UNASSIGNED');
    assert.equal(r.RequestorId, gh.accountId);
    assert.equal(r.OwnerAccountId, undefined);
    assert.equal(r.Description, 'Set up monitoring');
    assert.equal(r.RequestMessage, 'Second try');
    assert.equal(r.SessionDuration, 3600);
    assert.equal(r.OnlySendByOwner, true);
    assert.equal(r.Permissions!.PolicyTemplateArn, templateArn);
    assert.deepEqual(JSON.parse(r.PermissionPolicy!).Statement, [
      { Effect: 'Allow', Action: ['iam:GetUser'], Resource: 'arn:aws:iam::123456789012:user/alice' },
      { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListRoles'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } },
    ]);
    assert.ok(r.ExpirationTime! > r.CreateDate!);

    await associate(id);
    r = await get(id);
    assert.deepEqual([r.State, r.OwnerId, r.OwnerAccountId], ['ASSIGNED', owner.arn, gh.accountId]);

    await owner.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: 'Asking the admin' }));
    r = await get(id);
    assert.deepEqual([r.State, r.Notes], ['PENDING_APPROVAL', 'Asking the admin']);

    await accept(id);
    r = await get(id);
    assert.deepEqual([r.State, r.ApproverId], ['ACCEPTED', owner.arn]);

    clock.advance(60_000);
    await send(id);
    r = await get(id);
    assert.equal(r.State, 'FINALIZED');
    // The delegation period starts when the token is sent.
    assert.equal(r.ExpirationTime!.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000 + 3600_000);
  });

  test('the token trades for credentials acting as the approver, bounded by the permission policy, until the period ends', async () => {
    const id = await finalized();
    const token = deliveredToken(id);
    const answer = await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    assert.equal(answer.AssumedPrincipal, owner.arn);
    assert.equal(answer.PackedPolicySize, undefined);
    assert.match(answer.Credentials!.AccessKeyId!, /^ASIA/);
    const delegated = gh.iamFor(creds(answer.Credentials));
    assert.equal((await gh.stsFor(creds(answer.Credentials)).send(new GetCallerIdentityCommand({}))).Arn, owner.arn);

    // What the policy grants works; what the approver could do beyond it does not.
    assert.equal((await delegated.send(new GetUserCommand({ UserName: 'alice' }))).User!.UserName, 'alice');
    assert.ok((await delegated.send(new ListUsersCommand({}))).Users!.length >= 3);
    await rejects(delegated.send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied');
    await rejects(delegated.send(new CreateUserCommand({ UserName: 'mallory' })), 'AccessDenied');

    // The credentials end with the delegation period, and so does the token.
    assert.equal(answer.Credentials!.Expiration!.getTime(), (await get(id)).ExpirationTime!.getTime());
    clock.advance(HOUR + 1000);
    await rejects(delegated.send(new ListUsersCommand({})), 'ExpiredToken');
    await rejects(gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token })), 'ExpiredTradeInTokenException',
      'The trade-in token provided in the request has expired and can no longer be exchanged for credentials.');
    assert.equal((await get(id)).State, 'EXPIRED');
  });

  test('requests, tokens and delegated sessions survive a restart', async () => {
    const id = await finalized();
    const token = deliveredToken(id);
    const answer = await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    await gh.restart();
    assert.equal((await get(id)).State, 'FINALIZED');
    const delegated = gh.iamFor(creds(answer.Credentials));
    await delegated.send(new GetUserCommand({ UserName: 'alice' }));
    await rejects(delegated.send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied');
    await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
  });

  test('the delegated credentials can do nothing the approver cannot', async () => {
    const narrow = await gh.user('narrow', allowAll(['iam:*DelegationRequest*', 'iam:SendDelegationToken', 'iam:ListUsers']));
    const id = await create();
    await associate(id, narrow.iam);
    await accept(id, narrow.iam);
    await send(id, narrow.iam);
    const answer = await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: deliveredToken(id) }));
    assert.equal(answer.AssumedPrincipal, narrow.arn);
    const delegated = gh.iamFor(creds(answer.Credentials));
    await delegated.send(new ListUsersCommand({}));
    await rejects(delegated.send(new GetUserCommand({ UserName: 'alice' })), 'AccessDenied');
  });

  test('a role session can approve: the credentials are a session of that role', async () => {
    const roleArn = await gh.role('approver', trustAccount(gh.accountId), { policy: allowAll() });
    const session = await gh.session(roleArn, 'carol');
    const id = await create();
    await associate(id, session.iam);
    await accept(id, session.iam);
    await send(id, session.iam);
    const answer = await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: deliveredToken(id) }));
    assert.equal(answer.AssumedPrincipal, `arn:aws:sts::${gh.accountId}:assumed-role/approver/carol`);
    const delegated = gh.iamFor(creds(answer.Credentials));
    await delegated.send(new GetUserCommand({ UserName: 'alice' }));
    await rejects(delegated.send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied');
  });

  test('a token that is not one, or is altered, or comes from another request, trades for nothing', async () => {
    const id = await finalized();
    const token = deliveredToken(id);
    for (const bad of ['nonsense', `${id}.AAAA`, `${token}x`, `dr-00000000000000000000000000000000.${token.split('.')[1]}`]) {
      await rejects(gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: bad })), 'ExpiredTradeInTokenException');
    }
    // An accepted request whose token was never sent has none to trade.
    const other = await create();
    await associate(other);
    await accept(other);
    assert.equal((gh.server().state.get('delegationRequest', other)!.data as DelegationRequest).exchangeTokenSealed, undefined);
  });

  test('reject: from ASSIGNED, PENDING_APPROVAL or ACCEPTED, with the reason; then nothing more, and it expires in 7 days', async () => {
    const id = await create();
    await associate(id);
    await accept(id);
    await owner.iam.send(new RejectDelegationRequestCommand({ DelegationRequestId: id, Notes: 'Too broad' }));
    const r = await get(id);
    assert.deepEqual([r.State, r.RejectionReason], ['REJECTED', 'Too broad']);
    assert.ok(Math.abs(r.ExpirationTime!.getTime() - (clock.now().getTime() + 7 * DAY)) < 2000);
    await rejects(accept(id), 'InvalidInput', 'Cannot accept a delegation request in state REJECTED.');
    await rejects(owner.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: 'x' })), 'InvalidInput');
    await rejects(send(id), 'InvalidInput', 'Cannot send the token of a delegation request in state REJECTED.');
    clock.advance(7 * DAY + 1000);
    assert.equal((await get(id)).State, 'EXPIRED');
  });

  test('transitions out of order are InvalidInput and change nothing', async () => {
    const id = await create();
    await rejects(accept(id), 'InvalidInput', 'Cannot accept a delegation request in state UNASSIGNED.');
    await rejects(send(id), 'InvalidInput');
    await rejects(owner.iam.send(new RejectDelegationRequestCommand({ DelegationRequestId: id })), 'InvalidInput');
    await associate(id);
    await rejects(associate(id), 'InvalidInput', 'Cannot associate a delegation request in state ASSIGNED.');
    await rejects(send(id), 'InvalidInput', 'Cannot send the token of a delegation request in state ASSIGNED.');
    await accept(id);
    await send(id);
    await rejects(owner.iam.send(new RejectDelegationRequestCommand({ DelegationRequestId: id })), 'InvalidInput', 'Cannot reject a delegation request in state FINALIZED.');
    assert.equal((await get(id)).State, 'FINALIZED');
  });

  test('an open request expires after 7 days; 30 days on, the next Create removes it', async () => {
    const id = await create({ RequestorWorkflowId: 'reused' });
    clock.advance(7 * DAY + 1000);
    assert.equal((await get(id)).State, 'EXPIRED');
    await rejects(associate(id), 'InvalidInput', 'Cannot associate a delegation request in state EXPIRED.');
    await rejects(create({ RequestorWorkflowId: 'reused' }), 'EntityAlreadyExists');
    clock.advance(30 * DAY);
    await create({ RequestorWorkflowId: 'reused' });
    await rejects(get(id), 'NoSuchEntity');
  });

  test('OwnerAccountId: only that account associates', async () => {
    const id = await create({ OwnerAccountId: '210987654321' });
    await rejects(associate(id), 'InvalidInput', 'This delegation request can only be associated by an identity of account 210987654321.');
    const ours = await create({ OwnerAccountId: gh.accountId });
    await associate(ours);
    assert.equal((await get(ours)).OwnerId, owner.arn);
  });

  test('OnlySendByOwner: another identity of the account may accept but not send', async () => {
    const admin2 = await gh.user('admin2', allowAll());
    const id = await create({ OnlySendByOwner: true });
    await associate(id);
    await accept(id, admin2.iam);
    assert.equal((await get(id)).ApproverId, admin2.arn);
    await rejects(send(id, admin2.iam), 'InvalidInput', 'Only the owner of this delegation request can send its delegation token.');
    await send(id);
    assert.equal((await get(id)).State, 'FINALIZED');
    // Without the flag, anyone allowed may send.
    const open = await create();
    await associate(open);
    await accept(open);
    await send(open, admin2.iam);
  });

  test('Create: a workflow id once, the template registered by the requestor, every parameter given and used, the rendered size', async () => {
    const workflow = 'workflow-1';
    await create({ RequestorWorkflowId: workflow });
    await rejects(create({ RequestorWorkflowId: workflow }), 'EntityAlreadyExists', 'A delegation request with RequestorWorkflowId workflow-1 already exists.');
    await rejects(create({ Permissions: { PolicyTemplateArn: 'arn:aws:iam::123456789012:policy/none', Parameters: [] } }), 'InvalidInput',
      'The policy template arn:aws:iam::123456789012:policy/none is not registered for this requestor.');
    await rejects(create({ Permissions: { PolicyTemplateArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }), 'InvalidInput');
    await rejects(create({ Permissions: { Parameters: [] } }), 'InvalidInput', 'Permissions must name a PolicyTemplateArn.');
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: 'userName', Values: ['alice'], Type: 'string' }] } }), 'InvalidInput',
      'The policy template requires a value for parameter regions.');
    const params = input().Permissions!.Parameters!;
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [...params, { Name: 'extra1', Values: ['x'], Type: 'string' }] } }), 'InvalidInput',
      'The policy template has no parameter extra1.');
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: 'userName', Values: ['a', 'b'], Type: 'string' }, params[1]!] } }), 'InvalidInput',
      'Policy parameter userName of type string takes exactly one value.');
    const long = Array.from({ length: 200 }, (_, i) => `region-${i}`);
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [params[0]!, { Name: 'regions', Values: long, Type: 'stringList' }] } }), 'InvalidInput',
      /^The rendered permission policy is \d+ characters; the limit is 2048\.$/);
    assert.equal((await iam.send(new ListDelegationRequestsCommand({}))).DelegationRequests!.length, 1);
  });

  test('Create: AWS constraints on the input are ValidationError', async () => {
    await rejects(create({ SessionDuration: 899 }), 'ValidationError', /sessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 900/);
    await rejects(create({ NotificationChannel: 'not a topic!' }), 'ValidationError', /notificationChannel/);
    await rejects(create({ OwnerAccountId: '12345' }), 'ValidationError', /ownerAccountId/);
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: 'abc', Values: ['x'], Type: 'string' }] } }), 'ValidationError', /name/i);
    await rejects(create({ Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: 'userName', Values: ['x'], Type: 'number' as 'string' }] } }), 'ValidationError', /type/i);
    await rejects(get('short'), 'ValidationError', /delegationRequestId/);
  });

  test('unknown ids are NoSuchEntity', async () => {
    const id = 'dr-0123456789abcdef0123456789abcdef';
    const message = `The delegation request with id ${id} cannot be found.`;
    await rejects(get(id), 'NoSuchEntity', message);
    await rejects(associate(id), 'NoSuchEntity', message);
    await rejects(accept(id), 'NoSuchEntity', message);
    await rejects(send(id), 'NoSuchEntity', message);
    await rejects(owner.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id })), 'NoSuchEntity', message);
    await rejects(owner.iam.send(new RejectDelegationRequestCommand({ DelegationRequestId: id })), 'NoSuchEntity', message);
  });

  test('List: every request, filtered by owner, paged', async () => {
    // Oldest first: a second apart.
    const a = await create();
    clock.advance(1000);
    const b = await create();
    clock.advance(1000);
    const c = await create();
    await associate(b);
    const all = (await iam.send(new ListDelegationRequestsCommand({}))).DelegationRequests!.map((r) => r.DelegationRequestId);
    assert.deepEqual(all, [a, b, c]);
    const owned = (await iam.send(new ListDelegationRequestsCommand({ OwnerId: owner.arn }))).DelegationRequests!.map((r) => r.DelegationRequestId);
    assert.deepEqual(owned, [b]);
    const first = await iam.send(new ListDelegationRequestsCommand({ MaxItems: 2 }));
    assert.equal(first.isTruncated, true);
    const rest = await iam.send(new ListDelegationRequestsCommand({ Marker: first.Marker }));
    assert.deepEqual([...first.DelegationRequests!, ...rest.DelegationRequests!].map((r) => r.DelegationRequestId), [a, b, c]);
  });

  test('authorization: each action on the delegation-request ARN; the trade needs sts:GetDelegatedAccessToken', async () => {
    const id = await create();
    const arn = `arn:aws:iam::${gh.accountId}:delegation-request/${id}`;
    const nobody = await gh.user('nobody', allowAll('iam:GetUser'));
    await rejects(nobody.iam.send(new CreateDelegationRequestCommand(input())), 'AccessDenied');
    await rejects(get(id, nobody.iam), 'AccessDenied', new RegExp(`iam:GetDelegationRequest on resource: ${arn}`));
    await rejects(associate(id, nobody.iam), 'AccessDenied', new RegExp(`iam:AssociateDelegationRequest on resource: ${arn}`));
    const scoped = await gh.user('scoped', allowAll(['iam:AssociateDelegationRequest', 'iam:AcceptDelegationRequest', 'iam:SendDelegationToken'], arn));
    await associate(id, scoped.iam);
    await accept(id, scoped.iam);
    await send(id, scoped.iam);
    await rejects(nobody.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: deliveredToken(id) })), 'AccessDenied', /sts:GetDelegatedAccessToken/);
    const other = await create();
    await rejects(accept(other, scoped.iam), 'AccessDenied');
  });

  test('DelegationPermissionCheck: whether the permissions of the caller cover the request, approximately', async () => {
    const id = await create();
    const check = async (client: IAMClient) => {
      const r = await client.send(new GetDelegationRequestCommand({ DelegationRequestId: id, DelegationPermissionCheck: true }));
      return [r.PermissionCheckStatus, r.PermissionCheckResult];
    };
    assert.deepEqual(await check(owner.iam), ['COMPLETE', 'ALLOWED']);
    const reader = await gh.user('reader', allowAll(['iam:GetDelegationRequest', 'iam:ListUsers', 'iam:ListRoles']));
    assert.deepEqual(await check(reader.iam), ['COMPLETE', 'DENIED']);
    const wide = await gh.user('wide', allowAll(['iam:GetDelegationRequest', 'iam:ListUsers', 'iam:ListRoles', 'iam:GetUser'], ['*']));
    assert.deepEqual(await check(wide.iam), ['COMPLETE', 'ALLOWED']);
    const plain = await iam.send(new GetDelegationRequestCommand({ DelegationRequestId: id }));
    assert.deepEqual([plain.PermissionCheckStatus, plain.PermissionCheckResult], [undefined, undefined]);
  });

  test('the owner may update without a policy granting it, unless a policy denies it', async () => {
    const arnOf = (id: string) => `arn:aws:iam::${gh.accountId}:delegation-request/${id}`;
    const claimer = await gh.user('claimer', allowAll('iam:AssociateDelegationRequest'));
    const id = await create();
    await rejects(claimer.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: 'x' })), 'AccessDenied',
      new RegExp(`iam:UpdateDelegationRequest on resource: ${arnOf(id)}`));
    await associate(id, claimer.iam);
    await claimer.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: 'for review' }));
    assert.deepEqual([(await get(id)).State, (await get(id)).Notes], ['PENDING_APPROVAL', 'for review']);
    // Not the owner: the grant is not theirs.
    const other = await gh.user('other', allowAll('iam:GetUser'));
    await rejects(other.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id })), 'AccessDenied');
    await iam.send(new PutUserPolicyCommand({
      UserName: 'claimer',
      PolicyName: 'deny-update',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:UpdateDelegationRequest', Resource: '*' }] }),
    }));
    await rejects(claimer.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id })), 'AccessDenied', /explicit deny/);
  });

  test('the simulator decides the delegation actions on the delegation-request ARN as enforcement does', async () => {
    const id = await create();
    const arn = `arn:aws:iam::${gh.accountId}:delegation-request/${id}`;
    const scoped = await gh.user('scoped', allowAll(['iam:AcceptDelegationRequest'], arn));
    const results = (await iam.send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: scoped.arn,
      ActionNames: ['iam:AcceptDelegationRequest', 'iam:SendDelegationToken'],
      ResourceArns: [arn],
    }))).EvaluationResults!;
    assert.deepEqual(results.map((r) => [r.EvalActionName, r.EvalDecision]), [
      ['iam:AcceptDelegationRequest', 'allowed'],
      ['iam:SendDelegationToken', 'implicitDeny'],
    ]);
    await associate(id);
    await accept(id, scoped.iam);
    await rejects(send(id, scoped.iam), 'AccessDenied');
  });

  test('at most 500 open requests per requestor account: LimitExceeded, and expired ones do not count', async () => {
    for (let i = 0; i < 500; i++) await create({ RequestorWorkflowId: `bulk-${i}` });
    await rejects(create(), 'LimitExceeded', 'Cannot exceed quota for DelegationRequestsPerAccount: 500');
    clock.advance(7 * DAY + 1000);
    await create();
  });

  test('the trail: each call is an event; the exchange token appears in none', async () => {
    const seen = (await gh.events()).length;
    const id = await finalized();
    const token = deliveredToken(id);
    await gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    await rejects(gh.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: 'nonsense' })), 'ExpiredTradeInTokenException');
    const events = (await gh.events()).slice(seen);
    assert.deepEqual(events.map((e) => e.eventName), [
      'CreateDelegationRequest', 'AssociateDelegationRequest', 'AcceptDelegationRequest', 'SendDelegationToken',
      'GetDelegatedAccessToken', 'GetDelegatedAccessToken',
    ]);
    const created = events[0]!;
    assert.equal((created.responseElements as { delegationRequestId: string }).delegationRequestId, id);
    const sent = events[3]!;
    assert.deepEqual(sent.requestParameters, { delegationRequestId: id });
    const traded = events[4]!;
    assert.deepEqual(traded.requestParameters, { tradeInToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    const response = traded.responseElements as { credentials: { accessKeyId: string; sessionToken?: string }; assumedPrincipal: string };
    assert.match(response.credentials.accessKeyId, /^ASIA/);
    assert.equal(response.assumedPrincipal, owner.arn);
    assert.equal(events[5]!.errorCode, 'ExpiredTradeInTokenException');
    const text = JSON.stringify(events);
    assert.ok(!text.includes(token.split('.')[1]!), 'the token is in the trail');
  });
});
