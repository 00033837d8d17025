// May they? The one place that collects the policies that apply to a call (identity, boundary,
// session, resource) and asks the policy library for a decision. A denial becomes AWS's
// AccessDenied with AWS's message, and nothing else happens.
import type { Caller } from '../iam/caller.ts';
import { AwsError } from '../model/errors.ts';
import {
  denialMessage,
  evaluate,
  EMPTY_POLICY_SET,
  PolicySet,
  type EvaluationPolicies,
  type EvaluationRequest,
  type EvaluationResult,
  type RequestContext,
} from '../policy/index.ts';
import type { PolicyView } from './policy-view.ts';

export interface AuthorizationRequest {
  caller: Caller;
  action: string;
  resource: string;
  context: RequestContext;
  /** A resource-based policy on the target (a role's trust policy for sts:AssumeRole). */
  resourcePolicy?: PolicySet;
  resourceAccount?: string;
  resourcePolicyRequired?: boolean;
}

const NO_POLICIES: EvaluationPolicies = Object.freeze({});
const NO_IDENTITY_POLICIES: EvaluationPolicies = Object.freeze({ identity: EMPTY_POLICY_SET });

/** Session policies by access key id: compiled once per session. */
const MAX_SESSIONS_CACHED = 10_000;

export class Authorizer {
  private readonly sessions = new Map<string, PolicySet>();

  constructor(private readonly view: PolicyView) {}

  /** Identity, boundary and session policies of the caller (shared: never changed by a caller). */
  policiesFor(caller: Caller): EvaluationPolicies {
    const p = caller.principal;
    if (p.type === 'Root' || caller.entityId === undefined) return NO_POLICIES;
    const own = p.type === 'AssumedRole' ? this.view.forRole(caller.entityId) : this.view.forUser(caller.entityId);
    // A deleted user or role has no permissions left; its credentials are refused before this.
    if (own === undefined) return NO_IDENTITY_POLICIES;
    const session = this.sessionPolicies(caller);
    return session === undefined ? own : { identity: own.identity, boundary: own.boundary, session };
  }

  private sessionPolicies(caller: Caller): PolicySet | undefined {
    const s = caller.session;
    if (s === undefined || (s.policy === undefined && (s.policyArns ?? []).length === 0)) return undefined;
    let set = this.sessions.get(caller.accessKeyId);
    if (set === undefined) {
      const policies = [];
      if (s.policy !== undefined) policies.push(this.view.compile(`${caller.principal.arn}#session`, s.policy, 'session'));
      for (const arn of s.policyArns ?? []) {
        const compiled = this.view.managedCompiled(arn, 'session');
        if (compiled) policies.push(compiled);
      }
      set = new PolicySet(policies);
      if (this.sessions.size >= MAX_SESSIONS_CACHED) this.sessions.clear();
      this.sessions.set(caller.accessKeyId, set);
    }
    return set;
  }

  decide(req: AuthorizationRequest): { request: EvaluationRequest; result: EvaluationResult } {
    const request: EvaluationRequest = {
      principal: req.caller.principal,
      action: req.action,
      resource: req.resource,
      resourceAccount: req.resourceAccount,
      context: req.context,
    };
    const own = this.policiesFor(req.caller);
    const policies = req.resourcePolicy === undefined ? own : { ...own, resource: req.resourcePolicy };
    return { request, result: evaluate(request, policies, { resourcePolicyRequired: req.resourcePolicyRequired }) };
  }

  /** Throws AccessDenied (403) with AWS's message unless the request is allowed. */
  authorize(req: AuthorizationRequest): EvaluationResult {
    const { request, result } = this.decide(req);
    if (result.decision !== 'Allowed') throw new AwsError('AccessDenied', denialMessage(request, result)!, 403);
    return result;
  }
}
