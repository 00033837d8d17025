// From an access key id to the caller it stands for. Inactive keys, keys of deleted users and
// unknown keys are refused at once; the secret is decrypted only to verify a signature.
import type { IamState } from '../iam/state.ts';
import { iamArn } from '../model/arn.ts';
import type { SecretBox } from '../store/data-key.ts';
import type { Caller } from './caller.ts';

export interface ResolvedCredentials {
  /** The secret access key, to verify the signature with. */
  secret: string;
  caller: Caller;
}

export const ROOT_USER_ID = 'root';

/**
 * Decrypted secrets by key entity. Entities are immutable and replaced on every change, so an
 * entry lives exactly as long as the key version it came from; decrypting on every request
 * would cost more than verifying the signature.
 */
const openedSecrets = new WeakMap<object, string>();

export function resolveAccessKey(state: IamState, secrets: SecretBox, accessKeyId: string): ResolvedCredentials | undefined {
  const key = state.accessKey(accessKeyId);
  if (key === undefined || key.data.status !== 'Active') return undefined;
  const accountId = key.accountId;
  let caller: Caller;
  if (key.data.userId === ROOT_USER_ID) {
    caller = {
      principal: { type: 'Root', arn: iamArn.root(accountId), account: accountId },
      accountId,
      userId: accountId,
      accessKeyId,
      tags: [],
    };
  } else {
    const user = state.get('user', key.data.userId);
    if (user === undefined) return undefined;
    caller = {
      principal: { type: 'IAMUser', arn: user.data.arn, account: accountId },
      accountId,
      userId: user.data.userId,
      userName: user.data.userName,
      entityId: user.data.userId,
      accessKeyId,
      tags: user.data.tags,
    };
  }
  let secret = openedSecrets.get(key);
  if (secret === undefined) openedSecrets.set(key, (secret = secrets.open(key.data.secretEncrypted)));
  return { secret, caller };
}
