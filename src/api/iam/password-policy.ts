// Account password policy operations on the wire: UpdateAccountPasswordPolicy,
// GetAccountPasswordPolicy, DeleteAccountPasswordPolicy. None has a resource type in AWS's
// authorization reference, so all are authorized on "*".
//
// GetAccountPasswordPolicy is authorized in run: the policy may grant it to every IAM user
// (authorize.ts, authorizeWithPasswordGrant).
import {
  deleteAccountPasswordPolicy,
  noSuchPasswordPolicy,
  passwordPolicyFrom,
  passwordPolicyOf,
  passwordPolicyOutput,
  updateAccountPasswordPolicy,
} from '../../iam/password-policy.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { authorizeWithPasswordGrant } from './authorize.ts';
import { anyResource } from './targets.ts';

export const passwordPolicyOperations: Operations = {
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

  DeleteAccountPasswordPolicy: changeOperation(anyResource, (tx, _input, call) => deleteAccountPasswordPolicy(tx, call.accountId)),
};
