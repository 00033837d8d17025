// The service-linked role table: every policy it names is a real AWS managed service-role policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { awsManagedPolicy } from '../../src/iam/managed-policies.ts';
import { serviceLinkedRoleName, serviceLinkedRolePolicyArns } from '../../src/iam/service-linked-roles.ts';

const table = JSON.parse(readFileSync(new URL('../../src/iam/data/service-linked-roles.json', import.meta.url), 'utf8')) as Record<
  string,
  { roleName: string; policies: string[]; customSuffix: boolean }
>;

test('the table covers the common services, each role named AWSServiceRoleFor… with a known policy', () => {
  assert.ok(Object.keys(table).length >= 40, `${Object.keys(table).length} services`);
  for (const [service, entry] of Object.entries(table)) {
    assert.match(service, /^[a-z0-9.-]+\.amazonaws\.com$/, service);
    assert.match(entry.roleName, /^AWSServiceRoleFor[A-Za-z0-9_]+$/, service);
    assert.ok(entry.roleName.length <= 64, service);
    assert.equal(typeof entry.customSuffix, 'boolean', service);
    assert.ok(entry.policies.length > 0, service);
    for (const name of entry.policies) {
      const policy = awsManagedPolicy(`arn:aws:iam::aws:policy/aws-service-role/${name}`);
      assert.ok(policy, `${service}: ${name} is not an AWS managed service-role policy`);
    }
    assert.equal(serviceLinkedRolePolicyArns(service).length, entry.policies.length, service);
  }
});

test('names come from the table, not from a rule', () => {
  assert.equal(serviceLinkedRoleName('accountdiscovery.ssm.amazonaws.com').roleName, 'AWSServiceRoleForAmazonSSM_AccountDiscovery');
  assert.equal(
    serviceLinkedRoleName('custom-resource.application-autoscaling.amazonaws.com').roleName,
    'AWSServiceRoleForApplicationAutoScaling_CustomResource',
  );
  assert.equal(serviceLinkedRoleName('autoscaling.amazonaws.com', 'web').roleName, 'AWSServiceRoleForAutoScaling_web');
  assert.throws(() => serviceLinkedRoleName('rds.amazonaws.com', 'x'), /Custom suffix is not allowed for rds\.amazonaws\.com/);
  // Nothing inherited from Object.prototype counts as a service.
  assert.equal(serviceLinkedRoleName('constructor.amazonaws.com').roleName, 'AWSServiceRoleForConstructor');
});
