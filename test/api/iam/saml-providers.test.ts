// SAML providers through the real SDK against a real server: metadata read as XML and validated
// (document type declarations refused), ValidUntil, names, NoSuchEntity, the account quota,
// authorization on the provider's ARN, the audit trail and the summary; assertion encryption and its
// private keys (checked, sealed at rest, never answered, hidden in the trail).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetAccountSummaryCommand,
  GetSAMLProviderCommand,
  ListSAMLProvidersCommand,
  UpdateSAMLProviderCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { pki } from '../../support/pki.ts';
import { samlMetadata } from '../../support/saml.ts';

const CENTURY_MS = 100 * 365.2425 * 24 * 3600 * 1000;

describe('IAM SAML providers', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  let arnOf: (name: string) => string;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
    arnOf = (name) => `arn:aws:iam::${gh.accountId}:saml-provider/${name}`;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const create = (Name: string, SAMLMetadataDocument = samlMetadata(), client = iam) => client.send(new CreateSAMLProviderCommand({ Name, SAMLMetadataDocument }));
  const get = (arn: string) => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));

  test('a provider: its ARN from its name, the metadata as sent, tags, and a ValidUntil a century on', async () => {
    const doc = samlMetadata();
    const made = await iam.send(new CreateSAMLProviderCommand({ Name: 'Okta', SAMLMetadataDocument: doc, Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.equal(made.SAMLProviderArn, arnOf('Okta'));
    assert.deepEqual(made.Tags, [{ Key: 'team', Value: 'blue' }]);
    const got = await get(arnOf('Okta'));
    assert.equal(got.SAMLMetadataDocument, doc);
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'blue' }]);
    const created = got.CreateDate!.getTime();
    assert.ok(Math.abs(created - Date.now()) < 60_000);
    assert.ok(Math.abs(got.ValidUntil!.getTime() - created - CENTURY_MS) < 2 * 24 * 3600 * 1000, `${got.ValidUntil?.toISOString()}`);
    assert.equal(got.ValidUntil!.toISOString().slice(4), got.CreateDate!.toISOString().slice(4), 'the same day and time');
    // The name compares without case, as the ARN resolves.
    assert.equal((await get(arnOf('OKTA'))).SAMLMetadataDocument, doc);
    await rejects(create('okta'), 'EntityAlreadyExists', 'SAMLProvider okta already exists.');

    // A validUntil in the metadata is the provider's.
    await create('Until', samlMetadata({ validUntil: '2031-05-06T07:08:09Z' }));
    const listed = (await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!;
    assert.deepEqual(listed.map((p) => p.Arn), [arnOf('Okta'), arnOf('Until')]);
    assert.equal(listed[1]!.ValidUntil!.toISOString(), '2031-05-06T07:08:09.000Z');
    assert.equal(listed[0]!.CreateDate!.getTime(), created);
  });

  test('metadata must be an EntityDescriptor with an IDPSSODescriptor and a signing certificate; anything else is InvalidInput', async () => {
    const pad = `<!-- ${'x'.repeat(1000)} -->`;
    const bad: Record<string, string> = {
      'not XML': `not xml at all ${'x'.repeat(1000)}`,
      'unclosed elements': samlMetadata().replace('</md:EntityDescriptor>', ''),
      'another root': `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${pad}</md:EntitiesDescriptor>`,
      'the wrong namespace': samlMetadata().replaceAll('urn:oasis:names:tc:SAML:2.0:metadata', 'urn:example:metadata'),
      'no entityID': samlMetadata().replace(/entityID="[^"]*"/, ''),
      'no identity provider': samlMetadata().replaceAll('IDPSSODescriptor', 'SPSSODescriptor'),
      'no signing certificate': samlMetadata({ use: 'encryption' }) + pad,
      'no certificate at all': samlMetadata({ signingCertificate: null }) + pad,
      'a certificate that is not one': samlMetadata().replace(/<ds:X509Certificate>[^<]*/, `<ds:X509Certificate>${Buffer.from('not a certificate').toString('base64')}${'A'.repeat(1000)}`),
      'a bad validUntil': samlMetadata({ validUntil: 'tomorrow' }),
      'an external entity (XXE)': samlMetadata().replace('<md:EntityDescriptor', '<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<md:EntityDescriptor').replace('<md:NameIDFormat>', '<md:NameIDFormat>&xxe;'),
      'more markup than any IdP metadata has': samlMetadata().replace('</md:IDPSSODescriptor>', `${'<md:Extension/>'.repeat(10_000)}</md:IDPSSODescriptor>`),
      'an entity bomb': `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "${'lol'.repeat(50)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` + samlMetadata().replace(/^<\?xml[^>]*>/, '').replace('<md:NameIDFormat>', '<md:NameIDFormat>&c;'),
    };
    for (const [what, doc] of Object.entries(bad)) {
      assert.ok(doc.length >= 1000, what);
      await rejects(create('idp', doc), 'InvalidInput', 'Could not parse metadata.').catch((e: Error) => {
        throw new Error(`${what}: ${e.message}`);
      });
    }
    // The service model's bound: 1,000 characters at least.
    await rejects(create('idp', '<x/>'), 'ValidationError', /Member must have length greater than or equal to 1000/);
    assert.deepEqual((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList, []);
    // A KeyDescriptor without a use, and a signing certificate among others, are fine.
    await create('any-use', samlMetadata({ use: '' }).replace(' use=""', ''));
  });

  test('UpdateSAMLProvider replaces the metadata (and its ValidUntil) when the new one is valid', async () => {
    await create('idp', samlMetadata({ validUntil: '2030-01-01T00:00:00Z' }));
    const newer = samlMetadata({ entityId: 'https://idp.example.com/v2', signingCertificate: pki('server.pem'), validUntil: '2035-01-01T00:00:00Z' });
    const { SAMLProviderArn } = await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('IDP'), SAMLMetadataDocument: newer }));
    assert.equal(SAMLProviderArn, arnOf('idp'));
    const got = await get(arnOf('idp'));
    assert.equal(got.SAMLMetadataDocument, newer);
    assert.equal(got.ValidUntil!.toISOString(), '2035-01-01T00:00:00.000Z');
    await rejects(iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('idp'), SAMLMetadataDocument: newer.replace('IDPSSODescriptor', 'X') })), 'InvalidInput', 'Could not parse metadata.');
    assert.equal((await get(arnOf('idp'))).SAMLMetadataDocument, newer);
  });

  test('what does not exist is NoSuchEntity, with AWS’s message', async () => {
    const ghost = arnOf('ghost');
    await rejects(get(ghost), 'NoSuchEntity', `Manifest not found for arn ${ghost}`);
    await rejects(iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: ghost, SAMLMetadataDocument: samlMetadata() })), 'NoSuchEntity', `Manifest not found for arn ${ghost}`);
    await rejects(iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: ghost })), 'NoSuchEntity', `Manifest not found for arn ${ghost}`);
    await create('idp');
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('idp') }));
    await rejects(get(arnOf('idp')), 'NoSuchEntity');
  });

  test('at most 100 providers per account; SAML and OIDC providers both count as Providers', async () => {
    const doc = samlMetadata();
    for (let i = 0; i < 100; i++) await create(`idp-${i}`, doc);
    await rejects(create('one-more', doc), 'LimitExceeded', 'Cannot exceed quota for SAMLProvidersPerAccount: 100');
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.equal(SummaryMap!.Providers, 100);
  });

  test('authorized on the provider ARN; a refused call changes nothing', async () => {
    await create('mine');
    await create('theirs');
    const user = await gh.user('saml-admin', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:CreateSAMLProvider', 'iam:GetSAMLProvider', 'iam:UpdateSAMLProvider', 'iam:DeleteSAMLProvider'], Resource: arnOf('mine*') }],
    });
    await user.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('mine') }));
    await rejects(user.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('theirs') })), 'AccessDenied', /iam:GetSAMLProvider on resource: arn:aws:iam::\d+:saml-provider\/theirs/);
    await rejects(user.iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('theirs') })), 'AccessDenied');
    await rejects(user.iam.send(new ListSAMLProvidersCommand({})), 'AccessDenied', /iam:ListSAMLProviders on resource: \*/);
    await rejects(create('yours', samlMetadata(), user.iam), 'AccessDenied');
    await create('mine-too', samlMetadata(), user.iam);
    assert.deepEqual((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.map((p) => p.Arn), [arnOf('mine'), arnOf('mine-too'), arnOf('theirs')]);
  });

  test('calls are audited: the request (metadata and all) and the new ARN', async () => {
    const seen = (await gh.events()).length;
    const doc = samlMetadata();
    await create('idp', doc);
    const e = (await gh.events()).slice(seen).find((x) => x.eventName === 'CreateSAMLProvider')!;
    assert.deepEqual(e.requestParameters, { sAMLMetadataDocument: doc, name: 'idp' });
    assert.deepEqual(e.responseElements, { sAMLProviderArn: arnOf('idp') });
  });

  describe('assertion encryption and private keys', () => {
    const RSA_KEY = pki('server.key');
    const OTHER_RSA_KEY = pki('other.key');
    const stored = (name: string) => gh.server().state.list('samlProvider', gh.accountId).find((p) => p.data.arn === arnOf(name));
    const update = (input: Omit<ConstructorParameters<typeof UpdateSAMLProviderCommand>[0], 'SAMLProviderArn'>, name = 'idp') =>
      iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf(name), ...input }));

    test('a key given on create is sealed, listed by id and date only, and hidden in the trail', async () => {
      const seen = (await gh.events()).length;
      await iam.send(new CreateSAMLProviderCommand({ Name: 'idp', SAMLMetadataDocument: samlMetadata(), AssertionEncryptionMode: 'Required', AddPrivateKey: RSA_KEY }));
      const got = await get(arnOf('idp'));
      assert.equal(got.AssertionEncryptionMode, 'Required');
      assert.equal(got.PrivateKeyList?.length, 1);
      assert.match(got.PrivateKeyList![0]!.KeyId!, /^[A-Z0-9]{22,64}$/);
      assert.ok(got.PrivateKeyList![0]!.Timestamp instanceof Date);
      const body = RSA_KEY.split('\n')[1]!;
      assert.ok(!JSON.stringify(got).includes(body));
      const kept = stored('idp')!;
      assert.equal(kept.data.privateKeys.length, 1);
      assert.ok(!JSON.stringify(kept).includes(body), 'sealed at rest');
      const e = (await gh.events()).slice(seen).find((x) => x.eventName === 'CreateSAMLProvider')!;
      assert.equal((e.requestParameters as Record<string, unknown>).addPrivateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
      assert.ok(!JSON.stringify(e).includes(body));
    });

    test('keys are added and removed one call at a time, two at most; the metadata may be left out', async () => {
      await create('idp');
      await update({ AddPrivateKey: RSA_KEY });
      await update({ AddPrivateKey: OTHER_RSA_KEY });
      const [first, second] = (await get(arnOf('idp'))).PrivateKeyList!.map((k) => k.KeyId!);
      assert.notEqual(first, second);
      await rejects(update({ AddPrivateKey: RSA_KEY }), 'LimitExceeded', 'Private key limit of 2 is reached.');
      await rejects(update({ AddPrivateKey: RSA_KEY, RemovePrivateKey: first }), 'InvalidInput',
        'Unable to add and remove private keys in the same request. Set a value for only one of the two parameters.');
      await update({ RemovePrivateKey: first });
      assert.deepEqual((await get(arnOf('idp'))).PrivateKeyList!.map((k) => k.KeyId), [second]);
      await rejects(update({ RemovePrivateKey: first }), 'InvalidInput', 'Failed to remove private key because the Key ID does not match a private key.');
      await update({ AssertionEncryptionMode: 'Required' });
      assert.equal((await get(arnOf('idp'))).AssertionEncryptionMode, 'Required');
      // Required keeps its last key.
      await rejects(update({ RemovePrivateKey: second }), 'InvalidInput', 'Failed to remove private key.');
      await rejects(update({}), 'InvalidInput', 'Unable to update identity provider. No updates are defined for metadata or encryption assertion.');
    });

    test('Required needs a key; a key must be an RSA private key in PEM; the members are validated', async () => {
      await rejects(iam.send(new CreateSAMLProviderCommand({ Name: 'idp', SAMLMetadataDocument: samlMetadata(), AssertionEncryptionMode: 'Required' })), 'InvalidInput',
        'Unable to set assertion encryption mode to Required because no private key is provided.');
      assert.equal(stored('idp'), undefined);
      await create('idp');
      const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      for (const bad of [ec, 'not a key', pki('server.pem')]) {
        await rejects(update({ AddPrivateKey: bad }), 'InvalidInput', 'Invalid private key.');
      }
      assert.deepEqual((await get(arnOf('idp'))).PrivateKeyList ?? [], []);
      await rejects(update({ RemovePrivateKey: 'SHORT' }), 'ValidationError',
        "1 validation error detected: Value 'SHORT' at 'removePrivateKey' failed to satisfy constraint: Member must have length greater than or equal to 22");
      await rejects(update({ AssertionEncryptionMode: 'Sometimes' as 'Allowed' }), 'ValidationError',
        "1 validation error detected: Value 'Sometimes' at 'assertionEncryptionMode' failed to satisfy constraint: Member must satisfy enum value set: [Required, Allowed]");
    });
  });
});
