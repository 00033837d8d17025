// How large a policy may be, how its size is counted, and which characters it may contain.

import type { PolicyKind } from './types.ts';

/**
 * Default size quota per kind, in characters.
 * - identity / boundary: managed policy, 6,144 not counting white space (IAM quotas). An inline
 *   policy is limited by the *aggregate* of an entity's inline policies (user 2,048, group 5,120,
 *   role 10,240): the caller sums `policySize()` over them and passes what is left as `maxSize`.
 * - trust: role trust policy length, 2,048 by default (adjustable to 4,096 in AWS).
 * - session: "The plaintext that you use for both inline and managed session policies can't exceed
 *   2,048 characters" (STS API reference).
 * - scp / rcp: 5,120 (Organizations quotas), and "All characters in your SCP count against its
 *   maximum size", white space included.
 * - resource: depends on the service; 20,480 is Amazon S3's bucket policy limit (20 KB).
 */
export const DEFAULT_MAX_SIZE: Readonly<Record<PolicyKind, number>> = {
  identity: 6144,
  boundary: 6144,
  trust: 2048,
  session: 2048,
  scp: 5120,
  rcp: 5120,
  resource: 20480,
};

/** IAM does not count white space; STS and Organizations count every character. */
const COUNTS_WHITESPACE: Readonly<Record<PolicyKind, boolean>> = {
  identity: false,
  boundary: false,
  trust: false,
  resource: false,
  session: true,
  scp: true,
  rcp: true,
};

/** The size AWS compares with the quota for this kind of policy. */
export function policySize(text: string, kind: PolicyKind = 'identity'): number {
  if (COUNTS_WHITESPACE[kind]) return text.length;
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) size++;
  }
  return size;
}

/** Policy documents may contain only tab, LF, CR and U+0020–U+00FF (IAM name requirements). */
export function hasOnlyAllowedCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return false;
  }
  return true;
}

/**
 * A policy over its size quota. AWS does not call this malformed: IAM answers LimitExceeded (409),
 * e.g. "Cannot exceed quota for PolicySize: 6144" for a managed policy and "Maximum policy size of
 * 2048 bytes exceeded for user NAME" for inline policies, whose text needs the entity's name. The
 * domain knows the entity, so it may rethrow with its own text; `limit` and `size` say what to put in it.
 */
export class PolicySizeExceededError extends Error {
  readonly code = 'LimitExceeded';
  readonly status = 409;
  constructor(
    readonly kind: PolicyKind,
    readonly limit: number,
    readonly size: number,
  ) {
    super(`Cannot exceed quota for ${kind === 'trust' ? 'ACLSizePerRole' : 'PolicySize'}: ${limit}`);
    this.name = 'PolicySizeExceededError';
  }
}
