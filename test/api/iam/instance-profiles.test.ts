// IAM instance profile operations through the real SDK against a real server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  GetInstanceProfileCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListInstanceProfileTagsCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { EC2_TRUST, rejects } from './policy-support.ts';

describe('IAM instance profiles', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const createProfile = (InstanceProfileName: string, Path?: string) =>
    iam.send(new CreateInstanceProfileCommand({ InstanceProfileName, Path }));
  const createRole = (RoleName: string) => iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: EC2_TRUST }));

  test('CreateInstanceProfile and GetInstanceProfile', async () => {
    const { InstanceProfile } = await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/app/', Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    assert.equal(InstanceProfile?.InstanceProfileName, 'web');
    assert.equal(InstanceProfile?.Arn, `arn:aws:iam::${gh.accountId}:instance-profile/app/web`);
    assert.match(InstanceProfile?.InstanceProfileId ?? '', /^AIPA[A-Z2-7]{17}$/);
    assert.deepEqual(InstanceProfile?.Roles, []);
    assert.deepEqual(InstanceProfile?.Tags, [{ Key: 'k', Value: 'v' }]);

    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'WEB' }))).InstanceProfile;
    assert.equal(got?.InstanceProfileName, 'web');
    assert.equal(got?.Path, '/app/');
    await rejects(createProfile('Web'), 'EntityAlreadyExists', 'Instance Profile Web already exists.');
    await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'nope' })), 'NoSuchEntity', 'Instance Profile nope cannot be found.');
  });

  test('one role per profile; the role shows in GetInstanceProfile and ListInstanceProfilesForRole', async () => {
    await createProfile('p');
    await createProfile('q');
    await createRole('r1');
    await createRole('r2');
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'r1' }));
    await rejects(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'r2' })),
      'LimitExceeded',
      'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
    );
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'q', RoleName: 'r1' }));
    await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'ghost' })), 'NoSuchEntity', 'The role with name ghost cannot be found.');
    await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ghost', RoleName: 'r1' })), 'NoSuchEntity', 'Instance Profile ghost cannot be found.');

    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'p' }))).InstanceProfile;
    assert.deepEqual(got?.Roles?.map((r) => r.RoleName), ['r1']);
    assert.equal(decodeURIComponent(got?.Roles?.[0]?.AssumeRolePolicyDocument ?? ''), EC2_TRUST);
    // The role as the API reference's example shows it inside a profile: no MaxSessionDuration.
    assert.deepEqual(Object.keys(got?.Roles?.[0] ?? {}).sort(), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Path', 'RoleId', 'RoleName']);

    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'r1' }));
    assert.deepEqual(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName), ['p', 'q']);
    assert.equal(forRole.IsTruncated, false);
    const none = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'r2' }));
    assert.deepEqual(none.InstanceProfiles, []);
    await rejects(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntity');
  });

  test('RemoveRoleFromInstanceProfile, and DeleteInstanceProfile only when empty', async () => {
    await createProfile('p');
    await createRole('r');
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'r' }));
    await rejects(
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'p' })),
      'DeleteConflict',
      'Cannot delete entity, must remove roles from instance profile first.',
    );
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'r' }));
    await rejects(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'p', RoleName: 'r' })), 'NoSuchEntity');
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'p' }))).InstanceProfile?.Roles, []);
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'p' }));
    await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'p' })), 'NoSuchEntity');
    await rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'p' })), 'NoSuchEntity');
    // The role is free again.
    await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
  });

  test('ListInstanceProfiles filters by path and pages', async () => {
    await createProfile('c', '/x/');
    await createProfile('a', '/x/');
    await createProfile('b', '/y/');
    const all = await iam.send(new ListInstanceProfilesCommand({}));
    assert.deepEqual(all.InstanceProfiles?.map((p) => p.InstanceProfileName), ['a', 'b', 'c']);
    assert.equal(all.InstanceProfiles?.[0]?.Tags, undefined);
    const x = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/x/' }));
    assert.deepEqual(x.InstanceProfiles?.map((p) => p.InstanceProfileName), ['a', 'c']);
    const p1 = await iam.send(new ListInstanceProfilesCommand({ MaxItems: 2 }));
    assert.equal(p1.IsTruncated, true);
    const p2 = await iam.send(new ListInstanceProfilesCommand({ MaxItems: 2, Marker: p1.Marker }));
    assert.deepEqual(p2.InstanceProfiles?.map((p) => p.InstanceProfileName), ['c']);
    assert.equal(p2.IsTruncated, false);
  });

  test('tags', async () => {
    await createProfile('p');
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'p', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'p', TagKeys: ['A'] }));
    const tags = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'p' }));
    assert.deepEqual(tags.Tags, [{ Key: 'b', Value: '2' }]);
    assert.equal(tags.IsTruncated, false);
    await rejects(iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'ghost', Tags: [{ Key: 'a', Value: '1' }] })), 'NoSuchEntity');
  });
});
