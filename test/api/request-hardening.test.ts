// What an attacker tried on the wire (issue 13): a body swapped after signing with
// UNSIGNED-PAYLOAD, credential scopes naming any region, STS errors in IAM's namespace, a
// CloudTrail operation Gatehouse does not serve, malformed list indexes. Each through a real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '../support/sha256.ts';
import { startTestGatehouse, type Credentials, type TestGatehouse } from '../support/gatehouse.ts';

let gh: TestGatehouse;
before(async () => {
  gh = await startTestGatehouse();
});
after(() => gh.close());

interface Sent {
  status: number;
  text: string;
}

interface SignOptions {
  service?: string;
  region?: string;
  headers?: Record<string, string>;
  credentials?: Credentials;
  /** The body sent, when it is not the body signed. */
  sendBody?: string;
}

/** A POST signed as the SDKs sign it, optionally with another body sent than the one signed. */
async function signedPost(body: string, o: SignOptions = {}): Promise<Sent> {
  const url = new URL(gh.endpoint);
  const signer = new SignatureV4({ service: o.service ?? 'iam', region: o.region ?? 'us-east-1', credentials: o.credentials ?? gh.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...o.headers },
    body,
  });
  const res = await fetch(gh.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body: o.sendBody ?? body });
  return { status: res.status, text: await res.text() };
}

const codeOf = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
const messageOf = (xml: string) => /<Message>([^<]*)<\/Message>/.exec(xml)?.[1]?.replace(/&apos;/g, "'");

describe('the payload hash is the hash of the body received', () => {
  test('a body swapped after signing with UNSIGNED-PAYLOAD does not run', async () => {
    const r = await signedPost('Action=ListUsers&Version=2010-05-08', {
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      sendBody: 'Action=CreateUser&UserName=mallory&Version=2010-05-08',
    });
    assert.equal(r.status, 403);
    assert.equal(codeOf(r.text), 'SignatureDoesNotMatch');
    await assert.rejects(gh.iam.send(new GetUserCommand({ UserName: 'mallory' })), { name: 'NoSuchEntityException' });
  });

  test('a request signed over its real body still works', async () => {
    const r = await signedPost('Action=ListUsers&Version=2010-05-08');
    assert.equal(r.status, 200);
  });
});

describe('the credential scope must name a valid region', () => {
  const iamIn = (region: string) => new IAMClient({ endpoint: gh.endpoint, region, credentials: gh.credentials, maxAttempts: 1 });
  const stsIn = (region: string) => new STSClient({ endpoint: gh.endpoint, region, credentials: gh.credentials, maxAttempts: 1 });

  for (const region of ['eu-west-1', 'zz-nowhere-9']) {
    test(`IAM refuses a scope of ${region}`, async () => {
      await assert.rejects(iamIn(region).send(new ListUsersCommand({})), {
        name: 'SignatureDoesNotMatch',
        message: `Credential should be scoped to a valid region, not '${region}'.`,
      });
    });
  }

  test('IAM accepts us-east-1, the aws partition\'s signing region', async () => {
    assert.ok((await iamIn('us-east-1').send(new ListUsersCommand({}))).Users);
  });

  test('STS accepts any region of the partition, and no other', async () => {
    assert.equal((await stsIn('eu-west-1').send(new GetCallerIdentityCommand({}))).Account, gh.accountId);
    await assert.rejects(stsIn('zz-nowhere-9').send(new GetCallerIdentityCommand({})), {
      name: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to a valid region, not 'zz-nowhere-9'.",
    });
  });
});

describe('STS errors', () => {
  test('carry the STS namespace, also when refused before the action is read', async () => {
    const wrongSecret = { accessKeyId: gh.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    const r = await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts', credentials: wrongSecret });
    assert.equal(r.status, 403);
    assert.equal(codeOf(r.text), 'SignatureDoesNotMatch');
    assert.match(r.text, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    const unknown = await signedPost('Action=NoSuchAction&Version=2011-06-15', { service: 'sts' });
    assert.equal(codeOf(unknown.text), 'InvalidAction');
    assert.match(unknown.text, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  });

  test('IAM errors keep the IAM namespace', async () => {
    const wrongSecret = { accessKeyId: gh.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    const r = await signedPost('Action=ListUsers&Version=2010-05-08', { credentials: wrongSecret });
    assert.match(r.text, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/);
  });
});

describe('CloudTrail', () => {
  test('an operation Gatehouse does not serve answers UnknownOperationException 400', async () => {
    const url = new URL(gh.endpoint);
    const signer = new SignatureV4({ service: 'cloudtrail', region: 'us-east-1', credentials: gh.credentials, sha256: Sha256 });
    const target = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails';
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: '{}',
    });
    const res = await fetch(gh.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body: '{}' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { __type: 'UnknownOperationException', message: `Unrecognized operation ${target}` });
  });
});

describe('malformed list indexes', () => {
  for (const index of ['-1', '0', '__proto__']) {
    test(`Tags.member.${index} is refused and creates nothing`, async () => {
      const name = `tagged${index.replace(/\W/g, '')}`;
      const r = await signedPost(`Action=CreateUser&Version=2010-05-08&UserName=${name}&Tags.member.${index}.Key=team&Tags.member.${index}.Value=x`);
      assert.equal(r.status, 400);
      assert.equal(codeOf(r.text), 'MalformedInput');
      assert.equal(messageOf(r.text), `Invalid list index '${index}' at 'tags': list members are numbered from 1.`);
      await assert.rejects(gh.iam.send(new GetUserCommand({ UserName: name })), { name: 'NoSuchEntityException' });
    });
  }
});
