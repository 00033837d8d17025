// The source address of a request: the socket's, or X-Forwarded-For's client behind a trusted proxy only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceAddresses } from '../../src/server/source-address.ts';

test('without trusted proxies, X-Forwarded-For is never read', () => {
  const s = new SourceAddresses([]);
  assert.equal(s.of('::ffff:10.0.0.1', '203.0.113.9'), '10.0.0.1');
  assert.equal(s.of('2001:db8::1', '203.0.113.9'), '2001:db8::1');
});

test('behind a trusted proxy, the right-most untrusted hop is the client; what the client wrote is not believed', () => {
  const s = new SourceAddresses(['10.0.0.0/8', '192.0.2.7']);
  assert.equal(s.of('10.1.2.3', '203.0.113.9'), '203.0.113.9');
  assert.equal(s.of('10.1.2.3', '198.51.100.1, 203.0.113.9, 192.0.2.7'), '203.0.113.9', 'a chain of trusted proxies is skipped');
  assert.equal(s.of('10.1.2.3', ['1.1.1.1', '203.0.113.9']), '203.0.113.9');
  assert.equal(s.of('198.51.100.77', '203.0.113.9'), '198.51.100.77', 'an untrusted socket names itself');
  assert.equal(s.of('10.1.2.3', 'not-an-address'), '10.1.2.3', 'garbage stops at the proxy');
  assert.equal(s.of('10.1.2.3', undefined), '10.1.2.3');
});

test('a trusted proxy list that is not addresses is refused at start', () => {
  assert.throws(() => new SourceAddresses(['proxy.example']), /not an IP address/);
});
