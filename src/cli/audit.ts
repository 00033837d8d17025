// `gatehouse audit verify [--data-dir DIR] [--json]`: checks the data directory's audit trail
// (hash chain and signed digests) and names the first event that was altered, removed or
// inserted. Read-only; works beside a running server. Exit status 0 when intact, 1 otherwise.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PUBLIC_KEY_FILE, SIGNING_KEY_FILE } from '../audit/digest.ts';
import { verifyTrail, type VerifyReport } from '../audit/verify.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite.ts';
import { UsageError } from './usage-error.ts';
import { count, progressLine, type Progress } from './progress.ts';

export const AUDIT_USAGE = `Usage: gatehouse audit verify [--data-dir DIR] [--public-key FILE] [--json]

Checks every event of the audit trail against its hash chain and every signed digest, and
reports the first event that was altered, removed or inserted (exit status 1), or that all is
intact (0). Read-only: it works beside a running server. On a terminal it shows its progress on
stderr.

Options:
  --data-dir DIR      the data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --public-key FILE   the digest key to trust (default: the data directory's ${PUBLIC_KEY_FILE})
  --json              print the result as JSON
`;

export const AUDIT_OPTIONS = { 'data-dir': { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' } } as const;

export interface AuditIo {
  out: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Default: a line on stderr when it is a terminal. */
  progress?: Progress;
}

export async function verifyDataDir(dataDir: string, publicKeyFile?: string, progress?: Progress): Promise<VerifyReport> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(file)) throw new Error(`no Gatehouse data in ${dataDir} (no ${SQLITE_FILE_NAME})`);
  const keyFile = publicKeyFile ?? (existsSync(join(dataDir, PUBLIC_KEY_FILE)) ? join(dataDir, PUBLIC_KEY_FILE) : join(dataDir, SIGNING_KEY_FILE));
  const publicKey = createPublicKey(readFileSync(keyFile));
  const store = await openSqliteStore(dataDir, { readOnly: true });
  const onProgress = progress === undefined ? undefined : (read: number, total: number) => {
    if (read > 0) progress.update(`audit verify: ${count(read)} of ${count(total)} events (${Math.floor((read / Math.max(total, 1)) * 100)}%)`);
  };
  try {
    return await verifyTrail(store, publicKey, onProgress);
  } finally {
    progress?.done();
    await store.close();
  }
}

export function formatReport(r: VerifyReport): string {
  const head = `${r.events} events, ${r.digests} signed digests${r.lastDigestTime ? ` (last ${r.lastDigestTime})` : ''}`;
  if (r.intact) {
    const tail = r.undigested > 0 ? `; ${r.undigested} newest events not yet covered by a digest (the chain covers them)` : '';
    return `The audit trail is intact: ${head}${tail}.\n`;
  }
  return `The audit trail has been tampered with: ${r.problem!.message}.\n(${head})\n`;
}

/** Returns the exit status. */
export async function runAudit(argv: string[], io: AuditIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') {
    if (sub === undefined) {
      io.out(AUDIT_USAGE);
      return 2;
    }
    throw new UsageError(`unknown audit command ${sub}: the one there is, is verify`);
  }
  const { values } = parseArgs({ args: rest, options: AUDIT_OPTIONS, strict: true, allowPositionals: false });
  const env = io.env ?? process.env;
  const dataDir = resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse');
  const report = await verifyDataDir(dataDir, values['public-key'], io.progress ?? progressLine());
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.intact ? 0 : 1;
}
