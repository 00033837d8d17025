// Using Gatehouse's policy engine as a library: compile policies once, evaluate requests fast.
// Run: node --import tsx examples/policy-engine.ts
import { compilePolicyText, contextFrom, denialMessage, evaluate, PolicySet } from '../src/policy/index.ts';

// Compile when a policy is written; a malformed one throws MalformedPolicyDocumentError.
const readOwnBucket = compilePolicyText(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadHome', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
      { Sid: 'NoDeletesWithoutMfa', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ],
  }),
  'identity',
  'arn:aws:iam::111122223333:policy/home-dirs',
);
const identity = new PolicySet([readOwnBucket]); // a user's policies (own and groups'), indexed by action

const alice = { type: 'IAMUser' as const, arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333' };
const context = contextFrom({ 'aws:username': 'alice', 'aws:SourceIp': '203.0.113.7' });

for (const [action, resource] of [
  ['s3:GetObject', 'arn:aws:s3:::home/alice/notes.txt'],
  ['s3:GetObject', 'arn:aws:s3:::home/bob/notes.txt'],
  ['s3:DeleteObject', 'arn:aws:s3:::home/alice/notes.txt'],
]) {
  const request = { principal: alice, action, resource, context };
  const result = evaluate(request, { identity });
  const why = result.matched.map((m) => `${m.effect} ${m.sid ?? `#${m.index}`}`).join(', ') || 'no statement applied';
  console.log(`${result.decision.padEnd(12)} ${action} ${resource} (${why})`);
  if (result.decision !== 'Allowed') console.log(`  ${denialMessage(request, result)}`);
}
