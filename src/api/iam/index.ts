// Every IAM operation Gatehouse serves, by AWS operation name.
import type { Operations } from '../operation.ts';
import { accessKeyOperations } from './access-keys.ts';
import { accountOperations } from './account.ts';
import { attachmentOperations } from './attachments.ts';
import { authorizationDetailsOperations } from './authorization-details.ts';
import { boundaryOperations } from './boundaries.ts';
import { credentialReportOperations } from './credential-report.ts';
import { delegationRequestOperations } from './delegation-requests.ts';
import { groupOperations } from './groups.ts';
import { inlinePolicyOperations } from './inline-policies.ts';
import { instanceProfileOperations } from './instance-profiles.ts';
import { lastAccessedOperations } from './last-accessed.ts';
import { loginProfileOperations } from './login-profiles.ts';
import { mfaDeviceOperations } from './mfa-devices.ts';
import { oidcProviderOperations } from './oidc-providers.ts';
import { passwordPolicyOperations } from './password-policy.ts';
import { policyOperations } from './policies.ts';
import { roleOperations } from './roles.ts';
import { samlProviderOperations } from './saml-providers.ts';
import { serverCertificateOperations } from './server-certificates.ts';
import { signingCertificateOperations } from './signing-certificates.ts';
import { serviceSpecificCredentialOperations } from './service-specific-credentials.ts';
import { simulateOperations } from './simulate.ts';
import { sshPublicKeyOperations } from './ssh-public-keys.ts';
import { userOperations } from './users.ts';

export const iamOperations: Operations = {
  ...userOperations,
  ...groupOperations,
  ...accessKeyOperations,
  ...accountOperations,
  ...roleOperations,
  ...instanceProfileOperations,
  ...policyOperations,
  ...attachmentOperations,
  ...inlinePolicyOperations,
  ...boundaryOperations,
  ...simulateOperations,
  ...authorizationDetailsOperations,
  ...loginProfileOperations,
  ...passwordPolicyOperations,
  ...credentialReportOperations,
  ...mfaDeviceOperations,
  ...oidcProviderOperations,
  ...samlProviderOperations,
  ...serverCertificateOperations,
  ...signingCertificateOperations,
  ...sshPublicKeyOperations,
  ...serviceSpecificCredentialOperations,
  ...lastAccessedOperations,
  ...delegationRequestOperations,
};
