// X.509 certificates as IAM takes them: PEM text (a server certificate's body and chain, a signing
// certificate) or base64 DER (the signing certificates in SAML metadata), read with node:crypto.
// PEM is read strictly, line by line: blocks and blank lines only, so that nothing else can hide
// in an upload, and in time linear in its length.
import { createHash, X509Certificate } from 'node:crypto';

export interface PemBlock {
  label: string;
  der: Buffer;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The PEM blocks of `text` in order, or undefined when it holds anything else (or nothing). */
export function pemBlocks(text: string): PemBlock[] | undefined {
  const blocks: PemBlock[] = [];
  let label: string | undefined;
  let body = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (label === undefined) {
      if (line === '') continue;
      const begin = BEGIN.exec(line);
      if (begin === null) return undefined;
      label = begin[1]!;
      body = '';
    } else if (line === `-----END ${label}-----`) {
      const der = Buffer.from(body, 'base64');
      if (der.length === 0) return undefined;
      blocks.push({ label, der });
      label = undefined;
    } else if (BASE64_LINE.test(line)) {
      body += line;
    } else {
      return undefined;
    }
  }
  return label === undefined && blocks.length > 0 ? blocks : undefined;
}

/** A certificate from its DER bytes, or undefined when they are not one. */
export function certificateFromDer(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** Every certificate of a PEM text of CERTIFICATE blocks, or undefined when any block is not one. */
export function pemCertificates(text: string): X509Certificate[] | undefined {
  const blocks = pemBlocks(text);
  if (blocks === undefined) return undefined;
  const certs: X509Certificate[] = [];
  for (const block of blocks) {
    const cert = block.label === 'CERTIFICATE' ? certificateFromDer(block.der) : undefined;
    if (cert === undefined) return undefined;
    certs.push(cert);
  }
  return certs;
}

/** The certificate's notAfter as an ISO 8601 date. */
export function notAfter(cert: X509Certificate): string {
  return new Date(cert.validTo).toISOString();
}

export function isExpired(cert: X509Certificate, now: Date): boolean {
  return Date.parse(cert.validTo) <= now.getTime();
}

/** SHA-256 of the certificate's DER, hex: two uploads of one certificate have the same. */
export function certificateFingerprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** True when `issuer` issued `cert`: names that chain and a signature its key verifies. */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
