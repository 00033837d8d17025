// Who owns the credentials an operation acts on (access keys, MFA devices, GetUser without a
// name): the user its optional UserName names, or else the caller itself: its own IAM user, or
// the root user. Role sessions must name a user, as in AWS.
import { ROOT_OWNER_ID } from '../../iam/access-keys.ts';
import { requireUser } from '../../iam/require.ts';
import type { Draft, EntityOf, StateReader } from '../../iam/state.ts';
import { resourceTagContext } from '../../iam/tags.ts';
import { iamArn } from '../../model/arn.ts';
import { validationError } from '../../model/errors.ts';
import type { AuthorizationTarget, CallContext, Input, OperationDefinition } from '../operation.ts';
import { userTarget } from './targets.ts';

export interface CredentialOwner {
  /** The user id, or ROOT_OWNER_ID for the root user. */
  ownerId: string;
  arn: string;
  /** Absent for the root user. */
  user?: EntityOf<'user'>;
}

const NON_USER_CALLER = 'Must specify userName when calling with non-User credentials';

/** The caller as the owner of credentials: its own user, or the root user; roles and sessions must name a user. */
export function callerAsOwner(call: CallContext, state: StateReader = call.state): CredentialOwner {
  const p = call.caller.principal;
  if (p.type === 'Root') return { ownerId: ROOT_OWNER_ID, arn: iamArn.root(call.accountId, call.partition) };
  if (p.type === 'IAMUser' && call.caller.entityId !== undefined) {
    const user = state.get('user', call.caller.entityId);
    if (user !== undefined) return { ownerId: user.id, arn: user.data.arn, user };
  }
  throw validationError(NON_USER_CALLER);
}

/**
 * The owner an operation's optional UserName names (absent: the caller), read from `state` (pass
 * the transaction's draft when writing). Throws NoSuchEntity.
 */
export function ownerOf(call: CallContext, userName: string | undefined, state: StateReader = call.state): CredentialOwner {
  if (userName === undefined) return callerAsOwner(call, state);
  const user = requireUser(state, call.accountId, userName);
  return { ownerId: user.id, arn: user.data.arn, user };
}

/** The authorization target of an operation on a user's credentials (optional UserName). */
export function ownerTarget(call: CallContext, userName: string | undefined): AuthorizationTarget {
  if (userName !== undefined) return userTarget(call, userName);
  const owner = callerAsOwner(call);
  return { resource: owner.arn, context: resourceTagContext(owner.user?.data.tags) };
}

/**
 * An operation that changes credentials of its owner (UpdateAccessKey, EnableMFADevice, …):
 * authorized on the owner, and run in one transaction that reads the owner from its draft.
 */
export function credentialChange(change: (tx: Draft, ownerId: string, input: Input, call: CallContext) => void): OperationDefinition {
  return {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      await call.transact((tx) => {
        change(tx, ownerOf(call, input.UserName, tx).ownerId, input, call);
      });
    },
  };
}
