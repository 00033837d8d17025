// Inline policies embedded in a user, group or role. AWS limits the *aggregate* size of an
// entity's inline policies, white space not counted: user 2,048, group 5,120, role 10,240.
import { limitExceeded, noSuchEntity } from '../model/errors.ts';
import { parsePolicy, policySize, PolicySizeExceededError } from '../policy/parse.ts';
import { requirePrincipal, type Principal, type PrincipalKind } from './attachments.ts';
import { isServiceLinkedRole, protectedRoleError } from './role-protection.ts';
import type { Draft, StateReader } from './state.ts';
import { accountPartition } from './partition.ts';

export const INLINE_POLICY_QUOTA: Readonly<Record<PrincipalKind, number>> = { user: 2048, group: 5120, role: 10240 };

function notFound(kind: PrincipalKind, policyName: string) {
  return noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
}

function requireChangeable(state: StateReader, accountId: string, kind: PrincipalKind, name: string): Principal {
  const principal = requirePrincipal(state, accountId, kind, name);
  if (kind === 'role' && 'roleName' in principal.data && isServiceLinkedRole(principal.data)) throw protectedRoleError(principal.data.roleName);
  return principal;
}

/** Adds or replaces an inline policy. The document must fit in what the other inline policies leave. */
export function putInlinePolicy(
  tx: Draft,
  accountId: string,
  kind: PrincipalKind,
  entityName: string,
  policyName: string,
  document: string,
): void {
  const principal = requireChangeable(tx, accountId, kind, entityName);
  const quota = INLINE_POLICY_QUOTA[kind];
  let othersSize = 0;
  for (const [name, text] of Object.entries(principal.data.inlinePolicies)) if (name !== policyName) othersSize += policySize(text);
  try {
    parsePolicy(document, 'identity', { maxSize: Math.max(0, quota - othersSize), partition: accountPartition(tx, accountId) });
  } catch (e) {
    if (e instanceof PolicySizeExceededError) {
      throw limitExceeded(`Maximum policy size of ${quota} bytes exceeded for ${kind} ${principal.name ?? entityName}`);
    }
    throw e;
  }
  tx.put({ ...principal, data: { ...principal.data, inlinePolicies: { ...principal.data.inlinePolicies, [policyName]: document } } });
}

export function getInlinePolicy(state: StateReader, accountId: string, kind: PrincipalKind, entityName: string, policyName: string): string {
  const principal = requirePrincipal(state, accountId, kind, entityName);
  const document = Object.hasOwn(principal.data.inlinePolicies, policyName) ? principal.data.inlinePolicies[policyName] : undefined;
  if (document === undefined) throw notFound(kind, policyName);
  return document;
}

export function deleteInlinePolicy(tx: Draft, accountId: string, kind: PrincipalKind, entityName: string, policyName: string): void {
  const principal = requireChangeable(tx, accountId, kind, entityName);
  if (!Object.hasOwn(principal.data.inlinePolicies, policyName)) throw notFound(kind, policyName);
  const { [policyName]: _removed, ...rest } = principal.data.inlinePolicies;
  tx.put({ ...principal, data: { ...principal.data, inlinePolicies: rest } });
}

/** The names of the entity's inline policies, sorted. */
export function inlinePolicyNames(state: StateReader, accountId: string, kind: PrincipalKind, entityName: string): string[] {
  const principal = requirePrincipal(state, accountId, kind, entityName);
  return Object.keys(principal.data.inlinePolicies).sort();
}
