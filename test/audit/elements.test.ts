// requestParameters of members that carry private keys: hidden whatever the service model says
// (the newer SAML members AddPrivateKey, and PrivateKey, which older models leave unmarked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN, requestParametersOf } from '../../src/audit/elements.ts';
import type { Member, Operation, StructureShape } from '../../src/protocol/model.ts';

function operationTaking(...names: string[]): Operation {
  const members: Member[] = names.map((name) => ({ name, messageName: name, shape: { kind: 'string', sensitive: false }, required: false }));
  const input: StructureShape = { kind: 'structure', members, byName: new Map(members.map((m) => [m.name, m])), sensitive: false };
  return { name: 'UpdateSAMLProvider', input } as unknown as Operation;
}

test('private keys read HIDDEN_DUE_TO_SECURITY_REASONS in requestParameters; the rest is recorded', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
  const op = operationTaking('SAMLProviderArn', 'AddPrivateKey', 'PrivateKey', 'RemovePrivateKey');
  const recorded = requestParametersOf(op, { SAMLProviderArn: 'arn:aws:iam::123456789012:saml-provider/idp', AddPrivateKey: pem, PrivateKey: pem, RemovePrivateKey: 'KEYID' });
  assert.deepEqual(recorded, {
    sAMLProviderArn: 'arn:aws:iam::123456789012:saml-provider/idp',
    addPrivateKey: HIDDEN,
    privateKey: HIDDEN,
    removePrivateKey: 'KEYID',
  });
});
