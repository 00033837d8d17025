// Stopping Gatehouse: SIGTERM to the `npm start` process stops the server (npm passes the signal
// to its script, which is Node itself: `exec`), and leaves no process behind; SIGINT stops
// `gatehouse serve` gracefully, with the audit events still queued written.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { readEvents } from '../support/gatehouse.ts';
import { QUICK_START_ENV, startCliServer } from '../support/cli.ts';
import { REPO } from '../support/doc-blocks.ts';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from '../support/gatehouse.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-signals-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Every process descending from `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 2nd field after the command, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'; // a zombie is dead
  } catch {
    return false;
  }
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await condition()) return;
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('SIGTERM to the `npm start` process stops the server: the port closes and no process of its tree is left', async () => {
  const dataDir = join(root, 'npm-start');
  const npm = spawn('npm', ['start'], {
    cwd: REPO,
    env: { PATH: process.env.PATH!, HOME: root, npm_config_update_notifier: 'false', GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_PORT: '0', ...QUICK_START_ENV },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  npm.stderr.on('data', (d) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not start Gatehouse: ${output}`)), 60_000);
    createInterface({ input: npm.stdout }).on('line', (line) => {
      output += `${line}\n`;
      if (!line.includes('"Gatehouse is listening"')) return;
      clearTimeout(timer);
      resolve(Number(new URL((JSON.parse(line) as { url: string }).url).port));
    });
  });
  const tree = descendants(npm.pid!);
  assert.ok(tree.length > 0, 'npm runs the server as its child');
  assert.ok(await portOpen(port));

  try {
    npm.kill('SIGTERM');
    await exited;
    await waitFor('the port to close', async () => !(await portOpen(port)));
    await waitFor(`the processes ${tree.join(', ')} to end`, () => tree.every((pid) => !alive(pid)));
    assert.match(output, /SIGTERM: Gatehouse is stopping/);
  } finally {
    for (const pid of tree) if (alive(pid)) process.kill(pid, 'SIGKILL'); // an orphaned server must not outlive the test
  }
});

test('SIGINT stops `gatehouse serve` gracefully: exit 0, the audit events of the last requests written', async () => {
  const dataDir = join(root, 'sigint');
  // Batches are held long enough that the last reads' events are still queued at the signal.
  const server = await startCliServer(dataDir, {
    GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    GATEHOUSE_AUDIT_BATCH_DELAY_MS: '60000',
  });
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }, maxAttempts: 1 });
  for (let i = 0; i < 3; i++) await iam.send(new ListUsersCommand({}));
  server.child.kill('SIGINT');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  assert.match(server.stderr(), /SIGINT: Gatehouse is stopping/);
  assert.equal(readEvents(dataDir).filter((e) => e.eventName === 'ListUsers').length, 3);
  assert.ok(!(await portOpen(server.port)));
});
