// Inline policies on the wire: Put/Get/Delete/List {User,Group,Role}Policy (ListUserPolicies …).
import type { PrincipalKind } from '../../iam/attachments.ts';
import { deleteInlinePolicy, getInlinePolicy, inlinePolicyNames, putInlinePolicy } from '../../iam/inline-policies.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { Input, OperationHandler, OperationTable } from '../operation.ts';
import { principalTarget } from './attachments.ts';

const NAME_MEMBER: Readonly<Record<PrincipalKind, 'UserName' | 'GroupName' | 'RoleName'>> = {
  user: 'UserName',
  group: 'GroupName',
  role: 'RoleName',
};

function nameOf(input: Input, kind: PrincipalKind): string {
  return input[NAME_MEMBER[kind]] as string;
}

function put(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind)),
    async run(input, call) {
      await call.transact((tx) => putInlinePolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyName, input.PolicyDocument));
      return {};
    },
  };
}

function get(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind)),
    run(input, call) {
      const entityName = nameOf(input, kind);
      const document = getInlinePolicy(call.state, call.accountId, kind, entityName, input.PolicyName);
      // The entity's name as stored (names match case-insensitively).
      const stored = call.state.byName(kind, call.accountId, entityName)?.name ?? entityName;
      return { [NAME_MEMBER[kind]]: stored, PolicyName: input.PolicyName, PolicyDocument: document };
    },
  };
}

function remove(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind)),
    async run(input, call) {
      await call.transact((tx) => deleteInlinePolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyName));
      return {};
    },
  };
}

function list(kind: PrincipalKind): OperationHandler {
  return {
    target: (input, call) => principalTarget(call, kind, nameOf(input, kind)),
    run(input, call) {
      const names = inlinePolicyNames(call.state, call.accountId, kind, nameOf(input, kind));
      const { page, isTruncated, marker } = paginate(names, input.Marker, input.MaxItems);
      return { PolicyNames: page, IsTruncated: isTruncated, Marker: marker };
    },
  };
}

export const inlinePolicyOperations: OperationTable = {
  PutUserPolicy: put('user'),
  PutGroupPolicy: put('group'),
  PutRolePolicy: put('role'),
  GetUserPolicy: get('user'),
  GetGroupPolicy: get('group'),
  GetRolePolicy: get('role'),
  DeleteUserPolicy: remove('user'),
  DeleteGroupPolicy: remove('group'),
  DeleteRolePolicy: remove('role'),
  ListUserPolicies: list('user'),
  ListGroupPolicies: list('group'),
  ListRolePolicies: list('role'),
};
