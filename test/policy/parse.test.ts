import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, PolicySizeExceededError, policySize, type ParsePolicyOptions } from '../../src/policy/parse.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';
import type { PolicyKind } from '../../src/policy/types.ts';

const S3_READ = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' };
const TRUST = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
const BUCKET = { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' };
const RCP_DENY = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };

/** A 2012-10-17 policy holding these statements (one object or a list). */
function policy(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statement });
}

function rejects(text: string, kind: PolicyKind, message: string, options?: ParsePolicyOptions): void {
  assert.throws(
    () => parsePolicy(text, kind, options),
    (e: unknown) => {
      assert.ok(e instanceof MalformedPolicyDocumentError, `expected MalformedPolicyDocumentError, got ${String(e)}`);
      assert.equal(e.message, message);
      assert.equal(e.code, 'MalformedPolicyDocument');
      assert.equal(e.status, 400);
      return true;
    },
  );
}

/** Organizations answers every SCP/RCP error with one text; the specific rule is kept in `cause`. */
function rejectsOrganizations(text: string, kind: 'scp' | 'rcp', cause: string, options?: ParsePolicyOptions): void {
  assert.throws(
    () => parsePolicy(text, kind, options),
    (e: unknown) => {
      assert.ok(e instanceof MalformedPolicyDocumentError);
      assert.equal(e.message, 'The provided policy document does not meet the requirements of the specified policy type.');
      assert.equal(e.cause, cause);
      return true;
    },
  );
}

describe('parsePolicy: the normalised AST', () => {
  test('a minimal identity policy becomes one statement with list-valued elements', () => {
    assert.deepEqual(parsePolicy(policy([S3_READ]), 'identity'), {
      version: '2012-10-17',
      statements: [
        { index: 0, effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::bucket/*'], condition: [] },
      ],
    });
  });

  test('Statement may be a single object instead of an array', () => {
    const doc = parsePolicy(policy(S3_READ), 'identity');
    assert.equal(doc.statements.length, 1);
    assert.deepEqual(doc.statements[0].action, ['s3:GetObject']);
  });

  test('an absent Version means 2008-10-17', () => {
    assert.equal(parsePolicy(JSON.stringify({ Statement: S3_READ }), 'identity').version, '2008-10-17');
  });

  test('Version 2008-10-17 is accepted as written', () => {
    assert.equal(parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: S3_READ }), 'identity').version, '2008-10-17');
  });

  test('Id and Sid are kept; statements are numbered in order', () => {
    const doc = parsePolicy(policy([{ Sid: 'First', ...S3_READ }, { Sid: 'Second', ...S3_READ, Effect: 'Deny' }], { Id: 'my policy id' }), 'identity');
    assert.equal(doc.id, 'my policy id');
    assert.deepEqual(doc.statements.map((s) => [s.index, s.sid, s.effect]), [[0, 'First', 'Allow'], [1, 'Second', 'Deny']]);
  });

  test('NotAction and NotResource are kept apart from Action and Resource', () => {
    const s = parsePolicy(policy({ Effect: 'Deny', NotAction: ['iam:*'], NotResource: 'arn:aws:iam::*:role/admin' }), 'identity').statements[0];
    assert.deepEqual(s.notAction, ['iam:*']);
    assert.deepEqual(s.notResource, ['arn:aws:iam::*:role/admin']);
    assert.equal(s.action, undefined);
    assert.equal(s.resource, undefined);
  });

  test('condition values that are JSON numbers or booleans become strings, numbers exactly as written', () => {
    const s = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{' +
        '"NumericLessThanEquals":{"s3:max-keys":[10, 1.50, 12345678901234567890]},"Bool":{"aws:SecureTransport":true}}}}',
      'identity',
    ).statements[0];
    assert.deepEqual(s.condition, [
      { operator: 'NumericLessThanEquals', key: 's3:max-keys', values: ['10', '1.50', '12345678901234567890'] },
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
    ]);
  });

  test('each (operator, key) pair is one condition entry; operators keep their qualifiers as written', () => {
    const s = parsePolicy(
      policy({
        ...S3_READ,
        Condition: {
          'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b*'], 'aws:PrincipalTag/team': 'x' },
          Null: { 'aws:TokenIssueTime': 'false' },
        },
      }),
      'identity',
    ).statements[0];
    assert.deepEqual(s.condition, [
      { operator: 'ForAnyValue:StringLikeIfExists', key: 'aws:TagKeys', values: ['a*', 'b*'] },
      { operator: 'ForAnyValue:StringLikeIfExists', key: 'aws:PrincipalTag/team', values: ['x'] },
      { operator: 'Null', key: 'aws:TokenIssueTime', values: ['false'] },
    ]);
  });

  test('an empty Condition block is accepted', () => {
    assert.deepEqual(parsePolicy(policy({ ...S3_READ, Condition: {} }), 'identity').statements[0].condition, []);
  });

  test('Principal "*" stays "*"; typed principals become lists', () => {
    const doc = parsePolicy(
      policy([
        { ...BUCKET, Principal: '*' },
        { ...BUCKET, Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'], CanonicalUser: 'abc' } },
      ]),
      'resource',
    );
    assert.equal(doc.statements[0].principal, '*');
    assert.deepEqual(doc.statements[1].principal, { AWS: ['arn:aws:iam::123456789012:root', '*'], CanonicalUser: ['abc'] });
  });

  test('NotPrincipal with Deny is kept as notPrincipal in a resource policy', () => {
    const s = parsePolicy(policy({ ...BUCKET, Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: '123456789012' } }), 'resource').statements[0];
    assert.deepEqual(s.notPrincipal, { AWS: ['123456789012'] });
    assert.equal(s.principal, undefined);
  });

  test('action vendors are case-insensitive and may hold hyphens (AWS managed policies use "SNS:Publish")', () => {
    assert.doesNotThrow(() => parsePolicy(policy({ ...S3_READ, Action: ['SNS:Publish', 'execute-api:Invoke', 'ec2:Describe*', 's3:Get?bject'] }), 'identity'));
  });

  test('a trailing * may stand for the rest of an ARN (AWS managed policies held "arn:aws:waf:*")', () => {
    assert.doesNotThrow(() => parsePolicy(policy({ ...S3_READ, Resource: ['arn:aws:waf:*', 'arn:aws:s3:::*'] }), 'identity'));
  });

  test('white space of every allowed kind and Latin-1 characters are accepted', () => {
    const text = `{\r\n\t"Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::caf\u00e9/*"}\n}`;
    assert.deepEqual(parsePolicy(text, 'identity').statements[0].resource, ['arn:aws:s3:::caf\u00e9/*']);
  });

  test('"Sid": "" on several statements is accepted (Terraform writes it)', () => {
    assert.equal(parsePolicy(policy([{ Sid: '', ...TRUST }, { Sid: '', ...TRUST }]), 'trust').statements.length, 2);
  });
});

describe('parsePolicy: JSON and document structure', () => {
  test('text that is not JSON is "Syntax errors in policy."', () => {
    rejects('{"Version": "2012-10-17", "Statement": [', 'identity', 'Syntax errors in policy.');
    rejects('', 'identity', 'Syntax errors in policy.');
  });

  test('CreateRole answers text that is not JSON with "This policy contains invalid Json"', () => {
    rejects('assume-role-policy.json', 'trust', 'This policy contains invalid Json');
  });

  test('a trailing comma is a syntax error (the JSON must be strict)', () => {
    rejects(policy([S3_READ]).replace(']}', ',]}'), 'identity', 'Syntax errors in policy.');
  });

  test('"null" as the whole document is "Syntax errors in policy."', () => {
    rejects('null', 'identity', 'Syntax errors in policy.');
    rejects('[]', 'identity', 'Syntax errors in policy.');
  });

  test('an element holding the same key twice is rejected, not silently collapsed', () => {
    rejects('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}', 'identity', 'Syntax errors in policy.');
    rejects(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:userid":"b"}}}}',
      'identity',
      'Syntax errors in policy.',
    );
  });

  test('an unknown top-level element is rejected', () => {
    rejects(policy(S3_READ, { Condition: {} }), 'identity', 'Syntax errors in policy.');
  });

  test('an unknown or mis-cased statement element is rejected', () => {
    rejects(policy({ ...S3_READ, Actions: 's3:*' }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ effect: 'Allow', Action: '*', Resource: '*' }), 'identity', 'Syntax errors in policy.');
  });

  test('a missing Statement is a syntax error', () => {
    rejects('{"Version":"2012-10-17"}', 'identity', 'Syntax errors in policy.');
  });

  test('an empty statement list is a syntax error', () => {
    rejects(policy([]), 'identity', 'Syntax errors in policy.');
  });

  test('a statement that is not an object is a syntax error', () => {
    rejects(policy(['s3:GetObject']), 'identity', 'Syntax errors in policy.');
    rejects(policy('s3:GetObject'), 'identity', 'Syntax errors in policy.');
  });

  test('a Version other than 2012-10-17 or 2008-10-17 is a syntax error', () => {
    rejects(policy(S3_READ, { Version: '2012-10-18' }), 'identity', 'Syntax errors in policy.');
  });

  test('a Version or Id that is not a string is a syntax error', () => {
    rejects(policy(S3_READ, { Version: 2012 }), 'identity', 'Syntax errors in policy.');
    rejects(policy(S3_READ, { Id: 7 }), 'identity', 'Syntax errors in policy.');
  });

  test('only tab, LF, CR and U+0020–U+00FF may appear in the text', () => {
    rejects(policy({ ...S3_READ, Resource: 'arn:aws:s3:::\u2603' }), 'identity', 'Policy document may contain only tab, line feed, carriage return and the characters U+0020 to U+00FF.');
    rejects(`\u0001${policy(S3_READ)}`, 'identity', 'Policy document may contain only tab, line feed, carriage return and the characters U+0020 to U+00FF.');
    rejects(`\ufeff${policy(S3_READ)}`, 'identity', 'Policy document may contain only tab, line feed, carriage return and the characters U+0020 to U+00FF.');
  });
});

describe('parsePolicy: statements', () => {
  test('Effect is case-sensitive: "allow" fails legacy parsing', () => {
    rejects(policy({ ...S3_READ, Effect: 'allow' }), 'identity', 'The policy failed legacy parsing');
  });

  test('a statement without Effect, or with one that is not Allow or Deny in any case, is a syntax error', () => {
    rejects(policy({ Action: '*', Resource: '*' }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Effect: 'Permit' }), 'identity', 'Syntax errors in policy.');
  });

  test('a statement without actions is "Policy statement must contain actions."', () => {
    rejects(policy({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.');
    rejects(policy({ Effect: 'Allow', Action: [], Resource: '*' }), 'identity', 'Policy statement must contain actions.');
  });

  test('an identity statement without resources is "Policy statement must contain resources."', () => {
    rejects(policy({ Effect: 'Allow', Action: '*' }), 'identity', 'Policy statement must contain resources.');
    rejects(policy({ Effect: 'Allow', Action: '*', Resource: [] }), 'session', 'Policy statement must contain resources.');
  });

  test('a statement may not hold both X and NotX: a syntax error', () => {
    rejects(policy({ ...S3_READ, NotAction: 's3:*' }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, NotResource: '*' }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...BUCKET, NotPrincipal: '*' }), 'resource', 'Syntax errors in policy.');
  });

  test('an action without a vendor prefix is rejected', () => {
    rejects(policy({ ...S3_READ, Action: 's3GetObject' }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    rejects(policy({ ...S3_READ, Action: ':GetObject' }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  });

  test('an action with two colons is rejected', () => {
    rejects(policy({ ...S3_READ, Action: 's3:Get:Object' }), 'identity', 'Actions/Condition can contain only one colon.');
  });

  test('an action vendor may not hold wildcards ("*:Untag*")', () => {
    rejects(policy({ ...S3_READ, Action: '*:Untag*' }), 'identity', 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards');
  });

  test('action and resource values must be strings', () => {
    rejects(policy({ ...S3_READ, Action: 7 }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Resource: ['*', null] }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } }), 'identity', 'Syntax errors in policy.');
  });

  test('a resource that is not an ARN or "*" names itself in the error', () => {
    rejects(policy({ ...S3_READ, Resource: 'sns-topic-name' }), 'identity', 'Resource sns-topic-name must be in ARN format or "*".');
    rejects(policy({ ...S3_READ, Resource: '' }), 'identity', 'Resource  must be in ARN format or "*".');
  });

  test('an IAM resource ARN may not name a Region', () => {
    rejects(
      policy({ ...S3_READ, Resource: 'arn:aws:iam:us-east-1:123456789012:user/bob' }),
      'identity',
      'IAM resource arn:aws:iam:us-east-1:123456789012:user/bob cannot contain region information.',
    );
  });

  test('Sids in one policy must be unique', () => {
    rejects(policy([{ Sid: 'A', ...S3_READ }, { Sid: 'A', ...S3_READ }]), 'identity', 'Statement IDs (SID) in a single policy must be unique.');
  });

  test('IAM Sids are alphanumeric only', () => {
    const message = 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    rejects(policy({ Sid: 'autogenerated-id', ...S3_READ }), 'identity', message);
    rejects(policy({ Sid: 'Space Space', ...TRUST }), 'trust', message);
  });

  test('resource policies of other services take any Sid, and repeated ones (S3, KMS examples use spaces)', () => {
    assert.doesNotThrow(() => parsePolicy(policy([{ Sid: 'Enable IAM User Permissions', ...BUCKET }, { Sid: 'Enable IAM User Permissions', ...BUCKET }]), 'resource'));
  });

  test('a Sid that is not a string is a syntax error', () => {
    rejects(policy({ Sid: 1, ...S3_READ }), 'identity', 'Syntax errors in policy.');
  });
});

describe('parsePolicy: conditions', () => {
  test('an unknown condition operator with values is a syntax error', () => {
    rejects(policy({ ...S3_READ, Condition: { StringEqual: { 'aws:username': 'a' } } }), 'identity', 'Syntax errors in policy.');
  });

  test('an unknown condition operator with an empty block is accepted and tests nothing', () => {
    assert.deepEqual(parsePolicy(policy({ ...S3_READ, Condition: { StringEqual: {} } }), 'identity').statements[0].condition, []);
  });

  test('condition operators are case-sensitive', () => {
    rejects(policy({ ...S3_READ, Condition: { stringequals: { 'aws:username': 'a' } } }), 'identity', 'Syntax errors in policy.');
  });

  test('NullIfExists and unknown set qualifiers are not operators', () => {
    rejects(policy({ ...S3_READ, Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Condition: { 'ForAllValue:StringEquals': { 'aws:TagKeys': 'a' } } }), 'identity', 'Syntax errors in policy.');
  });

  test('a condition key without a vendor prefix is accepted', () => {
    const s = parsePolicy(policy({ ...S3_READ, Condition: { StringEquals: { PassedToService: 'ec2.amazonaws.com' } } }), 'identity').statements[0];
    assert.deepEqual(s.condition, [{ operator: 'StringEquals', key: 'PassedToService', values: ['ec2.amazonaws.com'] }]);
  });

  test('a key mapped straight to a value, with no operator, is a syntax error', () => {
    rejects(policy({ ...S3_READ, Condition: { StringEquals: 'x' } }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Condition: [] }), 'identity', 'Syntax errors in policy.');
  });

  test('condition values may not be null, objects or nested lists', () => {
    rejects(policy({ ...S3_READ, Condition: { StringEquals: { 'aws:username': null } } }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Condition: { StringEquals: { 'aws:username': { a: 'b' } } } }), 'identity', 'Syntax errors in policy.');
    rejects(policy({ ...S3_READ, Condition: { StringEquals: { 'aws:username': [['a']] } } }), 'identity', 'Syntax errors in policy.');
  });
});

describe('parsePolicy: principals by kind of policy', () => {
  for (const kind of ['identity', 'boundary', 'session'] as const) {
    test(`a ${kind} policy may not specify a principal`, () => {
      rejects(policy({ ...S3_READ, Principal: { AWS: '123456789012' } }), kind, 'Policy document should not specify a principal.');
      rejects(policy({ ...S3_READ, Effect: 'Deny', NotPrincipal: { AWS: '123456789012' } }), kind, 'Policy document should not specify a principal.');
    });
  }

  test('a resource policy without Principal is "Missing required field Principal"', () => {
    rejects(policy(S3_READ), 'resource', 'Missing required field Principal');
  });

  test('NotPrincipal is supported only with Deny', () => {
    rejects(policy({ ...S3_READ, NotPrincipal: { AWS: '123456789012' } }), 'resource', 'Policy statement with NotPrincipal must use "Effect": "Deny".');
  });

  test('an unknown principal type is an invalid principal', () => {
    rejects(policy({ ...BUCKET, Principal: { User: 'bob' } }), 'resource', 'Invalid principal in policy: "User":"bob"');
  });

  test('an AWS principal must be "*", an account ID or an ARN', () => {
    rejects(policy({ ...BUCKET, Principal: { AWS: 'bob' } }), 'resource', 'Invalid principal in policy: "AWS":"bob"');
  });

  test('a principal that is neither "*" nor a map is a syntax error', () => {
    rejects(policy({ ...BUCKET, Principal: 'arn:aws:iam::123456789012:root' }), 'resource', 'Syntax errors in policy.');
    rejects(policy({ ...BUCKET, Principal: {} }), 'resource', 'Syntax errors in policy.');
  });
});

describe('parsePolicy: role trust policies', () => {
  test('a trust policy with typed principals and the STS actions is accepted', () => {
    const s = parsePolicy(
      policy({
        ...TRUST,
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext', 'sts:AssumeRole*'],
        Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/*' } },
      }),
      'trust',
    ).statements[0];
    assert.deepEqual(s.principal, { Federated: ['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'] });
    assert.equal(s.resource, undefined);
  });

  test('{"AWS": "*"} is accepted where a bare "*" is not', () => {
    assert.doesNotThrow(() => parsePolicy(policy({ ...TRUST, Principal: { AWS: '*' } }), 'trust'));
    rejects(policy({ ...TRUST, Principal: '*' }), 'trust', 'AssumeRolepolicy contained an invalid principal: "STAR":"*".');
  });

  test('a trust policy has prohibited field Resource', () => {
    rejects(policy({ ...TRUST, Resource: '*' }), 'trust', 'Has prohibited field Resource');
    rejects(policy({ ...TRUST, NotResource: '*' }), 'trust', 'Has prohibited field NotResource');
  });

  test('a trust statement without principals is an invalid principal', () => {
    rejects(
      policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
      'trust',
      'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
    );
  });

  test('NotPrincipal cannot be used in a role trust policy', () => {
    rejects(policy({ ...TRUST, Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: '123456789012' } }), 'trust', 'Has prohibited field NotPrincipal');
  });

  test('a trust policy allows only the STS role actions', () => {
    const message = 'AssumeRole policy may only specify STS AssumeRole actions.';
    rejects(policy({ ...TRUST, Action: ['sts:AssumeRole', 's3:GetObject'] }), 'trust', message);
    rejects(policy({ ...TRUST, Action: 'sts:GetCallerIdentity' }), 'trust', message);
    rejects(policy({ ...TRUST, Action: 'iam:*' }), 'trust', message);
  });

  test('trust actions compare case-insensitively and may use wildcards', () => {
    assert.doesNotThrow(() => parsePolicy(policy({ ...TRUST, Action: ['STS:assumerole', 'sts:*', 'sts:Set??????Identity'] }), 'trust'));
  });
});

describe('parsePolicy: service and resource control policies', () => {
  test('an SCP takes the full IAM language: Allow with Condition, NotAction and specific resources', () => {
    const doc = parsePolicy(
      policy([
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
        { Effect: 'Deny', Action: 'ec2:*Instances', NotResource: 'arn:aws:ec2:*:*:instance/i-1' },
      ]),
      'scp',
    );
    assert.equal(doc.statements.length, 3);
  });

  test('an SCP may not specify a principal; Organizations answers with its generic text', () => {
    rejectsOrganizations(policy({ ...S3_READ, Principal: '*' }), 'scp', 'Policy document should not specify a principal.');
  });

  test('an SCP that is not JSON gets the Organizations text too', () => {
    rejectsOrganizations('{', 'scp', 'Syntax errors in policy.');
  });

  test('an RCP denies with Principal "*" and Version 2012-10-17', () => {
    const s = parsePolicy(policy(RCP_DENY), 'rcp').statements[0];
    assert.equal(s.principal, '*');
    assert.equal(s.effect, 'Deny');
  });

  test('an RCP principal must be "*"', () => {
    rejectsOrganizations(policy({ ...RCP_DENY, Principal: { AWS: '123456789012' } }), 'rcp', 'The Principal element of an RCP must be "*".');
    rejectsOrganizations(policy({ ...RCP_DENY, Principal: undefined }), 'rcp', 'Missing required field Principal');
  });

  test('an RCP supports Allow only in RCPFullAWSAccess (an AWS managed policy)', () => {
    const full = policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
    rejectsOrganizations(full, 'rcp', 'An RCP supports "Effect": "Allow" only in RCPFullAWSAccess.');
    assert.equal(parsePolicy(full, 'rcp', { awsManaged: true }).statements[0].effect, 'Allow');
  });

  test('an RCP must have Version 2012-10-17', () => {
    rejectsOrganizations(JSON.stringify({ Statement: RCP_DENY }), 'rcp', 'Missing required field Version');
    rejectsOrganizations(JSON.stringify({ Version: '2008-10-17', Statement: RCP_DENY }), 'rcp', 'An RCP must use "Version": "2012-10-17".');
  });

  test('an RCP supports neither NotAction nor NotPrincipal', () => {
    rejectsOrganizations(policy({ ...RCP_DENY, Action: undefined, NotAction: 's3:GetObject' }), 'rcp', 'Has prohibited field NotAction');
    rejectsOrganizations(policy({ ...RCP_DENY, Principal: undefined, NotPrincipal: { AWS: '123456789012' } }), 'rcp', 'Has prohibited field NotPrincipal');
  });
});

describe('parsePolicy: size quotas', () => {
  /** An identity policy whose size without white space is exactly `size`. */
  function identityPolicyOfSize(size: number): string {
    const base = policy({ ...S3_READ, Resource: 'arn:aws:s3:::' });
    return policy({ ...S3_READ, Resource: `arn:aws:s3:::${'a'.repeat(size - base.length)}` });
  }

  test('a managed policy may hold 6,144 characters not counting white space', () => {
    const text = identityPolicyOfSize(6144);
    assert.equal(policySize(text), 6144);
    assert.doesNotThrow(() => parsePolicy(text, 'identity'));
  });

  test('one character more is LimitExceeded "Cannot exceed quota for PolicySize: 6144"', () => {
    assert.throws(
      () => parsePolicy(identityPolicyOfSize(6145), 'identity'),
      (e: unknown) => {
        assert.ok(e instanceof PolicySizeExceededError);
        assert.equal(e.message, 'Cannot exceed quota for PolicySize: 6144');
        assert.equal(e.code, 'LimitExceeded');
        assert.equal(e.status, 409);
        assert.equal(e.limit, 6144);
        assert.equal(e.size, 6145);
        return true;
      },
    );
  });

  test('IAM does not count white space; Organizations counts every character', () => {
    const padded = identityPolicyOfSize(5000).replace('{', `{${' \t\r\n'.repeat(500)}`);
    assert.ok(padded.length > 6144);
    assert.equal(policySize(padded, 'identity'), 5000);
    assert.doesNotThrow(() => parsePolicy(padded, 'identity'));
    assert.throws(() => parsePolicy(padded, 'scp'), PolicySizeExceededError);
  });

  test('a role trust policy may hold 2,048 characters by default', () => {
    const big = policy({ ...TRUST, Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::123456789012:role/r${i}`) } });
    assert.throws(() => parsePolicy(big, 'trust'), { message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
    assert.doesNotThrow(() => parsePolicy(big, 'trust', { maxSize: 4096 }));
  });

  test('maxSize replaces the default, e.g. what is left of a user\'s 2,048 inline aggregate', () => {
    const text = policy(S3_READ);
    assert.throws(() => parsePolicy(text, 'identity', { maxSize: policySize(text) - 1 }), PolicySizeExceededError);
    assert.doesNotThrow(() => parsePolicy(text, 'identity', { maxSize: policySize(text) }));
  });
});
