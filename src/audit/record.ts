// Building records: one for an API call (AwsApiCall) from what the request scope learnt and how
// the call ended, one for a console sign-in attempt (AwsConsoleSignIn, eventName ConsoleLogin).
import { accountIdFromAccessKeyId } from '../model/ids.ts';
import { requestParametersOf, responseElementsOf } from './elements.ts';
import { EVENT_SOURCES, EVENT_VERSION, eventTimeOf, isReadOnly, type CloudTrailEvent, type UserIdentity } from './event.ts';
import { identityJsonOf, unknownIdentity } from './identity.ts';
import type { AuditScope } from './scope.ts';

export type CallOutcome = { output: unknown } | { error: { code: string; message: string } };

/**
 * An API call's record as JSON text, written field by field in AWS's order (a field whose value
 * is undefined is left out, as JSON.stringify leaves it out). Most records are of reads, queued
 * for the writer thread as text: building the text directly, with the caller's identity element
 * serialized once per caller, costs the request thread a fraction of building an object and
 * serializing it.
 */
export function apiCallEventJson(scope: AuditScope, outcome: CallOutcome, now: Date, eventId: string): string {
  const service = scope.service ?? 'iam';
  const eventName = scope.action ?? 'Unknown';
  const readOnly = isReadOnly(service, eventName);
  let identity: string;
  let recipientAccountId: string | undefined;
  if (scope.caller !== undefined) {
    identity = identityJsonOf(scope.caller);
    recipientAccountId = scope.caller.accountId;
  } else {
    const claimed = scope.claimedAccessKeyId;
    const unknown = unknownIdentity(claimed, claimed !== undefined ? accountIdFromAccessKeyId(claimed) : undefined);
    identity = JSON.stringify(unknown);
    recipientAccountId = unknown.accountId;
  }
  const failed = 'error' in outcome;
  let json = `{"eventVersion":"${EVENT_VERSION}","userIdentity":${identity},"eventTime":"${eventTimeOf(now)}"`
    + field('eventSource', EVENT_SOURCES[service] ?? `${service}.amazonaws.com`)
    + field('eventName', eventName)
    + field('awsRegion', scope.region)
    + field('sourceIPAddress', scope.sourceIp)
    + field('userAgent', scope.userAgent);
  // AWS puts the error after userAgent, before the parameters.
  if (failed) json += field('errorCode', outcome.error.code) + field('errorMessage', outcome.error.message);
  return json
    + field('requestParameters', requestParametersOf(scope.operation, scope.input))
    + field('responseElements', failed ? null : responseElementsOf(scope.operation, outcome.output, readOnly))
    + field('requestID', scope.requestId)
    + field('eventID', eventId)
    + `,"readOnly":${readOnly},"eventType":"AwsApiCall","managementEvent":true`
    + field('recipientAccountId', recipientAccountId)
    + ',"eventCategory":"Management"}';
}

/** `,"name":value` as JSON.stringify writes a member, or nothing for undefined. */
function field(name: string, value: unknown): string {
  return value === undefined ? '' : `,"${name}":${JSON.stringify(value)}`;
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
