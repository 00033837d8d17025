// Entities that live under a path (users, groups, roles, instance profiles): the List* operations
// select them by path prefix and page them in name order; UpdateUser and UpdateGroup move and
// rename them.
import { iamArn } from '../model/arn.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { accountPartition } from './partition.ts';

export type PathKind = 'user' | 'group' | 'role' | 'instanceProfile';

/** The account's entities of a kind whose path starts with `pathPrefix` (all when absent), in list order. */
export function underPath<K extends PathKind>(state: StateReader, kind: K, accountId: string, pathPrefix?: string): readonly EntityOf<K>[] {
  const all = state.list(kind, accountId);
  if (pathPrefix === undefined || pathPrefix === '/') return all;
  return all.filter((e) => e.data.path.startsWith(pathPrefix));
}

/** Pagination key consistent with `StateReader.list` order (lower-cased name, then id). */
export function nameOrderKey(entity: { id: string; name?: string }): string {
  return `${(entity.name ?? '').toLowerCase()}\u0000${entity.id}`;
}

const NAME_FIELD = { user: 'userName', group: 'groupName' } as const;

/**
 * Renames and/or moves a user or group. The id stays, so what is kept by id (memberships,
 * attached and inline policies, credentials) follows it. The new name must be free.
 */
export function renameEntity<K extends 'user' | 'group'>(
  tx: Draft,
  entity: EntityOf<K>,
  change: { newName?: string; newPath?: string },
  alreadyExists: (name: string) => Error,
): EntityOf<K> {
  const kind = entity.kind as K;
  const { accountId } = entity;
  const current = entity.data as { path: string; userName?: string; groupName?: string };
  const name = change.newName ?? current[NAME_FIELD[kind]]!;
  const path = change.newPath ?? current.path;
  const holder = tx.byName(kind, accountId, name);
  if (holder !== undefined && holder.id !== entity.id) throw alreadyExists(name);
  const data = { ...entity.data, [NAME_FIELD[kind]]: name, path, arn: iamArn[kind](accountId, path, name, accountPartition(tx, accountId)) };
  const renamed = { kind, id: entity.id, accountId, name, data } as EntityOf<K> & { kind: K };
  tx.put(renamed);
  return renamed;
}
