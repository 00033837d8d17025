import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITIONS, partitionOf } from '../../src/authn/regions.ts';
import { PARTITION_IDS } from '../../src/model/arn.ts';

test('the partitions with regions are the partitions ARNs may name', () => {
  assert.deepEqual(PARTITIONS.map((p) => p.id).sort(), [...PARTITION_IDS].sort());
});

test('each region belongs to one partition, and IAM signs for one of its own regions', () => {
  const expected: Record<string, string> = {
    'us-east-1': 'aws', 'cn-north-1': 'aws-cn', 'cn-northwest-1': 'aws-cn', 'us-gov-west-1': 'aws-us-gov', 'us-iso-east-1': 'aws-iso',
    'us-isob-east-1': 'aws-iso-b', 'eu-isoe-west-1': 'aws-iso-e', 'us-isof-south-1': 'aws-iso-f', 'eusc-de-east-1': 'aws-eusc',
  };
  for (const [region, id] of Object.entries(expected)) assert.equal(partitionOf(region)?.id, id, region);
  assert.equal(partitionOf('zz-nowhere-9'), undefined);
  for (const p of PARTITIONS) assert.ok(p.regions.has(p.globalSigningRegion), p.id);
  assert.deepEqual(PARTITIONS.map((p) => p.globalSigningRegion),
    ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']);
});
