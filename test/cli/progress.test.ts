// Long-running commands show their progress on stderr when it is a terminal, and stay quiet when
// it is not (a pipe, a file): `audit verify` over a trail of a few thousand events, `report`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { loadSigningKey, writeDigest } from '../../src/audit/digest.ts';
import { startTestGatehouse } from '../support/gatehouse.ts';
import { BIN, runCli } from '../support/cli.ts';

const EVENTS = 3000;
let dataDir: string;

before(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'gatehouse-progress-')), 'data');
  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: '' } });
  await gh.close(true);
  // No lookup keys (verify reads the chain only); the chain keyed and digested as the server does.
  const key = loadSigningKey(dataDir);
  const store = await openSqliteStore(dataDir, { chainKey: key.chainKey });
  const events = Array.from({ length: EVENTS }, (_, i) => ({ eventVersion: '1.11', eventName: 'ListUsers', eventID: `e-${i}`, eventTime: new Date(i * 1000).toISOString() }));
  await store.appendEvents(events, false);
  await writeDigest(store, key, new Date());
  await store.close();
});
after(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

/** `gatehouse …args` with a pseudo-terminal as its stdin, stdout and stderr (util-linux script(1)). */
function onTerminal(args: string[]): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH! } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

test('audit verify: a progress line on a terminal, cleared at the end; nothing on stderr into a pipe', async () => {
  const tty = await onTerminal(['audit', 'verify', '--data-dir', dataDir]);
  assert.equal(tty.status, 0, tty.output);
  assert.match(tty.output, /\raudit verify: 1,000 of 3,0\d\d events \(3\d%\)\x1b\[K/);
  assert.match(tty.output, /\r\x1b\[KThe audit trail is intact: 3,?0\d\d events/);

  const piped = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  assert.match(piped.stdout, /^The audit trail is intact: 30\d\d events/);
});

test('report: a progress line on a terminal; nothing on stderr into a pipe, and clean --json', async () => {
  const tty = await onTerminal(['report', '--data-dir', dataDir]);
  assert.equal(tty.status, 0, tty.output);
  assert.match(tty.output, /\rreport: reading the store\x1b\[K/);
  assert.match(tty.output, /Gatehouse hygiene report for account/);

  const piped = await runCli(['report', '--data-dir', dataDir, '--json']);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  assert.ok(Array.isArray(JSON.parse(piped.stdout).findings));
});
