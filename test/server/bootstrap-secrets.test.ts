// The bootstrap secrets (the admin's secret key, a generated root password) go to stdout only
// when it is a terminal; into a pipe or a log file Gatehouse prints where the file that holds
// them is. The file says plainly that it holds them, and how to remove it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, QUICK_START_ENV, startCliServer } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-bootstrap-secrets-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Secrets {
  secretKey: string;
  rootPassword: string;
}

function secretsIn(file: string): Secrets {
  const text = readFileSync(file, 'utf8');
  return {
    secretKey: /^aws_secret_access_key = (\S+)$/m.exec(text)![1]!,
    rootPassword: /^# root password: (\S+)$/m.exec(text)![1]!,
  };
}

test('into a pipe, the first start names the credentials file and prints no secret; the file says it holds them', async () => {
  const dir = join(root, 'piped');
  const server = await startCliServer(dir);
  try {
    const file = join(dir, 'bootstrap-credentials');
    const { secretKey, rootPassword } = secretsIn(file);
    const output = server.stdout + server.stderr();
    assert.ok(!output.includes(secretKey), 'the secret access key is not on stdout');
    assert.ok(!output.includes(rootPassword), 'the root password is not on stdout');
    assert.match(
      server.stdout,
      new RegExp(`^Gatehouse created account \\d{12}\\. The admin's access key and the root user's password are in ${file} \\(mode 0600\\), not printed here because standard output is not a terminal\\. Save them somewhere safe, then delete the file\\.$`, 'm'),
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# This file holds secrets: the secret access key of the IAM user "admin"/m);
    assert.match(text, /and the root user's password\. Gatehouse never reads it again:/);
    assert.ok(text.includes(`#   rm ${file}\n`), text);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  // Gatehouse never needed the file: deleted, the server starts and serves as before.
  rmSync(join(dir, 'bootstrap-credentials'));
  const again = await startCliServer(dir);
  try {
    assert.equal((await fetch(`${again.url}/health`)).status, 200);
    assert.ok(!again.stdout.includes('created account'), 'said once only');
    assert.ok(!existsSync(join(dir, 'bootstrap-credentials')), 'not written again');
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
});

test('on a terminal, the first start shows the profile with the secrets', async () => {
  const dir = join(root, 'terminal');
  // util-linux script(1) gives the server a pseudo-terminal as stdin, stdout and stderr.
  const command = [process.execPath, BIN, 'serve', '--data-dir', dir, '--port', '0'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH!, ...QUICK_START_ENV } });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 60_000);
    child.stdout.on('data', (d) => {
      output += d;
      if (output.includes('Gatehouse is listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const pid = Number(readFileSync(join(dir, 'gatehouse.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  await exited;
  const file = join(dir, 'bootstrap-credentials');
  const { secretKey, rootPassword } = secretsIn(file);
  assert.ok(output.includes(`aws_secret_access_key = ${secretKey}`), output);
  assert.ok(output.includes(`# root password: ${rootPassword}`), output);
  assert.ok(output.includes(`are also in ${file} (mode 0600) until you delete it`), output);
});
