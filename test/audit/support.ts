// A Gatehouse for audit tests: like test/support/gatehouse.ts, with audit settings and alert
// rules given directly, and helpers to read the trail straight from the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import BetterSqlite3 from 'better-sqlite3';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse, type Gatehouse } from '../../src/server/gatehouse.ts';
import type { AuditConfig } from '../../src/audit/config.ts';
import type { AlertsConfig } from '../../src/audit/alerts/config.ts';
import type { CloudTrailEvent } from '../../src/audit/event.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY, type Credentials } from '../support/gatehouse.ts';

export interface AuditHarness {
  server(): Gatehouse;
  endpoint: string;
  dataDir: string;
  iam: IAMClient;
  iamFor(c: Credentials): IAMClient;
  stsFor(c: Credentials): STSClient;
  /** Every event in the database, oldest first (after flushing the batch). */
  events(): Promise<(CloudTrailEvent & { _id: number })[]>;
  restart(): Promise<void>;
  close(keep?: boolean): Promise<void>;
}

export const ADMIN = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };

export async function startAuditGatehouse(options: { audit?: Partial<AuditConfig>; alerts?: AlertsConfig; dataDir?: string; env?: Record<string, string> } = {}): Promise<AuditHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
  const env = {
    GATEHOUSE_ACCOUNT_ID: TEST_ACCOUNT_ID,
    GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    GATEHOUSE_ROOT_EMAIL: 'root@example.com',
    GATEHOUSE_ROOT_PASSWORD: 'Root-Password-1234!',
    GATEHOUSE_PASSWORD_HASH_COST: '14',
    ...options.env,
  };
  const start = (port: number) =>
    startGatehouse(loadConfig(['--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'], env), {
      logger: pino({ level: 'silent' }),
      announce: () => undefined,
      audit: { exportDir: join(dataDir, 'export'), deliveryPollMs: 50, ...options.audit },
      alerts: options.alerts,
    });
  let server = await start(0);
  const endpoint = server.url;
  const config = (c: Credentials) => ({ endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1 });
  return {
    server: () => server,
    endpoint,
    dataDir,
    iam: new IAMClient(config(ADMIN)),
    iamFor: (c) => new IAMClient(config(c)),
    stsFor: (c) => new STSClient(config(c)),
    async events() {
      await server.audit.flush();
      return readEvents(dataDir);
    },
    async restart() {
      await server.close();
      server = await start(server.port);
    },
    async close(keep = false) {
      await server.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function readEvents(dataDir: string): (CloudTrailEvent & { _id: number })[] {
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT id, json FROM events ORDER BY id').all() as { id: number; json: string }[]).map((r) => ({ ...(JSON.parse(r.json) as CloudTrailEvent), _id: r.id }));
  } finally {
    db.close();
  }
}

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local webhook receiver; `status` decides what it answers (e.g. 500 to force retries). */
export async function startReceiver(): Promise<{ url: string; received: Received[]; status: number; waitFor(pred: (r: Received) => boolean, ms?: number): Promise<Received>; close(): Promise<void> }> {
  const received: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (state.status === 200) received.push(r);
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    async waitFor(pred, ms = 5000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching webhook within ${ms} ms (got ${received.length}: ${received.map((r) => JSON.parse(r.body).rule).join(', ')})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
