// Service-specific credentials of IAM users: a user name and password IAM generates for one
// service (CodeCommit's Git credentials over HTTPS, Amazon Keyspaces), at most two per service per
// user, Active or Inactive. The password is handed out once, by Create and by Reset, and kept only
// sealed with the data key (DESIGN rule 6).
import { AwsError, limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { IdSource } from '../model/ids.ts';
import type { AccessKeyStatus } from './entities.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';

/** "You can have a maximum of two sets of service-specific credentials for each supported service per user." */
export const SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE = 2;

/**
 * The services that take user name and password credentials. Bedrock's API keys are
 * service-specific credentials too, but answer an alias and a secret the service model Gatehouse
 * serves today does not carry.
 */
export const SUPPORTED_SERVICES: readonly string[] = ['codecommit.amazonaws.com', 'cassandra.amazonaws.com'];

/** The model's ServiceNotSupportedException (wire code NotSupportedService, 404), as the reference words it. */
export function serviceNotSupported(): AwsError {
  return new AwsError('NotSupportedService', 'The specified service does not support service-specific credentials.', 404);
}

export function noSuchServiceSpecificCredential(id: string): Error {
  return noSuchEntity(`The Service Specific Credential with id ${id} cannot be found.`);
}

/** 32 random bytes in base64: 44 characters, the shape of AWS's generated passwords. */
export function newServicePassword(ids: IdSource): string {
  return Buffer.from(ids.bytes(32)).toString('base64');
}

/** The user's credentials, oldest first; of one service when `serviceName` is given. */
export function serviceSpecificCredentialsOf(state: StateReader, accountId: string, userId: string, serviceName?: string): EntityOf<'serviceSpecificCredential'>[] {
  return state
    .list('serviceSpecificCredential', accountId)
    .filter((c) => c.data.userId === userId && (serviceName === undefined || c.data.serviceName === serviceName))
    .sort((a, b) => (a.data.createDate < b.data.createDate ? -1 : a.data.createDate > b.data.createDate ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * `<user>-at-<account>` as AWS shows it ("JohnDoe-at-123456789012"); the user's second credential
 * for the same service while the first still exists is `<user>+1-at-<account>`, so that a service
 * user name always names one credential.
 */
function serviceUserName(userName: string, accountId: string, taken: ReadonlySet<string>): string {
  const plain = `${userName}-at-${accountId}`;
  return taken.has(plain) ? `${userName}+1-at-${accountId}` : plain;
}

export interface NewServiceSpecificCredential {
  accountId: string;
  user: EntityOf<'user'>;
  serviceName: string;
  /** Makes a candidate id (ACCA…); called again if the id is already in use. */
  newId: () => string;
  /** The generated password, already sealed. */
  passwordEncrypted: string;
  now: string;
}

export function createServiceSpecificCredential(tx: Draft, args: NewServiceSpecificCredential): EntityOf<'serviceSpecificCredential'> {
  if (!SUPPORTED_SERVICES.includes(args.serviceName)) throw serviceNotSupported();
  const existing = serviceSpecificCredentialsOf(tx, args.accountId, args.user.id, args.serviceName);
  if (existing.length >= SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE) {
    throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE}`);
  }
  let id = args.newId();
  for (let i = 0; tx.get('serviceSpecificCredential', id) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused service-specific credential id');
    id = args.newId();
  }
  const taken = new Set(existing.map((c) => c.data.serviceUserName));
  const entity = {
    kind: 'serviceSpecificCredential' as const,
    id,
    accountId: args.accountId,
    data: {
      serviceSpecificCredentialId: id,
      userId: args.user.id,
      serviceName: args.serviceName,
      serviceUserName: serviceUserName(args.user.data.userName, args.accountId, taken),
      passwordEncrypted: args.passwordEncrypted,
      status: 'Active' as AccessKeyStatus,
      createDate: args.now,
    },
  };
  tx.put(entity);
  return entity;
}

/** The credential, if it exists in the account and belongs to the user; else NoSuchEntity. */
export function requireOwnServiceSpecificCredential(state: StateReader, accountId: string, userId: string, id: string): EntityOf<'serviceSpecificCredential'> {
  const credential = state.get('serviceSpecificCredential', id);
  if (credential === undefined || credential.accountId !== accountId || credential.data.userId !== userId) throw noSuchServiceSpecificCredential(id);
  return credential;
}

/** A new password (already sealed) for the credential; its user name, status and id stay. */
export function resetServiceSpecificCredential(tx: Draft, accountId: string, userId: string, id: string, passwordEncrypted: string): EntityOf<'serviceSpecificCredential'> {
  const credential = requireOwnServiceSpecificCredential(tx, accountId, userId, id);
  const updated = { ...credential, data: { ...credential.data, passwordEncrypted } };
  tx.put(updated);
  return updated;
}

export function updateServiceSpecificCredential(tx: Draft, accountId: string, userId: string, id: string, status: AccessKeyStatus): void {
  const credential = requireOwnServiceSpecificCredential(tx, accountId, userId, id);
  if (credential.data.status !== status) tx.put({ ...credential, data: { ...credential.data, status } });
}

export function deleteServiceSpecificCredential(tx: Draft, accountId: string, userId: string, id: string): void {
  tx.delete('serviceSpecificCredential', requireOwnServiceSpecificCredential(tx, accountId, userId, id).id);
}
