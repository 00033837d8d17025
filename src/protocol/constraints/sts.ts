// STS (2011-06-15) input constraints, per the "Request Parameters" sections of the AWS STS API reference.
import type { Constraint, ConstraintTable } from './types.ts';

const DOCUMENT_CHARS = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
// STS prints its ARN pattern with Java's \u10000 notation; JavaScript needs \u{10000}.
const arn: Constraint = {
  min: 20,
  max: 2048,
  pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
  jsPattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]+',
};
const tagKey: Constraint = { min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
const tagValue: Constraint = { min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };
const sessionPolicy: Constraint = { min: 1, max: 2048, pattern: DOCUMENT_CHARS };
const none: Constraint = {};
const roleDuration: Constraint = { min: 900, max: 43200 };
const sessionDuration: Constraint = { min: 900, max: 129600 };

export const STS_CONSTRAINTS: ConstraintTable = {
  members: {
    AccessKeyId: { min: 16, max: 128, pattern: '[\\w]*' },
    DurationSeconds: roleDuration,
    EncodedMessage: { min: 1, max: 10240 },
    ExternalId: { min: 2, max: 1224, pattern: '[\\w+=,.@:\\/-]*' },
    Name: { min: 2, max: 32, pattern: '[\\w+=,.@-]*' },
    Policy: sessionPolicy,
    PolicyArns: { member: { members: { arn } } },
    PrincipalArn: arn,
    ProvidedContexts: { max: 5, member: { members: { ProviderArn: arn, ContextAssertion: { min: 4, max: 2048 } } } },
    ProviderId: { min: 4, max: 2048 },
    RoleArn: arn,
    RoleSessionName: { min: 2, max: 64, pattern: '[\\w+=,.@-]*' },
    SAMLAssertion: { min: 4, max: 100000 },
    SerialNumber: { min: 9, max: 256, pattern: '[\\w+=/:,.@-]*' },
    SourceIdentity: { min: 2, max: 64, pattern: '[\\w+=,.@-]*' },
    Tags: { max: 50, member: { members: { Key: tagKey, Value: tagValue } } },
    TokenCode: { min: 6, max: 6, pattern: '[\\d]*' },
    TransitiveTagKeys: { max: 50, member: tagKey },
    WebIdentityToken: { min: 4, max: 20000 },
    // An exchange token of a delegation request; Gatehouse's are far shorter.
    TradeInToken: { min: 1, max: 2048 },
    // Added by the current model; accepted, not acted on (Gatehouse's tokens are small).
    MinimumSessionTokenSize: none,

    // Members of operations Gatehouse does not serve yet (AssumeRoot,
    // GetWebIdentityToken): they answer NotImplemented before their input is validated.
    Audience: none,
    SigningAlgorithm: none,
    TargetPrincipal: none,
    TaskPolicyArn: none,
  },
  overrides: {
    // AssumeRole's inline session policy is limited by its packed size, not by a length.
    'AssumeRole.Policy': { min: 1, pattern: DOCUMENT_CHARS },
    'GetFederationToken.DurationSeconds': sessionDuration,
    'GetSessionToken.DurationSeconds': sessionDuration,
  },
};
