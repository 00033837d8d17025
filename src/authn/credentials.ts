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
import type { Caller } from '../iam/caller.ts';
import { accountPartition } from '../iam/partition.ts';

/** Shared by every request made with the key (and cached on): never changed once made. */
export interface ResolvedCredentials {
  /** The secret access key, to verify the signature with. */
  readonly secret: string;
  readonly caller: Caller;
  /** The partition of the caller's account: requests addressed to another do not know the key. */
  readonly partition: string;
  /** For temporary credentials: the session, whose token and expiry checkSecurityToken checks. */
  readonly session?: Session;
}

/**
 * From an access key id to its credentials, for one state and data key. Credentials are kept by
 * key (or session) entity, with the entity their caller was built from. Entities are immutable
 * and replaced on every change, so an entry lives exactly as long as the key version it came
 * from, and is rebuilt when the key's user changes. Requests with the same key share one caller
 * (and what is cached by caller, such as its audit identity), and the secret is decrypted once,
 * not on every request, which would cost more than verifying the signature.
 */
export class CredentialResolver {
  readonly #state: IamState;
  readonly #secrets: SecretBox;
  readonly #resolved = new WeakMap<object, { owner: object | undefined; credentials: ResolvedCredentials }>();

  constructor(state: IamState, secrets: SecretBox) {
    this.#state = state;
    this.#secrets = secrets;
  }

  resolve(accessKeyId: string): ResolvedCredentials | undefined {
    if (accessKeyId.startsWith('ASIA')) return this.#resolveSession(accessKeyId);
    const state = this.#state;
    const key = state.accessKey(accessKeyId);
    if (key === undefined || key.data.status !== 'Active') return undefined;
    const accountId = key.accountId;
    const partition = accountPartition(state, accountId);
    const user = key.data.userId === ROOT_OWNER_ID ? undefined : state.get('user', key.data.userId);
    if (key.data.userId !== ROOT_OWNER_ID && user === undefined) return undefined;
    let known = this.#resolved.get(key);
    if (known === undefined || known.owner !== user) {
      const caller: Caller =
        user === undefined
          ? { principal: { type: 'Root', arn: iamArn.root(accountId, partition), account: accountId }, accountId, userId: accountId, accessKeyId, tags: [] }
          : {
              principal: { type: 'IAMUser', arn: user.data.arn, account: accountId },
              accountId,
              userId: user.data.userId,
              userName: user.data.userName,
              entityId: user.data.userId,
              accessKeyId,
              tags: user.data.tags,
            };
      const secret = known?.credentials.secret ?? this.#secrets.open(key.data.secretEncrypted);
      this.#resolved.set(key, (known = { owner: user, credentials: { secret, caller, partition } }));
    }
    return known.credentials;
  }

  #resolveSession(accessKeyId: string): ResolvedCredentials | undefined {
    const session = getSession(this.#state, accessKeyId);
    if (session === undefined) return undefined;
    // A session whose role (or user) was deleted has no caller: its credentials are invalid.
    const caller = sessionCaller(this.#state, session);
    if (caller === undefined) return undefined;
    let known = this.#resolved.get(session);
    if (known === undefined || known.owner !== caller) {
      const secret = known?.credentials.secret ?? this.#secrets.open(session.data.secretEncrypted);
      const partition = accountPartition(this.#state, session.accountId);
      this.#resolved.set(session, (known = { owner: caller, credentials: { secret, caller, partition, session: session.data } }));
    }
    return known.credentials;
  }
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
