// `*` and `?` for StringLike and the Arn operators. A pattern is compiled once into tokens
// (literal runs, STAR, QMARK) and a glob.ts matcher, so a request never pays for building a RegExp
// and a hostile pattern cannot make matching backtrack: it is linear in the request value.
import type { RequestContext } from './types.ts';
import { resolveVariable, type TemplatePart } from './variables.ts';
import { compileGlob, QMARK, STAR, type Glob, type Token } from './glob.ts';

export { QMARK, STAR, type Glob, type Token } from './glob.ts';

/** Tokens of policy text, where `*` and `?` are wildcards. */
export function tokenizeText(text: string, into: Token[] = []): Token[] {
  let run = '';
  for (const ch of text) {
    if (ch === '*' || ch === '?') {
      if (run) into.push(run);
      run = '';
      // `**` matches what `*` matches; keep one
      if (ch === '*' && into[into.length - 1] === STAR) continue;
      into.push(ch === '*' ? STAR : QMARK);
    } else {
      run += ch;
    }
  }
  if (run) into.push(run);
  return into;
}

/** Does `s[start, end)` match the tokens? (Compiles them: hold a Glob to match many times.) */
export function wildcardMatch(tokens: readonly Token[], s: string, start = 0, end = s.length): boolean {
  return compileGlob(tokens).matches(s, start, end);
}

/** True when the tokens are one literal run (or nothing): plain equality will do. */
export function literalOf(tokens: readonly Token[]): string | undefined {
  if (tokens.length === 0) return '';
  if (tokens.length === 1 && typeof tokens[0] === 'string') return tokens[0];
  return undefined;
}

/**
 * A template's tokens: fixed when it has no variables; otherwise built per request, with resolved
 * variable values as literal runs (their `*` and `?` are never wildcards). Undefined when a
 * variable does not resolve.
 */
export interface TemplatePattern {
  fixed?: readonly Token[];
  resolve(ctx: RequestContext): readonly Token[] | undefined;
}

export function compilePattern(parts: readonly TemplatePart[]): TemplatePattern {
  type Piece = Token | Extract<TemplatePart, { kind: 'var' }>;
  const pieces: Piece[] = [];
  let dynamic = false;
  for (const part of parts) {
    if (part.kind === 'text') tokenizeText(part.text, pieces as Token[]);
    else if (part.kind === 'literal') pieces.push(part.text);
    else {
      pieces.push(part);
      dynamic = true;
    }
  }
  if (!dynamic) {
    const fixed = mergeRuns(pieces as Token[]);
    return { fixed, resolve: () => fixed };
  }
  return {
    resolve(ctx) {
      const out: Token[] = [];
      for (const piece of pieces) {
        if (typeof piece === 'object') {
          const value = resolveVariable(piece, ctx);
          if (value === undefined) return undefined;
          if (value) out.push(value);
        } else {
          out.push(piece);
        }
      }
      return out;
    },
  };
}

/** Joins adjacent literal runs so matching does one startsWith per run. */
function mergeRuns(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (typeof t === 'string' && typeof last === 'string') out[out.length - 1] = last + t;
    else if (t !== '') out.push(t);
  }
  return out;
}

/**
 * Splits ARN tokens into its six components at the first five colons (colons inside literal runs;
 * a variable's value counts too, as it is part of the text). Undefined for fewer than six.
 */
export function splitArnTokens(tokens: readonly Token[]): Token[][] | undefined {
  const components: Token[][] = [[]];
  for (const t of tokens) {
    if (typeof t !== 'string' || components.length === 6) {
      components[components.length - 1].push(t);
      continue;
    }
    let from = 0;
    for (;;) {
      const colon = components.length < 6 ? t.indexOf(':', from) : -1;
      if (colon < 0) {
        if (from < t.length) components[components.length - 1].push(t.slice(from));
        break;
      }
      if (colon > from) components[components.length - 1].push(t.slice(from, colon));
      components.push([]);
      from = colon + 1;
    }
  }
  return components.length === 6 ? components.map(mergeRuns) : undefined;
}

/** Matchers of the six ARN components, from splitArnTokens. */
export function compileArnComponents(components: readonly (readonly Token[])[]): Glob[] {
  return components.map(compileGlob);
}

/** Do the six ARN components of `s` match the six component matchers, each on its own? */
export function arnMatch(components: readonly Glob[], s: string): boolean {
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = s.indexOf(':', start);
    if (colon < 0) return false;
    if (!components[i]!.matches(s, start, colon)) return false;
    start = colon + 1;
  }
  return components[5]!.matches(s, start, s.length);
}
