import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fixedText,
  hasVariables,
  parseTemplate,
  renderTemplate,
  resolveTemplate,
  type TemplatePart,
} from '../../src/policy/variables.ts';
import type { ContextValue, RequestContext } from '../../src/policy/types.ts';

function ctx(values: Record<string, ContextValue>): RequestContext {
  return new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
describe('parseTemplate', () => {
  const rows: { name: string; text: string; version?: '2008-10-17'; parts: TemplatePart[] }[] = [
    { name: 'plain text is one text part', text: 'home/*', parts: [{ kind: 'text', text: 'home/*' }] },
    { name: 'empty value is one empty text part', text: '', parts: [{ kind: 'text', text: '' }] },
    {
      name: 'a variable between text; key lowercased (key names are case-insensitive)',
      text: 'home/${AWS:UserName}/*',
      parts: [
        { kind: 'text', text: 'home/' },
        { kind: 'var', key: 'aws:username' },
        { kind: 'text', text: '/*' },
      ],
    },
    {
      name: "default value after ', ' in single quotes",
      text: "${aws:PrincipalTag/team, 'company-wide'}",
      parts: [{ kind: 'var', key: 'aws:principaltag/team', default: 'company-wide' }],
    },
    {
      name: 'spaces around the comma of a default are allowed',
      text: "${aws:userid ,  'anonymous' }",
      parts: [{ kind: 'var', key: 'aws:userid', default: 'anonymous' }],
    },
    {
      name: 'a default may be empty and may contain } and ,',
      text: "${k, ''}${j, 'a}b,c'}",
      parts: [
        { kind: 'var', key: 'k', default: '' },
        { kind: 'var', key: 'j', default: 'a}b,c' },
      ],
    },
    {
      name: '${*} ${?} ${$} are literal characters',
      text: 'a${*}b${?}c${$}',
      parts: [
        { kind: 'text', text: 'a' },
        { kind: 'literal', text: '*' },
        { kind: 'text', text: 'b' },
        { kind: 'literal', text: '?' },
        { kind: 'text', text: 'c' },
        { kind: 'literal', text: '$' },
      ],
    },
    {
      name: 'a ${ without a closing brace stays text',
      text: 'a${aws:username',
      parts: [{ kind: 'text', text: 'a${aws:username' }],
    },
    { name: 'an empty ${} stays text', text: 'x${}y', parts: [{ kind: 'text', text: 'x${}y' }] },
    {
      name: '2008-10-17: variables are literal text (one text part)',
      text: 'home/${aws:username}/${*}',
      version: '2008-10-17',
      parts: [{ kind: 'text', text: 'home/${aws:username}/${*}' }],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      assert.deepEqual(parseTemplate(row.text, row.version ?? '2012-10-17'), row.parts);
    });
  }
});

describe('hasVariables / fixedText', () => {
  test('a value with a variable has variables and no fixed text', () => {
    const parts = parseTemplate('a/${aws:username}', '2012-10-17');
    assert.equal(hasVariables(parts), true);
    assert.equal(fixedText(parts), undefined);
  });
  test('predefined literals are not variables: the text is fixed', () => {
    const parts = parseTemplate('a${*}', '2012-10-17');
    assert.equal(hasVariables(parts), false);
    assert.equal(fixedText(parts), 'a*');
  });
});

describe('resolveTemplate / renderTemplate', () => {
  const rows: {
    name: string;
    text: string;
    context: Record<string, ContextValue>;
    rendered: string | undefined;
  }[] = [
    { name: 'single-valued key substitutes', text: 'home/${aws:username}/', context: { 'aws:username': 'bob' }, rendered: 'home/bob/' },
    { name: 'key lookup is case-insensitive', text: '${AWS:USERNAME}', context: { 'aws:username': 'bob' }, rendered: 'bob' },
    { name: 'missing key without default → unresolved', text: '${aws:username}', context: {}, rendered: undefined },
    { name: 'missing key uses the default', text: "${aws:userid, 'anonymous'}", context: {}, rendered: 'anonymous' },
    { name: 'present key wins over the default', text: "${aws:userid, 'anonymous'}", context: { 'aws:userid': 'AIDA1' }, rendered: 'AIDA1' },
    { name: 'empty string value is present (no default used)', text: "${k, 'd'}", context: { k: '' }, rendered: '' },
    { name: 'multivalued key cannot be a variable → unresolved', text: '${aws:TagKeys}', context: { 'aws:tagkeys': ['a', 'b'] }, rendered: undefined },
    { name: 'multivalued key falls back to the default', text: "${aws:TagKeys, 'x'}", context: { 'aws:tagkeys': ['a', 'b'] }, rendered: 'x' },
    { name: 'a list of one value is that value', text: '${k}', context: { k: ['only'] }, rendered: 'only' },
    { name: 'predefined literals render as their character', text: 'a${*}${?}${$}', context: {}, rendered: 'a*?$' },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const parts = parseTemplate(row.text, '2012-10-17');
      assert.equal(renderTemplate(parts, ctx(row.context)), row.rendered);
    });
  }

  test('resolved variable values and predefined literals are marked literal; policy text is not', () => {
    const parts = parseTemplate('a*${k}${*}', '2012-10-17');
    assert.deepEqual(resolveTemplate(parts, ctx({ k: 'x*?' })), [
      { text: 'a*', literal: false },
      { text: 'x*?', literal: true },
      { text: '*', literal: true },
    ]);
  });
  test('resolveTemplate is undefined when a variable does not resolve', () => {
    assert.equal(resolveTemplate(parseTemplate('a${k}', '2012-10-17'), ctx({})), undefined);
  });
});

describe('parsing is linear in the value', () => {
  // 40,000 `${` that never close (or share one end) were each scanned to the end: 10 s and more.
  for (const [name, text] of [
    ['no end at all', 'arn:aws:s3:::' + '${a'.repeat(40_000)],
    ['one end for all', '${'.repeat(40_000) + "a,'" + 'x'.repeat(40_000)],
    ['a default that never closes', '${a,' + "'x".repeat(40_000)],
  ]) {
    test(name, () => {
      const t0 = performance.now();
      const parts = parseTemplate(text, '2012-10-17');
      assert.ok(performance.now() - t0 <= 1000);
      assert.equal(parts.map((p) => (p.kind === 'var' ? `\${${p.key}}` : p.text)).join('').length > 0, true);
    });
  }

  test('what many opens parse to is unchanged: the last well-formed variable wins', () => {
    assert.deepEqual(parseTemplate('${${${a}', '2012-10-17'), [{ kind: 'var', key: '${${a' }]);
    assert.deepEqual(parseTemplate("x${${a, 'd'}", '2012-10-17'), [{ kind: 'text', text: 'x' }, { kind: 'var', key: '${a', default: 'd' }]);
    assert.deepEqual(parseTemplate("${'}${b}", '2012-10-17'), [{ kind: 'text', text: "${'}" }, { kind: 'var', key: 'b' }]);
  });
});
