// The test PKI in test/support/pki (made by its make.sh): certificates, keys and an SSH key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'pki');

/** A file of the test PKI, as text: 'server.pem', 'server.key', 'ssh.key.pub', … */
export function pki(file: string): string {
  return readFileSync(join(DIR, file), 'utf8');
}

/** The base64 DER of a PEM certificate, as SAML metadata carries it. */
export function certificateBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
