// One operator family's comparison, compiled from the policy values of one (operator, key) entry:
// `anyMatch(r, ctx)` says whether request value r matches at least one policy value, in the
// positive sense (StringNotEquals compiles to StringEquals' test; conditions.ts negates it).
// Policy values are parsed here, once; a value that cannot be parsed (or a variable that does not
// resolve) matches no request value, so in a negated operator it excludes nothing: AWS says
// "Inverted condition operators like StringNotEquals or StringNotLike do match against a null
// value" (reference_policies_variables.html, "Policy variables with no value").
import { Buffer } from 'node:buffer';
import type { ParsedOperator } from './operators.ts';
import type { PolicyVersion, RequestContext } from './types.ts';
import { fixedText, parseTemplate, renderTemplate, type TemplatePart } from './variables.ts';
import { arnMatch, compileArnComponents, compilePattern, literalOf, splitArnTokens, type Glob } from './condition-wildcard.ts';
import { compileGlob } from './glob.ts';
import { ipInRanges, parseCidr, type IpRanges } from './condition-ip.ts';
import { parseDate } from './condition-date.ts';

export type AnyMatch = (requestValue: string, ctx: RequestContext) => boolean;

const never: AnyMatch = () => false;

/** Families whose values may hold policy variables (AWS: the String and ARN operators, and Bool). */
export function familyTakesVariables(op: ParsedOperator): boolean {
  return op.family === 'String' || op.family === 'Arn' || op.family === 'Bool';
}

export function compileAnyMatch(op: ParsedOperator, values: readonly string[], version: PolicyVersion): AnyMatch {
  // Under families without variables, `${…}` is plain text (and then simply fails to parse).
  const templates = (v: string): TemplatePart[] =>
    familyTakesVariables(op) ? parseTemplate(v, version) : [{ kind: 'text', text: v }];
  switch (op.family) {
    case 'String':
      if (op.base === 'StringLike' || op.base === 'StringNotLike') return compileStringLike(values.map(templates));
      return compileStringEquals(values.map(templates), op.base.endsWith('IgnoreCase'));
    case 'Arn':
      return compileArn(values.map(templates));
    case 'Numeric':
      return compileOrdered(values.map(parseNumber), op.base.slice('Numeric'.length), parseNumber);
    case 'Date':
      return compileOrdered(values.map(parseDate), op.base.slice('Date'.length), parseDate);
    case 'Bool':
      return compileBool(values.map(templates));
    case 'Binary':
      return compileBinary(values);
    case 'IpAddress':
      return compileIp(values);
    case 'Null':
      throw new Error('Null is not a comparison'); // conditions.ts handles Null itself
  }
}

function compileStringEquals(templates: TemplatePart[][], ignoreCase: boolean): AnyMatch {
  const fold = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const fixed = new Set<string>();
  const dynamic: TemplatePart[][] = [];
  for (const parts of templates) {
    const text = fixedText(parts);
    if (text === undefined) dynamic.push(parts);
    else fixed.add(fold(text));
  }
  if (dynamic.length === 0) {
    if (fixed.size === 1) {
      const [only] = fixed;
      return ignoreCase ? (r) => r.toLowerCase() === only : (r) => r === only;
    }
    return ignoreCase ? (r) => fixed.has(r.toLowerCase()) : (r) => fixed.has(r);
  }
  return (r, ctx) => {
    const folded = fold(r);
    if (fixed.has(folded)) return true;
    for (const parts of dynamic) {
      const value = renderTemplate(parts, ctx);
      if (value !== undefined && fold(value) === folded) return true;
    }
    return false;
  };
}

function compileStringLike(templates: TemplatePart[][]): AnyMatch {
  const exact = new Set<string>();
  const fixedPatterns: Glob[] = [];
  const dynamic: ReturnType<typeof compilePattern>[] = [];
  for (const parts of templates) {
    const pattern = compilePattern(parts);
    if (!pattern.fixed) dynamic.push(pattern);
    else {
      const literal = literalOf(pattern.fixed);
      if (literal !== undefined) exact.add(literal);
      else fixedPatterns.push(compileGlob(pattern.fixed));
    }
  }
  return (r, ctx) => {
    if (exact.has(r)) return true;
    for (const glob of fixedPatterns) if (glob.matches(r)) return true;
    for (const pattern of dynamic) {
      const tokens = pattern.resolve(ctx);
      if (tokens && compileGlob(tokens).matches(r)) return true;
    }
    return false;
  };
}

/** ArnEquals and ArnLike behave identically: six components, each matched with * and ?. */
function compileArn(templates: TemplatePart[][]): AnyMatch {
  const fixed: Glob[][] = [];
  const dynamic: ReturnType<typeof compilePattern>[] = [];
  for (const parts of templates) {
    const pattern = compilePattern(parts);
    if (!pattern.fixed) dynamic.push(pattern);
    else {
      const components = splitArnTokens(pattern.fixed);
      if (components) fixed.push(compileArnComponents(components));
    }
  }
  if (fixed.length === 0 && dynamic.length === 0) return never;
  return (r, ctx) => {
    for (const components of fixed) if (arnMatch(components, r)) return true;
    for (const pattern of dynamic) {
      const tokens = pattern.resolve(ctx);
      const components = tokens && splitArnTokens(tokens);
      if (components && arnMatch(compileArnComponents(components), r)) return true;
    }
    return false;
  };
}

/** Numeric and Date: parse the request value once, compare with every pre-parsed policy value. */
function compileOrdered(policy: number[], comparison: string, parse: (s: string) => number): AnyMatch {
  const values = policy.filter((v) => !Number.isNaN(v));
  if (values.length === 0) return never;
  const test = COMPARISONS[comparison];
  if (!test) throw new Error(`unknown comparison ${comparison}`);
  return (r) => {
    const n = parse(r);
    if (Number.isNaN(n)) return false;
    for (const p of values) if (test(n, p)) return true;
    return false;
  };
}

const COMPARISONS: Record<string, (r: number, p: number) => boolean> = {
  Equals: (r, p) => r === p,
  NotEquals: (r, p) => r === p, // the negation is applied by the caller
  LessThan: (r, p) => r < p,
  LessThanEquals: (r, p) => r <= p,
  GreaterThan: (r, p) => r > p,
  GreaterThanEquals: (r, p) => r >= p,
};

/** Integer or decimal ("restrict access based on comparing a key to an integer or decimal value"). */
export function parseNumber(s: string): number {
  let i = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  return digits === 0 ? NaN : Number(s);
}

/** "true" / "false", in any letter case. */
export function parseBool(s: string): boolean | undefined {
  if (s.length === 4 && s.toLowerCase() === 'true') return true;
  if (s.length === 5 && s.toLowerCase() === 'false') return false;
  return undefined;
}

function compileBool(templates: TemplatePart[][]): AnyMatch {
  let fixedTrue = false;
  let fixedFalse = false;
  const dynamic: TemplatePart[][] = [];
  for (const parts of templates) {
    const text = fixedText(parts);
    if (text === undefined) {
      dynamic.push(parts);
      continue;
    }
    const b = parseBool(text);
    if (b === true) fixedTrue = true;
    if (b === false) fixedFalse = true;
  }
  return (r, ctx) => {
    const b = parseBool(r);
    if (b === undefined) return false;
    if (b ? fixedTrue : fixedFalse) return true;
    for (const parts of dynamic) {
      const value = renderTemplate(parts, ctx);
      if (value !== undefined && parseBool(value) === b) return true;
    }
    return false;
  };
}

/** "compares the value of the specified key byte for byte against a base-64 encoded representation". */
function compileBinary(values: readonly string[]): AnyMatch {
  const policy = values.map((v) => Buffer.from(v, 'base64'));
  return (r) => {
    const bytes = Buffer.from(r, 'base64');
    for (const p of policy) if (p.equals(bytes)) return true;
    return false;
  };
}

function compileIp(values: readonly string[]): AnyMatch {
  const ranges: IpRanges = { v4: [], v6: [] };
  for (const v of values) {
    const r = parseCidr(v);
    if (r) {
      ranges.v4.push(...r.v4);
      ranges.v6.push(...r.v6);
    }
  }
  if (ranges.v4.length === 0 && ranges.v6.length === 0) return never;
  return (r) => ipInRanges(ranges, r);
}
