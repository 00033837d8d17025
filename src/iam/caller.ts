// Who is calling, once authentication has succeeded: everything authorization and auditing need
// to know about the principal, resolved from the access key (and session token) used.
import type { RequestPrincipal } from '../policy/index.ts';
import type { Tag } from './entities.ts';

export interface SessionInfo {
  /** How the temporary credentials were made: AssumeRole, GetSessionToken or GetFederationToken. */
  kind: 'AssumedRole' | 'SessionToken' | 'FederatedUser';
  /** aws:TokenIssueTime */
  issuedAt: string;
  expiresAt: string;
  mfaAuthenticated: boolean;
  /** When the MFA code was checked (aws:MultiFactorAuthAge); the issue time when absent. */
  mfaAuthenticatedAt?: string;
  /** The long-term access key the session (chain) was created with, for last-used data. */
  sourceAccessKeyId?: string;
  /** Inline session policy text and managed session policy ARNs, when the session was created with them. */
  policy?: string;
  policyArns?: string[];
  sourceIdentity?: string;
}

export interface Caller {
  principal: RequestPrincipal;
  accountId: string;
  /** aws:userid: the user id, `ROLEID:session`, or the account id for root. */
  userId: string;
  /** The IAM user's name (aws:username), for IAM users only. */
  userName?: string;
  /** The user (AIDA…) or role (AROA…) behind the caller; absent for root. */
  entityId?: string;
  accessKeyId: string;
  /** aws:PrincipalTag/* */
  tags: readonly Tag[];
  session?: SessionInfo;
}

/** aws:PrincipalType as AWS sets it. */
export function principalTypeOf(caller: Caller): string {
  switch (caller.principal.type) {
    case 'Root':
      return 'Account';
    case 'IAMUser':
      return 'User';
    default:
      return caller.principal.type;
  }
}
