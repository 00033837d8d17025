// Small builders for policy tests: policy sets from plain objects, principals and requests.
import { compilePolicyText, contextFrom, PolicySet, type EvaluationRequest, type PolicyKind, type RequestPrincipal } from '../../src/policy/index.ts';

let counter = 0;
export function policySet(kind: PolicyKind, ...documents: object[]): PolicySet {
  return new PolicySet(documents.map((d) => compilePolicyText(JSON.stringify(d), kind, `${kind}-${++counter}`)));
}

export const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });

export const A = '111122223333';
export const user = (name: string, account = A): RequestPrincipal => ({ type: 'IAMUser', arn: `arn:aws:iam::${account}:user/${name}`, account });

export function request(principal: RequestPrincipal, action: string, resource: string, context: Record<string, string | string[]> = {}): EvaluationRequest {
  return { principal, action, resource, context: contextFrom(context) };
}
