// Who is asking, and how a Principal / NotPrincipal element names them (reference_policies_elements_principal).
// How a principal is named matters to the decision: naming the account only delegates to the
// account's identity policies, naming a role leaves its sessions bound by boundaries and session
// policies, naming the exact user or session grants outright (policy-eval-denyallow).

export type PrincipalType =
  | 'Root'
  | 'IAMUser'
  | 'AssumedRole'
  | 'FederatedUser'
  | 'WebIdentityUser'
  | 'SAMLUser'
  | 'AWSService'
  | 'Anonymous';

export interface RequestPrincipal {
  type: PrincipalType;
  /** The caller's ARN: user, `…:root`, `arn:aws:sts::A:assumed-role/R/S`, `…:federated-user/N`; a service's name for AWSService. */
  arn: string;
  /** The principal's account; absent for services and anonymous callers. */
  account?: string;
  /** For AssumedRole: the role's ARN (`arn:aws:iam::A:role/path/R`). */
  roleArn?: string;
  /** For FederatedUser: the IAM user that called GetFederationToken. */
  sourceUserArn?: string;
  /** For WebIdentityUser / SAMLUser: the identity provider (`cognito-identity.amazonaws.com`, a SAML provider ARN). */
  federatedProvider?: string;
  canonicalUserId?: string;
}

/**
 * How a statement's Principal named the caller:
 * - `direct`: the user, the role session, the federated user, a service, or `*`: grants outright in the same account;
 * - `limited`: the role (for its sessions) or the IAM user behind a federated session: boundaries and session policies still apply;
 * - `account`: the account (id or `:root`): delegates to the identity policies.
 */
export type PrincipalMatch = 'direct' | 'limited' | 'account';

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:(aws[a-z-]*):iam::(\d{12}):root$/;

/** The account a value names: an id, or its root's ARN in the caller's partition (an account lives in one). */
function accountNamed(value: string, p: RequestPrincipal): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  const m = ACCOUNT_ROOT.exec(value);
  return m !== null && p.arn.startsWith(`arn:${m[1]}:`) ? m[2] : undefined;
}

/** How one `AWS` principal value names the caller, if it does. Wildcards never match part of an ARN. */
function matchAwsValue(value: string, p: RequestPrincipal): PrincipalMatch | undefined {
  if (value === '*') return 'direct';
  const account = accountNamed(value, p);
  if (account !== undefined) return p.account === account ? 'account' : undefined;
  if (value === p.arn) return 'direct';
  if (p.type === 'AssumedRole' && value === p.roleArn) return 'limited';
  if (p.type === 'FederatedUser' && value === p.sourceUserArn) return 'limited';
  return undefined;
}

export type PrincipalBlockValues = {
  AWS?: readonly string[];
  Service?: readonly string[];
  Federated?: readonly string[];
  CanonicalUser?: readonly string[];
};

/** The strongest way a Principal block names the caller, or undefined when it does not. */
export function matchPrincipal(block: '*' | PrincipalBlockValues, p: RequestPrincipal): PrincipalMatch | undefined {
  if (block === '*') return 'direct';
  let best: PrincipalMatch | undefined;
  for (const value of block.AWS ?? []) {
    const m = matchAwsValue(value, p);
    if (m === 'direct') return m;
    if (m === 'limited' || (m === 'account' && best === undefined)) best = m;
  }
  if (p.type === 'AWSService' && block.Service?.includes(p.arn)) return 'direct';
  if ((p.type === 'WebIdentityUser' || p.type === 'SAMLUser') && p.federatedProvider !== undefined) {
    if (block.Federated?.includes(p.federatedProvider)) return 'direct';
  }
  if (p.canonicalUserId !== undefined && block.CanonicalUser?.includes(p.canonicalUserId)) return 'direct';
  return best;
}

/**
 * Every name the caller goes by. A NotPrincipal exempts the caller only when all of them are
 * listed: AWS's docs tell you to list the session, its role and the account to exempt a session.
 */
function namesOf(p: RequestPrincipal): string[] {
  const names = [p.arn];
  if (p.roleArn) names.push(p.roleArn);
  if (p.sourceUserArn) names.push(p.sourceUserArn);
  return names;
}

/** True when a NotPrincipal block applies to the caller (the caller is not fully exempted by it). */
export function notPrincipalApplies(block: '*' | PrincipalBlockValues, p: RequestPrincipal): boolean {
  if (block === '*') return false;
  const aws = block.AWS ?? [];
  if (aws.includes('*')) return false;
  if (p.type === 'AWSService') return !(block.Service ?? []).includes(p.arn);
  if (p.type === 'Anonymous') return true;
  const listsAccount = aws.some((v) => accountNamed(v, p) === p.account);
  if (p.type === 'Root') return !listsAccount;
  // Each identity of the caller must be listed, its account included.
  return !listsAccount || !namesOf(p).every((name) => aws.includes(name));
}
