// Input validation with AWS's own message forms, e.g.
//   1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must
//   satisfy regular expression pattern: [\w+=,.@-]+
// Constraints come from constraints/*.ts; required-ness from the service model.
import type { Constraint } from './constraints/types.ts';
import type { Member, Operation, Shape, StructureShape } from './model.ts';
import { AwsError } from '../model/errors.ts';

export type Violation = string;

const regexCache = new WeakMap<Constraint, RegExp>();

function regexOf(c: Constraint): RegExp | undefined {
  if (c.pattern === undefined) return undefined;
  let re = regexCache.get(c);
  if (!re) {
    // AWS matches the whole value (Java's Matcher.matches()).
    re = new RegExp(`^(?:${c.jsPattern ?? c.pattern})$`, 'u');
    regexCache.set(c, re);
  }
  return re;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Length in Unicode code points, as AWS counts it. */
export function codePointLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function render(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${render(v)}`).join(', ')}}`;
  }
  return String(value);
}

function violation(value: unknown, path: string, sensitive: boolean, rule: string): Violation {
  // Sensitive members (passwords, keys) never echo their value.
  const shown = sensitive ? 'Value' : `Value '${render(value)}'`;
  return `${shown} at '${path}' failed to satisfy constraint: Member must ${rule}`;
}

function checkValue(value: unknown, shape: Shape, c: Constraint | undefined, path: string, out: Violation[]): void {
  const sensitive = shape.sensitive;
  if (c) {
    if (typeof value === 'string') {
      const len = codePointLength(value);
      if (c.min !== undefined && len < c.min) out.push(violation(value, path, sensitive, `have length greater than or equal to ${c.min}`));
      if (c.max !== undefined && len > c.max) out.push(violation(value, path, sensitive, `have length less than or equal to ${c.max}`));
      const re = regexOf(c);
      if (re && !re.test(value)) out.push(violation(value, path, sensitive, `satisfy regular expression pattern: ${c.pattern}`));
      if (c.enum && !c.enum.includes(value)) out.push(violation(value, path, sensitive, `satisfy enum value set: [${c.enum.join(', ')}]`));
    } else if (typeof value === 'number') {
      if (c.min !== undefined && value < c.min) out.push(violation(value, path, sensitive, `have value greater than or equal to ${c.min}`));
      if (c.max !== undefined && value > c.max) out.push(violation(value, path, sensitive, `have value less than or equal to ${c.max}`));
    } else if (Array.isArray(value)) {
      if (c.min !== undefined && value.length < c.min) out.push(violation(value, path, sensitive, `have length greater than or equal to ${c.min}`));
      if (c.max !== undefined && value.length > c.max) out.push(violation(value, path, sensitive, `have length less than or equal to ${c.max}`));
    }
  }
  if (shape.kind === 'list' && Array.isArray(value)) {
    value.forEach((v, i) => checkValue(v, shape.member, c?.member, `${path}.${i + 1}.member`, out));
  } else if (shape.kind === 'structure' && value !== null && typeof value === 'object') {
    checkStructure(value as Record<string, unknown>, shape, (m) => c?.members?.[m.name], `${path}.`, out);
  }
}

function checkStructure(
  value: Record<string, unknown>,
  shape: StructureShape,
  constraintOf: (m: Member) => Constraint | undefined,
  prefix: string,
  out: Violation[],
): void {
  for (const m of shape.members) {
    const path = prefix + m.messageName;
    const v = value[m.name];
    if (v === undefined || v === null) {
      if (m.required) out.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkValue(v, m.shape, constraintOf(m), path, out);
  }
}

/** All constraint violations of a decoded input, in model order. */
export function findViolations(input: Record<string, unknown>, operation: Operation): Violation[] {
  const out: Violation[] = [];
  if (operation.input) checkStructure(input, operation.input, (m) => operation.constraints.get(m.name), '', out);
  return out;
}

export function validationErrorOf(violations: readonly Violation[]): AwsError {
  const n = violations.length;
  return new AwsError(
    'ValidationError',
    `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
    400,
  );
}

/** Throws AWS's ValidationError when the input breaks any constraint. */
export function validateInput(input: Record<string, unknown>, operation: Operation): void {
  const violations = findViolations(input, operation);
  if (violations.length > 0) throw validationErrorOf(violations);
}
