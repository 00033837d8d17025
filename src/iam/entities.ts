// The `data` of each kind of entity the IAM domain keeps, close to the IAM API's own shapes and
// member names (camelCased). Dates are ISO 8601 strings; policy documents are kept as the text
// the caller sent (AWS returns it as given, URL-encoded on the wire).
//
// How each kind maps onto a store record (kind, id, name):
//   account          id = accountId            no name
//   user             id = userId (AIDA…)       name = userName
//   group            id = groupId (AGPA…)      name = groupName
//   role             id = roleId (AROA…)       name = roleName
//   policy           id = policyId (ANPA…)     name = policyName   (customer managed only; AWS
//                                                                   managed ones come from
//                                                                   managed-policies.ts)
//   instanceProfile  id = instanceProfileId    name = instanceProfileName
//   accessKey        id = accessKeyId          no name
//   mfaDevice        id = serialNumber (ARN)   name = virtual MFA device name
//   loginProfile     id = userId               no name
//   serviceSetting   id = domain-chosen        no name
// Names are unique per (account, kind), case-insensitively, as AWS requires.

export interface Tag {
  Key: string;
  Value: string;
}

/** An inline policy name → its document text. */
export type InlinePolicies = Record<string, string>;

export interface Account {
  accountId: string;
  alias?: string;
  createDate: string;
  passwordPolicy?: PasswordPolicy;
}

export interface PasswordPolicy {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

export interface User {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  tags: Tag[];
  permissionsBoundaryArn?: string;
  attachedPolicyArns: string[];
  inlinePolicies: InlinePolicies;
  /** Membership is kept on the user (ids of the groups), in the order added. */
  groupIds: string[];
  passwordLastUsed?: string;
}

export interface Group {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: string;
  attachedPolicyArns: string[];
  inlinePolicies: InlinePolicies;
}

export interface RoleLastUsed {
  lastUsedDate: string;
  region: string;
}

export interface Role {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  roleLastUsed?: RoleLastUsed;
  permissionsBoundaryArn?: string;
  attachedPolicyArns: string[];
  inlinePolicies: InlinePolicies;
  tags: Tag[];
}

export interface PolicyVersion {
  /** "v1", "v2", … */
  versionId: string;
  document: string;
  createDate: string;
}

/** A customer managed policy. Its attachment count is derived from the attachments. */
export interface ManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  /** At most 5, oldest first. */
  versions: PolicyVersion[];
  /** The number the next version gets (versions are never renumbered). */
  nextVersionNumber: number;
  tags: Tag[];
  createDate: string;
  updateDate: string;
}

export interface InstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  path: string;
  arn: string;
  createDate: string;
  roleIds: string[];
  tags: Tag[];
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyLastUsed {
  date: string;
  serviceName: string;
  region: string;
}

export interface AccessKey {
  accessKeyId: string;
  /** The owning user's id, or 'root' for the account's root user. */
  userId: string;
  status: AccessKeyStatus;
  createDate: string;
  /** The secret access key, encrypted with the data key (DESIGN rule 6). */
  secretEncrypted: string;
  lastUsed?: AccessKeyLastUsed;
}

export interface MfaDevice {
  /** The device's ARN, arn:aws:iam::123456789012:mfa/path/name. */
  serialNumber: string;
  path: string;
  name: string;
  createDate: string;
  /** The TOTP seed, encrypted with the data key. */
  seedEncrypted: string;
  /** Set when enabled for a user (or 'root'). */
  userId?: string;
  enableDate?: string;
  tags: Tag[];
}

export interface LoginProfile {
  userId: string;
  /** Self-describing hash string (algorithm, parameters, salt, hash). */
  passwordHash: string;
  createDate: string;
  passwordResetRequired: boolean;
  /** Recent hashes, for the password policy's reuse prevention. */
  previousPasswordHashes?: string[];
}

/** The data of each known kind; kinds not listed here have `unknown` data. */
export interface EntityDataByKind {
  account: Account;
  user: User;
  group: Group;
  role: Role;
  policy: ManagedPolicy;
  instanceProfile: InstanceProfile;
  accessKey: AccessKey;
  mfaDevice: MfaDevice;
  loginProfile: LoginProfile;
}

export type KnownKind = keyof EntityDataByKind;

export type DataOf<K extends string> = K extends KnownKind ? EntityDataByKind[K] : unknown;
