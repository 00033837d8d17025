// Signed digests of the trail (CloudTrail's log file integrity validation, in Gatehouse's form):
// every interval (a minute by default) in which events were written, at start-up for a tail a
// crash left undigested, and at shutdown, a digest records the last event it covers, that event's
// chain hash (which commits to every event before it), how many events are new since the
// previous digest, and the previous digest's signature, and is signed with the audit signing key
// (Ed25519). Rewriting history then means forging a signature, and removing the newest events is
// seen because a digest names an event that is no longer there (or, when the newest digest went
// too, because the exported copy of that digest names it: export.ts).
//
// The same key, through HKDF, keys the hash chain's links (store/event-chain.ts). It is created in
// the data directory on first use, or read from GATEHOUSE_AUDIT_KEY_FILE, kept elsewhere, so that
// whoever can write the data directory cannot recompute the chain or sign digests.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DigestRecord, TrailDigests } from '../store/trail.ts';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export interface DigestBody {
  /** 1: written before the chain was keyed; 2: the chain it names is keyed with the signing key. */
  digestVersion: 1 | 2;
  digestTime: string;
  /** The events this digest adds: (previous digest's lastEventId, lastEventId]. */
  firstEventId: number | null;
  lastEventId: number;
  newEventCount: number;
  /** Hex chain hash of the last event (all zeros when there is none yet). */
  lastEventHash: string;
  previousDigestId: number | null;
  previousDigestSignature: string | null;
  publicKeyFingerprint: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
  /** The key of the hash chain's links, derived from the private key. */
  chainKey: Buffer;
}

/**
 * The audit signing key: from `keyFile` (an Ed25519 private key in PEM, which must exist), else
 * the data directory's, created (mode 0600) on first use. Its public half is written to the data
 * directory for `audit verify`.
 */
export function loadSigningKey(dataDir: string, keyFile?: string): SigningKey {
  let privateKey: KeyObject;
  if (keyFile !== undefined) {
    if (!existsSync(keyFile)) {
      throw new Error(`GATEHOUSE_AUDIT_KEY_FILE ${keyFile} does not exist (make a new key with: openssl genpkey -algorithm ed25519 -out ${keyFile}; chmod 600 ${keyFile})`);
    }
    privateKey = readPrivateKey(keyFile, 'GATEHOUSE_AUDIT_KEY_FILE ');
  } else {
    const file = join(dataDir, SIGNING_KEY_FILE);
    if (!existsSync(file)) {
      const { privateKey: made } = generateKeyPairSync('ed25519');
      try {
        writeFileSync(file, made.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    privateKey = readPrivateKey(file, '');
  }
  const key = signingKeyOf(privateKey);
  const pubFile = join(dataDir, PUBLIC_KEY_FILE);
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if (!existsSync(pubFile) || readFileSync(pubFile, 'utf8') !== pem) writeFileSync(pubFile, pem, { mode: 0o644 });
  return key;
}

/** Reads an Ed25519 private key in PEM; `what` names the file's source in errors. */
export function readPrivateKey(file: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (e) {
    throw new Error(`${what}${file} is not a private key in PEM: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what}${file} must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

export function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey), chainKey: chainKeyOf(privateKey) };
}

/** HKDF-SHA256 of the private key's seed: the chain's key, useless for signing. */
export function chainKeyOf(privateKey: KeyObject): Buffer {
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  return Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), 'gatehouse audit chain', 32));
}

export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Writes a digest covering every event committed so far; with `onlyIfNew`, only when there are
 * events no digest covers yet. Answers the digest written, if one was.
 */
export async function writeDigest(store: TrailDigests, key: SigningKey, now: Date, onlyIfNew = false): Promise<DigestRecord | undefined> {
  return store.appendDigest(({ previous, head, newEvents }) => {
    if (onlyIfNew && newEvents === 0) return undefined;
    const from = previous?.lastEventId ?? 0;
    const lastEventId = head?.id ?? 0;
    const body: DigestBody = {
      digestVersion: 2,
      digestTime: now.toISOString(),
      firstEventId: newEvents > 0 ? from + 1 : null,
      lastEventId,
      newEventCount: newEvents,
      lastEventHash: (head?.hash ?? Buffer.alloc(32)).toString('hex'),
      previousDigestId: previous?.id ?? null,
      previousDigestSignature: previous?.signature ?? null,
      publicKeyFingerprint: key.fingerprint,
    };
    const text = JSON.stringify(body);
    const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
    return { time: body.digestTime, lastEventId, body: text, signature };
  });
}

/** Writes a digest every `intervalMs` (and lets the caller write a last one on shutdown). */
export class DigestSchedule {
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly write: () => Promise<unknown>,
    intervalMs: number,
    onError: (e: unknown) => void,
  ) {
    this.#timer = setInterval(() => {
      this.write().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
