// Access key operations through the real SDK against a real server.
import { accessKeyOperations } from '../../../src/api/iam/access-keys.ts';
import { userOperations } from '../../../src/api/iam/users.ts';
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { CallContext } from '../../../src/api/operation.ts';
import { loadDataKey, secretBox } from '../../../src/store/data-key.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';



describe('IAM access keys', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    // Root access keys are refused by default (see credential-report.test.ts); these tests cover them.
    gh = await startTestGatehouse({ env: { GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS: '1' } });
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const keyIds = async (UserName?: string) =>
    ((await iam.send(new ListAccessKeysCommand({ UserName }))).AccessKeyMetadata ?? []).map((k) => k.AccessKeyId);

  /** Gives the root user a key straight in the state (bootstrap leaves root without one). */
  async function rootClient(): Promise<IAMClient> {
    const secret = 'rootSecretKeyForTestsOnly0123456789abcdef';
    const id = 'AKIAROOTTESTKEY00001';
    await gh.server().state.transact((tx) =>
      tx.put({
        kind: 'accessKey', id, accountId: gh.accountId,
        data: { accessKeyId: id, userId: 'root', status: 'Active', createDate: new Date().toISOString(), secretEncrypted: secretBox(loadDataKey(gh.dataDir)).seal(secret) },
      }),
    );
    return gh.iamFor({ accessKeyId: id, secretAccessKey: secret });
  }

  describe('CreateAccessKey', () => {
    test('creates a working key for a named user; the secret is only answered once and stored sealed', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      assert.equal(AccessKey?.UserName, 'alice');
      assert.equal(AccessKey?.Status, 'Active');
      assert.match(AccessKey?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
      assert.equal(AccessKey?.SecretAccessKey?.length, 40);
      assert.ok(AccessKey?.CreateDate instanceof Date);

      const stored = gh.server().state.accessKey(AccessKey!.AccessKeyId!)!;
      assert.ok(!stored.data.secretEncrypted.includes(AccessKey!.SecretAccessKey!));
      assert.equal(secretBox(loadDataKey(gh.dataDir)).open(stored.data.secretEncrypted), AccessKey?.SecretAccessKey);

      const alice = gh.iamFor({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      // Alice has no permissions, but the key authenticates: the answer is AccessDenied naming her.
      await rejects(alice.send(new GetUserCommand({})), 'AccessDenied', /user\/alice is not authorized to perform: iam:GetUser/);
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
      assert.equal(listed.AccessKeyMetadata?.[0]?.AccessKeyId, AccessKey?.AccessKeyId);
      assert.equal((listed.AccessKeyMetadata?.[0] as Record<string, unknown>).SecretAccessKey, undefined);
    });

    test('without a UserName creates a key for the caller', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({}));
      assert.equal(AccessKey?.UserName, 'admin');
      assert.deepEqual((await keyIds()).sort(), [TEST_ACCESS_KEY_ID, AccessKey!.AccessKeyId!].sort());
    });

    test('AccessKeysPerUser is 2', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
      assert.equal((await keyIds('alice')).length, 2);
    });

    test('the root user may create its own key; it has no user name', async () => {
      const root = await rootClient();
      const { AccessKey } = await root.send(new CreateAccessKeyCommand({}));
      assert.equal(AccessKey?.UserName, undefined);
      assert.equal(gh.server().state.accessKey(AccessKey!.AccessKeyId!)?.data.userId, 'root');
      const listed = await root.send(new ListAccessKeysCommand({}));
      assert.equal(listed.AccessKeyMetadata?.length, 2);
      await rejects(root.send(new CreateAccessKeyCommand({})), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
    });

    test('an unknown user is NoSuchEntity', async () => {
      await rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });

  describe('UpdateAccessKey', () => {
    test('an inactive key no longer authenticates; reactivated, it does again', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const alice = gh.iamFor({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Inactive' }));
      assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata?.[0]?.Status, 'Inactive');
      await rejects(alice.send(new GetUserCommand({})), 'InvalidClientTokenId');
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Active' }));
      await rejects(alice.send(new GetUserCommand({})), 'AccessDenied');
    });

    test("a key that is not the named user's is NoSuchEntity and is left alone", async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await rejects(
        iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: TEST_ACCESS_KEY_ID, Status: 'Inactive' })),
        'NoSuchEntity',
        `The Access Key with id ${TEST_ACCESS_KEY_ID} cannot be found.`,
      );
      assert.equal(gh.server().state.accessKey(TEST_ACCESS_KEY_ID)?.data.status, 'Active');
      await rejects(iam.send(new UpdateAccessKeyCommand({ AccessKeyId: 'AKIANOSUCHKEY0000000', Status: 'Inactive' })), 'NoSuchEntity', 'The Access Key with id AKIANOSUCHKEY0000000 cannot be found.');
    });

    test('an invalid status is refused by validation', async () => {
      await assert.rejects(iam.send(new UpdateAccessKeyCommand({ AccessKeyId: TEST_ACCESS_KEY_ID, Status: 'Paused' as 'Active' })));
      assert.equal(gh.server().state.accessKey(TEST_ACCESS_KEY_ID)?.data.status, 'Active');
    });
  });

  describe('DeleteAccessKey', () => {
    test('deletes the key; it no longer authenticates', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId! }));
      assert.deepEqual(await keyIds('alice'), []);
      const alice = gh.iamFor({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      await rejects(alice.send(new GetUserCommand({})), 'InvalidClientTokenId');
    });

    test("an unknown key or another user's key is NoSuchEntity", async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await rejects(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: TEST_ACCESS_KEY_ID })), 'NoSuchEntity', `The Access Key with id ${TEST_ACCESS_KEY_ID} cannot be found.`);
      assert.ok(gh.server().state.accessKey(TEST_ACCESS_KEY_ID));
      await rejects(iam.send(new DeleteAccessKeyCommand({ UserName: 'ghost', AccessKeyId: TEST_ACCESS_KEY_ID })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });

  describe('ListAccessKeys', () => {
    test('lists oldest first and paginates', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const a = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
      await new Promise((r) => setTimeout(r, 5));
      const b = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
      const first = await iam.send(new ListAccessKeysCommand({ UserName: 'alice', MaxItems: 1 }));
      assert.deepEqual(first.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.UserName, k.Status]), [[a, 'alice', 'Active']]);
      assert.equal(first.IsTruncated, true);
      const rest = await iam.send(new ListAccessKeysCommand({ UserName: 'alice', MaxItems: 1, Marker: first.Marker }));
      assert.deepEqual(rest.AccessKeyMetadata?.map((k) => k.AccessKeyId), [b]);
      assert.equal(rest.IsTruncated, false);
    });

    test('without a UserName lists the caller’s keys; an unknown user is NoSuchEntity', async () => {
      assert.deepEqual(await keyIds(), [TEST_ACCESS_KEY_ID]);
      await rejects(iam.send(new ListAccessKeysCommand({ UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });

  describe('GetAccessKeyLastUsed', () => {
    test('a key never used answers N/A and no date; a used key answers when, where and for what', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId! }));
      assert.equal(never.UserName, 'alice');
      assert.deepEqual(never.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });

      // The admin key was just used for IAM calls in us-east-1 (recorded off the request path).
      let used;
      for (let i = 0; i < 50; i++) {
        used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: TEST_ACCESS_KEY_ID }));
        if (used.AccessKeyLastUsed?.LastUsedDate) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(used?.UserName, 'admin');
      assert.ok(used?.AccessKeyLastUsed?.LastUsedDate instanceof Date);
      assert.equal(used?.AccessKeyLastUsed?.ServiceName, 'iam');
      assert.equal(used?.AccessKeyLastUsed?.Region, 'us-east-1');
    });

    test('an unknown key is NoSuchEntity', async () => {
      await rejects(iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIANOSUCHKEY0000000' })), 'NoSuchEntity', 'The Access Key with id AKIANOSUCHKEY0000000 cannot be found.');
    });
  });

  describe('callers that are not users', () => {
    test('must name a user, as AWS answers role sessions', () => {
      const call = {
        state: gh.server().state,
        accountId: gh.accountId,
        caller: {
          principal: { type: 'AssumedRole', arn: `arn:aws:sts::${gh.accountId}:assumed-role/r/s`, account: gh.accountId },
          accountId: gh.accountId,
          userId: 'AROAEXAMPLE:s',
          entityId: 'AROAEXAMPLE',
          accessKeyId: 'ASIAEXAMPLE',
          tags: [],
        },
      } as unknown as CallContext;
      for (const op of ['ListAccessKeys', 'CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'] as const) {
        assert.throws(() => accessKeyOperations[op]!.target({}, call), (e: Error & { code?: string }) => {
          assert.equal(e.code, 'ValidationError');
          assert.equal(e.message, 'Must specify userName when calling with non-User credentials');
          return true;
        });
      }
      assert.throws(() => userOperations.GetUser!.target({}, call), /Must specify userName/);
    });
  });
});
