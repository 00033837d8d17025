import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IAM, STS } from '../../src/protocol/model.ts';
import { encodeResponse, encodeError, escapeXml, encodeRfc3986, formatTimestamp } from '../../src/protocol/encode.ts';
import { AwsError, noSuchEntity, serviceFailure, isAwsErrorLike } from '../../src/model/errors.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

describe('encodeResponse', () => {
  test('result wrapper, members in model order, absent members left out, metadata', () => {
    const xml = encodeResponse(IAM.operations.get('CreateUser')!, {
      User: { Arn: 'arn:aws:iam::123456789012:user/bob', UserName: 'bob', Path: '/', UserId: 'AIDAEXAMPLEEXAMPLE123',
        CreateDate: new Date('2026-11-23T14:30:00.999Z'), PasswordLastUsed: undefined },
    }, 'req-1');
    assert.equal(xml,
      `<CreateUserResponse xmlns="${IAM_NS}"><CreateUserResult><User><Path>/</Path><UserName>bob</UserName>`
      + '<UserId>AIDAEXAMPLEEXAMPLE123</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2026-11-23T14:30:00Z</CreateDate>'
      + '</User></CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>');
  });

  test('an operation without output has only the metadata', () => {
    assert.equal(encodeResponse(IAM.operations.get('DeleteUser')!, undefined, 'r'),
      `<DeleteUserResponse xmlns="${IAM_NS}"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>`);
  });

  test('lists as <member>, booleans, maps as <entry>', () => {
    const list = encodeResponse(IAM.operations.get('ListGroupPolicies')!, { PolicyNames: ['a', 'b'], IsTruncated: false }, 'r');
    assert.match(list, /<ListGroupPoliciesResult><PolicyNames><member>a<\/member><member>b<\/member><\/PolicyNames><IsTruncated>false<\/IsTruncated><\/ListGroupPoliciesResult>/);
    const map = encodeResponse(IAM.operations.get('GetAccountSummary')!, { SummaryMap: new Map([['Users', 2], ['Groups', 0]]) }, 'r');
    assert.match(map, /<SummaryMap><entry><key>Users<\/key><value>2<\/value><\/entry><entry><key>Groups<\/key><value>0<\/value><\/entry><\/SummaryMap>/);
  });

  test('text is XML-escaped', () => {
    const xml = encodeResponse(IAM.operations.get('ListUserTags')!, { Tags: [{ Key: 'k', Value: `<a href="x">&'` }], IsTruncated: false }, 'r');
    assert.match(xml, /<Value>&lt;a href=&quot;x&quot;&gt;&amp;&apos;<\/Value>/);
  });

  test('IAM policy documents are URL-encoded (RFC 3986), other strings are not', () => {
    const doc = `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Sid":"it's (ok)!"}]}`;
    const xml = encodeResponse(IAM.operations.get('GetUserPolicy')!, { UserName: 'a b', PolicyName: 'p', PolicyDocument: doc }, 'r');
    const encoded = /<PolicyDocument>(.*)<\/PolicyDocument>/.exec(xml)![1]!;
    assert.equal(decodeURIComponent(encoded), doc);
    assert.doesNotMatch(encoded, /[{}"*'()! ]/);
    assert.match(xml, /<UserName>a b<\/UserName>/);
    const role = encodeResponse(IAM.operations.get('GetRole')!, { Role: { RoleName: 'r', AssumeRolePolicyDocument: '{ }' } }, 'r');
    assert.match(role, /<AssumeRolePolicyDocument>%7B%20%7D<\/AssumeRolePolicyDocument>/);
    const version = encodeResponse(IAM.operations.get('GetPolicyVersion')!, { PolicyVersion: { Document: '{}', VersionId: 'v1' } }, 'r');
    assert.match(version, /<Document>%7B%7D<\/Document><VersionId>v1<\/VersionId>/);
  });

  test('STS uses its own namespace', () => {
    const xml = encodeResponse(STS.operations.get('GetCallerIdentity')!, { Account: '123456789012' }, 'r');
    assert.ok(xml.startsWith(`<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Account>123456789012</Account>`));
  });

  test('blobs are base64', () => {
    const xml = encodeResponse(IAM.operations.get('GetCredentialReport')!, { Content: Buffer.from('a,b\n') }, 'r');
    assert.match(xml, /<Content>YSxiCg==<\/Content>/);
  });
});

describe('encodeError', () => {
  test('an AwsError keeps its code, status and message', () => {
    const e = encodeError(noSuchEntity('The user with name bob cannot be found.'), 'req-9', IAM);
    assert.equal(e.status, 404);
    assert.equal(e.code, 'NoSuchEntity');
    assert.equal(e.body,
      `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>`
      + '<Message>The user with name bob cannot be found.</Message></Error><RequestId>req-9</RequestId></ErrorResponse>');
  });

  test('server faults are of type Receiver', () => {
    const e = encodeError(serviceFailure('boom'), 'r', IAM);
    assert.equal(e.status, 500);
    assert.match(e.body, /<Type>Receiver<\/Type><Code>ServiceFailure<\/Code>/);
  });

  test("the policy library's error is encoded like any other", () => {
    const e = encodeError(new MalformedPolicyDocumentError('Syntax errors in policy.'), 'r', IAM);
    assert.equal(e.status, 400);
    assert.match(e.body, /<Code>MalformedPolicyDocument<\/Code><Message>Syntax errors in policy.<\/Message>/);
  });

  test('anything else is an InternalFailure that leaks nothing', () => {
    for (const thrown of [new Error('secret detail'), 'a string', null, { code: 'X', status: 200, message: 'not an error status' }]) {
      const e = encodeError(thrown, 'r', STS);
      assert.equal(e.status, 500);
      assert.equal(e.code, 'InternalFailure');
      assert.doesNotMatch(e.body, /secret detail|a string|not an error status/);
      assert.ok(e.body.startsWith(`<ErrorResponse xmlns="${STS_NS}">`));
    }
  });

  test('messages are escaped', () => {
    assert.match(encodeError(new AwsError('InvalidInput', 'bad <input> & more', 400), 'r', IAM).body, /bad &lt;input&gt; &amp; more/);
  });
});

describe('helpers', () => {
  test('AwsError defaults its fault type from the status', () => {
    assert.equal(new AwsError('X', 'm', 400).type, 'Sender');
    assert.equal(new AwsError('X', 'm', 503).type, 'Receiver');
    assert.ok(isAwsErrorLike(new AwsError('X', 'm', 409)));
    assert.ok(!isAwsErrorLike(new Error('m')));
  });

  test('timestamps are seconds precision with Z', () => {
    assert.equal(formatTimestamp(new Date('2026-11-23T14:30:00.500Z')), '2026-11-23T14:30:00Z');
    assert.equal(formatTimestamp('2026-11-23T14:30:00+01:00'), '2026-11-23T13:30:00Z');
    assert.throws(() => formatTimestamp('not a date'));
  });

  test('escaping drops characters XML cannot carry', () => {
    assert.equal(escapeXml('a\u0000b\u001Fc\td'), 'abc\td');
    assert.equal(encodeRfc3986("!'()* ~"), '%21%27%28%29%2A%20~');
  });
});
