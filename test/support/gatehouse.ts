// A real Gatehouse for integration tests: a server on an ephemeral loopback port with a fresh
// data directory and a known bootstrap key, and AWS SDK v3 clients pointed at it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse, type Gatehouse } from '../../src/server/gatehouse.ts';
import type { Clock } from '../../src/model/clock.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestGatehouse {
  endpoint: string;
  accountId: string;
  dataDir: string;
  credentials: Credentials;
  /** Clients signed with the bootstrap admin's key. */
  iam: IAMClient;
  sts: STSClient;
  iamFor(credentials: Credentials): IAMClient;
  stsFor(credentials: Credentials): STSClient;
  server(): Gatehouse;
  /** Stops and starts the server on the same data directory (and port). */
  restart(): Promise<void>;
  /** Returns the account to its bootstrap state (test mode's reset endpoint). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_ACCOUNT_ID = '123456789012';
export const TEST_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const TEST_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export interface TestGatehouseOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Defaults to a fresh temporary directory, removed by close(). */
  dataDir?: string;
}

export async function startTestGatehouse(options: TestGatehouseOptions = {}): Promise<TestGatehouse> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const env = {
    GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID,
    GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    GATEHOUSE_TEST_MODE: '1',
    ...options.env,
  };
  const start = (port: number) =>
    startGatehouse(loadConfig(['--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'], env), {
      clock: options.clock,
      logger: pino({ level: 'silent' }),
      announce: () => undefined,
    });
  let server = await start(0);
  const endpoint = server.url;
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  const clientConfig = (c: Credentials) => ({ endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1 });
  const iamFor = (c: Credentials) => new IAMClient(clientConfig(c));
  const stsFor = (c: Credentials) => new STSClient(clientConfig(c));
  return {
    endpoint,
    accountId: server.accountId,
    dataDir,
    credentials,
    iam: iamFor(credentials),
    sts: stsFor(credentials),
    iamFor,
    stsFor,
    server: () => server,
    async restart() {
      await server.close();
      server = await start(server.port);
    },
    async reset() {
      const token = readFileSync(join(dataDir, 'reset-token'), 'utf8').trim();
      const res = await fetch(`${endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-reset-token': token } });
      if (!res.ok) throw new Error(`reset failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
