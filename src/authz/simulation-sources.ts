// The policies a simulation runs on. A user's or role's come from the authorizer's own collection
// (Authorizer.policiesFor → PolicyView), so the simulator judges with exactly the policies real
// calls are judged with; each compiled policy is then named as the simulator's answer names it
// (the inline or managed policy's name, its source type, and its text for statement positions).
// Policies passed in a request are parsed here with the kind AWS expects of them.
import type { Caller } from '../iam/caller.ts';
import { managedPolicyByArn } from '../iam/policy-lookup.ts';
import type { EntityOf, StateReader } from '../iam/state.ts';
import { parseIamArn } from '../model/arn.ts';
import { invalidInput, noSuchEntity } from '../model/errors.ts';
import { parsePolicy, type CompiledPolicy, type PolicyKind, type RequestPrincipal } from '../policy/index.ts';
import type { PolicyData } from './simulation-job.ts';
import type { Authorizer } from './authorizer.ts';
import type { PolicyView } from './policy-view.ts';
import type { PolicySourceType, SimulationPolicy } from './simulate.ts';

/** Documents passed to the simulator are limited by the API's own length (policyDocumentType), not the IAM quotas. */
const INPUT_MAX_SIZE = 131072;

export type SourceEntity = EntityOf<'user'> | EntityOf<'group'> | EntityOf<'role'>;

export interface PrincipalSources {
  kind: 'user' | 'group' | 'role';
  entity: SourceEntity;
  /** Who the simulated calls come from when no CallerArn is given. */
  principal: RequestPrincipal;
  identity: SimulationPolicy[];
  /** The principal's permissions boundary; undefined when it has none (groups never do). */
  boundary?: SimulationPolicy[];
}

export interface SourceDeps {
  state: StateReader;
  view: PolicyView;
  authorizer: Authorizer;
}

/** The user, group or role a PolicySourceArn names (NoSuchEntity with AWS's messages), and the kind. */
export function requireSourceEntity(state: StateReader, arn: string): { kind: 'user' | 'group' | 'role'; entity: SourceEntity } {
  const parsed = parseIamArn(arn);
  if (parsed === undefined || (parsed.type !== 'user' && parsed.type !== 'group' && parsed.type !== 'role')) {
    throw invalidInput(`ARN ${arn} is not valid.`);
  }
  const kind = parsed.type;
  const entity = state.byName(kind, parsed.account, parsed.name) as SourceEntity | undefined;
  // The path is part of the ARN: a user at another path is another ARN.
  if (entity === undefined || entity.data.arn !== arn) {
    throw noSuchEntity(`The ${kind} with name ${parsed.name} cannot be found.`);
  }
  return { kind, entity };
}

/** A caller standing for the entity, to ask the authorizer for its policies. */
function standIn(principal: RequestPrincipal, entityId: string, accountId: string): Caller {
  return { principal, accountId, userId: entityId, entityId, accessKeyId: '', tags: [] };
}

/** The policies of the user (its own and its groups'), group (its own) or role a PolicySourceArn names. */
export function principalSources(deps: SourceDeps, arn: string): PrincipalSources {
  const { kind, entity } = requireSourceEntity(deps.state, arn);
  const account = entity.accountId;
  if (kind === 'group') {
    const g = (entity as EntityOf<'group'>).data;
    // Groups are never callers, so the authorizer has no collection for them: compile through the
    // view as it does for a member's groups (same ids, same cache).
    const compiled: CompiledPolicy[] = [
      ...Object.entries(g.inlinePolicies).map(([name, doc]) => deps.view.compile(`${g.arn}#${name}`, doc, 'identity')),
      ...g.attachedPolicyArns.flatMap((a) => deps.view.managedCompiled(a, 'identity') ?? []),
    ];
    return {
      kind,
      entity,
      principal: { type: 'IAMUser', arn: g.arn, account },
      identity: compiled.map((p) => describe(deps.state, p, 'IAM Policy')),
    };
  }
  const principal: RequestPrincipal =
    kind === 'user' ? { type: 'IAMUser', arn, account } : { type: 'AssumedRole', arn, roleArn: arn, account };
  const own = deps.authorizer.policiesFor(standIn(principal, entity.id, account));
  return {
    kind,
    entity,
    principal,
    identity: (own.identity?.policies ?? []).map((p) => describe(deps.state, p, 'IAM Policy')),
    boundary: own.boundary?.policies.map((p) => describe(deps.state, p, 'Permissions Boundary Policy')),
  };
}

function entityByArn(state: StateReader, arn: string): SourceEntity | undefined {
  const parsed = parseIamArn(arn);
  if (parsed === undefined || (parsed.type !== 'user' && parsed.type !== 'group' && parsed.type !== 'role')) return undefined;
  return state.byName(parsed.type, parsed.account, parsed.name) as SourceEntity | undefined;
}

/**
 * Names a compiled policy of the view as the simulator's answer does. The view names inline
 * policies `<owner ARN>#<name>` and managed policies by their ARN.
 */
function describe(state: StateReader, policy: CompiledPolicy, sourcePolicyType: PolicySourceType): SimulationPolicy {
  const hash = policy.id.lastIndexOf('#');
  if (hash >= 0) {
    const ownerArn = policy.id.slice(0, hash);
    const name = policy.id.slice(hash + 1);
    const owner = entityByArn(state, ownerArn);
    return { policy, sourcePolicyId: name, sourcePolicyType, text: owner?.data.inlinePolicies[name] ?? '' };
  }
  const ref = managedPolicyByArn(state, policy.id);
  return {
    policy,
    sourcePolicyId: parseIamArn(policy.id)?.name ?? policy.id,
    sourcePolicyType,
    text: ref?.document ?? '',
  };
}

/**
 * Parses a document passed to the simulator (compiled where the simulation runs: simulation-job.ts);
 * a malformed one is InvalidInput (the operations' documented error).
 */
function parseInput(text: string, kind: PolicyKind, id: string, sourcePolicyType: PolicySourceType): PolicyData {
  try {
    return { document: parsePolicy(text, kind, { maxSize: INPUT_MAX_SIZE }), kind, id, sourcePolicyId: id, sourcePolicyType, text };
  } catch (e) {
    if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') throw invalidInput(e.message);
    throw e;
  }
}

/** PolicyInputList / PermissionsBoundaryPolicyInputList entries, named `<List>.<n>` from 1 as AWS names them. */
export function inputPolicies(
  texts: readonly string[] | undefined,
  list: 'PolicyInputList' | 'PermissionsBoundaryPolicyInputList',
): PolicyData[] {
  const kind: PolicyKind = list === 'PolicyInputList' ? 'identity' : 'boundary';
  const type: PolicySourceType = list === 'PolicyInputList' ? 'IAM Policy' : 'Permissions Boundary Policy';
  return (texts ?? []).map((text, i) => parseInput(text, kind, `${list}.${i + 1}`, type));
}

/** The ResourcePolicy member: a resource-based policy, which must name principals. */
export function resourcePolicyInput(text: string): PolicyData {
  return parseInput(text, 'resource', 'ResourcePolicy', 'Resource Policy');
}
