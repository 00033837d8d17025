// sts:GetSessionToken: temporary credentials for an IAM user (or the root user), with MFA when
// SerialNumber and TokenCode are given. No permission is needed: it authenticates, and policies
// do not control authentication (AWS: "You cannot use policies to control authentication").
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { verifyMfaCode } from '../iam/mfa-devices.ts';
import { accessDenied } from '../model/errors.ts';
import { isoSeconds } from '../model/time.ts';
import { credentialSource, type StsContext } from './context.ts';
import { issueSession, type IssuedCredentials } from './sessions.ts';

export const DEFAULT_SESSION_TOKEN_SECONDS = 43200;
/** Sessions of the root user last at most an hour. */
export const ROOT_SESSION_MAX_SECONDS = 3600;

const MFA_FAILED =
  'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';

export interface SessionTokenRequest {
  durationSeconds?: number;
  serialNumber?: string;
  tokenCode?: string;
}

export async function getSessionToken(ctx: StsContext, req: SessionTokenRequest): Promise<IssuedCredentials> {
  const { caller } = ctx;
  const now = ctx.facts.now;
  const isRoot = caller.principal.type === 'Root';
  const ownerId = isRoot ? ROOT_OWNER_ID : caller.entityId;
  if (ownerId === undefined) throw accessDenied('Cannot call GetSessionToken with session credentials');
  let duration = req.durationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS;
  if (isRoot) duration = Math.min(duration, ROOT_SESSION_MAX_SECONDS);
  const withMfa = req.serialNumber !== undefined || req.tokenCode !== undefined;
  return ctx.transact((tx) => {
    if (withMfa) {
      const ok =
        req.serialNumber !== undefined &&
        req.tokenCode !== undefined &&
        verifyMfaCode(tx, {
          accountId: caller.accountId,
          ownerId,
          serialNumber: req.serialNumber,
          code: req.tokenCode,
          now,
          openSeed: (sealed) => ctx.secrets.open(sealed),
        });
      if (!ok) throw accessDenied(MFA_FAILED);
    }
    return issueSession(
      tx,
      caller.accountId,
      {
        kind: 'SessionToken',
        issuedAt: isoSeconds(now),
        expiresAt: isoSeconds(new Date(now.getTime() + duration * 1000)),
        userId: ownerId,
        tags: [],
        transitiveTagKeys: [],
        mfaAuthenticated: withMfa,
        mfaAuthenticatedAt: withMfa ? now.toISOString() : undefined,
        chained: false,
        sourceAccessKeyId: caller.accessKeyId,
      },
      credentialSource(ctx, caller.accountId),
      now,
    );
  });
}
