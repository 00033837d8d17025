// A Gatehouse in a child process for the crash tests: prints {"port": N} once listening. Arguments:
// the data directory, and the digest interval in seconds (1).
import pino from 'pino';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse } from '../../src/server/gatehouse.ts';
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY } from '../support/gatehouse.ts';

const dataDir = process.argv[2]!;
const env = { GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID, GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID, GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY, GATEHOUSE_PASSWORD_HASH_COST: '14' };
const g = await startGatehouse(loadConfig(['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], env), {
  logger: pino({ level: 'silent' }),
  announce: () => undefined,
  audit: { digestIntervalSeconds: Number(process.argv[3] ?? 1), exportDir: '' },
});
process.stdout.write(`${JSON.stringify({ port: g.port })}\n`);
