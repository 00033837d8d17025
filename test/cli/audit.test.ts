// `gatehouse audit verify`: intact after normal use and after kill -9 in the middle of a burst of
// writes (every acknowledged write has its event); and it names the spot when an event row is
// edited, deleted or inserted in the database file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { runAudit, verifyDataDir } from '../../src/cli/audit.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import { ADMIN, readEvents, startTestGatehouse } from '../support/gatehouse.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-audit-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function verify(dataDir: string): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runAudit(['verify', '--data-dir', dataDir], { out: (t) => (text += t) });
  return { code, text };
}

/** A data directory with some history, a digest in the middle, and a clean shutdown. */
async function history(name: string): Promise<string> {
  const dataDir = join(root, name);
  const gh = await startTestGatehouse({ root: true, dataDir });
  for (let i = 0; i < 6; i++) await gh.iam.send(new CreateUserCommand({ UserName: `user-${i}` }));
  await gh.server().audit.flush();
  await gh.server().audit.digest();
  for (let i = 0; i < 4; i++) await gh.iam.send(new ListUsersCommand({}));
  await gh.close(true);
  return dataDir;
}

test('an untouched trail is intact', async () => {
  const dir = await history('intact');
  const r = await verify(dir);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /^The audit trail is intact: \d+ events, 2 signed digests/);
});

function withDb(dir: string, fn: (db: BetterSqlite3.Database) => void): void {
  const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
  try {
    fn(db);
  } finally {
    db.close();
  }
}

test('an edited event is named', async () => {
  const base = await history('base');
  const dir = join(root, 'edited');
  cpSync(base, dir, { recursive: true });
  withDb(dir, (db) => db.prepare("UPDATE events SET json = replace(json, 'user-3', 'user-X') WHERE id = 4").run());
  const r = await verify(dir);
  assert.equal(r.code, 1);
  assert.match(r.text, /event 4 \(CreateUser [0-9a-f-]+\) was altered/);
  assert.equal((await verifyDataDir(dir)).problem!.eventId, 4);
});

test('an edited event re-hashed without the audit key is named: its link is not keyed', async () => {
  const dir = join(root, 'rehashed');
  cpSync(join(root, 'base'), dir, { recursive: true });
  const { chainHash } = await import('../../src/store/event-chain.ts');
  withDb(dir, (db) => {
    const row = db.prepare('SELECT time, json, prev_hash FROM events WHERE id = 3').get() as { time: string; json: string; prev_hash: Buffer };
    const json = row.json.replace('user-2', 'user-Y');
    db.prepare('UPDATE events SET json = ?, hash = ? WHERE id = 3').run(json, chainHash(row.prev_hash, row.time, json));
  });
  const p = (await verifyDataDir(dir)).problem!;
  assert.equal(p.kind, 'forged');
  assert.equal(p.eventId, 3);
});

test('an edited event re-hashed with the audit key is named by the link after it', async () => {
  const dir = join(root, 'rehashed-keyed');
  cpSync(join(root, 'base'), dir, { recursive: true });
  const { keyedChainHash } = await import('../../src/store/event-chain.ts');
  const { loadSigningKey } = await import('../../src/audit/digest.ts');
  const key = loadSigningKey(dir).chainKey;
  withDb(dir, (db) => {
    const row = db.prepare('SELECT time, json, prev_hash FROM events WHERE id = 3').get() as { time: string; json: string; prev_hash: Buffer };
    const json = row.json.replace('user-2', 'user-Y');
    db.prepare('UPDATE events SET json = ?, hash = ? WHERE id = 3').run(json, keyedChainHash(key, row.prev_hash, row.time, json));
  });
  const p = (await verifyDataDir(dir)).problem!;
  assert.equal(p.kind, 'altered');
  assert.equal(p.eventId, 3);
});

test('a deleted event is named', async () => {
  const dir = join(root, 'deleted');
  cpSync(join(root, 'base'), dir, { recursive: true });
  withDb(dir, (db) => db.prepare('DELETE FROM events WHERE id = 5').run());
  const r = await verify(dir);
  assert.equal(r.code, 1);
  assert.match(r.text, /event 5 removed/);
  assert.equal((await verifyDataDir(dir)).problem!.kind, 'removed');
});

test('an inserted event is named', async () => {
  const dir = join(root, 'inserted');
  cpSync(join(root, 'base'), dir, { recursive: true });
  withDb(dir, (db) => {
    // Make room after event 3 and slip a forged event in.
    db.prepare('UPDATE events SET id = -id WHERE id > 3').run();
    db.prepare('UPDATE events SET id = -id + 1 WHERE id < 0').run();
    const prev = db.prepare('SELECT hash, json, time FROM events WHERE id = 3').get() as { hash: Buffer; json: string; time: string };
    const forged = prev.json.replace('user-2', 'intruder');
    db.prepare('INSERT INTO events (id, time, json, prev_hash, hash) VALUES (4, ?, ?, ?, ?)').run(prev.time, forged, prev.hash, Buffer.alloc(32, 7));
  });
  const p = (await verifyDataDir(dir)).problem!;
  assert.equal(p.kind, 'inserted');
  assert.equal(p.eventId, 4);
});

test('removing the newest events is seen through the last digest', async () => {
  const dir = join(root, 'truncated');
  cpSync(join(root, 'base'), dir, { recursive: true });
  withDb(dir, (db) => db.prepare('DELETE FROM events WHERE id > (SELECT MAX(id) - 2 FROM events)').run());
  const p = (await verifyDataDir(dir)).problem!;
  assert.equal(p.kind, 'removed');
  assert.match(p.message, /newest events/);
});

test('kill -9 during a burst of writes: every acknowledged write has its event, and the trail verifies', async () => {
  const dataDir = join(root, 'crash');
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../audit/crash-server.ts', import.meta.url).pathname, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const iam = new IAMClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
  const acknowledged: string[] = [];
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const name = `burst-${w}-${i}`;
      try {
        await iam.send(new CreateUserCommand({ UserName: name }));
        acknowledged.push(name);
      } catch {
        return; // the server is gone
      }
    }
  };
  const workers = [0, 1, 2, 3, 4, 5].map(worker);
  while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(workers);
  await new Promise((r) => child.once('exit', r));
  iam.destroy();

  // Restart on the same data, then stop cleanly: nothing acknowledged is missing.
  const gh = await startTestGatehouse({ root: true, dataDir });
  await gh.close(true);
  const recorded = new Set(readEvents(dataDir).filter((e) => e.eventName === 'CreateUser' && e.errorCode === undefined).map((e) => e.requestParameters!.userName as string));
  const missing = acknowledged.filter((n) => !recorded.has(n));
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes have no event`);
  const r = await verify(dataDir);
  assert.equal(r.code, 0, r.text);
});
