// Building records: one for an API call (AwsApiCall) from what the request scope learnt and how
// the call ended, one for a console sign-in attempt (AwsConsoleSignIn, eventName ConsoleLogin).
import { accountIdFromAccessKeyId } from '../model/ids.ts';
import { requestParametersOf, responseElementsOf } from './elements.ts';
import { EVENT_SOURCES, EVENT_VERSION, eventTimeOf, isReadOnly, type CloudTrailEvent, type UserIdentity } from './event.ts';
import { unknownIdentity, userIdentityOf } from './identity.ts';
import type { AuditScope } from './scope.ts';

export type CallOutcome = { output: unknown } | { error: { code: string; message: string } };

export function apiCallEvent(scope: AuditScope, outcome: CallOutcome, now: Date, eventId: string): CloudTrailEvent {
  const service = scope.service ?? 'iam';
  const eventName = scope.action ?? 'Unknown';
  const readOnly = isReadOnly(service, eventName);
  const identity: UserIdentity =
    scope.caller !== undefined
      ? userIdentityOf(scope.caller)
      : unknownIdentity(scope.claimedAccessKeyId, scope.claimedAccessKeyId !== undefined ? accountIdFromAccessKeyId(scope.claimedAccessKeyId) : undefined);
  const failed = 'error' in outcome;
  const event: CloudTrailEvent = {
    eventVersion: EVENT_VERSION,
    userIdentity: identity,
    eventTime: eventTimeOf(now),
    eventSource: EVENT_SOURCES[service] ?? `${service}.amazonaws.com`,
    eventName,
    awsRegion: scope.region,
    sourceIPAddress: scope.sourceIp,
    userAgent: scope.userAgent,
    requestParameters: requestParametersOf(scope.operation, scope.input),
    responseElements: failed ? null : responseElementsOf(scope.operation, outcome.output, readOnly),
    requestID: scope.requestId,
    eventID: eventId,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: scope.caller?.accountId ?? identity.accountId,
    eventCategory: 'Management',
  };
  if (failed) {
    // AWS puts the error after userAgent, before the parameters.
    return reorderError(event, outcome.error.code, outcome.error.message);
  }
  return event;
}

function reorderError(event: CloudTrailEvent, code: string, message: string): CloudTrailEvent {
  const { requestParameters, responseElements, requestID, eventID, readOnly, eventType, managementEvent, recipientAccountId, eventCategory, ...head } = event;
  return {
    ...head,
    errorCode: code,
    errorMessage: message,
    requestParameters,
    responseElements,
    requestID,
    eventID,
    readOnly,
    eventType,
    managementEvent,
    recipientAccountId,
    eventCategory,
  };
}

export interface SigninAttempt {
  identity: UserIdentity;
  recipientAccountId?: string;
  success: boolean;
  mfaUsed: boolean;
  /** For failures: AWS writes "Failed authentication" for a wrong name or password. */
  errorMessage?: string;
}

export function consoleLoginEvent(scope: AuditScope, attempt: SigninAttempt, now: Date, eventId: string): CloudTrailEvent {
  const event: CloudTrailEvent = {
    eventVersion: EVENT_VERSION,
    userIdentity: attempt.identity,
    eventTime: eventTimeOf(now),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: scope.region,
    sourceIPAddress: scope.sourceIp,
    userAgent: scope.userAgent,
    requestParameters: null,
    responseElements: { ConsoleLogin: attempt.success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'gatehouse', MobileVersion: 'No', MFAUsed: attempt.mfaUsed ? 'Yes' : 'No' },
    requestID: scope.requestId,
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: attempt.recipientAccountId,
    eventCategory: 'Management',
  };
  if (!attempt.success) {
    const { requestParameters, ...rest } = event;
    // AWS's failed sign-ins carry an errorMessage (no errorCode) before the parameters.
    const { responseElements, additionalEventData, requestID, eventID, readOnly, eventType, managementEvent, recipientAccountId, eventCategory, ...head } = rest;
    return {
      ...head,
      errorMessage: attempt.errorMessage ?? 'Failed authentication',
      requestParameters,
      responseElements,
      additionalEventData,
      requestID,
      eventID,
      readOnly,
      eventType,
      managementEvent,
      recipientAccountId,
      eventCategory,
    };
  }
  return event;
}
