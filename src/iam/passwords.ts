// Password hashing (DESIGN rule 6): scrypt from node:crypto, with OWASP's parameters by default
// (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds per hash), run off the event loop.
// A hash is a self-describing string, `$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>`, so hashes
// made with other parameters keep verifying when the default changes. Comparison is constant-time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of N, the CPU/memory cost. */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { logN: 17, r: 8, p: 1 };
/** The weakest cost a deployment may configure (OWASP lists N = 2^14 with p = 5 as equivalent). */
export const MIN_SCRYPT_LOG_N = 14;
const MAX_SCRYPT_LOG_N = 20;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const HASH_FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, params: ScryptParameters, length: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  // scrypt needs 128·N·r bytes (plus a little); Node refuses above maxmem.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function parse(hash: string): { params: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const m = HASH_FORMAT.exec(hash);
  if (m === null) return undefined;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.logN < 10 || params.logN > MAX_SCRYPT_LOG_N || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return undefined;
  return { params, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

export class PasswordHasher {
  readonly params: ScryptParameters;
  /** A hash of nothing anyone knows: verified against when there is no real hash, so timing tells nothing. */
  #decoy: Promise<string> | undefined;

  constructor(params: Partial<ScryptParameters> = {}) {
    this.params = { ...DEFAULT_SCRYPT, ...params };
    const { logN } = this.params;
    if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > MAX_SCRYPT_LOG_N) {
      throw new RangeError(`scrypt cost must be between 2^${MIN_SCRYPT_LOG_N} and 2^${MAX_SCRYPT_LOG_N}, got 2^${logN}`);
    }
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.params, KEY_BYTES);
    const { logN, r, p } = this.params;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** True when `password` matches `hash`. An unreadable hash never matches. */
  async verify(password: string, hash: string): Promise<boolean> {
    const parsed = parse(hash);
    if (parsed === undefined || parsed.key.length === 0) return false;
    const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  }

  /** Spends the time a verification takes and answers false: for identities that do not exist. */
  async verifyNothing(password: string): Promise<false> {
    this.#decoy ??= this.hash(randomBytes(18).toString('base64'));
    await this.verify(password, await this.#decoy);
    return false;
  }

  /** True when `password` matches any of `hashes` (reuse prevention); all are checked, in parallel. */
  async matchesAny(password: string, hashes: readonly string[]): Promise<boolean> {
    const results = await Promise.all(hashes.map((h) => this.verify(password, h)));
    return results.includes(true);
  }
}
