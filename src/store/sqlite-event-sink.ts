// Where the SQLite store's batched events (the trail's reads, failures, denials) are written: a
// worker thread with its own connection to the database. The request thread only writes each
// event as JSON; parsing it for its lookup keys, hashing it into the chain and the SQLite work
// happen on the other thread. Events of changes are not sent here: they commit with their change.
import { Worker } from 'node:worker_threads';
import type { EventSink } from './trail.ts';

export interface WriterRequest {
  id: number;
  jsons: string[];
  durable: boolean;
}

/** `candidates`: with a prefilter, the ids of the written events whose JSON it matches. */
export type WriterReply = { id: number; first: number; last: number; candidates?: number[] } | { id: number; error: { message: string; code?: string } };

/** What the thread is started with. */
export interface WriterData {
  file: string;
  /** The module and export of the store's event keys function (a thread cannot be sent a function). */
  eventKeys?: { module: string; name: string };
  /** The key of the hash chain's links (store/event-chain.ts). */
  chainKey?: Uint8Array;
  /** The alert engine's prefilter, tested on each event as it is written (audit/alerts/engine.ts). */
  prefilter?: { source: string; flags: string };
}

export interface SqliteEventSinkOptions {
  file: string;
  eventKeys?: { module: string; name: string };
  chainKey?: Uint8Array;
  prefilter?: RegExp;
  /** Called with each batch written and the ids in it that match the prefilter. */
  onScreened?: (first: number, last: number, candidates: readonly number[]) => void;
  /** Called with each batch written, after onScreened (the store announces it). */
  onWritten: (first: number, last: number) => void;
}

interface Waiting {
  resolve(): void;
  reject(e: Error): void;
}

export class SqliteEventSink implements EventSink {
  readonly #options: SqliteEventSinkOptions;
  readonly #waiting = new Map<number, Waiting>();
  #worker: Worker | undefined;
  #next = 0;

  constructor(options: SqliteEventSinkOptions) {
    this.#options = options;
  }

  appendEvents(jsons: string[], durable: boolean): Promise<void> {
    const request: WriterRequest = { id: ++this.#next, jsons, durable };
    const worker = this.#thread();
    return new Promise<void>((resolve, reject) => {
      this.#waiting.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** Stops the thread once nothing is waiting on it. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  #thread(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const { prefilter, file, eventKeys, chainKey } = this.#options;
    const workerData: WriterData = { file, eventKeys, chainKey, prefilter: prefilter && { source: prefilter.source, flags: prefilter.flags.replace(/[gy]/g, '') } };
    const worker = new Worker(new URL('./sqlite-event-worker.mjs', import.meta.url), { workerData, execArgv: [] });
    worker.on('message', (reply: WriterReply) => this.#settle(reply, worker));
    // A thread that dies fails what it had; the next batch starts a new one.
    const fail = (e: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the event writer thread stopped (exit code ${code})`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #settle(reply: WriterReply, worker: Worker): void {
    const waiting = this.#waiting.get(reply.id);
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) worker.unref();
    if (waiting === undefined) return;
    if ('error' in reply) {
      waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      return;
    }
    if (reply.last > 0) {
      if (reply.candidates !== undefined) this.#options.onScreened?.(reply.first, reply.last, reply.candidates);
      this.#options.onWritten(reply.first, reply.last);
    }
    waiting.resolve();
  }
}
