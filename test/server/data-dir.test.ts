// The data directory: created owner-only (an existing one open to others is tightened), and
// served by one Gatehouse at a time. A second server exits at once naming the first one's pid;
// the read-only commands work beside it; the lock goes with its process, kill -9 included.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { loadConfig } from '../../src/server/config.ts';
import { DataDirInUseError, lockDataDir, prepareDataDir } from '../../src/server/data-dir.ts';
import { startGatehouse } from '../../src/server/gatehouse.ts';
import { runCli, startCliServer } from '../support/cli.ts';
import { startTestGatehouse, TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY } from '../support/gatehouse.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-data-dir-'));
after(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

const startOn = (dataDir: string, port = 0) =>
  startGatehouse(
    loadConfig(['--data-dir', dataDir, '--port', String(port)], {
      GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID,
      GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
      GATEHOUSE_PASSWORD_HASH_COST: '14',
    }),
    { logger: pino({ level: 'silent' }), announce: () => undefined, audit: { exportDir: '' } },
  );

test('a new data directory, and the directories above it, are created 0700', () => {
  const dir = join(root, 'new', 'nested', 'data');
  const warnings: string[] = [];
  prepareDataDir(dir, (m) => warnings.push(m));
  assert.equal(modeOf(dir), 0o700);
  assert.equal(modeOf(join(root, 'new')), 0o700);
  assert.deepEqual(warnings, []);
});

test('an existing data directory open to other users is tightened to 0700, with a warning', async () => {
  const dir = join(root, 'loose');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  const warnings: string[] = [];
  prepareDataDir(dir, (m) => warnings.push(m));
  assert.equal(modeOf(dir), 0o700);
  assert.deepEqual(warnings, [`the data directory ${dir} was open to other users (mode 0755): its mode is now 0700`]);
  prepareDataDir(dir, (m) => warnings.push(m));
  assert.equal(warnings.length, 1, 'nothing to say the second time');

  // Through the server's own start.
  const served = join(root, 'loose-served');
  mkdirSync(served);
  chmodSync(served, 0o775);
  const gh = await startTestGatehouse({ dataDir: served });
  try {
    assert.equal(modeOf(served), 0o700);
    for (const file of ['gatehouse.db', 'data.key', 'bootstrap-credentials', 'gatehouse.lock', 'gatehouse.pid']) {
      assert.equal(modeOf(join(served, file)) & 0o077, 0, `${file} is owner-only`);
    }
  } finally {
    await gh.close();
  }
});

test('a second server on the same data directory fails at once, naming the pid; after close the directory is free', async () => {
  const gh = await startTestGatehouse({ dataDir: join(root, 'twice') });
  try {
    const started = Date.now();
    const err = await startOn(gh.dataDir).then(
      () => assert.fail('a second server started'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DataDirInUseError, String(err));
    assert.equal(err.holderPid, process.pid);
    assert.equal(err.message, `the data directory ${gh.dataDir} is in use by another Gatehouse process (pid ${process.pid}): stop it first, or give this one another --data-dir`);
    assert.ok(Date.now() - started < 2000, 'no waiting for the lock');
    // The first one serves on, unharmed.
    assert.ok((await gh.iam.send(new ListUsersCommand({}))).Users?.some((u) => u.UserName === 'admin'));
    await gh.restart(); // close, then start again on the same directory
    assert.ok((await gh.iam.send(new ListUsersCommand({}))).Users);
  } finally {
    await gh.close();
  }
});

test('a start that fails after taking the lock (its port is taken) lets it go', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const dir = join(root, 'port-taken');
  try {
    await assert.rejects(startOn(dir, port), /EADDRINUSE/);
    lockDataDir(dir).release();
    const g = await startOn(dir);
    await g.close();
  } finally {
    taken.close();
  }
});

test('between processes: a second `gatehouse serve` exits 1 naming the first; report and audit verify work beside it; kill -9 frees the directory', async () => {
  const dir = join(root, 'processes');
  const first = await startCliServer(dir);
  try {
    const second = await runCli(['serve', '--data-dir', dir, '--port', '0']);
    assert.equal(second.status, 1, second.stderr);
    assert.equal(second.stderr, `gatehouse: the data directory ${dir} is in use by another Gatehouse process (pid ${first.pid}): stop it first, or give this one another --data-dir\n`);
    assert.equal(second.stdout, '');

    const report = await runCli(['report', '--data-dir', dir, '--json']);
    assert.equal(report.status, 0, report.stderr);
    assert.ok(Array.isArray(JSON.parse(report.stdout).findings));
    const verify = await runCli(['audit', 'verify', '--data-dir', dir]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /^The audit trail is intact/);
  } finally {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  const again = await startCliServer(dir);
  try {
    assert.equal((await fetch(`${again.url}/health`)).status, 200);
  } finally {
    again.child.kill('SIGTERM');
    assert.deepEqual(await again.exited, { code: 0, signal: null });
  }
});
