// Signed digests of the trail (CloudTrail's log file integrity validation, in Gatehouse's form):
// at an interval (hourly by default) a digest records the last event it covers, that event's
// chain hash (which commits to every event before it), how many events are new since the
// previous digest, and the previous digest's signature, and is signed with an Ed25519 key kept in
// the data directory. Rewriting history then means forging a signature, and removing the newest
// events is seen because a digest names an event that is no longer there.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrailDigests } from '../store/trail.ts';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export interface DigestBody {
  digestVersion: 1;
  digestTime: string;
  /** The events this digest adds: (previous digest's lastEventId, lastEventId]. */
  firstEventId: number | null;
  lastEventId: number;
  newEventCount: number;
  /** Hex SHA-256 chain hash of the last event (all zeros when there is none yet). */
  lastEventHash: string;
  previousDigestId: number | null;
  previousDigestSignature: string | null;
  publicKeyFingerprint: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
}

/** The data directory's signing key, created (mode 0600) on first use; its public half beside it. */
export function loadSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const privateKey = createPrivateKey(readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  const pubFile = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(pubFile)) writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey) };
}

export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Writes a digest covering every event committed so far. */
export async function writeDigest(store: TrailDigests, key: SigningKey, now: Date): Promise<DigestBody> {
  let body: DigestBody | undefined;
  await store.appendDigest(({ previous, head, newEvents }) => {
    const from = previous?.lastEventId ?? 0;
    const lastEventId = head?.id ?? 0;
    body = {
      digestVersion: 1,
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
  return body!;
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
