// Configuration from flags and GATEHOUSE_* environment variables, with a sane default for
// everything (DESIGN rule 7): `gatehouse serve` with no arguments works.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { partitionOf } from '../authn/regions.ts';
import type { SigninConfig } from '../authn/signin-config.ts';
import { defaultHashingLimits } from '../iam/passwords.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** The account created on first start; 12 random digits when unset. */
  accountId?: string;
  /** Adds POST /_gatehouse/reset. */
  testMode: boolean;
  /** Bootstrap and reset leave a new AWS account: no IAM users, groups or roles; the bootstrap key is root's. */
  freshAccount: boolean;
  /** The token the reset endpoint requires (GATEHOUSE_RESET_TOKEN); a random one in <data dir>/reset-token when unset. */
  resetToken?: string;
  /** Test mode on a non-loopback address needs this too. */
  allowTestModeOnNetwork: boolean;
  logLevel: string;
  /** Proxies (addresses or CIDRs) whose X-Forwarded-For names the client (server/source-address.ts). */
  trustedProxies: string[];
  /** The region Gatehouse reports and signs for by default; its partition is the account's, set at bootstrap. */
  region: string;
  bootstrapAccessKeyId?: string;
  bootstrapSecretAccessKey?: string;
  /** The data key (base64, 32 bytes) that encrypts secrets at rest; else dataKeyFile, else a key file in the data dir. Environment only. */
  dataKey?: string;
  /** A file of 32 raw bytes holding the data key, best kept outside the data directory. */
  dataKeyFile?: string;
  /** The root user's sign-in email, set at bootstrap (root@<account id>.gatehouse.invalid when unset). */
  rootEmail?: string;
  /** The root user's password, set at bootstrap; generated and printed once when unset. Environment only. */
  rootPassword?: string;
  /** CreateAccessKey for the root user is refused unless this is set. */
  allowRootAccessKeys: boolean;
  /** log2 of scrypt's N for new password hashes (14–20; OWASP's 17 by default). */
  passwordHashCost: number;
  /** Password hashes computed at once (one fewer than the cores by default); as many again ×4 may wait. */
  passwordHashConcurrency: number;
  signin: SigninConfig;
}


const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

export const CONFIG_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'data-key-file': { type: 'string' },
  'account-id': { type: 'string' },
  'test-mode': { type: 'boolean' },
  'fresh-account': { type: 'boolean' },
  'allow-test-mode-on-network': { type: 'boolean' },
  'log-level': { type: 'string' },
  'trusted-proxies': { type: 'string' },
  region: { type: 'string' },
  'root-email': { type: 'string' },
  'allow-root-access-keys': { type: 'boolean' },
  'password-hash-cost': { type: 'string' },
  'password-hash-concurrency': { type: 'string' },
  'signin-slowdown-threshold': { type: 'string' },
  'signin-slowdown-seconds': { type: 'string' },
  'signin-lockout-threshold': { type: 'string' },
  'signin-source-lockout-threshold': { type: 'string' },
  'signin-lockout-seconds': { type: 'string' },
  'signin-session-seconds': { type: 'string' },
} as const;

function integer(name: string, flag: string | undefined, envValue: string | undefined, fallback: number, min: number, max: number): number {
  const raw = flag ?? envValue;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

const optionalPath = (p: string | undefined) => (p ? resolve(p) : undefined);

export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Config {
  const { values } = parseArgs({ args: argv, options: CONFIG_OPTIONS, strict: true, allowPositionals: false });
  const port = Number(values.port ?? env.GATEHOUSE_PORT ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? env.GATEHOUSE_PORT}`);
  const accountId = values['account-id'] ?? env.GATEHOUSE_ACCOUNT_ID;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error(`GATEHOUSE_ACCOUNT_ID must be 12 digits, got ${accountId}`);
  const region = values.region ?? env.GATEHOUSE_REGION ?? 'us-east-1';
  if (partitionOf(region) === undefined) throw new Error(`GATEHOUSE_REGION must be a region of an AWS partition, got ${region}`);
  const freshAccount = values['fresh-account'] ?? truthy(env.GATEHOUSE_FRESH_ACCOUNT);
  const allowRootKeysEnv = env.GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS;
  return {
    host: values.host ?? env.GATEHOUSE_HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse'),
    accountId,
    testMode: values['test-mode'] ?? truthy(env.GATEHOUSE_TEST_MODE),
    freshAccount,
    resetToken: env.GATEHOUSE_RESET_TOKEN || undefined,
    allowTestModeOnNetwork: values['allow-test-mode-on-network'] ?? truthy(env.GATEHOUSE_ALLOW_TEST_MODE_ON_NETWORK),
    logLevel: values['log-level'] ?? env.GATEHOUSE_LOG_LEVEL ?? 'info',
    trustedProxies: (values['trusted-proxies'] ?? env.GATEHOUSE_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    region,
    bootstrapAccessKeyId: env.GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID,
    bootstrapSecretAccessKey: env.GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY,
    dataKey: env.GATEHOUSE_DATA_KEY,
    dataKeyFile: optionalPath(values['data-key-file'] ?? env.GATEHOUSE_DATA_KEY_FILE),
    rootEmail: values['root-email'] ?? env.GATEHOUSE_ROOT_EMAIL,
    rootPassword: env.GATEHOUSE_ROOT_PASSWORD,
    // A fresh account's only key is root's, and a new AWS account lets root make keys: on unless said otherwise.
    allowRootAccessKeys: values['allow-root-access-keys'] ?? (allowRootKeysEnv !== undefined ? truthy(allowRootKeysEnv) : freshAccount),
    passwordHashCost: integer('GATEHOUSE_PASSWORD_HASH_COST', values['password-hash-cost'], env.GATEHOUSE_PASSWORD_HASH_COST, 17, 14, 20),
    passwordHashConcurrency: integer('GATEHOUSE_PASSWORD_HASH_CONCURRENCY', values['password-hash-concurrency'], env.GATEHOUSE_PASSWORD_HASH_CONCURRENCY, defaultHashingLimits().concurrency, 1, 64),
    signin: {
      slowdownThreshold: integer('GATEHOUSE_SIGNIN_SLOWDOWN_THRESHOLD', values['signin-slowdown-threshold'], env.GATEHOUSE_SIGNIN_SLOWDOWN_THRESHOLD, 3, 1, 1000),
      slowdownSeconds: integer('GATEHOUSE_SIGNIN_SLOWDOWN_SECONDS', values['signin-slowdown-seconds'], env.GATEHOUSE_SIGNIN_SLOWDOWN_SECONDS, 2, 0, 3600),
      lockoutThreshold: integer('GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD', values['signin-lockout-threshold'], env.GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD, 10, 1, 1000),
      sourceLockoutThreshold: integer('GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD', values['signin-source-lockout-threshold'], env.GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD, 100, 1, 100000),
      lockoutSeconds: integer('GATEHOUSE_SIGNIN_LOCKOUT_SECONDS', values['signin-lockout-seconds'], env.GATEHOUSE_SIGNIN_LOCKOUT_SECONDS, 900, 1, 86400),
      sessionSeconds: integer('GATEHOUSE_SIGNIN_SESSION_SECONDS', values['signin-session-seconds'], env.GATEHOUSE_SIGNIN_SESSION_SECONDS, 43200, 900, 129600),
    },
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
