// The IAM policy simulator's decisions (SimulatePrincipalPolicy, SimulateCustomPolicy): each action
// is evaluated on each resource by the same `evaluate` that authorizes real calls, over policies
// collected the same way, and the answer explains itself as AWS's simulator does: which statements
// decided (with their place in the document text), which context keys the relevant statements read
// but the request did not supply, and what the permissions boundary and, across accounts, each side
// decided.
import {
  evaluate,
  PolicySet,
  type CompiledPolicy,
  type CompiledStatement,
  type Decision,
  type EvaluationRequest,
  type EvaluationResult,
  type RequestContext,
  type RequestPrincipal,
} from '../policy/index.ts';
import { KeyList, resourceHasVariables, statementContextKeys } from './context-keys.ts';
import { statementPositions, type StatementSpan, type TextPosition } from './statement-positions.ts';

/** AWS's PolicyEvaluationDecisionType, spelled as AWS spells it. */
export type SimulationDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/**
 * MatchedStatements[].SourcePolicyType as AWS answers it: by the part the policy plays, not the
 * model's PolicySourceType enumeration (user, group, aws-managed, …), which AWS does not use there.
 */
export type PolicySourceType = 'IAM Policy' | 'Permissions Boundary Policy' | 'Resource Policy';

/** One policy taking part in a simulation, with what the answer calls it. */
export interface SimulationPolicy {
  policy: CompiledPolicy;
  /** An inline policy's name, a managed policy's name, `PolicyInputList.1`, `ResourcePolicy`, … */
  sourcePolicyId: string;
  sourcePolicyType: PolicySourceType;
  /** The document as written: statement positions are counted in it. */
  text: string;
}

export interface SimulationInput {
  principal: RequestPrincipal;
  identity: readonly SimulationPolicy[];
  /** The permissions boundary; undefined when the principal has none. */
  boundary?: readonly SimulationPolicy[];
  resourcePolicy?: SimulationPolicy;
  /** The account owning resources whose ARN names none (and the resource policy). */
  resourceOwner?: string;
  actions: readonly string[];
  /** Resource ARNs; absent means `*` and no resource-specific results. */
  resources?: readonly string[];
  /** Keyed by lowercased key name. */
  context: RequestContext;
}

export interface MatchedStatementRef {
  sourcePolicyId: string;
  sourcePolicyType: PolicySourceType;
  start?: TextPosition;
  end?: TextPosition;
}

export interface ResourceSimulation {
  resource: string;
  decision: SimulationDecision;
  matched: MatchedStatementRef[];
  missingContextValues: string[];
  /** Per policy type; `{}` in the same account with a resource ARN, absent for `*` (AWS's rule). */
  decisionDetails?: Record<string, SimulationDecision>;
  /** Present when a permissions boundary applies. */
  allowedByBoundary?: boolean;
}

export interface ActionSimulation extends ResourceSimulation {
  action: string;
  /** Present when resources were named: this resource's result. */
  resourceSpecific?: ResourceSimulation[];
}

/** The EvalDecisionDetails keys for each side of a cross-account decision. */
export const DECISION_DETAIL_KEYS = {
  identity: 'IAM Policy',
  boundary: 'PermissionsBoundaryPolicy',
  resource: 'ResourcePolicy',
} as const;

const DECISIONS: Record<Decision, SimulationDecision> = {
  Allowed: 'allowed',
  ExplicitDeny: 'explicitDeny',
  ImplicitDeny: 'implicitDeny',
};

/** The account field of an ARN, when it holds one. */
function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':', 6);
  return parts.length >= 6 && parts[0] === 'arn' && /^\d{12}$/.test(parts[4]!) ? parts[4] : undefined;
}

class Simulation {
  private readonly identity: PolicySet;
  private readonly boundary?: PolicySet;
  private readonly resourcePolicy?: PolicySet;
  private readonly sources = new Map<CompiledPolicy, SimulationPolicy>();
  private readonly spans = new Map<SimulationPolicy, StatementSpan[]>();

  constructor(private readonly input: SimulationInput) {
    for (const p of [...input.identity, ...(input.boundary ?? []), ...(input.resourcePolicy ? [input.resourcePolicy] : [])]) {
      this.sources.set(p.policy, p);
    }
    this.identity = new PolicySet(input.identity.map((p) => p.policy));
    if (input.boundary) this.boundary = new PolicySet(input.boundary.map((p) => p.policy));
    if (input.resourcePolicy) this.resourcePolicy = new PolicySet([input.resourcePolicy.policy]);
  }

  /** Results `from` to `to` (exclusive) of every action on every resource, in that order. */
  run(from: number, to: number, overBudget: () => boolean): ActionSimulation[] {
    const named = this.input.resources !== undefined && this.input.resources.length > 0;
    const resources = named ? this.input.resources! : ['*'];
    const out: ActionSimulation[] = [];
    const last = Math.min(to, this.input.actions.length * resources.length);
    for (let i = from; i < last; i++) {
      if (overBudget()) throw new SimulationOverBudget();
      const action = this.input.actions[Math.floor(i / resources.length)]!;
      const r = this.one(action, resources[i % resources.length]!);
      if (!named) {
        out.push({ action, ...r });
        continue;
      }
      // With named resources AWS reports missing keys per resource, not at the top.
      out.push({ action, ...r, missingContextValues: [], resourceSpecific: [r] });
    }
    return out;
  }

  private one(action: string, resource: string): ResourceSimulation {
    const { principal, context } = this.input;
    const crossAccount = this.resourcePolicy !== undefined && this.resourceAccount(resource) !== principal.account;
    // Without a resource policy there is no resource side to consult: the identity side decides.
    const request: EvaluationRequest = {
      principal,
      action,
      resource,
      resourceAccount: this.resourcePolicy ? this.resourceAccount(resource) : principal.account,
      context,
    };
    const sameAccount: EvaluationRequest = { ...request, resourceAccount: principal.account };
    const result = evaluate(request, { identity: this.identity, boundary: this.boundary, resource: this.resourcePolicy });
    const decision = DECISIONS[result.decision];
    const out: ResourceSimulation = {
      resource,
      decision,
      matched: this.matched(result, decision),
      missingContextValues: this.missing(action, resource),
    };
    if (crossAccount) out.decisionDetails = this.details(request, sameAccount);
    else if (resource !== '*') out.decisionDetails = {};
    if (this.boundary) out.allowedByBoundary = evaluate(sameAccount, { identity: this.boundary }).decision === 'Allowed';
    return out;
  }

  private resourceAccount(resource: string): string | undefined {
    return arnAccount(resource) ?? this.input.resourceOwner ?? this.input.principal.account;
  }

  /** How each side decided on its own, for a cross-account simulation. */
  private details(request: EvaluationRequest, sameAccount: EvaluationRequest): Record<string, SimulationDecision> {
    const d: Record<string, SimulationDecision> = {
      [DECISION_DETAIL_KEYS.identity]: DECISIONS[evaluate(sameAccount, { identity: this.identity }).decision],
    };
    if (this.boundary) d[DECISION_DETAIL_KEYS.boundary] = DECISIONS[evaluate(sameAccount, { identity: this.boundary }).decision];
    // The resource side on its own: its denies and allows are recorded whatever the identity side says.
    const own = evaluate(request, { resource: this.resourcePolicy }).matched;
    d[DECISION_DETAIL_KEYS.resource] = own.some((m) => m.effect === 'Deny')
      ? 'explicitDeny'
      : own.some((m) => m.effect === 'Allow')
        ? 'allowed'
        : 'implicitDeny';
    return d;
  }

  /**
   * The statements that decided: for a denial the denying statements only ("the deny statement is
   * the only entry included"), for an allow the allowing ones, and none for an implicit deny.
   */
  private matched(result: EvaluationResult, decision: SimulationDecision): MatchedStatementRef[] {
    if (decision === 'implicitDeny') return [];
    const effect = decision === 'explicitDeny' ? 'Deny' : 'Allow';
    const out: MatchedStatementRef[] = [];
    const seen = new Set<CompiledStatement>();
    for (const m of result.matched) {
      if (m.effect !== effect || seen.has(m.statement)) continue;
      seen.add(m.statement);
      out.push(this.reference(m.statement));
    }
    return out;
  }

  private reference(s: CompiledStatement): MatchedStatementRef {
    const source = this.sources.get(s.policy);
    if (source === undefined) return { sourcePolicyId: s.policy.id, sourcePolicyType: 'IAM Policy' };
    let spans = this.spans.get(source);
    if (spans === undefined) this.spans.set(source, (spans = statementPositions(source.text)));
    const span = spans[s.source.index];
    return { sourcePolicyId: source.sourcePolicyId, sourcePolicyType: source.sourcePolicyType, start: span?.start, end: span?.end };
  }

  /**
   * Context keys read by statements that apply to this action and resource (conditions aside) and
   * absent from the context. A Resource with variables counts as applying: whether it matches
   * depends on the very keys that may be missing.
   */
  private missing(action: string, resource: string): string[] {
    const { context } = this.input;
    const keys = new KeyList();
    const lowerAction = action.toLowerCase();
    // In document order, so the keys come out as GetContextKeysFor*Policy lists them.
    for (const set of [this.identity, this.boundary, this.resourcePolicy]) {
      for (const policy of set?.policies ?? []) {
        const version = policy.document.version;
        for (const s of policy.statements) {
          if (!s.matchesAction(lowerAction)) continue;
          if (!resourceHasVariables(s.source, version) && !s.matchesResource(resource, context)) continue;
          statementContextKeys(s.source, version, keys);
        }
      }
    }
    return keys.keys.filter((k) => !context.has(k.toLowerCase()));
  }
}

/** Thrown when a simulation runs past its time budget (authz/simulation-pool.ts answers it). */
export class SimulationOverBudget extends Error {
  constructor() {
    super('the simulation ran past its time budget');
  }
}

export interface SimulationRange {
  /** The first result wanted (results are numbered action by action, resource by resource). */
  from?: number;
  /** One past the last result wanted. */
  to?: number;
  /** Asked before each result: true stops the simulation with SimulationOverBudget. */
  overBudget?: () => boolean;
}

const withinBudget = () => false;

/** The number of results a simulation has: one per action and resource (`*` when none are named). */
export function simulationSize(actions: number, resources: number): number {
  return actions * Math.max(1, resources);
}

/** Evaluates every action on every resource (`*` when none are named), in that order: the range's results. */
export function simulate(input: SimulationInput, range: SimulationRange = {}): ActionSimulation[] {
  return new Simulation(input).run(range.from ?? 0, range.to ?? Infinity, range.overBudget ?? withinBudget);
}
