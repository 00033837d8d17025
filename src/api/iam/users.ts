// IAM user operations on the wire: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers,
// TagUser, UntagUser, ListUserTags.
import { requireUser } from '../../iam/require.ts';
import { createUser, deleteUser, updateUser } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { renameOperation } from './authorize.ts';
import { listUnderPath } from './listings.ts';
import { callerAsOwner, ownerTarget } from './owners.ts';
import { listedUserOutput, userOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { creationTarget, theUser, userTarget } from './targets.ts';

export const userOperations: Operations = {
  CreateUser: {
    target: (input, call) =>
      creationTarget(iamArn.user(call.accountId, input.Path ?? '/', input.UserName, call.partition), input, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    async run(input, call) {
      // The answer is made inside the transaction: its event records it (audit/recorder.ts).
      return call.transact((tx) => {
        const user = createUser(tx, {
          accountId: call.accountId,
          userName: input.UserName,
          userId: call.ids.userId(),
          path: input.Path,
          tags: input.Tags,
          permissionsBoundaryArn: input.PermissionsBoundary,
          now: call.clock.now().toISOString(),
        });
        return { User: userOutput(user, true) };
      });
    },
  },

  GetUser: {
    target: (input, call) => (input.UserName !== undefined ? userTarget(call, input.UserName) : ownerTarget(call, undefined)),
    run(input, call) {
      if (input.UserName !== undefined) return { User: userOutput(requireUser(call.state, call.accountId, input.UserName), true) };
      const owner = callerAsOwner(call);
      if (owner.user !== undefined) return { User: userOutput(owner.user, true) };
      // The root user: AWS answers its id (the account id), ARN and creation, without a name or path.
      const account = call.state.get('account', call.accountId);
      return { User: { UserId: call.accountId, Arn: owner.arn, CreateDate: account?.data.createDate ?? new Date(0).toISOString() } };
    },
  },

  UpdateUser: renameOperation('user', (tx, input, call) =>
    updateUser(tx, call.accountId, input.UserName, { newUserName: input.NewUserName, newPath: input.NewPath }),
  ),

  DeleteUser: changeOperation(theUser, (tx, input, call) => deleteUser(tx, call.accountId, input.UserName)),

  // AWS leaves tags and the boundary out of ListUsers (GetUser has them).
  ListUsers: listUnderPath('user', 'Users', listedUserOutput),

  ...tagOperations({ noun: 'User', member: 'UserName', target: userTarget, require: requireUser }),
};
