// LookupEvents over the JSON 1.1 protocol, signed as the SDKs sign it (service "cloudtrail",
// X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateUserCommand, DeleteUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { Sha256 } from '../../support/sha256.ts';
import { ADMIN, startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';

let gh: TestGatehouse;
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

async function lookup(body: Record<string, unknown>, creds = ADMIN, target = TARGET): Promise<{ status: number; json: any; contentType: string | null }> {
  const url = new URL(gh.endpoint);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service: 'cloudtrail', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: text,
  });
  const res = await fetch(gh.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  return { status: res.status, json: await res.json(), contentType: res.headers.get('content-type') };
}

before(async () => {
  gh = await startTestGatehouse({ root: true });
  for (const name of ['u1', 'u2', 'u3']) await gh.iam.send(new CreateUserCommand({ UserName: name }));
  await gh.iam.send(new DeleteUserCommand({ UserName: 'u3' }));
  await gh.iam.send(new ListUsersCommand({}));
});
after(() => gh.close());

test('without attributes: newest first, with the record as CloudTrailEvent', async () => {
  const r = await lookup({});
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'application/x-amz-json-1.1');
  const names = r.json.Events.map((e: any) => e.EventName);
  assert.deepEqual(names.slice(0, 5), ['ListUsers', 'DeleteUser', 'CreateUser', 'CreateUser', 'CreateUser']);
  const e = r.json.Events[1];
  assert.equal(typeof e.EventTime, 'number');
  assert.equal(e.ReadOnly, 'false');
  assert.equal(e.Username, 'admin');
  assert.equal(e.AccessKeyId, ADMIN.accessKeyId);
  assert.equal(e.EventSource, 'iam.amazonaws.com');
  assert.deepEqual(e.Resources, [{ ResourceType: 'AWS::IAM::User', ResourceName: 'u3' }]);
  assert.equal(JSON.parse(e.CloudTrailEvent).eventID, e.EventId);
});

test('each lookup attribute', async () => {
  const by = async (key: string, value: string) => (await lookup({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] })).json.Events as any[];
  assert.deepEqual((await by('EventName', 'CreateUser')).map((e) => e.Resources[0].ResourceName), ['u3', 'u2', 'u1']);
  const created = await by('EventName', 'DeleteUser');
  assert.equal(created.length, 1);
  assert.deepEqual((await by('EventId', created[0].EventId)).map((e) => e.EventName), ['DeleteUser']);
  assert.ok((await by('ReadOnly', 'true')).every((e) => e.ReadOnly === 'true'));
  assert.ok((await by('ReadOnly', 'false')).some((e) => e.EventName === 'DeleteUser'));
  assert.ok((await by('Username', 'admin')).length >= 5);
  assert.deepEqual((await by('ResourceName', 'u2')).map((e) => e.EventName), ['CreateUser']);
  assert.ok((await by('ResourceType', 'AWS::IAM::User')).length >= 4);
  assert.ok((await by('EventSource', 'iam.amazonaws.com')).length >= 5);
  assert.equal((await by('EventSource', 'sts.amazonaws.com')).length, 0);
  assert.ok((await by('AccessKeyId', ADMIN.accessKeyId)).length >= 5);
});

test('StartTime and EndTime bound the events', async () => {
  const future = Date.now() / 1000 + 3600;
  assert.equal((await lookup({ StartTime: future })).json.Events.length, 0);
  assert.ok((await lookup({ EndTime: future })).json.Events.length >= 5);
  const bad = await lookup({ StartTime: future, EndTime: future - 10 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.__type, 'InvalidTimeRangeException');
});

test('MaxResults and NextToken page through every event exactly once', async () => {
  const all = (await lookup({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'admin' }] })).json.Events.map((e: any) => e.EventId);
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = await lookup({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'admin' }], MaxResults: 2, NextToken: token });
    assert.ok(r.json.Events.length <= 2);
    seen.push(...r.json.Events.map((e: any) => e.EventId));
    token = r.json.NextToken;
  } while (token !== undefined);
  // Lookups are events too (by admin), newer than the first listing: compare the older part.
  assert.deepEqual(seen.slice(seen.length - all.length), all.slice(0));
  const wrong = await lookup({ MaxResults: 2, NextToken: 'garbage' });
  assert.equal(wrong.json.__type, 'InvalidNextTokenException');
});

test('invalid input answers CloudTrail exceptions', async () => {
  assert.equal((await lookup({ MaxResults: 51 })).json.__type, 'InvalidMaxResultsException');
  assert.equal((await lookup({ LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: 'x' }] })).json.__type, 'InvalidLookupAttributesException');
  const two = [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }];
  assert.equal((await lookup({ LookupAttributes: two })).json.__type, 'InvalidLookupAttributesException');
  const unknown = await lookup({}, ADMIN, 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.NoSuchThing');
  assert.equal(unknown.json.__type, 'UnknownOperationException');
});

test('the short target form works, and a caller without cloudtrail:LookupEvents is denied', async () => {
  assert.equal((await lookup({ MaxResults: 1 }, ADMIN, 'CloudTrail_20131101.LookupEvents')).status, 200);
  const denied = await lookup({}, await gh.user('nobody'));
  assert.equal(denied.status, 403);
  assert.equal(denied.json.__type, 'AccessDeniedException');
  assert.match(denied.json.message, /cloudtrail:LookupEvents/);
});

test('the real @aws-sdk/client-cloudtrail client reads the trail, with paging', async () => {
  const { CloudTrailClient, LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const ct = new CloudTrailClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
  const first = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }], MaxResults: 2 }));
  assert.equal(first.Events!.length, 2);
  assert.ok(first.Events![0]!.EventTime instanceof Date);
  assert.ok(first.NextToken);
  const rest = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }], NextToken: first.NextToken }));
  const paged = [...first.Events!, ...rest.Events!].map((e) => e.EventId);
  const all = (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] })).json.Events.map((e: any) => e.EventId);
  assert.deepEqual(paged, all);
  assert.ok(paged.length >= 3);
  ct.destroy();
});

test('aws cloudtrail lookup-events (Debian AWS CLI) works against Gatehouse', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)(
    '/usr/bin/aws',
    ['--endpoint-url', gh.endpoint, 'cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=DeleteUser', '--query', 'Events[].Resources[0].ResourceName', '--output', 'text'],
    { env: { PATH: '/usr/bin:/bin', AWS_ACCESS_KEY_ID: ADMIN.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', HOME: '/tmp' } },
  );
  assert.equal(stdout.trim(), 'u3');
});
