// Statement positions as the policy simulator reports them, and the context keys a policy reads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statementPositions } from '../../src/authz/statement-positions.ts';
import { policyContextKeys } from '../../src/authz/context-keys.ts';
import { parsePolicy } from '../../src/policy/index.ts';

const at = (line: number, column: number) => ({ line, column });

describe('statementPositions', () => {
  test("AWS's published examples", () => {
    const oneLine =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    assert.deepEqual(statementPositions(oneLine), [{ start: at(1, 38), end: at(1, 167) }]);
    const admin = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}';
    assert.deepEqual(statementPositions(admin), [{ start: at(3, 17), end: at(8, 6) }]);
    // A Terraform-written managed policy: Statement first, no white space.
    const tf = '{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":"arn:aws:s3:::b/*"}],"Version":"2012-10-17"}';
    assert.deepEqual(statementPositions(tf), [{ start: at(1, 15), end: at(1, 89) }]);
  });

  test('later statements start where the previous one ended, before the comma', () => {
    const text = '{"Statement": [ {"Effect":"Allow","Action":"a:b","Resource":"*"} ,\n  {"Effect":"Deny","Action":"a:c","Resource":"*"}\n]}';
    const [first, second] = statementPositions(text);
    assert.deepEqual(first, { start: at(1, 16), end: at(1, 65) });
    assert.deepEqual(second, { start: at(1, 65), end: at(2, 50) });
  });

  test('CRLF and lone CR end lines once; braces and quotes inside strings are text', () => {
    const text = '{\r\n "Id": "a}b\\"]{",\r "Statement": [\r\n  {"Sid": "x{", "Effect": "Allow", "Action": "a:b", "Resource": "*"}\r\n ]\r\n}';
    assert.deepEqual(statementPositions(text), [{ start: at(3, 16), end: at(4, 69) }]);
  });

  test('other members with nested values are skipped', () => {
    const text = '{"Version":"2012-10-17","Id":"x","Extra":{"a":[1,{"b":null}],"c":true},"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
    const start = text.indexOf('[{') + 2; // column after the [ (1-based)
    assert.deepEqual(statementPositions(text), [{ start: at(1, start), end: at(1, text.length - 1) }]);
  });

  test('text without a Statement member gives none', () => {
    assert.deepEqual(statementPositions('{"Version":"2012-10-17"}'), []);
    assert.deepEqual(statementPositions('[]'), []);
    assert.deepEqual(statementPositions(''), []);
  });
});

describe('policyContextKeys', () => {
  test('resource variables, condition keys and condition value variables, as written, once each', () => {
    const doc = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:*',
            Resource: ["arn:aws:s3:::b/${aws:username}/${*}", "arn:aws:s3:::c/${aws:PrincipalTag/team, 'none'}"],
            Condition: { StringLike: { 's3:prefix': '${AWS:Username}/*' }, Bool: { 'aws:SecureTransport': 'true' } },
          },
        ],
      }),
      'identity',
    );
    assert.deepEqual(policyContextKeys(doc).keys, ['aws:username', 'aws:PrincipalTag/team', 's3:prefix', 'aws:SecureTransport']);
  });

  test('2008-10-17 policies have no variables', () => {
    const doc = parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}' }] }), 'identity');
    assert.deepEqual(policyContextKeys(doc).keys, []);
  });
});
