// Parsing must never crash or hang, whatever the text: the answer is a PolicyDocument or a
// MalformedPolicyDocumentError (or PolicySizeExceededError when a quota applies), nothing else.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy, PolicySizeExceededError } from '../../src/policy/parse.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';
import type { PolicyKind } from '../../src/policy/types.ts';
import { anyCodePoint } from '../support/arbitraries.ts';

const KINDS: readonly PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'scp', 'rcp', 'session'];
/** Parses and checks that the outcome is one of the allowed ones. */
function outcome(text: string, kind: PolicyKind, maxSize?: number): 'ok' | 'malformed' | 'too-large' {
  try {
    const doc = parsePolicy(text, kind, maxSize === undefined ? {} : { maxSize });
    assert.ok(doc.version === '2012-10-17' || doc.version === '2008-10-17');
    assert.ok(Array.isArray(doc.statements) && doc.statements.length > 0);
    for (const s of doc.statements) {
      assert.ok(s.effect === 'Allow' || s.effect === 'Deny');
      assert.ok(Array.isArray(s.condition));
      for (const c of s.condition) assert.ok(c.values.every((v) => typeof v === 'string'));
    }
    return 'ok';
  } catch (e) {
    if (e instanceof MalformedPolicyDocumentError) {
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
      return 'malformed';
    }
    if (e instanceof PolicySizeExceededError) return 'too-large';
    throw e;
  }
}

const kind = fc.constantFrom(...KINDS);

describe('parsePolicy never throws anything but its own errors', () => {
  test('on arbitrary strings (all of Unicode)', () => {
    fc.assert(fc.property(fc.string({ unit: anyCodePoint, maxLength: 300 }), kind, (text, k) => void outcome(text, k, Infinity)), { numRuns: 500 });
  });

  test('on arbitrary strings made of JSON punctuation', () => {
    const punctuation = fc.string({ unit: fc.constantFrom(...'{}[]":,\\ 0-.eE1tfnul'.split('')), maxLength: 200 });
    fc.assert(fc.property(punctuation, kind, (text, k) => void outcome(text, k, Infinity)), { numRuns: 500 });
  });

  test('on arbitrary JSON texts', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 6 }), kind, (text, k) => void outcome(text, k, Infinity)), { numRuns: 500 });
  });

  test('on arbitrary values serialised as JSON', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5 }), kind, (value, k) => {
        const text = JSON.stringify(value);
        if (typeof text === 'string') outcome(text, k, Infinity);
      }),
      { numRuns: 500 },
    );
  });

  test('with the default size quotas in force', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), kind, (text, k) => void outcome(text, k)), { numRuns: 200 });
  });
});

// Policy-shaped documents: the right element names with values that are sometimes right and
// sometimes of any shape, so that the validators deep inside are reached.
const words = fc.constantFrom(
  '*', 'Allow', 'Deny', 'allow', 's3:GetObject', 's3:*', 'sts:AssumeRole', 'sts:TagSession', 'iam:*User', '*:Untag*',
  'a:b:c', 'nocolon', ':x', 'arn:aws:s3:::bucket/*', 'arn:aws:iam::123456789012:root', 'arn:aws:iam:us-east-1:1:user/x',
  'arn:aws', 'arn:aws:waf:*', '123456789012', 'ec2.amazonaws.com', '2012-10-17', '2008-10-17', '', 'Sid1', 'bad-sid',
);
const loose: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: words },
  { weight: 2, arbitrary: fc.array(words, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const principal = fc.oneof(
  words,
  fc.dictionary(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'User'), loose, { maxKeys: 3 }),
);
const operator = fc.constantFrom(
  'StringEquals', 'StringLike', 'ForAnyValue:StringLike', 'ForAllValues:ArnLikeIfExists', 'NumericLessThan', 'Bool',
  'Null', 'NullIfExists', 'IpAddress', 'stringequals', 'ForAllValue:StringEquals', 'DateGreaterThan', 'Foo',
);
const conditionValue = fc.oneof(words, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(words, fc.integer(), fc.boolean()), { maxLength: 3 }));
const condition = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(operator, fc.dictionary(fc.constantFrom('aws:username', 's3:prefix', 'NoVendor', 'aws:TagKeys'), conditionValue, { maxKeys: 2 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const statement = fc.record(
  {
    Sid: loose,
    Effect: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: loose }),
    Principal: principal,
    NotPrincipal: principal,
    Action: loose,
    NotAction: loose,
    Resource: loose,
    NotResource: loose,
    Condition: condition,
    Extra: loose,
  },
  { requiredKeys: [] },
);
const document = fc.record(
  {
    Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17'), loose),
    Id: loose,
    Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), loose),
    Extra: loose,
  },
  { requiredKeys: [] },
);

describe('parsePolicy on policy-shaped documents', () => {
  test('answers a document or its own error, for every kind', () => {
    fc.assert(fc.property(document, kind, (doc, k) => void outcome(JSON.stringify(doc), k, Infinity)), { numRuns: 2000 });
  });

  test('answers a document or its own error after any one-character edit of a valid policy', () => {
    const valid = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:username': ['x', 1, true] } } }] });
    const edit = fc.tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom('delete', 'insert', 'replace'), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(edit, kind, ([at, how, ch], k) => {
        const text = how === 'delete' ? valid.slice(0, at) + valid.slice(at + 1) : how === 'insert' ? valid.slice(0, at) + ch + valid.slice(at) : valid.slice(0, at) + ch + valid.slice(at + 1);
        outcome(text, k, Infinity);
      }),
      { numRuns: 1000 },
    );
  });
});

// A generator of policies that are valid by construction: parsing must accept them and keep what they say.
const vendor = fc.constantFrom('s3', 'ec2', 'iam', 'dynamodb', 'execute-api', 'SNS');
const actionName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9*?]{0,15}$/);
const validAction = fc.oneof({ weight: 1, arbitrary: fc.constant('*') }, { weight: 8, arbitrary: fc.tuple(vendor, actionName).map(([v, a]) => `${v}:${a}`) });
const validResource = fc.oneof(
  fc.constant('*'),
  fc.stringMatching(/^[a-z0-9.\-_/*?]{1,20}$/).map((id) => `arn:aws:s3:::${id}`),
  // IAM resource paths start with their resource type (AWS refuses others).
  fc
    .tuple(fc.constantFrom('user/', 'role/', 'policy/', 'group/', 'instance-profile/', '*'), fc.stringMatching(/^[A-Za-z0-9+=,.@_\-/*]{0,20}$/))
    .map(([type, id]) => `arn:aws:iam::123456789012:${type}${id}`),
);
const validStatement = fc.record({
  Sid: fc.stringMatching(/^[A-Za-z0-9]{0,10}$/),
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: fc.array(validAction, { minLength: 1, maxLength: 4 }),
  Resource: fc.array(validResource, { minLength: 1, maxLength: 3 }),
  Condition: fc.dictionary(
    fc.constantFrom('StringEquals', 'StringLike', 'ForAnyValue:StringEquals', 'NumericLessThan', 'Bool', 'ArnLikeIfExists'),
    fc.dictionary(fc.constantFrom('aws:username', 's3:prefix', 'aws:PrincipalTag/team'), fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { minLength: 1, maxLength: 3 }), { minKeys: 1, maxKeys: 2 }),
    { maxKeys: 2 },
  ),
});
const validIdentityPolicy = fc
  .array(validStatement, { minLength: 1, maxLength: 5 })
  .map((statements) => statements.map((s, i) => ({ ...s, Sid: s.Sid === '' ? '' : `${s.Sid}${i}` })))
  .map((Statement) => ({ Version: '2012-10-17', Statement }));

describe('parsePolicy accepts what the grammar allows', () => {
  test('valid identity policies parse, keeping every action, resource and condition value', () => {
    fc.assert(
      fc.property(validIdentityPolicy, (doc) => {
        const parsed = parsePolicy(JSON.stringify(doc), 'identity', { maxSize: Infinity });
        assert.equal(parsed.statements.length, doc.Statement.length);
        doc.Statement.forEach((s, i) => {
          const p = parsed.statements[i];
          assert.deepEqual(p.action, s.Action);
          assert.deepEqual(p.resource, s.Resource);
          assert.equal(p.effect, s.Effect);
          const expected = Object.entries(s.Condition).flatMap(([operator, block]) =>
            Object.entries(block).map(([key, values]) => ({ operator, key, values: values.map(String) })),
          );
          assert.deepEqual(p.condition, expected);
        });
      }),
      { numRuns: 300 },
    );
  });
});

// Exponential backtracking or recursion would not finish: the runner's timeout bounds these,
// generously, rather than a timing assertion that a loaded machine could trip.
describe('parsePolicy stays fast on hostile input', { timeout: 60_000 }, () => {
  test('deeply nested arrays and objects are refused without exhausting the stack', () => {
    for (const text of ['['.repeat(200_000), '{"a":'.repeat(200_000), `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) {
      assert.equal(outcome(text, 'identity', Infinity), 'malformed');
    }
  });

  test('many wildcards in a trust action do not backtrack exponentially', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: `sts:${'*'.repeat(5000)}x` } });
    assert.equal(outcome(text, 'trust', Infinity), 'malformed');
  });

  test('a megabyte of policy parses in bounded time when no quota applies', () => {
    const statements = Array.from({ length: 8000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket${i}/*`, Condition: { StringEquals: { 'aws:username': [`u${i}`, i] } } }));
    const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    assert.ok(text.length > 1_000_000);
    assert.equal(outcome(text, 'identity', Infinity), 'ok');
  });

  test('a long string of backslash escapes is read linearly', () => {
    const text = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::${'\\\\'.repeat(200_000)}"}}`;
    assert.equal(outcome(text, 'identity', Infinity), 'ok');
  });
});
