// Inline policies on the wire: Put/Get/Delete/List {User,Group,Role}Policy (ListUserPolicies …).
import type { PrincipalKind } from '../../iam/attachments.ts';
import { deleteInlinePolicy, getInlinePolicy, inlinePolicyNames, putInlinePolicy } from '../../iam/inline-policies.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type OperationDefinition, type Operations } from '../operation.ts';
import { PRINCIPAL_NAME_MEMBER, principalNameOf as nameOf, thePrincipal } from './targets.ts';

function put(kind: PrincipalKind): OperationDefinition {
  return changeOperation(thePrincipal(kind), (tx, input, call) =>
    putInlinePolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyName, input.PolicyDocument),
  );
}

function get(kind: PrincipalKind): OperationDefinition {
  return {
    target: thePrincipal(kind),
    run(input, call) {
      const entityName = nameOf(input, kind);
      const document = getInlinePolicy(call.state, call.accountId, kind, entityName, input.PolicyName);
      // The entity's name as stored (names match case-insensitively).
      const stored = call.state.byName(kind, call.accountId, entityName)?.name ?? entityName;
      return { [PRINCIPAL_NAME_MEMBER[kind]]: stored, PolicyName: input.PolicyName, PolicyDocument: document };
    },
  };
}

function remove(kind: PrincipalKind): OperationDefinition {
  return changeOperation(thePrincipal(kind), (tx, input, call) => deleteInlinePolicy(tx, call.accountId, kind, nameOf(input, kind), input.PolicyName));
}

function list(kind: PrincipalKind): OperationDefinition {
  return {
    target: thePrincipal(kind),
    run(input, call) {
      const names = inlinePolicyNames(call.state, call.accountId, kind, nameOf(input, kind));
      const { page, isTruncated, marker } = paginate(names, input.Marker, input.MaxItems);
      return { PolicyNames: page, IsTruncated: isTruncated, Marker: marker };
    },
  };
}

export const inlinePolicyOperations: Operations = {
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
