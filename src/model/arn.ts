// Amazon Resource Names: build the ones IAM and STS hand out, and parse any ARN.
// Form: arn:partition:service:region:account-id:resource (the resource may itself contain ':').
// IAM ARNs include the entity's path (arn:aws:iam::123456789012:user/division_abc/Bob); STS
// assumed-role ARNs do not include the role's path.

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export const DEFAULT_PARTITION = 'aws';

/** AWS's partitions (their regions are in authn/regions.ts). An account lives in one of them. */
export const PARTITION_IDS: ReadonlySet<string> = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

/** The account that owns AWS managed policies: arn:aws:iam::aws:policy/… */
export const AWS_ACCOUNT = 'aws';

const PARTITION_RE = /^aws(-[a-z]+)*$/;
const SERVICE_RE = /^[a-z0-9][a-z0-9-]*$/;

/** Splits an ARN into its parts, or undefined when it does not have the ARN form. */
export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let start = 4;
  for (let i = 0; i < 4; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  const [partition, service, region, account] = parts as [string, string, string, string];
  const resource = text.slice(start);
  if (partition === '' || service === '' || resource === '') return undefined;
  return { partition, service, region, account, resource };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

/**
 * True for a well-formed ARN as IAM's API accepts one (arnType: 20–2048 characters), with a
 * known partition shape and a lower-case service name.
 */
export function isValidArn(text: string): boolean {
  if (text.length < 20 || text.length > 2048) return false;
  const arn = parseArn(text);
  return arn !== undefined && PARTITION_RE.test(arn.partition) && SERVICE_RE.test(arn.service);
}

/** The resource types IAM names with a path and a name. */
export type IamResourceType =
  | 'user'
  | 'group'
  | 'role'
  | 'policy'
  | 'instance-profile'
  | 'mfa'
  | 'server-certificate';

/** Text between the resource type and the name: "/" → "", "/a/b/" → "a/b/". */
function pathPart(path: string): string {
  return path.length <= 1 ? '' : path.slice(1);
}

function iam(account: string, resource: string, partition: string): string {
  return `arn:${partition}:iam::${account}:${resource}`;
}

/** ARNs of IAM entities. `path` is the IAM path ("/" or "/a/b/"). */
export const iamArn = {
  root: (account: string, partition: string) => iam(account, 'root', partition),
  user: (account: string, path: string, name: string, partition: string) =>
    iam(account, `user/${pathPart(path)}${name}`, partition),
  group: (account: string, path: string, name: string, partition: string) =>
    iam(account, `group/${pathPart(path)}${name}`, partition),
  role: (account: string, path: string, name: string, partition: string) =>
    iam(account, `role/${pathPart(path)}${name}`, partition),
  /** Customer managed policies; AWS managed ones use account `AWS_ACCOUNT`. */
  policy: (account: string, path: string, name: string, partition: string) =>
    iam(account, `policy/${pathPart(path)}${name}`, partition),
  instanceProfile: (account: string, path: string, name: string, partition: string) =>
    iam(account, `instance-profile/${pathPart(path)}${name}`, partition),
  /** A virtual MFA device's serial number is its ARN. */
  mfa: (account: string, path: string, name: string, partition: string) =>
    iam(account, `mfa/${pathPart(path)}${name}`, partition),
  serverCertificate: (account: string, path: string, name: string, partition: string) =>
    iam(account, `server-certificate/${pathPart(path)}${name}`, partition),
  /** The provider's URL without its scheme: arn:aws:iam::123:oidc-provider/server.example.com */
  oidcProvider: (account: string, url: string, partition: string) =>
    iam(account, `oidc-provider/${url.replace(/^https:\/\//, '')}`, partition),
  samlProvider: (account: string, name: string, partition: string) =>
    iam(account, `saml-provider/${name}`, partition),
} as const;

/** ARNs of STS principals. */
export const stsArn = {
  assumedRole: (account: string, roleName: string, sessionName: string, partition: string) =>
    `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
  federatedUser: (account: string, name: string, partition: string) =>
    `arn:${partition}:sts::${account}:federated-user/${name}`,
} as const;

export interface IamResource {
  type: IamResourceType;
  /** "/" or "/a/b/" */
  path: string;
  name: string;
}

const IAM_RESOURCE_TYPES: ReadonlySet<string> = new Set<IamResourceType>([
  'user',
  'group',
  'role',
  'policy',
  'instance-profile',
  'mfa',
  'server-certificate',
]);

/**
 * The type, path and name of an IAM entity ARN (arn:aws:iam::123:user/a/b/Bob → user, /a/b/, Bob),
 * or undefined for anything else (root, providers, other services, malformed).
 */
export function parseIamArn(text: string): (IamResource & { account: string; partition: string }) | undefined {
  const arn = parseArn(text);
  if (arn === undefined || arn.service !== 'iam' || arn.region !== '') return undefined;
  const slash = arn.resource.indexOf('/');
  if (slash < 0) return undefined;
  const type = arn.resource.slice(0, slash);
  if (!IAM_RESOURCE_TYPES.has(type)) return undefined;
  const rest = arn.resource.slice(slash + 1);
  const last = rest.lastIndexOf('/');
  const name = rest.slice(last + 1);
  if (name === '') return undefined;
  const path = last < 0 ? '/' : `/${rest.slice(0, last + 1)}`;
  return { type: type as IamResourceType, path, name, account: arn.account, partition: arn.partition };
}

/** The role and session of an assumed-role ARN, or undefined. */
export function parseAssumedRoleArn(
  text: string,
): { account: string; partition: string; roleName: string; sessionName: string } | undefined {
  const arn = parseArn(text);
  if (arn === undefined || arn.service !== 'sts') return undefined;
  const m = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(arn.resource);
  if (m === null) return undefined;
  return { account: arn.account, partition: arn.partition, roleName: m[1]!, sessionName: m[2]! };
}
