// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'company-wide'}` and the three
// predefined literals `${*}`, `${?}`, `${$}`. A value is parsed once, when the policy is written,
// into parts; each request then fills the variable parts from its context.
// AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
import type { PolicyVersion, RequestContext } from './types.ts';

export type TemplatePart =
  | { kind: 'text'; text: string } // policy text; may contain * and ? wildcards
  | { kind: 'literal'; text: string } // ${*} ${?} ${$}: the character itself, never a wildcard
  | { kind: 'var'; key: string /* lowercased */; default?: string };

export type VariablePart = Extract<TemplatePart, { kind: 'var' }>;

/** One piece of a resolved value; `literal` pieces never act as wildcards. */
export interface ResolvedPart {
  text: string;
  literal: boolean;
}

const LITERALS = new Set(['*', '?', '$']);

/**
 * Splits a policy value into text, literal and variable parts. Under `2008-10-17` variables do not
 * exist, so the whole value is one text part. A `${` with no well-formed variable after it stays text.
 */
export function parseTemplate(text: string, version: PolicyVersion): TemplatePart[] {
  if (version !== '2012-10-17' || !text.includes('${')) return [{ kind: 'text', text }];
  const parts: TemplatePart[] = [];
  let pending = ''; // text not yet pushed, so adjacent text merges into one part
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    const parsed = parseVariable(text, open + 2);
    if (!parsed) {
      pending += text.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    pending += text.slice(i, open);
    if (pending) parts.push({ kind: 'text', text: pending });
    pending = '';
    parts.push(parsed.part);
    i = parsed.end;
  }
  pending += text.slice(i);
  if (pending || parts.length === 0) parts.push({ kind: 'text', text: pending });
  return parts;
}

/** Parses what follows `${`: `key}` or `key, 'default'}` (spaces allowed around the comma). */
function parseVariable(text: string, start: number): { part: TemplatePart; end: number } | undefined {
  let i = start;
  while (i < text.length && text[i] !== '}' && text[i] !== ',' && text[i] !== "'") i++;
  if (i >= text.length || text[i] === "'") return undefined;
  const name = text.slice(start, i).trim();
  if (!name) return undefined;
  if (text[i] === '}') {
    if (LITERALS.has(name)) return { part: { kind: 'literal', text: name }, end: i + 1 };
    return { part: { kind: 'var', key: name.toLowerCase() }, end: i + 1 };
  }
  // a default value: `, 'value'` then `}`
  i++;
  while (text[i] === ' ') i++;
  if (text[i] !== "'") return undefined;
  const close = text.indexOf("'", i + 1);
  if (close < 0) return undefined;
  let j = close + 1;
  while (text[j] === ' ') j++;
  if (text[j] !== '}' || LITERALS.has(name)) return undefined;
  return { part: { kind: 'var', key: name.toLowerCase(), default: text.slice(i + 1, close) }, end: j + 1 };
}

export function hasVariables(parts: readonly TemplatePart[]): boolean {
  for (const part of parts) if (part.kind === 'var') return true;
  return false;
}

/**
 * The value of one variable in this request: a single-valued key's value, or the default when the
 * key is missing or multivalued (multivalued keys cannot be variables); undefined when neither.
 */
export function resolveVariable(part: VariablePart, ctx: RequestContext): string | undefined {
  const value = ctx.get(part.key);
  if (typeof value === 'string') return value;
  if (value !== undefined && value.length === 1) return value[0];
  return part.default;
}

/**
 * Resolves variables from the context. Returns undefined when a variable is missing (or
 * multivalued) and has no default: the caller then treats the value as unresolved (AWS: the value
 * does not match). Resolved variable values come back as `{ text, literal: true }` so wildcard
 * characters inside them are never wildcards.
 */
export function resolveTemplate(parts: readonly TemplatePart[], ctx: RequestContext): ResolvedPart[] | undefined {
  const out: ResolvedPart[] = [];
  for (const part of parts) {
    if (part.kind === 'var') {
      const value = resolveVariable(part, ctx);
      if (value === undefined) return undefined;
      out.push({ text: value, literal: true });
    } else {
      out.push({ text: part.text, literal: part.kind === 'literal' });
    }
  }
  return out;
}

/** The resolved value as one string, for operators without wildcards. */
export function renderTemplate(parts: readonly TemplatePart[], ctx: RequestContext): string | undefined {
  if (parts.length === 1 && parts[0].kind !== 'var') return parts[0].text;
  let out = '';
  for (const part of parts) {
    if (part.kind === 'var') {
      const value = resolveVariable(part, ctx);
      if (value === undefined) return undefined;
      out += value;
    } else {
      out += part.text;
    }
  }
  return out;
}

/** Lowercased keys a value reads as variables. */
export function variableKeys(parts: readonly TemplatePart[]): string[] {
  const keys: string[] = [];
  for (const part of parts) if (part.kind === 'var') keys.push(part.key);
  return keys;
}

/** The value's text when it has no variables (what it is in every request), else undefined. */
export function fixedText(parts: readonly TemplatePart[]): string | undefined {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'var') return undefined;
    out += part.text;
  }
  return out;
}
