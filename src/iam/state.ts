// The in-memory view of every IAM entity (DESIGN rules 1 and 2). Built once from the store;
// reads are synchronous map lookups and never touch the database. Writes go through
// `transact`: the function runs synchronously against a draft that sees its own pending changes,
// the batch is committed to the store, and only once the commit has succeeded is it applied here,
// the generation bumped and listeners told. Transactions run one at a time, so two conflicting
// writes (two CreateUser with one name) end with exactly one winner: the second sees the first.
//
// Entities are immutable: they are deep-frozen when they enter the state. Domain code builds a
// new object to change one (`tx.put({ ...user, data: { ...user.data, tags } })`).

import { NameConflictError } from '../store/errors.ts';
import type { EntityKey, EntityRecord, Store } from '../store/types.ts';
import type { DataOf } from './entities.ts';

export interface Entity<D = unknown> {
  readonly kind: string;
  readonly id: string;
  readonly accountId: string;
  readonly name?: string;
  readonly data: D;
}

export type EntityOf<K extends string> = Entity<DataOf<K>>;

/** What a put accepts: the data is checked against the kind when the kind is a known one. */
export interface EntityInput<K extends string> {
  kind: K;
  id: string;
  accountId: string;
  name?: string;
  data: DataOf<K>;
}

export interface StateReader {
  get<K extends string>(kind: K, id: string): EntityOf<K> | undefined;
  /** Case-insensitive, as AWS compares names. */
  byName<K extends string>(kind: K, accountId: string, name: string): EntityOf<K> | undefined;
  /** The account's entities of a kind, in name order (id order for unnamed kinds). */
  list<K extends string>(kind: K, accountId: string): readonly EntityOf<K>[];
  accessKey(accessKeyId: string): EntityOf<'accessKey'> | undefined;
}

export interface Draft extends StateReader {
  /** Adds or replaces (by kind and id). Throws NameConflictError when the name is taken. */
  put<K extends string>(entity: EntityInput<K>): void;
  delete(kind: string, id: string): void;
  /** An audit event written in the same store transaction. */
  event(event: unknown): void;
}

export interface StateChange {
  generation: number;
  changed: readonly EntityKey[];
}

export type ChangeListener = (change: StateChange) => void;

export interface IamStateOptions {
  /** Where errors thrown by change listeners go (they cannot undo a committed change). */
  onListenerError?: (error: unknown) => void;
}

/**
 * The contract between transactions and the audit trail (DESIGN rule 2: a change and its event
 * are one commit), in one place. A transaction may be made for a request: its owner, the
 * request's audit scope (audit/scope.ts). Once the transaction function has returned, the owner
 * is asked for the event to commit with the change:
 * - the function's return value is the operation's output, and the event's responseElements
 *   are made from it: a handler returns from its transaction what it answers;
 * - an owner answers an event only while its operation runs and no other commit holds it, so a
 *   request's event is committed at most once, with the first change it makes;
 * - the commit settles it: durable (the request is answered without writing it again), or failed
 *   (the event may go with a later commit, or is written when the request ends).
 * A transaction without an owner (bootstrap, last-used data) carries no event of a request.
 */
export interface TransactionOwner {
  eventFor(result: unknown): CommitEvent | undefined;
}

/** An event to commit with a transaction's change, and how it ended. */
export interface CommitEvent {
  event: unknown;
  /** Called once: true when the commit succeeded (the event is durable), false when it failed. */
  settle(committed: boolean): void;
}

interface Bucket {
  byId: Map<string, Entity>;
  sorted: readonly Entity[] | undefined;
}

const EMPTY: readonly Entity[] = Object.freeze([]);

export class IamState implements StateReader {
  readonly #store: Store;
  /** kind → id → entity */
  readonly #byKind = new Map<string, Map<string, Entity>>();
  /** kind → "accountId\0lower name" → entity */
  readonly #byName = new Map<string, Map<string, Entity>>();
  /** kind → accountId → bucket */
  readonly #byAccount = new Map<string, Map<string, Bucket>>();
  readonly #listeners = new Set<ChangeListener>();
  readonly #onListenerError: (error: unknown) => void;
  #generation = 0;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(store: Store, options: IamStateOptions) {
    this.#store = store;
    this.#onListenerError =
      options.onListenerError ?? ((e) => process.emitWarning(e instanceof Error ? e : String(e), 'IamStateListenerError'));
  }

  static async load(store: Store, options: IamStateOptions = {}): Promise<IamState> {
    const state = new IamState(store, options);
    state.#apply(await store.loadAll(), []);
    return state;
  }

  /** Bumped by every applied change; caches keyed on it are stale when it moves. */
  get generation(): number {
    return this.#generation;
  }

  get<K extends string>(kind: K, id: string): EntityOf<K> | undefined {
    return this.#byKind.get(kind)?.get(id) as EntityOf<K> | undefined;
  }

  byName<K extends string>(kind: K, accountId: string, name: string): EntityOf<K> | undefined {
    return this.#byName.get(kind)?.get(nameKey(accountId, name)) as EntityOf<K> | undefined;
  }

  list<K extends string>(kind: K, accountId: string): readonly EntityOf<K>[] {
    const bucket = this.#byAccount.get(kind)?.get(accountId);
    if (bucket === undefined) return EMPTY as readonly EntityOf<K>[];
    bucket.sorted ??= Object.freeze([...bucket.byId.values()].sort(compareEntities));
    return bucket.sorted as readonly EntityOf<K>[];
  }

  accessKey(accessKeyId: string): EntityOf<'accessKey'> | undefined {
    return this.get('accessKey', accessKeyId);
  }

  /**
   * Every entity of a kind in all accounts, ordered by account, then as `list` orders them
   * (stable across restarts). Builds a new array: not for the request path.
   */
  listAll<K extends string>(kind: K): readonly EntityOf<K>[] {
    const m = this.#byKind.get(kind);
    if (m === undefined) return EMPTY as readonly EntityOf<K>[];
    return [...m.values()].sort(
      (a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : compareEntities(a, b)),
    ) as EntityOf<K>[];
  }

  /** The kinds that have at least one entity. */
  kinds(): string[] {
    return [...this.#byKind].filter(([, m]) => m.size > 0).map(([kind]) => kind);
  }

  /** Calls `listener` after every applied change. Returns a function that unsubscribes. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `fn` against a draft of the state and commits what it did as one store transaction.
   * A throw in `fn` or a failed commit changes nothing and rejects with that error. `fn` must be
   * synchronous: it may not await between reading and writing. `owner`: the request the
   * transaction is made for, whose event commits with it (TransactionOwner).
   */
  transact<T>(fn: (tx: Draft) => T, owner?: TransactionOwner): Promise<T> {
    const run = this.#tail.then(() => this.#transact(fn, owner));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every transaction begun so far has finished (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.#tail;
  }

  /**
   * Applies a change another node committed (e.g. learnt through PostgreSQL LISTEN/NOTIFY),
   * in turn with local transactions.
   */
  applyRemote(change: { puts: EntityRecord[]; deletes: EntityKey[] }): Promise<void> {
    const run = this.#tail.then(() => this.#commitApplied(change.puts, change.deletes));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #transact<T>(fn: (tx: Draft) => T, owner: TransactionOwner | undefined): Promise<T> {
    const draft = new TxDraft(this);
    const result = fn(draft);
    if (isThenable(result)) {
      throw new TypeError('a transaction function must be synchronous (it returned a promise)');
    }
    draft.close();
    const { puts, deletes, events } = draft.batch();
    // The request's own event goes in with its change (and makes a change-less call durable too).
    const own = owner?.eventFor(result);
    if (own !== undefined) events.push(own.event);
    if (puts.length === 0 && deletes.length === 0 && events.length === 0) return result;
    try {
      await this.#store.commit(events.length > 0 ? { puts, deletes, events } : { puts, deletes });
    } catch (e) {
      own?.settle(false);
      throw e;
    }
    own?.settle(true);
    this.#commitApplied(puts, deletes);
    return result;
  }

  #commitApplied(puts: readonly EntityRecord[], deletes: readonly EntityKey[]): void {
    if (puts.length === 0 && deletes.length === 0) return;
    this.#apply(puts, deletes);
    this.#generation++;
    const change: StateChange = {
      generation: this.#generation,
      changed: Object.freeze([...deletes, ...puts].map((e) => Object.freeze({ kind: e.kind, id: e.id }))),
    };
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (e) {
        this.#onListenerError(e);
      }
    }
  }

  /** Deletes first, then puts, as the store does. */
  #apply(puts: readonly EntityRecord[], deletes: readonly EntityKey[]): void {
    for (const d of deletes) this.#remove(d.kind, d.id);
    for (const p of puts) {
      this.#remove(p.kind, p.id);
      this.#insert(deepFreeze(p) as Entity);
    }
  }

  #remove(kind: string, id: string): void {
    const byId = this.#byKind.get(kind);
    const old = byId?.get(id);
    if (old === undefined) return;
    byId!.delete(id);
    if (old.name !== undefined) this.#byName.get(kind)?.delete(nameKey(old.accountId, old.name));
    const bucket = this.#byAccount.get(kind)?.get(old.accountId);
    if (bucket !== undefined) {
      bucket.byId.delete(id);
      bucket.sorted = undefined;
      if (bucket.byId.size === 0) this.#byAccount.get(kind)!.delete(old.accountId);
    }
  }

  #insert(e: Entity): void {
    getOrCreate(this.#byKind, e.kind, () => new Map()).set(e.id, e);
    if (e.name !== undefined) getOrCreate(this.#byName, e.kind, () => new Map()).set(nameKey(e.accountId, e.name), e);
    const accounts = getOrCreate(this.#byAccount, e.kind, () => new Map<string, Bucket>());
    const bucket = getOrCreate(accounts, e.accountId, () => ({ byId: new Map(), sorted: undefined }));
    bucket.byId.set(e.id, e);
    bucket.sorted = undefined;
  }
}

interface Pending {
  kind: string;
  id: string;
  entity: Entity | null;
}

/** The view a transaction function works on: the state plus its own pending changes. */
class TxDraft implements Draft {
  readonly #base: IamState;
  /** "kind\0id" → pending entity (null: deleted) */
  readonly #pending = new Map<string, Pending>();
  /** "kind\0accountId\0lower name" → the entity last put under that name */
  readonly #pendingNames = new Map<string, Entity>();
  readonly #events: unknown[] = [];
  #closed = false;

  constructor(base: IamState) {
    this.#base = base;
  }

  get<K extends string>(kind: K, id: string): EntityOf<K> | undefined {
    const p = this.#pending.get(entityKey(kind, id));
    if (p !== undefined) return (p.entity ?? undefined) as EntityOf<K> | undefined;
    return this.#base.get(kind, id);
  }

  byName<K extends string>(kind: K, accountId: string, name: string): EntityOf<K> | undefined {
    const nk = nameKey(accountId, name);
    const mine = this.#pendingNames.get(`${kind}\u0000${nk}`);
    // Still current only if it was not replaced or deleted later in this transaction.
    if (mine !== undefined && this.#pending.get(entityKey(kind, mine.id))?.entity === mine) return mine as EntityOf<K>;
    const base = this.#base.byName(kind, accountId, name);
    if (base !== undefined && !this.#pending.has(entityKey(kind, base.id))) return base;
    return undefined;
  }

  list<K extends string>(kind: K, accountId: string): readonly EntityOf<K>[] {
    const base = this.#base.list(kind, accountId);
    let touched = false;
    for (const p of this.#pending.values()) if (p.kind === kind) touched = true;
    if (!touched) return base;
    const byId = new Map<string, Entity>(base.map((e) => [e.id, e]));
    for (const p of this.#pending.values()) {
      if (p.kind !== kind) continue;
      byId.delete(p.id);
      if (p.entity !== null && p.entity.accountId === accountId) byId.set(p.id, p.entity);
    }
    return [...byId.values()].sort(compareEntities) as EntityOf<K>[];
  }

  accessKey(accessKeyId: string): EntityOf<'accessKey'> | undefined {
    return this.get('accessKey', accessKeyId);
  }

  put<K extends string>(input: EntityInput<K>): void {
    this.#check();
    checkShape(input);
    if (input.name !== undefined) {
      const holder = this.byName(input.kind, input.accountId, input.name);
      if (holder !== undefined && holder.id !== input.id) throw new NameConflictError(input.kind, input.accountId, input.name);
    }
    const entity = deepFreeze(input) as Entity;
    this.#pending.set(entityKey(entity.kind, entity.id), { kind: entity.kind, id: entity.id, entity });
    if (entity.name !== undefined) this.#pendingNames.set(`${entity.kind}\u0000${nameKey(entity.accountId, entity.name)}`, entity);
  }

  delete(kind: string, id: string): void {
    this.#check();
    if (this.get(kind, id) === undefined) return;
    this.#pending.set(entityKey(kind, id), { kind, id, entity: null });
  }

  event(event: unknown): void {
    this.#check();
    this.#events.push(event);
  }

  /** Ends the draft: a function that kept a reference cannot write after its transaction. */
  close(): void {
    this.#closed = true;
  }

  batch(): { puts: EntityRecord[]; deletes: EntityKey[]; events: unknown[] } {
    const puts: EntityRecord[] = [];
    const deletes: EntityKey[] = [];
    for (const p of this.#pending.values()) {
      if (p.entity === null) deletes.push({ kind: p.kind, id: p.id });
      else puts.push(p.entity as EntityRecord);
    }
    return { puts, deletes, events: this.#events };
  }

  #check(): void {
    if (this.#closed) throw new Error('this transaction has ended');
  }
}

function checkShape(e: { kind: unknown; id: unknown; accountId: unknown; name?: unknown }): void {
  if (typeof e.kind !== 'string' || e.kind === '') throw new TypeError('an entity needs a kind');
  if (typeof e.id !== 'string' || e.id === '') throw new TypeError(`${e.kind}: an entity needs an id`);
  if (typeof e.accountId !== 'string' || e.accountId === '') throw new TypeError(`${e.kind} ${e.id}: an entity needs an accountId`);
  if (e.name !== undefined && (typeof e.name !== 'string' || e.name === '')) {
    throw new TypeError(`${e.kind} ${e.id}: a name must be a non-empty string`);
  }
}

function entityKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

function nameKey(accountId: string, name: string): string {
  return `${accountId}\u0000${name.toLowerCase()}`;
}

function compareEntities(a: Entity, b: Entity): number {
  if (a.name !== undefined && b.name !== undefined) {
    const la = a.name.toLowerCase();
    const lb = b.name.toLowerCase();
    if (la !== lb) return la < lb ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
