// What IAM operations are authorized on (AuthorizationTarget), shared by an entity's own
// operations and by those on what hangs off it: the entity's ARN (with its path) and its tags
// (aws:ResourceTag/*, iam:ResourceTag/*) when it exists, else the ARN AWS would check; then the
// operation's own keys (`extra`: aws:RequestTag/*, iam:PolicyARN, …).
import type { PrincipalKind } from '../../iam/attachments.ts';
import type { Tag } from '../../iam/entities.ts';
import { oidcProviderByArn } from '../../iam/oidc-providers.ts';
import { customerPolicyByArn } from '../../iam/policy-lookup.ts';
import { samlProviderByArn } from '../../iam/saml-providers.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { iamArn } from '../../model/arn.ts';
import type { ContextValue } from '../../policy/index.ts';
import type { AuthorizationTarget, CallContext, Input } from '../operation.ts';

export type TargetContext = AuthorizationTarget['context'];

/** `context` with the operation's own keys added: one object, no spreads (GetUser is on the hot path). */
function plus(context: Record<string, ContextValue | undefined>, extra: TargetContext): TargetContext {
  if (extra !== undefined) for (const key in extra) context[key] = extra[key];
  return context;
}

/** An existing entity's target. */
function existing(resource: string, tags: readonly Tag[], extra: TargetContext): AuthorizationTarget {
  return { resource, context: plus(resourceTagContext(tags), extra) };
}

/** Users, roles and instance profiles: named in their account, tagged, with a path in their ARN. */
function named(call: CallContext, kind: 'user' | 'role' | 'instanceProfile', name: string, extra: TargetContext): AuthorizationTarget {
  const entity = call.state.byName(kind, call.accountId, name);
  if (entity === undefined) return { resource: iamArn[kind](call.accountId, '/', name, call.partition), context: extra };
  return existing(entity.data.arn, entity.data.tags, extra);
}

export function userTarget(call: CallContext, userName: string, extra?: TargetContext): AuthorizationTarget {
  return named(call, 'user', userName, extra);
}

export function roleTarget(call: CallContext, roleName: string, extra?: TargetContext): AuthorizationTarget {
  return named(call, 'role', roleName, extra);
}

export function instanceProfileTarget(call: CallContext, name: string, extra?: TargetContext): AuthorizationTarget {
  return named(call, 'instanceProfile', name, extra);
}

/** Groups have no tags. */
export function groupTarget(call: CallContext, groupName: string, extra?: TargetContext): AuthorizationTarget {
  const group = call.state.byName('group', call.accountId, groupName);
  return { resource: group?.data.arn ?? iamArn.group(call.accountId, '/', groupName, call.partition), context: extra };
}

/** A managed policy's ARN, with its tags when it is this account's. */
export function policyTarget(call: CallContext, arn: string, extra?: TargetContext): AuthorizationTarget {
  const own = customerPolicyByArn(call.state, arn);
  if (own === undefined || own.accountId !== call.accountId) return { resource: arn, context: extra };
  return existing(arn, own.data.tags, extra);
}

/** A virtual MFA device: its serial number is its ARN. */
export function mfaDeviceTarget(call: CallContext, serialNumber: string, extra?: TargetContext): AuthorizationTarget {
  const device = call.state.get('mfaDevice', serialNumber);
  if (device === undefined || device.accountId !== call.accountId) return { resource: serialNumber, context: extra };
  return existing(device.data.serialNumber, device.data.tags, extra);
}

/** A server certificate: named in its account, tagged, with a path in its ARN. */
export function serverCertificateTarget(call: CallContext, name: string, extra?: TargetContext): AuthorizationTarget {
  const cert = call.state.byName('serverCertificate', call.accountId, name);
  if (cert === undefined) return { resource: iamArn.serverCertificate(call.accountId, '/', name, call.partition), context: extra };
  return existing(cert.data.arn, cert.data.tags, extra);
}

/** An OIDC provider: its own ARN (the one named may differ in case) with its tags, when it exists. */
export function oidcProviderTarget(call: CallContext, arn: string, extra?: TargetContext): AuthorizationTarget {
  const provider = oidcProviderByArn(call.state, call.accountId, arn);
  if (provider === undefined) return { resource: arn, context: extra };
  return existing(provider.data.arn, provider.data.tags, extra);
}

/** A SAML provider: its own ARN with its tags, when it exists. */
export function samlProviderTarget(call: CallContext, arn: string, extra?: TargetContext): AuthorizationTarget {
  const provider = samlProviderByArn(call.state, call.accountId, arn);
  if (provider === undefined) return { resource: arn, context: extra };
  return existing(provider.data.arn, provider.data.tags, extra);
}

/** The entity an operation's input names in its usual member (UserName, RoleName, PolicyArn, …). */
export const theUser = (input: Input, call: CallContext): AuthorizationTarget => userTarget(call, input.UserName);
export const theGroup = (input: Input, call: CallContext): AuthorizationTarget => groupTarget(call, input.GroupName);
export const theRole = (input: Input, call: CallContext): AuthorizationTarget => roleTarget(call, input.RoleName);
export const theInstanceProfile = (input: Input, call: CallContext): AuthorizationTarget => instanceProfileTarget(call, input.InstanceProfileName);
export const thePolicy = (input: Input, call: CallContext): AuthorizationTarget => policyTarget(call, input.PolicyArn);
export const theMfaDevice = (input: Input, call: CallContext): AuthorizationTarget => mfaDeviceTarget(call, input.SerialNumber);
export const theServerCertificate = (input: Input, call: CallContext): AuthorizationTarget => serverCertificateTarget(call, input.ServerCertificateName);
export const theOidcProvider = (input: Input, call: CallContext): AuthorizationTarget => oidcProviderTarget(call, input.OpenIDConnectProviderArn);
export const theSamlProvider = (input: Input, call: CallContext): AuthorizationTarget => samlProviderTarget(call, input.SAMLProviderArn);

/** A Create* operation of a tagged entity: the ARN the entity will have, and the tags it is created with. */
export function creationTarget(resource: string, input: Input, extra?: TargetContext): AuthorizationTarget {
  return { resource, context: plus(requestTagContext(input.Tags), extra) };
}

/** The input member naming the principal of a {User,Group,Role}Policy operation. */
export const PRINCIPAL_NAME_MEMBER: Readonly<Record<PrincipalKind, 'UserName' | 'GroupName' | 'RoleName'>> = {
  user: 'UserName',
  group: 'GroupName',
  role: 'RoleName',
};

export function principalNameOf(input: Input, kind: PrincipalKind): string {
  return input[PRINCIPAL_NAME_MEMBER[kind]] as string;
}

/**
 * A principal whose permissions an operation changes: for users and roles, with
 * iam:PermissionsBoundary set to the boundary the principal has now (`extra` may set another).
 */
export function principalTarget(call: CallContext, kind: PrincipalKind, name: string, extra: TargetContext = {}): AuthorizationTarget {
  if (kind === 'group') return groupTarget(call, name, extra);
  const boundary = call.state.byName(kind, call.accountId, name)?.data.permissionsBoundaryArn;
  const context = { 'iam:PermissionsBoundary': boundary, ...extra };
  return kind === 'user' ? userTarget(call, name, context) : roleTarget(call, name, context);
}

/** The principal a {User,Group,Role}Policy operation's input names. */
export function thePrincipal(kind: PrincipalKind): (input: Input, call: CallContext) => AuthorizationTarget {
  return (input, call) => principalTarget(call, kind, principalNameOf(input, kind));
}

/** List* operations: AWS checks them on the type and the path prefix (arn:aws:iam::123456789012:user/, as its denials show). */
export function listTarget(
  call: CallContext,
  type: 'user' | 'group' | 'role' | 'instance-profile' | 'policy' | 'server-certificate',
  pathPrefix: string | undefined,
): AuthorizationTarget {
  return { resource: `arn:${call.partition}:iam::${call.accountId}:${type}${pathPrefix ?? '/'}` };
}

/** Operations without a resource type in AWS's Service Authorization Reference are authorized on "*". */
export function anyResource(): AuthorizationTarget {
  return { resource: '*' };
}
