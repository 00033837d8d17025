// Wildcards in actions and resources (reference_policies_elements_action, _resource).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileActionPattern, compileResourcePattern, matchResolvedResource } from '../../src/policy/wildcard.ts';

const actionCases: [string, string, boolean, string][] = [
  ['*', 's3:getobject', true, 'a lone * matches every action'],
  ['s3:*', 's3:getobject', true, 'service:* matches every action of the service'],
  ['s3:*', 's3x:getobject', false, 'the service prefix must match exactly'],
  ['s3:Get*', 's3:getobjectacl', true, 'action patterns are case-insensitive'],
  ['s3:Get?bject', 's3:getobject', true, '? matches one character'],
  ['s3:Get?bject', 's3:getobbject', false, '? matches exactly one character'],
  ['iam:*User*', 'iam:listusertags', true, 'several * in one pattern'],
  ['ec2:Describe*', 'ec2:runinstances', false, 'a prefix pattern does not match other actions'],
];

const resourceCases: [string, string, boolean, string][] = [
  ['*', 'arn:aws:s3:::b/k', true, 'a lone * matches every resource'],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c.jpg', true, '* in the resource id crosses slashes'],
  ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket/1/2/test/3/x.jpg', true, 'AWS example: bucket/*/test/*'],
  ['arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/k', false, 'resource matching is case-sensitive'],
  ['arn:aws:iam::*:user/alice', 'arn:aws:iam::111122223333:user/alice', true, '* standing for a whole segment'],
  ['arn:aws:iam::1*3:user/alice', 'arn:aws:iam::111122223333:user/alice', true, '* inside a segment'],
  ['arn:aws:iam::1*:user/alice', 'arn:aws:iam::1:2:user/alice', true, 'a * ending a segment may run past the colon'],
  ['arn:aws:ec2:us-*-1:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', true, 'wildcards in region and account'],
  ['arn:aws:ec2:u*t-1:*:instance/*', 'arn:aws:ec2:us:east-1:1:instance/i', false, 'a * inside a segment stays within it'],
  ['arn:aws:ec2:us-east-?:*:*', 'arn:aws:ec2:us-east-1:1:instance/i', true, '? in a segment'],
  ['arn:aws:ec2:us-east-?:*:*', 'arn:aws:ec2:us-east-:1:instance/i', false, '? in a segment matches exactly one character, not a colon'],
  ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/alice', true, 'an exact ARN'],
  ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/alice2', false, 'an exact ARN is not a prefix'],
  ['arn:aws:s3:::a.b/c', 'arn:aws:s3:::aXb/c', false, 'regex characters are literal'],
];

describe('action patterns', () => {
  for (const [pattern, action, expected, name] of actionCases) {
    test(name, () => assert.equal(compileActionPattern(pattern)(action), expected));
  }
});

describe('resource patterns', () => {
  for (const [pattern, resource, expected, name] of resourceCases) {
    test(name, () => assert.equal(compileResourcePattern(pattern)(resource), expected));
  }
  test('wildcard characters that come from a variable value are literal', () => {
    const pieces = [
      { text: 'arn:aws:s3:::bucket/', literal: false },
      { text: 'a*', literal: true },
      { text: '/*', literal: false },
    ];
    assert.equal(matchResolvedResource(pieces, 'arn:aws:s3:::bucket/a*/x'), true);
    assert.equal(matchResolvedResource(pieces, 'arn:aws:s3:::bucket/abc/x'), false);
  });
});
