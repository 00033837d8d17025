// OpenID Connect providers through the real SDK against a real server: the URL rules, client ids and
// thumbprints with AWS's limits and messages, NoSuchEntity, the account quota, authorization on the
// provider's ARN with the request's and the provider's tags, the audit trail and the summary.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { allowAll } from '../../support/policies.ts';

const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

describe('IAM OpenID Connect providers', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  let arnOf: (name: string) => string;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
    arnOf = (name) => `arn:aws:iam::${gh.accountId}:oidc-provider/${name}`;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const create = (Url: string, extra: { ClientIDList?: string[]; ThumbprintList?: string[] } = {}, client = iam) =>
    client.send(new CreateOpenIDConnectProviderCommand({ Url, ...extra }));
  const get = (arn: string) => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));

  test('a provider: its ARN from the URL, client ids once each, thumbprints in lower case, tags; the URL answered without https://', async () => {
    const made = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://idp.example.com/realms/main',
        ClientIDList: ['app', 'cli', 'app'],
        ThumbprintList: [THUMB.toUpperCase(), THUMB],
        Tags: [{ Key: 'team', Value: 'blue' }],
      }),
    );
    const arn = arnOf('idp.example.com/realms/main');
    assert.equal(made.OpenIDConnectProviderArn, arn);
    assert.deepEqual(made.Tags, [{ Key: 'team', Value: 'blue' }]);
    const got = await get(arn);
    assert.equal(got.Url, 'idp.example.com/realms/main');
    assert.deepEqual(got.ClientIDList, ['app', 'cli']);
    assert.deepEqual(got.ThumbprintList, [THUMB]);
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'blue' }]);
    assert.ok(got.CreateDate instanceof Date && Math.abs(got.CreateDate.getTime() - Date.now()) < 60_000);
    // The ARN resolves without regard to case, as the URL compares.
    assert.equal((await get(arnOf('IDP.example.com/realms/MAIN'))).Url, 'idp.example.com/realms/main');

    // Thumbprints are optional (AWS no longer needs them for most providers).
    await create('https://other.example.com');
    assert.deepEqual((await get(arnOf('other.example.com'))).ThumbprintList, []);
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(listed.OpenIDConnectProviderList, [{ Arn: arn }, { Arn: arnOf('other.example.com') }]);
  });

  test("URLs as AWS takes them: https, a host, no user, port, query or fragment; AWS's codes and messages", async () => {
    await rejects(create('idp.example.com'), 'ValidationError', 'Invalid Open ID Connect Provider URL');
    await rejects(create('https://'), 'ValidationError', 'Invalid Open ID Connect Provider URL');
    await rejects(create('http://idp.example.com'), 'InvalidInput', 'Invalid Open ID Connect Provider URL. The URL must begin with https://.');
    for (const url of ['https://user:pw@idp.example.com', 'https://idp.example.com?a=1', 'https://idp.example.com/x#f', 'https://idp.example.com:8443', 'https://exa_mple.com']) {
      await rejects(create(url), 'InvalidInput', 'Invalid Open ID Connect Provider URL.');
    }
    await rejects(create(`https://${'a'.repeat(248)}.com`), 'ValidationError', /Member must have length less than or equal to 255/);
    assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, []);
  });

  test('one URL once per account, compared without case; a trailing slash makes another URL', async () => {
    await create('https://idp.example.com');
    await rejects(create('https://IDP.example.com'), 'EntityAlreadyExists', 'Provider with url https://IDP.example.com already exists.');
    await create('https://idp.example.com/');
    assert.equal((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length, 2);
  });

  test('client ids: at most 100, adding one twice or removing an absent one changes nothing', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `app-${i}`);
    await rejects(create('https://idp.example.com', { ClientIDList: ids(101) }), 'LimitExceeded', 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100');
    const { OpenIDConnectProviderArn: arn } = await create('https://idp.example.com', { ClientIDList: ids(99) });
    const on = { OpenIDConnectProviderArn: arn };
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'web' }));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'web' }));
    await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'one-more' })), 'LimitExceeded', 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100');
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ ...on, ClientID: 'app-0' }));
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ ...on, ClientID: 'never-added' }));
    const list = (await get(arn!)).ClientIDList!;
    assert.equal(list.length, 99);
    assert.equal(list.at(-1), 'web');
    assert.ok(!list.includes('app-0') && !list.includes('one-more'));
    await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ ...on, ClientID: 'x'.repeat(256) })), 'ValidationError');
  });

  test('thumbprints: at most 5, 40 characters each; the update replaces the list', async () => {
    const six = ['1', '2', '3', '4', '5', '6'].map((c) => c.repeat(40));
    await rejects(create('https://idp.example.com', { ThumbprintList: six }), 'InvalidInput', 'Thumbprint list must contain fewer than 5 entries.');
    await rejects(create('https://idp.example.com', { ThumbprintList: ['a'.repeat(39)] }), 'ValidationError');
    const { OpenIDConnectProviderArn: arn } = await create('https://idp.example.com', { ThumbprintList: six.slice(0, 5) });
    assert.equal((await get(arn!)).ThumbprintList!.length, 5);
    await rejects(iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: six })), 'InvalidInput');
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: [THUMB.toUpperCase()] }));
    assert.deepEqual((await get(arn!)).ThumbprintList, [THUMB]);
  });

  test('what does not exist is NoSuchEntity; deleting is idempotent', async () => {
    const ghost = arnOf('ghost.example.com');
    const message = `OpenIDConnect Provider not found for arn ${ghost}`;
    await rejects(get(ghost), 'NoSuchEntity', message);
    await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: ghost, ClientID: 'a' })), 'NoSuchEntity', message);
    await rejects(iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: ghost, ClientID: 'a' })), 'NoSuchEntity', message);
    await rejects(iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: ghost, ThumbprintList: [THUMB] })), 'NoSuchEntity', message);
    // Another kind's ARN names no provider; another account's provider is that account's to grant.
    await rejects(get(`arn:aws:iam::${gh.accountId}:role/idp.example.com`), 'NoSuchEntity');
    await rejects(get('arn:aws:iam::210987654321:oidc-provider/idp.example.com'), 'AccessDenied');

    const { OpenIDConnectProviderArn: arn } = await create('https://idp.example.com');
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await rejects(get(arn!), 'NoSuchEntity');
  });

  test('at most 100 providers per account; they count as Providers in the summary', async () => {
    for (let i = 0; i < 100; i++) await create(`https://idp${i}.example.com`);
    await rejects(create('https://one-more.example.com'), 'LimitExceeded', 'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100');
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.equal(SummaryMap!.Providers, 100);
  });

  test('authorized on the provider ARN with aws:RequestTag, aws:TagKeys and the resource tags; a refused call changes nothing', async () => {
    const blue = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://blue.example.com', Tags: [{ Key: 'team', Value: 'blue' }] }))).OpenIDConnectProviderArn!;
    const red = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://red.example.com', Tags: [{ Key: 'team', Value: 'red' }] }))).OpenIDConnectProviderArn!;
    const user = await gh.user('oidc-admin', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:GetOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
        { Effect: 'Allow', Action: 'iam:CreateOpenIDConnectProvider', Resource: arnOf('new.example.com'), Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } },
        { Effect: 'Allow', Action: 'iam:ListOpenIDConnectProviders', Resource: '*' },
      ],
    });
    await user.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: blue }));
    await rejects(user.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: red })), 'AccessDenied', new RegExp(`not authorized to perform: iam:GetOpenIDConnectProvider on resource: ${red.replace(/[.]/g, '\\.')}`));
    await rejects(user.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: red, ClientID: 'x' })), 'AccessDenied');
    assert.deepEqual((await get(red)).ClientIDList, []);
    assert.equal((await user.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length, 2);

    await rejects(create('https://new.example.com', {}, user.iam), 'AccessDenied');
    await rejects(user.iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://other.example.com', Tags: [{ Key: 'team', Value: 'blue' }] })), 'AccessDenied');
    await user.iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://new.example.com', Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.equal((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length, 3);

    const nobody = await gh.user('nobody', allowAll('iam:GetUser'));
    await rejects(nobody.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: blue })), 'AccessDenied');
    await get(blue);
  });

  test('calls are audited: the request as sent, the new ARN as answered, refusals with their code', async () => {
    const seen = (await gh.events()).length;
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://idp.example.com', ClientIDList: ['app'], ThumbprintList: [THUMB], Tags: [{ Key: 'k', Value: 'v' }] }));
    await rejects(create('http://idp.example.com'), 'InvalidInput');
    const events = (await gh.events()).slice(seen).filter((e) => e.eventName === 'CreateOpenIDConnectProvider');
    assert.equal(events.length, 2);
    const [ok, refused] = events as [(typeof events)[0], (typeof events)[0]];
    assert.deepEqual(ok.requestParameters, { url: 'https://idp.example.com', clientIDList: ['app'], thumbprintList: [THUMB], tags: [{ key: 'k', value: 'v' }] });
    assert.deepEqual(ok.responseElements, { openIDConnectProviderArn: arnOf('idp.example.com'), tags: [{ key: 'k', value: 'v' }] });
    assert.equal(ok.eventSource, 'iam.amazonaws.com');
    assert.equal(refused.errorCode, 'InvalidInput');
    assert.equal(refused.responseElements, null);
  });
});
