import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatArn,
  iamArn,
  isValidArn,
  parseArn,
  parseAssumedRoleArn,
  parseIamArn,
  stsArn,
} from '../../src/model/arn.ts';

describe('building ARNs', () => {
  test('IAM entities include their path', () => {
    assert.equal(iamArn.user('123456789012', '/', 'Bob', 'aws'), 'arn:aws:iam::123456789012:user/Bob');
    assert.equal(
      iamArn.user('123456789012', '/division_abc/subdivision_xyz/', 'Bob', 'aws'),
      'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob',
    );
    assert.equal(iamArn.group('123456789012', '/', 'Developers', 'aws'), 'arn:aws:iam::123456789012:group/Developers');
    assert.equal(iamArn.role('123456789012', '/application/', 'S3Access', 'aws'), 'arn:aws:iam::123456789012:role/application/S3Access');
    assert.equal(iamArn.policy('123456789012', '/', 'UsersManageOwnCredentials', 'aws'), 'arn:aws:iam::123456789012:policy/UsersManageOwnCredentials');
    assert.equal(iamArn.policy('aws', '/service-role/', 'AWSLambdaRole', 'aws'), 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole');
    assert.equal(iamArn.instanceProfile('123456789012', '/', 'Webserver', 'aws'), 'arn:aws:iam::123456789012:instance-profile/Webserver');
    assert.equal(iamArn.mfa('123456789012', '/', 'JaneMFA', 'aws'), 'arn:aws:iam::123456789012:mfa/JaneMFA');
    assert.equal(iamArn.root('123456789012', 'aws'), 'arn:aws:iam::123456789012:root');
    assert.equal(iamArn.samlProvider('123456789012', 'ADFS', 'aws'), 'arn:aws:iam::123456789012:saml-provider/ADFS');
    assert.equal(
      iamArn.oidcProvider('123456789012', 'https://server.example.com', 'aws'),
      'arn:aws:iam::123456789012:oidc-provider/server.example.com',
    );
    assert.equal(iamArn.user('123456789012', '/', 'Bob', 'aws-cn'), 'arn:aws-cn:iam::123456789012:user/Bob');
  });

  test('STS principals', () => {
    assert.equal(stsArn.assumedRole('123456789012', 'Accounting-Role', 'Mary', 'aws'), 'arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary');
    assert.equal(stsArn.federatedUser('123456789012', 'Bob', 'aws'), 'arn:aws:sts::123456789012:federated-user/Bob');
  });
});

describe('parsing ARNs', () => {
  test('splits into five parts; the resource may contain colons', () => {
    assert.deepEqual(parseArn('arn:aws:s3:::my_bucket/key:with:colons'), {
      partition: 'aws',
      service: 's3',
      region: '',
      account: '',
      resource: 'my_bucket/key:with:colons',
    });
    assert.deepEqual(parseArn('arn:aws:iam::123456789012:user/Bob'), {
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '123456789012',
      resource: 'user/Bob',
    });
  });

  test('format is the inverse of parse', () => {
    for (const text of ['arn:aws:iam::123456789012:role/a/b/R', 'arn:aws:dynamodb:us-east-1:123456789012:table/T', 'arn:aws:s3:::b']) {
      assert.equal(formatArn(parseArn(text)!), text);
    }
  });

  test('rejects what is not an ARN', () => {
    for (const bad of ['', 'arn', 'arn:aws', 'arn:aws:iam::123456789012', 'arn::iam::1:user/x', 'urn:aws:iam::1:user/x', 'arn:aws:iam::1:']) {
      assert.equal(parseArn(bad), undefined, bad);
    }
  });

  test('isValidArn checks length, partition and service', () => {
    assert.equal(isValidArn('arn:aws:iam::123456789012:user/Bob'), true);
    assert.equal(isValidArn('arn:aws-us-gov:iam::123456789012:user/Bob'), true);
    assert.equal(isValidArn('arn:aws:s3:::b'), false); // shorter than 20
    assert.equal(isValidArn('arn:azure:iam::123456789012:user/Bob'), false);
    assert.equal(isValidArn('arn:aws:IAM::123456789012:user/Bob'), false);
    assert.equal(isValidArn(`arn:aws:iam::123456789012:user/${'a'.repeat(2100)}`), false);
  });

  test('parseIamArn gives type, path and name', () => {
    assert.deepEqual(parseIamArn('arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob'), {
      type: 'user',
      path: '/division_abc/subdivision_xyz/',
      name: 'Bob',
      account: '123456789012',
      partition: 'aws',
    });
    assert.deepEqual(parseIamArn('arn:aws:iam::aws:policy/AdministratorAccess'), {
      type: 'policy',
      path: '/',
      name: 'AdministratorAccess',
      account: 'aws',
      partition: 'aws',
    });
    assert.equal(parseIamArn('arn:aws:iam::123456789012:root'), undefined);
    assert.equal(parseIamArn('arn:aws:iam::123456789012:user/'), undefined);
    assert.equal(parseIamArn('arn:aws:iam::123456789012:widget/x'), undefined);
    assert.equal(parseIamArn('arn:aws:sts::123456789012:assumed-role/R/s'), undefined);
  });

  test('parseAssumedRoleArn', () => {
    assert.deepEqual(parseAssumedRoleArn('arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary'), {
      account: '123456789012',
      partition: 'aws',
      roleName: 'Accounting-Role',
      sessionName: 'Mary',
    });
    assert.equal(parseAssumedRoleArn('arn:aws:sts::123456789012:federated-user/Bob'), undefined);
    assert.equal(parseAssumedRoleArn('arn:aws:iam::123456789012:role/R'), undefined);
  });
});
