import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseForm, parseRequest } from '../../src/protocol/request.ts';
import { AwsError } from '../../src/model/errors.ts';
import { anyCodePoint } from '../support/arbitraries.ts';

function rejects(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof AwsError && e.code === code && e.status === 400 && e.message === message);
}

test('POST form body', () => {
  const r = parseRequest({ method: 'POST', query: '', body: Buffer.from('Action=ListUsers&Version=2010-05-08&MaxItems=5'),
    contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
  assert.equal(r.service, 'iam');
  assert.equal(r.action, 'ListUsers');
  assert.equal(r.version, '2010-05-08');
  assert.equal(r.operation.name, 'ListUsers');
  assert.equal(r.params.get('MaxItems'), '5');
});

test('GET query string', () => {
  const r = parseRequest({ method: 'GET', query: '?Action=GetCallerIdentity&Version=2011-06-15' });
  assert.equal(r.service, 'sts');
});

test('the body wins over the query for a repeated name', () => {
  const r = parseRequest({ method: 'POST', query: 'Action=GetUser&UserName=fromquery', body: 'Version=2010-05-08&UserName=frombody' });
  assert.deepEqual(r.params.getAll('UserName'), ['frombody']);
});

test('a body of another content type is not read as parameters', () => {
  rejects(() => parseRequest({ method: 'POST', query: '', body: 'Action=ListUsers', contentType: 'application/json' }), 'MissingAction', 'Missing Action');
});

test('the signing service routes the request', () => {
  assert.equal(parseRequest({ method: 'POST', query: '', body: 'Action=GetCallerIdentity&Version=2011-06-15', signingService: 'sts' }).service, 'sts');
  rejects(() => parseRequest({ method: 'POST', query: '', body: 'Action=GetCallerIdentity&Version=2011-06-15', signingService: 'iam' }),
    'InvalidAction', 'Could not find operation GetCallerIdentity for version 2011-06-15');
});

test('an unversioned, unsigned request is routed by its action', () => {
  assert.equal(parseRequest({ method: 'GET', query: 'Action=AssumeRoleWithWebIdentity' }).service, 'sts');
  assert.equal(parseRequest({ method: 'GET', query: 'Action=ListRoles' }).version, '2010-05-08');
});

test('missing and unknown actions', () => {
  rejects(() => parseRequest({ method: 'POST', query: '', body: 'Version=2010-05-08' }), 'MissingAction', 'Missing Action');
  rejects(() => parseRequest({ method: 'POST', query: '', body: 'Action=MakeCoffee&Version=2010-05-08' }),
    'InvalidAction', 'Could not find operation MakeCoffee for version 2010-05-08');
  rejects(() => parseRequest({ method: 'POST', query: '', body: 'Action=ListUsers&Version=2099-01-01' }),
    'InvalidAction', 'Could not find operation ListUsers for version 2099-01-01');
});

test('form bodies are parsed exactly as URLSearchParams parses them', () => {
  const piece = fc.oneof(
    fc.constantFrom('?', '&', '=', '+', '%', '%2', '%zz', '%41', '%C3%A9', '%E2%82%AC', '%F0%9F%99%82', '%C3', '%C3%28', '%ED%A0%80', '%C0%80', '%EF%BB%BF', '%26', '%3D', '%2B', ' '),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
    fc.string({ unit: anyCodePoint, maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
      const text = pieces.join('');
      assert.deepEqual(parseForm(text), [...new URLSearchParams(text)], JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
  for (const text of ['Action=ListUsers&Version=2010-05-08&&x&y=&=z&a=b=c', '?a=1&b', '??a=1', 'a&b&c=1&d']) {
    assert.deepEqual(parseForm(text), [...new URLSearchParams(text)], text);
  }
});

/** Characters of the form the parser examines (indexOf spans, slices) while `fn` runs. */
function formAccesses(fn: () => void): number {
  const proto = String.prototype;
  const { indexOf, slice } = proto;
  let steps = 0;
  proto.indexOf = function (this: string, t: string, from = 0) {
    const found = indexOf.call(this, t, from);
    steps += found < 0 ? this.length - Math.max(0, from) : found - from + t.length;
    return found;
  };
  proto.slice = function (this: string, start?: number, end?: number) {
    const out = slice.call(this, start, end);
    steps += out.length;
    return out;
  };
  try {
    fn();
  } finally {
    proto.indexOf = indexOf;
    proto.slice = slice;
  }
  return steps;
}

test('parseForm work is linear in the form, whatever its shape (fuzz)', () => {
  // Each character is found by indexOf or copied by slice a bounded number of times: a form of
  // many pairs without '=' was once searched to its end for each pair.
  const piece = fc.constantFrom('&', '=', 'a', '%41', '+', '&&', '==');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 400 }), (pieces) => {
      const text = pieces.join('');
      const steps = formAccesses(() => parseForm(text));
      assert.ok(steps <= 8 * text.length + 8, `${steps} accesses for ${text.length} characters`);
    }),
    { numRuns: 500 },
  );
  const pairsWithoutEquals = 'a&'.repeat(50_000);
  assert.ok(formAccesses(() => parseForm(pairsWithoutEquals)) <= 8 * pairsWithoutEquals.length);
});
