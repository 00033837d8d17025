// The IAM policy simulator on the wire: SimulatePrincipalPolicy, SimulateCustomPolicy,
// GetContextKeysForPrincipalPolicy and GetContextKeysForCustomPolicy. The decisions are
// authz/simulate.ts's; this maps the request members onto a simulation and the results onto
// AWS's EvaluationResult shape.
import { KeyList, policyContextKeys } from '../../authz/context-keys.ts';
import { simulationSize, type ActionSimulation, type MatchedStatementRef, type ResourceSimulation, type SimulationPolicy } from '../../authz/simulate.ts';
import { policyData, type PolicyData, type SimulationJob } from '../../authz/simulation-job.ts';
import type { SimulationPool } from '../../authz/simulation-pool.ts';
import {
  inputPolicies,
  principalSources,
  requireSourceEntity,
  resourcePolicyInput,
  type SourceDeps,
} from '../../authz/simulation-sources.ts';
import { resourceTagContext } from '../../iam/tags.ts';
import { parseArn, parseIamArn } from '../../model/arn.ts';
import { invalidInput } from '../../model/errors.ts';
import type { ContextValue, PolicyDocument, RequestContext, RequestPrincipal } from '../../policy/index.ts';
import { pageBounds } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, Operations } from '../operation.ts';

interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

/** ContextEntries as a request context: list types are multivalued keys, the others single-valued. */
export function contextFromEntries(entries: readonly ContextEntry[] | undefined): RequestContext {
  const ctx = new Map<string, ContextValue>();
  for (const e of entries ?? []) {
    if (e.ContextKeyName === undefined) continue;
    const values = e.ContextKeyValues ?? [];
    const key = e.ContextKeyName.toLowerCase();
    if (e.ContextKeyType?.endsWith('List')) ctx.set(key, values);
    else if (values.length === 1) ctx.set(key, values[0]!);
    else if (values.length > 1) ctx.set(key, values);
  }
  return ctx;
}

/** The scenarios ResourceHandlingOption names (SimulatePrincipalPolicy API reference). */
const RESOURCE_HANDLING_OPTIONS = new Set([
  'EC2-VPC-InstanceStore',
  'EC2-VPC-InstanceStore-Subnet',
  'EC2-VPC-EBS',
  'EC2-VPC-EBS-Subnet',
  'EC2-Classic-InstanceStore',
  'EC2-Classic-EBS',
]);

function checkResourceHandlingOption(option: string | undefined): void {
  if (option !== undefined && !RESOURCE_HANDLING_OPTIONS.has(option)) {
    throw invalidInput(`Invalid ResourceHandlingOption: ${option}.`);
  }
}

/** CallerArn: "You can specify only the ARN of an IAM user." */
function callerPrincipal(arn: string): RequestPrincipal {
  const parsed = parseIamArn(arn);
  if (parsed === undefined || parsed.type !== 'user') throw invalidInput(`CallerArn ${arn} is not the ARN of an IAM user.`);
  return { type: 'IAMUser', arn, account: parsed.account };
}

/** ResourceOwner: an account id, or an ARN naming the account (arn:aws:iam::123456789012:root). */
function ownerAccount(owner: string | undefined): string | undefined {
  if (owner === undefined) return undefined;
  if (/^\d{12}$/.test(owner)) return owner;
  const account = parseArn(owner)?.account;
  if (account === undefined || !/^\d{12}$/.test(account)) throw invalidInput(`ResourceOwner ${owner} does not name an account.`);
  return account;
}

const MISSING_CALLER = 'CallerArn is required when a ResourcePolicy is simulated without an IAM user as the PolicySourceArn.';

function deps(call: CallContext): SourceDeps {
  return { state: call.state, view: call.view, authorizer: call.authorizer };
}

function position(p: MatchedStatementRef['start']): Record<string, number> | undefined {
  return p && { Line: p.line, Column: p.column };
}

function statementsOut(matched: readonly MatchedStatementRef[]): Record<string, unknown>[] {
  return matched.map((m) => ({
    SourcePolicyId: m.sourcePolicyId,
    SourcePolicyType: m.sourcePolicyType,
    StartPosition: position(m.start),
    EndPosition: position(m.end),
  }));
}

function boundaryOut(r: ResourceSimulation): Record<string, boolean> | undefined {
  return r.allowedByBoundary === undefined ? undefined : { AllowedByPermissionsBoundary: r.allowedByBoundary };
}

/** ResourceSpecificResult: same-account details are left out, as AWS answers; MissingContextValues is always there. */
function resourceResultOut(r: ResourceSimulation): Record<string, unknown> {
  return {
    EvalResourceName: r.resource,
    EvalResourceDecision: r.decision,
    MatchedStatements: statementsOut(r.matched),
    MissingContextValues: r.missingContextValues,
    EvalDecisionDetails: r.decisionDetails && Object.keys(r.decisionDetails).length > 0 ? r.decisionDetails : undefined,
    PermissionsBoundaryDecisionDetail: boundaryOut(r),
  };
}

function evaluationResultOut(r: ActionSimulation): Record<string, unknown> {
  return {
    EvalActionName: r.action,
    EvalResourceName: r.resource,
    EvalDecision: r.decision,
    MatchedStatements: statementsOut(r.matched),
    MissingContextValues: r.missingContextValues,
    // No OrganizationsDecisionDetail: AWS gives it only for accounts in an organization.
    PermissionsBoundaryDecisionDetail: boundaryOut(r),
    EvalDecisionDetails: r.decisionDetails,
    ResourceSpecificResults: r.resourceSpecific?.map(resourceResultOut),
  };
}

interface SimulationRequest {
  principal: RequestPrincipal;
  identity: PolicyData[];
  boundary?: PolicyData[];
  resourcePolicy?: PolicyData;
  input: Input;
}

/** Simulates only the page asked for, on the pool (off the request thread, within its budget). */
async function simulatePage(pool: SimulationPool, r: SimulationRequest): Promise<Record<string, unknown>> {
  const { input } = r;
  const actions = input.ActionNames as string[];
  const resources = input.ResourceArns as string[] | undefined;
  const page = pageBounds(simulationSize(actions.length, resources?.length ?? 0), input.Marker, input.MaxItems);
  const job: SimulationJob = {
    principal: r.principal,
    identity: r.identity,
    boundary: r.boundary,
    resourcePolicy: r.resourcePolicy,
    resourceOwner: ownerAccount(input.ResourceOwner),
    actions,
    resources,
    context: [...contextFromEntries(input.ContextEntries)],
    from: page.start,
    to: page.end,
  };
  const results = page.end > page.start ? await pool.run(job) : [];
  return { EvaluationResults: results.map(evaluationResultOut), IsTruncated: page.isTruncated, Marker: page.marker };
}

/** What SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy are authorized on: the entity. */
function sourceTarget(call: CallContext, arn: string): AuthorizationTarget {
  try {
    const { entity } = requireSourceEntity(call.state, arn);
    return { resource: arn, context: 'tags' in entity.data ? resourceTagContext(entity.data.tags) : undefined };
  } catch {
    return { resource: arn }; // run() answers the error once the caller may know it
  }
}

function contextKeys(policies: readonly { document: PolicyDocument }[]): string[] {
  const keys = new KeyList();
  for (const p of policies) policyContextKeys(p.document, keys);
  return keys.keys;
}

/** The simulator's operations: simulations run on the server's pool (ApiDeps.simulations). */
export const simulateOperations: Operations = {
  SimulatePrincipalPolicy: {
    target: (input, call) => sourceTarget(call, input.PolicySourceArn),
    run(input, call, { simulations }) {
      const source = principalSources(deps(call), input.PolicySourceArn);
      const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList');
      const boundaryInput = input.PermissionsBoundaryPolicyInputList as string[] | undefined;
      const resourcePolicy = input.ResourcePolicy === undefined ? undefined : resourcePolicyInput(input.ResourcePolicy);
      checkResourceHandlingOption(input.ResourceHandlingOption);
      let principal = source.principal;
      if (input.CallerArn !== undefined) principal = callerPrincipal(input.CallerArn);
      else if (resourcePolicy !== undefined && source.kind !== 'user') throw invalidInput(MISSING_CALLER);
      return simulatePage(simulations, {
        principal,
        identity: [...source.identity.map(policyData), ...extra],
        // A boundary given in the request stands in for the principal's own.
        boundary: boundaryInput?.length ? inputPolicies(boundaryInput, 'PermissionsBoundaryPolicyInputList') : source.boundary?.map(policyData),
        resourcePolicy,
        input,
      });
    },
  },

  SimulateCustomPolicy: {
    target: () => ({ resource: '*' }),
    run(input, call, { simulations }) {
      const identity = inputPolicies(input.PolicyInputList, 'PolicyInputList');
      const boundaryInput = input.PermissionsBoundaryPolicyInputList as string[] | undefined;
      const resourcePolicy = input.ResourcePolicy === undefined ? undefined : resourcePolicyInput(input.ResourcePolicy);
      checkResourceHandlingOption(input.ResourceHandlingOption);
      for (const action of input.ActionNames as string[]) {
        // "This operation does not support using wildcards (*) in an action name."
        if (action.includes('*')) throw invalidInput(`Action name ${action} contains a wildcard, which the simulator does not support.`);
      }
      if (resourcePolicy !== undefined && input.CallerArn === undefined) throw invalidInput(MISSING_CALLER);
      // Without CallerArn the calls come from no one in particular in the caller's account.
      const principal: RequestPrincipal =
        input.CallerArn !== undefined ? callerPrincipal(input.CallerArn) : { type: 'IAMUser', arn: `arn:${call.partition}:iam::${call.accountId}:user/`, account: call.accountId };
      return simulatePage(simulations, {
        principal,
        identity,
        boundary: boundaryInput?.length ? inputPolicies(boundaryInput, 'PermissionsBoundaryPolicyInputList') : undefined,
        resourcePolicy,
        input,
      });
    },
  },

  GetContextKeysForPrincipalPolicy: {
    target: (input, call) => sourceTarget(call, input.PolicySourceArn),
    run(input, call) {
      const source = principalSources(deps(call), input.PolicySourceArn);
      const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList');
      return { ContextKeyNames: contextKeys([...source.identity.map(policyData), ...extra]) };
    },
  },

  GetContextKeysForCustomPolicy: {
    target: () => ({ resource: '*' }),
    run(input) {
      return { ContextKeyNames: contextKeys(inputPolicies(input.PolicyInputList, 'PolicyInputList')) };
    },
  },
};
