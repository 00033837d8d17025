// Reads a policy workload into compiled policy sets and evaluation requests. Shared by the
// workload test and the policy benchmark. The standard workload is kept in the repository
// (bench/data, gzipped), so the tests need nothing outside it; any workload file of the same
// format, gzipped or not, may be given instead.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compilePolicyText, contextFrom, PolicySet, type Decision, type EvaluationRequest } from '../src/policy/index.ts';

export const STANDARD_WORKLOAD = new URL('./data/policy-workload.json.gz', import.meta.url).pathname;

interface WorkloadFile {
  account: string;
  identityPolicies: { name: string; document: unknown }[];
  permissionsBoundary?: { name: string; document: unknown };
  requests: { principal: string; action: string; resource: string; context?: Record<string, string | string[]> }[];
  expected: Decision[];
}

export interface Workload {
  identity: PolicySet;
  boundary?: PolicySet;
  requests: EvaluationRequest[];
  expected: Decision[];
}

export function loadWorkload(path = STANDARD_WORKLOAD): Workload {
  const raw = readFileSync(path);
  const w = JSON.parse((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as WorkloadFile;
  const compile = (p: { name: string; document: unknown }, kind: 'identity' | 'boundary') =>
    compilePolicyText(JSON.stringify(p.document), kind, `arn:aws:iam::${w.account}:policy/${p.name}`);
  const identity = new PolicySet(w.identityPolicies.map((p) => compile(p, 'identity')));
  const boundary = w.permissionsBoundary ? new PolicySet([compile(w.permissionsBoundary, 'boundary')]) : undefined;
  const requests = w.requests.map((r): EvaluationRequest => {
    const username = r.principal.slice(r.principal.lastIndexOf('/') + 1);
    return {
      principal: { type: 'IAMUser', arn: r.principal, account: w.account },
      action: r.action,
      resource: r.resource,
      context: contextFrom({ 'aws:username': username, 'aws:PrincipalArn': r.principal, ...r.context }),
    };
  });
  return { identity, boundary, requests, expected: w.expected };
}
