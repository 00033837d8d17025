// Server certificates: an X.509 certificate with its private key (and optionally the chain that
// issued it), uploaded for services that terminate TLS, renamed or moved, deleted, tagged. The
// certificate must parse, not have expired, match the private key, and its chain must run from its
// issuer upwards. The private key is write-only: sealed with the data key (DESIGN rule 6) and never
// answered.
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { iamArn } from '../model/arn.ts';
import { entityAlreadyExists, keyPairMismatch, malformedCertificate, noSuchEntity } from '../model/errors.ts';
import type { ServerCertificate, Tag } from './entities.ts';
import { checkAccountQuota } from './quotas.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { isExpired, issuedBy, notAfter, pemCertificates } from './x509.ts';
import { accountPartition } from './partition.ts';

/** Server certificates per account ("IAM and AWS STS quotas"). */
export const SERVER_CERTIFICATES_PER_ACCOUNT = 20;

const NOT_PEM = 'Unable to parse certificate. Please ensure the certificate is in PEM format.';
const EXPIRED = "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.";

function badChain(index: number): Error {
  return malformedCertificate(
    `Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`,
  );
}

export function noSuchServerCertificate(name: string): Error {
  return noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
}

function serverCertificateExists(name: string): Error {
  return entityAlreadyExists(`The Server Certificate with name ${name} already exists.`);
}

/** The certificate, when it exists in the account; else AWS's NoSuchEntity. */
export function requireServerCertificate(state: StateReader, accountId: string, name: string): EntityOf<'serverCertificate'> {
  const cert = state.byName('serverCertificate', accountId, name);
  if (cert === undefined) throw noSuchServerCertificate(name);
  return cert;
}

function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // AWS answers a private key it cannot read as it answers a certificate it cannot read.
    throw malformedCertificate(NOT_PEM);
  }
}

/**
 * Checks what UploadServerCertificate is given: one certificate, unexpired, whose public key is the
 * private key's, and a chain in which each certificate issued the one before it (the body is index
 * 0 in AWS's message, the chain's first certificate 1). Answers the certificate's expiration.
 */
export function checkServerCertificate(body: string, privateKey: string, chain: string | undefined, now: Date): { expiration: string } {
  const certs = pemCertificates(body);
  if (certs === undefined || certs.length !== 1) throw malformedCertificate(NOT_PEM);
  const cert = certs[0]!;
  const key = privateKeyOf(privateKey);
  if (isExpired(cert, now)) throw malformedCertificate(EXPIRED);
  if (!cert.checkPrivateKey(key)) throw keyPairMismatch('The public key certificate and the private key do not match.');
  if (chain !== undefined) checkChain(cert, chain);
  return { expiration: notAfter(cert) };
}

function checkChain(cert: X509Certificate, chain: string): void {
  const issuers = pemCertificates(chain);
  if (issuers === undefined) throw malformedCertificate(NOT_PEM);
  let previous = cert;
  for (let i = 0; i < issuers.length; i++) {
    if (!issuedBy(previous, issuers[i]!)) throw badChain(i + 1);
    previous = issuers[i]!;
  }
}

export interface NewServerCertificate {
  accountId: string;
  name: string;
  /** ASCA…, from the id source. */
  serverCertificateId: string;
  path?: string;
  certificateBody: string;
  certificateChain?: string;
  /** From checkServerCertificate. */
  expiration: string;
  /** The private key's PEM text, already sealed. */
  privateKeyEncrypted: string;
  tags?: readonly Tag[];
  now: string;
}

export function uploadServerCertificate(tx: Draft, args: NewServerCertificate): EntityOf<'serverCertificate'> {
  const { accountId, name } = args;
  const path = args.path ?? '/';
  if (tx.byName('serverCertificate', accountId, name) !== undefined) throw serverCertificateExists(name);
  if (args.tags) checkRequestTags(args.tags);
  checkAccountQuota(tx, 'serverCertificate', accountId, 'ServerCertificatesPerAccount', SERVER_CERTIFICATES_PER_ACCOUNT);
  const data: ServerCertificate = {
    serverCertificateName: name,
    serverCertificateId: args.serverCertificateId,
    path,
    arn: iamArn.serverCertificate(accountId, path, name, accountPartition(tx, accountId)),
    uploadDate: args.now,
    expiration: args.expiration,
    certificateBody: args.certificateBody,
    privateKeyEncrypted: args.privateKeyEncrypted,
    tags: (args.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
  };
  if (args.certificateChain !== undefined) data.certificateChain = args.certificateChain;
  const entity = { kind: 'serverCertificate' as const, id: args.serverCertificateId, accountId, name, data };
  tx.put(entity);
  return entity;
}

/** UpdateServerCertificate: a new name and/or path; the id, the key and the tags stay. */
export function updateServerCertificate(
  tx: Draft,
  accountId: string,
  name: string,
  change: { newName?: string; newPath?: string },
): EntityOf<'serverCertificate'> {
  const cert = requireServerCertificate(tx, accountId, name);
  const newName = change.newName ?? cert.data.serverCertificateName;
  const path = change.newPath ?? cert.data.path;
  const holder = tx.byName('serverCertificate', accountId, newName);
  if (holder !== undefined && holder.id !== cert.id) throw serverCertificateExists(newName);
  const data = { ...cert.data, serverCertificateName: newName, path, arn: iamArn.serverCertificate(accountId, path, newName, accountPartition(tx, accountId)) };
  const renamed = { kind: 'serverCertificate' as const, id: cert.id, accountId, name: newName, data };
  tx.put(renamed);
  return renamed;
}

export function deleteServerCertificate(tx: Draft, accountId: string, name: string): void {
  tx.delete('serverCertificate', requireServerCertificate(tx, accountId, name).id);
}

/** The account's server certificates whose path starts with `pathPrefix`, in name order. */
export function serverCertificatesUnderPath(state: StateReader, accountId: string, pathPrefix?: string): readonly EntityOf<'serverCertificate'>[] {
  const all = state.list('serverCertificate', accountId);
  if (pathPrefix === undefined || pathPrefix === '/') return all;
  return all.filter((c) => c.data.path.startsWith(pathPrefix));
}
