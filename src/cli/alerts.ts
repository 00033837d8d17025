// `gatehouse alerts [--data-dir DIR] [--json] [--limit N]`: the alerts raised, newest first, with
// where each delivery stands. Read-only.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite.ts';

export const ALERTS_USAGE = `Usage: gatehouse alerts [--data-dir DIR] [--limit N] [--json]

Lists the alerts Gatehouse raised, newest first: time, severity, rule, summary and delivery.
Read-only: it works beside a running server. Rules and webhooks: <data dir>/alerts.yaml
[GATEHOUSE_ALERTS_FILE].

Options:
  --data-dir DIR   the data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --limit N        at most N alerts (100)
  --json           print them as JSON
`;

export const ALERTS_OPTIONS = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } } as const;

export interface AlertListing {
  id: number;
  time: string;
  rule: string;
  severity: string;
  summary: string;
  eventId: number | null;
  deliveries: { target: string; attempts: number; status: 'delivered' | 'pending' | 'failed'; lastError?: string }[];
}

export async function listAlerts(dataDir: string, limit = 100): Promise<AlertListing[]> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(file)) throw new Error(`no Gatehouse data in ${dataDir} (no ${SQLITE_FILE_NAME})`);
  const store = await openSqliteStore(dataDir, { readOnly: true });
  try {
    const alerts = await store.recentAlerts(limit);
    const deliveries = await store.deliveriesOf(alerts.map((a) => a.id));
    return alerts.map((a) => ({
      id: a.id,
      time: a.time,
      rule: a.rule,
      severity: a.severity,
      summary: (JSON.parse(a.body) as { summary: string }).summary,
      eventId: a.eventId,
      deliveries: deliveries
        .filter((o) => o.alertId === a.id)
        .map((o) => ({
          target: o.target,
          attempts: o.attempts,
          status: o.deliveredAt !== null ? 'delivered' : o.failedAt !== null ? 'failed' : 'pending',
          ...(o.lastError !== null ? { lastError: o.lastError } : {}),
        })),
    }));
  } finally {
    await store.close();
  }
}

export async function runAlerts(argv: string[], io: { out: (t: string) => void; env?: NodeJS.ProcessEnv }): Promise<void> {
  const { values } = parseArgs({ args: argv, options: ALERTS_OPTIONS, strict: true, allowPositionals: false });
  const env = io.env ?? process.env;
  const dataDir = resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse');
  const alerts = await listAlerts(dataDir, values.limit !== undefined ? Number(values.limit) : 100);
  if (values.json) {
    io.out(`${JSON.stringify(alerts, null, 2)}\n`);
    return;
  }
  if (alerts.length === 0) {
    io.out('No alerts.\n');
    return;
  }
  for (const a of alerts) {
    const delivery = a.deliveries.length === 0 ? 'log only' : a.deliveries.map((d) => `${d.status}${d.status !== 'delivered' && d.lastError ? ` (${d.lastError})` : ''}`).join(', ');
    io.out(`${a.time}  ${a.severity.padEnd(8)} ${a.rule.padEnd(28)} ${a.summary}  [${delivery}]\n`);
  }
}
