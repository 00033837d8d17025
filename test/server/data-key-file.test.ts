// The data key outside the data directory: GATEHOUSE_DATA_KEY_FILE, a file of 32 raw bytes. The
// README's production steps (make a key; move an existing one out) run as written, with their
// paths moved to a scratch directory and sudo left out. A key that does not open the stored
// secrets stops the start.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse, type Gatehouse } from '../../src/server/gatehouse.ts';
import { loadDataKey } from '../../src/store/data-key.ts';
import { docBlock } from '../support/doc-blocks.ts';
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY, type Credentials } from '../support/gatehouse.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-data-key-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ADMIN = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };

interface Started {
  gatehouse: Gatehouse;
  warnings: string[];
  iam(credentials?: Credentials): IAMClient;
  /** The ARN the credentials sign as: their secret was opened with the data key. */
  whoAmI(credentials: Credentials): Promise<string | undefined>;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  const gatehouse = await startGatehouse(
    loadConfig(['--data-dir', dataDir, '--port', '0'], {
      GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID,
      GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
      GATEHOUSE_PASSWORD_HASH_COST: '14',
      ...env,
    }),
    { logger, announce: () => undefined, audit: { exportDir: '' } },
  );
  const iam = (credentials: Credentials = ADMIN) => new IAMClient({ endpoint: gatehouse.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const whoAmI = async (credentials: Credentials) =>
    (await new STSClient({ endpoint: gatehouse.url, region: 'us-east-1', credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).Arn;
  return { gatehouse, warnings, iam, whoAmI };
}

/** A README production block, run with its paths in the scratch directory, without sudo, for this user's group. */
function runProductionBlock(name: string, paths: { etc: string; dataDir: string }): void {
  const script = docBlock('README.md', name)
    .replaceAll('sudo ', '')
    .replaceAll('/etc/gatehouse', paths.etc)
    .replaceAll('/var/lib/gatehouse', paths.dataDir)
    .replaceAll('-g gatehouse ', '-g "$(id -gn)" ')
    .replaceAll('chgrp gatehouse ', 'chgrp "$(id -gn)" ');
  execFileSync('bash', ['-euc', script], { stdio: 'pipe' });
}

test('loadDataKey: a key file of exactly 32 raw bytes, never created; not both sources', () => {
  const dir = join(root, 'unit');
  mkdirSync(dir);
  const good = join(dir, 'good.key');
  const key = Buffer.alloc(32, 7);
  writeFileSync(good, key);
  assert.deepEqual(loadDataKey(dir, { file: good }), key);
  assert.ok(!existsSync(join(dir, 'data.key')), 'no key file made in the data directory');

  const short = join(dir, 'short.key');
  writeFileSync(short, Buffer.alloc(31));
  assert.throws(() => loadDataKey(dir, { file: short }), { message: `GATEHOUSE_DATA_KEY_FILE ${short} must hold exactly 32 raw bytes, not 31` });
  const base64 = join(dir, 'base64.key');
  writeFileSync(base64, `${key.toString('base64')}\n`);
  assert.throws(() => loadDataKey(dir, { file: base64 }), /must hold exactly 32 raw bytes, not 45/);
  const missing = join(dir, 'missing.key');
  assert.throws(() => loadDataKey(dir, { file: missing }), {
    message: `GATEHOUSE_DATA_KEY_FILE ${missing} does not exist (make a new key with: head -c 32 /dev/urandom > ${missing}; chmod 600 ${missing})`,
  });
  assert.ok(!existsSync(missing));
  assert.throws(() => loadDataKey(dir, { file: good, base64: key.toString('base64') }), /set GATEHOUSE_DATA_KEY or GATEHOUSE_DATA_KEY_FILE, not both/);
});

test("the README's new key: secrets sealed with it, nothing of it in the data directory; another key stops the start", async () => {
  const etc = join(root, 'new-etc');
  const dataDir = join(root, 'new-data');
  runProductionBlock('new-data-key', { etc, dataDir });
  const keyFile = join(etc, 'data.key');
  assert.equal(readFileSync(keyFile).length, 32);
  assert.equal(statSync(keyFile).mode & 0o777, 0o640, 'readable by the owner and the service group only');

  let s = await start(dataDir, { GATEHOUSE_DATA_KEY_FILE: keyFile });
  await s.iam().send(new CreateUserCommand({ UserName: 'alice' }));
  const { AccessKey } = await s.iam().send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  await s.gatehouse.close();
  assert.ok(!existsSync(join(dataDir, 'data.key')), 'no key beside the database');

  // A restart with the same key opens the stored secrets: the keys still sign.
  s = await start(dataDir, { GATEHOUSE_DATA_KEY_FILE: keyFile });
  const alice = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  assert.equal(await s.whoAmI(alice), `arn:aws:iam::${TEST_ACCOUNT_ID}:user/alice`);
  assert.deepEqual(s.warnings, []);
  await s.gatehouse.close();

  // Another key, or none (the key file forgotten), fails at start, and says why.
  const other = join(etc, 'other.key');
  writeFileSync(other, Buffer.alloc(32, 1));
  await assert.rejects(start(dataDir, { GATEHOUSE_DATA_KEY_FILE: other }), {
    message: `the data key (GATEHOUSE_DATA_KEY_FILE ${other}) does not open the secrets in ${dataDir}: they were sealed with another key`,
  });
  await assert.rejects(start(dataDir), {
    message: `${join(dataDir, 'data.key')} is missing, and ${dataDir} holds secrets sealed with a data key: give Gatehouse that key (GATEHOUSE_DATA_KEY_FILE or GATEHOUSE_DATA_KEY)`,
  });
  assert.ok(!existsSync(join(dataDir, 'data.key')), 'no new key made for a data directory that has secrets');
  // The failed starts let the data directory go.
  s = await start(dataDir, { GATEHOUSE_DATA_KEY_FILE: keyFile });
  assert.ok((await s.iam().send(new ListUsersCommand({}))).Users?.length);
  await s.gatehouse.close();
});

test("the README's move of an existing key out of the data directory keeps every secret; the old file is warned of until deleted", async () => {
  const etc = join(root, 'move-etc');
  const dataDir = join(root, 'move-data');
  let s = await start(dataDir);
  await s.iam().send(new CreateUserCommand({ UserName: 'bob' }));
  const { AccessKey } = await s.iam().send(new CreateAccessKeyCommand({ UserName: 'bob' }));
  await s.gatehouse.close();
  assert.ok(existsSync(join(dataDir, 'data.key')));

  runProductionBlock('move-data-key', { etc, dataDir });
  const keyFile = join(etc, 'data.key');
  assert.deepEqual(readFileSync(keyFile), Buffer.from(readFileSync(join(dataDir, 'data.key'), 'utf8').trim(), 'base64'));

  s = await start(dataDir, { GATEHOUSE_DATA_KEY_FILE: keyFile });
  const bob = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  assert.equal(await s.whoAmI(bob), `arn:aws:iam::${TEST_ACCOUNT_ID}:user/bob`);
  assert.deepEqual(s.warnings, [
    `the data key comes from GATEHOUSE_DATA_KEY_FILE ${keyFile}, yet ${join(dataDir, 'data.key')} still holds a key beside the database: delete it once you no longer need it`,
  ]);
  await s.gatehouse.close();

  rmSync(join(dataDir, 'data.key'));
  s = await start(dataDir, { GATEHOUSE_DATA_KEY_FILE: keyFile });
  assert.equal(await s.whoAmI(bob), `arn:aws:iam::${TEST_ACCOUNT_ID}:user/bob`);
  assert.deepEqual(s.warnings, []);
  await s.gatehouse.close();
});
