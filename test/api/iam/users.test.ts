// IAM user operations through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { loadDataKey, secretBox } from '../../../src/store/data-key.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';



const BOUNDARY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

describe('IAM users', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const userNames = async (input: { PathPrefix?: string } = {}) =>
    ((await iam.send(new ListUsersCommand(input))).Users ?? []).map((u) => u.UserName);

  test('answers holding characters beyond ASCII arrive whole (their length is counted in bytes)', async () => {
    const tags = [{ Key: 'café', Value: 'naïve 漢字 Ünïcødé' }, { Key: 'ascii', Value: 'plain' }];
    await iam.send(new CreateUserCommand({ UserName: 'unicode', Tags: tags }));
    assert.deepEqual((await iam.send(new GetUserCommand({ UserName: 'unicode' }))).User!.Tags, tags);
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'unicode' }))).Tags, tags);
    const res = await fetch(`${gh.endpoint}/health`);
    assert.equal(Number(res.headers.get('content-length')), (await res.arrayBuffer()).byteLength);
  });

  /** Writes an entity straight into the state, for what other areas' operations would make. */
  const put = (kind: string, id: string, data: unknown, name?: string) =>
    gh.server().state.transact((tx) => tx.put({ kind, id, accountId: gh.accountId, name, data }));

  describe('CreateUser', () => {
    test('creates a user with path, tags and a boundary, and answers its shape', async () => {
      const { User } = await iam.send(
        new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }], PermissionsBoundary: BOUNDARY }),
      );
      assert.equal(User?.UserName, 'alice');
      assert.equal(User?.Path, '/eng/');
      assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:user/eng/alice`);
      assert.match(User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
      assert.ok(User?.CreateDate instanceof Date);
      assert.deepEqual(User?.Tags, [{ Key: 'team', Value: 'core' }]);
      assert.deepEqual(User?.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: BOUNDARY });
    });

    test('defaults the path to /', async () => {
      const { User } = await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      assert.equal(User?.Path, '/');
      assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:user/bob`);
      assert.equal(User?.Tags, undefined);
      assert.equal(User?.PermissionsBoundary, undefined);
    });

    test('names are unique case-insensitively', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'carol' }));
      await rejects(iam.send(new CreateUserCommand({ UserName: 'CAROL' })), 'EntityAlreadyExists', 'User with name CAROL already exists.');
    });

    test('a boundary that does not exist is refused and nothing is created', async () => {
      const arn = `arn:aws:iam::${gh.accountId}:policy/nope`;
      await rejects(iam.send(new CreateUserCommand({ UserName: 'dave', PermissionsBoundary: arn })), 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
      await rejects(iam.send(new CreateUserCommand({ UserName: 'dave', PermissionsBoundary: 'arn:aws:iam::aws:policy/NoSuchAwsPolicy' })), 'NoSuchEntity');
      assert.deepEqual(await userNames(), ['admin']);
    });

    test('tags with a reserved prefix or duplicate keys are refused', async () => {
      await rejects(iam.send(new CreateUserCommand({ UserName: 'erin', Tags: [{ Key: 'aws:x', Value: '1' }] })), 'InvalidInput');
      await rejects(
        iam.send(new CreateUserCommand({ UserName: 'erin', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
      assert.deepEqual(await userNames(), ['admin']);
    });

    test('UsersPerAccount is 5000', async () => {
      const state = gh.server().state;
      await state.transact((tx) => {
        for (let i = 0; i < 4999; i++) {
          const id = `AIDAFILLER${String(i).padStart(11, '0')}`;
          tx.put({ kind: 'user', id, accountId: gh.accountId, name: `filler${i}`, data: { userName: `filler${i}`, userId: id, path: '/', arn: `arn:aws:iam::${gh.accountId}:user/filler${i}`, createDate: new Date().toISOString(), tags: [], attachedPolicyArns: [], inlinePolicies: {}, groupIds: [] } });
        }
      });
      await rejects(iam.send(new CreateUserCommand({ UserName: 'one-too-many' })), 'LimitExceeded', 'Cannot exceed quota for UsersPerAccount: 5000');
      assert.equal(state.byName('user', gh.accountId, 'one-too-many'), undefined);
    });

    test('concurrent creates of one name have exactly one winner', async () => {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => iam.send(new CreateUserCommand({ UserName: 'race' }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { Code?: string }).Code, 'EntityAlreadyExists');
    });
  });

  describe('GetUser', () => {
    test('by name answers tags and boundary', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: 'b' }], PermissionsBoundary: BOUNDARY }));
      const { User } = await iam.send(new GetUserCommand({ UserName: 'ALICE' }));
      assert.equal(User?.UserName, 'alice');
      assert.deepEqual(User?.Tags, [{ Key: 'a', Value: 'b' }]);
      assert.equal(User?.PermissionsBoundary?.PermissionsBoundaryArn, BOUNDARY);
    });

    test('without a name answers the caller', async () => {
      const { User } = await iam.send(new GetUserCommand({}));
      assert.equal(User?.UserName, 'admin');
      assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:user/admin`);
    });

    test('for the root user answers the account id and root ARN without a name', async () => {
      const secret = 'rootSecretKeyForTestsOnly0123456789abcdef';
      await put('accessKey', 'AKIAROOTTESTKEY00001', {
        accessKeyId: 'AKIAROOTTESTKEY00001', userId: 'root', status: 'Active', createDate: new Date().toISOString(),
        secretEncrypted: secretBox(loadDataKey(gh.dataDir)).seal(secret),
      });
      const root = gh.iamFor({ accessKeyId: 'AKIAROOTTESTKEY00001', secretAccessKey: secret });
      const { User } = await root.send(new GetUserCommand({}));
      assert.equal(User?.UserId, gh.accountId);
      assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:root`);
      assert.equal(User?.UserName, undefined);
      assert.ok(User?.CreateDate instanceof Date);
    });

    test('an unknown user is NoSuchEntity', async () => {
      await rejects(iam.send(new GetUserCommand({ UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });

  describe('UpdateUser', () => {
    test('renaming keeps memberships, policies and keys', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const state = gh.server().state;
      const before = state.byName('user', gh.accountId, 'alice')!;
      await state.transact((tx) => tx.put({ ...before, data: { ...before.data, attachedPolicyArns: [BOUNDARY], inlinePolicies: { p: '{}' } } }));

      await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' }));
      const { User } = await iam.send(new GetUserCommand({ UserName: 'alicia' }));
      assert.equal(User?.UserId, before.id);
      assert.equal(User?.Arn, `arn:aws:iam::${gh.accountId}:user/ops/alicia`);
      assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'alicia' }))).Groups?.map((g) => g.GroupName), ['devs']);
      assert.deepEqual((await iam.send(new ListAccessKeysCommand({ UserName: 'alicia' }))).AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.UserName]), [[AccessKey?.AccessKeyId, 'alicia']]);
      const after = state.byName('user', gh.accountId, 'alicia')!;
      assert.deepEqual(after.data.attachedPolicyArns, [BOUNDARY]);
      assert.deepEqual(after.data.inlinePolicies, { p: '{}' });
      await rejects(iam.send(new GetUserCommand({ UserName: 'alice' })), 'NoSuchEntity');
    });

    test('the new name must be free; a failed rename changes nothing', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      await rejects(iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'BOB', NewPath: '/x/' })), 'EntityAlreadyExists', 'User with name BOB already exists.');
      assert.equal((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.Path, '/');
    });

    test('changing only the case of the name is allowed', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'Alice' }));
      assert.equal((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.UserName, 'Alice');
    });

    test('an unknown user is NoSuchEntity', async () => {
      await rejects(iam.send(new UpdateUserCommand({ UserName: 'ghost', NewPath: '/x/' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });

  describe('DeleteUser', () => {
    test('deletes a user with nothing attached', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: 'b' }], PermissionsBoundary: BOUNDARY }));
      await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
      await rejects(iam.send(new GetUserCommand({ UserName: 'alice' })), 'NoSuchEntity');
    });

    test('an unknown user is NoSuchEntity', async () => {
      await rejects(iam.send(new DeleteUserCommand({ UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });

    const conflicts: [string, (userId: string) => Promise<unknown>, string][] = [
      ['access keys', async () => iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })), 'Cannot delete entity, must delete access keys first.'],
      ['group membership', async () => {
        await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
        await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      }, 'Cannot delete entity, must remove users from group first.'],
      ['a login profile', (userId) => put('loginProfile', userId, { userId, passwordHash: 'x', createDate: new Date().toISOString(), passwordResetRequired: false }), 'Cannot delete entity, must delete login profile first.'],
      ['an MFA device', (userId) => put('mfaDevice', `arn:aws:iam::${gh.accountId}:mfa/alice`, { serialNumber: `arn:aws:iam::${gh.accountId}:mfa/alice`, path: '/', name: 'alice', createDate: new Date().toISOString(), seedEncrypted: 'x', userId, tags: [] }, 'alice'), 'Cannot delete entity, must delete MFA device first.'],
      ['an SSH public key', (userId) => put('sshPublicKey', 'APKAEIBAERJR2EXAMPLE', { userId }), 'Cannot delete entity, must delete SSH public keys first.'],
      ['a signing certificate', (userId) => put('signingCertificate', 'ASCATESTCERTIFICATE0000000', { userId }), 'Cannot delete entity, must delete signing certificates first.'],
      ['an inline policy', async (userId) => {
        const u = gh.server().state.get('user', userId)!;
        await gh.server().state.transact((tx) => tx.put({ ...u, data: { ...u.data, inlinePolicies: { p: '{}' } } }));
      }, 'Cannot delete entity, must delete policies first.'],
      ['an attached policy', async (userId) => {
        const u = gh.server().state.get('user', userId)!;
        await gh.server().state.transact((tx) => tx.put({ ...u, data: { ...u.data, attachedPolicyArns: [BOUNDARY] } }));
      }, 'Cannot delete entity, must detach all policies first.'],
    ];
    for (const [what, attach, message] of conflicts) {
      test(`is a DeleteConflict while the user has ${what}`, async () => {
        const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice' }));
        await attach(User!.UserId!);
        await rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflict', message);
        assert.equal((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.UserId, User?.UserId);
      });
    }
  });

  describe('ListUsers', () => {
    test('lists by name, filters by path prefix and leaves tags and boundary out', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'zed', Path: '/eng/', Tags: [{ Key: 'a', Value: 'b' }], PermissionsBoundary: BOUNDARY }));
      await iam.send(new CreateUserCommand({ UserName: 'Bob', Path: '/eng/sub/' }));
      await iam.send(new CreateUserCommand({ UserName: 'carl', Path: '/ops/' }));
      assert.deepEqual(await userNames(), ['admin', 'Bob', 'carl', 'zed']);
      assert.deepEqual(await userNames({ PathPrefix: '/eng/' }), ['Bob', 'zed']);
      assert.deepEqual(await userNames({ PathPrefix: '/nothing/' }), []);
      const { Users } = await iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }));
      const zed = Users?.find((u) => u.UserName === 'zed');
      assert.equal(zed?.Tags, undefined);
      assert.equal(zed?.PermissionsBoundary, undefined);
      assert.equal(zed?.Arn, `arn:aws:iam::${gh.accountId}:user/eng/zed`);
    });

    test('paginates with Marker and MaxItems', async () => {
      for (const n of ['u1', 'u2', 'u3', 'u4']) await iam.send(new CreateUserCommand({ UserName: n }));
      const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
      assert.deepEqual(first.Users?.map((u) => u.UserName), ['admin', 'u1']);
      assert.equal(first.IsTruncated, true);
      assert.ok(first.Marker);
      const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));
      assert.deepEqual(second.Users?.map((u) => u.UserName), ['u2', 'u3']);
      const third = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: second.Marker }));
      assert.deepEqual(third.Users?.map((u) => u.UserName), ['u4']);
      assert.equal(third.IsTruncated, false);
      assert.equal(third.Marker, undefined);
    });
  });

  describe('tags', () => {
    test('TagUser adds and replaces (keys case-insensitive), UntagUser removes, ListUserTags lists', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'Team', Value: 'a' }] }));
      await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: '' }] }));
      assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags, [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: '' }]);
      await iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['TEAM', 'absent'] }));
      const listed = await iam.send(new ListUserTagsCommand({ UserName: 'alice' }));
      assert.deepEqual(listed.Tags, [{ Key: 'env', Value: '' }]);
      assert.equal(listed.IsTruncated, false);
    });

    test('ListUserTags paginates', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }] }));
      const first = await iam.send(new ListUserTagsCommand({ UserName: 'alice', MaxItems: 2 }));
      assert.deepEqual(first.Tags?.map((t) => t.Key), ['a', 'b']);
      assert.equal(first.IsTruncated, true);
      const rest = await iam.send(new ListUserTagsCommand({ UserName: 'alice', MaxItems: 2, Marker: first.Marker }));
      assert.deepEqual(rest.Tags?.map((t) => t.Key), ['c']);
    });

    test('more than 50 tags is LimitExceeded and changes nothing', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: Array.from({ length: 30 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
      await rejects(
        iam.send(new TagUserCommand({ UserName: 'alice', Tags: Array.from({ length: 21 }, (_, i) => ({ Key: `n${i}`, Value: 'v' })) })),
        'LimitExceeded',
      );
      assert.equal((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags?.length, 30);
    });

    test('tag operations on an unknown user are NoSuchEntity', async () => {
      await rejects(iam.send(new TagUserCommand({ UserName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
      await rejects(iam.send(new UntagUserCommand({ UserName: 'ghost', TagKeys: ['a'] })), 'NoSuchEntity');
      await rejects(iam.send(new ListUserTagsCommand({ UserName: 'ghost' })), 'NoSuchEntity');
    });
  });

  describe('authorization', () => {
    test('is checked on the user ARN with its path and tags, and on the new name of a rename', async () => {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['iam:GetUser', 'iam:UpdateUser'], Resource: `arn:aws:iam::${gh.accountId}:user/team/*` },
          { Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': 'me' } } },
          { Effect: 'Allow', Action: 'iam:ListUsers', Resource: `arn:aws:iam::${gh.accountId}:user/team/*` },
        ],
      };
      const limited = (await gh.user('limited', policy)).iam;

      await iam.send(new CreateUserCommand({ UserName: 'member', Path: '/team/', Tags: [{ Key: 'owner', Value: 'me' }] }));
      await iam.send(new CreateUserCommand({ UserName: 'other' }));
      assert.equal((await limited.send(new GetUserCommand({ UserName: 'member' }))).User?.UserName, 'member');
      await rejects(limited.send(new GetUserCommand({ UserName: 'other' })), 'AccessDenied', /iam:GetUser on resource: arn:aws:iam::123456789012:user\/other/);
      await limited.send(new TagUserCommand({ UserName: 'member', Tags: [{ Key: 'x', Value: 'y' }] }));
      await rejects(limited.send(new TagUserCommand({ UserName: 'other', Tags: [{ Key: 'x', Value: 'y' }] })), 'AccessDenied');
      // Renaming out of /team/ needs permission on the new ARN too.
      await rejects(limited.send(new UpdateUserCommand({ UserName: 'member', NewPath: '/elsewhere/' })), 'AccessDenied', /user\/elsewhere\/member/);
      await limited.send(new UpdateUserCommand({ UserName: 'member', NewUserName: 'member2' }));
      // ListUsers is checked on arn:aws:iam::ACCOUNT:user<PathPrefix>.
      await rejects(limited.send(new ListUsersCommand({})), 'AccessDenied', /iam:ListUsers on resource: arn:aws:iam::123456789012:user\//);
      assert.deepEqual((await limited.send(new ListUsersCommand({ PathPrefix: '/team/' }))).Users?.map((x) => x.UserName), ['member2']);
    });
  });
});
