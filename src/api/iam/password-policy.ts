// Account password policy operations on the wire: UpdateAccountPasswordPolicy,
// GetAccountPasswordPolicy, DeleteAccountPasswordPolicy. None has a resource type in AWS's
// authorization reference, so all are authorized on "*".
//
// "Allow users to change their own password" (AllowUsersToChangePassword) gives every IAM user
// iam:ChangePassword on their own user and iam:GetAccountPasswordPolicy, without a policy; an
// explicit deny in the user's own policies still wins. `authorizeWithPasswordGrant` applies it.
import { requestContext } from '../../authz/context.ts';
import {
  deleteAccountPasswordPolicy,
  noSuchPasswordPolicy,
  passwordPolicyFrom,
  passwordPolicyOf,
  passwordPolicyOutput,
  updateAccountPasswordPolicy,
} from '../../iam/password-policy.ts';
import { accessDenied } from '../../model/errors.ts';
import { denialMessage } from '../../policy/index.ts';
import type { CallContext, OperationTable } from '../operation.ts';

/** Authorizes `action` on `resource`, counting the account's grant to IAM users when it is on. */
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

const anyResource = () => ({ resource: '*' });

export const passwordPolicyOperations: OperationTable = {
  UpdateAccountPasswordPolicy: {
    target: anyResource,
    async run(input, call) {
      const policy = passwordPolicyFrom(input);
      await call.transact((tx) => updateAccountPasswordPolicy(tx, call.accountId, policy, call.clock.now().toISOString()));
    },
  },

  GetAccountPasswordPolicy: {
    target: anyResource,
    // Authorized in run: the policy itself may grant it to every IAM user.
    authorizesInRun: true,
    run(_input, call) {
      authorizeWithPasswordGrant(call, 'iam:GetAccountPasswordPolicy', '*');
      const policy = passwordPolicyOf(call.state, call.accountId);
      if (policy === undefined) throw noSuchPasswordPolicy(call.accountId);
      return { PasswordPolicy: passwordPolicyOutput(policy) };
    },
  },

  DeleteAccountPasswordPolicy: {
    target: anyResource,
    async run(_input, call) {
      await call.transact((tx) => deleteAccountPasswordPolicy(tx, call.accountId));
    },
  },
};
