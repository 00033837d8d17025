// A simulation as data that crosses to a worker thread (authz/simulation-pool.ts): compiled
// policies hold closures, so a job carries the parsed documents and compiles them where it runs.
// Only the page of results the caller asked for is simulated.
import { compilePolicy, type ContextValue, type PolicyDocument, type PolicyKind, type RequestPrincipal } from '../policy/index.ts';
import { simulate, type ActionSimulation, type PolicySourceType, type SimulationPolicy } from './simulate.ts';

export interface PolicyData {
  document: PolicyDocument;
  kind: PolicyKind;
  id: string;
  sourcePolicyId: string;
  sourcePolicyType: PolicySourceType;
  text: string;
}

export interface SimulationJob {
  principal: RequestPrincipal;
  identity: PolicyData[];
  boundary?: PolicyData[];
  resourcePolicy?: PolicyData;
  resourceOwner?: string;
  actions: string[];
  resources?: string[];
  /** Lowercased key and value pairs. */
  context: [string, ContextValue][];
  /** The results wanted: from (inclusive) to (exclusive). */
  from: number;
  to: number;
}

/** A simulation policy as job data. */
export function policyData(p: SimulationPolicy): PolicyData {
  const { document, kind, id } = p.policy;
  return { document, kind, id, sourcePolicyId: p.sourcePolicyId, sourcePolicyType: p.sourcePolicyType, text: p.text };
}

function compiled(d: PolicyData): SimulationPolicy {
  return { policy: compilePolicy(d.document, d.kind, d.id), sourcePolicyId: d.sourcePolicyId, sourcePolicyType: d.sourcePolicyType, text: d.text };
}

/** Runs a job; `overBudget` is asked before each result. */
export function runSimulationJob(job: SimulationJob, overBudget?: () => boolean): ActionSimulation[] {
  return simulate(
    {
      principal: job.principal,
      identity: job.identity.map(compiled),
      boundary: job.boundary?.map(compiled),
      resourcePolicy: job.resourcePolicy && compiled(job.resourcePolicy),
      resourceOwner: job.resourceOwner,
      actions: job.actions,
      resources: job.resources,
      context: new Map(job.context),
    },
    { from: job.from, to: job.to, overBudget },
  );
}
