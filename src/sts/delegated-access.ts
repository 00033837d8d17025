// sts:GetDelegatedAccessToken: the partner trades the exchange token of a FINALIZED delegation
// request for temporary credentials. They act as the identity that accepted the request (its
// AssumedPrincipal), bounded by the request's rendered permission policy as a session policy, so
// they can do only what both allow, and they end with the delegation period (SessionDuration
// from when the token was sent). Only the requestor's account may trade its tokens.
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { requestForExchangeToken, type DelegationRequestEntity } from '../iam/delegation-requests.ts';
import { accountPartition } from '../iam/partition.ts';
import { iamArn, stsArn } from '../model/arn.ts';
import { expiredTradeInToken } from '../model/errors.ts';
import { isoSeconds } from '../model/time.ts';
import { credentialSource, type StsContext } from './context.ts';
import { credentialsOutput, issueSession, type SessionSpec } from './sessions.ts';

const EXPIRED = 'The trade-in token provided in the request has expired and can no longer be exchanged for credentials.';

/** GetDelegatedAccessToken's answer; the transaction returns it, so the event records it (less the secrets). */
export interface DelegatedAccess {
  Credentials: Record<string, unknown>;
  AssumedPrincipal: string;
}

/** The session the approver's identity gets, and its ARN; undefined when that identity is gone. */
function principalOf(ctx: StsContext, r: DelegationRequestEntity): { spec: Partial<SessionSpec>; arn: string } | undefined {
  const approver = r.data.approver;
  const account = r.data.ownerAccountId!;
  if (approver === undefined) return undefined;
  if (approver.type === 'Root') return { spec: { kind: 'SessionToken', userId: ROOT_OWNER_ID }, arn: iamArn.root(account, accountPartition(ctx.state, account)) };
  if (approver.type === 'IAMUser') {
    const user = ctx.state.get('user', approver.userId);
    return user && { spec: { kind: 'SessionToken', userId: user.id }, arn: user.data.arn };
  }
  const role = ctx.state.get('role', approver.roleId);
  return role && {
    spec: { kind: 'AssumedRole', roleId: role.id, roleSessionName: approver.roleSessionName },
    arn: stsArn.assumedRole(account, role.data.roleName, approver.roleSessionName, accountPartition(ctx.state, account)),
  };
}

export async function getDelegatedAccessToken(ctx: StsContext, tradeInToken: string): Promise<DelegatedAccess> {
  const now = ctx.facts.now;
  const r = requestForExchangeToken(ctx.state, tradeInToken, now);
  if (r === undefined || r.data.requestorId !== ctx.caller.accountId) throw expiredTradeInToken(EXPIRED);
  const principal = principalOf(ctx, r);
  if (principal === undefined) throw expiredTradeInToken(EXPIRED);
  const account = r.data.ownerAccountId!;
  return ctx.transact((tx) => {
    // Read again in the transaction: the request (or its time) may have changed since the check above.
    if (requestForExchangeToken(tx, tradeInToken, now) === undefined) throw expiredTradeInToken(EXPIRED);
    const issued = issueSession(
      tx,
      account,
      {
        kind: principal.spec.kind!,
        roleId: principal.spec.roleId,
        roleSessionName: principal.spec.roleSessionName,
        userId: principal.spec.userId,
        issuedAt: isoSeconds(now),
        expiresAt: isoSeconds(new Date(r.data.expirationTime)),
        policy: r.data.permissionPolicy,
        tags: [],
        transitiveTagKeys: [],
        mfaAuthenticated: false,
        chained: false,
      },
      credentialSource(ctx, account),
      now,
    );
    // PackedPolicySize is not populated for this operation (API_GetDelegatedAccessToken).
    return { Credentials: credentialsOutput(issued), AssumedPrincipal: principal.arn };
  });
}
