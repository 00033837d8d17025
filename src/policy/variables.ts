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
  // Where the name of a variable starting at or before it ends (the first `}`, `,` or `'`), and
  // what follows that end: kept across variables, so that many `${` before one end (or none) are
  // not each scanned to it and past it.
  let nameEnd = -1;
  let tail: VariableTail | undefined;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    if (nameEnd < open + 2) {
      nameEnd = endOfName(text, open + 2);
      tail = variableTail(text, nameEnd);
    }
    if (nameEnd >= text.length) break; // no variable can close from here on: the rest is text
    const part = tail && variableOf(text.slice(open + 2, nameEnd).trim(), tail);
    if (!part) {
      pending += text.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    pending += text.slice(i, open);
    if (pending) parts.push({ kind: 'text', text: pending });
    pending = '';
    parts.push(part);
    i = tail!.end;
  }
  pending += text.slice(i);
  if (pending || parts.length === 0) parts.push({ kind: 'text', text: pending });
  return parts;
}

/** The first `}`, `,` or `'` at or after `start` (text.length: none). */
function endOfName(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '}' && text[i] !== ',' && text[i] !== "'") i++;
  return i;
}

/** What follows a variable's name: `}`, or `, 'default'}` (spaces allowed around the comma). */
interface VariableTail {
  /** Just after the closing `}`. */
  end: number;
  default?: string;
}

function variableTail(text: string, nameEnd: number): VariableTail | undefined {
  if (text[nameEnd] === '}') return { end: nameEnd + 1 };
  if (text[nameEnd] !== ',') return undefined;
  let i = nameEnd + 1;
  while (text[i] === ' ') i++;
  if (text[i] !== "'") return undefined;
  const close = text.indexOf("'", i + 1);
  if (close < 0) return undefined;
  let j = close + 1;
  while (text[j] === ' ') j++;
  if (text[j] !== '}') return undefined;
  return { end: j + 1, default: text.slice(i + 1, close) };
}

/** The variable `${name…}` is, or undefined when it is not one. */
function variableOf(name: string, tail: VariableTail): TemplatePart | undefined {
  if (!name) return undefined;
  if (tail.default !== undefined) return LITERALS.has(name) ? undefined : { kind: 'var', key: name.toLowerCase(), default: tail.default };
  return LITERALS.has(name) ? { kind: 'literal', text: name } : { kind: 'var', key: name.toLowerCase() };
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
