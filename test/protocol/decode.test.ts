import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IAM, STS } from '../../src/protocol/model.ts';
import { decodeQuery } from '../../src/protocol/decode.ts';
import { codePointLength } from '../../src/protocol/validate.ts';
import { AwsError } from '../../src/model/errors.ts';

const op = (name: string) => IAM.operations.get(name)!;
const decode = (query: string, name: string) => decodeQuery(new URLSearchParams(query), op(name));

function validationMessage(query: string, name: string): string {
  try {
    decode(query, name);
  } catch (e) {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, 'ValidationError');
    assert.equal(e.status, 400);
    assert.equal(e.type, 'Sender');
    return e.message;
  }
  assert.fail('expected a ValidationError');
}

describe('decoding', () => {
  test('scalars, lists of structures, and ignores Action, Version and unknown names', () => {
    assert.deepEqual(
      decode('Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2Fa%2F&Tags.member.2.Key=b&Tags.member.2.Value=2'
        + '&Tags.member.1.Key=a&Tags.member.1.Value=1&Bogus=1', 'CreateUser'),
      { Path: '/a/', UserName: 'bob', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] },
    );
  });

  test('list members are ordered by their index as a number', () => {
    const q = Array.from({ length: 11 }, (_, i) => `ActionNames.member.${i + 1}=s3:Action${i + 1}`).join('&');
    const input = decode(`${q}&PolicyInputList.member.1=%7B%7D`, 'SimulateCustomPolicy');
    assert.deepEqual(input.ActionNames, Array.from({ length: 11 }, (_, i) => `s3:Action${i + 1}`));
  });

  test('integers and booleans', () => {
    assert.deepEqual(decode('MaxItems=25&OnlyAttached=true&Scope=Local', 'ListPolicies'), { Scope: 'Local', OnlyAttached: true, MaxItems: 25 });
    assert.deepEqual(decode('OnlyAttached=false', 'ListPolicies'), { OnlyAttached: false });
  });

  test('an empty list', () => {
    assert.deepEqual(decode('UserName=bob&TagKeys=', 'UntagUser'), { UserName: 'bob', TagKeys: [] });
  });

  test('an operation without input decodes to nothing', () => {
    assert.deepEqual(decode('Action=GetAccountSummary', 'GetAccountSummary'), {});
  });

  test('values that are not of the member type', () => {
    assert.equal(validationMessage('MaxItems=ten', 'ListUsers'),
      "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a number");
    assert.equal(validationMessage('OnlyAttached=yes', 'ListPolicies'),
      "1 validation error detected: Value 'yes' at 'onlyAttached' failed to satisfy constraint: Member must be a boolean (true or false)");
  });
});

describe('validation messages in AWS form', () => {
  test('pattern', () => {
    assert.equal(validationMessage('UserName=a%20b', 'CreateUser'),
      "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  });

  test('missing required member', () => {
    assert.equal(validationMessage('Path=%2F', 'CreateUser'),
      "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  });

  test('length, both ends, with the per-operation limit', () => {
    const long = 'a'.repeat(65);
    assert.equal(validationMessage(`UserName=${long}`, 'CreateUser'),
      `1 validation error detected: Value '${long}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    assert.deepEqual(decode(`UserName=${long}`, 'GetUser'), { UserName: long });
    assert.equal(validationMessage('UserName=', 'CreateUser'),
      "2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  });

  test('enum', () => {
    assert.equal(validationMessage('AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=Expired', 'UpdateAccessKey'),
      "1 validation error detected: Value 'Expired' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
  });

  test('integer range', () => {
    assert.equal(validationMessage('MaxItems=1001', 'ListUsers'),
      "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
    assert.equal(validationMessage('MaxItems=0', 'ListUsers'),
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  test('several violations, in member order, joined by "; "', () => {
    assert.equal(validationMessage('Path=nope&UserName=a%20b', 'CreateUser'),
      "2 validation errors detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: "
      + "(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F); Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy "
      + 'regular expression pattern: [\\w+=,.@-]+');
  });

  test('nested members of list elements', () => {
    assert.equal(validationMessage('UserName=bob&Tags.member.1.Key=ok&Tags.member.1.Value=bad%7Bvalue%7D&Tags.member.2.Key=k', 'TagUser'),
      "2 validation errors detected: Value 'bad{value}' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy "
      + 'regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*; '
      + "Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null");
  });

  test('list length', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `Tags.member.${i + 1}.Key=k${i}&Tags.member.${i + 1}.Value=v`).join('&');
    assert.match(validationMessage(`UserName=bob&${tags}`, 'TagUser'),
      /^1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
  });

  test('list elements that are strings', () => {
    assert.equal(validationMessage('UserName=bob&TagKeys.member.1=ok&TagKeys.member.2=', 'UntagUser'),
      "2 validation errors detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value '' at 'tagKeys.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  });

  test('tag keys and values accept Unicode letters and spaces', () => {
    assert.deepEqual(decode(`UserName=bob&Tags.member.1.Key=${encodeURIComponent('Équipe')}&Tags.member.1.Value=${encodeURIComponent('données ok')}`, 'TagUser'),
      { UserName: 'bob', Tags: [{ Key: 'Équipe', Value: 'données ok' }] });
  });

  test('policy documents allow only tab, LF, CR and U+0020-U+00FF', () => {
    assert.match(validationMessage(`UserName=bob&PolicyName=p&PolicyDocument=${encodeURIComponent('{"a":"→"}')}`, 'PutUserPolicy'),
      /at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\u0009\\u000A\\u000D\\u0020-\\u00FF\]\+$/);
  });

  test('sensitive members never echo their value', () => {
    const message = validationMessage(`OldPassword=x&NewPassword=${'s'.repeat(129)}`, 'ChangePassword');
    assert.equal(message, "1 validation error detected: Value at 'newPassword' failed to satisfy constraint: Member must have length less than or equal to 128");
  });

  test('STS members', () => {
    assert.throws(() => decodeQuery(new URLSearchParams('RoleArn=short&RoleSessionName=ok'), STS.operations.get('AssumeRole')!), {
      code: 'ValidationError',
      message: "1 validation error detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    });
    assert.deepEqual(
      decodeQuery(new URLSearchParams('RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=ok&PolicyArns.member.1.arn=arn:aws:iam::aws:policy/X'),
        STS.operations.get('AssumeRole')!),
      { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ok', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/X' }] },
    );
  });

  test('length counts code points', () => {
    assert.equal(codePointLength('abc'), 3);
    assert.equal(codePointLength('a😀b'), 3);
  });
});

describe('malformed list indexes', () => {
  for (const index of ['0', '-1', '01', '1e3', '__proto__', 'constructor', '']) {
    test(`Tags.member.${index} is refused as a whole`, () => {
      assert.throws(
        () => decode(`UserName=bob&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.${index}.Key=b`, 'CreateUser'),
        (e: unknown) => {
          assert.ok(e instanceof AwsError);
          assert.equal(e.code, 'MalformedInput');
          assert.equal(e.status, 400);
          assert.equal(e.message, `Invalid list index '${index}' at 'tags': list members are numbered from 1.`);
          return true;
        },
      );
    });
  }
});
