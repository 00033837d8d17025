// The wire protocol against the real AWS SDK for JavaScript v3: the SDK serialises and signs, a tiny
// server here verifies the signature, decodes the input and answers with our XML, and the SDK
// deserialises it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  IAMClient, CreateUserCommand, ListUsersCommand, GetRolePolicyCommand, GetAccountSummaryCommand,
  GetCredentialReportCommand, GetUserCommand, UntagUserCommand, DeleteUserCommand, SimulateCustomPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parseRequest, decodeQuery, encodeResponse, encodeError } from '../../src/protocol/index.ts';
import { verifySigV4, type SigV4Result } from '../../src/authn/sigv4.ts';
import { IAM, STS } from '../../src/protocol/model.ts';
import { noSuchEntity } from '../../src/model/errors.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
type Handler = (input: Record<string, unknown>) => Record<string, unknown> | undefined;

interface Seen {
  action: string;
  service: string;
  input: Record<string, unknown>;
  auth: SigV4Result<{ secret: string }>;
}

let server: Server;
let endpoint: string;
let handler: Handler = () => undefined;
let seen: Seen | undefined;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const requestId = 'c0ffee00-0000-4000-8000-000000000001';
      let service = parseServiceHint(body);
      try {
        const auth = verifySigV4(
          { method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1), headers: req.headers, body },
          (id) => (id === KEY.accessKeyId ? { secret: KEY.secretAccessKey } : undefined),
          new Date(),
        );
        const parsed = parseRequest({
          method: req.method ?? 'GET', query: url.search, body, contentType: req.headers['content-type'], signingService: auth.service,
        });
        service = parsed.model;
        const input = decodeQuery(parsed.params, parsed.operation);
        seen = { action: parsed.action, service: parsed.service, input, auth };
        const xml = encodeResponse(parsed.operation, handler(input), requestId);
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
      } catch (err) {
        const e = encodeError(err, requestId, service);
        res.writeHead(e.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(e.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Errors raised before the request is parsed (e.g. a bad signature) still need a namespace.
function parseServiceHint(body: Buffer) {
  return /Version=2011-06-15/.test(body.toString()) ? STS : IAM;
}

const iam = () => new IAMClient({ endpoint: `${endpoint}/`, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
const sts = () => new STSClient({ endpoint: `${endpoint}/`, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });

const user = {
  Path: '/eng/',
  UserName: 'alice',
  UserId: 'AIDAEXAMPLEEXAMPLE123',
  Arn: 'arn:aws:iam::123456789012:user/eng/alice',
  CreateDate: new Date('2026-11-23T14:30:00Z'),
  Tags: [{ Key: 'team', Value: 'a&b <c>' }],
};

describe('IAM through @aws-sdk/client-iam', () => {
  test('CreateUser: lists of structures in, a structure out', async () => {
    handler = () => ({ User: user });
    const out = await iam().send(new CreateUserCommand({
      UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'a+b c' }, { Key: 'env', Value: '' }],
    }));
    assert.equal(seen?.action, 'CreateUser');
    assert.equal(seen?.service, 'iam');
    assert.equal(seen?.auth.service, 'iam');
    assert.deepEqual(seen?.input, {
      Path: '/eng/', UserName: 'alice', Tags: [{ Key: 'team', Value: 'a+b c' }, { Key: 'env', Value: '' }],
    });
    assert.equal(out.User?.UserName, 'alice');
    assert.equal(out.User?.CreateDate?.toISOString(), '2026-11-23T14:30:00.000Z');
    assert.deepEqual(out.User?.Tags, [{ Key: 'team', Value: 'a&b <c>' }]);
    assert.equal(out.$metadata.requestId, 'c0ffee00-0000-4000-8000-000000000001');
  });

  test('ListUsers: integers in, lists, booleans and markers out', async () => {
    handler = () => ({ Users: [user, { ...user, UserName: 'bob' }], IsTruncated: true, Marker: 'next+/=' });
    const out = await iam().send(new ListUsersCommand({ MaxItems: 2, PathPrefix: '/eng/' }));
    assert.deepEqual(seen?.input, { PathPrefix: '/eng/', MaxItems: 2 });
    assert.deepEqual(out.Users?.map((u) => u.UserName), ['alice', 'bob']);
    assert.equal(out.IsTruncated, true);
    assert.equal(out.Marker, 'next+/=');
  });

  test('GetRolePolicy: the policy document travels URL-encoded', async () => {
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
    handler = () => ({ RoleName: 'r', PolicyName: 'p', PolicyDocument: doc });
    const out = await iam().send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'p' }));
    assert.notEqual(out.PolicyDocument, doc);
    assert.equal(decodeURIComponent(out.PolicyDocument ?? ''), doc);
  });

  test('GetAccountAuthorizationDetails: nested lists of structures and filters', async () => {
    handler = () => ({
      UserDetailList: [{ ...user, UserPolicyList: [{ PolicyName: 'p', PolicyDocument: '{}' }], GroupList: ['g1', 'g2'] }],
      IsTruncated: false,
    });
    const out = await iam().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Role'] }));
    assert.deepEqual(seen?.input, { Filter: ['User', 'Role'] });
    assert.deepEqual(out.UserDetailList?.[0]?.GroupList, ['g1', 'g2']);
    assert.equal(out.UserDetailList?.[0]?.UserPolicyList?.[0]?.PolicyDocument, '%7B%7D');
  });

  test('GetAccountSummary: a map', async () => {
    handler = () => ({ SummaryMap: { Users: 3, UsersQuota: 5000 } });
    const out = await iam().send(new GetAccountSummaryCommand({}));
    assert.deepEqual(out.SummaryMap, { Users: 3, UsersQuota: 5000 });
  });

  test('GetCredentialReport: a blob', async () => {
    handler = () => ({ Content: 'user,arn\nalice,arn:aws:iam::123456789012:user/alice\n', ReportFormat: 'text/csv', GeneratedTime: new Date('2026-11-23T14:30:00Z') });
    const out = await iam().send(new GetCredentialReportCommand({}));
    assert.equal(Buffer.from(out.Content ?? new Uint8Array()).toString('utf8'), 'user,arn\nalice,arn:aws:iam::123456789012:user/alice\n');
    assert.equal(out.GeneratedTime?.toISOString(), '2026-11-23T14:30:00.000Z');
  });

  test('SimulateCustomPolicy: lists of strings and of structures in', async () => {
    handler = () => ({ EvaluationResults: [], IsTruncated: false });
    await iam().send(new SimulateCustomPolicyCommand({
      PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'],
      ActionNames: ['s3:GetObject', 's3:PutObject'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.0.0.1'] }],
    }));
    assert.deepEqual(seen?.input, {
      PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'],
      ActionNames: ['s3:GetObject', 's3:PutObject'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' }],
    });
  });

  test('an empty list arrives as an empty list', async () => {
    handler = () => undefined;
    await iam().send(new UntagUserCommand({ UserName: 'alice', TagKeys: [] }));
    assert.deepEqual(seen?.input, { UserName: 'alice', TagKeys: [] });
  });

  test('an operation without output', async () => {
    handler = () => undefined;
    const out = await iam().send(new DeleteUserCommand({ UserName: 'alice' }));
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  test('a domain error reaches the SDK with its code, status and message', async () => {
    handler = () => {
      throw noSuchEntity('The user with name nobody cannot be found.');
    };
    await assert.rejects(iam().send(new GetUserCommand({ UserName: 'nobody' })), (e: Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }) => {
      assert.equal(e.name, 'NoSuchEntityException');
      assert.equal(e.message, 'The user with name nobody cannot be found.');
      assert.equal(e.$metadata?.httpStatusCode, 404);
      assert.equal(e.$fault, 'client');
      return true;
    });
  });

  test('a validation error reaches the SDK as ValidationError', async () => {
    handler = () => ({ User: user });
    await assert.rejects(iam().send(new CreateUserCommand({ UserName: 'a b' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ValidationError');
      assert.equal(e.message,
        "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
      assert.equal(e.$metadata?.httpStatusCode, 400);
      return true;
    });
  });

  test('an unexpected failure is an InternalFailure that says nothing of its cause', async () => {
    handler = () => {
      throw new Error('database password is hunter2');
    };
    await assert.rejects(iam().send(new GetUserCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }) => {
      assert.equal(e.name, 'InternalFailure');
      assert.doesNotMatch(e.message, /hunter2/);
      assert.equal(e.$metadata?.httpStatusCode, 500);
      assert.equal(e.$fault, 'server');
      return true;
    });
  });

  test('a wrong secret is refused with SignatureDoesNotMatch', async () => {
    const client = new IAMClient({ endpoint: `${endpoint}/`, region: 'us-east-1', credentials: { ...KEY, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    await assert.rejects(client.send(new GetUserCommand({})), (e: Error) => {
      assert.equal(e.name, 'SignatureDoesNotMatch');
      return true;
    });
  });
});

describe('STS through @aws-sdk/client-sts', () => {
  test('AssumeRole: lists of structures, tags and transitive keys in; credentials out', async () => {
    handler = () => ({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLEEXAMPLE12', SecretAccessKey: 'secret', SessionToken: 'token',
        Expiration: new Date('2026-11-23T15:30:00Z'),
      },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLEEXAMPLE12:s', Arn: 'arn:aws:sts::123456789012:assumed-role/r/s' },
      PackedPolicySize: 6,
    });
    const out = await sts().send(new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', DurationSeconds: 3600,
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Tags: [{ Key: 'project', Value: 'x' }], TransitiveTagKeys: ['project'],
    }));
    assert.equal(seen?.service, 'sts');
    assert.equal(seen?.auth.service, 'sts');
    assert.deepEqual(seen?.input, {
      RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], DurationSeconds: 3600,
      Tags: [{ Key: 'project', Value: 'x' }], TransitiveTagKeys: ['project'],
    });
    assert.equal(out.Credentials?.Expiration?.toISOString(), '2026-11-23T15:30:00.000Z');
    assert.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789012:assumed-role/r/s');
    assert.equal(out.PackedPolicySize, 6);
  });

  test('GetCallerIdentity', async () => {
    handler = () => ({ UserId: 'AIDAEXAMPLEEXAMPLE123', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' });
    const out = await sts().send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '123456789012');
    assert.equal(out.Arn, 'arn:aws:iam::123456789012:user/alice');
  });

  test('STS validation uses STS constraints', async () => {
    handler = () => ({});
    await assert.rejects(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', DurationSeconds: 60 })),
      (e: Error) => {
        assert.equal(e.name, 'ValidationError');
        assert.equal(e.message, "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
        return true;
      });
  });
});
