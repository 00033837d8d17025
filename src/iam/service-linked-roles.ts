// Service-linked roles: roles an AWS service creates for itself, named AWSServiceRoleFor<Service>
// under /aws-service-role/<service principal>/, trusting only that service, with the service's
// role policy attached. Only AWS may change them (role-protection.ts); deleting one goes through a
// deletion task, which Gatehouse completes at once (there is no linked service to ask).
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
  /** The role name after AWSServiceRoleFor. */
  roleSuffix: string;
  /** The AWS managed policy the service's role gets (path /aws-service-role/). */
  policyName?: string;
  /** Some services take one role only: "Custom suffix is not allowed for es.amazonaws.com". */
  customSuffix: boolean;
}

// Well-known services, as their service-linked roles are named in AWS. Other *.amazonaws.com
// principals get a role named after the first label of the principal, with no policy. Custom
// suffixes are refused only where AWS is known to refuse them.
const LINKED_SERVICES: Readonly<Record<string, LinkedService>> = {
  'autoscaling.amazonaws.com': { roleSuffix: 'AutoScaling', policyName: 'AutoScalingServiceRolePolicy', customSuffix: true },
  'elasticbeanstalk.amazonaws.com': { roleSuffix: 'ElasticBeanstalk', policyName: 'AWSElasticBeanstalkServiceRolePolicy', customSuffix: true },
  'ecs.amazonaws.com': { roleSuffix: 'ECS', policyName: 'AmazonECSServiceRolePolicy', customSuffix: true },
  'es.amazonaws.com': { roleSuffix: 'AmazonElasticsearchService', policyName: 'AmazonElasticsearchServiceRolePolicy', customSuffix: false },
  'opensearchservice.amazonaws.com': { roleSuffix: 'AmazonOpenSearchService', policyName: 'AmazonOpenSearchServiceRolePolicy', customSuffix: false },
  'spot.amazonaws.com': { roleSuffix: 'EC2Spot', policyName: 'AWSEC2SpotServiceRolePolicy', customSuffix: true },
  'spotfleet.amazonaws.com': { roleSuffix: 'EC2SpotFleet', policyName: 'AWSEC2SpotFleetServiceRolePolicy', customSuffix: true },
  'elasticloadbalancing.amazonaws.com': { roleSuffix: 'ElasticLoadBalancing', policyName: 'AWSElasticLoadBalancingServiceRolePolicy', customSuffix: true },
  'rds.amazonaws.com': { roleSuffix: 'RDS', policyName: 'AmazonRDSServiceRolePolicy', customSuffix: true },
  'organizations.amazonaws.com': { roleSuffix: 'Organizations', policyName: 'AWSOrganizationsServiceTrustPolicy', customSuffix: true },
  'support.amazonaws.com': { roleSuffix: 'Support', policyName: 'AWSSupportServiceRolePolicy', customSuffix: true },
  'trustedadvisor.amazonaws.com': { roleSuffix: 'TrustedAdvisor', policyName: 'AWSTrustedAdvisorServiceRolePolicy', customSuffix: true },
  'guardduty.amazonaws.com': { roleSuffix: 'AmazonGuardDuty', policyName: 'AmazonGuardDutyServiceRolePolicy', customSuffix: true },
  'eks.amazonaws.com': { roleSuffix: 'AmazonEKS', policyName: 'AmazonEKSServiceRolePolicy', customSuffix: true },
  'emr-containers.amazonaws.com': { roleSuffix: 'AmazonEMRContainers', policyName: 'AmazonEMRContainersServiceRolePolicy', customSuffix: true },
  'config.amazonaws.com': { roleSuffix: 'Config', policyName: 'AWSConfigServiceRolePolicy', customSuffix: true },
  'sso.amazonaws.com': { roleSuffix: 'SSO', policyName: 'AWSSSOServiceRolePolicy', customSuffix: true },
  'cloudtrail.amazonaws.com': { roleSuffix: 'CloudTrail', policyName: 'CloudTrailServiceRolePolicy', customSuffix: true },
};

const SERVICE_PRINCIPAL_RE = /^([a-z0-9][a-z0-9-]*)(\.[a-z0-9-]+)*\.amazonaws\.com$/;

function linkedService(awsServiceName: string): LinkedService {
  const known = LINKED_SERVICES[awsServiceName];
  if (known !== undefined) return known;
  const m = SERVICE_PRINCIPAL_RE.exec(awsServiceName);
  if (m === null) throw invalidInput(`Invalid service name: ${awsServiceName}`);
  const label = m[1]!.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { roleSuffix: label, customSuffix: true };
}

/** The role name and path CreateServiceLinkedRole gives (used for authorization before it exists). */
export function serviceLinkedRoleName(awsServiceName: string, customSuffix?: string): { roleName: string; path: string } {
  const service = linkedService(awsServiceName);
  if (customSuffix !== undefined && !service.customSuffix) throw invalidInput(`Custom suffix is not allowed for ${awsServiceName}`);
  const base = `AWSServiceRoleFor${service.roleSuffix}`;
  return { roleName: customSuffix !== undefined ? `${base}_${customSuffix}` : base, path: `${SERVICE_LINKED_ROLE_PATH}${awsServiceName}/` };
}

function trustPolicyFor(awsServiceName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: [awsServiceName] }, Action: ['sts:AssumeRole'] }],
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
  const policyName = LINKED_SERVICES[input.awsServiceName]?.policyName;
  const policyArn = policyName && `arn:${accountPartition(tx, accountId)}:iam::aws:policy/aws-service-role/${policyName}`;
  if (!policyArn || awsManagedPolicy(policyArn) === undefined) return role;
  const withPolicy = { ...role, data: { ...role.data, attachedPolicyArns: [policyArn] } };
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
