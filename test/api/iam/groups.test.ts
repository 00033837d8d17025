// IAM group operations through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { rejects } from '../../support/assertions.ts';



describe('IAM groups', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const groupNames = async (input: { PathPrefix?: string } = {}) =>
    ((await iam.send(new ListGroupsCommand(input))).Groups ?? []).map((g) => g.GroupName);
  const membersOf = async (GroupName: string) => ((await iam.send(new GetGroupCommand({ GroupName }))).Users ?? []).map((u) => u.UserName);
  const groupsOf = async (UserName: string) => ((await iam.send(new ListGroupsForUserCommand({ UserName }))).Groups ?? []).map((g) => g.GroupName);

  describe('CreateGroup', () => {
    test('creates a group and answers its shape', async () => {
      const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/eng/' }));
      assert.equal(Group?.GroupName, 'devs');
      assert.equal(Group?.Path, '/eng/');
      assert.equal(Group?.Arn, `arn:aws:iam::${gh.accountId}:group/eng/devs`);
      assert.match(Group?.GroupId ?? '', /^AGPA[A-Z2-7]{17}$/);
      assert.ok(Group?.CreateDate instanceof Date);
    });

    test('names are unique case-insensitively', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await rejects(iam.send(new CreateGroupCommand({ GroupName: 'DEVS' })), 'EntityAlreadyExists', 'Group with name DEVS already exists.');
    });

    test('GroupsPerAccount is 300', async () => {
      const state = gh.server().state;
      const existing = state.list('group', gh.accountId).length;
      await state.transact((tx) => {
        for (let i = existing; i < 300; i++) {
          const id = `AGPAFILLER${String(i).padStart(11, '0')}`;
          tx.put({ kind: 'group', id, accountId: gh.accountId, name: `g${i}`, data: { groupName: `g${i}`, groupId: id, path: '/', arn: `arn:aws:iam::${gh.accountId}:group/g${i}`, createDate: new Date().toISOString(), attachedPolicyArns: [], inlinePolicies: {} } });
        }
      });
      await rejects(iam.send(new CreateGroupCommand({ GroupName: 'one-more' })), 'LimitExceeded', 'Cannot exceed quota for GroupsPerAccount: 300');
      assert.equal(state.list('group', gh.accountId).length, 300);
    });
  });

  describe('GetGroup', () => {
    test('answers the group and its members, paginated', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      for (const u of ['carl', 'alice', 'bob']) {
        await iam.send(new CreateUserCommand({ UserName: u, Tags: [{ Key: 't', Value: 'v' }] }));
        await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: u }));
      }
      const first = await iam.send(new GetGroupCommand({ GroupName: 'DEVS', MaxItems: 2 }));
      assert.equal(first.Group?.GroupName, 'devs');
      assert.deepEqual(first.Users?.map((u) => u.UserName), ['alice', 'bob']);
      assert.equal(first.Users?.[0]?.Tags, undefined);
      assert.equal(first.IsTruncated, true);
      const rest = await iam.send(new GetGroupCommand({ GroupName: 'devs', MaxItems: 2, Marker: first.Marker }));
      assert.deepEqual(rest.Users?.map((u) => u.UserName), ['carl']);
      assert.equal(rest.IsTruncated, false);
    });

    test('an empty group has no users', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'empty' }));
      const out = await iam.send(new GetGroupCommand({ GroupName: 'empty' }));
      assert.deepEqual(out.Users ?? [], []);
      assert.equal(out.IsTruncated, false);
    });

    test('an unknown group is NoSuchEntity', async () => {
      await rejects(iam.send(new GetGroupCommand({ GroupName: 'ghost' })), 'NoSuchEntity', 'The group with name ghost cannot be found.');
    });
  });

  describe('UpdateGroup', () => {
    test('renaming and moving keeps members and policies', async () => {
      const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      const state = gh.server().state;
      const g = state.get('group', Group!.GroupId!)!;
      await state.transact((tx) => tx.put({ ...g, data: { ...g.data, attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } }));

      await iam.send(new UpdateGroupCommand({ GroupName: 'devs', NewGroupName: 'engineers', NewPath: '/eng/' }));
      const out = await iam.send(new GetGroupCommand({ GroupName: 'engineers' }));
      assert.equal(out.Group?.GroupId, Group?.GroupId);
      assert.equal(out.Group?.Arn, `arn:aws:iam::${gh.accountId}:group/eng/engineers`);
      assert.deepEqual(out.Users?.map((u) => u.UserName), ['alice']);
      assert.deepEqual(await groupsOf('alice'), ['engineers']);
      assert.deepEqual(state.get('group', Group!.GroupId!)!.data.attachedPolicyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
      await rejects(iam.send(new GetGroupCommand({ GroupName: 'devs' })), 'NoSuchEntity');
    });

    test('the new name must be free; a failed update changes nothing', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'a' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'b' }));
      await rejects(iam.send(new UpdateGroupCommand({ GroupName: 'a', NewGroupName: 'B', NewPath: '/x/' })), 'EntityAlreadyExists', 'Group with name B already exists.');
      assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'a' }))).Group?.Path, '/');
    });

    test('an unknown group is NoSuchEntity', async () => {
      await rejects(iam.send(new UpdateGroupCommand({ GroupName: 'ghost', NewPath: '/x/' })), 'NoSuchEntity', 'The group with name ghost cannot be found.');
    });
  });

  describe('DeleteGroup', () => {
    test('deletes an empty group', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await iam.send(new DeleteGroupCommand({ GroupName: 'devs' }));
      assert.deepEqual(await groupNames(), ['Administrators']);
    });

    test('is a DeleteConflict while it has members', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'devs' })), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.');
      assert.deepEqual(await membersOf('devs'), ['alice']);
    });

    test('is a DeleteConflict while it has attached or inline policies', async () => {
      const state = gh.server().state;
      for (const [data, message] of [
        [{ attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, 'Cannot delete entity, must detach all policies first.'],
        [{ inlinePolicies: { p: '{}' } }, 'Cannot delete entity, must delete policies first.'],
      ] as const) {
        const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
        const g = state.get('group', Group!.GroupId!)!;
        await state.transact((tx) => tx.put({ ...g, data: { ...g.data, ...data } }));
        await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'devs' })), 'DeleteConflict', message);
        assert.ok(state.get('group', Group!.GroupId!));
        await gh.reset();
      }
    });

    test('an unknown group is NoSuchEntity', async () => {
      await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'ghost' })), 'NoSuchEntity', 'The group with name ghost cannot be found.');
    });
  });

  describe('ListGroups', () => {
    test('lists by name, filters by path prefix, paginates', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'zeta', Path: '/eng/' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'alpha', Path: '/eng/sub/' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'ops', Path: '/ops/' }));
      assert.deepEqual(await groupNames(), ['Administrators', 'alpha', 'ops', 'zeta']);
      assert.deepEqual(await groupNames({ PathPrefix: '/eng/' }), ['alpha', 'zeta']);
      const first = await iam.send(new ListGroupsCommand({ MaxItems: 3 }));
      assert.deepEqual(first.Groups?.map((g) => g.GroupName), ['Administrators', 'alpha', 'ops']);
      assert.equal(first.IsTruncated, true);
      const rest = await iam.send(new ListGroupsCommand({ MaxItems: 3, Marker: first.Marker }));
      assert.deepEqual(rest.Groups?.map((g) => g.GroupName), ['zeta']);
      assert.equal(rest.IsTruncated, false);
      assert.equal(rest.Marker, undefined);
    });
  });

  describe('membership', () => {
    test('AddUserToGroup, ListGroupsForUser (in joining order), RemoveUserFromGroup', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      for (const g of ['b', 'a', 'c']) {
        await iam.send(new CreateGroupCommand({ GroupName: g }));
        await iam.send(new AddUserToGroupCommand({ GroupName: g, UserName: 'ALICE' }));
      }
      // Adding again changes nothing.
      await iam.send(new AddUserToGroupCommand({ GroupName: 'a', UserName: 'alice' }));
      assert.deepEqual(await groupsOf('alice'), ['b', 'a', 'c']);
      const page = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice', MaxItems: 2 }));
      assert.deepEqual(page.Groups?.map((g) => g.GroupName), ['b', 'a']);
      assert.equal(page.IsTruncated, true);
      assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice', Marker: page.Marker }))).Groups?.map((g) => g.GroupName), ['c']);

      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'a', UserName: 'alice' }));
      assert.deepEqual(await groupsOf('alice'), ['b', 'c']);
      assert.deepEqual(await membersOf('a'), []);
    });

    test('GroupsPerUser is 10', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      for (let i = 0; i < 11; i++) await iam.send(new CreateGroupCommand({ GroupName: `g${i}` }));
      for (let i = 0; i < 10; i++) await iam.send(new AddUserToGroupCommand({ GroupName: `g${i}`, UserName: 'alice' }));
      await rejects(iam.send(new AddUserToGroupCommand({ GroupName: 'g10', UserName: 'alice' })), 'LimitExceeded', 'Cannot exceed quota for GroupsPerUser: 10');
      assert.equal((await groupsOf('alice')).length, 10);
      assert.deepEqual(await membersOf('g10'), []);
    });

    test('unknown users, groups and non-members are NoSuchEntity', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await rejects(iam.send(new AddUserToGroupCommand({ GroupName: 'ghost', UserName: 'alice' })), 'NoSuchEntity', 'The group with name ghost cannot be found.');
      await rejects(iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
      await rejects(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'alice' })), 'NoSuchEntity');
      await rejects(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'ghost', UserName: 'alice' })), 'NoSuchEntity', 'The group with name ghost cannot be found.');
      await rejects(iam.send(new ListGroupsForUserCommand({ UserName: 'ghost' })), 'NoSuchEntity', 'The user with name ghost cannot be found.');
    });
  });
});
