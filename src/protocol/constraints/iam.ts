// IAM (2010-05-08) input constraints, per the "Request Parameters" sections of the AWS IAM API
// reference. Every input member name of the model has an entry (an empty one where AWS documents
// no constraint), which test/protocol/constraints.test.ts checks.
import type { Constraint, ConstraintTable } from './types.ts';

const NAME = '[\\w+=,.@-]+';
const DOCUMENT_CHARS = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
const WORD = '[\\w]+';
const DELEGATION_TEXT = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*';

const userName: Constraint = { min: 1, max: 64, pattern: NAME };
const existingUserName: Constraint = { min: 1, max: 128, pattern: NAME };
const groupName: Constraint = { min: 1, max: 128, pattern: NAME };
const roleName: Constraint = { min: 1, max: 64, pattern: NAME };
const policyName: Constraint = { min: 1, max: 128, pattern: NAME };
const instanceProfileName: Constraint = { min: 1, max: 128, pattern: NAME };
const serverCertificateName: Constraint = { min: 1, max: 128, pattern: NAME };
const path: Constraint = { min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)' };
const pathPrefix: Constraint = { min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' };
const policyPath: Constraint = { min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' };
const arn: Constraint = { min: 20, max: 2048 };
const policyDocument: Constraint = { min: 1, max: 131072, pattern: DOCUMENT_CHARS };
const password: Constraint = { min: 1, max: 128, pattern: DOCUMENT_CHARS };
const roleDescription: Constraint = { max: 1000, pattern: '[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*' };
const policyDescription: Constraint = { max: 1000 };
const tagKey: Constraint = { min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
const tagValue: Constraint = { min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };
const serviceNamespace: Constraint = { min: 1, max: 64, pattern: '[\\w-]*' };
const authenticationCode: Constraint = { min: 6, max: 6, pattern: '[\\d]+' };
const resourceName: Constraint = { min: 1, max: 2048 };
const entityType: Constraint = { enum: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] };
const none: Constraint = {};

export const IAM_CONSTRAINTS: ConstraintTable = {
  members: {
    AWSServiceName: groupName,
    AccessKeyId: { min: 16, max: 128, pattern: WORD },
    AccountAlias: { min: 3, max: 63, pattern: '^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$' },
    ActionNames: { member: { min: 3, max: 128 } },
    AllowUsersToChangePassword: none,
    Arn: arn,
    AssignmentStatus: { enum: ['Assigned', 'Unassigned', 'Any'] },
    AssumeRolePolicyDocument: policyDocument,
    AuthenticationCode1: authenticationCode,
    AuthenticationCode2: authenticationCode,
    CallerArn: resourceName,
    CertificateBody: { min: 1, max: 16384, pattern: DOCUMENT_CHARS },
    CertificateChain: { min: 1, max: 2097152, pattern: DOCUMENT_CHARS },
    CertificateId: { min: 24, max: 128, pattern: WORD },
    ClientID: { min: 1, max: 255 },
    ClientIDList: { member: { min: 1, max: 255 } },
    ContextEntries: {
      member: {
        members: {
          ContextKeyName: { min: 5, max: 256 },
          ContextKeyType: {
            enum: ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList',
              'binary', 'binaryList', 'date', 'dateList'],
          },
        },
      },
    },
    CustomSuffix: { min: 1, max: 64, pattern: NAME },
    DeletionTaskId: { min: 1, max: 1000 },
    Description: roleDescription,
    Encoding: { enum: ['SSH', 'PEM'] },
    EntityFilter: entityType,
    EntityPath: { min: 19, max: 427, pattern: '^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*' },
    Filter: { member: entityType },
    GlobalEndpointTokenVersion: { enum: ['v1Token', 'v2Token'] },
    Granularity: { enum: ['SERVICE_LEVEL', 'ACTION_LEVEL'] },
    GroupName: groupName,
    HardExpiry: none,
    InstanceProfileName: instanceProfileName,
    JobId: { min: 36, max: 36 },
    Marker: { min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' },
    MaxItems: { min: 1, max: 1000 },
    MaxPasswordAge: { min: 1, max: 1095 },
    MaxSessionDuration: { min: 3600, max: 43200 },
    MinimumPasswordLength: { min: 6, max: 128 },
    Name: { min: 1, max: 128, pattern: '[\\w._-]+' },
    NewGroupName: groupName,
    NewPassword: password,
    NewPath: path,
    NewServerCertificateName: serverCertificateName,
    NewUserName: userName,
    OldPassword: password,
    OnlyAttached: none,
    OpenIDConnectProviderArn: arn,
    OrganizationsPolicyId: { pattern: '^p-[0-9a-zA-Z_]{8,128}$' },
    Password: password,
    PasswordResetRequired: none,
    PasswordReusePrevention: { min: 1, max: 24 },
    Path: path,
    PathPrefix: pathPrefix,
    PermissionsBoundary: arn,
    PermissionsBoundaryPolicyInputList: { member: policyDocument },
    PolicyArn: arn,
    PolicyDocument: policyDocument,
    PolicyInputList: { member: policyDocument },
    PolicyName: policyName,
    PolicySourceArn: arn,
    PolicyUsageFilter: { enum: ['PermissionsPolicy', 'PermissionsBoundary'] },
    PrivateKey: { min: 1, max: 16384, pattern: DOCUMENT_CHARS },
    RequireLowercaseCharacters: none,
    RequireNumbers: none,
    RequireSymbols: none,
    RequireUppercaseCharacters: none,
    ResourceArns: { member: resourceName },
    ResourceHandlingOption: { min: 1, max: 64 },
    ResourceOwner: resourceName,
    ResourcePolicy: policyDocument,
    RoleName: roleName,
    SAMLMetadataDocument: { min: 1000, max: 10000000 },
    SAMLProviderArn: arn,
    SSHPublicKeyBody: { min: 1, max: 16384, pattern: DOCUMENT_CHARS },
    SSHPublicKeyId: { min: 20, max: 128, pattern: WORD },
    Scope: { enum: ['All', 'AWS', 'Local'] },
    SerialNumber: { min: 9, max: 256, pattern: '[\\w+=/:,.@-]+' },
    ServerCertificateName: serverCertificateName,
    ServiceName: none,
    ServiceNamespace: serviceNamespace,
    ServiceNamespaces: { min: 1, max: 200, member: serviceNamespace },
    ServiceSpecificCredentialId: { min: 20, max: 128, pattern: WORD },
    SetAsDefault: none,
    SortKey: {
      enum: ['SERVICE_NAMESPACE_ASCENDING', 'SERVICE_NAMESPACE_DESCENDING', 'LAST_AUTHENTICATED_TIME_ASCENDING',
        'LAST_AUTHENTICATED_TIME_DESCENDING'],
    },
    Status: { enum: ['Active', 'Inactive'] },
    TagKeys: { max: 50, member: tagKey },
    Tags: { max: 50, member: { members: { Key: tagKey, Value: tagValue } } },
    ThumbprintList: { member: { min: 40, max: 40 } },
    Url: { min: 1, max: 255 },
    UserName: userName,
    VersionId: { pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
    VirtualMFADeviceName: { min: 1, pattern: NAME },

    // Members the current model added to operations Gatehouse serves.
    AddPrivateKey: { min: 1, max: 16384, pattern: DOCUMENT_CHARS },
    AllUsers: none,
    AssertionEncryptionMode: { enum: ['Required', 'Allowed'] },
    CredentialAgeDays: { min: 1, max: 36600 },
    OrderedOrganizationPolicyInputList: none,
    PolicyExclusionList: none,
    RemovePrivateKey: { min: 22, max: 64, pattern: '[A-Z0-9]+' },

    // Delegation requests (API_CreateDelegationRequest, API_DelegationPermission, API_PolicyParameter…).
    DelegationPermissionCheck: none,
    DelegationRequestId: { min: 16, max: 128, pattern: '[\\w-]+' },
    NotificationChannel: { min: 2, max: 400, pattern: '^[a-zA-Z0-9:_.-]+$' },
    Notes: { max: 500, pattern: DELEGATION_TEXT },
    OnlySendByOwner: none,
    OwnerAccountId: { pattern: '\\d{12}' },
    OwnerId: arn,
    Permissions: {
      members: {
        PolicyTemplateArn: arn,
        Parameters: {
          max: 50,
          member: {
            members: {
              Name: { min: 5, max: 256, pattern: '[ -~]+' },
              Values: { member: { pattern: '[ -~]+' } },
              Type: { enum: ['string', 'stringList'] },
            },
          },
        },
      },
    },
    // AWS's reference pages found give no bounds for these four; Gatehouse's own, so input stays bounded.
    RedirectUrl: { min: 1, max: 2048 },
    RequestMessage: { max: 1000, pattern: DELEGATION_TEXT },
    RequestorWorkflowId: { min: 1, max: 256 },
    SessionDuration: { min: 900, max: 43200 },

    // Members of operations Gatehouse does not serve yet: they answer NotImplemented before their
    // input is validated. Their constraints come with the operations.
    EntityArn: none,
    Locale: none,
    MinorVersion: none,
    Properties: none,
    ReplacementValues: none,
    TemplateArn: none,
    TemplateMinorVersion: none,
  },
  overrides: {
    // Operations on an existing user accept the longer legacy name length.
    ...Object.fromEntries([
      'AddUserToGroup', 'CreateAccessKey', 'DeactivateMFADevice', 'DeleteAccessKey', 'DeleteSigningCertificate',
      'DeleteUser', 'DeleteUserPolicy', 'EnableMFADevice', 'GetUser', 'GetUserPolicy', 'ListAccessKeys',
      'ListGroupsForUser', 'ListMFADevices', 'ListSigningCertificates', 'ListUserPolicies', 'ListUserTags',
      'PutUserPolicy', 'RemoveUserFromGroup', 'ResyncMFADevice', 'TagUser', 'UntagUser', 'UpdateAccessKey',
      'UpdateSigningCertificate', 'UpdateUser', 'UploadSigningCertificate',
    ].map((op) => [`${op}.UserName`, existingUserName])),
    'CreatePolicy.Path': policyPath,
    'CreatePolicy.Description': policyDescription,
    'CreateDelegationRequest.Description': { max: 1000, pattern: DELEGATION_TEXT },
    'ListAttachedGroupPolicies.PathPrefix': policyPath,
    'ListAttachedRolePolicies.PathPrefix': policyPath,
    'ListAttachedUserPolicies.PathPrefix': policyPath,
    'ListPolicies.PathPrefix': policyPath,
    'ListEntitiesForPolicy.PathPrefix': path,
  },
};
