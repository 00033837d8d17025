// A real Gatehouse for integration tests: a server on an ephemeral loopback port with a fresh
// data directory and a known bootstrap key, AWS SDK v3 clients pointed at it, the audit trail
// read straight from its database, and identities made through the IAM API as a user would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import BetterSqlite3 from 'better-sqlite3';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse, type Gatehouse } from '../../src/server/gatehouse.ts';
import type { AuditConfig } from '../../src/audit/config.ts';
import type { AlertsConfig } from '../../src/audit/alerts/config.ts';
import type { CloudTrailEvent } from '../../src/audit/event.ts';
import type { ManualClock } from '../../src/model/clock.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An identity made for a test: its credentials, its ARN, and clients signed with them. */
export interface TestIdentity extends Credentials {
  arn: string;
  iam: IAMClient;
  sts: STSClient;
}

export type TrailEvent = CloudTrailEvent & { _id: number };

export interface TestGatehouse {
  endpoint: string;
  accountId: string;
  dataDir: string;
  credentials: Credentials;
  /** The manual clock the server was started with, if any. */
  clock: ManualClock | undefined;
  /** Clients signed with the bootstrap admin's key. */
  iam: IAMClient;
  sts: STSClient;
  iamFor(credentials: Credentials): IAMClient;
  stsFor(credentials: Credentials): STSClient;
  server(): Gatehouse;
  /** A user with an access key and, if given, an inline policy (an object or its JSON text). */
  user(name: string, policy?: object | string): Promise<TestIdentity>;
  /** A role with the given trust policy and, if given, an inline policy; answers its ARN. */
  role(name: string, trust: object, options?: { policy?: object; maxSessionDuration?: number }): Promise<string>;
  /** A session of the role, assumed by `as` (the admin by default). */
  session(roleArn: string, sessionName: string, as?: Credentials): Promise<TestIdentity>;
  /** Every event in the database, oldest first (after flushing the writer's batch). */
  events(): Promise<TrailEvent[]>;
  /** Stops and starts the server on the same data directory (and port). */
  restart(): Promise<void>;
  /** Returns the account to its bootstrap state (test mode's reset endpoint). */
  reset(): Promise<void>;
  /** Stops the server and removes the data directory, unless `keep`. */
  close(keep?: boolean): Promise<void>;
}

export const TEST_ACCOUNT_ID = '123456789012';
export const TEST_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const TEST_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** The bootstrap admin's key. */
export const ADMIN: Credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
/** The root user's sign-in, given to a server started with `root: true`. */
export const TEST_ROOT = { email: 'root@example.com', password: 'Root-Password-1234!' };

export interface TestGatehouseOptions {
  /** The server's clock. Clients then sign with its time, so that moving it does not make requests stale. */
  clock?: ManualClock;
  /** Settings as environment variables, over the test defaults. */
  env?: Record<string, string>;
  /** Defaults to a fresh temporary directory, removed by close(). */
  dataDir?: string;
  /** Gives the root user TEST_ROOT's email and password. */
  root?: boolean;
  /** Audit settings over the defaults (alert deliveries polled every 50 ms). */
  audit?: Partial<AuditConfig>;
  /** Alert rules and webhooks, instead of an alerts file. */
  alerts?: AlertsConfig;
  /** Told the progress of long start-up work (the exporter's first run). */
  progress?: (text: string | undefined) => void;
  /** The server's region (GATEHOUSE_REGION: its partition is the account's) and the one clients sign for. */
  region?: string;
}

const policyText = (policy: object | string) => (typeof policy === 'string' ? policy : JSON.stringify(policy));

export async function startTestGatehouse(options: TestGatehouseOptions = {}): Promise<TestGatehouse> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const env: Record<string, string> = {
    GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID,
    GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    GATEHOUSE_TEST_MODE: '1',
    // The cheapest scrypt cost allowed: tests check hashes, not their strength.
    GATEHOUSE_PASSWORD_HASH_COST: '14',
    ...(options.root ? { GATEHOUSE_ROOT_EMAIL: TEST_ROOT.email, GATEHOUSE_ROOT_PASSWORD: TEST_ROOT.password } : {}),
    ...(options.region ? { GATEHOUSE_REGION: options.region } : {}),
    ...options.env,
  };
  const start = (port: number) =>
    startGatehouse(loadConfig(['--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'], env), {
      clock: options.clock,
      logger: pino({ level: 'silent' }),
      announce: () => undefined,
      audit: { deliveryPollMs: 50, ...options.audit },
      alerts: options.alerts,
      progress: options.progress,
    });
  let server = await start(0);
  const endpoint = server.url;
  const clock = options.clock;
  const region = options.region ?? 'us-east-1';
  const config = (credentials: Credentials) => ({ endpoint, region, credentials, maxAttempts: 1 });
  // With a manual clock, sign with the server's time: the SDK would otherwise take its offset
  // from each answer's (real-time) Date header.
  const pinned = <T extends { config: object }>(client: T): T => {
    if (clock) {
      Object.defineProperty(client.config, 'systemClockOffset', {
        get: () => clock.now().getTime() - Date.now(),
        set: () => undefined,
        configurable: true,
      });
    }
    return client;
  };
  const iamFor = (c: Credentials) => pinned(new IAMClient(config(c)));
  const stsFor = (c: Credentials) => pinned(new STSClient(config(c)));
  const identity = (credentials: Credentials, arn: string): TestIdentity => ({ ...credentials, arn, iam: iamFor(credentials), sts: stsFor(credentials) });
  const iam = iamFor(ADMIN);
  const sts = stsFor(ADMIN);

  return {
    endpoint,
    accountId: server.accountId,
    dataDir,
    credentials: ADMIN,
    clock,
    iam,
    sts,
    iamFor,
    stsFor,
    server: () => server,
    async user(name, policy) {
      const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
      if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policyText(policy) }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
      return identity({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, User!.Arn!);
    },
    async role(name, trust, { policy, maxSessionDuration } = {}) {
      const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: maxSessionDuration }));
      if (policy) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
      return Role!.Arn!;
    },
    async session(roleArn, sessionName, as = ADMIN) {
      const { Credentials: c, AssumedRoleUser } = await stsFor(as).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
      return identity({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! }, AssumedRoleUser!.Arn!);
    },
    async events() {
      await server.audit.flush();
      return readEvents(dataDir);
    },
    async restart() {
      await server.close();
      server = await start(server.port);
    },
    async reset() {
      const token = readFileSync(join(dataDir, 'reset-token'), 'utf8').trim();
      const res = await fetch(`${endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-reset-token': token } });
      if (!res.ok) throw new Error(`reset failed: ${res.status} ${await res.text()}`);
    },
    async close(keep = false) {
      await server.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every event in a data directory's database, oldest first (with its row id as `_id`). */
export function readEvents(dataDir: string): TrailEvent[] {
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT id, json FROM events ORDER BY id').all() as { id: number; json: string }[]).map((r) => ({ ...(JSON.parse(r.json) as CloudTrailEvent), _id: r.id }));
  } finally {
    db.close();
  }
}
