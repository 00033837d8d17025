// sts:GetFederationToken: a federated user session for an IAM user (or root). Its permissions
// are the intersection of the user's identity policies and the session policies passed; with no
// session policy it has none at all (API_GetFederationToken). Session tags need sts:TagSession.
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { requestContext } from '../authz/context.ts';
import type { Tag } from '../iam/entities.ts';
import { stsArn } from '../model/arn.ts';
import { accessDenied } from '../model/errors.ts';
import { parsePolicy } from '../policy/index.ts';
import { isoSeconds } from '../model/time.ts';
import { authorizeWithMessage, credentialSource, type StsContext } from './context.ts';
import { packedPolicySize } from './packed-policy.ts';
import { issueSession, type IssuedCredentials } from './sessions.ts';
import { ROOT_SESSION_MAX_SECONDS } from './session-token.ts';
import { sessionTagContext, sessionTags } from './session-tags.ts';
import { accountPartition } from '../iam/partition.ts';

export const DEFAULT_FEDERATION_SECONDS = 43200;

/** The session policy of a federated user given none: it allows nothing. */
export const NO_PERMISSIONS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoSessionPolicyPassed', Effect: 'Allow', NotAction: '*', Resource: '*' }],
});

export interface FederationTokenRequest {
  name: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  tags?: Tag[];
}

export interface FederatedUser {
  issued: IssuedCredentials;
  federatedUserId: string;
  arn: string;
  packedPolicySize?: number;
}

export function federatedUserArn(accountId: string, name: string, partition: string): string {
  return stsArn.federatedUser(accountId, name, partition);
}

export async function getFederationToken(ctx: StsContext, req: FederationTokenRequest): Promise<FederatedUser> {
  const { caller } = ctx;
  const now = ctx.facts.now;
  const isRoot = caller.principal.type === 'Root';
  const ownerId = isRoot ? ROOT_OWNER_ID : caller.entityId;
  if (ownerId === undefined) throw accessDenied('Cannot call GetFederationToken with session credentials');
  let duration = req.durationSeconds ?? DEFAULT_FEDERATION_SECONDS;
  if (isRoot) duration = Math.min(duration, ROOT_SESSION_MAX_SECONDS);
  if (req.policy !== undefined) parsePolicy(req.policy, 'session');
  const requestTags = { tags: req.tags ?? [], transitiveTagKeys: [] };
  const tags = sessionTags(requestTags);
  const arn = federatedUserArn(caller.accountId, req.name, accountPartition(ctx.state, caller.accountId));
  if (requestTags.tags.length > 0) {
    const context = requestContext(caller, ctx.facts, sessionTagContext(requestTags));
    authorizeWithMessage(ctx, { caller, action: 'sts:TagSession', resource: arn, context });
  }
  const packed = packedPolicySize({ policy: req.policy, policyArns: req.policyArns, tags: requestTags.tags });
  const noPolicy = req.policy === undefined && (req.policyArns ?? []).length === 0;
  const issued = await ctx.transact((tx) =>
    issueSession(
      tx,
      caller.accountId,
      {
        kind: 'FederatedUser',
        issuedAt: isoSeconds(now),
        expiresAt: isoSeconds(new Date(now.getTime() + duration * 1000)),
        userId: ownerId,
        federatedName: req.name,
        policy: noPolicy ? NO_PERMISSIONS_POLICY : req.policy,
        policyArns: req.policyArns,
        tags: tags.tags,
        transitiveTagKeys: [],
        mfaAuthenticated: false,
        chained: false,
        sourceAccessKeyId: caller.accessKeyId,
      },
      credentialSource(ctx, caller.accountId),
      now,
    ),
  );
  return { issued, federatedUserId: `${caller.accountId}:${req.name}`, arn, packedPolicySize: packed };
}
