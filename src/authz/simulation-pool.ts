// Where policy simulations run: a few worker threads, off the request thread, each simulation
// within a time budget. A simulation's work grows with its actions, resources, policies and
// context values together (issue 13: one read-only call held every other request for 13 s); here
// it can only take a worker for its budget, and the request thread stays free for everyone else.
// Past the budget the caller gets a clear 400; with every worker busy and the queue full, Throttling.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { invalidInput, throttling } from '../model/errors.ts';
import type { ActionSimulation } from './simulate.ts';
import type { SimulationJob } from './simulation-job.ts';

export interface SimulationPoolOptions {
  /** Worker threads (default: the cores but one, 1 to 2). */
  threads?: number;
  /** How long one simulation may run, in milliseconds (default 2000). */
  budgetMs?: number;
  /** Simulations that may wait for a worker (default 16); more are answered Throttling. */
  maxQueued?: number;
}

export interface SimulationWorkerData {
  budgetMs: number;
}

export interface SimulationRequest {
  id: number;
  job: SimulationJob;
}

export type SimulationReply =
  | { id: number; results: ActionSimulation[] }
  | { id: number; overBudget: boolean; error: string }
  | { ready: true };

/** A worker that has not answered within its budget and this much more is stopped. */
const GRACE_MS = 1000;

interface Pending {
  id: number;
  job: SimulationJob;
  resolve(results: ActionSimulation[]): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running?: Pending;
  timer?: NodeJS.Timeout;
}

export class SimulationPool {
  readonly budgetMs: number;
  readonly #threads: number;
  readonly #maxQueued: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #next = 0;

  constructor(options: SimulationPoolOptions = {}) {
    this.budgetMs = options.budgetMs ?? 2000;
    this.#threads = options.threads ?? Math.max(1, Math.min(2, availableParallelism() - 1));
    this.#maxQueued = options.maxQueued ?? 16;
  }

  /** The job's results; rejects with InvalidInput past the budget, Throttling when too many wait. */
  run(job: SimulationJob): Promise<ActionSimulation[]> {
    if (this.#queue.length >= this.#maxQueued) return Promise.reject(throttling('Rate exceeded'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: ++this.#next, job, resolve, reject });
      this.#pump();
    });
  }

  /** Stops every worker; what was running or waiting fails. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    for (const p of this.#queue.splice(0)) p.reject(new Error('the simulation pool closed'));
    await Promise.all(slots.map((slot) => this.#stop(slot, new Error('the simulation pool closed'))));
  }

  #pump(): void {
    while (this.#slots.length < this.#threads && this.#slots.length < this.#queue.length + this.#busy()) this.#start();
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.running !== undefined) continue;
      const pending = this.#queue.shift()!;
      slot.running = pending;
      slot.worker.ref();
      slot.timer = setTimeout(() => void this.#overrun(slot), this.budgetMs + GRACE_MS);
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies SimulationRequest);
    }
  }

  #busy(): number {
    let n = 0;
    for (const slot of this.#slots) if (slot.running !== undefined) n++;
    return n;
  }

  #start(): void {
    const worker = new Worker(new URL('./simulation-worker.mjs', import.meta.url), {
      workerData: { budgetMs: this.budgetMs } satisfies SimulationWorkerData,
      execArgv: [],
    });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: SimulationReply) => this.#settle(slot, reply));
    // A worker that dies fails what it ran; the next simulation starts another.
    const died = (e: Error) => void this.#stop(slot, e);
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`a simulation worker stopped (exit code ${code})`)));
    worker.unref();
    this.#slots.push(slot);
  }

  #settle(slot: Slot, reply: SimulationReply): void {
    if ('ready' in reply) {
      slot.ready = true;
      this.#pump();
      return;
    }
    const pending = slot.running;
    if (pending === undefined || pending.id !== reply.id) return;
    clearTimeout(slot.timer);
    slot.running = undefined;
    slot.worker.unref();
    if ('results' in reply) pending.resolve(reply.results);
    else pending.reject(reply.overBudget ? this.#tooLarge() : new Error(reply.error));
    this.#pump();
  }

  /** The worker did not answer in time (one result took longer than the budget itself): replace it. */
  async #overrun(slot: Slot): Promise<void> {
    await this.#stop(slot, this.#tooLarge());
    this.#pump();
  }

  async #stop(slot: Slot, reason: Error): Promise<void> {
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
    clearTimeout(slot.timer);
    const pending = slot.running;
    slot.running = undefined;
    pending?.reject(reason);
    await slot.worker.terminate();
    if (this.#queue.length > 0) this.#pump();
  }

  #tooLarge(): Error {
    return invalidInput(
      `The simulation did not finish within ${this.budgetMs} ms. Simulate fewer actions, resources or policies at a time, or ask for fewer results with MaxItems.`,
    );
  }
}

