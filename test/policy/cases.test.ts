// The policy-evaluation cases kept as data in test/policy/cases/*.json (the format is in its
// README.md): each file is a suite, each case a test named by its `name`. A case is either an
// evaluation (policies + request → decision) or a condition block (entries + context → holds).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compilePolicyText,
  contextFrom,
  evaluate,
  PolicySet,
  RCP_FULL_AWS_ACCESS,
  type EvaluationPolicies,
  type EvaluationRequest,
  type EvaluationResult,
  type PolicyKind,
  type RequestPrincipal,
} from '../../src/policy/index.ts';
import { compileConditions } from '../../src/policy/conditions.ts';
import type { ConditionEntry, ContextValue, PolicyVersion } from '../../src/policy/types.ts';

type Context = Record<string, ContextValue>;

interface EvaluationCase {
  name: string;
  note?: string;
  policies: { identity?: object[]; boundary?: object[]; session?: object[]; resource?: object[]; scps?: object[][]; rcps?: (object | 'RCPFullAWSAccess')[][] };
  request: { principal: RequestPrincipal; action: string; resource: string; resourceAccount?: string; context?: Context };
  resourcePolicyRequired?: boolean;
  expect: { decision: EvaluationResult['decision']; deniedBy?: EvaluationResult['deniedBy'] };
}

interface ConditionCase {
  name: string;
  note?: string;
  conditions: ConditionEntry[];
  version?: PolicyVersion;
  context: Context;
  expect: boolean;
}

interface CaseFile {
  suite: string;
  about?: string;
  cases: (EvaluationCase | ConditionCase)[];
}

const FIELDS = {
  evaluation: ['name', 'note', 'policies', 'request', 'resourcePolicyRequired', 'expect'],
  condition: ['name', 'note', 'conditions', 'version', 'context', 'expect'],
};

/** Which kind of case this is; a field that neither kind has is a mistake in the file. */
function kindOf(c: EvaluationCase | ConditionCase, file: string): keyof typeof FIELDS {
  const kind = 'policies' in c ? 'evaluation' : 'conditions' in c ? 'condition' : undefined;
  assert.ok(kind, `${file}: case ${JSON.stringify(c.name)} has neither "policies" nor "conditions"`);
  const unknown = Object.keys(c).filter((k) => !FIELDS[kind].includes(k));
  assert.deepEqual(unknown, [], `${file}: case ${JSON.stringify(c.name)} has unknown fields`);
  return kind;
}

let compiled = 0;
const policySet = (kind: PolicyKind, documents: (object | 'RCPFullAWSAccess')[]) =>
  new PolicySet(documents.map((d) => (d === 'RCPFullAWSAccess' ? RCP_FULL_AWS_ACCESS : compilePolicyText(JSON.stringify(d), kind, `${kind}-${++compiled}`))));

function runEvaluation(c: EvaluationCase): void {
  const p = c.policies;
  const policies: EvaluationPolicies = {
    identity: p.identity && policySet('identity', p.identity),
    boundary: p.boundary && policySet('boundary', p.boundary),
    session: p.session && policySet('session', p.session),
    resource: p.resource && policySet('resource', p.resource),
    scps: p.scps?.map((level) => policySet('scp', level)),
    rcps: p.rcps?.map((level) => policySet('rcp', level)),
  };
  const { principal, action, resource, resourceAccount, context = {} } = c.request;
  const request: EvaluationRequest = { principal, action, resource, context: contextFrom(context) };
  if (resourceAccount) request.resourceAccount = resourceAccount;
  const result = evaluate(request, policies, { resourcePolicyRequired: c.resourcePolicyRequired });
  assert.equal(result.decision, c.expect.decision);
  if (c.expect.deniedBy) assert.equal(result.deniedBy, c.expect.deniedBy);
}

function runCondition(c: ConditionCase): void {
  const holds = compileConditions(c.conditions, c.version ?? '2012-10-17');
  assert.equal(holds(contextFrom(c.context)), c.expect);
}

const dir = join(import.meta.dirname, 'cases');
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CaseFile;
  const names = file.cases.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, `${name}: two cases have the same name`);
  describe(file.suite, () => {
    for (const c of file.cases) {
      const kind = kindOf(c, name);
      test(c.name, () => {
        try {
          if (kind === 'evaluation') runEvaluation(c as EvaluationCase);
          else runCondition(c as ConditionCase);
        } catch (e) {
          // Name the data file: the stack only shows this runner.
          const where = `in test/policy/cases/${name}: `;
          const error = e as Error;
          error.message = where + error.message;
          error.stack = where + error.stack;
          throw error;
        }
      });
    }
  });
}
