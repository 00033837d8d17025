// IAM role operations on the wire: CreateRole, GetRole, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole, ListRoles, TagRole, UntagRole, ListRoleTags and the
// service-linked role operations.
import { requireRole } from '../../iam/require.ts';
import { createRole, deleteRole, updateAssumeRolePolicy, updateRole } from '../../iam/roles.ts';
import {
  createServiceLinkedRole,
  deleteServiceLinkedRole,
  deletionTaskStatus,
  parseDeletionTaskId,
  serviceLinkedRoleName,
} from '../../iam/service-linked-roles.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { listUnderPath } from './listings.ts';
import { listedRoleOutput, roleOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { creationTarget, roleTarget, theRole } from './targets.ts';

export const roleOperations: Operations = {
  CreateRole: {
    target: (input, call) =>
      creationTarget(iamArn.role(call.accountId, input.Path ?? '/', input.RoleName, call.partition), input, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    async run(input, call) {
      const ids = { roleId: call.ids.roleId(), now: call.clock.now().toISOString() };
      return call.transact((tx) => {
        const role = createRole(
          tx,
          call.accountId,
          {
            roleName: input.RoleName,
            path: input.Path,
            assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
            description: input.Description,
            maxSessionDuration: input.MaxSessionDuration,
            permissionsBoundaryArn: input.PermissionsBoundary,
            tags: input.Tags,
          },
          ids,
        );
        return { Role: roleOutput(role, 'created') };
      });
    },
  },

  GetRole: {
    target: theRole,
    run: (input, call) => ({ Role: roleOutput(requireRole(call.state, call.accountId, input.RoleName)) }),
  },

  UpdateRole: changeOperation(theRole, (tx, input, call) =>
    updateRole(tx, call.accountId, input.RoleName, { description: input.Description, maxSessionDuration: input.MaxSessionDuration }),
  ),

  UpdateRoleDescription: {
    target: theRole,
    async run(input, call) {
      return call.transact((tx) => ({ Role: roleOutput(updateRole(tx, call.accountId, input.RoleName, { description: input.Description })) }));
    },
  },

  UpdateAssumeRolePolicy: changeOperation(theRole, (tx, input, call) => updateAssumeRolePolicy(tx, call.accountId, input.RoleName, input.PolicyDocument)),

  DeleteRole: changeOperation(theRole, (tx, input, call) => deleteRole(tx, call.accountId, input.RoleName)),

  ListRoles: listUnderPath('role', 'Roles', listedRoleOutput),

  ...tagOperations({ noun: 'Role', member: 'RoleName', target: roleTarget, require: requireRole }),

  CreateServiceLinkedRole: {
    target(input, call) {
      const { roleName, path } = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix);
      return { resource: iamArn.role(call.accountId, path, roleName, call.partition), context: { 'iam:AWSServiceName': input.AWSServiceName } };
    },
    async run(input, call) {
      const ids = { roleId: call.ids.roleId(), now: call.clock.now().toISOString() };
      return call.transact((tx) => {
        const role = createServiceLinkedRole(
          tx,
          call.accountId,
          { awsServiceName: input.AWSServiceName, description: input.Description, customSuffix: input.CustomSuffix },
          ids,
        );
        return { Role: roleOutput(role, 'created') };
      });
    },
  },

  DeleteServiceLinkedRole: {
    target: theRole,
    async run(input, call) {
      const ids = { taskUuid: call.ids.requestId(), now: call.clock.now().toISOString() };
      const deletionTaskId = await call.transact((tx) => deleteServiceLinkedRole(tx, call.accountId, input.RoleName, ids));
      return { DeletionTaskId: deletionTaskId };
    },
  },

  GetServiceLinkedRoleDeletionStatus: {
    // The task names the role it deletes: arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME.
    target(input, call) {
      const task = parseDeletionTaskId(input.DeletionTaskId);
      if (task === undefined) return { resource: iamArn.role(call.accountId, '/', '*', call.partition) };
      return { resource: iamArn.role(call.accountId, `/aws-service-role/${task.service}/`, task.roleName, call.partition) };
    },
    run(input, call) {
      const task = deletionTaskStatus(call.state, call.accountId, input.DeletionTaskId);
      return { Status: task.status };
    },
  },
};
