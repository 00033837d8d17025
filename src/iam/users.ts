// IAM users: create, rename or move, delete (only once nothing hangs off them), and the list a
// path prefix selects. Every function that writes takes the transaction's draft and does
// its checks there, so a failed call changes nothing (DESIGN rule 2).
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists } from '../model/errors.ts';
import type { Tag, User } from './entities.ts';
import { renameEntity, underPath } from './paths.ts';
import { checkAccountQuota } from './quotas.ts';
import { requireAttachablePolicy, requireUser } from './require.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

/** Users per account: fixed by AWS ("IAM and AWS STS quotas"). */
export const USERS_PER_ACCOUNT = 5000;

export interface NewUser {
  accountId: string;
  userName: string;
  /** AIDA…, from the id source. */
  userId: string;
  path?: string;
  tags?: readonly Tag[];
  permissionsBoundaryArn?: string;
  /** ISO 8601. */
  now: string;
}

export function userAlreadyExists(userName: string): Error {
  return entityAlreadyExists(`User with name ${userName} already exists.`);
}

export function createUser(tx: Draft, args: NewUser): EntityOf<'user'> {
  const { accountId, userName } = args;
  const path = args.path ?? '/';
  if (tx.byName('user', accountId, userName) !== undefined) throw userAlreadyExists(userName);
  if (args.tags) checkRequestTags(args.tags);
  // A boundary must name a managed policy that exists (AWS managed or this account's).
  if (args.permissionsBoundaryArn !== undefined) requireAttachablePolicy(tx, accountId, args.permissionsBoundaryArn);
  checkAccountQuota(tx, 'user', accountId, 'UsersPerAccount', USERS_PER_ACCOUNT);
  const data: User = {
    userName,
    userId: args.userId,
    path,
    arn: iamArn.user(accountId, path, userName, accountPartition(tx, accountId)),
    createDate: args.now,
    tags: (args.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    attachedPolicyArns: [],
    inlinePolicies: {},
    groupIds: [],
  };
  if (args.permissionsBoundaryArn !== undefined) data.permissionsBoundaryArn = args.permissionsBoundaryArn;
  const entity = { kind: 'user' as const, id: args.userId, accountId, name: userName, data };
  tx.put(entity);
  return entity;
}

/**
 * Renames and/or moves a user. The id stays, so group memberships (kept on the user), attached
 * and inline policies, access keys, login profile and MFA devices (all keyed by id) follow it.
 */
export function updateUser(tx: Draft, accountId: string, userName: string, change: { newUserName?: string; newPath?: string }): EntityOf<'user'> {
  return renameEntity(tx, requireUser(tx, accountId, userName), { newName: change.newUserName, newPath: change.newPath }, userAlreadyExists);
}

/** Entity kinds that hang off a user and block its deletion, as AWS lists them ("DeleteUser"). */
const CREDENTIAL_KINDS: readonly { kind: string; message: string }[] = [
  { kind: 'signingCertificate', message: 'Cannot delete entity, must delete signing certificates first.' },
  { kind: 'sshPublicKey', message: 'Cannot delete entity, must delete SSH public keys first.' },
  { kind: 'serviceSpecificCredential', message: 'Cannot delete entity, must delete service-specific credentials first.' },
];

function ownedBy(state: StateReader, kind: string, accountId: string, userId: string): boolean {
  return state.list(kind, accountId).some((e) => (e.data as { userId?: string } | null)?.userId === userId);
}

/**
 * Throws AWS's DeleteConflict when something still belongs to the user, checked in the order the
 * DeleteUser reference lists what must go first.
 */
export function checkUserDeletable(state: StateReader, user: EntityOf<'user'>): void {
  const { accountId, id } = user;
  if (state.get('loginProfile', id) !== undefined) throw deleteConflict('Cannot delete entity, must delete login profile first.');
  if (ownedBy(state, 'accessKey', accountId, id)) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  for (const { kind, message } of CREDENTIAL_KINDS) if (ownedBy(state, kind, accountId, id)) throw deleteConflict(message);
  if (ownedBy(state, 'mfaDevice', accountId, id)) throw deleteConflict('Cannot delete entity, must delete MFA device first.');
  if (Object.keys(user.data.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (user.data.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (user.data.groupIds.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
}

export function deleteUser(tx: Draft, accountId: string, userName: string): EntityOf<'user'> {
  const user = requireUser(tx, accountId, userName);
  checkUserDeletable(tx, user);
  tx.delete('user', user.id);
  return user;
}

/** The account's users whose path starts with `pathPrefix` (all when absent), in list order. */
export function usersUnderPath(state: StateReader, accountId: string, pathPrefix?: string): readonly EntityOf<'user'>[] {
  return underPath(state, 'user', accountId, pathPrefix);
}

/** The members of a group, in list order. */
export function usersInGroup(state: StateReader, accountId: string, groupId: string): EntityOf<'user'>[] {
  return state.list('user', accountId).filter((u) => u.data.groupIds.includes(groupId));
}
