// Login profile operations on the wire: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
// DeleteLoginProfile, and ChangePassword (the calling IAM user's own password). Passwords are
// never logged or returned; only their scrypt hashes are kept.
import {
  createLoginProfile,
  deleteLoginProfile,
  ownerNames,
  preparePassword,
  requireLoginProfile,
  requireNoLoginProfile,
  setPassword,
  setPasswordResetRequired,
  type LoginProfileEntity,
} from '../../iam/login-profiles.ts';
import { requireUser } from '../../iam/require.ts';
import type { EntityOf } from '../../iam/state.ts';
import { invalidUserType } from '../../model/errors.ts';
import { validationErrorOf } from '../../protocol/validate.ts';
import { changeOperation, type CallContext, type Input, type Operations } from '../operation.ts';
import { authorizeWithPasswordGrant } from './authorize.ts';
import { theUser, userTarget } from './targets.ts';

function loginProfileOutput(profile: LoginProfileEntity, user: EntityOf<'user'>): Record<string, unknown> {
  return { UserName: user.data.userName, CreateDate: profile.data.createDate, PasswordResetRequired: profile.data.passwordResetRequired };
}

/** The calling IAM user, for ChangePassword: the root user and role sessions have no IAM user password. */
function callingUser(call: CallContext): EntityOf<'user'> {
  const { principal } = call.caller;
  const user = principal.type === 'IAMUser' && call.caller.entityId !== undefined ? call.state.get('user', call.caller.entityId) : undefined;
  if (user === undefined) throw invalidUserType('The request was rejected because the type of user for the transaction was incorrect.');
  return user;
}

const mustNotBeNull = (member: string) => validationErrorOf([`Value null at '${member}' failed to satisfy constraint: Member must not be null`]);

/**
 * The user Create/Get/DeleteLoginProfile name. The model made UserName optional: without it,
 * the calling IAM user (the root user may omit it only in an AssumeRoot session, which Gatehouse
 * does not serve, so anyone else gets the error a missing UserName always got).
 */
function profileUserName(input: Input, call: CallContext): string {
  if (input.UserName !== undefined) return input.UserName;
  const { principal, entityId } = call.caller;
  const user = principal.type === 'IAMUser' && entityId !== undefined ? call.state.get('user', entityId) : undefined;
  if (user === undefined) throw mustNotBeNull('userName');
  return user.data.userName;
}

const theProfileUser = (input: Input, call: CallContext) => userTarget(call, profileUserName(input, call));

export const loginProfileOperations: Operations = {
  CreateLoginProfile: {
    target(input, call) {
      // Password too is optional in the model only for AssumeRoot sessions.
      if (input.Password === undefined) throw mustNotBeNull('password');
      return theProfileUser(input, call);
    },
    async run(input, call, { hasher }) {
      const userName = profileUserName(input, call);
      const user = requireUser(call.state, call.accountId, userName);
      // Hashing costs a core for a while: a profile that exists is refused before it.
      requireNoLoginProfile(call.state, call.accountId, user.id, user.data.userName);
      const names = ownerNames(call.state, call.accountId, { userName: user.data.userName });
      const prepared = await preparePassword(hasher, call.state, call.accountId, user.id, input.Password, names);
      return call.transact((tx) => {
        const current = requireUser(tx, call.accountId, userName);
        const profile = createLoginProfile(tx, {
          accountId: call.accountId,
          ownerId: current.id,
          userName: current.data.userName,
          prepared,
          passwordResetRequired: input.PasswordResetRequired === true,
          now: call.clock.now().toISOString(),
        });
        return { LoginProfile: loginProfileOutput(profile, current) };
      });
    },
  },

  GetLoginProfile: {
    target: theProfileUser,
    run(input, call) {
      const user = requireUser(call.state, call.accountId, profileUserName(input, call));
      return { LoginProfile: loginProfileOutput(requireLoginProfile(call.state, call.accountId, user), user) };
    },
  },

  UpdateLoginProfile: {
    target: theUser,
    async run(input, call, { hasher }) {
      const user = requireUser(call.state, call.accountId, input.UserName);
      const profile = requireLoginProfile(call.state, call.accountId, user);
      const resetRequired = input.PasswordResetRequired as boolean | undefined;
      if (input.Password === undefined) {
        if (resetRequired === undefined) return;
        await call.transact((tx) => setPasswordResetRequired(tx, requireLoginProfile(tx, call.accountId, requireUser(tx, call.accountId, input.UserName)), resetRequired));
        return;
      }
      const names = ownerNames(call.state, call.accountId, { userName: user.data.userName });
      const prepared = await preparePassword(hasher, call.state, call.accountId, user.id, input.Password, names);
      await call.transact((tx) => {
        const current = requireLoginProfile(tx, call.accountId, requireUser(tx, call.accountId, input.UserName));
        setPassword(tx, current, prepared, resetRequired ?? profile.data.passwordResetRequired, call.clock.now().toISOString());
      });
    },
  },

  DeleteLoginProfile: changeOperation(theProfileUser, (tx, input, call) => deleteLoginProfile(tx, call.accountId, requireUser(tx, call.accountId, profileUserName(input, call)))),

  ChangePassword: {
    // Authorized in run: the account's password policy may grant it to every IAM user.
    target: (_input, call) => ({ resource: callingUser(call).data.arn }),
    authorizesInRun: true,
    async run(input, call, { hasher }) {
      const user = callingUser(call);
      authorizeWithPasswordGrant(call, 'iam:ChangePassword', user.data.arn);
      const profile = requireLoginProfile(call.state, call.accountId, user);
      if (!(await hasher.verify(input.OldPassword, profile.data.passwordHash))) {
        throw invalidUserType('The old password is incorrect.');
      }
      const names = ownerNames(call.state, call.accountId, { userName: user.data.userName });
      const prepared = await preparePassword(hasher, call.state, call.accountId, user.id, input.NewPassword, names);
      await call.transact((tx) => {
        const current = requireLoginProfile(tx, call.accountId, requireUser(tx, call.accountId, user.data.userName));
        setPassword(tx, current, prepared, false, call.clock.now().toISOString());
      });
    },
  },
};
