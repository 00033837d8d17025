// An in-memory store with the same contract as the SQLite one: for the policy-simulation CLI and
// for tests of the domain. Records are copied through JSON on the way in and out, so that data
// that would not survive the real store fails here too, and nothing is shared with the caller.
// Its audit trail is memory-trail.ts.

import { NameConflictError } from './errors.ts';
import { eventJson } from './event-log.ts';
import { MemoryTrail } from './memory-trail.ts';
import type { EventKeysFunction } from './trail.ts';
import { lastPutPerKey, type EntityRecord, type Store, type StoreBatch } from './types.ts';

export interface MemoryStoreOptions {
  now?: () => Date;
  /** Start with these records (copied). */
  initial?: EntityRecord[];
  /** The lookup keys of an event, for the trail's searches. */
  eventKeys?: EventKeysFunction;
  /** The key of the trail's hash chain (store/event-chain.ts). */
  chainKey?: Uint8Array;
}

export class MemoryStore extends MemoryTrail implements Store {
  readonly #entities = new Map<string, EntityRecord>();
  /** (accountId, kind, lower name) → entity key */
  readonly #names = new Map<string, string>();
  /** Test hook: when set, the next commit fails with this error and changes nothing. */
  failNextCommit: Error | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    super(options.now ?? (() => new Date()), options.eventKeys, options.chainKey);
    if (options.initial) this.#apply({ puts: options.initial, deletes: [] });
  }

  async loadAll(): Promise<EntityRecord[]> {
    this.check();
    return [...this.#entities.values()].map(copy);
  }

  async commit(batch: StoreBatch): Promise<void> {
    this.check();
    const failure = this.failNextCommit;
    if (failure) {
      this.failNextCommit = undefined;
      throw failure;
    }
    this.#apply(batch);
  }

  /** All or nothing: work on copies of the maps, swap them in at the end. */
  #apply(batch: StoreBatch): void {
    const entities = new Map(this.#entities);
    const names = new Map(this.#names);
    for (const d of batch.deletes) {
      const key = entityKey(d.kind, d.id);
      const old = entities.get(key);
      if (old === undefined) continue;
      entities.delete(key);
      if (old.name !== undefined) names.delete(nameKey(old));
    }
    // Free the names of everything replaced first, as the SQLite store does (a swap of names
    // within one batch is allowed).
    const puts = lastPutPerKey(batch.puts);
    for (const put of puts) {
      const old = entities.get(entityKey(put.kind, put.id));
      if (old?.name !== undefined && names.get(nameKey(old)) === entityKey(old.kind, old.id)) names.delete(nameKey(old));
    }
    for (const put of puts) {
      const record = copy(put);
      const key = entityKey(record.kind, record.id);
      if (record.name !== undefined) {
        const holder = names.get(nameKey(record));
        if (holder !== undefined && holder !== key) throw new NameConflictError(record.kind, record.accountId, record.name);
        names.set(nameKey(record), key);
      }
      entities.set(key, record);
    }
    const events = this.chainEvents((batch.events ?? []).map((event) => ({ json: eventJson(event), event })));
    this.#entities.clear();
    for (const [k, v] of entities) this.#entities.set(k, v);
    this.#names.clear();
    for (const [k, v] of names) this.#names.set(k, v);
    this.pushEvents(events);
  }
}

function entityKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

function nameKey(r: EntityRecord): string {
  return `${r.accountId}\u0000${r.kind}\u0000${(r.name ?? '').toLowerCase()}`;
}

function clone(value: unknown): unknown {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value must be JSON-serialisable');
  return JSON.parse(json);
}

function copy(r: EntityRecord): EntityRecord {
  const out: EntityRecord = { kind: r.kind, id: r.id, accountId: r.accountId, data: clone(r.data) };
  if (r.name !== undefined) out.name = r.name;
  return out;
}
