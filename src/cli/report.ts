// `gatehouse report [--data-dir DIR] [--account-id ID] [--json]`: the hygiene report of an account,
// read straight from the data directory's store, read-only (it works beside a running server:
// SQLite's WAL lets a reader see the last committed state).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatHygieneReport, hygieneFindings } from '../analyzer/hygiene.ts';
import { primaryAccount } from '../iam/bootstrap.ts';
import { IamState } from '../iam/state.ts';
import { systemClock, type Clock } from '../model/clock.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite.ts';
import { progressLine, type Progress } from './progress.ts';

export const REPORT_USAGE = `Usage: gatehouse report [--data-dir DIR] [--account-id ID] [--json]

Prints the credential hygiene of an account (the first one when --account-id is absent):
console users without MFA, old or unused access keys, unused passwords, users with more than one
active key, root user keys, MFA and use, a password policy weaker than CIS's, and policies
attached to users instead of groups. Each finding names the identity, the rule, the evidence and
the fix. Read-only: it works beside a running server. On a terminal it shows its progress on
stderr.

Options:
  --data-dir DIR    the data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --account-id ID   the account to report on (default: the first one)
  --json            print { accountId, generatedAt, findings: [{ rule, identity, arn, evidence, fix }] }
`;

export const REPORT_OPTIONS = { 'data-dir': { type: 'string' }, 'account-id': { type: 'string' }, json: { type: 'boolean' } } as const;

/** The state of a data directory as it is now, never written. */
export async function loadDataDir(dataDir: string, progress: Progress = progressLine()): Promise<IamState> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(file)) throw new Error(`no Gatehouse data in ${dataDir} (no ${SQLITE_FILE_NAME})`);
  progress.update('report: reading the store');
  // Read-only: the report never writes (a commit is refused).
  const store = await openSqliteStore(dataDir, { readOnly: true });
  try {
    return await IamState.load(store);
  } finally {
    await store.close();
  }
}

export interface ReportIo {
  out: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Default: a line on stderr when it is a terminal. */
  progress?: Progress;
}

export async function runReport(argv: string[], io: ReportIo): Promise<void> {
  const { values } = parseArgs({ args: argv, options: REPORT_OPTIONS, strict: true, allowPositionals: false });
  const env = io.env ?? process.env;
  const dataDir = resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse');
  const progress = io.progress ?? progressLine();
  try {
    await report(values, dataDir, io, progress);
  } finally {
    progress.done();
  }
}

async function report(values: { 'account-id'?: string; json?: boolean }, dataDir: string, io: ReportIo, progress: Progress): Promise<void> {
  const state = await loadDataDir(dataDir, progress);
  const accountId = values['account-id'] ?? primaryAccount(state)?.accountId;
  if (accountId === undefined || state.get('account', accountId) === undefined) {
    throw new Error(values['account-id'] ? `no account ${values['account-id']} in ${dataDir}` : `no account in ${dataDir}`);
  }
  const now = (io.clock ?? systemClock).now();
  progress.update(`report: checking account ${accountId}`);
  const findings = hygieneFindings(state, accountId, now);
  if (values.json) io.out(`${JSON.stringify({ accountId, generatedAt: now.toISOString(), findings }, null, 2)}\n`);
  else io.out(formatHygieneReport(accountId, findings, now));
}
