// Export in CloudTrail's log file layout, for SIEM ingestion:
//   <dir>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz
// each a gzipped {"Records":[…]}. Events are exported in id order from a cursor kept in the
// store; a file is written (to a temporary name, then renamed) before the cursor moves, and its
// name is derived from the events it holds, so a crash in between rewrites the same file rather
// than losing or duplicating events. Day folders older than the retention are removed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TrailCursors, TrailEvents } from '../store/trail.ts';

export interface ExportOptions {
  dir: string;
  /** Days of files to keep (by their day folder); 0 keeps everything. */
  retentionDays: number;
  /** Most events per file. */
  maxEventsPerFile?: number;
}

const CURSOR = 'export';

interface Group {
  account: string;
  region: string;
  day: string;
  records: string[];
  firstId: number;
  lastId: number;
  lastTime: string;
}

export class TrailExporter {
  readonly #store: TrailEvents & TrailCursors;
  readonly #options: ExportOptions;
  /** The run in progress: runs take turns, so two never export the same events. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(store: TrailEvents & TrailCursors, options: ExportOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Exports every event not yet exported; returns the files written. */
  exportNew(): Promise<string[]> {
    const run = this.#tail.then(() => this.#exportNew());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #exportNew(): Promise<string[]> {
    const written: string[] = [];
    const max = this.#options.maxEventsPerFile ?? 5000;
    for (;;) {
      const after = (await this.#store.readCursor(CURSOR)) ?? 0;
      const rows = await this.#store.eventsAfter(after, max);
      if (rows.length === 0) return written;
      const groups = new Map<string, Group>();
      for (const row of rows) {
        const e = JSON.parse(row.json) as { recipientAccountId?: string; userIdentity?: { accountId?: string }; awsRegion?: string; eventTime?: string };
        const account = e.recipientAccountId ?? e.userIdentity?.accountId ?? 'unknown';
        const region = e.awsRegion ?? 'us-east-1';
        const time = e.eventTime ?? row.time;
        const day = time.slice(0, 10);
        const key = `${account}/${region}/${day}`;
        let g = groups.get(key);
        if (g === undefined) groups.set(key, (g = { account, region, day, records: [], firstId: row.id, lastId: row.id, lastTime: time }));
        g.records.push(row.json);
        g.lastId = row.id;
        if (time > g.lastTime) g.lastTime = time;
      }
      for (const g of groups.values()) written.push(this.#write(g));
      await this.#store.writeCursor(CURSOR, rows[rows.length - 1]!.id);
    }
  }

  #write(g: Group): string {
    const [y, m, d] = g.day.split('-');
    const folder = join(this.#options.dir, 'AWSLogs', g.account, 'CloudTrail', g.region, y!, m!, d!);
    mkdirSync(folder, { recursive: true });
    const stamp = `${g.lastTime.slice(0, 4)}${g.lastTime.slice(5, 7)}${g.lastTime.slice(8, 10)}T${g.lastTime.slice(11, 13)}${g.lastTime.slice(14, 16)}Z`;
    const unique = createHash('sha256').update(`${g.account}/${g.region}/${g.firstId}-${g.lastId}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
    const name = `${g.account}_CloudTrail_${g.region}_${stamp}_${unique}.json.gz`;
    const file = join(folder, name);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, gzipSync(Buffer.from(`{"Records":[${g.records.join(',')}]}`, 'utf8')), { mode: 0o600 });
    renameSync(tmp, file);
    return file;
  }

  /** Removes day folders older than the retention; returns how many. */
  prune(now: Date): number {
    const days = this.#options.retentionDays;
    if (days <= 0) return 0;
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    let removed = 0;
    const root = join(this.#options.dir, 'AWSLogs');
    for (const account of list(root)) {
      for (const region of list(join(root, account, 'CloudTrail'))) {
        const base = join(root, account, 'CloudTrail', region);
        for (const y of list(base)) {
          for (const m of list(join(base, y))) {
            for (const d of list(join(base, y, m))) {
              if (`${y}-${m}-${d}` < cutoff) {
                rmSync(join(base, y, m, d), { recursive: true, force: true });
                removed++;
              }
            }
            if (list(join(base, y, m)).length === 0) rmSync(join(base, y, m), { recursive: true, force: true });
          }
        }
      }
    }
    return removed;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
