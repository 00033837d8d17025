// Shared by the role, instance profile, policy, attachment, inline policy and boundary tests:
// documents and an assertion on AWS's error code and message.
import assert from 'node:assert/strict';

export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export function allow(action: string, resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
}

/** A valid identity policy of exactly `size` characters not counting white space (size ≥ 90). */
export function policyOfSize(size: number): string {
  const base = allow('s3:GetObject', 'arn:aws:s3:::b/');
  const pad = size - base.length;
  assert.ok(pad >= 0, `size ${size} too small`);
  return allow('s3:GetObject', `arn:aws:s3:::b/${'x'.repeat(pad)}`);
}

export { rejects } from '../../support/assertions.ts';
