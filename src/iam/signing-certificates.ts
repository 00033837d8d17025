// Signing certificates: X.509 certificates of a user (or of the root user, owner 'root'), at most
// two each, Active or Inactive. A certificate belongs to one owner in an account: uploading it again
// for its owner changes nothing, for anyone else it is DuplicateCertificate.
import { duplicateCertificate, limitExceeded, malformedCertificate, noSuchEntity } from '../model/errors.ts';
import type { AccessKeyStatus, SigningCertificate } from './entities.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { certificateFingerprint, isExpired, pemCertificates } from './x509.ts';

/** Signing certificates per user: fixed by AWS. */
export const SIGNING_CERTIFICATES_PER_USER = 2;

export function noSuchSigningCertificate(certificateId: string): Error {
  return noSuchEntity(`The Certificate with id ${certificateId} cannot be found.`);
}

/** The owner's certificates, oldest first. */
export function signingCertificatesOf(state: StateReader, accountId: string, ownerId: string): EntityOf<'signingCertificate'>[] {
  return state
    .list('signingCertificate', accountId)
    .filter((c) => c.data.userId === ownerId)
    .sort((a, b) => (a.data.uploadDate < b.data.uploadDate ? -1 : a.data.uploadDate > b.data.uploadDate ? 1 : a.id < b.id ? -1 : 1));
}

/** The certificate's fingerprint, once the body is one unexpired X.509 certificate in PEM. */
export function checkSigningCertificate(body: string, now: Date): { fingerprint: string } {
  const certs = pemCertificates(body);
  if (certs === undefined || certs.length !== 1) {
    throw malformedCertificate('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  }
  if (isExpired(certs[0]!, now)) {
    throw malformedCertificate("Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.");
  }
  return { fingerprint: certificateFingerprint(certs[0]!) };
}

export interface NewSigningCertificate {
  accountId: string;
  /** The user id, or ROOT_OWNER_ID. */
  ownerId: string;
  /** Makes a candidate id; called again if the id is already in use. */
  newCertificateId: () => string;
  certificateBody: string;
  /** From checkSigningCertificate. */
  fingerprint: string;
  now: string;
}

export function uploadSigningCertificate(tx: Draft, args: NewSigningCertificate): EntityOf<'signingCertificate'> {
  const same = tx.list('signingCertificate', args.accountId).find((c) => c.data.fingerprint === args.fingerprint);
  if (same !== undefined) {
    if (same.data.userId === args.ownerId) return same;
    throw duplicateCertificate('The same certificate is already associated with another user in this account.');
  }
  if (signingCertificatesOf(tx, args.accountId, args.ownerId).length >= SIGNING_CERTIFICATES_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for CertificatesPerUser: ${SIGNING_CERTIFICATES_PER_USER}`);
  }
  let certificateId = args.newCertificateId();
  for (let i = 0; tx.get('signingCertificate', certificateId) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused certificate id');
    certificateId = args.newCertificateId();
  }
  const data: SigningCertificate = {
    certificateId,
    userId: args.ownerId,
    certificateBody: args.certificateBody,
    status: 'Active',
    uploadDate: args.now,
    fingerprint: args.fingerprint,
  };
  const entity = { kind: 'signingCertificate' as const, id: certificateId, accountId: args.accountId, data };
  tx.put(entity);
  return entity;
}

/** The certificate, if it exists in the account and belongs to the owner; else NoSuchEntity. */
export function requireOwnSigningCertificate(state: StateReader, accountId: string, ownerId: string, certificateId: string): EntityOf<'signingCertificate'> {
  const cert = state.get('signingCertificate', certificateId);
  if (cert === undefined || cert.accountId !== accountId || cert.data.userId !== ownerId) throw noSuchSigningCertificate(certificateId);
  return cert;
}

export function updateSigningCertificate(tx: Draft, accountId: string, ownerId: string, certificateId: string, status: AccessKeyStatus): void {
  const cert = requireOwnSigningCertificate(tx, accountId, ownerId, certificateId);
  if (cert.data.status !== status) tx.put({ ...cert, data: { ...cert.data, status } });
}

export function deleteSigningCertificate(tx: Draft, accountId: string, ownerId: string, certificateId: string): void {
  tx.delete('signingCertificate', requireOwnSigningCertificate(tx, accountId, ownerId, certificateId).id);
}
