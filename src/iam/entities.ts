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
//   oidcProvider     id = ARN                  name = URL without https:// (host and path)
//   samlProvider     id = ARN                  name = provider name
//   serverCertificate  id = ServerCertificateId (ASCA…)  name = serverCertificateName
//   signingCertificate id = CertificateId                no name
//   sshPublicKey       id = SSHPublicKeyId (APKA…)       no name
//   serviceSpecificCredential  id = ServiceSpecificCredentialId (ACCA…)  no name
//   delegationRequest  id = DelegationRequestId (dr-…)    no name   (kept under the requestor's
//                                                                   account; delegation-requests.ts)
// Names are unique per (account, kind), case-insensitively, as AWS requires.

export interface Tag {
  Key: string;
  Value: string;
}

/** An inline policy name → its document text. */
export type InlinePolicies = Record<string, string>;

export interface Account {
  accountId: string;
  /** The AWS partition the account lives in (aws, aws-cn, aws-us-gov, …); absent: aws. */
  partition?: string;
  alias?: string;
  createDate: string;
  passwordPolicy?: PasswordPolicy;
  /** SetSecurityTokenServicePreferences: the version of tokens STS's global endpoint issues (v1Token when never set). */
  globalEndpointTokenVersion?: GlobalEndpointTokenVersion;
}

export type GlobalEndpointTokenVersion = 'v1Token' | 'v2Token';

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

/** An OpenID Connect identity provider. */
export interface OidcProvider {
  arn: string;
  /** As created, with its https:// scheme (GetOpenIDConnectProvider answers it without). */
  url: string;
  /** Audiences, in the order added, without repeats. */
  clientIds: string[];
  /** Lower-case hex SHA-1 thumbprints, without repeats (at most 5; none is allowed). */
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

export type AssertionEncryptionMode = 'Allowed' | 'Required';

/** A private key that decrypts a SAML provider's encrypted assertions. */
export interface SamlPrivateKey {
  keyId: string;
  /** When it was added. */
  timestamp: string;
  /** The PEM text, encrypted with the data key (DESIGN rule 6); never answered. */
  privateKeyEncrypted: string;
}

/** A SAML 2.0 identity provider. */
export interface SamlProvider {
  arn: string;
  name: string;
  /** SAMLProviderUUID. */
  uuid: string;
  /** The metadata document as the caller sent it. */
  metadataDocument: string;
  createDate: string;
  validUntil: string;
  assertionEncryptionMode?: AssertionEncryptionMode;
  /** At most 2, oldest first. */
  privateKeys: SamlPrivateKey[];
  tags: Tag[];
}

/** A server certificate (X.509) with its private key. */
export interface ServerCertificate {
  serverCertificateName: string;
  serverCertificateId: string;
  path: string;
  arn: string;
  uploadDate: string;
  /** The certificate's notAfter. */
  expiration: string;
  /** PEM, as uploaded. */
  certificateBody: string;
  certificateChain?: string;
  /** The private key's PEM text, encrypted with the data key; write-only. */
  privateKeyEncrypted: string;
  tags: Tag[];
}

/** An X.509 signing certificate of a user (or of the root user: 'root'). */
export interface SigningCertificate {
  certificateId: string;
  /** The owning user's id, or 'root'. */
  userId: string;
  /** PEM, as uploaded. */
  certificateBody: string;
  status: AccessKeyStatus;
  uploadDate: string;
  /** SHA-256 of the certificate's DER, hex: what makes two uploads the same certificate. */
  fingerprint: string;
}

/** An SSH public key of a user (an RSA key, kept in OpenSSH's wire form). */
export interface SshPublicKey {
  sshPublicKeyId: string;
  userId: string;
  /** The key's OpenSSH blob, base64 (what `ssh-rsa <blob>` carries). */
  blob: string;
  /** MD5 of the blob, colon-separated hex, as AWS and ssh-keygen -E md5 show it. */
  fingerprint: string;
  status: AccessKeyStatus;
  uploadDate: string;
}

/** A user's generated user name and password for one service (CodeCommit's Git credentials, Keyspaces). */
export interface ServiceSpecificCredential {
  serviceSpecificCredentialId: string;
  userId: string;
  /** codecommit.amazonaws.com, cassandra.amazonaws.com. */
  serviceName: string;
  /** `<user name>-at-<account id>`, fixed when the credential is made. */
  serviceUserName: string;
  /** The password, sealed with the data key (DESIGN rule 6): answered only by Create and Reset. */
  passwordEncrypted: string;
  status: AccessKeyStatus;
  createDate: string;
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
  oidcProvider: OidcProvider;
  samlProvider: SamlProvider;
  serverCertificate: ServerCertificate;
  signingCertificate: SigningCertificate;
  sshPublicKey: SshPublicKey;
  serviceSpecificCredential: ServiceSpecificCredential;
}

export type KnownKind = keyof EntityDataByKind;

export type DataOf<K extends string> = K extends KnownKind ? EntityDataByKind[K] : unknown;
