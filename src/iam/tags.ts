// Tags on IAM entities: AWS's limits (50 per entity, keys unique case-insensitively, the `aws:`
// prefix reserved), tagging and untagging any entity that carries tags, and the condition keys a
// tagging request sets (aws:RequestTag/*, aws:TagKeys).
import { invalidInput, limitExceeded } from '../model/errors.ts';
import type { ContextValue } from '../policy/index.ts';
import type { Tag } from './entities.ts';
import type { Draft, Entity } from './state.ts';

export const MAX_TAGS_PER_ENTITY = 50;

/** Checks tags given in one request: no duplicate keys, no reserved prefix. */
export function checkRequestTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { Key } of tags) {
    const lower = Key.toLowerCase();
    if (lower.startsWith('aws:')) throw invalidInput('User-defined tag keys cannot begin with the reserved prefix aws:.');
    if (seen.has(lower)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  }
  if (tags.length > MAX_TAGS_PER_ENTITY) throw limitExceeded(`Cannot exceed quota for TagsPerResource: ${MAX_TAGS_PER_ENTITY}.`);
}

/** The entity's tags after adding or replacing `added` (keys compare case-insensitively; the new spelling wins). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  checkRequestTags(added);
  const addedKeys = new Set(added.map((t) => t.Key.toLowerCase()));
  const merged = [...existing.filter((t) => !addedKeys.has(t.Key.toLowerCase())), ...added.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }))];
  if (merged.length > MAX_TAGS_PER_ENTITY) throw limitExceeded(`Cannot exceed quota for TagsPerResource: ${MAX_TAGS_PER_ENTITY}.`);
  return merged;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !removed.has(t.Key.toLowerCase()));
}

/** An entity that carries tags: users, roles, instance profiles, managed policies, MFA devices, … */
export type TaggedEntity = Entity<{ readonly tags: readonly Tag[] }>;

/** TagUser, TagRole, …: adds `tags` to the entity found in the transaction, replacing same-keyed ones. */
export function tagEntity(tx: Draft, entity: TaggedEntity, tags: readonly Tag[]): void {
  tx.put({ ...entity, data: { ...entity.data, tags: mergeTags(entity.data.tags, tags) } });
}

/** UntagUser, UntagRole, …: removes the tags with these keys (absent keys are no error). */
export function untagEntity(tx: Draft, entity: TaggedEntity, keys: readonly string[]): void {
  tx.put({ ...entity, data: { ...entity.data, tags: removeTags(entity.data.tags, keys) } });
}

/** aws:RequestTag/<key> for each tag and aws:TagKeys for the keys, as AWS sets them on tagging requests. */
export function requestTagContext(tags: readonly Tag[] | undefined, keys?: readonly string[]): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const t of tags ?? []) context[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  const tagKeys = keys ?? tags?.map((t) => t.Key);
  if (tagKeys && tagKeys.length > 0) context['aws:TagKeys'] = tagKeys;
  return context;
}

/** aws:ResourceTag/<key> and iam:ResourceTag/<key> for an existing entity's tags. */
export function resourceTagContext(tags: readonly Tag[] | undefined): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const t of tags ?? []) {
    context[`aws:ResourceTag/${t.Key}`] = t.Value;
    context[`iam:ResourceTag/${t.Key}`] = t.Value;
  }
  return context;
}
