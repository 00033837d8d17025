// Long-term access keys of IAM users and of the root user (owner id 'root'). The secret is handed
// out once, at creation, and kept only sealed with the data key (DESIGN rule 6).
import { limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { AccessKeyStatus } from './entities.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';

/** Access keys per user (and per root user): fixed by AWS. */
export const ACCESS_KEYS_PER_USER = 2;

/** The owner id access keys of the account's root user carry. */
export const ROOT_OWNER_ID = 'root';

export function noSuchAccessKey(accessKeyId: string): Error {
  return noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
}

/** The owner's keys, oldest first. */
export function accessKeysOf(state: StateReader, accountId: string, ownerId: string): EntityOf<'accessKey'>[] {
  return state
    .list('accessKey', accountId)
    .filter((k) => k.data.userId === ownerId)
    .sort((a, b) => (a.data.createDate < b.data.createDate ? -1 : a.data.createDate > b.data.createDate ? 1 : a.id < b.id ? -1 : 1));
}

export interface NewAccessKey {
  accountId: string;
  /** The user id, or ROOT_OWNER_ID. */
  ownerId: string;
  /** Makes a candidate id; called again if the id is already in use. */
  newAccessKeyId: () => string;
  /** The secret, already sealed. */
  secretEncrypted: string;
  now: string;
}

export function createAccessKey(tx: Draft, args: NewAccessKey): EntityOf<'accessKey'> {
  if (accessKeysOf(tx, args.accountId, args.ownerId).length >= ACCESS_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
  }
  let accessKeyId = args.newAccessKeyId();
  // 39 random bits per account: a clash is unlikely, never impossible.
  for (let i = 0; tx.accessKey(accessKeyId) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused access key id');
    accessKeyId = args.newAccessKeyId();
  }
  const entity = {
    kind: 'accessKey' as const,
    id: accessKeyId,
    accountId: args.accountId,
    data: {
      accessKeyId,
      userId: args.ownerId,
      status: 'Active' as AccessKeyStatus,
      createDate: args.now,
      secretEncrypted: args.secretEncrypted,
    },
  };
  tx.put(entity);
  return entity;
}

/** The key, if it exists in the account and belongs to the owner; else AWS's NoSuchEntity. */
export function requireOwnAccessKey(state: StateReader, accountId: string, ownerId: string, accessKeyId: string): EntityOf<'accessKey'> {
  const key = state.accessKey(accessKeyId);
  if (key === undefined || key.accountId !== accountId || key.data.userId !== ownerId) throw noSuchAccessKey(accessKeyId);
  return key;
}

export function updateAccessKey(
  tx: Draft,
  accountId: string,
  ownerId: string,
  accessKeyId: string,
  status: AccessKeyStatus,
): EntityOf<'accessKey'> {
  const key = requireOwnAccessKey(tx, accountId, ownerId, accessKeyId);
  if (key.data.status === status) return key;
  const updated = { ...key, data: { ...key.data, status } };
  tx.put(updated);
  return updated;
}

export function deleteAccessKey(tx: Draft, accountId: string, ownerId: string, accessKeyId: string): void {
  requireOwnAccessKey(tx, accountId, ownerId, accessKeyId);
  tx.delete('accessKey', accessKeyId);
}
