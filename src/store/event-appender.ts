// A second connection to the store's database that only appends events: the audit trail's
// event writer thread (sqlite-event-sink.ts) writes the events of reads and failures through
// it, off the request thread. The schema is the store's; this connection never migrates it.
import BetterSqlite3 from 'better-sqlite3';
import type { EventKey } from './event-chain.ts';
import { EventLog, type EventEntry } from './event-log.ts';

export interface EventAppender {
  /**
   * Appends events given as JSON text, in one transaction. `durable: false` skips the fsync
   * (synchronous=NORMAL): such events survive a crash of the process and reach the disk with the
   * next durable commit or checkpoint.
   */
  append(jsons: readonly string[], durable: boolean): { first: number; last: number } | undefined;
  close(): void;
}

export function openEventAppender(file: string, options: { eventKeys?: (event: unknown) => Iterable<EventKey>; chainKey?: Uint8Array; busyTimeoutMs?: number } = {}): EventAppender {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  db.pragma('synchronous = NORMAL');
  const log = new EventLog(db, () => new Date(), options.eventKeys, options.chainKey);
  const write = db.transaction((entries: EventEntry[]) => log.append(entries));
  return {
    append(jsons, durable) {
      const entries = jsons.map((json) => ({ json, event: JSON.parse(json) as unknown }));
      if (!durable) return write.immediate(entries);
      db.pragma('synchronous = FULL');
      try {
        return write.immediate(entries);
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    },
    close() {
      db.close();
    },
  };
}
