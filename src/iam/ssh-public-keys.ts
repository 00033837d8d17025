// SSH public keys of IAM users (for CodeCommit): RSA keys of at least 2048 bits, uploaded in
// OpenSSH's `ssh-rsa` form or as PEM, at most five per user, Active or Inactive. A key is kept as its
// OpenSSH blob, so that one key uploaded in either form is the same key, answered in either
// encoding, with the MD5 fingerprint AWS (and `ssh-keygen -E md5`) shows.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { duplicateSshPublicKey, invalidPublicKey, limitExceeded, noSuchEntity, unrecognizedPublicKeyEncoding } from '../model/errors.ts';
import type { AccessKeyStatus, SshPublicKey } from './entities.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { pemBlocks } from './x509.ts';

/** SSH public keys per user ("IAM and AWS STS quotas"). */
export const SSH_PUBLIC_KEYS_PER_USER = 5;
/** "The minimum bit-length of the public key is 2048 bits." */
export const MIN_RSA_BITS = 2048;
/** Beyond what any SSH implementation accepts; bounds the work a key can cause. */
export const MAX_RSA_BITS = 16384;

const MALFORMED = 'The public key is malformed or otherwise invalid.';
const UNRECOGNIZED = 'The public key encoding format is unsupported or unrecognized.';

export function noSuchSshPublicKey(id: string): Error {
  return noSuchEntity(`The Public Key with id ${id} cannot be found.`);
}

/** An RSA public key as SSH writes it: string "ssh-rsa", mpint e, mpint n. */
function sshBlob(e: Buffer, n: Buffer): Buffer {
  const parts = [sshString(Buffer.from('ssh-rsa')), sshString(mpint(e)), sshString(mpint(n))];
  return Buffer.concat(parts);
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A non-negative integer's minimal two's-complement bytes (a 0 first when the top bit is set). */
function mpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const bytes = magnitude.subarray(start);
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
}

/** Reads the strings of an SSH blob; undefined when it is not exactly a sequence of them. */
function sshStrings(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    at += 4;
    if (at + length > blob.length) return undefined;
    out.push(blob.subarray(at, at + length));
    at += length;
  }
  return out;
}

function bitLength(n: Buffer): number {
  let start = 0;
  while (start < n.length && n[start] === 0) start++;
  if (start === n.length) return 0;
  return (n.length - start) * 8 - Math.clz32(n[start]!) + 24;
}

/** The key, as an RSA key object, from its exponent and modulus. */
function rsaKey(e: Buffer, n: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
}

function fromOpenSsh(text: string): { e: Buffer; n: Buffer } {
  const fields = text.split(/\s+/);
  if (fields[0] !== 'ssh-rsa' || fields.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(fields[1]!)) throw invalidPublicKey(MALFORMED);
  const strings = sshStrings(Buffer.from(fields[1]!, 'base64'));
  if (strings === undefined || strings.length !== 3 || strings[0]!.toString('latin1') !== 'ssh-rsa') throw invalidPublicKey(MALFORMED);
  // mpints are two's complement: a negative one is no RSA number.
  if (strings[1]!.length === 0 || strings[2]!.length === 0 || strings[1]![0]! & 0x80 || strings[2]![0]! & 0x80) throw invalidPublicKey(MALFORMED);
  return { e: strings[1]!, n: strings[2]! };
}

function fromPem(text: string): { e: Buffer; n: Buffer } {
  const blocks = pemBlocks(text);
  const block = blocks?.length === 1 ? blocks[0]! : undefined;
  const type = block?.label === 'PUBLIC KEY' ? 'spki' : block?.label === 'RSA PUBLIC KEY' ? 'pkcs1' : undefined;
  if (block === undefined || type === undefined) throw invalidPublicKey(MALFORMED);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block.der, format: 'der', type });
  } catch {
    throw invalidPublicKey(MALFORMED);
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalidPublicKey(MALFORMED);
  const jwk = key.export({ format: 'jwk' });
  return { e: Buffer.from(jwk.e!, 'base64url'), n: Buffer.from(jwk.n!, 'base64url') };
}

export interface ParsedSshPublicKey {
  /** The OpenSSH blob, base64. */
  blob: string;
  fingerprint: string;
}

/**
 * Reads an UploadSSHPublicKey body: `ssh-rsa <base64> [comment]` or a PEM public key (SPKI or
 * PKCS#1). Other formats are UnrecognizedPublicKeyEncoding; keys that do not read, are not RSA or are
 * shorter than 2048 bits are InvalidPublicKey.
 */
export function parseSshPublicKey(body: string): ParsedSshPublicKey {
  const text = body.trim();
  let key: { e: Buffer; n: Buffer };
  if (text.startsWith('ssh-rsa ') || text.startsWith('ssh-rsa\t')) key = fromOpenSsh(text);
  else if (text.startsWith('-----BEGIN ')) key = fromPem(text);
  else throw unrecognizedPublicKeyEncoding(UNRECOGNIZED);
  const bits = bitLength(key.n);
  if (bits < MIN_RSA_BITS) throw invalidPublicKey(`The minimum bit-length of the public key is ${MIN_RSA_BITS} bits.`);
  if (bits > MAX_RSA_BITS) throw invalidPublicKey(MALFORMED);
  try {
    rsaKey(key.e, key.n);
  } catch {
    throw invalidPublicKey(MALFORMED);
  }
  const blob = sshBlob(key.e, key.n);
  const md5 = createHash('md5').update(blob).digest('hex');
  return { blob: blob.toString('base64'), fingerprint: md5.replace(/(..)(?!$)/g, '$1:') };
}

/** The key in the encoding GetSSHPublicKey asks for: `ssh-rsa <base64>`, or PEM (SPKI). */
export function encodeSshPublicKey(blob: string, encoding: 'SSH' | 'PEM'): string {
  if (encoding === 'SSH') return `ssh-rsa ${blob}`;
  const [, e, n] = sshStrings(Buffer.from(blob, 'base64'))!;
  return rsaKey(e!, n!).export({ type: 'spki', format: 'pem' }) as string;
}

/** The user's keys, oldest first. */
export function sshPublicKeysOf(state: StateReader, accountId: string, userId: string): EntityOf<'sshPublicKey'>[] {
  return state
    .list('sshPublicKey', accountId)
    .filter((k) => k.data.userId === userId)
    .sort((a, b) => (a.data.uploadDate < b.data.uploadDate ? -1 : a.data.uploadDate > b.data.uploadDate ? 1 : a.id < b.id ? -1 : 1));
}

export interface NewSshPublicKey extends ParsedSshPublicKey {
  accountId: string;
  userId: string;
  /** Makes a candidate id (APKA…); called again if the id is already in use. */
  newKeyId: () => string;
  now: string;
}

export function uploadSshPublicKey(tx: Draft, args: NewSshPublicKey): EntityOf<'sshPublicKey'> {
  const keys = sshPublicKeysOf(tx, args.accountId, args.userId);
  if (keys.some((k) => k.data.blob === args.blob)) {
    throw duplicateSshPublicKey('The SSH public key is already associated with the specified IAM user.');
  }
  if (keys.length >= SSH_PUBLIC_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for SSHPublicKeysPerUser: ${SSH_PUBLIC_KEYS_PER_USER}`);
  let id = args.newKeyId();
  for (let i = 0; tx.get('sshPublicKey', id) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused SSH public key id');
    id = args.newKeyId();
  }
  const data: SshPublicKey = { sshPublicKeyId: id, userId: args.userId, blob: args.blob, fingerprint: args.fingerprint, status: 'Active', uploadDate: args.now };
  const entity = { kind: 'sshPublicKey' as const, id, accountId: args.accountId, data };
  tx.put(entity);
  return entity;
}

/** The key, if it exists in the account and belongs to the user; else NoSuchEntity. */
export function requireOwnSshPublicKey(state: StateReader, accountId: string, userId: string, id: string): EntityOf<'sshPublicKey'> {
  const key = state.get('sshPublicKey', id);
  if (key === undefined || key.accountId !== accountId || key.data.userId !== userId) throw noSuchSshPublicKey(id);
  return key;
}

export function updateSshPublicKey(tx: Draft, accountId: string, userId: string, id: string, status: AccessKeyStatus): void {
  const key = requireOwnSshPublicKey(tx, accountId, userId, id);
  if (key.data.status !== status) tx.put({ ...key, data: { ...key.data, status } });
}

export function deleteSshPublicKey(tx: Draft, accountId: string, userId: string, id: string): void {
  tx.delete('sshPublicKey', requireOwnSshPublicKey(tx, accountId, userId, id).id);
}
