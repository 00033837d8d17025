// Every IAM operation Gatehouse serves, by AWS operation name.
import type { OperationTable } from '../operation.ts';
import { accessKeyOperations } from './access-keys.ts';
import { accountOperations } from './account.ts';
import { attachmentOperations } from './attachments.ts';
import { authorizationDetailsOperations } from './authorization-details.ts';
import { boundaryOperations } from './boundaries.ts';
import { groupOperations } from './groups.ts';
import { inlinePolicyOperations } from './inline-policies.ts';
import { instanceProfileOperations } from './instance-profiles.ts';
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
};
