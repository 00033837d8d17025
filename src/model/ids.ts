// AWS-shaped unique ids, access keys, secrets, account ids and request ids. Randomness is
// passed in (DESIGN rule 5): tests use `seededRandom` to get the same ids every run.
//
// Unique ids (IAM user guide, "IAM identifiers" → "Understanding unique ID prefixes") are a
// four-letter prefix naming the kind of thing, then random characters from the base32 alphabet
// A-Z2-7, 21 characters in all (e.g. AIDACKCEVSQ6C2EXAMPLE).
//
// Access key ids are 20 characters: AKIA (long-term) or ASIA (temporary), then 16 base32
// characters (80 bits). As observed of AWS's keys and relied on by sts:GetAccessKeyInfo, bit 0 of
// those 80 bits is set (keys issued before AWS adopted this layout have it clear) and bits 1..40
// hold the 12-digit account id as a 40-bit number; the remaining 39 bits are random.

import { webcrypto } from 'node:crypto';

export interface RandomSource {
  /** `n` uniformly random bytes. */
  bytes(n: number): Uint8Array;
}

/**
 * The operating system's CSPRNG, drawn from an 8 KiB pool refilled as it empties: one
 * getRandomValues call per small id costs more than the rest of a request (like randomUUID's cache).
 */
export const cryptoRandom: RandomSource = (() => {
  const POOL_SIZE = 8192;
  const pool = new Uint8Array(POOL_SIZE);
  let used = POOL_SIZE;
  return {
    bytes(n: number): Uint8Array {
      if (n > POOL_SIZE / 4) return webcrypto.getRandomValues(new Uint8Array(n));
      if (used + n > POOL_SIZE) {
        webcrypto.getRandomValues(pool);
        used = 0;
      }
      const out = pool.slice(used, used + n);
      pool.fill(0, used, used + n); // what was handed out does not stay behind in the pool
      used += n;
      return out;
    },
  };
})();

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 16 bytes as a UUID's text (8-4-4-4-12 lower-case hex digits); every request makes two. */
function uuidText(b: Uint8Array): string {
  let text = '';
  for (let i = 0; i < 16; i++) text += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX_BYTE[b[i]!]!;
  return text;
}

/** A deterministic random source (mulberry32) for tests; never for real credentials. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

/** Prefixes AWS documents for unique ids ("Understanding unique ID prefixes"). */
export const UniqueIdPrefix = {
  bearerToken: 'ABIA',
  contextSpecificCredential: 'ACCA',
  group: 'AGPA',
  user: 'AIDA',
  instanceProfile: 'AIPA',
  accessKey: 'AKIA',
  managedPolicy: 'ANPA',
  managedPolicyVersion: 'ANVA',
  publicKey: 'APKA',
  role: 'AROA',
  certificate: 'ASCA',
  temporaryAccessKey: 'ASIA',
} as const;
export type UniqueIdPrefix = (typeof UniqueIdPrefix)[keyof typeof UniqueIdPrefix];

export const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 32; i++) table[BASE32_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

const UNIQUE_ID_LENGTH = 21;
const ACCESS_KEY_ID_LENGTH = 20;
const ACCOUNT_BITS = 2 ** 40;

const UNIQUE_ID_RE = /^A[A-Z]{3}[A-Z2-7]{17}$/;
const ACCOUNT_ID_RE = /^\d{12}$/;

export function isUniqueId(text: string, prefix?: UniqueIdPrefix): boolean {
  return UNIQUE_ID_RE.test(text) && (prefix === undefined || text.startsWith(prefix));
}

export function isAccountId(text: string): boolean {
  return ACCOUNT_ID_RE.test(text);
}

export class IdSource {
  readonly #random: RandomSource;

  constructor(random: RandomSource = cryptoRandom) {
    this.#random = random;
  }

  /** A 21-character unique id with the given prefix. */
  uniqueId(prefix: UniqueIdPrefix): string {
    return prefix + this.#base32(UNIQUE_ID_LENGTH - prefix.length);
  }

  userId(): string {
    return this.uniqueId(UniqueIdPrefix.user);
  }
  groupId(): string {
    return this.uniqueId(UniqueIdPrefix.group);
  }
  roleId(): string {
    return this.uniqueId(UniqueIdPrefix.role);
  }
  policyId(): string {
    return this.uniqueId(UniqueIdPrefix.managedPolicy);
  }
  instanceProfileId(): string {
    return this.uniqueId(UniqueIdPrefix.instanceProfile);
  }
  serverCertificateId(): string {
    return this.uniqueId(UniqueIdPrefix.certificate);
  }
  /** SSH public key ids are 20 characters in AWS's examples (APKAEIBAERJR2EXAMPLE). */
  sshPublicKeyId(): string {
    return UniqueIdPrefix.publicKey + this.#base32(16);
  }
  serviceSpecificCredentialId(): string {
    return this.uniqueId(UniqueIdPrefix.contextSpecificCredential);
  }
  /** Signing certificate ids are 28 upper-case characters in AWS's examples (TA7SMP42TDN5Z26OBPJE7EXAMPLE). */
  signingCertificateId(): string {
    return this.#base32(28);
  }
  /** A SAML provider private key's KeyId: 22 to 64 of [A-Z0-9] (the API reference); 26 here. */
  samlPrivateKeyId(): string {
    return this.#base32(26);
  }
  /** A SAML provider's SAMLProviderUUID: a UUID v4. */
  samlProviderUuid(): string {
    return this.requestId();
  }

  /**
   * A 20-character access key id that encodes `accountId` as AWS's do, so that
   * `accountIdFromAccessKeyId` (sts:GetAccessKeyInfo) gives it back. Callers must still check
   * for an existing key with the same id (39 random bits per account).
   */
  accessKeyId(accountId: string, temporary = false): string {
    if (!isAccountId(accountId)) throw new RangeError(`not a 12-digit account id: ${accountId}`);
    const prefix = temporary ? UniqueIdPrefix.temporaryAccessKey : UniqueIdPrefix.accessKey;
    // The first 9 characters after the prefix carry 45 bits: marker bit, 40 account bits and
    // 4 random bits. Exact in a double (< 2^53).
    const random4 = this.#random.bytes(1)[0]! & 0x0f;
    let head = (2 ** 44 + Number(accountId) * 16 + random4);
    let headChars = '';
    for (let i = 0; i < 9; i++) {
      headChars = BASE32_ALPHABET[head % 32]! + headChars;
      head = Math.floor(head / 32);
    }
    return prefix + headChars + this.#base32(ACCESS_KEY_ID_LENGTH - prefix.length - 9);
  }

  /** 40 characters of base64 (30 random bytes), the shape of AWS's secret access keys. */
  secretAccessKey(): string {
    return Buffer.from(this.#random.bytes(30)).toString('base64');
  }

  /** A 12-digit account id, uniformly random (leading zeros allowed, as in AWS). */
  accountId(): string {
    for (;;) {
      const b = this.#random.bytes(5);
      // 40 random bits; reject the top slice so that the result is uniform below 10^12.
      const n = b[0]! * 2 ** 32 + ((b[1]! << 24) >>> 0) + (b[2]! << 16) + (b[3]! << 8) + b[4]!;
      if (n < 1_000_000_000_000 && n !== 0) return String(n).padStart(12, '0');
    }
  }

  /** A UUID v4, the shape of AWS's x-amzn-RequestId. */
  requestId(): string {
    const b = this.#random.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return uuidText(b);
  }

  /**
   * A time-ordered UUID (version 7: 48 bits of Unix milliseconds, then random bits) for audit
   * event ids: still a UUID as CloudTrail's eventID is, but new ones sort after old ones, so
   * indexing them appends instead of splitting pages all over the index.
   */
  eventId(now: Date): string {
    const b = this.#random.bytes(16);
    let ms = now.getTime();
    for (let i = 5; i >= 0; i--) {
      b[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    b[6] = (b[6]! & 0x0f) | 0x70;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return uuidText(b);
  }

  /** `n` random bytes, for session tokens and the like. */
  bytes(n: number): Uint8Array {
    return this.#random.bytes(n);
  }

  #base32(length: number): string {
    const b = this.#random.bytes(length);
    let out = '';
    // 256 is a multiple of 32, so the low five bits of a uniform byte are uniform.
    for (let i = 0; i < length; i++) out += BASE32_ALPHABET[b[i]! & 31];
    return out;
  }
}

/**
 * The account id an access key id encodes (what sts:GetAccessKeyInfo returns), or undefined when
 * the text is not shaped like an access key id. AWS's API accepts ids of 16 characters or more.
 */
export function accountIdFromAccessKeyId(accessKeyId: string): string | undefined {
  if (accessKeyId.length < 16 || !/^A[A-Z]{3}[A-Z2-7]+$/.test(accessKeyId)) return undefined;
  let head = 0;
  for (let i = 4; i < 13; i++) head = head * 32 + BASE32_VALUE[accessKeyId.charCodeAt(i)]!;
  const account = Math.floor(head / 16) % ACCOUNT_BITS;
  return String(account).padStart(12, '0');
}

/** The kind of access key an id names, from its prefix. */
export function accessKeyIdKind(accessKeyId: string): 'long-term' | 'temporary' | undefined {
  if (accessKeyId.startsWith(UniqueIdPrefix.accessKey)) return 'long-term';
  if (accessKeyId.startsWith(UniqueIdPrefix.temporaryAccessKey)) return 'temporary';
  return undefined;
}
