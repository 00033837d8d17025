// Every IAM operation Gatehouse serves, by AWS operation name.
import { PasswordHasher } from '../../iam/passwords.ts';
import type { OperationTable } from '../operation.ts';
import { accessKeyOperations, accessKeyOperationsFor } from './access-keys.ts';
import { accountOperations } from './account.ts';
import { attachmentOperations } from './attachments.ts';
import { authorizationDetailsOperations } from './authorization-details.ts';
import { boundaryOperations } from './boundaries.ts';
import { credentialReportOperations } from './credential-report.ts';
import { groupOperations } from './groups.ts';
import { inlinePolicyOperations } from './inline-policies.ts';
import { instanceProfileOperations } from './instance-profiles.ts';
import { mfaDeviceOperations } from './mfa-devices.ts';
import { loginProfileOperations } from './login-profiles.ts';
import { passwordPolicyOperations } from './password-policy.ts';
import { policyOperations } from './policies.ts';
import { roleOperations } from './roles.ts';
import { simulateOperations } from './simulate.ts';
import { userOperations } from './users.ts';

export const iamOperations: OperationTable = {
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
  ...loginProfileOperations({ hasher: new PasswordHasher() }),
  ...passwordPolicyOperations,
  ...credentialReportOperations,
  ...mfaDeviceOperations,
};

/** What some operations take from the configuration. */
export interface IamOperationOptions {
  hasher: PasswordHasher;
  allowRootAccessKeys: boolean;
}

/** Every IAM operation, with the configured password hashing and root access key rule. */
export function iamOperationsWith(options: IamOperationOptions): OperationTable {
  return { ...iamOperations, ...accessKeyOperationsFor(options), ...loginProfileOperations(options) };
}
