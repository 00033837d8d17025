// An anonymous flood is recorded in aggregate: one event per source address and error code per
// minute in full, and one that counts the rest (additionalEventData.AggregatedCount). The counts
// add up to the requests made, LookupEvents finds the aggregate, and the chain verifies.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { runAudit } from '../../src/cli/audit.ts';
import { ManualClock } from '../../src/model/clock.ts';
import { ADMIN, startTestGatehouse, type TestGatehouse, type TrailEvent } from '../support/gatehouse.ts';
import { Sha256 } from '../support/sha256.ts';

const BODY = 'Action=ListUsers&Version=2010-05-08';
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
/** Signed with the admin's key id but not its secret (SignatureDoesNotMatch); a signature may be replayed. */
async function badlySigned(gh: TestGatehouse): Promise<Record<string, string>> {
  const url = new URL(gh.endpoint);
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: { accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret' }, sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, ...FORM }, body: BODY });
  return signed.headers;
}

/** `n` requests on `connections` keep-alive connections; answers the statuses seen. */
async function flood(gh: TestGatehouse, n: number, headers: (i: number) => Record<string, string>, path = '/', body = BODY, connections = 16) {
  const url = new URL(gh.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const r = request({ host: url.hostname, port: url.port, method: 'POST', path, headers: headers(i), agent }, (res) => {
        statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
        res.resume();
        res.on('end', resolve);
      });
      r.on('error', reject);
      r.end(body);
    });
  await Promise.all(Array.from({ length: connections }, async () => {
    for (let i = next++; i < n; i = next++) await one(i);
  }));
  agent.destroy();
  return statuses;
}

const countOf = (e: TrailEvent) => ((e.additionalEventData?.AggregatedCount as number | undefined) ?? 1);

describe('an anonymous flood', () => {
  let gh: TestGatehouse;
  let BAD_AUTH: Record<string, string>;
  before(async () => {
    gh = await startTestGatehouse({ root: true, env: { GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD: '3' } });
    BAD_AUTH = await badlySigned(gh);
  });
  beforeEach(() => gh.reset());
  after(() => gh.close());

  test('of 2,000 unsigned and badly signed calls is stored as a handful of events whose counts add up', async () => {
    const before = (await gh.events()).length;
    const started = performance.now();
    const statuses = await flood(gh, 2000, (i) => (i % 2 === 0 ? FORM : BAD_AUTH));
    assert.ok(performance.now() - started < 30_000);
    assert.deepEqual([...statuses], [[403, 2000]]);

    const events = (await gh.events()).slice(before);
    const byCode = (code: string) => events.filter((e) => e.errorCode === code);
    for (const code of ['MissingAuthenticationToken', 'SignatureDoesNotMatch']) {
      const of = byCode(code);
      // One in full and one counting the rest per minute (two windows if the flood straddles one).
      assert.ok(of.length >= 2 && of.length <= 4, `${code}: ${of.length} events`);
      assert.equal(of.reduce((n, e) => n + countOf(e), 0), 1000, `${code}: the counts add up to the requests`);
      const [first, aggregate] = of;
      assert.equal(first!.additionalEventData, undefined, 'the first of a window is an ordinary record');
      assert.equal(aggregate!.eventName, 'ListUsers');
      assert.equal(aggregate!.sourceIPAddress, '127.0.0.1');
      assert.equal(aggregate!.errorCode, code);
      assert.match(String(aggregate!.additionalEventData!.FirstEventTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(String(aggregate!.additionalEventData!.LastEventTime) >= String(aggregate!.additionalEventData!.FirstEventTime));
      assert.notEqual(aggregate!.eventID, first!.eventID);
    }
    assert.equal(events.length, byCode('MissingAuthenticationToken').length + byCode('SignatureDoesNotMatch').length, 'nothing else was written');
  });

  test('aggregates are found by LookupEvents', async () => {
    await flood(gh, 50, () => FORM, '/', 'Action=GetUser&Version=2010-05-08');
    const ct = new CloudTrailClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
    const found = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }] }));
    const records = (found.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as TrailEvent);
    const anonymous = records.filter((e) => e.errorCode === 'MissingAuthenticationToken');
    assert.equal(anonymous.reduce((n, e) => n + countOf(e), 0), 50);
    assert.ok(anonymous.some((e) => e.additionalEventData?.AggregatedCount === 49));
    ct.destroy();
  });

  test('calls made by someone are each recorded: AccessDenied is not aggregated', async () => {
    const before = (await gh.events()).length;
    const nobody = await gh.user('nobody');
    for (let i = 0; i < 3; i++) await assert.rejects(nobody.iam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
    const denied = (await gh.events()).slice(before).filter((e) => e.errorCode === 'AccessDenied');
    assert.equal(denied.length, 3);
    assert.ok(denied.every((e) => e.additionalEventData === undefined));
  });

  test('sign-ins refused without a password check are aggregated; failed passwords are each recorded', async () => {
    const before = (await gh.events()).length;
    const statuses = await flood(gh, 200, () => ({ 'content-type': 'application/json' }), '/signin', JSON.stringify({ account: gh.accountId, userName: 'alice', password: 'Wrong-passw0rd!' }), 4);
    assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), 200);
    const failures = (await gh.events()).slice(before).filter((e) => e.eventName === 'ConsoleLogin');
    assert.equal(failures.reduce((n, e) => n + countOf(e), 0), 200, 'the counts add up to the attempts');
    // 3 failed passwords lock the source out (GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD); its refusals are counted.
    assert.ok(failures.length <= 3 + 2 * 3, `${failures.length} events`);
    const aggregate = failures.find((e) => (e.additionalEventData?.AggregatedCount as number) > 1)!;
    assert.equal(aggregate.additionalEventData!.LoginTo, 'gatehouse', "a ConsoleLogin aggregate keeps the record's own additional data");
  });

  test('the chain verifies over aggregated events', async () => {
    await flood(gh, 100, (i) => (i % 2 === 0 ? FORM : BAD_AUTH));
    await gh.close(true);
    try {
      let text = '';
      assert.equal(await runAudit(['verify', '--data-dir', gh.dataDir], { out: (t) => (text += t) }), 0, text);
    } finally {
      rmSync(gh.dataDir, { recursive: true, force: true });
      gh = await startTestGatehouse();
    }
  });
});

describe('an aggregation window', () => {
  let gh: TestGatehouse;
  const clock = new ManualClock(new Date());
  before(async () => {
    gh = await startTestGatehouse({ clock });
  });
  after(() => gh.close());

  test('lasts a minute: the next failure after it is recorded in full, and the count is written', async () => {
    const start = (await gh.events()).length;
    await flood(gh, 3, () => FORM, '/', BODY, 1);
    clock.advance(61_000);
    await flood(gh, 1, () => FORM, '/', BODY, 1);
    const events = (await gh.events()).slice(start).filter((e) => e.errorCode === 'MissingAuthenticationToken');
    assert.deepEqual(events.map(countOf), [1, 2, 1], 'first, the count of the rest when the window closed, the next window’s first');
    assert.equal(events[1]!.additionalEventData!.AggregatedCount, 2);
  });
});
