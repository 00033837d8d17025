// Permissions boundaries: one managed policy per user or role that caps what its identity policies
// can allow. The policy must exist (AWS managed or this account's); a policy in use as a boundary
// cannot be deleted (policies.ts checks that through attachments.ts).
import { noSuchEntity } from '../model/errors.ts';
import { managedPolicyByArn, type ManagedPolicyRef } from './policy-lookup.ts';
import { requireUser } from './require.ts';
import { requireModifiableRole } from './role-protection.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { inAccountPartition } from './partition.ts';

/** The policy named as a boundary, or AWS's NoSuchEntity for a boundary that does not exist. */
export function requireBoundaryPolicy(state: StateReader, accountId: string, arn: string): ManagedPolicyRef {
  const ref = managedPolicyByArn(state, arn);
  if (ref === undefined || (ref.entity !== undefined && ref.entity.accountId !== accountId) || !inAccountPartition(state, accountId, arn)) {
    throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  }
  return ref;
}

type Bounded = EntityOf<'user'> | EntityOf<'role'>;

function putBoundary(tx: Draft, principal: Bounded, boundaryArn: string): void {
  requireBoundaryPolicy(tx, principal.accountId, boundaryArn);
  tx.put({ ...principal, data: { ...principal.data, permissionsBoundaryArn: boundaryArn } });
}

/** Removing a boundary the principal does not have changes nothing and is not an error. */
function deleteBoundary(tx: Draft, principal: Bounded): void {
  if (principal.data.permissionsBoundaryArn === undefined) return;
  const { permissionsBoundaryArn: _removed, ...data } = principal.data;
  tx.put({ ...principal, data });
}

export function putUserPermissionsBoundary(tx: Draft, accountId: string, userName: string, boundaryArn: string): void {
  putBoundary(tx, requireUser(tx, accountId, userName), boundaryArn);
}

export function deleteUserPermissionsBoundary(tx: Draft, accountId: string, userName: string): void {
  deleteBoundary(tx, requireUser(tx, accountId, userName));
}

export function putRolePermissionsBoundary(tx: Draft, accountId: string, roleName: string, boundaryArn: string): void {
  putBoundary(tx, requireModifiableRole(tx, accountId, roleName), boundaryArn);
}

export function deleteRolePermissionsBoundary(tx: Draft, accountId: string, roleName: string): void {
  deleteBoundary(tx, requireModifiableRole(tx, accountId, roleName));
}
