// The value parsers and matchers behind the operators: dates, IP ranges, wildcards.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from '../../src/policy/condition-date.ts';
import { ipInRanges, parseCidr, parseIPv4, parseIPv6 } from '../../src/policy/condition-ip.ts';
import { arnMatch, compileArnComponents, splitArnTokens, tokenizeText, wildcardMatch } from '../../src/policy/condition-wildcard.ts';
import { parseNumber } from '../../src/policy/condition-matchers.ts';

describe('parseDate (W3C ISO 8601 forms and epoch seconds)', () => {
  const rows: [string, string, number][] = [
    ['year and month', '2020-02', Date.UTC(2020, 1, 1)],
    ['complete date', '2020-02-29', Date.UTC(2020, 1, 29)],
    ['hours and minutes, Z', '2020-01-01T10:20Z', Date.UTC(2020, 0, 1, 10, 20)],
    ['seconds, Z', '2020-01-01T10:20:30Z', Date.UTC(2020, 0, 1, 10, 20, 30)],
    ['fraction of a second', '2020-01-01T10:20:30.45Z', Date.UTC(2020, 0, 1, 10, 20, 30, 450)],
    ['positive offset', '2020-01-01T10:20:30+01:00', Date.UTC(2020, 0, 1, 9, 20, 30)],
    ['negative offset', '2020-01-01T10:20:30-05:30', Date.UTC(2020, 0, 1, 15, 50, 30)],
    ['offset without colon', '2020-01-01T10:20:30+0100', Date.UTC(2020, 0, 1, 9, 20, 30)],
    ['no zone is UTC', '2020-01-01T10:20:30', Date.UTC(2020, 0, 1, 10, 20, 30)],
    ['epoch seconds', '1577836800', Date.UTC(2020, 0, 1)],
    ['epoch seconds with fraction', '1577836800.5', Date.UTC(2020, 0, 1) + 500],
    ['negative epoch', '-86400', Date.UTC(1969, 11, 31)],
  ];
  for (const [name, text, ms] of rows) test(`${name}: ${text}`, () => assert.equal(parseDate(text), ms));
  test('year before 100 is not shifted to 19xx', () => {
    const d = new Date(0);
    d.setUTCFullYear(99, 0, 1);
    assert.equal(parseDate('0099-01-01'), d.getTime());
  });
  for (const bad of ['', 'tomorrow', '2020-13-01', '2021-02-29', '2020-01-32', '2020-01-01T24:00Z', '2020-01-01T10:60Z', '2020-01-01T10:20:30.Z', '2020-01-01 10:20Z', '2020-01-01T10:20:30+25:00', '2020-01-01Z', '1.', '2020-1-1']) {
    test(`not a date: ${JSON.stringify(bad)}`, () => assert.ok(Number.isNaN(parseDate(bad))));
  }
});

describe('parseNumber (integer or decimal)', () => {
  const rows: [string, number][] = [['10', 10], ['-3', -3], ['+4', 4], ['1.25', 1.25], ['.5', 0.5], ['7.', 7]];
  for (const [text, n] of rows) test(`${text} is ${n}`, () => assert.equal(parseNumber(text), n));
  for (const bad of ['', '-', '.', '1e3', '0x10', ' 1', '1,000', 'NaN', 'Infinity', '1.2.3']) {
    test(`not a number: ${JSON.stringify(bad)}`, () => assert.ok(Number.isNaN(parseNumber(bad))));
  }
});

describe('IP parsing', () => {
  test('IPv4', () => {
    assert.equal(parseIPv4('192.168.0.1', 0, 11), 0xc0a80001);
    assert.equal(parseIPv4('255.255.255.255', 0, 15), 0xffffffff);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', '01234.1.1.1', 'a.b.c.d', '1.2.3.4 ']) {
      assert.equal(parseIPv4(bad, 0, bad.length), -1, bad);
    }
  });
  test('IPv6 forms', () => {
    const rows: [string, bigint][] = [
      ['::', 0n],
      ['::1', 1n],
      ['1::', 1n << 112n],
      ['1:2::3', (1n << 112n) | (2n << 96n) | 3n],
      ['2001:DB8:0:0:0:0:0:1', (0x2001n << 112n) | (0xdb8n << 96n) | 1n],
      ['::ffff:1.2.3.4', (0xffffn << 32n) | 0x01020304n],
      ['64:ff9b::192.0.2.33', (0x64n << 112n) | (0xff9bn << 96n) | 0xc0000221n],
    ];
    for (const [text, value] of rows) assert.equal(parseIPv6(text, 0, text.length), value, text);
    for (const bad of [':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', '1:', ':1', 'g::', '::1.2.3']) {
      assert.equal(parseIPv6(bad, 0, bad.length), undefined, bad);
    }
  });
  test('CIDR ranges', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { v4: [{ lo: 0x0a000000, hi: 0x0affffff }], v6: [] });
    assert.deepEqual(parseCidr('10.1.2.3'), { v4: [{ lo: 0x0a010203, hi: 0x0a010203 }], v6: [] });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { v4: [{ lo: 0, hi: 0xffffffff }], v6: [] });
    assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), { v4: [{ lo: 0x0a000000, hi: 0x0affffff }], v6: [] });
    assert.deepEqual(parseCidr('2001:db8::/127'), { v4: [], v6: [{ lo: (0x2001n << 112n) | (0xdb8n << 96n), hi: (0x2001n << 112n) | (0xdb8n << 96n) | 1n }] });
    for (const bad of ['10.0.0.0/', '10.0.0.0/33', '::/129', '10.0.0.0/8/8', '10.0.0.0/-1', 'host/8']) assert.equal(parseCidr(bad), undefined, bad);
  });
  test('IPv4 addresses written in mapped IPv6 hex form are IPv4', () => {
    const ranges = parseCidr('10.11.12.0/24')!;
    assert.equal(ipInRanges(ranges, '::ffff:a0b:c0d'), true);
  });
});

describe('wildcard matching', () => {
  const rows: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything', true],
    ['?', '', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbYcZ', false],
    ['*.txt', 'a.b.txt', true],
    ['**x', 'yyx', true],
    ['a?c', 'abbc', false],
    ['*aaa*aaa', 'aaaaaaa', true],
    ['*a*a*a*a*a*a*a*a*b', 'a'.repeat(60), false], // no exponential backtracking
  ];
  for (const [pattern, s, expected] of rows) {
    test(`${JSON.stringify(pattern)} ~ ${JSON.stringify(s.length > 20 ? s.slice(0, 10) + '…' : s)} → ${expected}`, () => {
      assert.equal(wildcardMatch(tokenizeText(pattern), s), expected);
    });
  }
  test('ARN split keeps colons of the resource part', () => {
    const components = splitArnTokens(tokenizeText('arn:aws:logs:*:1:log-group:x:*'))!;
    assert.equal(components.length, 6);
    assert.deepEqual(components[5], ['log-group:x:', 0]);
    assert.equal(arnMatch(compileArnComponents(components), 'arn:aws:logs:eu-west-1:1:log-group:x:log-stream:y'), true);
  });
  test('fewer than six components is no ARN pattern', () => {
    assert.equal(splitArnTokens(tokenizeText('*')), undefined);
    assert.equal(splitArnTokens(tokenizeText('arn:aws:s3::bucket')), undefined);
  });
});
