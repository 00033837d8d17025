// IAM group operations on the wire: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.
import { addUserToGroup, createGroup, deleteGroup, groupsOfUser, removeUserFromGroup, updateGroup } from '../../iam/groups.ts';
import { requireGroup, requireUser } from '../../iam/require.ts';
import { usersInGroup } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { renameOperation } from './authorize.ts';
import { listUnderPath, pageByName } from './listings.ts';
import { groupOutput, listedUserOutput } from './shapes.ts';
import { theGroup, theUser } from './targets.ts';

export const groupOperations: Operations = {
  CreateGroup: {
    target: (input, call) => ({ resource: iamArn.group(call.accountId, input.Path ?? '/', input.GroupName, call.partition) }),
    async run(input, call) {
      return call.transact((tx) => {
        const group = createGroup(tx, { accountId: call.accountId, groupName: input.GroupName, groupId: call.ids.groupId(), path: input.Path, now: call.clock.now().toISOString() });
        return { Group: groupOutput(group) };
      });
    },
  },

  GetGroup: {
    target: theGroup,
    run(input, call) {
      const group = requireGroup(call.state, call.accountId, input.GroupName);
      const { page, isTruncated, marker } = pageByName(usersInGroup(call.state, call.accountId, group.id), input);
      return { Group: groupOutput(group), Users: page.map(listedUserOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },

  UpdateGroup: renameOperation('group', (tx, input, call) =>
    updateGroup(tx, call.accountId, input.GroupName, { newGroupName: input.NewGroupName, newPath: input.NewPath }),
  ),

  DeleteGroup: changeOperation(theGroup, (tx, input, call) => deleteGroup(tx, call.accountId, input.GroupName)),

  ListGroups: listUnderPath('group', 'Groups', groupOutput),

  AddUserToGroup: changeOperation(theGroup, (tx, input, call) => addUserToGroup(tx, call.accountId, input.GroupName, input.UserName)),

  RemoveUserFromGroup: changeOperation(theGroup, (tx, input, call) => removeUserFromGroup(tx, call.accountId, input.GroupName, input.UserName)),

  ListGroupsForUser: {
    target: theUser,
    run(input, call) {
      const user = requireUser(call.state, call.accountId, input.UserName);
      // In the order the user joined them; the marker is an offset.
      const { page, isTruncated, marker } = paginate(groupsOfUser(call.state, user), input.Marker, input.MaxItems);
      return { Groups: page.map(groupOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },
};
