// Service-linked roles: roles an AWS service creates for itself, named AWSServiceRoleFor<Service>
// under /aws-service-role/<service principal>/, trusting only that service, with the service's
// role policy attached. Only AWS may change them (role-protection.ts); deleting one goes through a
// deletion task, which Gatehouse completes at once (there is no linked service to ask).
import { readFileSync } from 'node:fs';
import { deleteConflict, invalidInput, noSuchEntity } from '../model/errors.ts';
import { awsManagedPolicy } from './managed-policies.ts';
import { requireRole } from './require.ts';
import { putNewRole } from './roles.ts';
import { SERVICE_LINKED_ROLE_PATH, instanceProfilesOfRole, isServiceLinkedRole } from './role-protection.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { accountPartition } from './partition.ts';

export const DELETION_TASK_KIND = 'serviceLinkedRoleDeletionTask';

export interface ServiceLinkedRoleDeletionTask {
  deletionTaskId: string;
  roleName: string;
  roleArn: string;
  status: 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
  createDate: string;
}

interface LinkedService {
  /** The whole role name without a custom suffix: AWSServiceRoleForAmazonSSM_AccountDiscovery. */
  roleName: string;
  /** The AWS managed policies (path /aws-service-role/) the service's role gets. */
  policies: readonly string[];
  /** Most services take one role only: "Custom suffix is not allowed for es.amazonaws.com". */
  customSuffix: boolean;
}

// AWS's service-linked roles, by service principal, as each service's "Using service-linked roles"
// page names them (data/service-linked-roles.json; each policy is checked against the managed
// policy library by test/iam/service-linked-roles.test.ts). A principal not in the table gets
// AWSServiceRoleFor + its first label in PascalCase (foo-bar.amazonaws.com → AWSServiceRoleForFooBar),
// no policy, and takes a custom suffix: refusing one there would be inventing AWS's behaviour.
const LINKED_SERVICES: Readonly<Record<string, LinkedService>> = JSON.parse(
  readFileSync(new URL('./data/service-linked-roles.json', import.meta.url), 'utf8'),
);

const SERVICE_PRINCIPAL_RE = /^([a-z0-9][a-z0-9-]*)(\.[a-z0-9-]+)*\.amazonaws\.com$/;

function linkedService(awsServiceName: string): LinkedService {
  const known = Object.hasOwn(LINKED_SERVICES, awsServiceName) ? LINKED_SERVICES[awsServiceName] : undefined;
  if (known !== undefined) return known;
  const m = SERVICE_PRINCIPAL_RE.exec(awsServiceName);
  if (m === null) throw invalidInput(`Invalid service name: ${awsServiceName}`);
  const label = m[1]!.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { roleName: `AWSServiceRoleFor${label}`, policies: [], customSuffix: true };
}

/** The role name and path CreateServiceLinkedRole gives (used for authorization before it exists). */
export function serviceLinkedRoleName(awsServiceName: string, customSuffix?: string): { roleName: string; path: string } {
  const service = linkedService(awsServiceName);
  if (customSuffix !== undefined && !service.customSuffix) throw invalidInput(`Custom suffix is not allowed for ${awsServiceName}`);
  const roleName = customSuffix !== undefined ? `${service.roleName}_${customSuffix}` : service.roleName;
  return { roleName, path: `${SERVICE_LINKED_ROLE_PATH}${awsServiceName}/` };
}

/** The AWS managed policy ARNs a service's role gets (those the library knows). */
export function serviceLinkedRolePolicyArns(awsServiceName: string, partition = 'aws'): string[] {
  return linkedService(awsServiceName)
    .policies.map((name) => `arn:${partition}:iam::aws:policy/aws-service-role/${name}`)
    .filter((arn) => awsManagedPolicy(arn) !== undefined);
}

// AWS writes the one principal and the one action as plain strings, not one-element arrays.
function trustPolicyFor(awsServiceName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: awsServiceName }, Action: 'sts:AssumeRole' }],
  });
}

export function createServiceLinkedRole(
  tx: Draft,
  accountId: string,
  input: { awsServiceName: string; description?: string; customSuffix?: string },
  ids: { roleId: string; now: string },
): EntityOf<'role'> {
  const { roleName, path } = serviceLinkedRoleName(input.awsServiceName, input.customSuffix);
  if (tx.byName('role', accountId, roleName) !== undefined) {
    throw invalidInput(`Service role name ${roleName} has been taken in this account, please try a different suffix.`);
  }
  const role = putNewRole(
    tx,
    accountId,
    { roleName, path, assumeRolePolicyDocument: trustPolicyFor(input.awsServiceName), description: input.description },
    ids,
  );
  const attachedPolicyArns = serviceLinkedRolePolicyArns(input.awsServiceName, accountPartition(tx, accountId));
  if (attachedPolicyArns.length === 0) return role;
  const withPolicy = { ...role, data: { ...role.data, attachedPolicyArns } };
  tx.put(withPolicy);
  return withPolicy;
}

/** Deletes a service-linked role at once and records the finished task. */
export function deleteServiceLinkedRole(tx: Draft, accountId: string, roleName: string, ids: { taskUuid: string; now: string }): string {
  const role = requireRole(tx, accountId, roleName);
  if (!isServiceLinkedRole(role.data)) throw invalidInput(`Role ${role.data.roleName} is not a service-linked role.`);
  // Its own policies go with it; only an instance profile holding it stands in the way.
  if (instanceProfilesOfRole(tx, accountId, role.id).length > 0) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  const service = role.data.path.slice(SERVICE_LINKED_ROLE_PATH.length, -1);
  const deletionTaskId = `task/aws-service-role/${service}/${role.data.roleName}/${ids.taskUuid}`;
  tx.delete('role', role.id);
  const task: ServiceLinkedRoleDeletionTask = {
    deletionTaskId,
    roleName: role.data.roleName,
    roleArn: role.data.arn,
    status: 'SUCCEEDED',
    createDate: ids.now,
  };
  tx.put({ kind: DELETION_TASK_KIND, id: deletionTaskId, accountId, data: task });
  return deletionTaskId;
}

const TASK_RE = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** The service principal and role a deletion task id names, or undefined when it is not one. */
export function parseDeletionTaskId(taskId: string): { service: string; roleName: string } | undefined {
  const m = TASK_RE.exec(taskId);
  return m === null ? undefined : { service: m[1]!, roleName: m[2]! };
}

export function deletionTaskStatus(state: StateReader, accountId: string, taskId: string): ServiceLinkedRoleDeletionTask {
  if (parseDeletionTaskId(taskId) === undefined) throw invalidInput(`Invalid deletion task id: ${taskId}`);
  const task = state.get(DELETION_TASK_KIND, taskId);
  if (task === undefined || task.accountId !== accountId) throw noSuchEntity(`Deletion task ${taskId} cannot be found.`);
  return task.data as ServiceLinkedRoleDeletionTask;
}
