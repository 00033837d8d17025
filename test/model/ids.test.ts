import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  IdSource,
  UniqueIdPrefix,
  accessKeyIdKind,
  accountIdFromAccessKeyId,
  cryptoRandom,
  isAccountId,
  isUniqueId,
  seededRandom,
} from '../../src/model/ids.ts';

const ids = new IdSource();

describe('unique ids', () => {
  test('each kind has its AWS prefix and 21 base32 characters', () => {
    const cases: [string, string][] = [
      [ids.userId(), 'AIDA'],
      [ids.groupId(), 'AGPA'],
      [ids.roleId(), 'AROA'],
      [ids.policyId(), 'ANPA'],
      [ids.instanceProfileId(), 'AIPA'],
      [ids.serverCertificateId(), 'ASCA'],
      [ids.serviceSpecificCredentialId(), 'ACCA'],
    ];
    for (const [id, prefix] of cases) {
      assert.match(id, /^[A-Z2-7]{21}$/);
      assert.ok(id.startsWith(prefix), `${id} starts with ${prefix}`);
      assert.ok(isUniqueId(id, prefix as UniqueIdPrefix));
    }
    assert.match(ids.sshPublicKeyId(), /^APKA[A-Z2-7]{16}$/);
  });

  test('ids do not repeat', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => ids.userId()));
    assert.equal(seen.size, 10_000);
  });

  test('isUniqueId rejects other shapes', () => {
    assert.equal(isUniqueId('AIDA123'), false);
    assert.equal(isUniqueId('AIDACKCEVSQ6C2EXAMPL1'), false); // '1' is not base32
    assert.equal(isUniqueId('AIDACKCEVSQ6C2EXAMPLE', UniqueIdPrefix.role), false);
    assert.equal(isUniqueId('AIDACKCEVSQ6C2EXAMPLE'), true);
  });

  test('a seeded source gives the same ids every time', () => {
    const a = new IdSource(seededRandom(42));
    const b = new IdSource(seededRandom(42));
    assert.deepEqual([a.userId(), a.accountId(), a.secretAccessKey()], [b.userId(), b.accountId(), b.secretAccessKey()]);
    assert.notEqual(new IdSource(seededRandom(43)).userId(), new IdSource(seededRandom(42)).userId());
  });
});

describe('access keys', () => {
  test('long-term and temporary key ids are 20 base32 characters with AKIA / ASIA', () => {
    const long = ids.accessKeyId('123456789012');
    const temp = ids.accessKeyId('123456789012', true);
    assert.match(long, /^AKIA[A-Z2-7]{16}$/);
    assert.match(temp, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(accessKeyIdKind(long), 'long-term');
    assert.equal(accessKeyIdKind(temp), 'temporary');
    assert.equal(accessKeyIdKind('AIDACKCEVSQ6C2EXAMPLE'), undefined);
  });

  test('decodes the account of a real AWS key id (published example)', () => {
    // The example key and its account are from public write-ups of the format (awsteele.com).
    assert.equal(accountIdFromAccessKeyId('ASIAY34FZKBOKMUTVV7A'), '609629065308');
  });

  test('account id round trip through the key id, for any account', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.boolean(), fc.integer(), (n, temporary, seed) => {
        const account = n.toString().padStart(12, '0');
        const key = new IdSource(seededRandom(seed)).accessKeyId(account, temporary);
        assert.equal(key.length, 20);
        assert.equal(accountIdFromAccessKeyId(key), account);
      }),
      { numRuns: 2000 },
    );
  });

  test('keys of one account share the account bits but differ', () => {
    const a = ids.accessKeyId('000000000001');
    const b = ids.accessKeyId('000000000001');
    assert.notEqual(a, b);
    assert.equal(a.slice(4, 12), b.slice(4, 12));
  });

  test('refuses an account id that is not 12 digits', () => {
    assert.throws(() => ids.accessKeyId('12345'), RangeError);
  });

  test('decode rejects what is not a key id', () => {
    assert.equal(accountIdFromAccessKeyId('AKIA'), undefined);
    assert.equal(accountIdFromAccessKeyId('AKIA0000000000000000'), undefined);
    assert.equal(accountIdFromAccessKeyId('akiay34fzkbokmutvv7a'), undefined);
  });

  test('secret access keys are 40 base64 characters', () => {
    for (let i = 0; i < 100; i++) assert.match(ids.secretAccessKey(), /^[A-Za-z0-9+/]{40}$/);
  });
});

describe('account and request ids', () => {
  test('account ids are 12 digits, not all zero', () => {
    for (let i = 0; i < 1000; i++) {
      const a = ids.accountId();
      assert.ok(isAccountId(a), a);
      assert.notEqual(a, '000000000000');
    }
    assert.equal(isAccountId('12345678901'), false);
  });

  test('request ids are UUID v4', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const r = ids.requestId();
      assert.match(r, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(r);
    }
    assert.equal(seen.size, 1000);
  });

  test('a request id is its 16 bytes in hex, grouped 8-4-4-4-12, with the version and variant bits set', () => {
    const counting = new IdSource({ bytes: (n) => Uint8Array.from({ length: n }, (_, i) => i * 17) });
    assert.equal(counting.requestId(), '00112233-4455-4677-8899-aabbccddeeff');
  });

  test('cryptoRandom gives the asked number of bytes', () => {
    assert.equal(cryptoRandom.bytes(7).length, 7);
  });
});

describe('audit event ids', () => {
  test('are RFC 9562 version-7 UUIDs that sort by time', () => {
    const ids = new IdSource(seededRandom(7));
    const a = ids.eventId(new Date('2026-11-23T10:00:00.000Z'));
    const b = ids.eventId(new Date('2026-11-23T10:00:00.001Z'));
    const c = ids.eventId(new Date('2027-01-01T00:00:00.000Z'));
    for (const id of [a, b, c]) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(a < b && b < c);
    assert.equal(parseInt(a.replace(/-/g, '').slice(0, 12), 16), Date.parse('2026-11-23T10:00:00.000Z'));
  });
});
