// Export in CloudTrail's log file layout, for SIEM ingestion:
//   <dir>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz
// each a gzipped {"Records":[…]}. Events are exported in id order from a cursor kept in the
// store; a file is written (to a temporary name, then renamed) before the cursor moves, and its
// name is derived from the events it holds, so a crash in between rewrites the same file rather
// than losing or duplicating events. Day folders older than the retention are removed.
//
// Each signed digest is exported too, as CloudTrail writes digest files beside its logs:
//   <dir>/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/<account>_CloudTrail-Digest_<region>_gatehouse_<region>_<YYYYMMDDTHHmmssZ>_<digest id>.json.gz
// each a gzipped {"digestId", "digestTime", "lastEventId", "body", "signature"} (the body is the
// signed text, digest.ts). Kept outside the data directory, they let `audit verify --export-dir`
// see the newest events removed from the database together with their digest.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DigestRecord, TrailCursors, TrailDigests, TrailEvents } from '../store/trail.ts';

export interface ExportOptions {
  dir: string;
  /** Days of files to keep (by their day folder); 0 keeps everything. */
  retentionDays: number;
  /** Most events per file. */
  maxEventsPerFile?: number;
  /** The account and region digest files are filed under (a digest covers the whole trail). */
  digestAccount: string;
  digestRegion: string;
  /** Told how many events have been exported in this run, of how many there were to export. */
  onProgress?: (exported: number, total: number) => void;
}

/** The exporter's cursor: the last event exported. */
export const EXPORT_CURSOR = 'export';
const DIGEST_CURSOR = 'export-digests';

/** A digest file's content. */
interface DigestFile {
  digestId: number;
  digestTime: string;
  lastEventId: number;
  body: string;
  signature: string;
}

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
  readonly #store: TrailEvents & TrailCursors & TrailDigests;
  readonly #options: ExportOptions;
  /** The run in progress: runs take turns, so two never export the same events. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(store: TrailEvents & TrailCursors & TrailDigests, options: ExportOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Exports every event and digest not yet exported; returns the files written. */
  exportNew(): Promise<string[]> {
    const run = this.#tail.then(() => this.#exportNew());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #exportNew(): Promise<string[]> {
    const written: string[] = [];
    const max = this.#options.maxEventsPerFile ?? 5000;
    const onProgress = this.#options.onProgress;
    const total = onProgress !== undefined ? await this.#store.countEvents((await this.#store.readCursor(EXPORT_CURSOR)) ?? 0) : 0;
    let exported = 0;
    for (;;) {
      const after = (await this.#store.readCursor(EXPORT_CURSOR)) ?? 0;
      const rows = await this.#store.eventsAfter(after, max);
      if (rows.length === 0) break;
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
      await this.#store.writeCursor(EXPORT_CURSOR, rows[rows.length - 1]!.id);
      exported += rows.length;
      onProgress?.(exported, Math.max(total, exported));
    }
    // Digests after the events: a digest file never names an event whose file is not written.
    const afterDigest = (await this.#store.readCursor(DIGEST_CURSOR)) ?? 0;
    const digests = (await this.#store.readDigests()).filter((d) => d.id > afterDigest);
    for (const d of digests) written.push(this.#writeDigest(d));
    if (digests.length > 0) await this.#store.writeCursor(DIGEST_CURSOR, digests.at(-1)!.id);
    return written;
  }

  #writeDigest(d: DigestRecord): string {
    const { digestAccount: account, digestRegion: region } = this.#options;
    const [y, m, day] = d.time.slice(0, 10).split('-');
    const folder = join(this.#options.dir, 'AWSLogs', account, DIGEST_FOLDER, region, y!, m!, day!);
    mkdirSync(folder, { recursive: true });
    const stamp = d.time.slice(0, 19).replace(/[-:]/g, '');
    const file = join(folder, `${account}_CloudTrail-Digest_${region}_gatehouse_${region}_${stamp}Z_${d.id}.json.gz`);
    const content: DigestFile = { digestId: d.id, digestTime: d.time, lastEventId: d.lastEventId, body: d.body, signature: d.signature };
    writeFileSync(`${file}.tmp`, gzipSync(Buffer.from(JSON.stringify(content), 'utf8')), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return file;
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
      for (const [folder, region] of [...list(join(root, account, 'CloudTrail')).map((r) => ['CloudTrail', r] as const), ...list(join(root, account, DIGEST_FOLDER)).map((r) => [DIGEST_FOLDER, r] as const)]) {
        const base = join(root, account, folder, region);
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

const DIGEST_FOLDER = 'CloudTrail-Digest';

/** Every digest file under an export directory, oldest first; a file that cannot be read is an error. */
export function readExportedDigests(dir: string): DigestRecord[] {
  const found: DigestRecord[] = [];
  const root = join(dir, 'AWSLogs');
  for (const account of list(root)) {
    const base = join(root, account, DIGEST_FOLDER);
    for (const region of list(base)) {
      for (const y of list(join(base, region))) {
        for (const m of list(join(base, region, y))) {
          for (const d of list(join(base, region, y, m))) {
            const folder = join(base, region, y, m, d);
            for (const name of list(folder)) {
              if (!name.endsWith('.json.gz')) continue;
              let f: DigestFile;
              try {
                f = JSON.parse(gunzipSync(readFileSync(join(folder, name))).toString('utf8')) as DigestFile;
              } catch (e) {
                throw new Error(`the digest file ${join(folder, name)} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
              }
              found.push({ id: f.digestId, time: f.digestTime, lastEventId: f.lastEventId, body: String(f.body), signature: String(f.signature) });
            }
          }
        }
      }
    }
  }
  return found.sort((a, b) => a.id - b.id);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
