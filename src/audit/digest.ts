// Signed digests of the trail (CloudTrail's log file integrity validation, in Gatehouse's form):
// at an interval (hourly by default) a digest records the last event it covers, that event's
// chain hash (which commits to every event before it), how many events are new since the
// previous digest, and the previous digest's signature, and is signed with an Ed25519 key kept in
// the data directory. Rewriting history then means forging a signature, and removing the newest
// events is seen because a digest names an event that is no longer there.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

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
export function writeDigest(db: Database, key: SigningKey, now: Date): DigestBody {
  return db.transaction(() => {
    const previous = db.prepare('SELECT id, last_event_id, signature FROM audit_digests ORDER BY id DESC LIMIT 1').get() as
      | { id: number; last_event_id: number; signature: string }
      | undefined;
    const last = db.prepare('SELECT id, hash FROM events WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer } | undefined;
    const from = previous?.last_event_id ?? 0;
    const lastEventId = last?.id ?? 0;
    const count = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE id > ? AND id <= ?').get(from, lastEventId) as { n: number }).n;
    const body: DigestBody = {
      digestVersion: 1,
      digestTime: now.toISOString(),
      firstEventId: count > 0 ? from + 1 : null,
      lastEventId,
      newEventCount: count,
      lastEventHash: (last?.hash ?? Buffer.alloc(32)).toString('hex'),
      previousDigestId: previous?.id ?? null,
      previousDigestSignature: previous?.signature ?? null,
      publicKeyFingerprint: key.fingerprint,
    };
    const text = JSON.stringify(body);
    const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
    db.prepare('INSERT INTO audit_digests (time, last_event_id, body, signature) VALUES (?, ?, ?, ?)').run(body.digestTime, lastEventId, text, signature);
    return body;
  }).immediate();
}

/** Writes a digest every `intervalMs` (and lets the caller write a last one on shutdown). */
export class DigestSchedule {
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly write: () => void,
    intervalMs: number,
    onError: (e: unknown) => void,
  ) {
    this.#timer = setInterval(() => {
      try {
        this.write();
      } catch (e) {
        onError(e);
      }
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
