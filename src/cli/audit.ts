// `gatehouse audit verify [--data-dir DIR] [--export-dir DIR] [--key-file FILE] [--json]`: checks
// the data directory's audit trail (keyed hash chain, signed digests, their exported copies) and
// names the first event that was altered, removed, inserted or forged. Read-only; works beside a
// running server. Exit status 0 when intact, 1 otherwise.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DIGEST_INTERVAL_SECONDS, number } from '../audit/config.ts';
import { chainKeyOf, PUBLIC_KEY_FILE, readPrivateKey, SIGNING_KEY_FILE } from '../audit/digest.ts';
import { readExportedDigests } from '../audit/export.ts';
import { verifyTrail, type VerifyReport } from '../audit/verify.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite.ts';
import { UsageError } from './usage-error.ts';
import { count, progressLine, type Progress } from './progress.ts';

export const AUDIT_USAGE = `Usage: gatehouse audit verify [--data-dir DIR] [--export-dir DIR] [--key-file FILE] [--public-key FILE] [--json]

Checks every event of the audit trail against its keyed hash chain and every signed digest, and
reports the first event that was altered, removed, inserted or forged (exit status 1), or that
all is intact (0). Events older than one digest interval must be covered by a digest. With an
export directory, each digest exported there must still be in the database, which shows the
newest events removed with their digest. Read-only: it works beside a running server. On a
terminal it shows its progress on stderr.

Options:
  --data-dir DIR      the data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --export-dir DIR    the CloudTrail export directory to check against [GATEHOUSE_AUDIT_EXPORT_DIR]
  --key-file FILE     the audit signing key (Ed25519, PEM), which also keys the chain
                      [GATEHOUSE_AUDIT_KEY_FILE] (the data directory's ${SIGNING_KEY_FILE})
  --public-key FILE   the digest key to trust (default: the signing key's public half, else the
                      data directory's ${PUBLIC_KEY_FILE}); with no private key at hand the
                      chain's keys are not checked, only its links
  --json              print the result as JSON

Environment: GATEHOUSE_AUDIT_DIGEST_INTERVAL_SECONDS, the server's digest interval (${DEFAULT_DIGEST_INTERVAL_SECONDS}).
`;

export const AUDIT_OPTIONS = {
  'data-dir': { type: 'string' },
  'export-dir': { type: 'string' },
  'key-file': { type: 'string' },
  'public-key': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface AuditIo {
  out: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Default: a line on stderr when it is a terminal. */
  progress?: Progress;
}

export interface VerifyDirOptions {
  exportDir?: string;
  keyFile?: string;
  publicKeyFile?: string;
  digestIntervalSeconds?: number;
  now?: Date;
  progress?: Progress;
}

export async function verifyDataDir(dataDir: string, options: VerifyDirOptions = {}): Promise<VerifyReport> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(file)) throw new Error(`no Gatehouse data in ${dataDir} (no ${SQLITE_FILE_NAME})`);
  const dataDirKey = join(dataDir, SIGNING_KEY_FILE);
  const keyFile = options.keyFile ?? (existsSync(dataDirKey) ? dataDirKey : undefined);
  const privateKey = keyFile !== undefined ? readPrivateKey(keyFile, options.keyFile !== undefined ? 'the key file ' : '') : undefined;
  let publicKey: KeyObject;
  if (options.publicKeyFile !== undefined) publicKey = createPublicKey(readFileSync(options.publicKeyFile));
  else if (privateKey !== undefined) publicKey = createPublicKey(privateKey);
  else if (existsSync(join(dataDir, PUBLIC_KEY_FILE))) publicKey = createPublicKey(readFileSync(join(dataDir, PUBLIC_KEY_FILE)));
  else throw new Error(`no audit key to verify with: give --key-file (the server's GATEHOUSE_AUDIT_KEY_FILE) or --public-key`);
  const exportedDigests = options.exportDir !== undefined ? readExportedDigests(options.exportDir) : undefined;
  const store = await openSqliteStore(dataDir, { readOnly: true });
  const progress = options.progress;
  const onProgress = progress === undefined ? undefined : (read: number, total: number) => {
    if (read > 0) progress.update(`audit verify: ${count(read)} of ${count(total)} events (${Math.floor((read / Math.max(total, 1)) * 100)}%)`);
  };
  try {
    return await verifyTrail(
      store,
      { publicKey, chainKey: privateKey && chainKeyOf(privateKey) },
      { digestIntervalSeconds: options.digestIntervalSeconds ?? DEFAULT_DIGEST_INTERVAL_SECONDS, now: options.now ?? new Date(), exportedDigests, onProgress },
    );
  } finally {
    progress?.done();
    await store.close();
  }
}

export function formatReport(r: VerifyReport): string {
  const head = `${r.events} events, ${r.digests} signed digests${r.lastDigestTime ? ` (last ${r.lastDigestTime})` : ''}${r.exportedDigests !== undefined ? `, ${r.exportedDigests} exported digests` : ''}`;
  if (!r.intact) return `The audit trail has been tampered with: ${r.problem!.message}.\n(${head})\n`;
  const notes: string[] = [];
  if (r.undigested > 0) notes.push(`${r.undigested} newest events not yet covered by a digest (the chain covers them)`);
  if (r.prunedBefore !== undefined) notes.push(`events before ${r.prunedBefore} were pruned by retention`);
  if (r.unkeyed > 0) notes.push(`${r.unkeyed} events in the older, unkeyed chain format (written before the chain was keyed; the digests cover them)`);
  if (r.unchained > 0) notes.push(`${r.unchained} events from before the chain existed`);
  if (!r.keysChecked) notes.push('the chain\'s keys were not checked (no private key at hand: give --key-file)');
  return `The audit trail is intact: ${head}${notes.map((n) => `; ${n}`).join('')}.\n`;
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
  // As the server: GATEHOUSE_AUDIT_EXPORT_DIR ('' for none), else <data dir>/cloudtrail.
  const defaultExport = join(dataDir, 'cloudtrail');
  const exportDir = values['export-dir'] ?? (env.GATEHOUSE_AUDIT_EXPORT_DIR !== undefined ? env.GATEHOUSE_AUDIT_EXPORT_DIR || undefined : existsSync(defaultExport) ? defaultExport : undefined);
  const report = await verifyDataDir(dataDir, {
    exportDir: exportDir && resolve(exportDir),
    keyFile: values['key-file'] ?? (env.GATEHOUSE_AUDIT_KEY_FILE || undefined),
    publicKeyFile: values['public-key'],
    digestIntervalSeconds: number(env, 'GATEHOUSE_AUDIT_DIGEST_INTERVAL_SECONDS', DEFAULT_DIGEST_INTERVAL_SECONDS, 1),
    progress: io.progress ?? progressLine(),
  });
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.intact ? 0 : 1;
}
