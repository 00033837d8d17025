// SAML 2.0 identity providers: a name, validated metadata (saml-metadata.ts), ValidUntil, tags, and
// the assertion encryption settings: AssertionEncryptionMode (Allowed or Required) and up to two
// private keys that decrypt the provider's encrypted assertions. Private keys are PEM, sealed with
// the data key (DESIGN rule 6) and never answered: GetSAMLProvider lists their ids and dates only.
import { createPrivateKey } from 'node:crypto';
import { iamArn, parseArn } from '../model/arn.ts';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { AssertionEncryptionMode, SamlPrivateKey, SamlProvider, Tag } from './entities.ts';
import { checkAccountQuota } from './quotas.ts';
import { parseSamlMetadata } from './saml-metadata.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

/** "IAM and AWS STS quotas". */
export const SAML_PROVIDERS_PER_ACCOUNT = 100;
/** "Private key limit of 2 is reached." */
export const PRIVATE_KEYS_PER_SAML_PROVIDER = 2;
/** Without a validUntil in its metadata, a provider is valid for a hundred years from its creation. */
const VALID_YEARS = 100;

const REQUIRED_WITHOUT_KEY = 'Unable to set assertion encryption mode to Required because no private key is provided.';

export function noSuchSamlProvider(arn: string): Error {
  return noSuchEntity(`Manifest not found for arn ${arn}`);
}

/** The provider an ARN names in the account (its name compared without case), if any. */
export function samlProviderByArn(state: StateReader, accountId: string, arn: string): EntityOf<'samlProvider'> | undefined {
  const parsed = parseArn(arn);
  if (parsed === undefined || parsed.service !== 'iam' || parsed.region !== '' || parsed.account !== accountId) return undefined;
  if (parsed.partition !== accountPartition(state, accountId)) return undefined;
  if (!parsed.resource.startsWith('saml-provider/')) return undefined;
  const name = parsed.resource.slice('saml-provider/'.length);
  return name === '' ? undefined : state.byName('samlProvider', accountId, name);
}

export function requireSamlProvider(state: StateReader, accountId: string, arn: string): EntityOf<'samlProvider'> {
  const provider = samlProviderByArn(state, accountId, arn);
  if (provider === undefined) throw noSuchSamlProvider(arn);
  return provider;
}

/** The same day and time a hundred years on (29 February becoming 28 February when there is none). */
function centuryAfter(iso: string): string {
  const d = new Date(iso);
  const later = new Date(d.getTime());
  later.setUTCFullYear(d.getUTCFullYear() + VALID_YEARS);
  if (later.getUTCMonth() !== d.getUTCMonth()) later.setUTCDate(0);
  return later.toISOString();
}

/** Checks a private key before it is sealed: an unencrypted PEM private key that node:crypto reads. */
export function checkSamlPrivateKey(pem: string): void {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  } catch {
    throw invalidInput('Invalid private key.');
  }
}

/** A new private key: its id and the sealed PEM, made by the caller (call.ids, call.secrets). */
export interface NewSamlPrivateKey {
  keyId: string;
  privateKeyEncrypted: string;
}

export interface NewSamlProvider {
  accountId: string;
  name: string;
  uuid: string;
  metadataDocument: string;
  assertionEncryptionMode?: AssertionEncryptionMode;
  privateKey?: NewSamlPrivateKey;
  tags?: readonly Tag[];
  now: string;
}

export function createSamlProvider(tx: Draft, args: NewSamlProvider): EntityOf<'samlProvider'> {
  const { accountId, name } = args;
  const metadata = parseSamlMetadata(args.metadataDocument);
  if (args.tags) checkRequestTags(args.tags);
  if (args.assertionEncryptionMode === 'Required' && args.privateKey === undefined) throw invalidInput(REQUIRED_WITHOUT_KEY);
  if (tx.byName('samlProvider', accountId, name) !== undefined) throw entityAlreadyExists(`SAMLProvider ${name} already exists.`);
  checkAccountQuota(tx, 'samlProvider', accountId, 'SAMLProvidersPerAccount', SAML_PROVIDERS_PER_ACCOUNT);
  const arn = iamArn.samlProvider(accountId, name, accountPartition(tx, accountId));
  const data: SamlProvider = {
    arn,
    name,
    uuid: args.uuid,
    metadataDocument: args.metadataDocument,
    createDate: args.now,
    validUntil: metadata.validUntil ?? centuryAfter(args.now),
    privateKeys: args.privateKey ? [{ ...args.privateKey, timestamp: args.now }] : [],
    tags: (args.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
  };
  if (args.assertionEncryptionMode !== undefined) data.assertionEncryptionMode = args.assertionEncryptionMode;
  const entity = { kind: 'samlProvider' as const, id: arn, accountId, name, data };
  tx.put(entity);
  return entity;
}

export interface SamlProviderUpdate {
  metadataDocument?: string;
  assertionEncryptionMode?: AssertionEncryptionMode;
  addPrivateKey?: NewSamlPrivateKey;
  /** A KeyId. */
  removePrivateKey?: string;
  now: string;
}

/**
 * UpdateSAMLProvider, with AWS's rules: something must change; a key is added or removed, not both
 * (rotation takes two calls); at most two keys; Required needs a key, and its last key stays.
 */
export function updateSamlProvider(tx: Draft, accountId: string, arn: string, update: SamlProviderUpdate): EntityOf<'samlProvider'> {
  const { metadataDocument, assertionEncryptionMode, addPrivateKey, removePrivateKey } = update;
  if (metadataDocument === undefined && assertionEncryptionMode === undefined && addPrivateKey === undefined && removePrivateKey === undefined) {
    throw invalidInput('Unable to update identity provider. No updates are defined for metadata or encryption assertion.');
  }
  if (addPrivateKey !== undefined && removePrivateKey !== undefined) {
    throw invalidInput('Unable to add and remove private keys in the same request. Set a value for only one of the two parameters.');
  }
  const metadata = metadataDocument === undefined ? undefined : parseSamlMetadata(metadataDocument);
  const provider = requireSamlProvider(tx, accountId, arn);
  const data: SamlProvider = { ...provider.data };
  if (metadataDocument !== undefined) {
    data.metadataDocument = metadataDocument;
    data.validUntil = metadata?.validUntil ?? centuryAfter(data.createDate);
  }
  if (assertionEncryptionMode !== undefined) data.assertionEncryptionMode = assertionEncryptionMode;
  let keys: readonly SamlPrivateKey[] = data.privateKeys;
  if (addPrivateKey !== undefined) {
    if (keys.length >= PRIVATE_KEYS_PER_SAML_PROVIDER) throw limitExceeded(`Private key limit of ${PRIVATE_KEYS_PER_SAML_PROVIDER} is reached.`);
    keys = [...keys, { ...addPrivateKey, timestamp: update.now }];
  }
  if (removePrivateKey !== undefined) {
    if (!keys.some((k) => k.keyId === removePrivateKey)) {
      throw invalidInput('Failed to remove private key because the Key ID does not match a private key.');
    }
    if (keys.length === 1 && data.assertionEncryptionMode === 'Required') throw invalidInput('Failed to remove private key.');
    keys = keys.filter((k) => k.keyId !== removePrivateKey);
  }
  if (data.assertionEncryptionMode === 'Required' && keys.length === 0) throw invalidInput(REQUIRED_WITHOUT_KEY);
  data.privateKeys = [...keys];
  const updated = { ...provider, data };
  tx.put(updated);
  return updated;
}

export function deleteSamlProvider(tx: Draft, accountId: string, arn: string): void {
  tx.delete('samlProvider', requireSamlProvider(tx, accountId, arn).id);
}
