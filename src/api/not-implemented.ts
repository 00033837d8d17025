// Operations of AWS's current models that Gatehouse does not serve yet answer NotImplemented
// (501). Those left to later work say what they wait for, so a caller knows it is not a bug.
import { AwsError } from '../model/errors.ts';

const ORGANIZATIONS = 'it needs AWS Organizations, which Gatehouse does not serve';
const OUTBOUND_FEDERATION = 'it comes with outbound web identity federation';
const FEDERATION = 'it comes with federation (SAML and OpenID Connect sign-in to roles)';

/** Why an operation waits, keyed `service:Operation`. */
export const LEFT_TO_LATER: Readonly<Record<string, string>> = {
  'iam:EnableOrganizationsRootCredentialsManagement': ORGANIZATIONS,
  'iam:DisableOrganizationsRootCredentialsManagement': ORGANIZATIONS,
  'iam:EnableOrganizationsRootSessions': ORGANIZATIONS,
  'iam:DisableOrganizationsRootSessions': ORGANIZATIONS,
  'iam:ListOrganizationsFeatures': ORGANIZATIONS,
  'iam:GenerateOrganizationsAccessReport': ORGANIZATIONS,
  'iam:GetOrganizationsAccessReport': ORGANIZATIONS,
  'sts:AssumeRoot': ORGANIZATIONS,
  'iam:EnableOutboundWebIdentityFederation': OUTBOUND_FEDERATION,
  'iam:DisableOutboundWebIdentityFederation': OUTBOUND_FEDERATION,
  'iam:GetOutboundWebIdentityFederationInfo': OUTBOUND_FEDERATION,
  'sts:GetWebIdentityToken': OUTBOUND_FEDERATION,
  'sts:AssumeRoleWithSAML': FEDERATION,
  'sts:AssumeRoleWithWebIdentity': FEDERATION,
  'iam:GetHumanReadableSummary': 'it comes with the analyzer',
  'iam:AcquireRole': 'it comes with role templates',
  'iam:GetRoleTemplateVersion': 'it comes with role templates',
  'iam:GetAccountProperties': 'it comes with account properties (Role Manager)',
  'iam:PutAccountProperties': 'it comes with account properties (Role Manager)',
};

/**
 * STS operations AWS serves without a signature: a request for one that is not served yet gets
 * NotImplemented rather than MissingAuthenticationToken.
 */
export const UNSIGNED_STS_OPERATIONS: ReadonlySet<string> = new Set(['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity']);

export function notImplemented(service: string, action: string): AwsError {
  const why = LEFT_TO_LATER[`${service}:${action}`];
  return new AwsError('NotImplemented', `Gatehouse does not implement ${service}:${action} yet${why === undefined ? '' : `: ${why}`}.`, 501);
}
