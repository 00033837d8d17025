// OpenID Connect identity providers: a URL (https, host and optional path, no port, query or
// fragment), the audiences (client ids, at most 100) and the thumbprints of its servers'
// certificates (at most 5, optional as on AWS today: Gatehouse fetches nothing from the provider).
// The provider's name is its URL without the scheme; its ARN is oidc-provider/<name>. Two providers
// of one account cannot share a URL, compared without case as AWS compares it.
import { iamArn, parseArn } from '../model/arn.ts';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity, validationError } from '../model/errors.ts';
import type { OidcProvider, Tag } from './entities.ts';
import { checkAccountQuota } from './quotas.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

/** "IAM and AWS STS quotas". */
export const OIDC_PROVIDERS_PER_ACCOUNT = 100;
export const CLIENT_IDS_PER_OIDC_PROVIDER = 100;
export const THUMBPRINTS_PER_OIDC_PROVIDER = 5;

const INVALID_URL = 'Invalid Open ID Connect Provider URL';
/** A host name (or an IPv4 address): letters, digits, dots and hyphens. */
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** A path: printable ASCII, no query or fragment. */
const PATH = /^(?:\/[\x21-\x22\x24-\x3e\x40-\x7e]*)?$/;

/**
 * The provider name a CreateOpenIDConnectProvider URL gives (host and path, without https://),
 * or AWS's errors: ValidationError for what is not a URL at all, InvalidInput for a URL AWS refuses.
 */
export function oidcProviderName(url: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme === null) throw validationError(INVALID_URL);
  if (scheme[1]!.toLowerCase() !== 'https') throw invalidInput(`${INVALID_URL}. The URL must begin with https://.`);
  const rest = url.slice(scheme[0].length);
  if (rest === '') throw validationError(INVALID_URL);
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  // HOST leaves out user info (@), ports (:), queries (?) and fragments (#).
  if (!HOST.test(host) || !PATH.test(path)) throw invalidInput(`${INVALID_URL}.`);
  return host + path;
}

export function noSuchOidcProvider(arn: string): Error {
  return noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
}

/** The provider an ARN names in the account (its name compared without case), if any. */
export function oidcProviderByArn(state: StateReader, accountId: string, arn: string): EntityOf<'oidcProvider'> | undefined {
  const parsed = parseArn(arn);
  if (parsed === undefined || parsed.service !== 'iam' || parsed.region !== '' || parsed.account !== accountId) return undefined;
  if (parsed.partition !== accountPartition(state, accountId)) return undefined;
  if (!parsed.resource.startsWith('oidc-provider/')) return undefined;
  const name = parsed.resource.slice('oidc-provider/'.length);
  return name === '' ? undefined : state.byName('oidcProvider', accountId, name);
}

export function requireOidcProvider(state: StateReader, accountId: string, arn: string): EntityOf<'oidcProvider'> {
  const provider = oidcProviderByArn(state, accountId, arn);
  if (provider === undefined) throw noSuchOidcProvider(arn);
  return provider;
}

/** Thumbprints are hex digests: one in capitals is the same one. Kept lower-case, once each. */
function thumbprintList(thumbprints: readonly string[]): string[] {
  if (thumbprints.length > THUMBPRINTS_PER_OIDC_PROVIDER) {
    throw invalidInput(`Thumbprint list must contain fewer than ${THUMBPRINTS_PER_OIDC_PROVIDER} entries.`);
  }
  return [...new Set(thumbprints.map((t) => t.toLowerCase()))];
}

function clientIdList(clientIds: readonly string[]): string[] {
  const unique = [...new Set(clientIds)];
  if (unique.length > CLIENT_IDS_PER_OIDC_PROVIDER) {
    throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${CLIENT_IDS_PER_OIDC_PROVIDER}`);
  }
  return unique;
}

export interface NewOidcProvider {
  accountId: string;
  url: string;
  clientIds?: readonly string[];
  thumbprints?: readonly string[];
  tags?: readonly Tag[];
  now: string;
}

export function createOidcProvider(tx: Draft, args: NewOidcProvider): EntityOf<'oidcProvider'> {
  const { accountId, url } = args;
  const name = oidcProviderName(url);
  const clientIds = clientIdList(args.clientIds ?? []);
  const thumbprints = thumbprintList(args.thumbprints ?? []);
  if (args.tags) checkRequestTags(args.tags);
  if (tx.byName('oidcProvider', accountId, name) !== undefined) throw entityAlreadyExists(`Provider with url ${url} already exists.`);
  checkAccountQuota(tx, 'oidcProvider', accountId, 'OpenIdConnectProvidersPerAccount', OIDC_PROVIDERS_PER_ACCOUNT);
  const arn = iamArn.oidcProvider(accountId, name, accountPartition(tx, accountId));
  const data: OidcProvider = {
    arn,
    url,
    clientIds,
    thumbprints,
    createDate: args.now,
    tags: (args.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
  };
  const entity = { kind: 'oidcProvider' as const, id: arn, accountId, name, data };
  tx.put(entity);
  return entity;
}

function change(tx: Draft, provider: EntityOf<'oidcProvider'>, data: Partial<OidcProvider>): void {
  tx.put({ ...provider, data: { ...provider.data, ...data } });
}

/** Adding an audience the provider has changes nothing. */
export function addClientId(tx: Draft, accountId: string, arn: string, clientId: string): void {
  const provider = requireOidcProvider(tx, accountId, arn);
  if (provider.data.clientIds.includes(clientId)) return;
  change(tx, provider, { clientIds: clientIdList([...provider.data.clientIds, clientId]) });
}

/** Removing an audience the provider does not have is no error ("idempotent", the API reference). */
export function removeClientId(tx: Draft, accountId: string, arn: string, clientId: string): void {
  const provider = requireOidcProvider(tx, accountId, arn);
  if (!provider.data.clientIds.includes(clientId)) return;
  change(tx, provider, { clientIds: provider.data.clientIds.filter((c) => c !== clientId) });
}

/** UpdateOpenIDConnectProviderThumbprint: the list replaces the provider's. */
export function updateThumbprints(tx: Draft, accountId: string, arn: string, thumbprints: readonly string[]): void {
  change(tx, requireOidcProvider(tx, accountId, arn), { thumbprints: thumbprintList(thumbprints) });
}

/** Deleting a provider that does not exist is no error ("idempotent", the API reference). */
export function deleteOidcProvider(tx: Draft, accountId: string, arn: string): void {
  const provider = oidcProviderByArn(tx, accountId, arn);
  if (provider !== undefined) tx.delete('oidcProvider', provider.id);
}
