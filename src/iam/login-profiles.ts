// Console passwords: the login profile of an IAM user (id = the user id) or of the account's root
// user (owner 'root', id `root:<account>`, with the root's sign-in email). A password is checked
// against the password policy and, where the policy forbids reuse, against the remembered hashes
// BEFORE the transaction (hashing is slow and asynchronous); the transaction then checks that
// nothing changed in between, so a failed or raced call changes nothing (DESIGN rule 2).
import { concurrentModification, entityAlreadyExists, noSuchEntity } from '../model/errors.ts';
import { ROOT_OWNER_ID } from './access-keys.ts';
import type { LoginProfile } from './entities.ts';
import type { PasswordHasher } from './passwords.ts';
import {
  checkPassword,
  MAX_REMEMBERED_PASSWORDS,
  passwordPolicyOf,
  reusedPasswordViolation,
  reuseWindow,
  type PasswordOwnerNames,
} from './password-policy.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';

/** What Gatehouse keeps beyond entities.ts's LoginProfile: when the password was set, and root's extras. */
export interface StoredLoginProfile extends LoginProfile {
  /** When the current password was set (ISO 8601): the credential report's password_last_changed. */
  passwordLastChanged?: string;
  /** The root user's sign-in email (root's profile only). */
  email?: string;
  /** The root user's last sign-in (IAM users keep theirs on the user, as GetUser reports it). */
  passwordLastUsed?: string;
}

export type LoginProfileEntity = EntityOf<'loginProfile'> & { data: StoredLoginProfile };

export function loginProfileId(accountId: string, ownerId: string): string {
  // Entity ids are global; every account has a root user.
  return ownerId === ROOT_OWNER_ID ? `root:${accountId}` : ownerId;
}

export function loginProfileOf(state: StateReader, accountId: string, ownerId: string): LoginProfileEntity | undefined {
  const entity = state.get('loginProfile', loginProfileId(accountId, ownerId));
  return entity !== undefined && entity.accountId === accountId ? (entity as LoginProfileEntity) : undefined;
}

export function noSuchLoginProfile(userName: string): Error {
  return noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
}

export function requireLoginProfile(state: StateReader, accountId: string, user: EntityOf<'user'>): LoginProfileEntity {
  const profile = loginProfileOf(state, accountId, user.id);
  if (profile === undefined) throw noSuchLoginProfile(user.data.userName);
  return profile;
}

/** When the profile's current password was set (profiles written before it was kept: their creation). */
export function passwordLastChanged(profile: StoredLoginProfile): string {
  return profile.passwordLastChanged ?? profile.createDate;
}

/** The names a password may not equal, for an owner of this account. */
export function ownerNames(state: StateReader, accountId: string, owner: { userName?: string; email?: string }): PasswordOwnerNames {
  return { accountId, accountAlias: state.get('account', accountId)?.data.alias, userName: owner.userName, email: owner.email };
}

/** A new password, hashed and checked against the policy and the owner's remembered passwords. */
export interface PreparedPassword {
  password: string;
  hash: string;
  names: PasswordOwnerNames;
  /** Whether the account's policy applies (not for the root user, whose password follows the default rules). */
  policyApplies: boolean;
  /** The owner's current hash the reuse check was made against (absent: no profile yet). */
  basedOn?: string;
}

/**
 * Checks `password` against the policy (the default rules for root) and the reuse rule, then
 * hashes it. Throws PasswordPolicyViolation naming the broken rules.
 */
export async function preparePassword(
  hasher: PasswordHasher,
  state: StateReader,
  accountId: string,
  ownerId: string,
  password: string,
  names: PasswordOwnerNames,
): Promise<PreparedPassword> {
  const policyApplies = ownerId !== ROOT_OWNER_ID;
  const policy = policyApplies ? passwordPolicyOf(state, accountId) : undefined;
  checkPassword(password, policy, names);
  const current = loginProfileOf(state, accountId, ownerId)?.data;
  const window = reuseWindow(policy);
  if (current !== undefined && window > 0) {
    const remembered = [current.passwordHash, ...(current.previousPasswordHashes ?? [])].slice(0, window);
    if (await hasher.matchesAny(password, remembered)) throw reusedPasswordViolation(window);
  }
  return { password, hash: await hasher.hash(password), names, policyApplies, basedOn: current?.passwordHash };
}

/** In the transaction: the policy may have changed, or another call set a password meanwhile. */
function recheck(tx: Draft, accountId: string, prepared: PreparedPassword, current: StoredLoginProfile | undefined): void {
  checkPassword(prepared.password, prepared.policyApplies ? passwordPolicyOf(tx, accountId) : undefined, prepared.names);
  if (current?.passwordHash !== prepared.basedOn) {
    throw concurrentModification('The password was changed by another request. Please try again.');
  }
}

export interface NewLoginProfile {
  accountId: string;
  /** A user id, or ROOT_OWNER_ID. */
  ownerId: string;
  /** For AWS's messages: the user's name. */
  userName: string;
  prepared: PreparedPassword;
  passwordResetRequired: boolean;
  email?: string;
  now: string;
}

/** EntityAlreadyExists when the owner has a login profile: checked before a password is hashed, and again when it is stored. */
export function requireNoLoginProfile(state: StateReader, accountId: string, ownerId: string, userName: string): void {
  if (loginProfileOf(state, accountId, ownerId) !== undefined) throw entityAlreadyExists(`Login Profile for user ${userName} already exists.`);
}

export function createLoginProfile(tx: Draft, args: NewLoginProfile): LoginProfileEntity {
  const { accountId, ownerId } = args;
  requireNoLoginProfile(tx, accountId, ownerId, args.userName);
  recheck(tx, accountId, args.prepared, undefined);
  const data: StoredLoginProfile = {
    userId: ownerId,
    passwordHash: args.prepared.hash,
    createDate: args.now,
    passwordResetRequired: args.passwordResetRequired,
    previousPasswordHashes: [],
    passwordLastChanged: args.now,
  };
  if (args.email !== undefined) data.email = args.email;
  const entity = { kind: 'loginProfile' as const, id: loginProfileId(accountId, ownerId), accountId, data };
  tx.put(entity);
  return entity;
}

/**
 * Replaces the password of an existing profile (UpdateLoginProfile, ChangePassword, a forced
 * change at sign-in). The old hash joins the remembered ones.
 */
export function setPassword(
  tx: Draft,
  profile: LoginProfileEntity,
  prepared: PreparedPassword,
  passwordResetRequired: boolean,
  now: string,
): LoginProfileEntity {
  const current = loginProfileOf(tx, profile.accountId, profile.data.userId);
  if (current === undefined) throw concurrentModification('The login profile was deleted by another request.');
  recheck(tx, profile.accountId, prepared, current.data);
  const previous = [current.data.passwordHash, ...(current.data.previousPasswordHashes ?? [])].slice(0, MAX_REMEMBERED_PASSWORDS - 1);
  const updated: LoginProfileEntity = {
    ...current,
    data: { ...current.data, passwordHash: prepared.hash, previousPasswordHashes: previous, passwordResetRequired, passwordLastChanged: now },
  };
  tx.put(updated);
  return updated;
}

export function setPasswordResetRequired(tx: Draft, profile: LoginProfileEntity, passwordResetRequired: boolean): void {
  if (profile.data.passwordResetRequired === passwordResetRequired) return;
  tx.put({ ...profile, data: { ...profile.data, passwordResetRequired } });
}

export function deleteLoginProfile(tx: Draft, accountId: string, user: EntityOf<'user'>): void {
  const profile = requireLoginProfile(tx, accountId, user);
  tx.delete('loginProfile', profile.id);
}

/** Records a successful sign-in: on the user (GetUser's PasswordLastUsed) or on root's profile. */
export function recordPasswordUse(tx: Draft, accountId: string, ownerId: string, now: string): void {
  if (ownerId === ROOT_OWNER_ID) {
    const profile = loginProfileOf(tx, accountId, ownerId);
    if (profile !== undefined) tx.put({ ...profile, data: { ...profile.data, passwordLastUsed: now } });
    return;
  }
  const user = tx.get('user', ownerId);
  if (user !== undefined) tx.put({ ...user, data: { ...user.data, passwordLastUsed: now } });
}

/** The root user's profile, found by its sign-in email in any account (emails are unique per Gatehouse). */
export function rootProfileByEmail(state: StateReader, accounts: readonly string[], email: string): LoginProfileEntity | undefined {
  const wanted = email.trim().toLowerCase();
  for (const accountId of accounts) {
    const profile = loginProfileOf(state, accountId, ROOT_OWNER_ID);
    if (profile?.data.email !== undefined && profile.data.email.toLowerCase() === wanted) return profile;
  }
  return undefined;
}
