// HMAC-SHA256 (RFC 2104) from two one-shot SHA-256 hashes over a key whose padded forms are
// computed once. Node's createHmac builds a key object per call, which costs several times the
// hashing itself; a signature check runs one HMAC per request under the same signing key.
// The hashes answer in hex: crypto.hash makes a hex string faster than a Buffer.
import { sha256, sha256Hex } from '../model/sha256.ts';

const BLOCK = 64;

export class HmacSha256Key {
  readonly #inner: Buffer;
  readonly #outer: Buffer;

  constructor(key: Uint8Array) {
    const k = key.length > BLOCK ? sha256(key) : key;
    this.#inner = Buffer.alloc(BLOCK, 0x36);
    this.#outer = Buffer.alloc(BLOCK + 32, 0x5c);
    for (let i = 0; i < k.length; i++) {
      this.#inner[i]! ^= k[i]!;
      this.#outer[i]! ^= k[i]!;
    }
  }

  /** HMAC-SHA256 of the UTF-8 bytes of `message`, as 64 lower-case hex digits. */
  digestHex(message: string): string {
    const inner = Buffer.allocUnsafe(BLOCK + Buffer.byteLength(message, 'utf8'));
    this.#inner.copy(inner, 0);
    inner.write(message, BLOCK, 'utf8');
    const outer = Buffer.from(this.#outer);
    outer.write(sha256Hex(inner), BLOCK, 'hex');
    return sha256Hex(outer);
  }
}
