// IAM group operations on the wire: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  groupsOfUser,
  groupsUnderPath,
  removeUserFromGroup,
  updateGroup,
} from '../../iam/groups.ts';
import { requireGroup, requireUser } from '../../iam/require.ts';
import type { EntityOf } from '../../iam/state.ts';
import { nameOrderKey, usersInGroup } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, OperationTable } from '../operation.ts';
import { authorizeRename, listTarget, userOutput, userTarget } from './users.ts';

export function groupOutput(group: EntityOf<'group'>): Record<string, unknown> {
  const d = group.data;
  return { Path: d.path, GroupName: d.groupName, GroupId: d.groupId, Arn: d.arn, CreateDate: d.createDate };
}

/** The group's ARN (with its path) when it exists, else the ARN AWS would check. */
export function groupTarget(call: CallContext, groupName: string): AuthorizationTarget {
  const group = call.state.byName('group', call.accountId, groupName);
  return { resource: group?.data.arn ?? iamArn.group(call.accountId, '/', groupName) };
}

export const groupOperations: OperationTable = {
  CreateGroup: {
    target: (input, call) => ({ resource: iamArn.group(call.accountId, input.Path ?? '/', input.GroupName) }),
    async run(input, call) {
      return call.transact((tx) => {
        const group = createGroup(tx, {
          accountId: call.accountId,
          groupName: input.GroupName,
          groupId: call.ids.groupId(),
          path: input.Path,
          now: call.clock.now().toISOString(),
        });
        return { Group: groupOutput(group) };
      });
    },
  },

  GetGroup: {
    target: (input, call) => groupTarget(call, input.GroupName),
    run(input, call) {
      const group = requireGroup(call.state, call.accountId, input.GroupName);
      const members = usersInGroup(call.state, call.accountId, group.id);
      const { page, isTruncated, marker } = paginate(members, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return { Group: groupOutput(group), Users: page.map((u) => userOutput(u)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  UpdateGroup: {
    target: (input, call) => groupTarget(call, input.GroupName),
    async run(input, call) {
      authorizeRename(call, 'group', input.GroupName, input.NewGroupName, input.NewPath);
      await call.transact((tx) =>
        updateGroup(tx, call.accountId, input.GroupName, { newGroupName: input.NewGroupName, newPath: input.NewPath }),
      );
    },
  },

  DeleteGroup: {
    target: (input, call) => groupTarget(call, input.GroupName),
    async run(input, call) {
      await call.transact((tx) => deleteGroup(tx, call.accountId, input.GroupName));
    },
  },

  ListGroups: {
    target: (input, call) => listTarget(call, 'group', input.PathPrefix),
    run(input, call) {
      const groups = groupsUnderPath(call.state, call.accountId, input.PathPrefix);
      const { page, isTruncated, marker } = paginate(groups, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return { Groups: page.map(groupOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },

  AddUserToGroup: {
    target: (input, call) => groupTarget(call, input.GroupName),
    async run(input, call) {
      await call.transact((tx) => addUserToGroup(tx, call.accountId, input.GroupName, input.UserName));
    },
  },

  RemoveUserFromGroup: {
    target: (input, call) => groupTarget(call, input.GroupName),
    async run(input, call) {
      await call.transact((tx) => removeUserFromGroup(tx, call.accountId, input.GroupName, input.UserName));
    },
  },

  ListGroupsForUser: {
    target: (input, call) => userTarget(call, input.UserName),
    run(input, call) {
      const user = requireUser(call.state, call.accountId, input.UserName);
      // In the order the user joined them; the marker is an offset.
      const { page, isTruncated, marker } = paginate(groupsOfUser(call.state, user), input.Marker, input.MaxItems);
      return { Groups: page.map(groupOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },
};
