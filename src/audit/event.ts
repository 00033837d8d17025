// The CloudTrail record (eventVersion 1.11) Gatehouse writes for every request, as AWS documents
// it in "CloudTrail record contents" and "CloudTrail userIdentity element". Field order follows
// AWS's own records, so an exported file reads like one from CloudTrail.

export const EVENT_VERSION = '1.11';

export type IdentityType = 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'AWSService' | 'Unknown';

export interface SessionIssuer {
  type: 'Root' | 'IAMUser' | 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer | Record<string, never>;
  webIdFederationData?: Record<string, never>;
  attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
  sourceIdentity?: string;
}

export interface UserIdentity {
  type: IdentityType;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: string;
}

export type EventSource = 'iam.amazonaws.com' | 'sts.amazonaws.com' | 'signin.amazonaws.com' | 'cloudtrail.amazonaws.com';

export interface CloudTrailEvent {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: EventSource | string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId?: string;
  eventCategory: 'Management';
}

export const EVENT_SOURCES: Readonly<Record<string, EventSource>> = {
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
  signin: 'signin.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
};

let lastSecond = NaN;
let lastText = '';

/** CloudTrail writes times to the second: 2024-01-02T03:04:05Z. (Every event of a second shares one text.) */
export function eventTimeOf(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = `${date.toISOString().slice(0, 19)}Z`;
    lastSecond = second;
  }
  return lastText;
}

/**
 * Whether AWS marks the call read-only. IAM: Get*, List*, Simulate*, GenerateServiceLastAccessed…
 * are reads; STS calls are all read-only in CloudTrail (they change no IAM resource), and so is
 * LookupEvents.
 */
export function isReadOnly(service: string, action: string): boolean {
  if (service === 'sts' || service === 'cloudtrail') return true;
  return /^(Get|List|Simulate)/.test(action) || action === 'GenerateServiceLastAccessedDetails' || action === 'GenerateOrganizationsAccessReport';
}
