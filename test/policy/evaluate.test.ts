// The decision over every policy type, each case named after the AWS rule it checks
// (reference_policies_evaluation-logic, _policy-eval-denyallow, -cross-account, access_policies_boundaries).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { denialMessage, evaluate, PolicySet, RCP_FULL_AWS_ACCESS, compilePolicyText, type EvaluationPolicies, type EvaluationResult } from '../../src/policy/index.ts';
import type { RequestPrincipal } from '../../src/policy/principal.ts';
import { A, B, allow, deny, doc, policySet, request, root, session, user } from './helpers.ts';

const BUCKET = 'arn:aws:s3:::bucket/key';
const alice = user('alice');
const bobInB = user('bob', B);
const appSession = session('app', 's1');

interface Case {
  name: string;
  principal: RequestPrincipal;
  policies: EvaluationPolicies;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  resourcePolicyRequired?: boolean;
  expect: EvaluationResult['decision'];
  deniedBy?: string;
}

const id = (...s: object[]) => policySet('identity', doc(...s));
const pb = (...s: object[]) => policySet('boundary', doc(...s));
const sp = (...s: object[]) => policySet('session', doc(...s));
const rbp = (...s: object[]) => policySet('resource', doc(...s));
const scp = (...s: object[]) => policySet('scp', doc(...s));
const named = (principal: object | string, effect = 'Allow', action = 's3:GetObject') => ({ Effect: effect, Principal: principal, Action: action, Resource: BUCKET });
const fullAccess = () => scp(allow('*'));
/** An RCP level: RCPFullAWSAccess is always there, plus the customer's (Deny-only) RCPs. */
const rcpLevel = (...s: object[]) =>
  new PolicySet([RCP_FULL_AWS_ACCESS, ...(s.length ? [compilePolicyText(JSON.stringify(doc(...s)), 'rcp', 'rcp')] : [])]);

const cases: Case[] = [
  // Deny by default, allow, explicit deny wins.
  { name: 'no policy at all is an implicit deny', principal: alice, policies: {}, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'an identity Allow allows', principal: alice, policies: { identity: id(allow('s3:GetObject')) }, expect: 'Allowed' },
  { name: 'an explicit Deny overrides any Allow', principal: alice, policies: { identity: id(allow('s3:*'), deny('s3:GetObject')) }, expect: 'ExplicitDeny', deniedBy: 'identity' },
  { name: 'an Allow for another action does not apply', principal: alice, policies: { identity: id(allow('s3:PutObject')) }, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'NotAction Allow allows everything but the listed actions', principal: alice, policies: { identity: id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }, expect: 'Allowed' },
  { name: 'NotAction Allow does not allow a listed action', principal: alice, action: 'iam:CreateUser', policies: { identity: id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }, expect: 'ImplicitDeny' },
  { name: 'NotResource Allow excludes the listed resources', principal: alice, policies: { identity: id({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::bucket/*' }) }, expect: 'ImplicitDeny' },
  { name: 'a failed condition makes an Allow not apply', principal: alice, policies: { identity: id(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })) }, expect: 'ImplicitDeny' },

  // Permissions boundaries (access_policies_boundaries): the effective permissions are the intersection.
  { name: 'boundary and identity both allow: allowed', principal: alice, policies: { identity: id(allow('s3:*')), boundary: pb(allow('s3:GetObject')) }, expect: 'Allowed' },
  { name: 'boundary does not allow: implicit deny by the boundary', principal: alice, policies: { identity: id(allow('s3:*')), boundary: pb(allow('ec2:*')) }, expect: 'ImplicitDeny', deniedBy: 'boundary' },
  { name: 'boundary alone grants nothing', principal: alice, policies: { boundary: pb(allow('*')) }, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'an explicit deny in the boundary', principal: alice, policies: { identity: id(allow('*')), boundary: pb(allow('*'), deny('s3:GetObject')) }, expect: 'ExplicitDeny', deniedBy: 'boundary' },

  // Session policies narrow a session's permissions.
  { name: 'session policy that allows: allowed', principal: appSession, policies: { identity: id(allow('s3:*')), session: sp(allow('s3:GetObject')) }, expect: 'Allowed' },
  { name: 'session policy that does not allow: implicit deny', principal: appSession, policies: { identity: id(allow('s3:*')), session: sp(allow('ec2:*')) }, expect: 'ImplicitDeny', deniedBy: 'session' },
  { name: 'session policy cannot grant beyond the role', principal: appSession, policies: { identity: id(allow('ec2:*')), session: sp(allow('*')) }, expect: 'ImplicitDeny', deniedBy: 'identity' },

  // SCPs: every level from the root to the account must allow; FullAWSAccess by default.
  { name: 'SCPs allowing at every level: allowed', principal: alice, policies: { identity: id(allow('s3:*')), scps: [fullAccess(), fullAccess(), scp(allow('s3:*'))] }, expect: 'Allowed' },
  { name: 'an SCP level without an Allow denies implicitly', principal: alice, policies: { identity: id(allow('s3:*')), scps: [fullAccess(), scp(allow('ec2:*')), fullAccess()] }, expect: 'ImplicitDeny', deniedBy: 'scp' },
  { name: 'an explicit deny in an SCP', principal: alice, policies: { identity: id(allow('*')), scps: [fullAccess(), scp(allow('*'), deny('s3:*'))] }, expect: 'ExplicitDeny', deniedBy: 'scp' },
  { name: 'SCPs grant nothing by themselves', principal: alice, policies: { scps: [fullAccess()] }, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'SCPs limit the root user too', principal: root(), policies: { scps: [scp(allow('ec2:*'))] }, expect: 'ImplicitDeny', deniedBy: 'scp' },

  // RCPs (orgs_manage_policies_rcps): RCPFullAWSAccess at each level; a Deny restricts.
  { name: 'an explicit deny in an RCP', principal: alice, policies: { identity: id(allow('*')), rcps: [rcpLevel({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })] }, expect: 'ExplicitDeny', deniedBy: 'rcp' },
  { name: 'RCPFullAWSAccess alone changes nothing', principal: alice, policies: { identity: id(allow('*')), rcps: [rcpLevel()] }, expect: 'Allowed' },

  // The root user has full access in its own account (policy-eval-denyallow).
  { name: 'the root user is allowed without identity policies', principal: root(), policies: {}, expect: 'Allowed' },
  { name: 'the root user is still bound by an explicit deny in a resource policy', principal: root(), policies: { resource: rbp(named({ AWS: `arn:aws:iam::${A}:root` }, 'Deny')) }, expect: 'ExplicitDeny', deniedBy: 'resource' },

  // Same account: resource policies (policy-eval-denyallow, the table in reference §3.3).
  { name: 'same account: a resource policy naming the user allows without identity policy', principal: alice, policies: { resource: rbp(named({ AWS: alice.arn })) }, expect: 'Allowed' },
  { name: 'same account: a resource policy naming the user is not limited by the boundary', principal: alice, policies: { boundary: pb(allow('ec2:*')), resource: rbp(named({ AWS: alice.arn })) }, expect: 'Allowed' },
  { name: 'same account: a resource policy naming the account only delegates to identity policies', principal: alice, policies: { resource: rbp(named({ AWS: A })) }, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'same account: account root in a resource policy plus identity Allow is allowed', principal: alice, policies: { identity: id(allow('s3:GetObject')), resource: rbp(named({ AWS: `arn:aws:iam::${A}:root` })) }, expect: 'Allowed' },
  { name: 'same account: naming the role allows its session without identity policy', principal: appSession, policies: { resource: rbp(named({ AWS: appSession.roleArn })) }, expect: 'Allowed' },
  { name: 'same account: naming the role is limited by the boundary', principal: appSession, policies: { boundary: pb(allow('ec2:*')), resource: rbp(named({ AWS: appSession.roleArn })) }, expect: 'ImplicitDeny', deniedBy: 'boundary' },
  { name: 'same account: naming the role is limited by a session policy', principal: appSession, policies: { session: sp(allow('ec2:*')), resource: rbp(named({ AWS: appSession.roleArn })) }, expect: 'ImplicitDeny', deniedBy: 'session' },
  { name: 'same account: naming the session is not limited by boundary or session policy', principal: appSession, policies: { boundary: pb(allow('ec2:*')), session: sp(allow('ec2:*')), resource: rbp(named({ AWS: appSession.arn })) }, expect: 'Allowed' },
  { name: 'same account: naming another session of the role does not match', principal: appSession, policies: { resource: rbp(named({ AWS: `arn:aws:sts::${A}:assumed-role/app/other` })) }, expect: 'ImplicitDeny' },
  { name: 'same account: Principal * grants even past the boundary', principal: alice, policies: { boundary: pb(allow('ec2:*')), resource: rbp(named('*')) }, expect: 'Allowed' },
  { name: 'same account: an explicit deny in identity beats a resource policy naming the user', principal: alice, policies: { identity: id(deny('s3:*')), resource: rbp(named({ AWS: alice.arn })) }, expect: 'ExplicitDeny', deniedBy: 'identity' },
  { name: 'same account: a wildcard does not match part of a principal ARN', principal: alice, policies: { resource: rbp(named({ AWS: `arn:aws:iam::${A}:user/*` })) }, expect: 'ImplicitDeny' },
  { name: 'trust and key policies must name the caller even with an identity Allow', principal: alice, resourcePolicyRequired: true, policies: { identity: id(allow('s3:*')) }, expect: 'ImplicitDeny', deniedBy: 'resource' },
  { name: 'trust policy naming the account needs the identity Allow too', principal: alice, resourcePolicyRequired: true, policies: { identity: id(allow('s3:*')), resource: rbp(named({ AWS: A })) }, expect: 'Allowed' },

  // Cross-account (reference_policies_evaluation-logic-cross-account): both sides must allow.
  { name: 'cross-account: identity Allow without resource policy is denied', principal: bobInB, resourceAccount: A, policies: { identity: id(allow('s3:*')) }, expect: 'ImplicitDeny', deniedBy: 'resource' },
  { name: 'cross-account: resource policy naming the account plus identity Allow is allowed', principal: bobInB, resourceAccount: A, policies: { identity: id(allow('s3:*')), resource: rbp(named({ AWS: B })) }, expect: 'Allowed' },
  { name: 'cross-account: a resource policy naming the user still needs an identity Allow', principal: bobInB, resourceAccount: A, policies: { resource: rbp(named({ AWS: bobInB.arn })) }, expect: 'ImplicitDeny', deniedBy: 'identity' },
  { name: 'cross-account: the caller boundary still applies', principal: bobInB, resourceAccount: A, policies: { identity: id(allow('s3:*')), boundary: pb(allow('ec2:*')), resource: rbp(named({ AWS: bobInB.arn })) }, expect: 'ImplicitDeny', deniedBy: 'boundary' },
  { name: 'cross-account: the resource account ARN field decides the side', principal: bobInB, resource: `arn:aws:sqs:us-east-1:${A}:queue`, action: 'sqs:SendMessage', policies: { identity: id(allow('sqs:*')) }, expect: 'ImplicitDeny', deniedBy: 'resource' },

  // NotPrincipal (reference_policies_elements_notprincipal).
  { name: 'NotPrincipal Deny applies to principals not listed', principal: alice, policies: { identity: id(allow('s3:*')), resource: rbp({ Effect: 'Deny', NotPrincipal: { AWS: [user('carol').arn, A] }, Action: 's3:*', Resource: '*' }) }, expect: 'ExplicitDeny', deniedBy: 'resource' },
  { name: 'NotPrincipal Deny exempts a listed user with its account', principal: alice, policies: { identity: id(allow('s3:*')), resource: rbp({ Effect: 'Deny', NotPrincipal: { AWS: [alice.arn, A] }, Action: 's3:*', Resource: '*' }) }, expect: 'Allowed' },
  { name: 'NotPrincipal Deny exempts a session only with its role and account listed', principal: appSession, policies: { identity: id(allow('s3:*')), resource: rbp({ Effect: 'Deny', NotPrincipal: { AWS: [appSession.arn, A] }, Action: 's3:*', Resource: '*' }) }, expect: 'ExplicitDeny' },
  { name: 'NotPrincipal Deny always applies to a principal with a permissions boundary', principal: alice, policies: { identity: id(allow('s3:*')), boundary: pb(allow('*')), resource: rbp({ Effect: 'Deny', NotPrincipal: { AWS: [alice.arn, A] }, Action: 's3:*', Resource: '*' }) }, expect: 'ExplicitDeny', deniedBy: 'resource' },
];

describe('evaluation logic', () => {
  for (const c of cases) {
    test(c.name, () => {
      const req = request(c.principal, c.action ?? 's3:GetObject', c.resource ?? BUCKET);
      if (c.resourceAccount) req.resourceAccount = c.resourceAccount;
      const r = evaluate(req, c.policies, { resourcePolicyRequired: c.resourcePolicyRequired });
      assert.equal(r.decision, c.expect);
      if (c.deniedBy) assert.equal(r.deniedBy, c.deniedBy);
    });
  }
});

describe('decision details', () => {
  test('matched statements name their policy, Sid and position', () => {
    const identity = id({ Sid: 'Read', ...allow('s3:Get*') }, { Sid: 'NoDelete', ...deny('s3:Delete*') });
    const r = evaluate(request(alice, 's3:GetObject', BUCKET), { identity });
    assert.deepEqual(r.matched.map((m) => [m.type, m.sid, m.index, m.effect]), [['identity', 'Read', 0, 'Allow']]);
  });

  test('an explicit deny lists every denying statement across types', () => {
    const r = evaluate(request(alice, 's3:GetObject', BUCKET), { identity: id(deny('s3:*')), boundary: pb(deny('*')) });
    assert.deepEqual(r.matched.map((m) => m.type), ['identity', 'boundary']);
  });

  test("AWS's message for an implicit deny by identity policies", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    assert.equal(
      denialMessage(req, evaluate(req, {})),
      `User: ${alice.arn} is not authorized to perform: s3:GetObject on resource: ${BUCKET} because no identity-based policy allows the s3:GetObject action`,
    );
  });

  test("AWS's message for an explicit deny in a service control policy", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    const r = evaluate(req, { identity: id(allow('*')), scps: [scp(allow('*'), deny('s3:*'))] });
    assert.equal(denialMessage(req, r), `User: ${alice.arn} is not authorized to perform: s3:GetObject on resource: ${BUCKET} with an explicit deny in a service control policy`);
  });

  test("AWS's message names the permissions boundary", () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    const r = evaluate(req, { identity: id(allow('*')), boundary: pb(allow('ec2:*')) });
    assert.match(denialMessage(req, r)!, /because no permissions boundary allows the s3:GetObject action$/);
  });

  test('an allowed request has no denial message', () => {
    const req = request(alice, 's3:GetObject', BUCKET);
    assert.equal(denialMessage(req, evaluate(req, { identity: id(allow('*')) })), undefined);
  });

  test('actions are case-insensitive, resources case-sensitive', () => {
    const identity = id(allow('S3:getobject', 'arn:aws:s3:::Bucket/*'));
    assert.equal(evaluate(request(alice, 's3:GetObject', 'arn:aws:s3:::Bucket/x'), { identity }).decision, 'Allowed');
    assert.equal(evaluate(request(alice, 's3:GetObject', 'arn:aws:s3:::bucket/x'), { identity }).decision, 'ImplicitDeny');
  });

  test('a policy variable in Resource resolves per request and an unresolved one matches nothing', () => {
    const identity = id(allow('iam:GetUser', `arn:aws:iam::${A}:user/\${aws:username}`));
    const ok = request(alice, 'iam:GetUser', alice.arn, { 'aws:username': 'alice' });
    const other = request(alice, 'iam:GetUser', user('bob').arn, { 'aws:username': 'alice' });
    const missing = request(alice, 'iam:GetUser', alice.arn);
    assert.equal(evaluate(ok, { identity }).decision, 'Allowed');
    assert.equal(evaluate(other, { identity }).decision, 'ImplicitDeny');
    assert.equal(evaluate(missing, { identity }).decision, 'ImplicitDeny');
  });
});
