// Managed policy attachments on the wire: Attach/Detach{User,Group,Role}Policy and
// ListAttached{User,Group,Role}Policies. AWS authorizes them on the principal, with iam:PolicyARN
// and, for users and roles, iam:PermissionsBoundary (the boundary the principal has now).
import { attachPolicy, attachedPolicies, detachPolicy, type PrincipalKind } from '../../iam/attachments.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationHandler, OperationTable } from '../operation.ts';
import { groupTarget } from './groups.ts';
import { roleTarget } from './roles.ts';
import { userTarget } from './users.ts';

const NAME_MEMBER: Readonly<Record<PrincipalKind, string>> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

/** The principal's ARN and tags, plus the keys an operation on its permissions sets. */
export function principalTarget(call: CallContext, kind: PrincipalKind, name: string, extra: AuthorizationTarget['context'] = {}): AuthorizationTarget {
  switch (kind) {
    case 'group': {
      const t = groupTarget(call, name);
      return { resource: t.resource, context: { ...t.context, ...extra } };
    }
    case 'user': {
      const t = userTarget(call, name);
      const boundary = call.state.byName('user', call.accountId, name)?.data.permissionsBoundaryArn;
      return { resource: t.resource, context: { ...t.context, 'iam:PermissionsBoundary': boundary, ...extra } };
    }
    case 'role': {
      const boundary = call.state.byName('role', call.accountId, name)?.data.permissionsBoundaryArn;
      return roleTarget(call, name, { 'iam:PermissionsBoundary': boundary, ...extra });
    }
  }
}

function nameOf(input: Input, kind: PrincipalKind): string {
  return input[NAME_MEMBER[kind]] as string;
}

function attach(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind), { 'iam:PolicyARN': input.PolicyArn }),
    async run(input, call) {
      await call.transact((tx) => attachPolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyArn));
      return {};
    },
  };
}

function detach(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind), { 'iam:PolicyARN': input.PolicyArn }),
    async run(input, call) {
      await call.transact((tx) => detachPolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyArn));
      return {};
    },
  };
}

function listAttached(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind)),
    run(input, call) {
      const policies = attachedPolicies(call.state, call.accountId, kind, nameOf(input, kind), input.PathPrefix);
      const { page, isTruncated, marker } = paginate(policies, input.Marker, input.MaxItems);
      return {
        AttachedPolicies: page.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  };
}

export const attachmentOperations: OperationTable = {
  AttachUserPolicy: attach('user'),
  AttachGroupPolicy: attach('group'),
  AttachRolePolicy: attach('role'),
  DetachUserPolicy: detach('user'),
  DetachGroupPolicy: detach('group'),
  DetachRolePolicy: detach('role'),
  ListAttachedUserPolicies: listAttached('user'),
  ListAttachedGroupPolicies: listAttached('group'),
  ListAttachedRolePolicies: listAttached('role'),
};
