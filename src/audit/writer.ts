// Events that are not part of a change (reads, failures, denials, sign-in failures) are written in
// batches: one store transaction (one fsync) per batch rather than per request, every
// `maxDelayMs` or as soon as `maxBatch` are waiting. A mutating call that changed nothing has its
// event written with `flush()` before it is answered. Batches go to the store's event sink as JSON
// text (the SQLite store's sink is a writer thread).
import type { EventSink } from '../store/trail.ts';

export interface EventWriterOptions {
  maxDelayMs?: number;
  maxBatch?: number;
  onError?: (error: unknown) => void;
}

export class EventWriter {
  readonly #store: EventSink;
  readonly #maxDelayMs: number;
  readonly #maxBatch: number;
  readonly #onError: (error: unknown) => void;
  #queue: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #tail: Promise<void> = Promise.resolve();

  constructor(store: EventSink, options: EventWriterOptions = {}) {
    this.#store = store;
    this.#maxDelayMs = options.maxDelayMs ?? 100;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#onError = options.onError ?? ((e) => process.emitWarning(e instanceof Error ? e : String(e), 'AuditWriteError'));
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Queues an event, given as its JSON text. */
  enqueue(json: string): void {
    this.#queue.push(json);
    if (this.#queue.length >= this.#maxBatch) {
      void this.flush().catch(() => undefined);
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush().catch(() => undefined), this.#maxDelayMs);
      this.#timer.unref();
    }
  }

  /**
   * Resolves once every event enqueued so far is committed; rejects when that commit failed.
   * `durable`: on disk (fsync) before it resolves, for an event an answer depends on.
   */
  flush(durable = false): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const run = this.#tail.then(() => this.#write(durable));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #write(durable: boolean): Promise<void> {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    try {
      await this.#store.appendEvents(batch, durable);
    } catch (e) {
      // Keep them for the next attempt, in order, ahead of what came since.
      this.#queue = batch.concat(this.#queue);
      if (this.#timer === undefined) {
        this.#timer = setTimeout(() => void this.flush().catch(() => undefined), Math.max(this.#maxDelayMs, 1000));
        this.#timer.unref();
      }
      this.#onError(e);
      throw e;
    }
  }
}
