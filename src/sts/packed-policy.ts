// STS packs session policies, managed policy ARNs and session tags into the session token in a
// compressed binary form with a size limit of its own, and reports how much of it a request
// used (PackedPolicySize, a percentage). Gatehouse's packing: deflate of the minified policy,
// the ARNs and the tags, against a fixed budget.
import { deflateRawSync } from 'node:zlib';
import type { Tag } from '../iam/entities.ts';
import { packedPolicyTooLarge } from '../model/errors.ts';

/** The packed budget in bytes (AWS does not publish its own). */
export const PACKED_POLICY_BUDGET = 1024;

export interface SessionExtras {
  policy?: string;
  policyArns?: readonly string[];
  tags?: readonly Tag[];
}

function packedBytes(text: string): number {
  return text === '' ? 0 : deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

function percentOf(bytes: number): number {
  return Math.ceil((bytes * 100) / PACKED_POLICY_BUDGET);
}

function minified(policy: string | undefined): string {
  if (policy === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(policy));
  } catch {
    return policy;
  }
}

/**
 * The PackedPolicySize percentage of a request's session policies and tags, or undefined when it
 * passes none. Throws PackedPolicyTooLarge, with AWS's two messages, past 100%.
 */
export function packedPolicySize(extras: SessionExtras): number | undefined {
  const tags = extras.tags ?? [];
  const arns = extras.policyArns ?? [];
  if (extras.policy === undefined && arns.length === 0 && tags.length === 0) return undefined;
  const tagText = tags.map((t) => `${t.Key}\u0000${t.Value}`).join('\u0001');
  const tagPercent = percentOf(packedBytes(tagText));
  if (tagPercent > 100) throw packedPolicyTooLarge(`Packed size of session tags consumes ${tagPercent}% of allotted space.`);
  const all = [minified(extras.policy), arns.join('\u0001'), tagText].join('\u0002');
  const percent = percentOf(packedBytes(all));
  if (percent > 100) throw packedPolicyTooLarge(`Packed policy consumes ${percent}% of allotted space, please use smaller policy.`);
  return percent;
}
