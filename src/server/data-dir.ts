// The data directory: owner-only (0700), and served by one Gatehouse at a time.
//
// Node has no flock(), so the lock is SQLite's: a small database, gatehouse.lock, held in an open
// EXCLUSIVE transaction for the life of the server. SQLite takes it with POSIX record locks,
// which the kernel drops when the process ends in any way (kill -9 included), so a lock is never
// left behind; and SQLite arbitrates between connections of one process too. A second server, or
// any command that writes, fails at once (no busy wait) and names the process that holds the
// lock, read from gatehouse.pid (written by the holder once it has the lock). Readers (`report`,
// `audit verify`) open the store read-only and take no lock.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export const LOCK_FILE_NAME = 'gatehouse.lock';
export const PID_FILE_NAME = 'gatehouse.pid';

/**
 * Creates the data directory owner-only (0700), or tightens an existing one whose group or
 * others may use it: it holds the data key, the audit signing key and the bootstrap secrets.
 * `warn` hears what was changed, or what could not be.
 */
export function prepareDataDir(dir: string, warn: (message: string) => void): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const was = mode.toString(8).padStart(4, '0');
  try {
    chmodSync(dir, 0o700);
    warn(`the data directory ${dir} was open to other users (mode ${was}): its mode is now 0700`);
  } catch (err) {
    warn(`the data directory ${dir} is open to other users (mode ${was}) and could not be changed to 0700 (${(err as Error).message}): run chmod 700 ${dir}`);
  }
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
  ) {
    const who = holderPid === undefined ? 'another process' : `another Gatehouse process (pid ${holderPid})`;
    super(`the data directory ${dataDir} is in use by ${who}: stop it first, or give this one another --data-dir`);
  }
}

export interface DataDirLock {
  /** Lets the next process in. Idempotent. */
  release(): void;
}

function readPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, PID_FILE_NAME), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data directory for this process, or throws DataDirInUseError at once. */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE_NAME);
  // Owner-only before SQLite creates it with the umask's mode.
  closeSync(openSync(file, 'a', 0o600));
  const db = new BetterSqlite3(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file beside it
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dir, readPid(dir));
    throw err;
  }
  const pidFile = join(dir, PID_FILE_NAME);
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      if (readPid(dir) === process.pid) rmSync(pidFile, { force: true });
      db.close(); // ends the transaction, and with it the lock
    },
  };
}
