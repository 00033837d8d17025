// IAM groups and membership. Membership is kept on the user (`groupIds`, in the order added), so
// a group's members are the users that name it.
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { Group } from './entities.ts';
import { renameEntity } from './paths.ts';
import { checkAccountQuota } from './quotas.ts';
import { requireGroup, requireUser } from './require.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { accountPartition } from './partition.ts';

/** Groups per account: AWS's default (adjustable in AWS up to 500). */
export const GROUPS_PER_ACCOUNT = 300;
/** Groups a user may be in: fixed by AWS. */
export const GROUPS_PER_USER = 10;

export interface NewGroup {
  accountId: string;
  groupName: string;
  /** AGPA…, from the id source. */
  groupId: string;
  path?: string;
  now: string;
}

function groupAlreadyExists(groupName: string): Error {
  return entityAlreadyExists(`Group with name ${groupName} already exists.`);
}

export function createGroup(tx: Draft, args: NewGroup): EntityOf<'group'> {
  const { accountId, groupName } = args;
  const path = args.path ?? '/';
  if (tx.byName('group', accountId, groupName) !== undefined) throw groupAlreadyExists(groupName);
  checkAccountQuota(tx, 'group', accountId, 'GroupsPerAccount', GROUPS_PER_ACCOUNT);
  const data: Group = {
    groupName,
    groupId: args.groupId,
    path,
    arn: iamArn.group(accountId, path, groupName, accountPartition(tx, accountId)),
    createDate: args.now,
    attachedPolicyArns: [],
    inlinePolicies: {},
  };
  const entity = { kind: 'group' as const, id: args.groupId, accountId, name: groupName, data };
  tx.put(entity);
  return entity;
}

/** Renames and/or moves a group; members, attached and inline policies follow it (same id). */
export function updateGroup(tx: Draft, accountId: string, groupName: string, change: { newGroupName?: string; newPath?: string }): EntityOf<'group'> {
  return renameEntity(tx, requireGroup(tx, accountId, groupName), { newName: change.newGroupName, newPath: change.newPath }, groupAlreadyExists);
}

export function hasMembers(state: StateReader, group: EntityOf<'group'>): boolean {
  return state.list('user', group.accountId).some((u) => u.data.groupIds.includes(group.id));
}

export function deleteGroup(tx: Draft, accountId: string, groupName: string): EntityOf<'group'> {
  const group = requireGroup(tx, accountId, groupName);
  if (hasMembers(tx, group)) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  if (Object.keys(group.data.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (group.data.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  tx.delete('group', group.id);
  return group;
}

/** Adds the user to the group; adding a member again changes nothing, as in AWS. */
export function addUserToGroup(tx: Draft, accountId: string, groupName: string, userName: string): void {
  const group = requireGroup(tx, accountId, groupName);
  const user = requireUser(tx, accountId, userName);
  if (user.data.groupIds.includes(group.id)) return;
  if (user.data.groupIds.length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
  tx.put({ ...user, data: { ...user.data, groupIds: [...user.data.groupIds, group.id] } });
}

export function removeUserFromGroup(tx: Draft, accountId: string, groupName: string, userName: string): void {
  const group = requireGroup(tx, accountId, groupName);
  const user = requireUser(tx, accountId, userName);
  if (!user.data.groupIds.includes(group.id)) {
    throw noSuchEntity(`User ${user.data.userName} is not in group ${group.data.groupName}.`);
  }
  tx.put({ ...user, data: { ...user.data, groupIds: user.data.groupIds.filter((id) => id !== group.id) } });
}

/** The groups a user is in, in the order they were added (groups deleted since are skipped). */
export function groupsOfUser(state: StateReader, user: EntityOf<'user'>): EntityOf<'group'>[] {
  return user.data.groupIds.map((id) => state.get('group', id)).filter((g) => g !== undefined);
}
