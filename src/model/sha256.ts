// SHA-256 in one call. Node ≥ 20.12 hashes without creating a Hash object (crypto.hash), which
// for the short inputs of a signature check or a chain link costs less than the object itself;
// older releases go through createHash.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string | Uint8Array, outputEncoding: 'buffer' | 'hex') => Buffer | string;
const oneShot = (crypto as { hash?: OneShot }).hash;

export function sha256(data: string | Uint8Array): Buffer {
  return oneShot ? (oneShot('sha256', data, 'buffer') as Buffer) : crypto.createHash('sha256').update(data).digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? (oneShot('sha256', data, 'hex') as string) : crypto.createHash('sha256').update(data).digest('hex');
}
