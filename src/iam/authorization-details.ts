// GetAccountAuthorizationDetails: a snapshot of the account's users, groups, roles and managed
// policies with their relationships, as one list that pages across the four kinds in that order.
// Customer managed policies are all listed; AWS managed ones only when something uses them
// (attached, or set as a permissions boundary), as AWS lists them.
import { policyUsageByArn, type EntityFilter, type PolicyUsage } from './attachments.ts';
import { listPolicies, type ManagedPolicyInfo } from './policies.ts';
import type { EntityOf, StateReader } from './state.ts';
import { nameOrderKey } from './paths.ts';

export type AuthorizationDetail =
  | { kind: 'user'; entity: EntityOf<'user'> }
  | { kind: 'group'; entity: EntityOf<'group'> }
  | { kind: 'role'; entity: EntityOf<'role'> }
  | { kind: 'policy'; policy: ManagedPolicyInfo; usage: PolicyUsage };

const ORDER = { user: '0', group: '1', role: '2', policy: '3' } as const;
const NO_USAGE: PolicyUsage = { attachmentCount: 0, boundaryUsageCount: 0 };

/** A key that grows along the list: the kind's place, then the order within the kind. */
export function detailKey(d: AuthorizationDetail): string {
  return `${ORDER[d.kind]}\u0000${d.kind === 'policy' ? d.policy.sortKey : nameOrderKey(d.entity)}`;
}

/** Everything the Filter asks for (all of it when the Filter is absent or empty), in list order. */
export function authorizationDetails(state: StateReader, accountId: string, filter?: readonly EntityFilter[]): AuthorizationDetail[] {
  const wants = (f: EntityFilter) => filter === undefined || filter.length === 0 || filter.includes(f);
  const out: AuthorizationDetail[] = [];
  if (wants('User')) for (const entity of state.list('user', accountId)) out.push({ kind: 'user', entity });
  if (wants('Group')) for (const entity of state.list('group', accountId)) out.push({ kind: 'group', entity });
  if (wants('Role')) for (const entity of state.list('role', accountId)) out.push({ kind: 'role', entity });
  const local = wants('LocalManagedPolicy');
  const aws = wants('AWSManagedPolicy');
  if (local || aws) {
    const usage = policyUsageByArn(state, accountId);
    const scope = local && aws ? 'All' : local ? 'Local' : 'AWS';
    for (const policy of listPolicies(state, accountId, { scope, usage })) {
      const u = usage.get(policy.arn) ?? NO_USAGE;
      if (policy.awsManaged && u.attachmentCount === 0 && u.boundaryUsageCount === 0) continue;
      out.push({ kind: 'policy', policy, usage: u });
    }
  }
  return out;
}
