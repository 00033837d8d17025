// Authorizations operations make inside `run`, beyond the pipeline's check of `target`: a rename
// (UpdateUser, UpdateGroup, UpdateServerCertificate) is authorized on the new name and path too, and
// the account's password policy may grant ChangePassword and GetAccountPasswordPolicy to every IAM
// user.
import { requestContext } from '../../authz/context.ts';
import { passwordPolicyOf } from '../../iam/password-policy.ts';
import type { Draft } from '../../iam/state.ts';
import { iamArn } from '../../model/arn.ts';
import { accessDenied } from '../../model/errors.ts';
import { denialMessage } from '../../policy/index.ts';
import type { CallContext, Input, OperationDefinition } from '../operation.ts';
import { theGroup, theServerCertificate, theUser } from './targets.ts';

const RENAMED = {
  user: { target: theUser, member: 'UserName', newMember: 'NewUserName', action: 'iam:UpdateUser', arn: iamArn.user },
  group: { target: theGroup, member: 'GroupName', newMember: 'NewGroupName', action: 'iam:UpdateGroup', arn: iamArn.group },
  serverCertificate: {
    target: theServerCertificate,
    member: 'ServerCertificateName',
    newMember: 'NewServerCertificateName',
    action: 'iam:UpdateServerCertificate',
    arn: iamArn.serverCertificate,
  },
} as const;

type RenamedKind = keyof typeof RENAMED;

/** UpdateUser, UpdateGroup, UpdateServerCertificate: `rename` makes the change the input asks for, in one transaction. */
export function renameOperation(kind: RenamedKind, rename: (tx: Draft, input: Input, call: CallContext) => unknown): OperationDefinition {
  const { target, member, newMember } = RENAMED[kind];
  return {
    target,
    async run(input, call) {
      authorizeRename(call, kind, input[member], input[newMember], input.NewPath);
      await call.transact((tx) => rename(tx, input, call));
    },
  };
}

/**
 * AWS authorizes a rename on the new name and path too: the caller needs permission on both the
 * source and the target.
 */
function authorizeRename(call: CallContext, kind: RenamedKind, name: string, newName: string | undefined, newPath: string | undefined): void {
  if (newName === undefined && newPath === undefined) return;
  const current = call.state.byName(kind, call.accountId, name);
  if (current === undefined) return; // the operation answers NoSuchEntity
  const renamed = RENAMED[kind];
  const d = current.data as { path: string; arn: string };
  const newArn = renamed.arn(call.accountId, newPath ?? d.path, newName ?? current.name!, call.partition);
  if (newArn === d.arn) return;
  call.authorizer.authorize({ caller: call.caller, action: renamed.action, resource: newArn, context: requestContext(call.caller, call.facts) });
}

/**
 * Authorizes `action` on `resource`, counting the account's grant to IAM users when it is on
 * ("Allow users to change their own password", AllowUsersToChangePassword): every IAM user may
 * then call iam:ChangePassword on their own user and iam:GetAccountPasswordPolicy without a
 * policy; an explicit deny in the user's own policies still wins.
 */
export function authorizeWithPasswordGrant(call: CallContext, action: string, resource: string): void {
  const granted = call.caller.principal.type === 'IAMUser' && passwordPolicyOf(call.state, call.accountId)?.allowUsersToChangePassword === true;
  const req = { caller: call.caller, action, resource, context: requestContext(call.caller, call.facts) };
  if (!granted) {
    call.authorizer.authorize(req);
    return;
  }
  const { request, result } = call.authorizer.decide(req);
  if (result.decision === 'ExplicitDeny') {
    throw accessDenied(denialMessage(request, result) ?? `User: ${call.caller.principal.arn} is not authorized to perform: ${action}`);
  }
}
