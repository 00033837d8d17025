// From an access key id to the caller it stands for. Inactive keys, keys of deleted users and
// unknown keys are refused at once; the secret is decrypted only to verify a signature.
// Temporary (ASIA) keys are sessions: their session token and expiry are checked once the
// signature has been (checkSecurityToken).
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import type { IamState } from '../iam/state.ts';
import { iamArn } from '../model/arn.ts';
import { expiredToken, invalidClientTokenId, MESSAGES } from '../model/errors.ts';
import type { SecretBox } from '../store/data-key.ts';
import { sessionCaller } from '../sts/session-caller.ts';
import { getSession, sessionTokenMatches, type Session } from '../sts/sessions.ts';
import type { Caller } from './caller.ts';

export interface ResolvedCredentials {
  /** The secret access key, to verify the signature with. */
  secret: string;
  caller: Caller;
  /** For temporary credentials: the session, whose token and expiry checkSecurityToken checks. */
  session?: Session;
}


/**
 * Decrypted secrets by key entity. Entities are immutable and replaced on every change, so an
 * entry lives exactly as long as the key version it came from; decrypting on every request
 * would cost more than verifying the signature.
 */
const openedSecrets = new WeakMap<object, string>();

/**
 * Callers by key entity, with the user entity they were built from: both are replaced on any
 * change, so a caller is rebuilt exactly when the key or its user changes, and requests with the
 * same key share one caller (and what is cached by caller, such as its audit identity).
 */
const callers = new WeakMap<object, { user: object | undefined; caller: Caller }>();

export function resolveAccessKey(state: IamState, secrets: SecretBox, accessKeyId: string): ResolvedCredentials | undefined {
  if (accessKeyId.startsWith('ASIA')) return resolveSessionKey(state, secrets, accessKeyId);
  const key = state.accessKey(accessKeyId);
  if (key === undefined || key.data.status !== 'Active') return undefined;
  const accountId = key.accountId;
  const user = key.data.userId === ROOT_OWNER_ID ? undefined : state.get('user', key.data.userId);
  if (key.data.userId !== ROOT_OWNER_ID && user === undefined) return undefined;
  let known = callers.get(key);
  if (known === undefined || known.user !== user) {
    const caller: Caller =
      user === undefined
        ? { principal: { type: 'Root', arn: iamArn.root(accountId), account: accountId }, accountId, userId: accountId, accessKeyId, tags: [] }
        : {
            principal: { type: 'IAMUser', arn: user.data.arn, account: accountId },
            accountId,
            userId: user.data.userId,
            userName: user.data.userName,
            entityId: user.data.userId,
            accessKeyId,
            tags: user.data.tags,
          };
    callers.set(key, (known = { user, caller }));
  }
  let secret = openedSecrets.get(key);
  if (secret === undefined) openedSecrets.set(key, (secret = secrets.open(key.data.secretEncrypted)));
  return { secret, caller: known.caller };
}

function resolveSessionKey(state: IamState, secrets: SecretBox, accessKeyId: string): ResolvedCredentials | undefined {
  const session = getSession(state, accessKeyId);
  if (session === undefined) return undefined;
  // A session whose role (or user) was deleted has no caller: its credentials are invalid.
  const caller = sessionCaller(state, session);
  if (caller === undefined) return undefined;
  let secret = openedSecrets.get(session);
  if (secret === undefined) openedSecrets.set(session, (secret = secrets.open(session.data.secretEncrypted)));
  return { secret, caller, session: session.data };
}

/**
 * After the signature: temporary credentials need their session token (X-Amz-Security-Token)
 * and must not have expired; long-term credentials must come without one.
 */
export function checkSecurityToken(credential: ResolvedCredentials, securityToken: string | undefined, now: Date): void {
  const session = credential.session;
  if (session === undefined) {
    if (securityToken !== undefined && securityToken !== '') throw invalidClientTokenId(MESSAGES.invalidClientTokenId);
    return;
  }
  if (!sessionTokenMatches(session, securityToken)) throw invalidClientTokenId(MESSAGES.invalidClientTokenId);
  if (now.getTime() >= Date.parse(session.expiresAt)) throw expiredToken(MESSAGES.expiredToken);
}
