// sts:AssumeRole. The role's trust policy is evaluated as a resource policy together with the
// caller's identity policies (same-account and cross-account rules, the trust policy always
// required); sts:TagSession and sts:SetSourceIdentity are authorized separately when the request
// passes tags or a source identity. The duration is bounded by the role's MaxSessionDuration and,
// for role chaining, by one hour. The MFA code (SerialNumber + TokenCode) is checked and spent
// in the transaction that stores the session, so it cannot be used twice.
import type { Tag } from '../iam/entities.ts';
import { verifyMfaCode } from '../iam/mfa-devices.ts';
import type { EntityOf } from '../iam/state.ts';
import { parseArn, parseIamArn, stsArn } from '../model/arn.ts';
import { accessDenied, validationError } from '../model/errors.ts';
import { isoSeconds } from '../model/time.ts';
import { parsePolicy, PolicySet, type ContextValue } from '../policy/index.ts';
import { requestContext } from '../authz/context.ts';
import { authorizeWithMessage, credentialSource, sourceAccessKeyOf, type StsContext } from './context.ts';
import { packedPolicySize } from './packed-policy.ts';
import { getSession, issueSession, type IssuedCredentials } from './sessions.ts';
import { sessionTagContext, sessionTags } from './session-tags.ts';
import { accountPartition } from '../iam/partition.ts';

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;
/** Role chaining limits a session to one hour, whatever the role allows. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

export interface AssumeRoleRequest {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  tags?: Tag[];
  transitiveTagKeys?: string[];
  externalId?: string;
  serialNumber?: string;
  tokenCode?: string;
  sourceIdentity?: string;
}

export interface AssumedRole {
  issued: IssuedCredentials;
  role: EntityOf<'role'>;
  assumedRoleId: string;
  arn: string;
  packedPolicySize?: number;
  sourceIdentity?: string;
}

const MFA_FAILED = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';

/** The role an ARN names, path included, in any account; undefined when there is none. */
export function roleByArn(ctx: StsContext, roleArn: string): EntityOf<'role'> | undefined {
  const parsed = parseIamArn(roleArn);
  if (parsed === undefined || parsed.type !== 'role') return undefined;
  const role = ctx.state.byName('role', parsed.account, parsed.name);
  return role !== undefined && role.data.arn === roleArn ? role : undefined;
}

export async function assumeRole(ctx: StsContext, req: AssumeRoleRequest): Promise<AssumedRole> {
  const { caller } = ctx;
  // A RoleArn that is no ARN at all is a bad request, not a role the caller may not assume.
  if (parseArn(req.roleArn) === undefined) throw validationError(`${req.roleArn} is invalid`);
  if (caller.principal.type === 'Root') throw accessDenied('Roles may not be assumed by root accounts.');
  const now = ctx.facts.now;
  const role = roleByArn(ctx, req.roleArn);
  const chained = caller.session !== undefined && caller.principal.type === 'AssumedRole';
  const duration = req.durationSeconds ?? DEFAULT_ROLE_SESSION_SECONDS;
  if (chained && duration > ROLE_CHAINING_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (role !== undefined && duration > role.data.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  if (req.policy !== undefined) parsePolicy(req.policy, 'session');

  // What the calling session passes on: transitive tags and the source identity.
  const callerSession = caller.session ? getSession(ctx.state, caller.accessKeyId)?.data : undefined;
  const requestTags = { tags: req.tags ?? [], transitiveTagKeys: req.transitiveTagKeys ?? [] };
  const tags = sessionTags(requestTags, callerSession);
  const inheritedSourceIdentity = callerSession?.sourceIdentity;
  if (inheritedSourceIdentity !== undefined && req.sourceIdentity !== undefined && req.sourceIdentity !== inheritedSourceIdentity) {
    throw accessDenied(`The source identity ${inheritedSourceIdentity} of the calling session cannot be changed.`);
  }
  const sourceIdentity = req.sourceIdentity ?? inheritedSourceIdentity;
  const withMfa = req.serialNumber !== undefined || req.tokenCode !== undefined;
  if (withMfa && (req.serialNumber === undefined || req.tokenCode === undefined)) throw accessDenied(MFA_FAILED);

  // The request context: the caller's keys, then AssumeRole's own.
  const extra: Record<string, ContextValue> = {
    ...sessionTagContext(requestTags),
    'sts:RoleSessionName': req.roleSessionName,
  };
  if (req.externalId !== undefined) extra['sts:ExternalId'] = req.externalId;
  if (req.sourceIdentity !== undefined) extra['sts:SourceIdentity'] = req.sourceIdentity;
  if (withMfa) {
    extra['aws:MultiFactorAuthPresent'] = 'true';
    extra['aws:MultiFactorAuthAge'] = '0';
  }
  const context = requestContext(caller, ctx.facts, extra);
  const trust = role ? new PolicySet([ctx.view.compile(`${role.data.arn}#trust`, role.data.assumeRolePolicyDocument, 'trust')]) : new PolicySet([]);
  const resourceAccount = role?.accountId ?? parseIamArn(req.roleArn)?.account;
  const check = (action: string) =>
    authorizeWithMessage(ctx, { caller, action, resource: req.roleArn, context, resourcePolicy: trust, resourceAccount, resourcePolicyRequired: true });
  check('sts:AssumeRole');
  if (requestTags.tags.length > 0 || requestTags.transitiveTagKeys.length > 0) check('sts:TagSession');
  if (req.sourceIdentity !== undefined) check('sts:SetSourceIdentity');
  const packed = packedPolicySize({ policy: req.policy, policyArns: req.policyArns, tags: requestTags.tags });

  const target = role!; // authorization cannot pass without a role: its trust policy is required
  const issued = await ctx.transact((tx) => {
    if (tx.get('role', target.id) === undefined) throw accessDenied(`User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${req.roleArn}`);
    if (withMfa) {
      const ok = caller.principal.type === 'IAMUser' && caller.entityId !== undefined && verifyMfaCode(tx, {
        accountId: caller.accountId,
        ownerId: caller.entityId,
        serialNumber: req.serialNumber!,
        code: req.tokenCode!,
        now,
        openSeed: (sealed) => ctx.secrets.open(sealed),
      });
      if (!ok) throw accessDenied(MFA_FAILED);
    }
    const mfaAuthenticated = withMfa || (caller.session?.mfaAuthenticated ?? false);
    return issueSession(
      tx,
      target.accountId,
      {
        kind: 'AssumedRole',
        issuedAt: isoSeconds(now),
        expiresAt: isoSeconds(new Date(now.getTime() + duration * 1000)),
        roleId: target.id,
        roleSessionName: req.roleSessionName,
        policy: req.policy,
        policyArns: req.policyArns,
        tags: tags.tags,
        transitiveTagKeys: tags.transitiveTagKeys,
        sourceIdentity,
        mfaAuthenticated,
        mfaAuthenticatedAt: withMfa ? now.toISOString() : mfaAuthenticated ? (caller.session?.mfaAuthenticatedAt ?? caller.session?.issuedAt) : undefined,
        chained,
        sourceAccessKeyId: sourceAccessKeyOf(ctx),
      },
      credentialSource(ctx, target.accountId),
      now,
    );
  });
  return {
    issued,
    role: target,
    assumedRoleId: `${target.data.roleId}:${req.roleSessionName}`,
    arn: stsArn.assumedRole(target.accountId, target.data.roleName, req.roleSessionName, accountPartition(ctx.state, target.accountId)),
    packedPolicySize: packed,
    sourceIdentity,
  };
}
