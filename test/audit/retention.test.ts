// Retention in the database (GATEHOUSE_AUDIT_DB_RETENTION_DAYS) prunes only events that are
// exported and digested, up to a digest's last event, and `audit verify` still checks the chain
// that remains from its new start. And the exporter's first run over an existing trail tells its
// progress (a terminal's progress line in `gatehouse serve`).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { loadSigningKey, writeDigest } from '../../src/audit/digest.ts';
import { ManualClock } from '../../src/model/clock.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite.ts';
import { startTestGatehouse } from '../support/gatehouse.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ids = (dataDir: string) => {
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM events ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};

test('retention prunes old exported and digested events, and the trail still verifies from its new start', async () => {
  const dataDir = join(root, 'pruned');
  const exportDir = join(root, 'pruned-export');
  const clock = new ManualClock(new Date(Date.now() - 10 * 86_400_000));
  const gh = await startTestGatehouse({ root: true, dataDir, clock, audit: { exportDir, dbRetentionDays: 5 } });
  for (let i = 0; i < 4; i++) await gh.iam.send(new CreateUserCommand({ UserName: `old-${i}` }));
  await gh.server().audit.flush();
  await gh.server().audit.digest();
  const oldIds = ids(dataDir);
  clock.set(new Date());
  for (let i = 0; i < 3; i++) await gh.iam.send(new ListUsersCommand({}));
  // Shutdown digests and exports the rest, then applies the retention.
  await gh.close(true);

  const remaining = ids(dataDir);
  assert.equal(remaining[0], oldIds.at(-1)! + 1, 'the events of ten days ago are gone, up to the digest that covered them');
  assert.ok(remaining.length >= 3);
  const r = await runCli(['audit', 'verify', '--data-dir', dataDir, '--export-dir', exportDir]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^The audit trail is intact: ${remaining.length} events, .*; events before ${remaining[0]} were pruned by retention`));
  const files = readdirSync(join(exportDir, 'AWSLogs', '123456789012', 'CloudTrail', 'us-east-1'), { recursive: true }).filter((f) => String(f).endsWith('.json.gz'));
  assert.ok(files.length > 0, 'the pruned events are in the exported files');

  // Removing more of the oldest events is not retention: no digest anchors the new start.
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME));
  db.prepare('DELETE FROM events WHERE id = ?').run(remaining[0]);
  db.close();
  const t = await runCli(['audit', 'verify', '--data-dir', dataDir, '--export-dir', exportDir]);
  assert.equal(t.status, 1, t.stdout);
  assert.match(t.stdout, new RegExp(`tampered with: the trail starts at event ${remaining[1]} \\(\\w+ [0-9a-f-]+\\), but no digest covers the events before it`));
});

test('without retention, or for recent events, nothing is pruned', async () => {
  const dataDir = join(root, 'kept');
  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: join(root, 'kept-export'), dbRetentionDays: 5 } });
  for (let i = 0; i < 3; i++) await gh.iam.send(new CreateUserCommand({ UserName: `new-${i}` }));
  await gh.server().audit.flush();
  await gh.server().audit.digest();
  await gh.iam.send(new ListUsersCommand({}));
  await gh.close(true);
  assert.equal(ids(dataDir)[0], 1);
});

test("the exporter's first run over an existing trail tells its progress", async () => {
  const dataDir = join(root, 'first-export');
  const gh0 = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: '' } });
  await gh0.close(true);
  const key = loadSigningKey(dataDir);
  const store = await openSqliteStore(dataDir, { chainKey: key.chainKey });
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  await store.appendEvents(Array.from({ length: 12_000 }, (_, i) => ({ eventVersion: '1.11', eventName: 'ListUsers', eventID: `e-${i}`, eventTime: now, awsRegion: 'us-east-1', recipientAccountId: '123456789012' })), false);
  await writeDigest(store, key, new Date());
  await store.close();

  const shown: (string | undefined)[] = [];
  const gh = await startTestGatehouse({ root: true, dataDir, audit: { exportDir: join(root, 'first-export-files') }, progress: (t) => shown.push(t) });
  await gh.close(true);
  assert.ok(shown.includes('audit export: 5,000 of 12,000 events'), JSON.stringify(shown));
  assert.ok(shown.includes('audit export: 12,000 of 12,000 events'), JSON.stringify(shown));
  assert.equal(shown.at(-1), undefined, 'the line is cleared at the end');
});
