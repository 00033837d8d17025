// The decision: AWS's policy evaluation logic (reference_policies_evaluation-logic and
// _policy-eval-denyallow) over every policy type, same-account and cross-account.
//
// Order: an applicable Deny anywhere wins; then every RCP level and every SCP level must allow;
// then, in the same account, a resource policy that names the caller can grant on its own
// (naming the account only delegates to identity policies); otherwise identity policies must
// allow, and the permissions boundary and session policy, when present, must allow too.
// Across accounts both sides must allow: the caller's account (identity, boundary, session) and
// the resource's account (its resource policy).
import type { CompiledStatement } from './compile.ts';
import type { PolicySet } from './policy-set.ts';
import type { PrincipalMatch, RequestPrincipal } from './principal.ts';
import type { Decision, Effect, RequestContext } from './types.ts';

export type PolicyType = 'scp' | 'rcp' | 'resource' | 'identity' | 'boundary' | 'session';

export interface EvaluationRequest {
  principal: RequestPrincipal;
  /** `service:Action`, any case. */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  /** The resource's account; taken from the ARN when absent, else the principal's account. */
  resourceAccount?: string;
  context: RequestContext;
}

export interface EvaluationPolicies {
  /** The principal's identity policies: a user's own and its groups', or a role's. */
  identity?: PolicySet;
  /** The resource-based policy (a role's trust policy for sts:AssumeRole*). */
  resource?: PolicySet;
  /** The permissions boundary: present means the principal has one. */
  boundary?: PolicySet;
  /** Session policies passed when the session was created: present means there were some. */
  session?: PolicySet;
  /** SCPs of the principal's account, one set per level from the root to the account. */
  scps?: readonly PolicySet[];
  /** RCPs of the resource's account, one set per level. */
  rcps?: readonly PolicySet[];
}

export interface EvaluationOptions {
  /** Role trust policies and KMS key policies must name the caller even in the same account. */
  resourcePolicyRequired?: boolean;
}

export interface MatchedStatement {
  type: PolicyType;
  policyId: string;
  sid?: string;
  index: number;
  effect: Effect;
  statement: CompiledStatement;
}

export interface EvaluationResult {
  decision: Decision;
  /** For a denial: the policy type that denied (explicitly) or failed to allow (implicitly). */
  deniedBy?: PolicyType;
  /** Statements that applied to the request, Allow and Deny, in evaluation order. */
  matched: MatchedStatement[];
}

/** The account field of an ARN (`arn:partition:service:region:ACCOUNT:…`), when it holds one. */
function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  let at = 3;
  for (let i = 0; i < 3; i++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return undefined;
  }
  const end = arn.indexOf(':', at + 1);
  return end - at === 13 ? arn.slice(at + 1, end) : undefined;
}

function resourceAccountOf(req: EvaluationRequest): string | undefined {
  return req.resourceAccount ?? arnAccount(req.resource) ?? req.principal.account;
}

/** Does statement `s` apply to the request? For resource policies, how the principal is named. */
function applies(s: CompiledStatement, req: EvaluationRequest, hasBoundary: boolean): PrincipalMatch | boolean {
  let how: PrincipalMatch | boolean = true;
  if (s.matchPrincipal) {
    const m = s.matchPrincipal(req.principal, hasBoundary);
    if (m === undefined) return false;
    how = m;
  }
  if (!s.matchesResource(req.resource, req.context)) return false;
  if (!s.condition(req.context)) return false;
  return how;
}

class Evaluation {
  readonly matched: MatchedStatement[] = [];
  private readonly action: string;
  private readonly hasBoundary: boolean;

  constructor(
    readonly req: EvaluationRequest,
    readonly policies: EvaluationPolicies,
  ) {
    this.action = req.action;
    this.hasBoundary = policies.boundary !== undefined;
  }

  private record(type: PolicyType, s: CompiledStatement): void {
    const src = s.source;
    this.matched.push({ type, policyId: s.policy.id, sid: src.sid, index: src.index, effect: s.effect, statement: s });
  }

  /** The first policy type with an applicable Deny, checking (and recording) every type. */
  explicitDeny(): PolicyType | undefined {
    const { scps, rcps, resource, identity, boundary, session } = this.policies;
    let first: PolicyType | undefined;
    if (scps) for (const level of scps) if (this.denies('scp', level)) first ??= 'scp';
    if (rcps) for (const level of rcps) if (this.denies('rcp', level)) first ??= 'rcp';
    if (this.denies('resource', resource)) first ??= 'resource';
    if (this.denies('identity', identity)) first ??= 'identity';
    if (this.denies('boundary', boundary)) first ??= 'boundary';
    if (this.denies('session', session)) first ??= 'session';
    return first;
  }

  /** True when any Deny statement of the set applies. */
  denies(type: PolicyType, set: PolicySet | undefined): boolean {
    if (set === undefined) return false;
    let denied = false;
    for (const s of set.candidates(this.action).denies) {
      if (applies(s, this.req, this.hasBoundary) !== false) {
        this.record(type, s);
        denied = true;
      }
    }
    return denied;
  }

  /** The strongest way an Allow of the set applies: `true` (no principal element), a principal match, or false. */
  allows(type: PolicyType, set: PolicySet | undefined): PrincipalMatch | boolean {
    if (set === undefined) return false;
    let best: PrincipalMatch | boolean = false;
    for (const s of set.candidates(this.action).allows) {
      const how = applies(s, this.req, this.hasBoundary);
      if (how === false) continue;
      this.record(type, s);
      if (how === true || how === 'direct') best = how;
      else if (how === 'limited' && best !== 'direct' && best !== true) best = how;
      else if (best === false) best = how;
    }
    return best;
  }
}

const result = (e: Evaluation, decision: Decision, deniedBy?: PolicyType): EvaluationResult => ({
  decision,
  deniedBy,
  matched: e.matched,
});

/** Evaluates one request against the policies that apply to it. Pure: no I/O, no clock. */
export function evaluate(
  req: EvaluationRequest,
  policies: EvaluationPolicies,
  options?: EvaluationOptions,
): EvaluationResult {
  // Written without per-call closures: this is the hottest path in Gatehouse.
  const e = new Evaluation(req, policies);
  const { identity, resource, boundary, session, scps, rcps } = policies;
  const p = req.principal;

  // 1. An explicit deny in any policy wins. Every type is checked so the result lists them all.
  const deniedBy = e.explicitDeny();
  if (deniedBy !== undefined) return result(e, 'ExplicitDeny', deniedBy);

  // 2-3. Organizations guardrails: each level from the root to the account must allow.
  if (rcps) for (const level of rcps) if (e.allows('rcp', level) === false) return result(e, 'ImplicitDeny', 'rcp');
  if (scps) for (const level of scps) if (e.allows('scp', level) === false) return result(e, 'ImplicitDeny', 'scp');

  const isRoot = p.type === 'Root';
  const hasIdentity = p.type !== 'AWSService' && p.type !== 'Anonymous';
  const byResource = e.allows('resource', resource);
  // The root user has full access in its own account; only guardrails and denies limit it.
  const byIdentity = isRoot || (hasIdentity && e.allows('identity', identity) !== false);
  const boundaryOk = isRoot || boundary === undefined || e.allows('boundary', boundary) !== false;
  const sessionOk = isRoot || session === undefined || e.allows('session', session) !== false;

  if (p.account === undefined || p.account !== resourceAccountOf(req)) {
    // Cross-account: the resource's account must allow through its resource policy, and the
    // caller's account through identity (and boundary and session) policies.
    if (byResource === false) return result(e, 'ImplicitDeny', 'resource');
    if (!hasIdentity) return result(e, 'Allowed'); // services and anonymous callers have no identity side
    return principalSide(e, byIdentity, boundaryOk, sessionOk);
  }

  // 4. Same account: a resource policy naming the user or session grants on its own; naming the
  // role (or the user behind a federated session) is still bound by boundary and session policy.
  if (byResource === 'direct') return result(e, 'Allowed');
  if (options?.resourcePolicyRequired && byResource === false) return result(e, 'ImplicitDeny', 'resource');
  return principalSide(e, byIdentity || byResource === 'limited', boundaryOk, sessionOk);
}

/** 5-7. The caller's own account: identity policies, then the boundary, then session policies. */
function principalSide(e: Evaluation, identityGranted: boolean, boundaryOk: boolean, sessionOk: boolean): EvaluationResult {
  if (!identityGranted) return result(e, 'ImplicitDeny', 'identity');
  if (!boundaryOk) return result(e, 'ImplicitDeny', 'boundary');
  if (!sessionOk) return result(e, 'ImplicitDeny', 'session');
  return result(e, 'Allowed');
}
