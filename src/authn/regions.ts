// Which region a credential scope may name, per service (AWS answers anything else with
// SignatureDoesNotMatch "Credential should be scoped to a valid region, not '…'."). IAM is a
// global service: every request is signed for its partition's one signing region (us-east-1,
// cn-north-1, us-gov-west-1, us-iso-east-1, …; "Signing AWS API requests" and the IAM endpoints
// page). STS and CloudTrail are regional: any region of the partition. The region lists are data,
// taken from the AWS SDKs' partitions file (@aws-sdk/core's util-endpoints partitions), one line
// a partition.

export interface Partition {
  readonly id: string;
  /** The region every request to a global service (IAM) is signed for. */
  readonly globalSigningRegion: string;
  readonly regions: ReadonlySet<string>;
}

const partition = (id: string, globalSigningRegion: string, regions: string): Partition => ({
  id,
  globalSigningRegion,
  regions: new Set(regions.split(' ')),
});

export const PARTITIONS: readonly Partition[] = [
  partition('aws', 'us-east-1', 'af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 '
    + 'ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 '
    + 'ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 '
    + 'il-central-1 me-central-1 me-south-1 me-west-1 mx-central-1 sa-east-1 sa-west-1 us-east-1 us-east-2 us-west-1 us-west-2'),
  partition('aws-cn', 'cn-north-1', 'cn-north-1 cn-northwest-1'),
  partition('aws-us-gov', 'us-gov-west-1', 'us-gov-west-1 us-gov-east-1'),
  partition('aws-iso', 'us-iso-east-1', 'us-iso-east-1 us-iso-west-1'),
  partition('aws-iso-b', 'us-isob-east-1', 'us-isob-east-1 us-isob-west-1'),
  partition('aws-iso-e', 'eu-isoe-west-1', 'eu-isoe-west-1'),
  partition('aws-iso-f', 'us-isof-south-1', 'us-isof-south-1 us-isof-east-1'),
  partition('aws-eusc', 'eusc-de-east-1', 'eusc-de-east-1'),
];

export const AWS_PARTITION: Partition = PARTITIONS[0]!;

const PARTITION_BY_REGION: ReadonlyMap<string, Partition> = new Map(PARTITIONS.flatMap((p) => [...p.regions].map((r) => [r, p] as const)));

/**
 * The partition a region belongs to. A request is addressed to the partition of the region it
 * is signed for, and an account lives in one partition (its ARNs say which).
 */
export function partitionOf(region: string): Partition | undefined {
  return PARTITION_BY_REGION.get(region);
}

/** Services whose every request is signed for the partition's global signing region. */
const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['iam']);

/** May a request to `service` be signed for `region` in this partition? */
export function isScopeRegionValid(p: Partition, service: string, region: string): boolean {
  return GLOBAL_SERVICES.has(service) ? region === p.globalSigningRegion : p.regions.has(region);
}
