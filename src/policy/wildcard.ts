// Wildcard patterns of the policy language, turned into matchers once, when a policy is compiled.
//  - Actions: `*` and `?` over the whole `service:action`, case-insensitive.
//  - Resources: ARN rules (reference_policies_elements_resource): in the first five colon-separated
//    segments a `*` stays within its segment unless it ends the segment (then it may run past the
//    colon); after the fifth colon `*` and `?` match anything, `/` included. Case-sensitive.

export type StringMatcher = (value: string) => boolean;

const REGEX_SPECIAL = /[.*?+^${}()|[\]\\/-]/g;
const escapeRegex = (text: string): string => text.replace(REGEX_SPECIAL, '\\$&');

const matchAll: StringMatcher = () => true;

/** An action pattern, e.g. `s3:Get*`. The caller lowercases the request action once. */
export function compileActionPattern(pattern: string): StringMatcher {
  const lower = pattern.toLowerCase();
  if (lower === '*') return matchAll;
  if (!/[*?]/.test(lower)) return (action) => action === lower;
  const source = lower.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c))).join('');
  const re = new RegExp(`^${source}$`);
  return (action) => re.test(action);
}

/** The regex source for a piece of resource-pattern text that starts after `colonsBefore` colons. */
export function resourceGlobSource(text: string, colonsBefore: number, endsPattern: boolean): string {
  let out = '';
  let colons = colonsBefore;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ':') {
      colons++;
      out += ':';
    } else if (c === '*') {
      const endsSegment = i + 1 < text.length ? text[i + 1] === ':' : endsPattern;
      out += colons >= 5 || endsSegment ? '.*' : '[^:]*';
    } else if (c === '?') {
      out += colons >= 5 ? '.' : '[^:]';
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

/** A resource pattern without policy variables. */
export function compileResourcePattern(pattern: string): StringMatcher {
  if (pattern === '*') return matchAll;
  if (!/[*?]/.test(pattern)) return (resource) => resource === pattern;
  const re = new RegExp(`^${resourceGlobSource(pattern, 0, true)}$`, 's');
  return (resource) => re.test(resource);
}

/** A piece of a resolved resource pattern: policy text (wildcards active) or a variable's value. */
export interface PatternPiece {
  text: string;
  literal: boolean;
}

/** Matches a resource against a pattern whose variables were resolved for this request. */
export function matchResolvedResource(pieces: readonly PatternPiece[], resource: string): boolean {
  let source = '';
  let colons = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    source += piece.literal ? escapeRegex(piece.text) : resourceGlobSource(piece.text, colons, i === pieces.length - 1);
    for (const c of piece.text) if (c === ':') colons++;
  }
  return new RegExp(`^${source}$`, 's').test(resource);
}
