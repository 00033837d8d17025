// Service-linked roles belong to the AWS service they are linked to: IAM refuses to change their
// trust policy, permissions or boundary, or to delete them other than through
// DeleteServiceLinkedRole. A role is service-linked when it lives under /aws-service-role/.
import { unmodifiableEntity } from '../model/errors.ts';
import type { Role } from './entities.ts';
import { requireRole } from './require.ts';
import type { EntityOf, StateReader } from './state.ts';

export const SERVICE_LINKED_ROLE_PATH = '/aws-service-role/';

export function isServiceLinkedRole(role: Pick<Role, 'path'>): boolean {
  return role.path.startsWith(SERVICE_LINKED_ROLE_PATH);
}

export function protectedRoleError(roleName: string) {
  return unmodifiableEntity(`Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`);
}

/** A role the caller may change: it exists and is not service-linked. */
export function requireModifiableRole(state: StateReader, accountId: string, roleName: string): EntityOf<'role'> {
  const role = requireRole(state, accountId, roleName);
  if (isServiceLinkedRole(role.data)) throw protectedRoleError(role.data.roleName);
  return role;
}

/** The instance profiles of the account that hold the role. */
export function instanceProfilesOfRole(state: StateReader, accountId: string, roleId: string): EntityOf<'instanceProfile'>[] {
  return state.list('instanceProfile', accountId).filter((p) => p.data.roleIds.includes(roleId));
}
