// The userIdentity element of a record, from the authenticated caller ("CloudTrail userIdentity
// element"): Root, IAMUser, AssumedRole (with its role as sessionIssuer), FederatedUser (with
// the user that called GetFederationToken), and a sessionContext whenever temporary credentials
// were used. AWSService and Unknown are for calls no principal signed.
import type { Caller } from '../iam/caller.ts';
import type { SessionContext, SessionIssuer, UserIdentity } from './event.ts';

const cache = new WeakMap<Caller, UserIdentity>();
const jsonCache = new WeakMap<Caller, string>();

/** Callers are built once per key version and reused, so their identity element can be too. */
export function userIdentityOf(caller: Caller): UserIdentity {
  let identity = cache.get(caller);
  if (identity === undefined) cache.set(caller, (identity = Object.freeze(build(caller)) as UserIdentity));
  return identity;
}

/** The identity element as JSON text, serialized once per caller. */
export function identityJsonOf(caller: Caller): string {
  let json = jsonCache.get(caller);
  if (json === undefined) jsonCache.set(caller, (json = JSON.stringify(userIdentityOf(caller))));
  return json;
}

function build(caller: Caller): UserIdentity {
  const p = caller.principal;
  const accountId = caller.accountId;
  switch (p.type) {
    case 'Root':
      return withSession({ type: 'Root', principalId: accountId, arn: p.arn, accountId, accessKeyId: caller.accessKeyId }, caller, {});
    case 'IAMUser':
      return withSession(
        { type: 'IAMUser', principalId: caller.userId, arn: p.arn, accountId, accessKeyId: caller.accessKeyId, userName: caller.userName },
        caller,
        {},
      );
    case 'AssumedRole': {
      const roleArn = p.roleArn ?? '';
      const issuer: SessionIssuer = { type: 'Role', principalId: caller.entityId ?? '', arn: roleArn, accountId, userName: lastSegment(roleArn) };
      return withSession({ type: 'AssumedRole', principalId: caller.userId, arn: p.arn, accountId, accessKeyId: caller.accessKeyId }, caller, issuer);
    }
    case 'FederatedUser': {
      const source = p.sourceUserArn ?? '';
      const issuer: SessionIssuer = source.endsWith(':root')
        ? { type: 'Root', principalId: accountId, arn: source, accountId }
        : { type: 'IAMUser', principalId: caller.entityId ?? '', arn: source, accountId, userName: lastSegment(source) };
      return withSession({ type: 'FederatedUser', principalId: caller.userId, arn: p.arn, accountId, accessKeyId: caller.accessKeyId }, caller, issuer);
    }
    default:
      return { type: 'Unknown', principalId: caller.userId, arn: p.arn, accountId, accessKeyId: caller.accessKeyId };
  }
}

function withSession(identity: UserIdentity, caller: Caller, issuer: SessionIssuer | Record<string, never>): UserIdentity {
  const s = caller.session;
  if (s === undefined) return identity;
  const context: SessionContext = {
    sessionIssuer: issuer,
    webIdFederationData: {},
    attributes: { creationDate: secondsOf(s.issuedAt), mfaAuthenticated: s.mfaAuthenticated ? 'true' : 'false' },
  };
  if (s.sourceIdentity !== undefined) context.sourceIdentity = s.sourceIdentity;
  identity.sessionContext = context;
  return identity;
}

/** A request no credentials resolved for (unsigned, unknown key, bad signature): what is known of it. */
export function unknownIdentity(accessKeyId: string | undefined, accountId: string | undefined): UserIdentity {
  const identity: UserIdentity = { type: 'Unknown', principalId: '' };
  if (accountId !== undefined) identity.accountId = accountId;
  if (accessKeyId !== undefined) identity.accessKeyId = accessKeyId;
  return identity;
}

/** Work Gatehouse does on its own account (as AWS services appear in CloudTrail). */
export function serviceIdentity(invokedBy: string): UserIdentity {
  return { type: 'AWSService', invokedBy };
}

/** The name LookupEvents' Username attribute matches: the user, the role session, the federated name, or "root". */
export function usernameOf(identity: UserIdentity): string | undefined {
  switch (identity.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return identity.userName;
    case 'AssumedRole':
    case 'FederatedUser':
      return identity.arn !== undefined ? lastSegment(identity.arn) : undefined;
    case 'AWSService':
      return identity.invokedBy;
    default:
      return identity.userName;
  }
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function secondsOf(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}
