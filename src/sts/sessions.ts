// Temporary credentials are sessions, kept as durable entities (kind 'session', id = the ASIA
// access key id) so they survive a restart. The secret is sealed with the data key; the session
// token is handed out once and only its SHA-256 is kept, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Tag } from '../iam/entities.ts';
import type { Draft, EntityOf, StateReader } from '../iam/state.ts';

export type SessionKind = 'AssumedRole' | 'SessionToken' | 'FederatedUser';

export interface Session {
  accessKeyId: string;
  kind: SessionKind;
  /** The secret access key, sealed with the data key. */
  secretEncrypted: string;
  /** SHA-256 of the session token, base64. */
  tokenHash: string;
  issuedAt: string;
  expiresAt: string;
  /** AssumedRole: the role and the session name. */
  roleId?: string;
  roleSessionName?: string;
  /** SessionToken and FederatedUser: the IAM user behind the session ('root' for the root user). */
  userId?: string;
  /** FederatedUser: the name given to GetFederationToken. */
  federatedName?: string;
  /** Session policies: inline text and managed ARNs. */
  policy?: string;
  policyArns?: string[];
  /** Session tags (inherited transitive ones included); they become aws:PrincipalTag/*. */
  tags: Tag[];
  /** Keys of the tags that pass on to sessions this one creates by role chaining. */
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  mfaAuthenticated: boolean;
  /** When the MFA code was checked (the first session of a chain), for aws:MultiFactorAuthAge. */
  mfaAuthenticatedAt?: string;
  /** Created with other temporary credentials (role chaining). */
  chained: boolean;
  /** The long-term access key at the root of the chain, for last-used data. */
  sourceAccessKeyId?: string;
}

export type SessionEntity = EntityOf<'session'> & { data: Session };

/** Session tokens: 96 random bytes, base64 (AWS's are long opaque strings too). */
const TOKEN_BYTES = 96;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64');
}

/** Constant-time comparison of a presented token with the session's hash. */
export function sessionTokenMatches(session: Session, token: string | undefined): boolean {
  if (token === undefined || token === '') return false;
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(session.tokenHash, 'base64');
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

export function getSession(state: StateReader, accessKeyId: string): SessionEntity | undefined {
  return state.get('session', accessKeyId) as SessionEntity | undefined;
}

export interface IssuedCredentials {
  session: SessionEntity;
  secretAccessKey: string;
  sessionToken: string;
}

export interface CredentialSource {
  /** A candidate ASIA key id encoding the account (call.ids.accessKeyId(account, true)). */
  newAccessKeyId: () => string;
  secretAccessKey: () => string;
  bytes: (n: number) => Uint8Array;
  seal: (plaintext: string) => string;
}

/** What a new session is, less its credentials (made here). */
export type SessionSpec = Omit<Session, 'accessKeyId' | 'secretEncrypted' | 'tokenHash'>;

/**
 * Issues credentials for a new session in the account and stores it. Expired sessions of the
 * account are removed in the same transaction, so the store holds only live ones.
 */
export function issueSession(tx: Draft, accountId: string, spec: SessionSpec, source: CredentialSource, now: Date): IssuedCredentials {
  for (const s of tx.list('session', accountId) as readonly SessionEntity[]) {
    if (Date.parse(s.data.expiresAt) <= now.getTime()) tx.delete('session', s.id);
  }
  let accessKeyId = source.newAccessKeyId();
  for (let i = 0; tx.get('session', accessKeyId) !== undefined || tx.accessKey(accessKeyId) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused access key id');
    accessKeyId = source.newAccessKeyId();
  }
  const secretAccessKey = source.secretAccessKey();
  const sessionToken = Buffer.from(source.bytes(TOKEN_BYTES)).toString('base64');
  const data: Session = {
    ...spec,
    accessKeyId,
    secretEncrypted: source.seal(secretAccessKey),
    tokenHash: hashSessionToken(sessionToken),
  };
  const session = { kind: 'session' as const, id: accessKeyId, accountId, data };
  tx.put(session);
  return { session, secretAccessKey, sessionToken };
}

/** The Credentials shape every STS operation answers. */
export function credentialsOutput(issued: IssuedCredentials): Record<string, unknown> {
  return {
    AccessKeyId: issued.session.data.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: issued.session.data.expiresAt,
  };
}

/** Session tags over the principal's own (role) tags: a session tag wins over a role tag with its key. */
export function principalTags(own: readonly Tag[], session: readonly Tag[]): Tag[] {
  if (session.length === 0) return [...own];
  const keys = new Set(session.map((t) => t.Key.toLowerCase()));
  return [...own.filter((t) => !keys.has(t.Key.toLowerCase())), ...session];
}
