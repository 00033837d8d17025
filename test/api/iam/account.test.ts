// Account operations (aliases, summary) through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  SetSecurityTokenServicePreferencesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';



/** Every key the GetAccountSummary reference lists as valid. */
const SUMMARY_KEYS = [
  'Users', 'UsersQuota', 'Groups', 'GroupsQuota', 'ServerCertificates', 'ServerCertificatesQuota', 'UserPolicySizeQuota',
  'GroupPolicySizeQuota', 'GroupsPerUserQuota', 'SigningCertificatesPerUserQuota', 'AccessKeysPerUserQuota', 'MFADevices',
  'MFADevicesInUse', 'AccountMFAEnabled', 'AccountAccessKeysPresent', 'AccountPasswordPresent', 'AccountSigningCertificatesPresent',
  'AttachedPoliciesPerGroupQuota', 'AttachedPoliciesPerRoleQuota', 'AttachedPoliciesPerUserQuota', 'Policies', 'PoliciesQuota',
  'PolicySizeQuota', 'PolicyVersionsInUse', 'PolicyVersionsInUseQuota', 'VersionsPerPolicyQuota', 'GlobalEndpointTokenVersion',
  'AssumeRolePolicySizeQuota', 'InstanceProfiles', 'InstanceProfilesQuota', 'Providers', 'RolePolicySizeQuota', 'Roles', 'RolesQuota',
];

describe('IAM account', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const aliases = async () => (await iam.send(new ListAccountAliasesCommand({}))).AccountAliases;

  describe('account aliases', () => {
    test('none at first; create lists it; a new alias replaces the old', async () => {
      const empty = await iam.send(new ListAccountAliasesCommand({}));
      assert.deepEqual(empty.AccountAliases, []);
      assert.equal(empty.IsTruncated, false);
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company' }));
      assert.deepEqual(await aliases(), ['my-company']);
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company-2' }));
      assert.deepEqual(await aliases(), ['my-company-2']);
    });

    test('an alias in use, by this account or another, is EntityAlreadyExists', async () => {
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'mine' }));
      await rejects(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'mine' })), 'EntityAlreadyExists', 'The account alias mine already exists.');
      await gh.server().state.transact((tx) =>
        tx.put({ kind: 'account', id: '210987654321', accountId: '210987654321', data: { accountId: '210987654321', createDate: new Date().toISOString(), alias: 'theirs' } }),
      );
      await rejects(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'theirs' })), 'EntityAlreadyExists', 'The account alias theirs already exists.');
      assert.deepEqual(await aliases(), ['mine']);
      await gh.server().state.transact((tx) => tx.delete('account', '210987654321'));
    });

    test('a malformed alias is refused by validation', async () => {
      for (const alias of ['-bad', 'Bad', 'a--b', 'ab']) {
        await assert.rejects(iam.send(new CreateAccountAliasCommand({ AccountAlias: alias })), (e: Error & { Code?: string }) => {
          assert.equal(e.Code ?? e.name, 'ValidationError');
          return true;
        });
      }
      assert.deepEqual(await aliases(), []);
    });

    test('DeleteAccountAlias removes the alias; another name is NoSuchEntity', async () => {
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'mine' }));
      await rejects(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'other' })), 'NoSuchEntity', 'The account alias other cannot be found.');
      assert.deepEqual(await aliases(), ['mine']);
      await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'mine' }));
      assert.deepEqual(await aliases(), []);
      await rejects(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'mine' })), 'NoSuchEntity');
      // The account keeps the rest of its record (its bootstrap data survives).
      assert.ok((gh.server().state.get('account', gh.accountId)?.data as { bootstrap?: unknown }).bootstrap);
    });
  });

  describe('GetAccountSummary', () => {
    test('answers every documented key with usage counts and quotas', async () => {
      const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
      assert.deepEqual(Object.keys(SummaryMap ?? {}).sort(), [...SUMMARY_KEYS].sort());
      assert.equal(SummaryMap?.Users, 1);
      assert.equal(SummaryMap?.Groups, 1);
      assert.equal(SummaryMap?.UsersQuota, 5000);
      assert.equal(SummaryMap?.GroupsQuota, 300);
      assert.equal(SummaryMap?.GroupsPerUserQuota, 10);
      assert.equal(SummaryMap?.AccessKeysPerUserQuota, 2);
      assert.equal(SummaryMap?.AttachedPoliciesPerUserQuota, 10);
      assert.equal(SummaryMap?.PolicySizeQuota, 6144);
      assert.equal(SummaryMap?.UserPolicySizeQuota, 2048);
      assert.equal(SummaryMap?.GroupPolicySizeQuota, 5120);
      assert.equal(SummaryMap?.RolePolicySizeQuota, 10240);
      assert.equal(SummaryMap?.VersionsPerPolicyQuota, 5);
      assert.equal(SummaryMap?.AccountAccessKeysPresent, 0);
      assert.equal(SummaryMap?.AccountMFAEnabled, 0);
    });

    test('counts what exists, and the root user’s keys and MFA', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'a' }));
      await iam.send(new CreateUserCommand({ UserName: 'b' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'g' }));
      const now = new Date().toISOString();
      await gh.server().state.transact((tx) => {
        tx.put({ kind: 'accessKey', id: 'AKIAROOTTESTKEY00001', accountId: gh.accountId, data: { accessKeyId: 'AKIAROOTTESTKEY00001', userId: 'root', status: 'Active', createDate: now, secretEncrypted: 'x' } });
        for (const [name, userId] of [['root-mfa', 'root'], ['spare', undefined]] as const) {
          const serialNumber = `arn:aws:iam::${gh.accountId}:mfa/${name}`;
          tx.put({ kind: 'mfaDevice', id: serialNumber, accountId: gh.accountId, name, data: { serialNumber, path: '/', name, createDate: now, seedEncrypted: 'x', userId, tags: [] } });
        }
      });
      const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
      assert.equal(SummaryMap?.Users, 3);
      assert.equal(SummaryMap?.Groups, 2);
      assert.equal(SummaryMap?.AccountAccessKeysPresent, 1);
      assert.equal(SummaryMap?.MFADevices, 2);
      assert.equal(SummaryMap?.MFADevicesInUse, 1);
      assert.equal(SummaryMap?.AccountMFAEnabled, 1);
    });
  });

  describe('SetSecurityTokenServicePreferences', () => {
    const tokenVersion = async () => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.GlobalEndpointTokenVersion;

    test('sets the global endpoint token version, which the account summary shows (1 until set)', async () => {
      assert.equal(await tokenVersion(), 1);
      await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
      assert.equal(await tokenVersion(), 2);
      await gh.restart();
      assert.equal(await tokenVersion(), 2);
      await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v1Token' }));
      assert.equal(await tokenVersion(), 1);
    });

    test('a version that is neither v1Token nor v2Token, or none, is ValidationError and changes nothing', async () => {
      await rejects(iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v3Token' as 'v2Token' })), 'ValidationError',
        "1 validation error detected: Value 'v3Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]");
      await rejects(iam.send(new SetSecurityTokenServicePreferencesCommand({} as never)), 'ValidationError',
        "1 validation error detected: Value null at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must not be null");
      assert.equal(await tokenVersion(), 1);
    });

    test('needs iam:SetSecurityTokenServicePreferences on "*"; the change is audited, a refusal too', async () => {
      const seen = (await gh.events()).length;
      const user = await gh.user('ops', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetAccountSummary', Resource: '*' }] });
      await rejects(user.iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' })), 'AccessDenied',
        /not authorized to perform: iam:SetSecurityTokenServicePreferences on resource: \*/);
      assert.equal(await tokenVersion(), 1);
      await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
      const events = (await gh.events()).slice(seen).filter((e) => e.eventName === 'SetSecurityTokenServicePreferences');
      assert.deepEqual(events.map((e) => e.errorCode ?? 'OK').sort(), ['AccessDenied', 'OK']);
      const done = events.find((e) => e.errorCode === undefined)!;
      assert.equal(done.readOnly, false);
      assert.deepEqual(done.requestParameters, { globalEndpointTokenVersion: 'v2Token' });
    });
  });
});
