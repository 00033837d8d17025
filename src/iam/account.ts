// The account itself: its alias (one at most, unique across accounts), finding an account by id
// or alias, and the usage and quota summary GetAccountSummary answers.
import { entityAlreadyExists, noSuchEntity } from '../model/errors.ts';
import { ACCESS_KEYS_PER_USER, ROOT_OWNER_ID } from './access-keys.ts';
import type { Account, GlobalEndpointTokenVersion } from './entities.ts';
import { GROUPS_PER_ACCOUNT, GROUPS_PER_USER } from './groups.ts';
import { SERVER_CERTIFICATES_PER_ACCOUNT } from './server-certificates.ts';
import { SIGNING_CERTIFICATES_PER_USER } from './signing-certificates.ts';
import type { Draft, IamState, StateReader } from './state.ts';
import { USERS_PER_ACCOUNT } from './users.ts';

/** The account's data, or a fresh record when the account was never written (created on first write). */
function accountData(state: StateReader, accountId: string, now: string): Account {
  return state.get('account', accountId)?.data ?? { accountId, createDate: now };
}

/**
 * Sets the account's alias. AWS keeps one alias per account and a new one replaces the old;
 * an alias already in use, by this account or another, is refused.
 * `aliasOwner` finds the account holding an alias anywhere (aliases are unique per partition).
 */
export function createAccountAlias(
  tx: Draft,
  accountId: string,
  alias: string,
  aliasOwner: (alias: string) => string | undefined,
  now: string,
): void {
  const data = accountData(tx, accountId, now);
  if (data.alias === alias || aliasOwner(alias) !== undefined) {
    throw entityAlreadyExists(`The account alias ${alias} already exists.`);
  }
  tx.put({ kind: 'account', id: accountId, accountId, data: { ...data, alias } });
}

export function deleteAccountAlias(tx: Draft, accountId: string, alias: string): void {
  const entity = tx.get('account', accountId);
  if (entity === undefined || entity.data.alias !== alias) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
  const { alias: _removed, ...rest } = entity.data;
  tx.put({ kind: 'account', id: accountId, accountId, data: rest });
}

/** SetSecurityTokenServicePreferences: the token version of STS's global endpoint, kept per account. */
export function setGlobalEndpointTokenVersion(tx: Draft, accountId: string, version: GlobalEndpointTokenVersion, now: string): void {
  const data = accountData(tx, accountId, now);
  tx.put({ kind: 'account', id: accountId, accountId, data: { ...data, globalEndpointTokenVersion: version } });
}

/** GetAccountSummary's GlobalEndpointTokenVersion: 1 (v1Token, AWS's default) or 2. */
function globalEndpointTokenVersion(state: StateReader, accountId: string): number {
  return state.get('account', accountId)?.data.globalEndpointTokenVersion === 'v2Token' ? 2 : 1;
}

/**
 * Account ids by alias, kept up to date from the state's change feed: finding an account by its
 * alias is one map read however many accounts there are (sign-in asks on every attempt).
 */
class AliasIndex {
  readonly #accountByAlias = new Map<string, string>();
  readonly #aliasByAccount = new Map<string, string>();

  constructor(state: IamState) {
    for (const account of state.listAll('account')) this.#set(account.accountId, account.data.alias);
    state.onChange((change) => {
      for (const { kind, id } of change.changed) if (kind === 'account') this.#set(id, state.get('account', id)?.data.alias);
    });
  }

  accountOf(alias: string): string | undefined {
    return this.#accountByAlias.get(alias);
  }

  #set(accountId: string, alias: string | undefined): void {
    const old = this.#aliasByAccount.get(accountId);
    if (old === alias) return;
    if (old !== undefined) {
      this.#aliasByAccount.delete(accountId);
      if (this.#accountByAlias.get(old) === accountId) this.#accountByAlias.delete(old);
    }
    if (alias !== undefined) {
      this.#aliasByAccount.set(accountId, alias);
      this.#accountByAlias.set(alias, accountId);
    }
  }
}

const aliasIndexes = new WeakMap<IamState, AliasIndex>();

/** The account holding an alias, anywhere on this Gatehouse (aliases are unique, as in an AWS partition). */
export function accountIdByAlias(state: IamState, alias: string): string | undefined {
  let index = aliasIndexes.get(state);
  if (index === undefined) aliasIndexes.set(state, (index = new AliasIndex(state)));
  return index.accountOf(alias);
}

const ACCOUNT_ID = /^\d{12}$/;

/** The account a caller names by its 12-digit id (when it exists) or by its alias, in any case. */
export function findAccountId(state: IamState, idOrAlias: string): string | undefined {
  if (ACCOUNT_ID.test(idOrAlias)) return state.get('account', idOrAlias) !== undefined ? idOrAlias : undefined;
  return accountIdByAlias(state, idOrAlias.toLowerCase());
}

export function accountAliases(state: StateReader, accountId: string): string[] {
  const alias = state.get('account', accountId)?.data.alias;
  return alias === undefined ? [] : [alias];
}

/**
 * Quotas as AWS states them ("IAM and AWS STS quotas"; default values where adjustable) and as
 * GetAccountSummary reports them. Policy sizes are in characters, not counting whitespace.
 */
export const ACCOUNT_QUOTAS = {
  UsersQuota: USERS_PER_ACCOUNT,
  GroupsQuota: GROUPS_PER_ACCOUNT,
  RolesQuota: 1000,
  PoliciesQuota: 1500,
  PolicyVersionsInUseQuota: 10000,
  ServerCertificatesQuota: SERVER_CERTIFICATES_PER_ACCOUNT,
  InstanceProfilesQuota: 1000,
  GroupsPerUserQuota: GROUPS_PER_USER,
  AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER,
  SigningCertificatesPerUserQuota: SIGNING_CERTIFICATES_PER_USER,
  AttachedPoliciesPerUserQuota: 10,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  VersionsPerPolicyQuota: 5,
  PolicySizeQuota: 6144,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
} as const;

/** Identity providers of both kinds count as Providers. */
const PROVIDER_KINDS = ['samlProvider', 'oidcProvider'] as const;

function ownerOf(entity: { data: unknown }): string | undefined {
  return (entity.data as { userId?: string } | null)?.userId;
}

/** The SummaryMap of GetAccountSummary: usage counts, root-user flags and quotas. */
export function accountSummary(state: StateReader, accountId: string): Record<string, number> {
  const count = (kind: string) => state.list(kind, accountId).length;
  const rootHas = (kind: string) => (state.list(kind, accountId).some((e) => ownerOf(e) === ROOT_OWNER_ID) ? 1 : 0);
  const mfaDevices = state.list('mfaDevice', accountId);
  const policies = state.list('policy', accountId);
  return {
    Users: count('user'),
    Groups: count('group'),
    Roles: count('role'),
    Policies: policies.length,
    PolicyVersionsInUse: policies.reduce((n, p) => n + p.data.versions.length, 0),
    ServerCertificates: count('serverCertificate'),
    InstanceProfiles: count('instanceProfile'),
    Providers: PROVIDER_KINDS.reduce((n, kind) => n + count(kind), 0),
    MFADevices: mfaDevices.length,
    MFADevicesInUse: mfaDevices.filter((d) => d.data.userId !== undefined).length,
    AccountMFAEnabled: mfaDevices.some((d) => d.data.userId === ROOT_OWNER_ID) ? 1 : 0,
    AccountAccessKeysPresent: rootHas('accessKey'),
    AccountSigningCertificatesPresent: rootHas('signingCertificate'),
    AccountPasswordPresent: rootHas('loginProfile'),
    GlobalEndpointTokenVersion: globalEndpointTokenVersion(state, accountId),
    ...ACCOUNT_QUOTAS,
  };
}
