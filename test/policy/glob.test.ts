// The wildcard matcher (policy/glob.ts) against a regular-expression oracle, and the work it does:
// every text access it makes (charCodeAt, startsWith, indexOf) is counted, and the count must stay
// within a small multiple of the text plus the pattern, whatever the pattern (issue 13: one
// StringLike of 60 wildcards against a 40,000-character value froze the server).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileGlob, QMARK, STAR, type Token } from '../../src/policy/glob.ts';
import { tokenizeText } from '../../src/policy/condition-wildcard.ts';
import { compileResourcePattern } from '../../src/policy/wildcard.ts';

/** Characters of the text the matcher examines while `fn` runs. */
function textAccesses(fn: () => void): number {
  const proto = String.prototype;
  const { charCodeAt, startsWith, indexOf } = proto;
  let steps = 0;
  proto.charCodeAt = function (this: string, i: number) {
    steps++;
    return charCodeAt.call(this, i);
  };
  proto.startsWith = function (this: string, t: string, at?: number) {
    steps += t.length;
    return startsWith.call(this, t, at);
  };
  proto.indexOf = function (this: string, t: string, from = 0) {
    const found = indexOf.call(this, t, from);
    steps += found < 0 ? this.length - from : found - from + t.length;
    return found;
  };
  try {
    fn();
  } finally {
    proto.charCodeAt = charCodeAt;
    proto.startsWith = startsWith;
    proto.indexOf = indexOf;
  }
  return steps;
}

const escapeRegex = (c: string) => c.replace(/[.*?+^${}()|[\]\\/-]/g, '\\$&');

/** The oracle: the pattern as a regular expression (fine for the short texts it is given). */
function oracle(tokens: readonly Token[]): RegExp {
  return new RegExp(`^${tokens.map((t) => (t === STAR ? '.*' : t === QMARK ? '.' : escapeRegex(t as string))).join('')}$`, 's');
}

/** The resource rules as the old regex compiler wrote them (wildcard.ts before issue 13). */
function resourceOracle(pattern: string): RegExp {
  let out = '';
  let colons = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ':') {
      colons++;
      out += ':';
    } else if (c === '*') {
      const endsSegment = i + 1 < pattern.length ? pattern[i + 1] === ':' : true;
      out += colons >= 5 || endsSegment ? '.*' : '[^:]*';
    } else if (c === '?') {
      out += colons >= 5 ? '.' : '[^:]';
    } else {
      out += escapeRegex(c);
    }
  }
  return new RegExp(`^${out}$`, 's');
}

const patternText = (chars: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength });

describe('glob matches what the regular expression matches', () => {
  test('StringLike and action patterns (* and ?)', () => {
    fc.assert(
      fc.property(patternText('ab*?', 12), patternText('ab', 14), (pattern, text) => {
        const tokens = tokenizeText(pattern);
        assert.equal(compileGlob(tokens).matches(text), oracle(tokens).test(text), `${pattern} ~ ${text}`);
      }),
      { numRuns: 3000 },
    );
  });

  test('a part of the text, as ARN components are matched', () => {
    fc.assert(
      fc.property(patternText('ab*?', 8), patternText('ab:', 14), fc.nat(14), fc.nat(14), (pattern, text, x, y) => {
        const [start, end] = [Math.min(x, y, text.length), Math.min(Math.max(x, y), text.length)];
        const tokens = tokenizeText(pattern);
        assert.equal(compileGlob(tokens).matches(text, start, end), oracle(tokens).test(text.slice(start, end)));
      }),
      { numRuns: 2000 },
    );
  });

  test('resource patterns, whose wildcards keep within the first five segments', () => {
    fc.assert(
      fc.property(patternText('a:*?', 14), patternText('a:b', 14), (pattern, text) => {
        assert.equal(compileResourcePattern(pattern)(text), resourceOracle(pattern).test(text), `${pattern} ~ ${text}`);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('glob work is bounded by the text and the pattern', () => {
  test('the issue\'s pattern: 60 wildcards against 40,000 characters', () => {
    const tokens = tokenizeText(`${'*a'.repeat(60)}*b`);
    const text = 'a'.repeat(40_000);
    const glob = compileGlob(tokens);
    let matched = true;
    const steps = textAccesses(() => (matched = glob.matches(text)));
    assert.equal(matched, false);
    assert.ok(steps <= 2 * (text.length + 121) + 2, `${steps} accesses`);
  });

  test('a long literal after a star, which backtracking matchers retry at every place', () => {
    // The matcher before issue 13 retried `aaa…ab` at each of the 40,000 places: 40,000 × 200.
    const glob = compileGlob(tokenizeText(`*${'a'.repeat(200)}b`));
    const text = 'a'.repeat(40_000);
    const steps = textAccesses(() => assert.equal(glob.matches(text), false));
    assert.ok(steps <= 2 * (text.length + 202) + 2, `${steps} accesses`);
  });

  test('any pattern of *, ? and literals, any text', () => {
    fc.assert(
      fc.property(patternText('ab*?', 60), patternText('ab', 400), (pattern, text) => {
        const glob = compileGlob(tokenizeText(pattern));
        const steps = textAccesses(() => glob.matches(text));
        assert.ok(steps <= 2 * (text.length + pattern.length) + 2, `${pattern} ~ ${text}: ${steps} accesses`);
      }),
      { numRuns: 1500 },
    );
  });

  test('resource patterns with segment wildcards: one pass over the text', () => {
    fc.assert(
      fc.property(patternText('a:*?', 40), patternText('a:b', 300), (pattern, text) => {
        const matcher = compileResourcePattern(pattern);
        const steps = textAccesses(() => matcher(text));
        assert.ok(steps <= 2 * (text.length + pattern.length) + 2, `${pattern} ~ ${text}: ${steps} accesses`);
      }),
      { numRuns: 1500 },
    );
  });
});
