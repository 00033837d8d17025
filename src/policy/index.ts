// The policy library's public API. Pure: no I/O, no clock of its own, no knowledge of users or stores.
export type * from './types.ts';
export { MalformedPolicyDocumentError } from './errors.ts';
export { parsePolicy } from './parse.ts';
export { compilePolicy, compilePolicyText, RCP_FULL_AWS_ACCESS, type CompiledPolicy, type CompiledStatement } from './compile.ts';
export { PolicySet, EMPTY_POLICY_SET } from './policy-set.ts';
export {
  evaluate,
  type EvaluationRequest,
  type EvaluationPolicies,
  type EvaluationOptions,
  type EvaluationResult,
  type MatchedStatement,
  type PolicyType,
} from './evaluate.ts';
export { denialMessage } from './explain.ts';
export { contextFrom } from './context.ts';
export type { RequestPrincipal, PrincipalType } from './principal.ts';
