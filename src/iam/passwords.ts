// Password hashing (DESIGN rule 6): scrypt from node:crypto, with OWASP's parameters by default
// (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds per hash), run off the event loop.
// A hash is a self-describing string, `$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>`, so hashes
// made with other parameters keep verifying when the default changes. Comparison is constant-time.
// Each hash costs a core and 128 MiB for a while, so hashing is admitted by a gate: a few at a
// time, a short queue, at most one in flight per requester (a source address, a caller), and the
// rest refused at once (PasswordHashingBusy) rather than queued without bound.
import { availableParallelism } from 'node:os';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AwsError } from '../model/errors.ts';

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

/** Hashing is at capacity: try again shortly (sign-in answers it as 503 with Retry-After). */
export class PasswordHashingBusy extends AwsError {
  constructor() {
    super('Throttling', 'Rate exceeded: too many passwords are being checked. Try again in a second.', 400);
  }
}

export interface HashingLimits {
  /** Hashes computed at once (default: one fewer than the cores, at least one: requests keep a core). */
  concurrency: number;
  /** Hashes waiting for a turn at most (default: 4 × concurrency). */
  queue: number;
}

/** Admission to hashing: bounded concurrency, a bounded FIFO queue, one hash per requester. */
class HashGate {
  readonly #limits: HashingLimits;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** Requesters with a hash running or waiting. */
  readonly #holders = new Set<string>();

  constructor(limits: HashingLimits) {
    this.#limits = limits;
  }

  async run<T>(requester: string | undefined, work: () => Promise<T>): Promise<T> {
    if (requester !== undefined && this.#holders.has(requester)) throw new PasswordHashingBusy();
    if (this.#running >= this.#limits.concurrency && this.#waiting.length >= this.#limits.queue) throw new PasswordHashingBusy();
    if (requester !== undefined) this.#holders.add(requester);
    try {
      if (this.#running >= this.#limits.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      this.#running++;
      try {
        return await work();
      } finally {
        this.#running--;
        this.#waiting.shift()?.();
      }
    } finally {
      if (requester !== undefined) this.#holders.delete(requester);
    }
  }
}

export function defaultHashingLimits(): HashingLimits {
  const concurrency = Math.max(1, availableParallelism() - 1);
  return { concurrency, queue: 4 * concurrency };
}

export class PasswordHasher {
  readonly params: ScryptParameters;
  readonly #gate: HashGate;
  /** A hash of nothing anyone knows: verified against when there is no real hash, so timing tells nothing. */
  #decoy: Promise<string> | undefined;

  constructor(params: Partial<ScryptParameters> = {}, limits: HashingLimits = defaultHashingLimits()) {
    this.params = { ...DEFAULT_SCRYPT, ...params };
    this.#gate = new HashGate(limits);
    const { logN } = this.params;
    if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > MAX_SCRYPT_LOG_N) {
      throw new RangeError(`scrypt cost must be between 2^${MIN_SCRYPT_LOG_N} and 2^${MAX_SCRYPT_LOG_N}, got 2^${logN}`);
    }
  }

  /** `requester`: who asks (a source address, a caller's ARN), for admission (one hash each at a time). */
  async hash(password: string, requester?: string): Promise<string> {
    return this.#gate.run(requester, () => hashWith(password, this.params));
  }

  /** True when `password` matches `hash`. An unreadable hash never matches. */
  async verify(password: string, hash: string, requester?: string): Promise<boolean> {
    return this.#gate.run(requester, () => matches(password, hash));
  }

  /** Spends the time a verification takes and answers false: for identities that do not exist. */
  async verifyNothing(password: string, requester?: string): Promise<false> {
    await this.#gate.run(requester, async () => {
      // Made by the first admitted check: a refused attempt neither waits for it nor spoils it.
      this.#decoy ??= hashWith(randomBytes(18).toString('base64'), this.params);
      return matches(password, await this.#decoy);
    });
    return false;
  }

  /** True when `password` matches any of `hashes` (reuse prevention): one admission, checked in turn. */
  async matchesAny(password: string, hashes: readonly string[], requester?: string): Promise<boolean> {
    if (hashes.length === 0) return false;
    return this.#gate.run(requester, async () => {
      let found = false;
      for (const h of hashes) if (await matches(password, h)) found = true; // all of them: timing says nothing of which
      return found;
    });
  }
}

async function matches(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (parsed === undefined || parsed.key.length === 0) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

async function hashWith(password: string, params: ScryptParameters): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  const { logN, r, p } = params;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}
