// Finding the entity an operation names, or AWS's NoSuchEntity with AWS's message.
import { noSuchEntity } from '../model/errors.ts';
import { customerPolicyByArn, managedPolicyByArn, type ManagedPolicyRef } from './policy-lookup.ts';
import type { EntityOf, StateReader } from './state.ts';
import { inAccountPartition } from './partition.ts';

export function requireUser(state: StateReader, accountId: string, userName: string): EntityOf<'user'> {
  const user = state.byName('user', accountId, userName);
  if (user === undefined) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

export function requireGroup(state: StateReader, accountId: string, groupName: string): EntityOf<'group'> {
  const group = state.byName('group', accountId, groupName);
  if (group === undefined) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

export function requireRole(state: StateReader, accountId: string, roleName: string): EntityOf<'role'> {
  const role = state.byName('role', accountId, roleName);
  if (role === undefined) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

export function requireInstanceProfile(state: StateReader, accountId: string, name: string): EntityOf<'instanceProfile'> {
  const profile = state.byName('instanceProfile', accountId, name);
  if (profile === undefined) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** A customer managed policy of this account, by ARN. */
export function requireCustomerPolicy(state: StateReader, accountId: string, arn: string): EntityOf<'policy'> {
  const policy = customerPolicyByArn(state, arn);
  if (policy === undefined || policy.accountId !== accountId) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

/** Any managed policy (AWS or this account's) that can be attached. */
export function requireAttachablePolicy(state: StateReader, accountId: string, arn: string): ManagedPolicyRef {
  const ref = managedPolicyByArn(state, arn);
  if (ref === undefined || (ref.entity !== undefined && ref.entity.accountId !== accountId) || !inAccountPartition(state, accountId, arn)) {
    throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }
  return ref;
}
