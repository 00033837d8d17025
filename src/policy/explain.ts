// AWS's AccessDenied message for a decision, in the form AWS uses:
//   User: arn:… is not authorized to perform: s3:GetObject on resource: arn:… because no
//   identity-based policy allows the s3:GetObject action
//   User: arn:… is not authorized to perform: … with an explicit deny in a service control policy
import type { EvaluationRequest, EvaluationResult, PolicyType } from './evaluate.ts';

const POLICY_TYPE_NAMES: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
};

/** The AccessDenied message for a denied request; undefined when the request was allowed. */
export function denialMessage(req: EvaluationRequest, result: EvaluationResult): string | undefined {
  if (result.decision === 'Allowed') return undefined;
  const who = req.principal.type === 'Anonymous' ? 'Anonymous user' : `User: ${req.principal.arn}`;
  const head = `${who} is not authorized to perform: ${req.action} on resource: ${req.resource}`;
  const type = POLICY_TYPE_NAMES[result.deniedBy ?? 'identity'];
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  return result.decision === 'ExplicitDeny'
    ? `${head} with an explicit deny in ${article} ${type}`
    : `${head} because no ${type} allows the ${req.action} action`;
}
