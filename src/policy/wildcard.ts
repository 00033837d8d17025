// Wildcard patterns of the policy language, turned into matchers once, when a policy is compiled.
//  - Actions: `*` and `?` over the whole `service:action`, case-insensitive.
//  - Resources: ARN rules (reference_policies_elements_resource): in the first five colon-separated
//    segments a `*` stays within its segment unless it ends the segment (then it may run past the
//    colon); after the fifth colon `*` and `?` match anything, `/` included. Case-sensitive.
// Matching is glob.ts's: linear in the resource or action, whatever the pattern.
import { compileGlob, QMARK, SEGMENT_QMARK, SEGMENT_STAR, STAR, type Token } from './glob.ts';

export type StringMatcher = (value: string) => boolean;

const matchAll: StringMatcher = () => true;

/** Tokens of action-pattern text: `*` and `?` are wildcards everywhere. */
function actionTokens(pattern: string): Token[] {
  const tokens: Token[] = [];
  let run = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '*' && c !== '?') {
      run += c;
      continue;
    }
    if (run !== '') tokens.push(run);
    run = '';
    tokens.push(c === '*' ? STAR : QMARK);
  }
  if (run !== '') tokens.push(run);
  return tokens;
}

/** An action pattern, e.g. `s3:Get*`. The caller lowercases the request action once. */
export function compileActionPattern(pattern: string): StringMatcher {
  const lower = pattern.toLowerCase();
  if (lower === '*') return matchAll;
  if (!/[*?]/.test(lower)) return (action) => action === lower;
  const glob = compileGlob(actionTokens(lower));
  return (action) => glob.matches(action);
}

/** A piece of a resolved resource pattern: policy text (wildcards active) or a variable's value. */
export interface PatternPiece {
  text: string;
  literal: boolean;
}

/**
 * Resource-pattern tokens: a wildcard before the fifth colon (counting colons of literal pieces
 * too) keeps within its segment unless it is a `*` ending the segment or the pattern.
 */
function resourceTokens(pieces: readonly PatternPiece[]): Token[] {
  const tokens: Token[] = [];
  let run = '';
  let colons = 0;
  for (let p = 0; p < pieces.length; p++) {
    const { text, literal } = pieces[p]!;
    const lastPiece = p === pieces.length - 1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === ':') colons++;
      if (literal || (c !== '*' && c !== '?')) {
        run += c;
        continue;
      }
      if (run !== '') tokens.push(run);
      run = '';
      if (c === '?') tokens.push(colons >= 5 ? QMARK : SEGMENT_QMARK);
      else {
        const endsSegment = i + 1 < text.length ? text[i + 1] === ':' : lastPiece;
        tokens.push(colons >= 5 || endsSegment ? STAR : SEGMENT_STAR);
      }
    }
  }
  if (run !== '') tokens.push(run);
  return tokens;
}

/** A resource pattern without policy variables. */
export function compileResourcePattern(pattern: string): StringMatcher {
  if (pattern === '*') return matchAll;
  if (!/[*?]/.test(pattern)) return (resource) => resource === pattern;
  const glob = compileGlob(resourceTokens([{ text: pattern, literal: false }]));
  return (resource) => glob.matches(resource);
}

/** Matches a resource against a pattern whose variables were resolved for this request. */
export function matchResolvedResource(pieces: readonly PatternPiece[], resource: string): boolean {
  return compileGlob(resourceTokens(pieces)).matches(resource);
}
