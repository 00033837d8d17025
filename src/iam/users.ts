// IAM users: create, rename or move, delete (only once nothing hangs off them), tags, and the
// list a path prefix selects. Every function that writes takes the transaction's draft and does
// its checks there, so a failed call changes nothing (DESIGN rule 2).
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded } from '../model/errors.ts';
import type { Tag, User } from './entities.ts';
import { requireAttachablePolicy, requireUser } from './require.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags, mergeTags, removeTags } from './tags.ts';

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
  if (tx.list('user', accountId).length >= USERS_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
  }
  const data: User = {
    userName,
    userId: args.userId,
    path,
    arn: iamArn.user(accountId, path, userName),
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
export function updateUser(
  tx: Draft,
  accountId: string,
  userName: string,
  change: { newUserName?: string; newPath?: string },
): EntityOf<'user'> {
  const user = requireUser(tx, accountId, userName);
  const name = change.newUserName ?? user.data.userName;
  const path = change.newPath ?? user.data.path;
  const holder = tx.byName('user', accountId, name);
  if (holder !== undefined && holder.id !== user.id) throw userAlreadyExists(name);
  const data: User = { ...user.data, userName: name, path, arn: iamArn.user(accountId, path, name) };
  const entity = { kind: 'user' as const, id: user.id, accountId, name, data };
  tx.put(entity);
  return entity;
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

export function tagUser(tx: Draft, accountId: string, userName: string, tags: readonly Tag[]): void {
  const user = requireUser(tx, accountId, userName);
  tx.put({ ...user, data: { ...user.data, tags: mergeTags(user.data.tags, tags) } });
}

export function untagUser(tx: Draft, accountId: string, userName: string, keys: readonly string[]): void {
  const user = requireUser(tx, accountId, userName);
  tx.put({ ...user, data: { ...user.data, tags: removeTags(user.data.tags, keys) } });
}

/** The account's users whose path starts with `pathPrefix` (all when absent), in list order. */
export function usersUnderPath(state: StateReader, accountId: string, pathPrefix?: string): readonly EntityOf<'user'>[] {
  const all = state.list('user', accountId);
  if (pathPrefix === undefined || pathPrefix === '/') return all;
  return all.filter((u) => u.data.path.startsWith(pathPrefix));
}

/** The members of a group, in list order. */
export function usersInGroup(state: StateReader, accountId: string, groupId: string): EntityOf<'user'>[] {
  return state.list('user', accountId).filter((u) => u.data.groupIds.includes(groupId));
}

/** Pagination key consistent with `StateReader.list` order (lower-cased name, then id). */
export function nameOrderKey(entity: { id: string; name?: string }): string {
  return `${(entity.name ?? '').toLowerCase()}\u0000${entity.id}`;
}
