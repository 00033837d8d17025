// Configuration from flags and GATEHOUSE_* environment variables, with a sane default for
// everything (DESIGN rule 7): `gatehouse serve` with no arguments works.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** The account created on first start; 12 random digits when unset. */
  accountId?: string;
  /** Adds POST /_gatehouse/reset. */
  testMode: boolean;
  /** Test mode on a non-loopback address needs this too. */
  allowTestModeOnNetwork: boolean;
  logLevel: string;
  /** The region Gatehouse reports and signs for by default. */
  region: string;
  bootstrapAccessKeyId?: string;
  bootstrapSecretAccessKey?: string;
  /** The data key (base64, 32 bytes) that encrypts secrets at rest; else a key file in the data dir. */
  dataKey?: string;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

export const CONFIG_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'account-id': { type: 'string' },
  'test-mode': { type: 'boolean' },
  'allow-test-mode-on-network': { type: 'boolean' },
  'log-level': { type: 'string' },
  region: { type: 'string' },
} as const;

export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Config {
  const { values } = parseArgs({ args: argv, options: CONFIG_OPTIONS, strict: true, allowPositionals: false });
  const port = Number(values.port ?? env.GATEHOUSE_PORT ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? env.GATEHOUSE_PORT}`);
  const accountId = values['account-id'] ?? env.GATEHOUSE_ACCOUNT_ID;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error(`GATEHOUSE_ACCOUNT_ID must be 12 digits, got ${accountId}`);
  return {
    host: values.host ?? env.GATEHOUSE_HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse'),
    accountId,
    testMode: values['test-mode'] ?? truthy(env.GATEHOUSE_TEST_MODE),
    allowTestModeOnNetwork: values['allow-test-mode-on-network'] ?? truthy(env.GATEHOUSE_ALLOW_TEST_MODE_ON_NETWORK),
    logLevel: values['log-level'] ?? env.GATEHOUSE_LOG_LEVEL ?? 'info',
    region: values.region ?? env.GATEHOUSE_REGION ?? 'us-east-1',
    bootstrapAccessKeyId: env.GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID,
    bootstrapSecretAccessKey: env.GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY,
    dataKey: env.GATEHOUSE_DATA_KEY,
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
