// Gatehouse for bench:server and bench:flood: a fresh data directory (BENCH_DATA_DIR, or a new
// one), a known admin key, 10 users, logs off.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse } from '../../src/server/gatehouse.ts';

const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
mkdirSync(dataDir, { recursive: true });
const env = { GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: process.env.BENCH_KEY_ID!, GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: process.env.BENCH_SECRET!, GATEHOUSE_ACCOUNT_ID: '123456789012' };
const gatehouse = await startGatehouse(loadConfig(['--data-dir', dataDir, '--port', '0'], env), { logger: pino({ level: 'silent' }), announce: () => undefined });
const iam = new IAMClient({ endpoint: gatehouse.url, region: 'us-east-1', credentials: { accessKeyId: env.GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID, secretAccessKey: env.GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY } });
for (let i = 1; i < 10; i++) await iam.send(new CreateUserCommand({ UserName: `bench-user-${i}` })); // admin makes 10
iam.destroy();
process.stdout.write(JSON.stringify({ port: gatehouse.port }) + '\n');
process.on('SIGTERM', () => gatehouse.close().then(() => { rmSync(dataDir, { recursive: true, force: true }); process.exit(0); }));
// bench:flood asks for the heap's figures (RSS alone does not tell a leak from a grown heap).
// With BENCH_NODE_FLAGS=--expose-gc, garbage is collected first, so heapUsed is what is kept.
process.on('SIGUSR2', () => (globalThis.gc?.(), process.stdout.write(JSON.stringify({ memory: process.memoryUsage() }) + '\n')));
