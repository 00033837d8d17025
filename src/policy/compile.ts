// A parsed policy, compiled once when it is written: every pattern becomes a matcher and every
// Condition block a test, so that evaluating a request never re-reads the document.
import { compileConditions, conditionKeys, type ConditionTest } from './conditions.ts';
import { parsePolicy } from './parse.ts';
import { matchPrincipal, notPrincipalApplies, type PrincipalMatch, type RequestPrincipal } from './principal.ts';
import type { Effect, PolicyDocument, PolicyKind, RequestContext, Statement } from './types.ts';
import { hasVariables, parseTemplate, resolveTemplate, type TemplatePart } from './variables.ts';
import { compileActionPattern, compileResourcePattern, matchResolvedResource, type StringMatcher } from './wildcard.ts';

export type ResourceTest = (resource: string, ctx: RequestContext) => boolean;

export interface CompiledStatement {
  readonly policy: CompiledPolicy;
  readonly source: Statement;
  readonly effect: Effect;
  /** Lowercased service prefixes the statement's Action names; undefined when it may match any service. */
  readonly services: readonly string[] | undefined;
  /** True when the statement's action part matches the lowercased action. */
  readonly matchesAction: StringMatcher;
  readonly matchesResource: ResourceTest;
  /** Undefined for policies without a principal (identity, boundary, session, SCP). */
  readonly matchPrincipal?: (p: RequestPrincipal, hasBoundary: boolean) => PrincipalMatch | undefined;
  readonly condition: ConditionTest;
  /** Lowercased condition keys the statement reads. */
  readonly conditionKeys: readonly string[];
}

export interface CompiledPolicy {
  /** What the caller calls this policy in explanations: a managed policy ARN, `user/alice/inline-name`, … */
  readonly id: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

const anyOf = (matchers: StringMatcher[]): StringMatcher =>
  matchers.length === 1 ? matchers[0] : (v) => matchers.some((m) => m(v));

function compileActions(s: Statement): { matches: StringMatcher; services: string[] | undefined } {
  const patterns = s.action ?? s.notAction ?? [];
  const matcher = anyOf(patterns.map(compileActionPattern));
  if (s.notAction) return { matches: (a) => !matcher(a), services: undefined };
  const services = new Set<string>();
  for (const p of patterns) {
    const colon = p.indexOf(':');
    const service = colon < 0 ? '*' : p.slice(0, colon).toLowerCase();
    if (/[*?]/.test(service)) return { matches: matcher, services: undefined };
    services.add(service);
  }
  return { matches: matcher, services: [...services] };
}

function compileResourceEntry(pattern: string, version: PolicyDocument['version']): ResourceTest {
  const parts = parseTemplate(pattern, version);
  if (!hasVariables(parts)) {
    const m = compileResourcePattern(pattern);
    return (resource) => m(resource);
  }
  // "You can't use a variable to replace parts of the ARN before the fifth colon, such as the
  // service or account" (reference_policies_variables): such an entry matches nothing.
  if (variableBeforeFifthColon(parts)) return () => false;
  // A variable that does not resolve makes the entry match nothing (reference_policies_variables).
  return (resource, ctx) => {
    const pieces = resolveTemplate(parts, ctx);
    return pieces !== undefined && matchResolvedResource(pieces, resource);
  };
}

function variableBeforeFifthColon(parts: readonly TemplatePart[]): boolean {
  let colons = 0;
  for (const part of parts) {
    if (part.kind === 'var') return colons < 5;
    for (let i = part.text.indexOf(':'); i >= 0 && colons < 5; i = part.text.indexOf(':', i + 1)) colons++;
  }
  return false;
}

function compileResources(s: Statement, version: PolicyDocument['version']): ResourceTest {
  const patterns = s.resource ?? s.notResource;
  if (patterns === undefined) return () => true; // trust policies name no resource: the role is it
  const tests = patterns.map((p) => compileResourceEntry(p, version));
  const any: ResourceTest = tests.length === 1 ? tests[0] : (r, ctx) => tests.some((t) => t(r, ctx));
  return s.notResource ? (r, ctx) => !any(r, ctx) : any;
}

function compilePrincipal(s: Statement): CompiledStatement['matchPrincipal'] {
  if (s.principal !== undefined) {
    const block = s.principal;
    return (p) => matchPrincipal(block, p);
  }
  if (s.notPrincipal !== undefined) {
    const block = s.notPrincipal;
    // AWS: NotPrincipal with Deny always applies to a principal that has a permissions boundary.
    return (p, hasBoundary) =>
      (s.effect === 'Deny' && hasBoundary) || notPrincipalApplies(block, p) ? 'direct' : undefined;
  }
  return undefined;
}

/** Compiles a parsed document. `id` names the policy in decisions and explanations. */
export function compilePolicy(document: PolicyDocument, kind: PolicyKind, id: string): CompiledPolicy {
  const statements: CompiledStatement[] = [];
  const policy: CompiledPolicy = { id, kind, document, statements };
  for (const s of document.statements) {
    const actions = compileActions(s);
    statements.push({
      policy,
      source: s,
      effect: s.effect,
      services: actions.services,
      matchesAction: actions.matches,
      matchesResource: compileResources(s, document.version),
      matchPrincipal: compilePrincipal(s),
      condition: compileConditions(s.condition, document.version),
      conditionKeys: conditionKeys(s.condition),
    });
  }
  return policy;
}

/** Parses, validates and compiles policy text in one step. Throws MalformedPolicyDocumentError. */
export function compilePolicyText(text: string, kind: PolicyKind, id: string): CompiledPolicy {
  return compilePolicy(parsePolicy(text, kind), kind, id);
}

/**
 * RCPFullAWSAccess, the AWS managed RCP attached at every level of an organization and never
 * detachable. Customer RCPs may not Allow, so it is built here rather than parsed.
 */
export const RCP_FULL_AWS_ACCESS: CompiledPolicy = compilePolicy(
  {
    version: '2012-10-17',
    statements: [{ index: 0, effect: 'Allow', principal: '*', action: ['*'], resource: ['*'], condition: [] }],
  },
  'rcp',
  'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
);
