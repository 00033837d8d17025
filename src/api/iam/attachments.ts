// Managed policy attachments on the wire: Attach/Detach{User,Group,Role}Policy and
// ListAttached{User,Group,Role}Policies. AWS authorizes them on the principal, with iam:PolicyARN
// and, for users and roles, iam:PermissionsBoundary (the boundary the principal has now).
import { attachPolicy, attachedPolicies, detachPolicy, type PrincipalKind } from '../../iam/attachments.ts';
import type { Draft } from '../../iam/state.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type OperationDefinition, type Operations } from '../operation.ts';
import { principalNameOf as nameOf, principalTarget, thePrincipal } from './targets.ts';

type AttachmentChange = (tx: Draft, accountId: string, kind: PrincipalKind, name: string, policyArn: string) => void;

/** Attach* and Detach*. */
function attachment(kind: PrincipalKind, changeAttachment: AttachmentChange): OperationDefinition {
  return changeOperation(
    (input, call) => principalTarget(call, kind, nameOf(input, kind), { 'iam:PolicyARN': input.PolicyArn }),
    (tx, input, call) => changeAttachment(tx, call.accountId, kind, nameOf(input, kind), input.PolicyArn),
  );
}

function listAttached(kind: PrincipalKind): OperationDefinition {
  return {
    target: thePrincipal(kind),
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

export const attachmentOperations: Operations = {
  AttachUserPolicy: attachment('user', attachPolicy),
  AttachGroupPolicy: attachment('group', attachPolicy),
  AttachRolePolicy: attachment('role', attachPolicy),
  DetachUserPolicy: attachment('user', detachPolicy),
  DetachGroupPolicy: attachment('group', detachPolicy),
  DetachRolePolicy: attachment('role', detachPolicy),
  ListAttachedUserPolicies: listAttached('user'),
  ListAttachedGroupPolicies: listAttached('group'),
  ListAttachedRolePolicies: listAttached('role'),
};
