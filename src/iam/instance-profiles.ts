// Instance profiles: containers that pass one role to an EC2 instance. A profile holds at most
// one role (a fixed quota), keeps the role's id, and cannot be deleted while it holds one.
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { Tag } from './entities.ts';
import { checkAccountQuota } from './quotas.ts';
import { requireInstanceProfile, requireRole } from './require.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

export const MAX_ROLES_PER_INSTANCE_PROFILE = 1;
/** Instance profiles per account (IAM quotas, adjustable in AWS). */
export const MAX_INSTANCE_PROFILES = 1000;

export interface CreateInstanceProfileInput {
  instanceProfileName: string;
  path?: string;
  tags?: readonly Tag[];
}

export function createInstanceProfile(
  tx: Draft,
  accountId: string,
  input: CreateInstanceProfileInput,
  ids: { instanceProfileId: string; now: string },
): EntityOf<'instanceProfile'> {
  const tags = input.tags ?? [];
  checkRequestTags(tags);
  const name = input.instanceProfileName;
  if (tx.byName('instanceProfile', accountId, name) !== undefined) throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
  checkAccountQuota(tx, 'instanceProfile', accountId, 'InstanceProfilesPerAccount', MAX_INSTANCE_PROFILES);
  const path = input.path ?? '/';
  const entity = {
    kind: 'instanceProfile' as const,
    id: ids.instanceProfileId,
    accountId,
    name,
    data: {
      instanceProfileName: name,
      instanceProfileId: ids.instanceProfileId,
      path,
      arn: iamArn.instanceProfile(accountId, path, name, accountPartition(tx, accountId)),
      createDate: ids.now,
      roleIds: [],
      tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    },
  };
  tx.put(entity);
  return entity;
}

export function deleteInstanceProfile(tx: Draft, accountId: string, name: string): void {
  const profile = requireInstanceProfile(tx, accountId, name);
  if (rolesOf(tx, profile).length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  tx.delete('instanceProfile', profile.id);
}

export function addRoleToInstanceProfile(tx: Draft, accountId: string, profileName: string, roleName: string): void {
  const profile = requireInstanceProfile(tx, accountId, profileName);
  const role = requireRole(tx, accountId, roleName);
  const roleIds = profile.data.roleIds.filter((id) => tx.get('role', id) !== undefined);
  if (roleIds.length >= MAX_ROLES_PER_INSTANCE_PROFILE) {
    throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${MAX_ROLES_PER_INSTANCE_PROFILE}`);
  }
  tx.put({ ...profile, data: { ...profile.data, roleIds: [...roleIds, role.id] } });
}

export function removeRoleFromInstanceProfile(tx: Draft, accountId: string, profileName: string, roleName: string): void {
  const profile = requireInstanceProfile(tx, accountId, profileName);
  const role = requireRole(tx, accountId, roleName);
  if (!profile.data.roleIds.includes(role.id)) throw noSuchEntity(`The role with name ${role.data.roleName} cannot be found.`);
  tx.put({ ...profile, data: { ...profile.data, roleIds: profile.data.roleIds.filter((id) => id !== role.id) } });
}

/** The roles a profile holds (ids of roles deleted since are skipped). */
export function rolesOf(state: StateReader, profile: EntityOf<'instanceProfile'>): EntityOf<'role'>[] {
  return profile.data.roleIds.map((id) => state.get('role', id)).filter((r) => r !== undefined);
}
