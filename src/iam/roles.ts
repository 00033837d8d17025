// Roles: identities with a trust policy (who may assume them) instead of long-term credentials.
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, invalidInput } from '../model/errors.ts';
import { parsePolicy } from '../policy/parse.ts';
import { requireBoundaryPolicy } from './boundaries.ts';
import type { Role, Tag } from './entities.ts';
import { checkAccountQuota } from './quotas.ts';
import { requireRole } from './require.ts';
import { SERVICE_LINKED_ROLE_PATH, instanceProfilesOfRole, isServiceLinkedRole, protectedRoleError, requireModifiableRole } from './role-protection.ts';
import type { Draft, EntityOf } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

/** Roles per account (IAM quotas, adjustable in AWS). */
export const MAX_ROLES = 1000;
export const DEFAULT_MAX_SESSION_DURATION = 3600;

export interface CreateRoleInput {
  roleName: string;
  path?: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundaryArn?: string;
  tags?: readonly Tag[];
}

/** Checks what the role would be and puts it; shared with service-linked roles, which skip the path rule. */
export function putNewRole(tx: Draft, accountId: string, input: CreateRoleInput, ids: { roleId: string; now: string }): EntityOf<'role'> {
  parsePolicy(input.assumeRolePolicyDocument, 'trust', { partition: accountPartition(tx, accountId) });
  const tags = input.tags ?? [];
  checkRequestTags(tags);
  if (input.permissionsBoundaryArn !== undefined) requireBoundaryPolicy(tx, accountId, input.permissionsBoundaryArn);
  if (tx.byName('role', accountId, input.roleName) !== undefined) throw entityAlreadyExists(`Role with name ${input.roleName} already exists.`);
  checkAccountQuota(tx, 'role', accountId, 'RolesPerAccount', MAX_ROLES);
  const path = input.path ?? '/';
  const data: Role = {
    roleName: input.roleName,
    roleId: ids.roleId,
    path,
    arn: iamArn.role(accountId, path, input.roleName, accountPartition(tx, accountId)),
    createDate: ids.now,
    assumeRolePolicyDocument: input.assumeRolePolicyDocument,
    ...(input.description !== undefined ? { description: input.description } : {}),
    maxSessionDuration: input.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    ...(input.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: input.permissionsBoundaryArn } : {}),
    attachedPolicyArns: [],
    inlinePolicies: {},
    tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
  };
  const entity = { kind: 'role' as const, id: ids.roleId, accountId, name: input.roleName, data };
  tx.put(entity);
  return entity;
}

export function createRole(tx: Draft, accountId: string, input: CreateRoleInput, ids: { roleId: string; now: string }): EntityOf<'role'> {
  // /aws-service-role/ is where AWS keeps service-linked roles; only CreateServiceLinkedRole puts roles there.
  if ((input.path ?? '/').startsWith(SERVICE_LINKED_ROLE_PATH)) {
    throw invalidInput(`The path ${input.path} is reserved for service-linked roles.`);
  }
  return putNewRole(tx, accountId, input, ids);
}

/** UpdateRole / UpdateRoleDescription. A service-linked role's description may change, nothing else. */
export function updateRole(
  tx: Draft,
  accountId: string,
  roleName: string,
  changes: { description?: string; maxSessionDuration?: number },
): EntityOf<'role'> {
  const role = requireRole(tx, accountId, roleName);
  if (changes.maxSessionDuration !== undefined && isServiceLinkedRole(role.data)) throw protectedRoleError(role.data.roleName);
  const data: Role = { ...role.data };
  if (changes.description !== undefined) data.description = changes.description;
  if (changes.maxSessionDuration !== undefined) data.maxSessionDuration = changes.maxSessionDuration;
  const updated = { ...role, data };
  tx.put(updated);
  return updated;
}

export function updateAssumeRolePolicy(tx: Draft, accountId: string, roleName: string, document: string): void {
  const role = requireModifiableRole(tx, accountId, roleName);
  parsePolicy(document, 'trust', { partition: accountPartition(tx, accountId) });
  tx.put({ ...role, data: { ...role.data, assumeRolePolicyDocument: document } });
}

/** What must be removed before a role can go, checked in the order AWS names it. */
export function checkRoleDeletable(tx: Draft, accountId: string, role: EntityOf<'role'>): void {
  if (instanceProfilesOfRole(tx, accountId, role.id).length > 0) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (role.data.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.data.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
}

export function deleteRole(tx: Draft, accountId: string, roleName: string): void {
  const role = requireModifiableRole(tx, accountId, roleName);
  checkRoleDeletable(tx, accountId, role);
  tx.delete('role', role.id);
}
