// Audit trail settings, from GATEHOUSE_AUDIT_* / GATEHOUSE_ALERTS_* environment variables with
// defaults that need nothing set: a digest every minute that saw events, export to
// <data dir>/cloudtrail every five minutes, 90 days of exported files, every event kept in the
// database, the signing key in the data directory, alerts from <data dir>/alerts.yaml when it exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface AuditConfig {
  /** How often a signed digest is written (when there are new events). */
  digestIntervalSeconds: number;
  /** The audit signing key (Ed25519, PEM) when it is kept outside the data directory. */
  keyFile?: string;
  /** Where CloudTrail-layout files go; '' turns export off. */
  exportDir: string;
  exportIntervalSeconds: number;
  /** Days of exported files kept; 0 keeps them all. */
  retentionDays: number;
  /** Days of events kept in the database (only those exported and digested are pruned); 0 keeps them all. */
  dbRetentionDays: number;
  /** The alerts file (YAML); absent: the built-in rules, delivered to the log only. */
  alertsFile?: string;
  /** Batching of events that are not part of a change. */
  batchDelayMs: number;
  batchSize: number;
  /** How often the webhook outbox is polled for retries. */
  deliveryPollMs: number;
}

export const DEFAULT_DIGEST_INTERVAL_SECONDS = 60;

export function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return n;
}

export function auditConfigFrom(env: NodeJS.ProcessEnv, dataDir: string): AuditConfig {
  const defaultAlerts = join(dataDir, 'alerts.yaml');
  return {
    digestIntervalSeconds: number(env, 'GATEHOUSE_AUDIT_DIGEST_INTERVAL_SECONDS', DEFAULT_DIGEST_INTERVAL_SECONDS, 1),
    keyFile: env.GATEHOUSE_AUDIT_KEY_FILE || undefined,
    exportDir: env.GATEHOUSE_AUDIT_EXPORT_DIR ?? join(dataDir, 'cloudtrail'),
    exportIntervalSeconds: number(env, 'GATEHOUSE_AUDIT_EXPORT_INTERVAL_SECONDS', 300, 1),
    retentionDays: number(env, 'GATEHOUSE_AUDIT_RETENTION_DAYS', 90, 0),
    dbRetentionDays: number(env, 'GATEHOUSE_AUDIT_DB_RETENTION_DAYS', 0, 0),
    alertsFile: env.GATEHOUSE_ALERTS_FILE || (existsSync(defaultAlerts) ? defaultAlerts : undefined),
    batchDelayMs: number(env, 'GATEHOUSE_AUDIT_BATCH_DELAY_MS', 100, 1),
    batchSize: number(env, 'GATEHOUSE_AUDIT_BATCH_SIZE', 500, 1),
    deliveryPollMs: number(env, 'GATEHOUSE_ALERTS_POLL_MS', 1000, 10),
  };
}
