// `gatehouse audit verify` against tampering by someone who can write the database file but does
// not hold the audit signing key: a forged event appended with a correct SHA-256 link, an event
// edited or deleted with the chain recomputed and the digests deleted, the newest events dropped
// with their digest (seen through the export directory), digests missing for old events. Also:
// the start-up digest of a crash's tail, a signing key kept outside the data directory, and
// trails written before the chain was keyed. Each tampering is done with better-sqlite3 on the
// stopped server's file, then the real CLI is run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { verifyDataDir } from '../../src/cli/audit.ts';
import { loadSigningKey, PUBLIC_KEY_FILE, SIGNING_KEY_FILE, writeDigest } from '../../src/audit/digest.ts';
import { ManualClock } from '../../src/model/clock.ts';
import { chainHash } from '../../src/store/event-chain.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import { ADMIN, startTestGatehouse } from '../support/gatehouse.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-audit-tamper-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The real CLI, with no export directory unless given. */
const verifyCli = (dataDir: string, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['audit', 'verify', '--data-dir', dataDir, ...args], { env: { GATEHOUSE_AUDIT_EXPORT_DIR: '', ...env } });

function withDb<T>(dir: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface Row {
  id: number;
  time: string;
  json: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/** Recomputes the chain with plain SHA-256 from event `fromId` on, as someone without the key can. */
function recomputeChain(db: BetterSqlite3.Database, fromId: number): void {
  const rows = db.prepare('SELECT id, time, json, prev_hash, hash FROM events WHERE id >= ? ORDER BY id').all(fromId) as Row[];
  let prev = (db.prepare('SELECT hash FROM events WHERE id < ? ORDER BY id DESC LIMIT 1').get(fromId) as { hash: Buffer }).hash;
  const update = db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?');
  for (const r of rows) {
    const hash = chainHash(prev, r.time, r.json);
    update.run(prev, hash, r.id);
    prev = hash;
  }
}

let base: string | undefined;
/** A data directory with some history and a clean shutdown (copied for each tampering). */
async function history(name: string): Promise<string> {
  if (base === undefined) {
    base = join(root, 'base');
    const gh = await startTestGatehouse({ root: true, dataDir: base, audit: { exportDir: '' } });
    for (let i = 0; i < 8; i++) await gh.iam.send(new CreateUserCommand({ UserName: `user-${i}` }));
    await gh.close(true);
  }
  const dir = join(root, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

test('the untouched trail is intact, its keys checked', async () => {
  const r = await verifyCli(await history('intact'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^The audit trail is intact: \d+ events, \d+ signed digests/);
  assert.doesNotMatch(r.stdout, /not checked|unkeyed/);
});

test('a forged event appended with a correct SHA-256 chain hash is found', async () => {
  const dir = await history('forged');
  const forgedId = withDb(dir, (db) => {
    const last = db.prepare('SELECT id, time, json, prev_hash, hash FROM events ORDER BY id DESC LIMIT 1').get() as Row;
    const event = { ...JSON.parse(last.json), eventName: 'CreateUser', requestParameters: { userName: 'intruder' } };
    const json = JSON.stringify(event);
    db.prepare('INSERT INTO events (id, time, json, prev_hash, hash) VALUES (?, ?, ?, ?, ?)').run(last.id + 1, last.time, json, last.hash, chainHash(last.hash, last.time, json));
    return last.id + 1;
  });
  const r = await verifyCli(dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, new RegExp(`^The audit trail has been tampered with: event ${forgedId} \\(CreateUser [0-9a-f-]+\\) is not sealed with the audit key: it was forged`));
});

test('an edited event, the chain recomputed and every digest deleted, is found', async () => {
  const dir = await history('edited');
  withDb(dir, (db) => {
    db.prepare("UPDATE events SET json = replace(json, 'user-3', 'user-X') WHERE id = 6").run();
    recomputeChain(db, 6);
    db.prepare('DELETE FROM audit_digests').run();
  });
  const r = await verifyCli(dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /tampered with: event 6 \(\w+ [0-9a-f-]+\) is not sealed with the audit key: it was forged, or the chain was recomputed from there after an event at or before it was altered or removed/);
});

test('a deleted event, the chain recomputed and every digest deleted, is found', async () => {
  const dir = await history('deleted');
  withDb(dir, (db) => {
    db.prepare('DELETE FROM events WHERE id = 6').run();
    recomputeChain(db, 7);
    db.prepare('DELETE FROM audit_digests').run();
  });
  const r = await verifyCli(dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /tampered with: event 7 \(\w+ [0-9a-f-]+\) is not sealed with the audit key/);
});

test('the last 50 events and the newest digest dropped: found through the export directory', async () => {
  const dataDir = join(root, 'dropped');
  const exportDir = join(root, 'dropped-export'); // outside the data directory
  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir } });
  for (let i = 0; i < 5; i++) await gh.iam.send(new CreateUserCommand({ UserName: `user-${i}` }));
  await gh.server().audit.flush();
  await gh.server().audit.digest();
  for (let i = 0; i < 50; i++) await gh.iam.send(new ListUsersCommand({}));
  await gh.close(true);
  assert.ok(readdirSync(join(exportDir, 'AWSLogs', '123456789012')).includes('CloudTrail-Digest'), 'digest files are exported');

  const dropped = withDb(dataDir, (db) => {
    const [newest, before] = db.prepare('SELECT id, last_event_id FROM audit_digests ORDER BY id DESC LIMIT 2').all() as { id: number; last_event_id: number }[];
    db.prepare('DELETE FROM audit_digests WHERE id = ?').run(newest!.id);
    return db.prepare('DELETE FROM events WHERE id > ?').run(before!.last_event_id).changes;
  });
  assert.ok(dropped >= 50, `${dropped} events dropped`);
  // The database alone is consistent: nothing in it names what is gone.
  const alone = await verifyCli(dataDir);
  assert.equal(alone.status, 0, alone.stdout);
  const r = await verifyCli(dataDir, ['--export-dir', exportDir]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /tampered with: digest \d+ \(.+\) in the export directory is missing from the database: the newest events \(\d+–\d+\) were removed with it/);
});

test('events older than one digest interval that no digest covers fail verification; newer ones do not', async () => {
  // Events of an hour ago: their digests should have been written long since.
  const clock = new ManualClock(new Date(Date.now() - 3_600_000));
  const dataDir = join(root, 'stale');
  const gh = await startTestGatehouse({ root: true, dataDir, clock, audit: { exportDir: '' } });
  for (let i = 0; i < 3; i++) await gh.iam.send(new CreateUserCommand({ UserName: `user-${i}` }));
  await gh.close(true);
  withDb(dataDir, (db) => db.prepare('DELETE FROM audit_digests').run());
  const r = await verifyCli(dataDir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /tampered with: event 1 \(\w+ [0-9a-f-]+\) of \S+ and the \d+ after it are covered by no digest, though one is written every 60 seconds: the digests were removed/);
  // A longer interval (as the server was configured) makes them recent enough.
  assert.equal((await verifyCli(dataDir, [], { GATEHOUSE_AUDIT_DIGEST_INTERVAL_SECONDS: '7200' })).status, 0);

  // Fresh events past the last digest are only not yet covered.
  const fresh = await history('fresh-tail');
  withDb(fresh, (db) => db.prepare('DELETE FROM audit_digests WHERE id = (SELECT MAX(id) FROM audit_digests)').run());
  const f = await verifyCli(fresh);
  assert.equal(f.status, 0, f.stdout);
  assert.match(f.stdout, /; \d+ newest events not yet covered by a digest/);
});

test('start-up digests the tail a crash left undigested', async () => {
  const dataDir = join(root, 'crash');
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../audit/crash-server.ts', import.meta.url).pathname, dataDir, '3600'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const iam = new IAMClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
  for (let i = 0; i < 5; i++) await iam.send(new CreateUserCommand({ UserName: `crash-${i}` }));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  iam.destroy();
  const tail = await verifyDataDir(dataDir, { digestIntervalSeconds: 3600 });
  assert.equal(tail.intact, true, tail.problem?.message);
  assert.ok(tail.undigested >= 5, `${tail.undigested} events undigested after the crash`);

  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: '' } });
  const covered = withDb(dataDir, (db) => db.prepare('SELECT (SELECT MAX(last_event_id) FROM audit_digests) AS digested, (SELECT MAX(id) FROM events) AS head').get()) as { digested: number; head: number };
  assert.equal(covered.digested, covered.head, 'the start-up digest covers every event there was');
  await gh.close(true);
  const r = await verifyCli(dataDir);
  assert.equal(r.status, 0, r.stdout);
});

test('the signing key kept outside the data directory (GATEHOUSE_AUDIT_KEY_FILE)', async () => {
  const keyDir = join(root, 'keys');
  mkdirSync(keyDir);
  const keyFile = join(keyDir, 'audit.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const dataDir = join(root, 'outside-key');
  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: '', keyFile } });
  await gh.iam.send(new CreateUserCommand({ UserName: 'kept' }));
  await gh.close(true);
  assert.equal(existsSync(join(dataDir, SIGNING_KEY_FILE)), false, 'no private key in the data directory');
  assert.equal(existsSync(join(dataDir, PUBLIC_KEY_FILE)), true, 'its public half is');

  const withKey = await verifyCli(dataDir, [], { GATEHOUSE_AUDIT_KEY_FILE: keyFile });
  assert.equal(withKey.status, 0, withKey.stdout + withKey.stderr);
  assert.doesNotMatch(withKey.stdout, /not checked/);
  const publicOnly = await verifyCli(dataDir);
  assert.equal(publicOnly.status, 0, publicOnly.stdout + publicOnly.stderr);
  assert.match(publicOnly.stdout, /the chain's keys were not checked \(no private key at hand: give --key-file\)/);

  // A forged event needs the key to be seen before a digest should cover it.
  withDb(dataDir, (db) => {
    const last = db.prepare('SELECT id, time, json, hash FROM events ORDER BY id DESC LIMIT 1').get() as Row;
    db.prepare('INSERT INTO events (id, time, json, prev_hash, hash) VALUES (?, ?, ?, ?, ?)').run(last.id + 1, last.time, last.json, last.hash, chainHash(last.hash, last.time, last.json));
  });
  const forged = await verifyCli(dataDir, ['--key-file', keyFile]);
  assert.equal(forged.status, 1, forged.stdout);
  assert.match(forged.stdout, /is not sealed with the audit key/);

  await assert.rejects(startTestGatehouse({ dataDir: join(root, 'no-key'), audit: { keyFile: join(keyDir, 'absent.pem') } }), /GATEHOUSE_AUDIT_KEY_FILE .*absent\.pem does not exist \(make a new key with: openssl genpkey -algorithm ed25519/);
});

test('a trail written before the chain was keyed still verifies, and says so; unkeyed events after keyed ones do not', async () => {
  const dataDir = join(root, 'older');
  mkdirSync(dataDir);
  const key = loadSigningKey(dataDir);
  const now = new Date();
  const event = (n: number) => ({ eventVersion: '1.11', eventName: 'ListUsers', eventID: `e-${n}`, eventTime: now.toISOString().slice(0, 19) + 'Z' });
  const older = await openSqliteStore(dataDir); // as before: unkeyed links
  await older.appendEvents([event(1), event(2), event(3)], true);
  await writeDigest(older, key, now);
  await older.close();
  const keyed = await openSqliteStore(dataDir, { chainKey: key.chainKey });
  await keyed.appendEvents([event(4), event(5)], true);
  await writeDigest(keyed, key, now);
  await keyed.close();
  const r = await verifyCli(dataDir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /; 3 events in the older, unkeyed chain format \(written before the chain was keyed; the digests cover them\)/);

  const again = await openSqliteStore(dataDir);
  await again.appendEvents([event(6)], true);
  await again.close();
  const f = await verifyCli(dataDir);
  assert.equal(f.status, 1, f.stdout);
  assert.match(f.stdout, /event 6 \(ListUsers e-6\) is not sealed with the audit key/);
});
