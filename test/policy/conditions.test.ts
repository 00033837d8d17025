// Condition operators, qualifiers and the block's logic. Doc pages (IAM User Guide):
// OPS   reference_policies_elements_condition_operators.html
// MULTI reference_policies_multi-value-conditions.html
// SVMV  reference_policies_condition-single-vs-multi-valued-context-keys.html
// VARS  reference_policies_variables.html
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConditions, conditionKeys } from '../../src/policy/conditions.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';
import type { ConditionEntry, ContextValue, PolicyVersion, RequestContext } from '../../src/policy/types.ts';

function ctx(values: Record<string, ContextValue>): RequestContext {
  return new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
}

interface Row {
  name: string;
  op: string;
  key?: string;
  values: string[];
  request: ContextValue | undefined; // the value of `key` in the request; undefined = absent
  extra?: Record<string, ContextValue>; // other context keys (variables)
  version?: PolicyVersion;
  expect: boolean;
}

function run(rows: Row[]): void {
  for (const row of rows) {
    test(row.name, () => {
      const key = row.key ?? 'k:Key';
      const test = compileConditions([{ operator: row.op, key, values: row.values }], row.version ?? '2012-10-17');
      const context: Record<string, ContextValue> = { ...row.extra };
      if (row.request !== undefined) context[key] = row.request;
      assert.equal(test(ctx(context)), row.expect);
    });
  }
}

describe('String operators (OPS)', () => {
  run([
    { name: 'StringEquals: exact match', op: 'StringEquals', values: ['johndoe'], request: 'johndoe', expect: true },
    { name: 'StringEquals: case-sensitive', op: 'StringEquals', values: ['johndoe'], request: 'JohnDoe', expect: false },
    { name: 'StringEquals: values are OR-ed', op: 'StringEquals', values: ['a', 'b'], request: 'b', expect: true },
    { name: 'StringEquals: no value matches', op: 'StringEquals', values: ['a', 'b'], request: 'c', expect: false },
    { name: 'StringEquals: * is not a wildcard', op: 'StringEquals', values: ['a*'], request: 'abc', expect: false },
    { name: 'StringEquals: * matches itself literally', op: 'StringEquals', values: ['a*'], request: 'a*', expect: true },
    { name: 'StringEquals: empty string equals empty string', op: 'StringEquals', values: [''], request: '', expect: true },
    { name: 'StringNotEquals: different value → true', op: 'StringNotEquals', values: ['a'], request: 'b', expect: true },
    { name: 'StringNotEquals: equal value → false', op: 'StringNotEquals', values: ['a'], request: 'a', expect: false },
    // MULTI: "If a single negated matching condition operator includes multiple values … logical NOR"
    { name: 'StringNotEquals: values are NOR-ed (matching any one → false)', op: 'StringNotEquals', values: ['audit', 'security'], request: 'security', expect: false },
    { name: 'StringNotEquals: values are NOR-ed (matching none → true)', op: 'StringNotEquals', values: ['audit', 'security'], request: 'dev', expect: true },
    { name: 'StringEqualsIgnoreCase: ignores case', op: 'StringEqualsIgnoreCase', values: ['JohnDoe'], request: 'JOHNDOE', expect: true },
    { name: 'StringEqualsIgnoreCase: still exact otherwise', op: 'StringEqualsIgnoreCase', values: ['JohnDoe'], request: 'JohnDoe2', expect: false },
    { name: 'StringNotEqualsIgnoreCase: same but other case → false', op: 'StringNotEqualsIgnoreCase', values: ['Admin'], request: 'admin', expect: false },
    { name: 'StringNotEqualsIgnoreCase: different → true', op: 'StringNotEqualsIgnoreCase', values: ['Admin'], request: 'user', expect: true },
    { name: 'StringLike: * matches any run of characters', op: 'StringLike', values: ['home/*'], request: 'home/bob/file', expect: true },
    { name: 'StringLike: * matches nothing too', op: 'StringLike', values: ['home/*'], request: 'home/', expect: true },
    { name: 'StringLike: ? matches exactly one character', op: 'StringLike', values: ['t?.micro'], request: 't2.micro', expect: true },
    { name: 'StringLike: ? does not match zero characters', op: 'StringLike', values: ['t?.micro'], request: 't.micro', expect: false },
    { name: 'StringLike: wildcards anywhere', op: 'StringLike', values: ['*a?c*'], request: 'xxabcyy', expect: true },
    { name: 'StringLike: without wildcards it is exact', op: 'StringLike', values: ['home'], request: 'home/', expect: false },
    { name: 'StringLike: case-sensitive', op: 'StringLike', values: ['Home/*'], request: 'home/x', expect: false },
    { name: 'StringLike: backtracking star', op: 'StringLike', values: ['*ab*ab'], request: 'xabyabab', expect: true },
    { name: 'StringLike: empty policy value matches only empty', op: 'StringLike', values: ['', 'home/'], request: '', expect: true },
    { name: 'StringLike: regex characters are plain', op: 'StringLike', values: ['a.c'], request: 'abc', expect: false },
    { name: 'StringNotLike: matching a pattern → false', op: 'StringNotLike', values: ['t1.*', 't2.*'], request: 't2.large', expect: false },
    { name: 'StringNotLike: matching no pattern → true', op: 'StringNotLike', values: ['t1.*', 't2.*'], request: 'm5.large', expect: true },
  ]);
});

describe('Numeric operators (OPS)', () => {
  run([
    { name: 'NumericEquals: integer', op: 'NumericEquals', values: ['10'], request: '10', expect: true },
    { name: 'NumericEquals: numbers, not strings (10 = 10.0)', op: 'NumericEquals', values: ['10'], request: '10.0', expect: true },
    { name: 'NumericEquals: decimal', op: 'NumericEquals', values: ['1.5'], request: '1.50', expect: true },
    { name: 'NumericNotEquals: different → true', op: 'NumericNotEquals', values: ['10'], request: '11', expect: true },
    { name: 'NumericNotEquals: equal → false', op: 'NumericNotEquals', values: ['10', '11'], request: '11', expect: false },
    { name: 'NumericLessThan: less', op: 'NumericLessThan', values: ['10'], request: '9.99', expect: true },
    { name: 'NumericLessThan: equal is not less', op: 'NumericLessThan', values: ['10'], request: '10', expect: false },
    { name: 'NumericLessThanEquals: equal', op: 'NumericLessThanEquals', values: ['10'], request: '10', expect: true },
    { name: 'NumericLessThanEquals: greater', op: 'NumericLessThanEquals', values: ['10'], request: '11', expect: false },
    { name: 'NumericGreaterThan: greater', op: 'NumericGreaterThan', values: ['10'], request: '11', expect: true },
    { name: 'NumericGreaterThan: negative numbers', op: 'NumericGreaterThan', values: ['-5'], request: '-4', expect: true },
    { name: 'NumericGreaterThanEquals: equal', op: 'NumericGreaterThanEquals', values: ['10'], request: '10', expect: true },
    { name: 'NumericGreaterThanEquals: less', op: 'NumericGreaterThanEquals', values: ['10'], request: '9', expect: false },
    { name: 'Numeric: non-numeric request value does not match', op: 'NumericLessThan', values: ['10'], request: 'abc', expect: false },
    { name: 'Numeric: non-numeric policy value matches nothing', op: 'NumericEquals', values: ['ten'], request: '10', expect: false },
    { name: 'Numeric: exponent notation is not a number', op: 'NumericEquals', values: ['1000'], request: '1e3', expect: false },
    // OPS: "You can not use a policy variable with the Numeric condition operator"
    { name: 'Numeric: policy variables are not substituted', op: 'NumericEquals', values: ['${k:n}'], request: '5', extra: { 'k:n': '5' }, expect: false },
  ]);
});

describe('Date operators (OPS: W3C ISO 8601 or epoch)', () => {
  run([
    { name: 'DateGreaterThan: later time', op: 'DateGreaterThan', values: ['2020-01-01T00:00:01Z'], request: '2020-06-01T00:00:00Z', expect: true },
    { name: 'DateGreaterThan: earlier time', op: 'DateGreaterThan', values: ['2020-01-01T00:00:01Z'], request: '2019-12-31T23:59:59Z', expect: false },
    { name: 'DateEquals: same instant in another zone', op: 'DateEquals', values: ['2020-01-01T00:00:00Z'], request: '2020-01-01T02:00:00+02:00', expect: true },
    { name: 'DateEquals: date-only form is midnight UTC', op: 'DateEquals', values: ['2020-01-01'], request: '2020-01-01T00:00:00Z', expect: true },
    { name: 'DateEquals: fractional seconds count', op: 'DateEquals', values: ['2020-01-01T00:00:00.500Z'], request: '2020-01-01T00:00:00Z', expect: false },
    { name: 'DateEquals: epoch seconds in the request', op: 'DateEquals', values: ['2020-01-01T00:00:00Z'], request: '1577836800', expect: true },
    { name: 'DateLessThan: epoch seconds in the policy', op: 'DateLessThan', values: ['1577836800'], request: '2019-12-31T23:59:59Z', expect: true },
    { name: 'DateLessThanEquals: equal', op: 'DateLessThanEquals', values: ['2020-01-01T00:00:00Z'], request: '2020-01-01T00:00:00.000Z', expect: true },
    { name: 'DateGreaterThanEquals: equal', op: 'DateGreaterThanEquals', values: ['2020-01-01T00:00Z'], request: '2020-01-01T00:00:00Z', expect: true },
    { name: 'DateNotEquals: different → true', op: 'DateNotEquals', values: ['2020-01-01'], request: '2020-01-02', expect: true },
    { name: 'DateNotEquals: equal → false', op: 'DateNotEquals', values: ['2020-01-01'], request: '2020-01-01T00:00:00Z', expect: false },
    { name: 'Date: unparseable request value does not match', op: 'DateLessThan', values: ['2030-01-01'], request: 'tomorrow', expect: false },
    { name: 'Date: unparseable policy value matches nothing', op: 'DateGreaterThan', values: ['2020-13-01'], request: '2021-01-01', expect: false },
  ]);
});

describe('Bool, Binary (OPS)', () => {
  run([
    { name: 'Bool: true matches true', op: 'Bool', key: 'aws:SecureTransport', values: ['true'], request: 'true', expect: true },
    { name: 'Bool: false does not match true', op: 'Bool', key: 'aws:SecureTransport', values: ['false'], request: 'true', expect: false },
    { name: 'Bool: letter case of true/false does not matter', op: 'Bool', values: ['True'], request: 'TRUE', expect: true },
    { name: 'Bool: a non-boolean request value does not match', op: 'Bool', values: ['true'], request: 'yes', expect: false },
    { name: 'Bool: missing key → false (use BoolIfExists for aws:MultiFactorAuthPresent)', op: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'], request: undefined, expect: false },
    { name: 'BoolIfExists: missing key → true', op: 'BoolIfExists', key: 'aws:MultiFactorAuthPresent', values: ['false'], request: undefined, expect: true },
    { name: 'Bool: policy variables are substituted', op: 'Bool', values: ['${k:flag}'], request: 'true', extra: { 'k:flag': 'true' }, expect: true },
    { name: 'BinaryEquals: base64 bytes equal', op: 'BinaryEquals', values: ['QmluYXJ5VmFsdWVJbkJhc2U2NA=='], request: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', expect: true },
    { name: 'BinaryEquals: padding does not change the bytes', op: 'BinaryEquals', values: ['QQ=='], request: 'QQ', expect: true },
    { name: 'BinaryEquals: other bytes', op: 'BinaryEquals', values: ['QQ=='], request: 'Qg==', expect: false },
    { name: 'BinaryNotEquals: other bytes → true', op: 'BinaryNotEquals', values: ['QQ=='], request: 'Qg==', expect: true },
    { name: 'BinaryNotEquals: same bytes → false', op: 'BinaryNotEquals', values: ['QQ=='], request: 'QQ==', expect: false },
  ]);
});

describe('IP address operators (OPS)', () => {
  const ip = 'aws:SourceIp';
  run([
    { name: 'IpAddress: IPv4 in CIDR', op: 'IpAddress', key: ip, values: ['203.0.113.0/24'], request: '203.0.113.77', expect: true },
    { name: 'IpAddress: IPv4 outside CIDR', op: 'IpAddress', key: ip, values: ['203.0.113.0/24'], request: '203.0.114.1', expect: false },
    { name: 'IpAddress: bare IPv4 is /32', op: 'IpAddress', key: ip, values: ['203.0.113.5'], request: '203.0.113.5', expect: true },
    { name: 'IpAddress: bare IPv4 is /32 (neighbour excluded)', op: 'IpAddress', key: ip, values: ['203.0.113.5'], request: '203.0.113.6', expect: false },
    { name: 'IpAddress: /0 matches every IPv4', op: 'IpAddress', key: ip, values: ['0.0.0.0/0'], request: '255.255.255.255', expect: true },
    { name: 'IpAddress: host bits in the CIDR are ignored', op: 'IpAddress', key: ip, values: ['10.1.2.3/8'], request: '10.200.0.1', expect: true },
    { name: 'IpAddress: IPv6 in CIDR', op: 'IpAddress', key: ip, values: ['2001:DB8:1234:5678::/64'], request: '2001:db8:1234:5678:abcd::1', expect: true },
    { name: 'IpAddress: IPv6 outside CIDR', op: 'IpAddress', key: ip, values: ['2001:DB8:1234:5678::/64'], request: '2001:db8:1234:5679::1', expect: false },
    { name: 'IpAddress: bare IPv6 is /128', op: 'IpAddress', key: ip, values: ['2001:db8::1'], request: '2001:0db8:0000:0000:0000:0000:0000:0001', expect: true },
    { name: 'IpAddress: mixed IPv4 and IPv6 list (IPv4 request)', op: 'IpAddress', key: ip, values: ['2001:DB8:1234:5678::/64', '203.0.113.0/24'], request: '203.0.113.9', expect: true },
    { name: 'IpAddress: IPv4 request does not match an IPv6-only range', op: 'IpAddress', key: ip, values: ['::/0'], request: '203.0.113.9', expect: false },
    { name: 'IpAddress: IPv4-mapped IPv6 request is its IPv4 address', op: 'IpAddress', key: ip, values: ['127.0.0.0/8'], request: '::ffff:127.0.0.1', expect: true },
    { name: 'IpAddress: not an address → no match', op: 'IpAddress', key: ip, values: ['0.0.0.0/0'], request: 'localhost', expect: false },
    { name: 'IpAddress: invalid policy CIDR matches nothing', op: 'IpAddress', key: ip, values: ['10.0.0.0/33'], request: '10.0.0.1', expect: false },
    { name: 'NotIpAddress: outside every range → true', op: 'NotIpAddress', key: ip, values: ['203.0.113.0/24', '2001:db8::/32'], request: '198.51.100.1', expect: true },
    { name: 'NotIpAddress: inside a range → false', op: 'NotIpAddress', key: ip, values: ['203.0.113.0/24', '2001:db8::/32'], request: '2001:db8::5', expect: false },
    // OPS: aws:SourceIp is absent for VPC endpoint requests; negated operator with a missing key is true
    { name: 'NotIpAddress: missing key → true', op: 'NotIpAddress', key: ip, values: ['203.0.113.0/24'], request: undefined, expect: true },
  ]);
});

describe('ARN operators (OPS)', () => {
  const key = 'aws:SourceArn';
  run([
    { name: 'ArnEquals: identical ARN', op: 'ArnEquals', key, values: ['arn:aws:sns:us-east-1:123456789012:topic'], request: 'arn:aws:sns:us-east-1:123456789012:topic', expect: true },
    { name: 'ArnEquals: wildcards work (identical to ArnLike)', op: 'ArnEquals', key, values: ['arn:aws:sns:*:123456789012:*'], request: 'arn:aws:sns:eu-west-1:123456789012:topic', expect: true },
    { name: 'ArnLike: case-sensitive', op: 'ArnLike', key, values: ['arn:aws:iam::123456789012:role/Admin'], request: 'arn:aws:iam::123456789012:role/admin', expect: false },
    // OPS example: StringLike would match, ArnLike does not — "*" stays inside one component
    { name: 'ArnLike: * stays within its colon-delimited component', op: 'ArnLike', key, values: ['arn:aws:someservice:*:111122223333:finance/*'], request: 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', expect: false },
    { name: 'StringLike: the same pattern does cross colons', op: 'StringLike', key, values: ['arn:aws:someservice:*:111122223333:finance/*'], request: 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', expect: true },
    { name: 'ArnLike: the resource component keeps its colons', op: 'ArnLike', key, values: ['arn:aws:logs:us-east-1:123456789012:log-group:*'], request: 'arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:x', expect: true },
    { name: 'ArnLike: ? in a component', op: 'ArnLike', key, values: ['arn:aws:s3:::bucket-?'], request: 'arn:aws:s3:::bucket-7', expect: true },
    { name: 'ArnLike: empty component must be empty', op: 'ArnLike', key, values: ['arn:aws:iam::123456789012:user/*'], request: 'arn:aws:iam:us-east-1:123456789012:user/bob', expect: false },
    { name: 'ArnLike: request value that is not an ARN does not match', op: 'ArnLike', key, values: ['arn:*:*:*:*:*'], request: 'not-an-arn', expect: false },
    { name: 'ArnNotEquals: different ARN → true', op: 'ArnNotEquals', key, values: ['arn:aws:iam::123456789012:root'], request: 'arn:aws:iam::210987654321:root', expect: true },
    { name: 'ArnNotLike: matching ARN → false', op: 'ArnNotLike', key, values: ['arn:aws:iam::*:role/Admin*'], request: 'arn:aws:iam::123456789012:role/AdminX', expect: false },
  ]);
});

describe('missing keys, …IfExists and Null (OPS)', () => {
  run([
    // OPS: "If the key … is not present in the request context, the values do not match and the condition is false"
    { name: 'positive operator, missing key → false', op: 'StringEquals', values: ['a'], request: undefined, expect: false },
    // OPS: "If the policy condition requires that the key is not matched … and the right key is not present, the condition is true"
    { name: 'negated operator, missing key → true', op: 'StringNotLike', values: ['a*'], request: undefined, expect: true },
    { name: 'negated ARN operator, missing key → true', op: 'ArnNotLike', values: ['arn:*:*:*:*:*'], request: undefined, expect: true },
    { name: 'IfExists: missing key → true', op: 'StringLikeIfExists', values: ['t1.*'], request: undefined, expect: true },
    { name: 'IfExists: present key is tested as usual', op: 'StringLikeIfExists', values: ['t1.*'], request: 'm5.large', expect: false },
    { name: 'IfExists on a negated operator: missing → true', op: 'StringNotEqualsIfExists', values: ['a'], request: undefined, expect: true },
    { name: 'IfExists on a numeric operator: missing → true', op: 'NumericLessThanIfExists', values: ['10'], request: undefined, expect: true },
    { name: 'Null true: key absent → true', op: 'Null', key: 'aws:TokenIssueTime', values: ['true'], request: undefined, expect: true },
    { name: 'Null true: key present → false', op: 'Null', key: 'aws:TokenIssueTime', values: ['true'], request: '2020-01-01T00:00:00Z', expect: false },
    { name: 'Null false: key present → true', op: 'Null', key: 'aws:TokenIssueTime', values: ['false'], request: '2020-01-01T00:00:00Z', expect: true },
    { name: 'Null false: key absent → false', op: 'Null', key: 'aws:TokenIssueTime', values: ['false'], request: undefined, expect: false },
    { name: 'Null: present with an empty string value is present', op: 'Null', values: ['false'], request: '', expect: true },
    // SVMV / examples: Null false guards against "missing context keys or context keys with empty values"
    { name: 'Null false: an empty list counts as absent', op: 'Null', key: 'aws:TagKeys', values: ['false'], request: [], expect: false },
    { name: 'Null true: an empty list counts as absent', op: 'Null', key: 'aws:TagKeys', values: ['true'], request: [], expect: true },
    { name: 'Null: a list of values is present', op: 'Null', key: 'aws:TagKeys', values: ['false'], request: ['a', 'b'], expect: true },
  ]);
});

describe('multivalued keys and the set operators (SVMV, MULTI)', () => {
  const key = 'aws:TagKeys';
  run([
    { name: 'ForAllValues: every request value matches some policy value → true', op: 'ForAllValues:StringEquals', key, values: ['Owner', 'Team'], request: ['Owner', 'Team'], expect: true },
    { name: 'ForAllValues: one request value matches no policy value → false', op: 'ForAllValues:StringEquals', key, values: ['Owner', 'Team'], request: ['Owner', 'Cost'], expect: false },
    { name: 'ForAllValues: a subset of the policy values → true', op: 'ForAllValues:StringLike', key, values: ['PostDateTime', 'Message', 'Tags'], request: ['Message'], expect: true },
    // SVMV: "It also returns true if there are no context keys in the request"
    { name: 'ForAllValues: missing key → true', op: 'ForAllValues:StringEquals', key, values: ['Owner'], request: undefined, expect: true },
    { name: 'ForAllValues: empty list → true', op: 'ForAllValues:StringEquals', key, values: ['Owner'], request: [], expect: true },
    // MULTI (older revision): "If the key values in the request resolve to an empty data set (for example, an empty string)"
    { name: 'ForAllValues: an empty string is an empty data set → true', op: 'ForAllValues:StringEquals', key, values: ['Owner'], request: '', expect: true },
    { name: 'ForAnyValue: an empty string is an empty data set → false', op: 'ForAnyValue:StringEquals', key, values: [''], request: '', expect: false },
    { name: 'ForAllValues: a single string is a set of one', op: 'ForAllValues:StringEquals', key, values: ['Owner'], request: 'Owner', expect: true },
    { name: 'ForAllValues:StringNotEquals: no request value is a policy value → true', op: 'ForAllValues:StringNotEquals', key, values: ['Admin'], request: ['a', 'b'], expect: true },
    { name: 'ForAllValues:StringNotEquals: one request value is a policy value → false', op: 'ForAllValues:StringNotEquals', key, values: ['Admin'], request: ['a', 'Admin'], expect: false },
    { name: 'ForAnyValue: one request value matches → true', op: 'ForAnyValue:StringEquals', key, values: ['ID', 'PostDateTime'], request: ['UserName', 'Message', 'PostDateTime'], expect: true },
    { name: 'ForAnyValue: no request value matches → false', op: 'ForAnyValue:StringEquals', key, values: ['ID', 'PostDateTime'], request: ['UserName'], expect: false },
    // SVMV: ForAnyValue returns false "if the key does not exist"
    { name: 'ForAnyValue: missing key → false', op: 'ForAnyValue:StringEquals', key, values: ['ID'], request: undefined, expect: false },
    { name: 'ForAnyValue: empty list → false', op: 'ForAnyValue:StringEquals', key, values: ['ID'], request: [], expect: false },
    { name: 'ForAnyValue …IfExists: missing key → true', op: 'ForAnyValue:StringEqualsIfExists', key, values: ['ID'], request: undefined, expect: true },
    { name: 'ForAnyValue:StringNotEquals: some request value is not a policy value → true', op: 'ForAnyValue:StringNotEquals', key, values: ['a'], request: ['a', 'b'], expect: true },
    { name: 'ForAnyValue:StringNotEquals: every request value is a policy value → false', op: 'ForAnyValue:StringNotEquals', key, values: ['a', 'b'], request: ['a', 'b'], expect: false },
    { name: 'ForAnyValue with wildcards', op: 'ForAnyValue:StringLike', key, values: ['aws:*'], request: ['x', 'aws:cloudformation:stack'], expect: true },
    { name: 'plain operator: a list of one value is that value', op: 'StringEquals', key, values: ['Owner'], request: ['Owner'], expect: true },
    { name: 'plain operator: an empty list is a missing key (positive → false)', op: 'StringEquals', key, values: ['Owner'], request: [], expect: false },
    { name: 'plain operator: an empty list is a missing key (negated → true)', op: 'StringNotEquals', key, values: ['Owner'], request: [], expect: true },
    // SVMV: "Multivalued context keys require a condition set operator" — without one the entry does not hold
    { name: 'plain positive operator on several values → false', op: 'StringEquals', key, values: ['a', 'b'], request: ['a', 'b'], expect: false },
    { name: 'plain negated operator on several values → false', op: 'StringNotEquals', key, values: ['x'], request: ['a', 'b'], expect: false },
    { name: 'plain IfExists operator on several values → false (the key exists)', op: 'StringEqualsIfExists', key, values: ['a'], request: ['a', 'b'], expect: false },
  ]);
});

describe('policy variables in condition values (VARS)', () => {
  run([
    { name: 'StringEquals with a variable', op: 'StringEquals', key: 'aws:ResourceTag/owner', values: ['${aws:username}'], request: 'bob', extra: { 'aws:username': 'bob' }, expect: true },
    { name: 'StringEquals with a variable: other value', op: 'StringEquals', key: 'aws:ResourceTag/owner', values: ['${aws:username}'], request: 'alice', extra: { 'aws:username': 'bob' }, expect: false },
    { name: 'StringLike: variable inside a pattern', op: 'StringLike', key: 's3:prefix', values: ['home/${aws:username}/*'], request: 'home/bob/docs', extra: { 'aws:username': 'bob' }, expect: true },
    { name: "StringLike: variable's * is literal, not a wildcard", op: 'StringLike', key: 's3:prefix', values: ['home/${aws:username}'], request: 'home/bobby', extra: { 'aws:username': 'bob*' }, expect: false },
    { name: "StringLike: variable's * matches a literal *", op: 'StringLike', key: 's3:prefix', values: ['home/${aws:username}'], request: 'home/bob*', extra: { 'aws:username': 'bob*' }, expect: true },
    { name: 'StringLike: ${*} is a literal asterisk', op: 'StringLike', values: ['a${*}'], request: 'abc', expect: false },
    { name: 'StringLike: ${*} matches an asterisk', op: 'StringLike', values: ['a${*}'], request: 'a*', expect: true },
    { name: 'StringLike: ${?} is a literal question mark', op: 'StringLike', values: ['why${?}'], request: 'whyX', expect: false },
    { name: 'StringEquals: ${$} is a dollar sign', op: 'StringEquals', values: ['${$}{aws:username}'], request: '${aws:username}', extra: { 'aws:username': 'bob' }, expect: true },
    // VARS: StringEquals / StringLike "do not match" a variable with no value
    { name: 'unresolved variable: positive operator does not match', op: 'StringEquals', key: 'aws:ResourceTag/team', values: ['${aws:PrincipalTag/team}'], request: 'dev', expect: false },
    { name: 'unresolved variable is no value, not an empty string', op: 'StringEquals', values: ['${aws:PrincipalTag/team}'], request: '', expect: false },
    { name: 'unresolved variable: other values still match', op: 'StringEquals', values: ['${aws:PrincipalTag/team}', 'dev'], request: 'dev', expect: true },
    // VARS: "Inverted condition operators like StringNotEquals or StringNotLike do match against a null value"
    { name: 'unresolved variable: negated operator matches', op: 'StringNotEquals', key: 'aws:ResourceTag/team', values: ['${aws:PrincipalTag/team}'], request: 'dev', expect: true },
    { name: 'unresolved variable: StringNotLike matches', op: 'StringNotLike', values: ['${aws:PrincipalTag/team}/*'], request: 'dev/x', expect: true },
    { name: 'default value used when the key is missing', op: 'StringEquals', values: ["${aws:PrincipalTag/team, 'company-wide'}"], request: 'company-wide', expect: true },
    { name: 'default value is literal', op: 'StringLike', values: ["${aws:PrincipalTag/team, 'a*'}"], request: 'abc', expect: false },
    { name: 'IgnoreCase with a variable', op: 'StringEqualsIgnoreCase', values: ['${aws:username}'], request: 'BOB', extra: { 'aws:username': 'bob' }, expect: true },
    { name: 'ArnEquals with a variable', op: 'ArnEquals', values: ['arn:aws:iam::123456789012:user/${aws:username}'], request: 'arn:aws:iam::123456789012:user/bob', extra: { 'aws:username': 'bob' }, expect: true },
    { name: 'ArnLike: a whole ARN as the variable splits into components', op: 'ArnLike', values: ['${aws:PrincipalArn}'], request: 'arn:aws:iam::123456789012:role/r', extra: { 'aws:principalarn': 'arn:aws:iam::123456789012:role/r' }, expect: true },
    { name: 'variable key names are case-insensitive', op: 'StringEquals', values: ['${AWS:UserName}'], request: 'bob', extra: { 'aws:username': 'bob' }, expect: true },
    { name: 'multivalued key is no variable (unresolved → no match)', op: 'StringEquals', values: ['${aws:TagKeys}'], request: 'a', extra: { 'aws:tagkeys': ['a', 'b'] }, expect: false },
    // VARS: without Version 2012-10-17 "variables like ${aws:username} are treated as literal strings"
    { name: '2008-10-17: ${aws:username} is literal text', op: 'StringEquals', values: ['${aws:username}'], request: '${aws:username}', extra: { 'aws:username': 'bob' }, version: '2008-10-17', expect: true },
    { name: '2008-10-17: the variable is not substituted', op: 'StringEquals', values: ['${aws:username}'], request: 'bob', extra: { 'aws:username': 'bob' }, version: '2008-10-17', expect: false },
    { name: '2008-10-17: ${*} holds a wildcard *', op: 'StringLike', values: ['a${*}'], request: 'a${xyz}', version: '2008-10-17', expect: true },
  ]);
});

describe('the block', () => {
  const entries: ConditionEntry[] = [
    { operator: 'StringEquals', key: 'aws:PrincipalTag/department', values: ['finance', 'hr'] },
    { operator: 'StringEquals', key: 'aws:PrincipalTag/role', values: ['audit'] },
    { operator: 'ArnLike', key: 'aws:PrincipalArn', values: ['arn:aws:iam::222222222222:user/*'] },
  ];
  const block = compileConditions(entries, '2012-10-17');
  const base = { 'aws:principaltag/department': 'hr', 'aws:principaltag/role': 'audit', 'aws:principalarn': 'arn:aws:iam::222222222222:user/a' };

  test('no entries → true', () => assert.equal(compileConditions([], '2012-10-17')(ctx({})), true));
  test('every entry holds → true', () => assert.equal(block(ctx(base)), true));
  test('keys are AND-ed: one key fails → false', () => assert.equal(block(ctx({ ...base, 'aws:principaltag/role': 'dev' })), false));
  test('operators are AND-ed: the ArnLike entry fails → false', () =>
    assert.equal(block(ctx({ ...base, 'aws:principalarn': 'arn:aws:iam::333333333333:user/a' })), false));
  test('condition key names are case-insensitive', () => {
    const t = compileConditions([{ operator: 'StringEquals', key: 'AWS:SourceVpce', values: ['vpce-1'] }], '2012-10-17');
    assert.equal(t(ctx({ 'aws:sourcevpce': 'vpce-1' })), true);
  });
  test('two entries only', () => {
    const t = compileConditions(entries.slice(0, 2), '2012-10-17');
    assert.equal(t(ctx(base)), true);
    assert.equal(t(ctx({ ...base, 'aws:principaltag/department': 'it' })), false);
  });
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
