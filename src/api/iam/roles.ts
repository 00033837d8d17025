// IAM role operations on the wire: CreateRole, GetRole, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole, ListRoles, TagRole, UntagRole, ListRoleTags and the
// service-linked role operations. Also the Role shape and a named role's authorization target,
// which the other role-related operations share.
import type { Tag } from '../../iam/entities.ts';
import { requireRole } from '../../iam/require.ts';
import { createRole, tagRole, untagRole, updateAssumeRolePolicy, updateRole, deleteRole } from '../../iam/roles.ts';
import {
  createServiceLinkedRole,
  deleteServiceLinkedRole,
  deletionTaskStatus,
  parseDeletionTaskId,
  serviceLinkedRoleName,
} from '../../iam/service-linked-roles.ts';
import type { EntityOf } from '../../iam/state.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { nameOrderKey } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationTable } from '../operation.ts';

export type RoleDetail = 'list' | 'full';

/**
 * The Role shape. ListRoles and the roles inside instance profiles leave out the boundary, the
 * tags and RoleLastUsed ("IAM resource-listing operations return a subset of the available
 * attributes"); GetRole and the Create* answers have them all.
 */
export function roleOutput(role: EntityOf<'role'>, detail: RoleDetail = 'full'): Record<string, unknown> {
  const d = role.data;
  const out: Record<string, unknown> = {
    Path: d.path,
    RoleName: d.roleName,
    RoleId: d.roleId,
    Arn: d.arn,
    CreateDate: d.createDate,
    AssumeRolePolicyDocument: d.assumeRolePolicyDocument,
    Description: d.description,
    MaxSessionDuration: d.maxSessionDuration,
  };
  if (detail === 'full') {
    if (d.permissionsBoundaryArn !== undefined) {
      out.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: d.permissionsBoundaryArn };
    }
    if (d.tags.length > 0) out.Tags = d.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
    out.RoleLastUsed = d.roleLastUsed ? { LastUsedDate: d.roleLastUsed.lastUsedDate, Region: d.roleLastUsed.region } : {};
  }
  return out;
}

/** The role's ARN (with its path) and tags when it exists, else the ARN AWS would check. */
export function roleTarget(call: CallContext, roleName: string, extra?: AuthorizationTarget['context']): AuthorizationTarget {
  const role = call.state.byName('role', call.accountId, roleName);
  if (role === undefined) return { resource: iamArn.role(call.accountId, '/', roleName), context: extra };
  return { resource: role.data.arn, context: { ...resourceTagContext(role.data.tags), ...extra } };
}

function now(call: CallContext): string {
  return call.clock.now().toISOString();
}

function tagsOf(input: Input): Tag[] | undefined {
  return input.Tags as Tag[] | undefined;
}

export const roleOperations: OperationTable = {
  CreateRole: {
    target: (input, call) => ({
      resource: iamArn.role(call.accountId, input.Path ?? '/', input.RoleName),
      context: { ...requestTagContext(tagsOf(input)), 'iam:PermissionsBoundary': input.PermissionsBoundary },
    }),
    async run(input, call) {
      const ids = { roleId: call.ids.roleId(), now: now(call) };
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
            tags: tagsOf(input),
          },
          ids,
        );
        const out = roleOutput(role);
        delete out.RoleLastUsed;
        return { Role: out };
      });
    },
  },

  GetRole: {
    target: (input, call) => roleTarget(call, input.RoleName),
    run: (input, call) => ({ Role: roleOutput(requireRole(call.state, call.accountId, input.RoleName)) }),
  },

  UpdateRole: {
    target: (input, call) => roleTarget(call, input.RoleName),
    async run(input, call) {
      await call.transact((tx) =>
        updateRole(tx, call.accountId, input.RoleName, { description: input.Description, maxSessionDuration: input.MaxSessionDuration }),
      );
      return {};
    },
  },

  UpdateRoleDescription: {
    target: (input, call) => roleTarget(call, input.RoleName),
    async run(input, call) {
      return call.transact((tx) => ({ Role: roleOutput(updateRole(tx, call.accountId, input.RoleName, { description: input.Description })) }));
    },
  },

  UpdateAssumeRolePolicy: {
    target: (input, call) => roleTarget(call, input.RoleName),
    async run(input, call) {
      await call.transact((tx) => updateAssumeRolePolicy(tx, call.accountId, input.RoleName, input.PolicyDocument));
      return {};
    },
  },

  DeleteRole: {
    target: (input, call) => roleTarget(call, input.RoleName),
    async run(input, call) {
      await call.transact((tx) => deleteRole(tx, call.accountId, input.RoleName));
      return {};
    },
  },

  ListRoles: {
    // As for the other List* operations, AWS checks the type and path prefix (arn:aws:iam::123456789012:role/).
    target: (input, call) => ({ resource: `arn:aws:iam::${call.accountId}:role${input.PathPrefix ?? '/'}` }),
    run(input, call) {
      const prefix: string = input.PathPrefix ?? '/';
      const all = call.state.list('role', call.accountId);
      const roles = prefix === '/' ? all : all.filter((r) => r.data.path.startsWith(prefix));
      const { page, isTruncated, marker } = paginate(roles, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return { Roles: page.map((r) => roleOutput(r, 'list')), IsTruncated: isTruncated, Marker: marker };
    },
  },

  TagRole: {
    target: (input, call) => roleTarget(call, input.RoleName, requestTagContext(tagsOf(input))),
    async run(input, call) {
      await call.transact((tx) => tagRole(tx, call.accountId, input.RoleName, tagsOf(input) ?? []));
      return {};
    },
  },

  UntagRole: {
    target: (input, call) => roleTarget(call, input.RoleName, requestTagContext(undefined, input.TagKeys as string[])),
    async run(input, call) {
      await call.transact((tx) => untagRole(tx, call.accountId, input.RoleName, input.TagKeys as string[]));
      return {};
    },
  },

  ListRoleTags: {
    target: (input, call) => roleTarget(call, input.RoleName),
    run(input, call) {
      const role = requireRole(call.state, call.accountId, input.RoleName);
      const { page, isTruncated, marker } = paginate(role.data.tags, input.Marker, input.MaxItems);
      return { Tags: page.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: isTruncated, Marker: marker };
    },
  },

  CreateServiceLinkedRole: {
    target(input, call) {
      const { roleName, path } = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix);
      return { resource: iamArn.role(call.accountId, path, roleName), context: { 'iam:AWSServiceName': input.AWSServiceName } };
    },
    async run(input, call) {
      const ids = { roleId: call.ids.roleId(), now: now(call) };
      return call.transact((tx) => {
        const role = createServiceLinkedRole(
          tx,
          call.accountId,
          { awsServiceName: input.AWSServiceName, description: input.Description, customSuffix: input.CustomSuffix },
          ids,
        );
        const out = roleOutput(role);
        delete out.RoleLastUsed;
        return { Role: out };
      });
    },
  },

  DeleteServiceLinkedRole: {
    target: (input, call) => roleTarget(call, input.RoleName),
    async run(input, call) {
      const ids = { taskUuid: call.ids.requestId(), now: now(call) };
      const deletionTaskId = await call.transact((tx) => deleteServiceLinkedRole(tx, call.accountId, input.RoleName, ids));
      return { DeletionTaskId: deletionTaskId };
    },
  },

  GetServiceLinkedRoleDeletionStatus: {
    // The task names the role it deletes: arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME.
    target(input, call) {
      const task = parseDeletionTaskId(input.DeletionTaskId);
      if (task === undefined) return { resource: iamArn.role(call.accountId, '/', '*') };
      return { resource: iamArn.role(call.accountId, `/aws-service-role/${task.service}/`, task.roleName) };
    },
    run(input, call) {
      const task = deletionTaskStatus(call.state, call.accountId, input.DeletionTaskId);
      return { Status: task.status };
    },
  },
};
