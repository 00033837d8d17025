// Session tags passed to AssumeRole and GetFederationToken: at most 50, keys unique
// case-insensitively, no `aws:` prefix; transitive keys must name passed tags; tags inherited as
// transitive from the calling session cannot be overridden (id_session-tags).
import type { Tag } from '../iam/entities.ts';
import { invalidParameterValue } from '../model/errors.ts';
import type { ContextValue } from '../policy/index.ts';

export interface SessionTagInput {
  tags: readonly Tag[];
  transitiveTagKeys: readonly string[];
}

/** Checks the request's tags; returns the session's tags and transitive keys, inherited ones included. */
export function sessionTags(request: SessionTagInput, inherited?: { tags: readonly Tag[]; transitiveTagKeys: readonly string[] }): { tags: Tag[]; transitiveTagKeys: string[] } {
  const seen = new Set<string>();
  for (const { Key } of request.tags) {
    const lower = Key.toLowerCase();
    if (lower.startsWith('aws:')) throw invalidParameterValue('Tag keys cannot begin with the reserved prefix aws:.');
    if (seen.has(lower)) throw invalidParameterValue('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  }
  for (const key of request.transitiveTagKeys) {
    if (!seen.has(key.toLowerCase())) throw invalidParameterValue('The specified transitive tag key must be included in the requested tags.');
  }
  const inheritedKeys = new Set((inherited?.transitiveTagKeys ?? []).map((k) => k.toLowerCase()));
  const carried = (inherited?.tags ?? []).filter((t) => inheritedKeys.has(t.Key.toLowerCase()));
  for (const t of carried) {
    if (seen.has(t.Key.toLowerCase())) {
      throw invalidParameterValue(
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      );
    }
  }
  const tags = [...carried, ...request.tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }))];
  if (tags.length > 50) throw invalidParameterValue('A session can have at most 50 session tags.');
  const transitive = [...carried.map((t) => t.Key), ...request.transitiveTagKeys];
  return { tags, transitiveTagKeys: transitive };
}

/** aws:RequestTag/*, aws:TagKeys and sts:TransitiveTagKeys for the request's own tags. */
export function sessionTagContext(request: SessionTagInput): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const t of request.tags) context[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  if (request.tags.length > 0) context['aws:TagKeys'] = request.tags.map((t) => t.Key);
  if (request.transitiveTagKeys.length > 0) context['sts:TransitiveTagKeys'] = [...request.transitiveTagKeys];
  return context;
}
