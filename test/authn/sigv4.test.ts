import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../support/sha256.ts';
import { verifySigV4, canonicalQuery, canonicalUri, parseQuery, uriEncode, type SigV4Request } from '../../src/authn/sigv4.ts';
import { AwsError } from '../../src/model/errors.ts';
import { partitionOf } from '../../src/authn/regions.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const lookup = (id: string) => (id === KEY.accessKeyId ? { secret: KEY.secretAccessKey, user: 'alice' } : undefined);
const NOW = new Date('2026-11-23T14:30:00Z');

interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

function toWire(r: SdkRequest): SigV4Request {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const query = Object.entries(r.query).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
  return { method: r.method, path: r.path, query, headers, body: Buffer.from(r.body ?? '') };
}

function signer(service = 'iam', credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = KEY) {
  return new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256 });
}

function postRequest(body = 'Action=ListUsers&Version=2010-05-08'): SdkRequest {
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: 'iam.example.test',
    path: '/',
    query: {},
    headers: { host: 'iam.example.test', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  };
}

async function signedPost(body?: string, at = NOW): Promise<SigV4Request> {
  return toWire((await signer().sign(postRequest(body), { signingDate: at })) as SdkRequest);
}

function assertAwsError(fn: () => unknown, code: string, status: number, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError, `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('AWS test vector (IAM ListUsers, from the SigV4 documentation)', () => {
  const vector: SigV4Request = {
    method: 'GET',
    path: '/',
    query: 'Action=ListUsers&Version=2010-05-08',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-amz-date': '20150830T123600Z',
      host: 'iam.amazonaws.com',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, '
        + 'SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    },
    body: Buffer.alloc(0),
  };
  const vectorLookup = (id: string) => (id === 'AKIDEXAMPLE' ? { secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } : undefined);

  test('verifies', () => {
    const r = verifySigV4(vector, vectorLookup, new Date('2015-08-30T12:36:00Z'));
    assert.equal(r.accessKeyId, 'AKIDEXAMPLE');
    assert.equal(r.region, 'us-east-1');
    assert.equal(r.service, 'iam');
    assert.deepEqual(r.signedHeaders, ['content-type', 'host', 'x-amz-date']);
    assert.equal(r.date.toISOString(), '2015-08-30T12:36:00.000Z');
    assert.equal(r.presigned, false);
  });

  test('a changed query no longer verifies', () => {
    assertAwsError(() => verifySigV4({ ...vector, query: 'Action=ListRoles&Version=2010-05-08' }, vectorLookup,
      new Date('2015-08-30T12:36:00Z')), 'SignatureDoesNotMatch', 403,
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  });
});

describe('requests signed by the AWS SDK signer', () => {
  test('Authorization header over a form body', async () => {
    const r = verifySigV4(await signedPost(), lookup, NOW);
    assert.equal(r.accessKeyId, KEY.accessKeyId);
    assert.equal(r.credential.user, 'alice');
    assert.equal(r.service, 'iam');
    assert.ok(r.signedHeaders.includes('host'));
    assert.equal(r.securityToken, undefined);
  });

  test('returns the session token of temporary credentials', async () => {
    const s = signer('sts', { ...KEY, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' });
    const req = toWire((await s.sign({ ...postRequest('Action=GetCallerIdentity&Version=2011-06-15') }, { signingDate: NOW })) as SdkRequest);
    const r = verifySigV4(req, lookup, NOW);
    assert.equal(r.securityToken, 'FwoGZXIvYXdzEXAMPLETOKEN');
    assert.equal(r.service, 'sts');
  });

  test('a tampered body does not verify', async () => {
    const req = await signedPost();
    assertAwsError(() => verifySigV4({ ...req, body: Buffer.from('Action=DeleteUser&UserName=bob&Version=2010-05-08') }, lookup, NOW),
      'SignatureDoesNotMatch', 403);
  });

  test('a wrong secret does not verify', async () => {
    const req = await signedPost();
    assertAwsError(() => verifySigV4(req, () => ({ secret: 'not-the-secret' }), NOW), 'SignatureDoesNotMatch', 403);
  });

  test('a signed header whose value has runs of whitespace verifies: values are trimmed and folded', async () => {
    for (const value of ['  a   b\tc  ', 'one two', 'tab\there', 'a \t b']) {
      const request = postRequest();
      request.headers['x-gatehouse-note'] = value;
      const req = toWire((await signer().sign(request, { signingDate: NOW })) as SdkRequest);
      assert.ok(String(req.headers.authorization).includes('x-gatehouse-note'));
      assert.equal(verifySigV4(req, lookup, NOW).accessKeyId, KEY.accessKeyId, JSON.stringify(value));
      // Folding is not ignoring: a value that differs beyond whitespace does not verify.
      assertAwsError(() => verifySigV4({ ...req, headers: { ...req.headers, 'x-gatehouse-note': `${value}!` } }, lookup, NOW), 'SignatureDoesNotMatch', 403);
    }
  });

  test('a credential seen before is still checked against what this request allows', async () => {
    const req = await signedPost();
    assert.equal(verifySigV4(req, lookup, NOW).service, 'iam');
    assertAwsError(() => verifySigV4(req, lookup, NOW, { services: ['cloudtrail'] }), 'SignatureDoesNotMatch', 403, "Credential should be scoped to correct service: 'cloudtrail'.");
    assertAwsError(() => verifySigV4(req, () => undefined, NOW), 'InvalidClientTokenId', 403);
    const later = new Date(NOW.getTime() + 16 * 60 * 1000);
    assertAwsError(() => verifySigV4(req, lookup, later), 'SignatureDoesNotMatch', 403, /Signature expired/);
  });

  test('the signature may be written in upper-case hex', async () => {
    const req = await signedPost();
    const authorization = String(req.headers.authorization).replace(/Signature=([0-9a-f]+)/, (_, sig: string) => `Signature=${sig.toUpperCase()}`);
    assert.equal(verifySigV4({ ...req, headers: { ...req.headers, authorization } }, lookup, NOW).accessKeyId, KEY.accessKeyId);
  });

  test('a credential whose secret changed stops verifying what the old secret signed', async () => {
    const req = await signedPost();
    const credential = { secret: KEY.secretAccessKey };
    assert.equal(verifySigV4(req, () => credential, NOW).credential, credential);
    credential.secret = 'rotated-secret';
    assertAwsError(() => verifySigV4(req, () => credential, NOW), 'SignatureDoesNotMatch', 403);
  });

  test('repeated Authorization parameters: the last of each name counts', async () => {
    const req = await signedPost();
    const authorization = String(req.headers.authorization).replace('Signature=', `Signature=${'0'.repeat(64)}, Signature=`);
    assert.equal(verifySigV4({ ...req, headers: { ...req.headers, authorization } }, lookup, NOW).accessKeyId, KEY.accessKeyId);
    const reversed = `${String(req.headers.authorization)}, Signature=${'0'.repeat(64)}`;
    assertAwsError(() => verifySigV4({ ...req, headers: { ...req.headers, authorization: reversed } }, lookup, NOW), 'SignatureDoesNotMatch', 403);
  });

  test('UNSIGNED-PAYLOAD is not honoured: the payload hash is the hash of the body received', async () => {
    const request = postRequest();
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const req = toWire((await signer().sign(request, { signingDate: NOW })) as SdkRequest);
    const swapped = { ...req, body: Buffer.from('Action=CreateUser&UserName=mallory&Version=2010-05-08') };
    assertAwsError(() => verifySigV4(swapped, lookup, NOW), 'SignatureDoesNotMatch', 403);
    // Not even with the very body it was signed with: the signature covers the literal, not the body.
    assertAwsError(() => verifySigV4(req, lookup, NOW), 'SignatureDoesNotMatch', 403);
  });

  test('UNSIGNED-PAYLOAD is honoured only where explicitly allowed (S3-style proxying)', async () => {
    const request = postRequest();
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const req = toWire((await signer().sign(request, { signingDate: NOW })) as SdkRequest);
    const options = { allowUnsignedPayload: true };
    assert.equal(verifySigV4({ ...req, body: Buffer.from('anything') }, lookup, NOW, options).accessKeyId, KEY.accessKeyId);
    // Allowing it does not make a request that declares a real hash skip the body.
    const hashed = await signedPost();
    assertAwsError(() => verifySigV4({ ...hashed, body: Buffer.from('Action=CreateUser') }, lookup, NOW, options), 'SignatureDoesNotMatch', 403);
  });

  test('query parameters with characters that need encoding', async () => {
    const request: SdkRequest = {
      ...postRequest(''),
      method: 'GET',
      query: { Action: 'GetUser', UserName: 'a+b=c@d', Version: '2010-05-08', 'Tags.member.1.Value': 'x y/z*' },
    };
    delete request.body;
    const req = toWire((await signer().sign(request, { signingDate: NOW })) as SdkRequest);
    assert.equal(verifySigV4(req, lookup, NOW).accessKeyId, KEY.accessKeyId);
  });

  test('unknown access key', async () => {
    const req = await signedPost();
    assertAwsError(() => verifySigV4(req, () => undefined, NOW), 'InvalidClientTokenId', 403,
      'The security token included in the request is invalid.');
  });
});

describe('presigned query', () => {
  async function presigned(expiresIn = 900): Promise<SigV4Request> {
    const request: SdkRequest = {
      method: 'GET',
      protocol: 'https:',
      hostname: 'sts.example.test',
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: 'sts.example.test' },
    };
    const s = signer('sts', { ...KEY, sessionToken: 'SESSIONTOKEN' });
    return toWire((await s.presign(request, { expiresIn, signingDate: NOW })) as SdkRequest);
  }

  test('verifies within its expiry and returns the token', async () => {
    const req = await presigned();
    assert.match(req.query, /X-Amz-Signature=/);
    const r = verifySigV4(req, lookup, new Date(NOW.getTime() + 899_000));
    assert.equal(r.presigned, true);
    assert.equal(r.securityToken, 'SESSIONTOKEN');
  });

  test('expires after X-Amz-Expires', async () => {
    const req = await presigned(60);
    assertAwsError(() => verifySigV4(req, lookup, new Date(NOW.getTime() + 61_000)), 'RequestExpired', 400, 'Request has expired.');
  });

  test('a changed parameter does not verify', async () => {
    const req = await presigned();
    assertAwsError(() => verifySigV4({ ...req, query: req.query.replace('GetCallerIdentity', 'GetSessionToken') }, lookup, NOW),
      'SignatureDoesNotMatch', 403);
  });

  test('a missing presign parameter is an incomplete signature', async () => {
    const req = await presigned();
    const query = req.query.split('&').filter((p) => !p.startsWith('X-Amz-Date=')).join('&');
    assertAwsError(() => verifySigV4({ ...req, query }, lookup, NOW), 'IncompleteSignature', 400,
      "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
  });

  test('X-Amz-Expires over a week is refused', async () => {
    const req = await presigned();
    const query = req.query.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801');
    assertAwsError(() => verifySigV4({ ...req, query }, lookup, NOW), 'IncompleteSignature', 400);
  });
});

describe('malformed and missing authentication', () => {
  const base: SigV4Request = { method: 'POST', path: '/', query: '', headers: { host: 'h' }, body: Buffer.alloc(0) };

  test('no authentication at all', () => {
    assertAwsError(() => verifySigV4(base, lookup, NOW), 'MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
  });

  test('Authorization header without its parameters', () => {
    const header = 'AWS AKIAIOSFODNN7EXAMPLE:qaNdqGsI6bq4Hi+9Gzovwyjbh0E=';
    assertAwsError(() => verifySigV4({ ...base, headers: { host: 'h', authorization: header } }, lookup, NOW), 'IncompleteSignature', 400,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
      + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
      + `'X-Amz-Date' or a 'Date' header. Authorization=${header}`);
  });

  test('a parameter without an equal sign', () => {
    const header = 'AWS4-HMAC-SHA256 Credential AKIA/20261123/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00';
    assertAwsError(() => verifySigV4({ ...base, headers: { host: 'h', authorization: header, 'x-amz-date': '20261123T143000Z' } }, lookup, NOW),
      'IncompleteSignature', 400,
      `'Credential AKIA/20261123/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
  });

  test('a credential with four elements', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20261123/us-east-1/iam, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    assertAwsError(() => verifySigV4({ ...base, headers: { host: 'h', authorization: header, 'x-amz-date': '20261123T143000Z' } }, lookup, NOW),
      'IncompleteSignature', 400, /Credential must have exactly 5 slash-delimited elements/);
  });

  function withScope(scope: string, signedHeaders = 'host;x-amz-date', date = '20261123T143000Z'): SigV4Request {
    const authorization = `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${'0'.repeat(64)}`;
    return { ...base, headers: { host: 'h', authorization, 'x-amz-date': date } };
  }

  test('credential scope checks', () => {
    assertAwsError(() => verifySigV4(withScope('20261123/us-east-1/s3/aws4_request'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped to correct service: 'iam' or 'sts'.");
    assertAwsError(() => verifySigV4(withScope('20261123/us-east-1/iam/aws4_reqest'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'.");
    assertAwsError(() => verifySigV4(withScope('20261122/us-east-1/iam/aws4_request'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261122' != '20261123', from 'X-Amz-Date'.");
    assertAwsError(() => verifySigV4(withScope('20261123//iam/aws4_request'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      'Credential should be scoped to a valid region.');
  });

  test('IAM must be scoped to the partition\'s global signing region', () => {
    for (const region of ['eu-west-1', 'zz-nowhere-9', 'cn-northwest-1', 'us-gov-east-1', 'us-iso-west-1']) {
      assertAwsError(() => verifySigV4(withScope(`20261123/${region}/iam/aws4_request`), lookup, NOW), 'SignatureDoesNotMatch', 403,
        `Credential should be scoped to a valid region, not '${region}'.`);
    }
    // In aws-cn the signing region is cn-north-1, and us-east-1 is not valid there.
    const cn = { partition: partitionOf('cn-northwest-1') };
    assertAwsError(() => verifySigV4(withScope('20261123/us-east-1/iam/aws4_request'), lookup, NOW, cn), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped to a valid region, not 'us-east-1'.");
    // A region that passes the scope checks reaches the signature check.
    assertAwsError(() => verifySigV4(withScope('20261123/cn-north-1/iam/aws4_request'), lookup, NOW, cn), 'SignatureDoesNotMatch', 403,
      /The request signature we calculated does not match/);
  });

  test('the scope\'s region names the partition addressed, and the key is looked up there', () => {
    const asked: string[] = [];
    const inPartition = (id: string, partition: { id: string }) => {
      asked.push(partition.id);
      return partition.id === 'aws' ? lookup(id) : undefined;
    };
    for (const scope of ['cn-north-1/iam', 'cn-northwest-1/sts', 'us-gov-west-1/iam', 'us-iso-east-1/iam', 'us-isob-east-1/iam', 'eu-isoe-west-1/iam', 'us-isof-south-1/iam']) {
      assertAwsError(() => verifySigV4(withScope(`20261123/${scope}/aws4_request`), inPartition, NOW), 'InvalidClientTokenId', 403,
        'The security token included in the request is invalid.');
    }
    assert.deepEqual(asked, ['aws-cn', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f']);
  });

  test('STS and CloudTrail may be scoped to any region of the partition, and only those', () => {
    assertAwsError(() => verifySigV4(withScope('20261123/eu-west-1/sts/aws4_request'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      /The request signature we calculated does not match/);
    assertAwsError(() => verifySigV4(withScope('20261123/zz-nowhere-9/sts/aws4_request'), lookup, NOW), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped to a valid region, not 'zz-nowhere-9'.");
    const aws = { partition: partitionOf('us-east-1') };
    assertAwsError(() => verifySigV4(withScope('20261123/us-gov-west-1/sts/aws4_request'), lookup, NOW, aws), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped to a valid region, not 'us-gov-west-1'.");
    const cloudtrail = { services: ['cloudtrail'] };
    assertAwsError(() => verifySigV4(withScope('20261123/zz-nowhere-9/cloudtrail/aws4_request'), lookup, NOW, cloudtrail), 'SignatureDoesNotMatch', 403,
      "Credential should be scoped to a valid region, not 'zz-nowhere-9'.");
  });

  test('a request signed for a valid STS region verifies', async () => {
    const signed = await new SignatureV4({ credentials: KEY, region: 'eu-west-1', service: 'sts', sha256: Sha256 })
      .sign({ ...postRequest('Action=GetCallerIdentity&Version=2011-06-15'), hostname: 'sts.example.test', headers: { host: 'sts.example.test', 'content-type': 'application/x-www-form-urlencoded' } }, { signingDate: NOW });
    const r = verifySigV4(toWire(signed as SdkRequest), lookup, NOW);
    assert.equal(r.region, 'eu-west-1');
    assert.equal(r.service, 'sts');
  });

  test('the host header must be signed', () => {
    assertAwsError(() => verifySigV4(withScope('20261123/us-east-1/iam/aws4_request', 'x-amz-date'), lookup, NOW), 'IncompleteSignature', 400,
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('a date not in ISO 8601 basic format', () => {
    assertAwsError(() => verifySigV4(withScope('20261123/us-east-1/iam/aws4_request', 'host;x-amz-date', '2026-11-23T14:30:00Z'), lookup, NOW),
      'IncompleteSignature', 400, /Date must be in ISO-8601 'basic format'/);
  });

  test('a signature that is not 64 hex digits', async () => {
    const req = await signedPost();
    const authorization = String(req.headers.authorization).replace(/Signature=[0-9a-f]+/, 'Signature=abc');
    assertAwsError(() => verifySigV4({ ...req, headers: { ...req.headers, authorization } }, lookup, NOW), 'SignatureDoesNotMatch', 403);
  });
});

describe('clock skew', () => {
  test('more than 15 minutes old', async () => {
    const req = await signedPost(undefined, new Date('2026-11-23T14:14:59Z'));
    assertAwsError(() => verifySigV4(req, lookup, NOW), 'SignatureDoesNotMatch', 403,
      'Signature expired: 20261123T141459Z is now earlier than 20261123T141500Z (20261123T143000Z - 15 min.)');
  });

  test('exactly 15 minutes old still verifies', async () => {
    const req = await signedPost(undefined, new Date('2026-11-23T14:15:00Z'));
    assert.equal(verifySigV4(req, lookup, NOW).accessKeyId, KEY.accessKeyId);
  });

  test('more than 15 minutes in the future', async () => {
    const req = await signedPost(undefined, new Date('2026-11-23T14:45:01Z'));
    assertAwsError(() => verifySigV4(req, lookup, NOW), 'SignatureDoesNotMatch', 403,
      'Signature not yet current: 20261123T144501Z is still later than 20261123T144500Z (20261123T143000Z + 15 min.)');
  });
});

describe('canonical request pieces', () => {
  test('URI encoding leaves only unreserved characters', () => {
    assert.equal(uriEncode("a b+c/d*e!f'(g)~h-i_j.k"), 'a%20b%2Bc%2Fd%2Ae%21f%27%28g%29~h-i_j.k');
  });

  test('query is decoded, re-encoded and sorted by name then value', () => {
    assert.equal(canonicalQuery(parseQuery('b=2&a=z&a=y&c&d=%7e')), 'a=y&a=z&b=2&c=&d=~');
    assert.equal(canonicalQuery(parseQuery('X-Amz-Signature=ff&a=1'), 'X-Amz-Signature'), 'a=1');
  });

  test('path is normalised and encoded again', () => {
    assert.equal(canonicalUri(''), '');
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri('/a/./b/../c//d/'), '/a/c/d/');
    assert.equal(canonicalUri('/a%20b'), '/a%2520b');
  });
});
