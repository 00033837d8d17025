// Permissions boundaries: one managed policy per user or role that caps what its identity policies
// can allow. The policy must exist (AWS managed or this account's); a policy in use as a boundary
// cannot be deleted (policies.ts checks that through attachments.ts).
import { noSuchEntity } from '../model/errors.ts';
import { managedPolicyByArn, type ManagedPolicyRef } from './policy-lookup.ts';
import { requireUser } from './require.ts';
import { requireModifiableRole } from './role-protection.ts';
import type { Draft, StateReader } from './state.ts';

/** The policy named as a boundary, or AWS's NoSuchEntity for a boundary that does not exist. */
export function requireBoundaryPolicy(state: StateReader, accountId: string, arn: string): ManagedPolicyRef {
  const ref = managedPolicyByArn(state, arn);
  if (ref === undefined || (ref.entity !== undefined && ref.entity.accountId !== accountId)) {
    throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  }
  return ref;
}

export function putUserPermissionsBoundary(tx: Draft, accountId: string, userName: string, boundaryArn: string): void {
  const user = requireUser(tx, accountId, userName);
  requireBoundaryPolicy(tx, accountId, boundaryArn);
  tx.put({ ...user, data: { ...user.data, permissionsBoundaryArn: boundaryArn } });
}

/** Removing a boundary the user does not have changes nothing and is not an error. */
export function deleteUserPermissionsBoundary(tx: Draft, accountId: string, userName: string): void {
  const user = requireUser(tx, accountId, userName);
  if (user.data.permissionsBoundaryArn === undefined) return;
  const { permissionsBoundaryArn: _removed, ...data } = user.data;
  tx.put({ ...user, data });
}

export function putRolePermissionsBoundary(tx: Draft, accountId: string, roleName: string, boundaryArn: string): void {
  const role = requireModifiableRole(tx, accountId, roleName);
  requireBoundaryPolicy(tx, accountId, boundaryArn);
  tx.put({ ...role, data: { ...role.data, permissionsBoundaryArn: boundaryArn } });
}

export function deleteRolePermissionsBoundary(tx: Draft, accountId: string, roleName: string): void {
  const role = requireModifiableRole(tx, accountId, roleName);
  if (role.data.permissionsBoundaryArn === undefined) return;
  const { permissionsBoundaryArn: _removed, ...data } = role.data;
  tx.put({ ...role, data });
}
