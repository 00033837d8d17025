// Managed policies: this account's (customer managed, with up to five versions) and AWS's
// (read-only, from managed-policies.ts). Both are seen through one shape, `ManagedPolicyInfo`.
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../model/errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import { policyUsage } from './attachments.ts';
import type { PolicyVersion, Tag } from './entities.ts';
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedPolicyArn, type AwsManagedPolicy } from './managed-policies.ts';
import { customerPolicyByArn } from './policy-lookup.ts';
import { checkAccountQuota } from './quotas.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition, inAccountPartition } from './partition.ts';

export const MAX_POLICY_VERSIONS = 5;
/** Customer managed policies per account (IAM quotas, adjustable in AWS). */
export const MAX_CUSTOMER_POLICIES = 1500;

/** A managed policy as GetPolicy and ListPolicies describe it (usage counts apart). */
export interface ManagedPolicyInfo {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  description?: string;
  createDate: string;
  updateDate: string;
  tags: readonly Tag[];
  awsManaged: boolean;
  /** Oldest first. AWS managed policies show their default version only. */
  versions: readonly PolicyVersion[];
  /** Case-insensitive name, then ARN: the order ListPolicies answers in and its marker key. */
  sortKey: string;
}

function sortKeyOf(name: string, arn: string): string {
  return `${name.toLowerCase()}\u0000${arn}`;
}

function fromCustomer(p: EntityOf<'policy'>): ManagedPolicyInfo {
  const d = p.data;
  return {
    policyName: d.policyName,
    policyId: d.policyId,
    arn: d.arn,
    path: d.path,
    defaultVersionId: d.defaultVersionId,
    description: d.description,
    createDate: d.createDate,
    updateDate: d.updateDate,
    tags: d.tags,
    awsManaged: false,
    versions: d.versions,
    sortKey: sortKeyOf(d.policyName, d.arn),
  };
}

function fromAws(p: AwsManagedPolicy): ManagedPolicyInfo {
  return {
    policyName: p.policyName,
    policyId: p.policyId,
    arn: p.arn,
    path: p.path,
    defaultVersionId: p.defaultVersionId,
    description: p.description,
    createDate: p.createDate,
    updateDate: p.updateDate,
    tags: [],
    awsManaged: true,
    versions: [{ versionId: p.defaultVersionId, document: p.document, createDate: p.updateDate }],
    sortKey: sortKeyOf(p.policyName, p.arn),
  };
}

/** The AWS library of a partition as infos, sorted by `sortKey`; built once (the library never changes). */
const awsSorted = new Map<string, readonly ManagedPolicyInfo[]>();
function awsPoliciesSorted(partition: string): readonly ManagedPolicyInfo[] {
  let sorted = awsSorted.get(partition);
  if (sorted === undefined) awsSorted.set(partition, (sorted = Object.freeze([...awsManagedPolicies(partition).values()].map(fromAws).sort(byKey))));
  return sorted;
}

function byKey(a: ManagedPolicyInfo, b: ManagedPolicyInfo): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}

/** Any managed policy this account can see, by ARN, or AWS's NoSuchEntity. */
export function requireManagedPolicy(state: StateReader, accountId: string, arn: string): ManagedPolicyInfo {
  if (isAwsManagedPolicyArn(arn)) {
    const p = inAccountPartition(state, accountId, arn) ? awsManagedPolicy(arn) : undefined;
    if (p !== undefined) return fromAws(p);
  } else {
    const p = customerPolicyByArn(state, arn);
    if (p !== undefined && p.accountId === accountId) return fromCustomer(p);
  }
  throw noSuchEntity(`Policy ${arn} was not found.`);
}

/** This account's policy, for the operations that change one. */
export function requireOwnPolicy(state: StateReader, accountId: string, arn: string): EntityOf<'policy'> {
  const p = isAwsManagedPolicyArn(arn) ? undefined : customerPolicyByArn(state, arn);
  if (p === undefined || p.accountId !== accountId) throw noSuchEntity(`Policy ${arn} was not found.`);
  return p;
}

export function requirePolicyVersion(policy: ManagedPolicyInfo, versionId: string): PolicyVersion {
  const v = policy.versions.find((x) => x.versionId === versionId);
  if (v === undefined) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  return v;
}

export interface CreatePolicyInput {
  policyName: string;
  path?: string;
  document: string;
  description?: string;
  tags?: readonly Tag[];
}

export function createPolicy(
  tx: Draft,
  accountId: string,
  input: CreatePolicyInput,
  ids: { policyId: string; now: string },
): EntityOf<'policy'> {
  parsePolicy(input.document, 'identity', { managed: true, partition: accountPartition(tx, accountId) });
  const tags = input.tags ?? [];
  checkRequestTags(tags);
  if (tx.byName('policy', accountId, input.policyName) !== undefined) {
    throw entityAlreadyExists(`A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
  }
  checkAccountQuota(tx, 'policy', accountId, 'PoliciesPerAccount', MAX_CUSTOMER_POLICIES);
  const path = input.path ?? '/';
  const data = {
    policyName: input.policyName,
    policyId: ids.policyId,
    arn: iamArn.policy(accountId, path, input.policyName, accountPartition(tx, accountId)),
    path,
    ...(input.description !== undefined ? { description: input.description } : {}),
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: input.document, createDate: ids.now }],
    nextVersionNumber: 2,
    tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    createDate: ids.now,
    updateDate: ids.now,
  };
  const entity = { kind: 'policy' as const, id: ids.policyId, accountId, name: input.policyName, data };
  tx.put(entity);
  return entity;
}

/** Deletes a policy used by nothing and left with its default version only. */
export function deletePolicy(tx: Draft, accountId: string, arn: string): void {
  const policy = requireOwnPolicy(tx, accountId, arn);
  const usage = policyUsage(tx, accountId, arn);
  if (usage.attachmentCount > 0 || usage.boundaryUsageCount > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (policy.data.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  tx.delete('policy', policy.id);
}

export function createPolicyVersion(
  tx: Draft,
  accountId: string,
  arn: string,
  document: string,
  setAsDefault: boolean,
  now: string,
): PolicyVersion {
  const policy = requireOwnPolicy(tx, accountId, arn);
  parsePolicy(document, 'identity', { managed: true, partition: accountPartition(tx, accountId) });
  const d = policy.data;
  if (d.versions.length >= MAX_POLICY_VERSIONS) {
    throw limitExceeded(
      `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
  const version: PolicyVersion = { versionId: `v${d.nextVersionNumber}`, document, createDate: now };
  tx.put({
    ...policy,
    data: {
      ...d,
      versions: [...d.versions, version],
      nextVersionNumber: d.nextVersionNumber + 1,
      defaultVersionId: setAsDefault ? version.versionId : d.defaultVersionId,
      // "the date and time when the most recent policy version was created"
      updateDate: now,
    },
  });
  return version;
}

export function deletePolicyVersion(tx: Draft, accountId: string, arn: string, versionId: string): void {
  const policy = requireOwnPolicy(tx, accountId, arn);
  requirePolicyVersion(fromCustomer(policy), versionId);
  if (policy.data.defaultVersionId === versionId) throw deleteConflict('Cannot delete the default version of a policy.');
  tx.put({ ...policy, data: { ...policy.data, versions: policy.data.versions.filter((v) => v.versionId !== versionId) } });
}

export function setDefaultPolicyVersion(tx: Draft, accountId: string, arn: string, versionId: string): void {
  const policy = requireOwnPolicy(tx, accountId, arn);
  requirePolicyVersion(fromCustomer(policy), versionId);
  if (policy.data.defaultVersionId === versionId) return;
  tx.put({ ...policy, data: { ...policy.data, defaultVersionId: versionId } });
}

export type PolicyScope = 'All' | 'AWS' | 'Local';

/**
 * The policies ListPolicies answers with, in `sortKey` order, before paging. AWS managed ones come
 * from a list sorted once; this account's are merged in by key.
 */
export function listPolicies(
  state: StateReader,
  accountId: string,
  options: {
    scope?: PolicyScope;
    pathPrefix?: string;
    onlyAttached?: boolean;
    usageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
    usage: ReadonlyMap<string, { attachmentCount: number; boundaryUsageCount: number }>;
  },
): ManagedPolicyInfo[] {
  const { scope = 'All', pathPrefix = '/', onlyAttached = false, usageFilter, usage } = options;
  const keep = (p: ManagedPolicyInfo): boolean => {
    if (!p.path.startsWith(pathPrefix)) return false;
    const u = usage.get(p.arn);
    // OnlyAttached: "only the policies that are attached to an IAM user, group, or role".
    if (onlyAttached && (u === undefined || u.attachmentCount === 0)) return false;
    // PolicyUsageFilter keeps the policies used that way (AWS: "only those policies ... set as").
    if (usageFilter === 'PermissionsPolicy' && (u === undefined || u.attachmentCount === 0)) return false;
    if (usageFilter === 'PermissionsBoundary' && (u === undefined || u.boundaryUsageCount === 0)) return false;
    return true;
  };
  const aws = scope === 'Local' ? [] : awsPoliciesSorted(accountPartition(state, accountId));
  const local = scope === 'AWS' ? [] : state.list('policy', accountId).map(fromCustomer).sort(byKey);
  const out: ManagedPolicyInfo[] = [];
  let i = 0;
  let j = 0;
  while (i < aws.length || j < local.length) {
    const next = j >= local.length || (i < aws.length && aws[i]!.sortKey < local[j]!.sortKey) ? aws[i++]! : local[j++]!;
    if (keep(next)) out.push(next);
  }
  return out;
}
