// Service last accessed reports ("Refining permissions using last accessed information"): for a
// user, role, group or managed policy, each service its permissions policies allow, and when an
// entity that could use those policies last attempted to use it: the user or role itself, a
// group's members, or the users and roles a policy is attached to (directly or through a group).
// Only permissions policies decide which services are listed (boundaries, SCPs and resource
// policies do not), as AWS documents. Attempts older than the tracking period do not count.
//
// AWS makes a report asynchronously; Gatehouse reads the trail and makes it within
// GenerateServiceLastAccessedDetails, so the first GetServiceLastAccessedDetails already answers
// COMPLETED. Reports are kept as `serviceLastAccessedJob` entities: the newest JOBS_PER_ACCOUNT
// per account, each for JOB_LIFETIME_MS.
import { compilePolicyText, type CompiledPolicy } from '../policy/index.ts';
import { groupsOfUser } from '../iam/groups.ts';
import { requireManagedPolicy } from '../iam/policies.ts';
import { managedPolicyByArn } from '../iam/policy-lookup.ts';
import { requireGroup, requireRole, requireUser } from '../iam/require.ts';
import type { Draft, EntityOf, StateReader } from '../iam/state.ts';
import { parseIamArn } from '../model/arn.ts';
import { invalidInput, noSuchEntity } from '../model/errors.ts';
import type { LastAccessedIndex, LastUse } from './last-accessed-index.ts';
import { ACTION_TRACKED_NAMESPACES, SERVICE_NAMES } from './service-namespaces.ts';

/** AWS's tracking period for service last accessed information: the most recent 400 days. */
export const TRACKING_PERIOD_DAYS = 400;
/** Reports kept per account (the oldest goes first) … */
export const JOBS_PER_ACCOUNT = 100;
/** … and for how long (Gatehouse's choice: a week). */
export const JOB_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export const JOB_KIND = 'serviceLastAccessedJob';

export type Granularity = 'SERVICE_LEVEL' | 'ACTION_LEVEL';
export type ReportEntityType = 'USER' | 'ROLE';

export interface ReportEntity {
  arn: string;
  name: string;
  type: ReportEntityType;
  id: string;
  path: string;
}

export interface TrackedAction {
  actionName: string;
  entityArn: string;
  time: string;
  region: string;
}

export interface ServiceRow {
  namespace: string;
  name: string;
  /** The newest attempt among the report's entities, if any. */
  last?: { time: string; region: string; entityArn: string };
  totalAuthenticatedEntities: number;
  /** ACTION_LEVEL reports, tracked namespaces only, when some tracked action was tried. */
  trackedActions?: TrackedAction[];
}

export interface ServiceLastAccessedJob {
  jobId: string;
  arn: string;
  jobType: Granularity;
  jobCreationDate: string;
  jobCompletionDate: string;
  /** Increases with each job of the account: which is older when two were made in one instant. */
  serial: number;
  services: ServiceRow[];
  entities: ReportEntity[];
  /** Per namespace, each entity's (by index in `entities`) newest attempt time; absent: none. */
  entityLastUse: Record<string, (string | null)[]>;
}

/** One permissions policy of an identity, as ListPoliciesGrantingServiceAccess names it. */
export interface GrantingPolicy {
  policyName: string;
  policyType: 'INLINE' | 'MANAGED';
  policyArn?: string;
  entityType?: 'USER' | 'ROLE' | 'GROUP';
  entityName?: string;
  document: string;
}

type Subject =
  | { kind: 'user'; entity: EntityOf<'user'> }
  | { kind: 'role'; entity: EntityOf<'role'> }
  | { kind: 'group'; entity: EntityOf<'group'> }
  | { kind: 'policy'; arn: string; name: string; document: string };

function invalidArn(arn: string): Error {
  return invalidInput(`ARN ${arn} is not valid.`);
}

/** The user, role, group or managed policy an ARN names in this account; NoSuchEntity or InvalidInput. */
function subjectOf(state: StateReader, accountId: string, arn: string, policies: boolean): Subject {
  const parsed = parseIamArn(arn);
  if (parsed === undefined) throw invalidArn(arn);
  if (parsed.type === 'policy' && policies) {
    requireManagedPolicy(state, accountId, arn);
    return { kind: 'policy', arn, name: parsed.name, document: managedPolicyByArn(state, arn)!.document };
  }
  if (parsed.account !== accountId) throw invalidArn(arn);
  const check = <E extends { data: { arn: string } }>(e: E): E => {
    if (e.data.arn !== arn) throw noSuchEntity(`The ${parsed.type} with name ${parsed.name} cannot be found.`);
    return e;
  };
  switch (parsed.type) {
    case 'user':
      return { kind: 'user', entity: check(requireUser(state, accountId, parsed.name)) };
    case 'role':
      return { kind: 'role', entity: check(requireRole(state, accountId, parsed.name)) };
    case 'group':
      return { kind: 'group', entity: check(requireGroup(state, accountId, parsed.name)) };
    default:
      throw invalidArn(arn);
  }
}

function managed(state: StateReader, arns: readonly string[]): GrantingPolicy[] {
  const out: GrantingPolicy[] = [];
  for (const arn of arns) {
    const ref = managedPolicyByArn(state, arn);
    if (ref !== undefined) out.push({ policyName: arn.slice(arn.lastIndexOf('/') + 1), policyType: 'MANAGED', policyArn: arn, document: ref.document });
  }
  return out;
}

function inline(entityType: 'USER' | 'ROLE' | 'GROUP', entityName: string, policies: Record<string, string>): GrantingPolicy[] {
  return Object.entries(policies).map(([policyName, document]) => ({ policyName, policyType: 'INLINE' as const, entityType, entityName, document }));
}

/** The permissions policies that apply to the subject: its own, and for a user its groups'. */
function permissionsPolicies(state: StateReader, subject: Subject): GrantingPolicy[] {
  switch (subject.kind) {
    case 'policy':
      return [{ policyName: subject.name, policyType: 'MANAGED', policyArn: subject.arn, document: subject.document }];
    case 'group': {
      const g = subject.entity.data;
      return [...managed(state, g.attachedPolicyArns), ...inline('GROUP', g.groupName, g.inlinePolicies)];
    }
    case 'role': {
      const r = subject.entity.data;
      return [...managed(state, r.attachedPolicyArns), ...inline('ROLE', r.roleName, r.inlinePolicies)];
    }
    case 'user': {
      const u = subject.entity.data;
      const out = [...managed(state, u.attachedPolicyArns), ...inline('USER', u.userName, u.inlinePolicies)];
      for (const group of groupsOfUser(state, subject.entity)) {
        out.push(...managed(state, group.data.attachedPolicyArns), ...inline('GROUP', group.data.groupName, group.data.inlinePolicies));
      }
      return out;
    }
  }
}

/** `pattern`'s namespace part (before the colon) as a case-insensitive matcher of namespaces. */
function namespaceMatcher(pattern: string): (namespace: string) => boolean {
  const colon = pattern.indexOf(':');
  const part = colon < 0 ? pattern : pattern.slice(0, colon);
  if (!/[*?]/.test(part)) return (ns) => ns === part.toLowerCase();
  const re = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return (ns) => re.test(ns);
}

/** True when the pattern covers every action of the namespaces it matches (`*`, `s3:*`). */
function coversWholeNamespace(pattern: string): boolean {
  return pattern === '*' || pattern.endsWith(':*');
}

/**
 * Whether the policy allows some action of the namespace: an Allow statement whose Action names
 * one (the compiled statement's service prefixes, or a wildcard prefix that matches it), or whose
 * NotAction leaves some action of it out. Conditions and resources are not weighed (AWS lists the
 * services a policy could allow).
 */
function allowsNamespace(policy: CompiledPolicy, namespace: string): boolean {
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') continue;
    if (s.source.notAction !== undefined) {
      if (!s.source.notAction.some((p) => coversWholeNamespace(p) && namespaceMatcher(p)(namespace))) return true;
      continue;
    }
    if (s.services !== undefined) {
      if (s.services.includes(namespace)) return true;
      continue;
    }
    if ((s.source.action ?? []).some((p) => namespaceMatcher(p)(namespace))) return true;
  }
  return false;
}

function compile(policy: GrantingPolicy, index: number): CompiledPolicy | undefined {
  try {
    return compilePolicyText(policy.document, 'identity', `${index}`);
  } catch {
    return undefined; // documents were validated when written; an AWS managed one we cannot read allows nothing here
  }
}

/** The users and roles whose attempts a report counts. */
function reportEntities(state: StateReader, accountId: string, subject: Subject): ReportEntity[] {
  const user = (u: EntityOf<'user'>): ReportEntity => ({ arn: u.data.arn, name: u.data.userName, type: 'USER', id: u.id, path: u.data.path });
  const role = (r: EntityOf<'role'>): ReportEntity => ({ arn: r.data.arn, name: r.data.roleName, type: 'ROLE', id: r.id, path: r.data.path });
  switch (subject.kind) {
    case 'user':
      return [user(subject.entity)];
    case 'role':
      return [role(subject.entity)];
    case 'group':
      return state.list('user', accountId).filter((u) => u.data.groupIds.includes(subject.entity.id)).map(user);
    case 'policy': {
      const groups = new Set(state.list('group', accountId).filter((g) => g.data.attachedPolicyArns.includes(subject.arn)).map((g) => g.id));
      const users = state.list('user', accountId).filter((u) => u.data.attachedPolicyArns.includes(subject.arn) || u.data.groupIds.some((g) => groups.has(g)));
      const roles = state.list('role', accountId).filter((r) => r.data.attachedPolicyArns.includes(subject.arn));
      return [...users.map(user), ...roles.map(role)];
    }
  }
}

/** The namespaces a report lists: those of SERVICE_NAMES that some policy allows, in namespace order. */
function allowedServices(policies: readonly GrantingPolicy[]): string[] {
  const compiled = policies.map(compile).filter((p): p is CompiledPolicy => p !== undefined);
  return [...SERVICE_NAMES.keys()].filter((ns) => compiled.some((p) => allowsNamespace(p, ns))).sort();
}

export interface NewJob {
  accountId: string;
  arn: string;
  granularity: Granularity;
  jobId: string;
  now: Date;
  index: LastAccessedIndex;
}

/** GenerateServiceLastAccessedDetails: makes the report now, keeps it, and answers its JobId. */
export function generateServiceLastAccessedDetails(tx: Draft, args: NewJob): ServiceLastAccessedJob {
  const subject = subjectOf(tx, args.accountId, args.arn, true);
  const namespaces = allowedServices(permissionsPolicies(tx, subject));
  const entities = reportEntities(tx, args.accountId, subject);
  const since = new Date(args.now.getTime() - TRACKING_PERIOD_DAYS * 86_400_000).toISOString();
  const nowIso = args.now.toISOString();

  // Per entity: its newest attempt per namespace and per tracked action, within the period.
  const perEntity = entities.map((e) => {
    const byNamespace = new Map<string, LastUse>();
    const byAction = new Map<string, LastUse>();
    for (const [action, use] of args.index.usesOf(e.id) ?? []) {
      if (use.time < since) continue;
      const ns = action.slice(0, action.indexOf(':'));
      const known = byNamespace.get(ns);
      if (known === undefined || known.time < use.time) byNamespace.set(ns, use);
      if (args.granularity === 'ACTION_LEVEL' && ACTION_TRACKED_NAMESPACES.has(ns)) byAction.set(action, use);
    }
    return { byNamespace, byAction };
  });

  const services: ServiceRow[] = [];
  const entityLastUse: Record<string, (string | null)[]> = {};
  for (const namespace of namespaces) {
    const row: ServiceRow = { namespace, name: SERVICE_NAMES.get(namespace)!, totalAuthenticatedEntities: 0 };
    const times: (string | null)[] = [];
    const tracked = new Map<string, TrackedAction>();
    perEntity.forEach((uses, i) => {
      const use = uses.byNamespace.get(namespace);
      times.push(use?.time ?? null);
      if (use === undefined) return;
      row.totalAuthenticatedEntities++;
      if (row.last === undefined || row.last.time < use.time) row.last = { time: use.time, region: use.region, entityArn: entities[i]!.arn };
      for (const [action, a] of uses.byAction) {
        if (!action.startsWith(`${namespace}:`)) continue;
        const known = tracked.get(action);
        if (known === undefined || known.time < a.time) tracked.set(action, { actionName: action.slice(namespace.length + 1), entityArn: entities[i]!.arn, time: a.time, region: a.region });
      }
    });
    // Absent, as AWS answers it, when no tracked action was tried within the period.
    if (tracked.size > 0) {
      row.trackedActions = [...tracked.values()].sort((a, b) => (a.actionName < b.actionName ? -1 : 1));
    }
    services.push(row);
    entityLastUse[namespace] = times;
  }

  const job: ServiceLastAccessedJob = {
    jobId: args.jobId,
    arn: args.arn,
    jobType: args.granularity,
    jobCreationDate: nowIso,
    jobCompletionDate: nowIso,
    serial: 0,
    services,
    entities,
    entityLastUse,
  };
  keepJob(tx, args.accountId, job, args.now);
  return job;
}

/** Stores the job; drops the account's expired jobs and, beyond JOBS_PER_ACCOUNT, its oldest. */
function keepJob(tx: Draft, accountId: string, job: ServiceLastAccessedJob, now: Date): void {
  const jobs = tx.list(JOB_KIND, accountId) as unknown as readonly { id: string; data: ServiceLastAccessedJob }[];
  const expiredBefore = new Date(now.getTime() - JOB_LIFETIME_MS).toISOString();
  const live = jobs.filter((j) => {
    if (j.data.jobCreationDate >= expiredBefore) return true;
    tx.delete(JOB_KIND, j.id);
    return false;
  });
  live.sort((a, b) => a.data.serial - b.data.serial);
  for (let i = 0; i <= live.length - JOBS_PER_ACCOUNT; i++) tx.delete(JOB_KIND, live[i]!.id);
  job.serial = jobs.reduce((max, j) => Math.max(max, j.data.serial), 0) + 1;
  tx.put({ kind: JOB_KIND, id: job.jobId, accountId, data: job });
}

/** A job of the account that has not expired; else NoSuchEntity. */
export function requireJob(state: StateReader, accountId: string, jobId: string, now: Date): ServiceLastAccessedJob {
  const job = state.get(JOB_KIND, jobId) as { accountId: string; data: ServiceLastAccessedJob } | undefined;
  if (job === undefined || job.accountId !== accountId || now.getTime() - Date.parse(job.data.jobCreationDate) >= JOB_LIFETIME_MS) {
    throw noSuchEntity(`The job with id ${jobId} cannot be found.`);
  }
  return job.data;
}

/** The report's entities with their newest attempt at the namespace, most recent first, then never-used ones by name. */
export function entitiesOfService(job: ServiceLastAccessedJob, namespace: string): { entity: ReportEntity; lastAuthenticated?: string }[] {
  const times = job.entityLastUse[namespace.toLowerCase()];
  if (times === undefined) return [];
  return job.entities
    .map((entity, i) => ({ entity, lastAuthenticated: times[i] ?? undefined }))
    .sort((a, b) => {
      if (a.lastAuthenticated !== b.lastAuthenticated) {
        if (a.lastAuthenticated === undefined) return 1;
        if (b.lastAuthenticated === undefined) return -1;
        return a.lastAuthenticated > b.lastAuthenticated ? -1 : 1;
      }
      return a.entity.name < b.entity.name ? -1 : a.entity.name > b.entity.name ? 1 : 0;
    });
}

/**
 * ListPoliciesGrantingServiceAccess: per namespace asked (in the order asked), the permissions
 * policies of the user, role or group that allow some action of it.
 */
export function policiesGrantingServiceAccess(
  state: StateReader,
  accountId: string,
  arn: string,
  namespaces: readonly string[],
): { namespace: string; policies: GrantingPolicy[] }[] {
  const subject = subjectOf(state, accountId, arn, false);
  const policies = permissionsPolicies(state, subject);
  const compiled = policies.map(compile);
  const seen = new Set<string>();
  const out: { namespace: string; policies: GrantingPolicy[] }[] = [];
  for (const asked of namespaces) {
    const namespace = asked.toLowerCase();
    if (seen.has(namespace)) continue;
    seen.add(namespace);
    out.push({ namespace: asked, policies: policies.filter((_, i) => compiled[i] !== undefined && allowsNamespace(compiled[i]!, namespace)) });
  }
  return out;
}
