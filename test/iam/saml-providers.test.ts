// SAML providers' assertion encryption in the domain: AssertionEncryptionMode and the private keys
// of CreateSAMLProvider and UpdateSAMLProvider (members newer than the service model the wire tests
// reach today), with AWS's rules and messages, and keys kept sealed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  checkSamlPrivateKey,
  createSamlProvider,
  PRIVATE_KEYS_PER_SAML_PROVIDER,
  updateSamlProvider,
  type NewSamlPrivateKey,
} from '../../src/iam/saml-providers.ts';
import { IamState } from '../../src/iam/state.ts';
import { AwsError } from '../../src/model/errors.ts';
import { secretBox } from '../../src/store/data-key.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { pki } from '../support/pki.ts';
import { samlMetadata } from '../support/saml.ts';

const A = '111111111111';
const ARN = `arn:aws:iam::${A}:saml-provider/idp`;
const NOW = '2024-02-29T12:00:00.000Z';
const LATER = '2024-03-01T00:00:00.000Z';
const box = secretBox(randomBytes(32));

let keys = 0;
function privateKey(pem = pki('other.key')): NewSamlPrivateKey {
  checkSamlPrivateKey(pem);
  return { keyId: `KEY${String(++keys).padStart(23, '0')}`, privateKeyEncrypted: box.seal(pem) };
}

async function refused(p: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof AwsError && e.code === code && e.message === message);
}

async function withProvider(extra: Partial<Parameters<typeof createSamlProvider>[1]> = {}): Promise<IamState> {
  const state = await IamState.load(new MemoryStore());
  await state.transact((tx) => createSamlProvider(tx, { accountId: A, name: 'idp', uuid: '5b3a1f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', metadataDocument: samlMetadata(), now: NOW, ...extra }));
  return state;
}

describe('SAML provider private keys', () => {
  test('a private key must be an unencrypted RSA private key in PEM', () => {
    checkSamlPrivateKey(pki('server.key'));
    for (const pem of ['not a key', pki('server.pem'), pki('ssh.pub.pem'), pki('other.key').replace(/[A-Z]{5}/, 'AAAAA')]) {
      assert.throws(() => checkSamlPrivateKey(pem), (e: unknown) => e instanceof AwsError && e.code === 'InvalidInput' && e.message === 'Invalid private key.');
    }
  });

  test('a key is kept sealed, listed by id and date; a validUntil-less provider is valid a century (29 February → 28)', async () => {
    const key = privateKey();
    const state = await withProvider({ privateKey: key, assertionEncryptionMode: 'Required' });
    const d = state.get('samlProvider', ARN)!.data;
    assert.equal(d.assertionEncryptionMode, 'Required');
    assert.deepEqual(d.privateKeys, [{ ...key, timestamp: NOW }]);
    assert.ok(!JSON.stringify(d).includes('PRIVATE KEY'), 'no key in the clear');
    assert.equal(box.open(d.privateKeys[0]!.privateKeyEncrypted), pki('other.key'));
    assert.equal(d.validUntil, '2124-02-29T12:00:00.000Z');
    const noLeapDay = await IamState.load(new MemoryStore());
    await noLeapDay.transact((tx) => createSamlProvider(tx, { accountId: A, name: 'idp', uuid: 'u', metadataDocument: samlMetadata(), now: '2000-02-29T12:00:00.000Z' }));
    assert.equal(noLeapDay.get('samlProvider', ARN)!.data.validUntil, '2100-02-28T12:00:00.000Z');
  });

  test('Required needs a private key, at creation and after', async () => {
    const state = await IamState.load(new MemoryStore());
    await refused(
      state.transact((tx) => createSamlProvider(tx, { accountId: A, name: 'idp', uuid: 'u', metadataDocument: samlMetadata(), assertionEncryptionMode: 'Required', now: NOW })),
      'InvalidInput',
      'Unable to set assertion encryption mode to Required because no private key is provided.',
    );
    assert.equal(state.get('samlProvider', ARN), undefined);
    const plain = await withProvider();
    await refused(
      plain.transact((tx) => updateSamlProvider(tx, A, ARN, { assertionEncryptionMode: 'Required', now: LATER })),
      'InvalidInput',
      'Unable to set assertion encryption mode to Required because no private key is provided.',
    );
    await plain.transact((tx) => updateSamlProvider(tx, A, ARN, { assertionEncryptionMode: 'Allowed', now: LATER }));
    assert.equal(plain.get('samlProvider', ARN)!.data.assertionEncryptionMode, 'Allowed');
  });

  test('UpdateSAMLProvider: something to change, add or remove but not both, two keys at most, the last key of Required stays', async () => {
    const state = await withProvider();
    const update = (u: Omit<Parameters<typeof updateSamlProvider>[3], 'now'>) => state.transact((tx) => updateSamlProvider(tx, A, ARN, { ...u, now: LATER }));
    await refused(update({}), 'InvalidInput', 'Unable to update identity provider. No updates are defined for metadata or encryption assertion.');
    const first = privateKey();
    await update({ addPrivateKey: first });
    await refused(
      update({ addPrivateKey: privateKey(), removePrivateKey: first.keyId }),
      'InvalidInput',
      'Unable to add and remove private keys in the same request. Set a value for only one of the two parameters.',
    );
    const second = privateKey(pki('server.key'));
    await update({ addPrivateKey: second, assertionEncryptionMode: 'Required' });
    assert.equal(state.get('samlProvider', ARN)!.data.privateKeys.length, PRIVATE_KEYS_PER_SAML_PROVIDER);
    await refused(update({ addPrivateKey: privateKey() }), 'LimitExceeded', 'Private key limit of 2 is reached.');
    await refused(update({ removePrivateKey: 'NOSUCHKEY0000000000000000' }), 'InvalidInput', 'Failed to remove private key because the Key ID does not match a private key.');
    // Rotation: the old key goes once the new one is there.
    await update({ removePrivateKey: first.keyId });
    assert.deepEqual(state.get('samlProvider', ARN)!.data.privateKeys.map((k) => [k.keyId, k.timestamp]), [[second.keyId, LATER]]);
    await refused(update({ removePrivateKey: second.keyId }), 'InvalidInput', 'Failed to remove private key.');
    await update({ assertionEncryptionMode: 'Allowed' });
    await update({ removePrivateKey: second.keyId });
    assert.deepEqual(state.get('samlProvider', ARN)!.data.privateKeys, []);
  });
});
