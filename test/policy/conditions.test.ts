// Condition blocks that are not valid, and the keys a block reads. What each operator and
// qualifier decides is data: test/policy/cases/conditions-*.json (the doc pages are named there).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConditions, conditionKeys } from '../../src/policy/conditions.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';

describe('the block', () => {
  for (const bad of ['StringEqual', 'stringequals', 'Foo:StringEquals', 'NullIfExists', 'ForAllValues:']) {
    test(`unknown or mis-cased operator ${bad} is a MalformedPolicyDocument`, () => {
      assert.throws(() => compileConditions([{ operator: bad, key: 'k', values: ['v'] }], '2012-10-17'), MalformedPolicyDocumentError);
    });
  }
});

describe('conditionKeys', () => {
  test('tested keys and variable keys, lowercased, once each, in order', () => {
    const keys = conditionKeys([
      { operator: 'StringEquals', key: 'aws:ResourceTag/Owner', values: ['${aws:username}', "${aws:PrincipalTag/Team, 'x'}"] },
      { operator: 'ArnLike', key: 'AWS:SourceArn', values: ['arn:aws:sns:*:${aws:PrincipalAccount}:t'] },
      { operator: 'StringLike', key: 'aws:resourcetag/owner', values: ['${*}'] },
    ]);
    assert.deepEqual(keys, ['aws:resourcetag/owner', 'aws:username', 'aws:principaltag/team', 'aws:sourcearn', 'aws:principalaccount']);
  });
  test('operators without variables add no variable keys', () => {
    assert.deepEqual(conditionKeys([{ operator: 'NumericLessThan', key: 's3:max-keys', values: ['${aws:n}'] }]), ['s3:max-keys']);
  });
  test('2008-10-17 policies have no variables', () => {
    assert.deepEqual(conditionKeys([{ operator: 'StringEquals', key: 'k', values: ['${aws:username}'] }], '2008-10-17'), ['k']);
  });
});
