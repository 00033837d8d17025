// The one error family. Every error Gatehouse answers with carries its AWS error code, HTTP status
// and fault type; the domain throws these and protocol/ encodes them once.

export type FaultType = 'Sender' | 'Receiver';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly type: FaultType = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Anything that looks like an AWS error (AwsError, the policy library's MalformedPolicyDocumentError, ...). */
export interface AwsErrorLike {
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly type?: FaultType;
}

export function isAwsErrorLike(e: unknown): e is AwsErrorLike {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return typeof x.code === 'string' && typeof x.status === 'number' && Number.isInteger(x.status)
    && x.status >= 400 && x.status <= 599 && typeof x.message === 'string';
}

// HTTP statuses as the IAM API reference (per-operation Errors sections and CommonErrors) gives them.
const make = (code: string, status: number) => (message: string) => new AwsError(code, message, status);

// IAM
export const noSuchEntity = make('NoSuchEntity', 404);
export const entityAlreadyExists = make('EntityAlreadyExists', 409);
export const deleteConflict = make('DeleteConflict', 409);
export const limitExceeded = make('LimitExceeded', 409);
export const malformedPolicyDocument = make('MalformedPolicyDocument', 400);
export const invalidInput = make('InvalidInput', 400);
export const concurrentModification = make('ConcurrentModification', 409);
export const entityTemporarilyUnmodifiable = make('EntityTemporarilyUnmodifiable', 409);
export const unmodifiableEntity = make('UnmodifiableEntity', 400);
export const policyNotAttachable = make('PolicyNotAttachable', 400);
export const passwordPolicyViolation = make('PasswordPolicyViolation', 400);
export const invalidAuthenticationCode = make('InvalidAuthenticationCode', 403);
export const invalidUserType = make('InvalidUserType', 400);
export const serviceFailure = make('ServiceFailure', 500);
export const policyEvaluation = make('PolicyEvaluation', 500);
export const malformedCertificate = make('MalformedCertificate', 400);
export const duplicateCertificate = make('DuplicateCertificate', 409);
export const keyPairMismatch = make('KeyPairMismatch', 400);
export const invalidPublicKey = make('InvalidPublicKey', 400);
export const duplicateSshPublicKey = make('DuplicateSSHPublicKey', 400);
export const unrecognizedPublicKeyEncoding = make('UnrecognizedPublicKeyEncoding', 400);
// Credential report: the wire codes differ from the SDK exception names.
export const reportNotPresent = make('ReportNotPresent', 410);
export const reportExpired = make('ReportExpired', 410);
export const reportInProgress = make('ReportInProgress', 404);

// STS (codes as the STS model spells them on the wire)
export const packedPolicyTooLarge = make('PackedPolicyTooLarge', 400);
export const regionDisabled = make('RegionDisabledException', 403);
export const expiredTradeInToken = make('ExpiredTradeInTokenException', 400);
export const idpRejectedClaim = make('IDPRejectedClaim', 403);
export const invalidIdentityToken = make('InvalidIdentityToken', 400);
export const idpCommunicationError = make('IDPCommunicationError', 400);
export const invalidAuthorizationMessage = make('InvalidAuthorizationMessageException', 400);

// Common to all query services
export const accessDenied = make('AccessDenied', 403);
export const validationError = make('ValidationError', 400);
export const incompleteSignature = make('IncompleteSignature', 400);
export const invalidClientTokenId = make('InvalidClientTokenId', 403);
export const missingAuthenticationToken = make('MissingAuthenticationToken', 403);
export const signatureDoesNotMatch = make('SignatureDoesNotMatch', 403);
export const requestExpired = make('RequestExpired', 400);
/** A session token past its expiry, as IAM and STS answer it for a signed request. */
export const expiredToken = make('ExpiredToken', 403);
export const invalidAction = make('InvalidAction', 400);
export const missingAction = make('MissingAction', 400);
export const missingParameter = make('MissingParameter', 400);
export const invalidParameterValue = make('InvalidParameterValue', 400);
export const throttling = make('Throttling', 400);
export const internalFailure = make('InternalFailure', 500);

export const MESSAGES = {
  missingAuthenticationToken: 'Request is missing Authentication Token',
  invalidClientTokenId: 'The security token included in the request is invalid.',
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  expiredToken: 'The security token included in the request is expired',
  internalFailure: 'An internal error has occurred',
} as const;
