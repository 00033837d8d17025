// Permissions boundaries on the wire: Put/Delete{User,Role}PermissionsBoundary. AWS sets
// iam:PermissionsBoundary to the boundary being put, or to the one being removed.
import {
  deleteRolePermissionsBoundary,
  deleteUserPermissionsBoundary,
  putRolePermissionsBoundary,
  putUserPermissionsBoundary,
} from '../../iam/boundaries.ts';
import type { OperationTable } from '../operation.ts';
import { roleTarget } from './roles.ts';
import { userTarget } from './users.ts';

export const boundaryOperations: OperationTable = {
  PutUserPermissionsBoundary: {
    target(input, call) {
      const t = userTarget(call, input.UserName);
      return { resource: t.resource, context: { ...t.context, 'iam:PermissionsBoundary': input.PermissionsBoundary } };
    },
    async run(input, call) {
      await call.transact((tx) => putUserPermissionsBoundary(tx, call.accountId, input.UserName, input.PermissionsBoundary));
      return {};
    },
  },

  DeleteUserPermissionsBoundary: {
    target(input, call) {
      const t = userTarget(call, input.UserName);
      const current = call.state.byName('user', call.accountId, input.UserName)?.data.permissionsBoundaryArn;
      return { resource: t.resource, context: { ...t.context, 'iam:PermissionsBoundary': current } };
    },
    async run(input, call) {
      await call.transact((tx) => deleteUserPermissionsBoundary(tx, call.accountId, input.UserName));
      return {};
    },
  },

  PutRolePermissionsBoundary: {
    target: (input, call) => roleTarget(call, input.RoleName, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    async run(input, call) {
      await call.transact((tx) => putRolePermissionsBoundary(tx, call.accountId, input.RoleName, input.PermissionsBoundary));
      return {};
    },
  },

  DeleteRolePermissionsBoundary: {
    target(input, call) {
      const current = call.state.byName('role', call.accountId, input.RoleName)?.data.permissionsBoundaryArn;
      return roleTarget(call, input.RoleName, { 'iam:PermissionsBoundary': current });
    },
    async run(input, call) {
      await call.transact((tx) => deleteRolePermissionsBoundary(tx, call.accountId, input.RoleName));
      return {};
    },
  },
};
