// --fresh-account (GATEHOUSE_FRESH_ACCOUNT=1): first start and test mode's reset leave what a new
// AWS account looks like to code under test: no IAM users, groups or roles, and the bootstrap key
// is the root user's. Root may create access keys there, as on a new AWS account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountSummaryCommand,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { BOOTSTRAP_CREDENTIALS_FILE } from '../../src/iam/bootstrap.ts';
import { loadConfig } from '../../src/server/config.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, type TestGatehouse } from '../support/gatehouse.ts';
import { trustAccount } from '../support/policies.ts';

async function assertEmptyAccount(gh: TestGatehouse): Promise<void> {
  assert.deepEqual((await gh.iam.send(new ListUsersCommand({}))).Users, []);
  assert.deepEqual((await gh.iam.send(new ListGroupsCommand({}))).Groups, []);
  assert.deepEqual((await gh.iam.send(new ListRolesCommand({}))).Roles, []);
}

describe('a fresh account (GATEHOUSE_FRESH_ACCOUNT=1)', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse({ env: { GATEHOUSE_FRESH_ACCOUNT: '1' } });
  });
  after(() => gh.close());

  test('first start: no users, groups or roles, and the bootstrap key is the root user\'s', async () => {
    await assertEmptyAccount(gh);
    const me = await gh.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${gh.accountId}:root`);
    assert.equal(me.UserId, gh.accountId);
    const summary = (await gh.iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.equal(summary.AccountAccessKeysPresent, 1);
    assert.equal(summary.Users, 0);
    const keys = await gh.iam.send(new ListAccessKeysCommand({}));
    assert.deepEqual(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId), [TEST_ACCESS_KEY_ID]);
    const profile = readFileSync(join(gh.dataDir, BOOTSTRAP_CREDENTIALS_FILE), 'utf8');
    assert.match(profile, /the secret access key of the root user \(a fresh account: no IAM users,\n# groups or roles\)/);
  });

  test('reset returns it to that: what the test made is gone, the key is still root\'s', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await gh.iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await gh.iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify(trustAccount(gh.accountId)) }));
    // Root may make a second key, as on a new AWS account.
    const { AccessKey } = await gh.iam.send(new CreateAccessKeyCommand({}));
    assert.match(AccessKey!.AccessKeyId!, /^AKIA/);
    await gh.reset();
    await assertEmptyAccount(gh);
    assert.equal((await gh.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${gh.accountId}:root`);
    const keys = await gh.iam.send(new ListAccessKeysCommand({}));
    assert.deepEqual(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId), [TEST_ACCESS_KEY_ID]);
  });
});

describe('a fresh account in aws-cn', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse({ region: 'cn-north-1', env: { GATEHOUSE_FRESH_ACCOUNT: '1' } });
  });
  after(() => gh.close());

  test('the root user is arn:aws-cn:iam::<account>:root', async () => {
    await gh.reset();
    await assertEmptyAccount(gh);
    assert.equal((await gh.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws-cn:iam::${gh.accountId}:root`);
  });
});

describe('without --fresh-account (the default)', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse();
  });
  after(() => gh.close());

  test('reset leaves the admin user in Administrators with the bootstrap key, and root may not make keys', async () => {
    await gh.reset();
    assert.deepEqual((await gh.iam.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName), ['admin']);
    assert.deepEqual((await gh.iam.send(new ListGroupsCommand({}))).Groups?.map((g) => g.GroupName), ['Administrators']);
    assert.equal((await gh.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${gh.accountId}:user/admin`);
  });
});

describe('configuration', () => {
  test('--fresh-account or GATEHOUSE_FRESH_ACCOUNT; root access keys follow it unless set', () => {
    assert.equal(loadConfig([], {}).freshAccount, false);
    assert.equal(loadConfig([], {}).allowRootAccessKeys, false);
    assert.equal(loadConfig(['--fresh-account'], {}).freshAccount, true);
    const fresh = loadConfig([], { GATEHOUSE_FRESH_ACCOUNT: '1' });
    assert.equal(fresh.freshAccount, true);
    assert.equal(fresh.allowRootAccessKeys, true);
    assert.equal(loadConfig([], { GATEHOUSE_FRESH_ACCOUNT: '1', GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS: '0' }).allowRootAccessKeys, false);
  });

  test('a region of no AWS partition is refused', () => {
    assert.throws(() => loadConfig(['--region', 'zz-nowhere-9'], {}), { message: 'GATEHOUSE_REGION must be a region of an AWS partition, got zz-nowhere-9' });
  });
});

