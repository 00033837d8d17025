// Service last accessed information on the wire: GenerateServiceLastAccessedDetails,
// GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities and
// ListPoliciesGrantingServiceAccess. Generate and ListPolicies… are authorized on the ARN they
// name (a user, role, group or policy, with its tags); the two Gets on "*", as in the Service
// Authorization Reference. Generate reads the trail up to the calls answered before it
// (analyzer/last-accessed-index.ts), then makes the report in one transaction.
import {
  entitiesOfService,
  generateServiceLastAccessedDetails,
  policiesGrantingServiceAccess,
  requireJob,
  type Granularity,
  type ServiceLastAccessedJob,
  type ServiceRow,
} from '../../analyzer/last-accessed.ts';
import { parseIamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Operations } from '../operation.ts';
import type { Members } from './shapes.ts';
import { anyResource, groupTarget, policyTarget, roleTarget, userTarget } from './targets.ts';

/** The entity the ARN names, as its own operations are authorized (its tags when it exists here). */
function arnTarget(call: CallContext, arn: string): AuthorizationTarget {
  const parsed = parseIamArn(arn);
  if (parsed === undefined || parsed.account !== call.accountId) return { resource: arn };
  switch (parsed.type) {
    case 'user':
      return userTarget(call, parsed.name);
    case 'role':
      return roleTarget(call, parsed.name);
    case 'group':
      return groupTarget(call, parsed.name);
    case 'policy':
      return policyTarget(call, arn);
    default:
      return { resource: arn };
  }
}

function serviceOutput(row: ServiceRow): Members {
  return {
    ServiceName: row.name,
    ServiceNamespace: row.namespace,
    LastAuthenticated: row.last?.time,
    LastAuthenticatedEntity: row.last?.entityArn,
    LastAuthenticatedRegion: row.last?.region,
    TotalAuthenticatedEntities: row.totalAuthenticatedEntities,
    TrackedActionsLastAccessed: row.trackedActions?.map((a) => ({
      ActionName: a.actionName,
      LastAccessedEntity: a.entityArn,
      LastAccessedTime: a.time,
      LastAccessedRegion: a.region,
    })),
  };
}

function jobHeader(job: ServiceLastAccessedJob): Members {
  return { JobStatus: 'COMPLETED', JobCreationDate: job.jobCreationDate, JobCompletionDate: job.jobCompletionDate };
}

export const lastAccessedOperations: Operations = {
  GenerateServiceLastAccessedDetails: {
    target: (input, call) => arnTarget(call, input.Arn),
    async run(input, call, { trail, lastAccessed }) {
      await trail.flush();
      await lastAccessed.catchUp();
      return call.transact((tx) => {
        const job = generateServiceLastAccessedDetails(tx, {
          accountId: call.accountId,
          arn: input.Arn,
          granularity: (input.Granularity ?? 'SERVICE_LEVEL') as Granularity,
          jobId: call.ids.requestId(),
          now: call.clock.now(),
          index: lastAccessed,
        });
        return { JobId: job.jobId };
      });
    },
  },

  GetServiceLastAccessedDetails: {
    target: anyResource,
    run(input, call) {
      const job = requireJob(call.state, call.accountId, input.JobId, call.clock.now());
      const { page, isTruncated, marker } = paginate(job.services, input.Marker, input.MaxItems);
      return { ...jobHeader(job), JobType: job.jobType, ServicesLastAccessed: page.map(serviceOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },

  GetServiceLastAccessedDetailsWithEntities: {
    target: anyResource,
    run(input, call) {
      const job = requireJob(call.state, call.accountId, input.JobId, call.clock.now());
      const { page, isTruncated, marker } = paginate(entitiesOfService(job, input.ServiceNamespace), input.Marker, input.MaxItems);
      return {
        ...jobHeader(job),
        EntityDetailsList: page.map(({ entity, lastAuthenticated }) => ({
          EntityInfo: { Arn: entity.arn, Name: entity.name, Type: entity.type, Id: entity.id, Path: entity.path },
          LastAuthenticated: lastAuthenticated,
        })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  },

  // At most 200 namespaces, each with the identity's few policies: one page always holds them.
  ListPoliciesGrantingServiceAccess: {
    target: (input, call) => arnTarget(call, input.Arn),
    run(input, call) {
      const granted = policiesGrantingServiceAccess(call.state, call.accountId, input.Arn, input.ServiceNamespaces);
      return {
        PoliciesGrantingServiceAccess: granted.map(({ namespace, policies }) => ({
          ServiceNamespace: namespace,
          Policies: policies.map((p) => ({ PolicyName: p.policyName, PolicyType: p.policyType, PolicyArn: p.policyArn, EntityType: p.entityType, EntityName: p.entityName })),
        })),
        IsTruncated: false,
      };
    },
  },
};
