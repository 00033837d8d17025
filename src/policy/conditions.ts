// A statement's Condition block, compiled once into one test. Rules (AWS IAM User Guide):
// - entries (operator × key) are AND-ed; a key's policy values are OR-ed, and NOR-ed for a
//   negated operator (reference_policies_multi-value-conditions.html);
// - a key missing from the request: positive operator false, negated operator true, …IfExists
//   true (except under ForAnyValue, below); Null tests presence itself
//   (reference_policies_elements_condition_operators.html);
// - ForAllValues: true when the key is missing or empty, else every request value must match;
//   ForAnyValue: false when missing or empty, else some request value must match
//   (reference_policies_condition-single-vs-multi-valued-context-keys.html). "If the key values in
//   the request resolve to an empty data set (for example, an empty string)" the same holds
//   (reference_policies_multi-value-conditions.html, older revision), so '' counts as empty there.
import { MalformedPolicyDocumentError } from './errors.ts';
import { parseOperator, type ParsedOperator } from './operators.ts';
import type { ConditionEntry, ContextValue, PolicyVersion, RequestContext } from './types.ts';
import { compileAnyMatch, familyTakesVariables, type AnyMatch } from './condition-matchers.ts';
import { parseTemplate, variableKeys } from './variables.ts';

export type ConditionTest = (ctx: RequestContext) => boolean;

const always: ConditionTest = () => true;

/**
 * Compiles a statement's whole Condition block (AND of all entries) once, when the policy is
 * written. Empty → a test that returns true. Throws MalformedPolicyDocumentError only for an
 * operator AWS does not know; values an operator cannot read are accepted and match nothing, as
 * AWS documents no write-time check of condition values.
 */
export function compileConditions(entries: readonly ConditionEntry[], version: PolicyVersion): ConditionTest {
  const tests = entries.map((entry) => compileEntry(entry, version));
  if (tests.length === 0) return always;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (ctx) => a(ctx) && b(ctx);
  }
  return (ctx) => {
    for (const test of tests) if (!test(ctx)) return false;
    return true;
  };
}

function compileEntry(entry: ConditionEntry, version: PolicyVersion): ConditionTest {
  const op = parseOperator(entry.operator);
  if (!op) throw new MalformedPolicyDocumentError(`Invalid Condition type : ${entry.operator}`);
  const key = entry.key.toLowerCase();
  if (op.family === 'Null') return compileNull(key, entry.values);
  const anyMatch = compileAnyMatch(op, entry.values, version);
  return withQualifiers(op, key, anyMatch);
}

/** `true` → the key is absent (an empty list counts as absent); `false` → present. Values OR-ed. */
function compileNull(key: string, values: readonly string[]): ConditionTest {
  let whenAbsent = false;
  let whenPresent = false;
  for (const v of values) {
    const lower = v.toLowerCase();
    if (lower === 'true') whenAbsent = true;
    else if (lower === 'false') whenPresent = true;
  }
  return (ctx) => (isAbsent(ctx.get(key)) ? whenAbsent : whenPresent);
}

function isAbsent(value: ContextValue | undefined): boolean {
  return value === undefined || (typeof value !== 'string' && value.length === 0);
}

function withQualifiers(op: ParsedOperator, key: string, anyMatch: AnyMatch): ConditionTest {
  const { negated, ifExists } = op;
  // base(r): does request value r satisfy the operator (NOR of matches when negated)?
  const base = negated ? (r: string, ctx: RequestContext) => !anyMatch(r, ctx) : anyMatch;

  if (op.set === 'ForAllValues') {
    return (ctx) => {
      const value = ctx.get(key);
      if (value === undefined || value === '') return true;
      if (typeof value === 'string') return base(value, ctx);
      for (const r of value) if (!base(r, ctx)) return false;
      return true; // including the empty list
    };
  }
  // A set operator's own rule for a missing or empty key wins over …IfExists: "For no matching key
  // or a null dataset, the condition returns false" (MULTI), and AWS denies ForAnyValue…IfExists
  // on a missing key. ForAllValues is true there with or without IfExists.
  if (op.set === 'ForAnyValue') {
    return (ctx) => {
      const value = ctx.get(key);
      if (value === undefined || value === '') return false;
      if (typeof value === 'string') return base(value, ctx);
      if (value.length === 0) return false;
      for (const r of value) if (base(r, ctx)) return true;
      return false;
    };
  }
  // A plain operator compares one request value. A list of one is that value; an empty list is no
  // value; a list of several needs a set operator ("Multivalued context keys require a condition
  // set operator"), so the entry does not hold, whatever its polarity.
  const whenAbsent = ifExists || negated;
  return (ctx) => {
    const value = ctx.get(key);
    if (value === undefined) return whenAbsent;
    if (typeof value === 'string') return base(value, ctx);
    if (value.length === 1) return base(value[0], ctx);
    if (value.length === 0) return whenAbsent;
    return false;
  };
}

/**
 * Lowercased condition keys a block reads, in first-use order (for SimulatePolicy's
 * MissingContextValues and GetContextKeysFor*Policy): the keys it tests, and the keys its values
 * use as `${variables}` (only under 2012-10-17, and only in operators that take variables).
 */
export function conditionKeys(entries: readonly ConditionEntry[], version: PolicyVersion = '2012-10-17'): string[] {
  const keys = new Set<string>();
  for (const entry of entries) {
    keys.add(entry.key.toLowerCase());
    const op = parseOperator(entry.operator);
    if (!op || !familyTakesVariables(op)) continue;
    for (const value of entry.values) for (const k of variableKeys(parseTemplate(value, version))) keys.add(k);
  }
  return [...keys];
}
