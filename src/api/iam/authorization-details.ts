// GetAccountAuthorizationDetails on the wire: UserDetailList, GroupDetailList, RoleDetailList and
// Policies, member names exactly AWS's so that tooling written against AWS reads the snapshot.
// Documents are returned as stored; the encoder URL-encodes them as IAM does.
import type { EntityFilter } from '../../iam/attachments.ts';
import { authorizationDetails, detailKey, type AuthorizationDetail } from '../../iam/authorization-details.ts';
import type { InlinePolicies } from '../../iam/entities.ts';
import { groupsOfUser } from '../../iam/groups.ts';
import type { ManagedPolicyInfo } from '../../iam/policies.ts';
import { instanceProfilesOfRole } from '../../iam/role-protection.ts';
import type { EntityOf, StateReader } from '../../iam/state.ts';
import { parseIamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { Operations } from '../operation.ts';
import { groupOutput, listedInstanceProfileOutput, policyOutput, roleOutput, userOutput, versionOutput } from './shapes.ts';
import { anyResource } from './targets.ts';

/** Inline policies by name, as ListUserPolicies orders them. */
function inlineOut(policies: InlinePolicies): Record<string, string>[] {
  return Object.keys(policies)
    .sort()
    .map((name) => ({ PolicyName: name, PolicyDocument: policies[name]! }));
}

function attachedOut(arns: readonly string[]): Record<string, string>[] {
  return arns.map((arn) => ({ PolicyName: parseIamArn(arn)?.name ?? arn, PolicyArn: arn }));
}

// Each detail is the entity's Get* shape (the encoder writes only the detail's own members) and
// its policies.

function userDetail(state: StateReader, user: EntityOf<'user'>): Record<string, unknown> {
  const d = user.data;
  return {
    ...userOutput(user, true),
    UserPolicyList: inlineOut(d.inlinePolicies),
    GroupList: groupsOfUser(state, user).map((g) => g.data.groupName),
    AttachedManagedPolicies: attachedOut(d.attachedPolicyArns),
  };
}

function groupDetail(group: EntityOf<'group'>): Record<string, unknown> {
  const d = group.data;
  return { ...groupOutput(group), GroupPolicyList: inlineOut(d.inlinePolicies), AttachedManagedPolicies: attachedOut(d.attachedPolicyArns) };
}

function roleDetail(state: StateReader, role: EntityOf<'role'>): Record<string, unknown> {
  const d = role.data;
  return {
    ...roleOutput(role),
    InstanceProfileList: instanceProfilesOfRole(state, role.accountId, role.id).map((p) => listedInstanceProfileOutput(p, state)),
    RolePolicyList: inlineOut(d.inlinePolicies),
    AttachedManagedPolicies: attachedOut(d.attachedPolicyArns),
  };
}

/** GetPolicy's shape (the encoder keeps only ManagedPolicyDetail's members) and every version with its document, newest first. */
function policyDetail(p: ManagedPolicyInfo, usage: { attachmentCount: number; boundaryUsageCount: number }): Record<string, unknown> {
  return {
    ...policyOutput(p, usage, 'full'),
    PolicyVersionList: [...p.versions].reverse().map((v) => versionOutput(v, p.defaultVersionId)),
  };
}

function detailsOut(state: StateReader, page: readonly AuthorizationDetail[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const d of page) {
    if (d.kind === 'user') out.UserDetailList!.push(userDetail(state, d.entity));
    else if (d.kind === 'group') out.GroupDetailList!.push(groupDetail(d.entity));
    else if (d.kind === 'role') out.RoleDetailList!.push(roleDetail(state, d.entity));
    else out.Policies!.push(policyDetail(d.policy, d.usage));
  }
  return out;
}

export const authorizationDetailsOperations: Operations = {
  GetAccountAuthorizationDetails: {
    target: anyResource,
    run(input, call) {
      const all = authorizationDetails(call.state, call.accountId, input.Filter as EntityFilter[] | undefined);
      const { page, isTruncated, marker } = paginate(all, input.Marker, input.MaxItems, { keyOf: detailKey });
      return { ...detailsOut(call.state, page), IsTruncated: isTruncated, Marker: marker };
    },
  },
};
