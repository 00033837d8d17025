// Managed policies attached to users, groups and roles. Attachments are kept on the principal
// (`attachedPolicyArns`), so what a policy is attached to is derived by scanning the account's
// principals: AWS caps their number, and one pass serves a whole ListPolicies page.
import { parseArn, parseIamArn } from '../model/arn.ts';
import { limitExceeded, noSuchEntity, policyNotAttachable, validationError } from '../model/errors.ts';
import { requireAttachablePolicy, requireGroup, requireRole, requireUser } from './require.ts';
import { SERVICE_LINKED_ROLE_PATH, isServiceLinkedRole, protectedRoleError } from './role-protection.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';

export type PrincipalKind = 'user' | 'group' | 'role';
export type Principal = EntityOf<'user'> | EntityOf<'group'> | EntityOf<'role'>;

/** Managed policies per user, group and role (IAM quotas; the user and role ones are adjustable in AWS). */
export const MAX_ATTACHED_POLICIES: Readonly<Record<PrincipalKind, number>> = { user: 10, group: 10, role: 10 };
const QUOTA_NAME: Readonly<Record<PrincipalKind, string>> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };

export function requirePrincipal(state: StateReader, accountId: string, kind: PrincipalKind, name: string): Principal {
  switch (kind) {
    case 'user':
      return requireUser(state, accountId, name);
    case 'group':
      return requireGroup(state, accountId, name);
    case 'role':
      return requireRole(state, accountId, name);
  }
}

export interface PolicyUsage {
  /** Users, groups and roles the policy is attached to as a permissions policy. */
  attachmentCount: number;
  /** Users and roles that use the policy as their permissions boundary. */
  boundaryUsageCount: number;
}

const NO_USAGE: PolicyUsage = Object.freeze({ attachmentCount: 0, boundaryUsageCount: 0 });

/** How every managed policy is used in the account, by policy ARN, in one pass over its principals. */
export function policyUsageByArn(state: StateReader, accountId: string): ReadonlyMap<string, PolicyUsage> {
  const usage = new Map<string, PolicyUsage>();
  const entry = (arn: string) => {
    let u = usage.get(arn);
    if (u === undefined) usage.set(arn, (u = { attachmentCount: 0, boundaryUsageCount: 0 }));
    return u;
  };
  for (const kind of ['user', 'group', 'role'] as const) {
    for (const p of state.list(kind, accountId)) {
      for (const arn of p.data.attachedPolicyArns) entry(arn).attachmentCount++;
      const boundary = 'permissionsBoundaryArn' in p.data ? p.data.permissionsBoundaryArn : undefined;
      if (boundary !== undefined) entry(boundary).boundaryUsageCount++;
    }
  }
  return usage;
}

export function policyUsage(state: StateReader, accountId: string, arn: string): PolicyUsage {
  return policyUsageByArn(state, accountId).get(arn) ?? NO_USAGE;
}

/**
 * Attaches a managed policy (AWS managed or this account's). Attaching one already attached
 * changes nothing. Service role policies (/aws-service-role/) belong to service-linked roles only.
 */
export function attachPolicy(tx: Draft, accountId: string, kind: PrincipalKind, name: string, policyArn: string): void {
  // AWS parses the ARN before looking anything up (two spaces in its message).
  if (parseArn(policyArn) === undefined) throw validationError('Invalid ARN:  Could not be parsed!');
  const principal = requirePrincipal(tx, accountId, kind, name);
  if (kind === 'role' && isServiceLinkedRole((principal as EntityOf<'role'>).data)) throw protectedRoleError(principal.name ?? name);
  requireAttachablePolicy(tx, accountId, policyArn);
  if (parseIamArn(policyArn)?.path.startsWith(SERVICE_LINKED_ROLE_PATH)) {
    throw policyNotAttachable('Cannot attach a Service Role Policy to a Customer Role.');
  }
  const attached = principal.data.attachedPolicyArns;
  if (attached.includes(policyArn)) return;
  const max = MAX_ATTACHED_POLICIES[kind];
  if (attached.length >= max) throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[kind]}: ${max}`);
  tx.put({ ...principal, data: { ...principal.data, attachedPolicyArns: [...attached, policyArn] } });
}

export function detachPolicy(tx: Draft, accountId: string, kind: PrincipalKind, name: string, policyArn: string): void {
  const principal = requirePrincipal(tx, accountId, kind, name);
  if (kind === 'role' && isServiceLinkedRole((principal as EntityOf<'role'>).data)) throw protectedRoleError(principal.name ?? name);
  const attached = principal.data.attachedPolicyArns;
  if (!attached.includes(policyArn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
  tx.put({ ...principal, data: { ...principal.data, attachedPolicyArns: attached.filter((a) => a !== policyArn) } });
}

export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

/** The principal's managed policies in the order attached, filtered by the policies' path. */
export function attachedPolicies(
  state: StateReader,
  accountId: string,
  kind: PrincipalKind,
  name: string,
  pathPrefix = '/',
): AttachedPolicy[] {
  const principal = requirePrincipal(state, accountId, kind, name);
  const out: AttachedPolicy[] = [];
  for (const arn of principal.data.attachedPolicyArns) {
    const parsed = parseIamArn(arn);
    if (parsed === undefined || !parsed.path.startsWith(pathPrefix)) continue;
    out.push({ policyName: parsed.name, policyArn: arn });
  }
  return out;
}

export type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
export type PolicyUsageFilter = 'PermissionsPolicy' | 'PermissionsBoundary';

export interface PolicyEntity {
  kind: PrincipalKind;
  name: string;
  id: string;
}

/** The users, groups and roles that use a policy (groups first, then users, then roles; each by name). */
export function entitiesForPolicy(
  state: StateReader,
  accountId: string,
  policyArn: string,
  options: { entityFilter?: EntityFilter; pathPrefix?: string; usageFilter?: PolicyUsageFilter } = {},
): PolicyEntity[] {
  const { entityFilter, pathPrefix = '/', usageFilter } = options;
  const wanted: Record<PrincipalKind, boolean> = {
    group: entityFilter === undefined || entityFilter === 'Group',
    user: entityFilter === undefined || entityFilter === 'User',
    role: entityFilter === undefined || entityFilter === 'Role',
  };
  const out: PolicyEntity[] = [];
  for (const kind of ['group', 'user', 'role'] as const) {
    if (!wanted[kind]) continue;
    for (const p of state.list(kind, accountId)) {
      if (!p.data.path.startsWith(pathPrefix)) continue;
      const attached = usageFilter !== 'PermissionsBoundary' && p.data.attachedPolicyArns.includes(policyArn);
      const boundary =
        usageFilter !== 'PermissionsPolicy' && 'permissionsBoundaryArn' in p.data && p.data.permissionsBoundaryArn === policyArn;
      if (attached || boundary) out.push({ kind, name: p.name ?? '', id: p.id });
    }
  }
  return out;
}
