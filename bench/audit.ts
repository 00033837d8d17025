// npm run bench:audit -- [events]
// Loads 1,000,000 (or the given number of) CloudTrail records into a fresh store, the way the
// server writes them (keyed hash chain, lookup keys), then times LookupEvents-style queries: the
// newest page, by each kind of attribute, within a time range, and a later page. Prints one JSON
// line. Each lookup should take well under a millisecond whatever the number of events, but one:
// an event id is looked up among the events of its second (query.ts), so eventIdBusySecond, in a
// second of 10,000 events (more than the server writes in one), reads them all.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingKeyOf } from '../src/audit/digest.ts';
import { lookupKeysOf } from '../src/audit/lookup-keys.ts';
import { EventQueries } from '../src/audit/query.ts';
import type { CloudTrailEvent } from '../src/audit/event.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';

const total = Number(process.argv[2] || 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-audit-'));
// The chain keyed as the server keys it (audit/digest.ts).
const store = await openSqliteStore(dir, { eventKeys: lookupKeysOf, chainKey: signingKeyOf(generateKeyPairSync('ed25519').privateKey).chainKey });
const names = ['ListUsers', 'GetUser', 'CreateUser', 'DeleteUser', 'AttachUserPolicy', 'ListRoles', 'AssumeRole', 'GetCallerIdentity'];
const start = Date.parse('2024-01-01T00:00:00Z');

/** A UUIDv7 of the event's time, as the recorder makes them (model/ids.ts), with `n` as its random part. */
function eventIdAt(ms: number, n: number): string {
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

function event(i: number): CloudTrailEvent {
  const name = names[i % names.length]!;
  const user = `user-${i % 1000}`;
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', principalId: `AIDA${String(i % 1000).padStart(17, '0')}`, arn: `arn:aws:iam::123456789012:user/${user}`, accountId: '123456789012', accessKeyId: `AKIA${String(i % 1000).padStart(16, '0')}`, userName: user },
    eventTime: `${new Date(start + i * 1000).toISOString().slice(0, 19)}Z`,
    eventSource: name === 'AssumeRole' || name === 'GetCallerIdentity' ? 'sts.amazonaws.com' : 'iam.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: `10.0.${(i >> 8) & 255}.${i & 255}`,
    userAgent: 'aws-sdk-js/3',
    requestParameters: name.startsWith('List') ? null : { userName: `target-${i % 5000}` },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: eventIdAt(start + i * 1000, i),
    readOnly: !/^(Create|Delete|Attach)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  };
}

const loadStarted = performance.now();
const BATCH = 5000;
for (let i = 0; i < total; i += BATCH) {
  const batch: CloudTrailEvent[] = [];
  for (let j = i; j < Math.min(total, i + BATCH); j++) batch.push(event(j));
  await store.appendEvents(batch, false);
}
const loadSeconds = (performance.now() - loadStarted) / 1000;
// Then a busy second, after the last: 10,000 events whose ids are 0.1 ms apart.
const busyStart = start + total * 1000;
const busy = Array.from({ length: 10_000 }, (_, j) => ({ ...event(total), eventTime: `${new Date(busyStart).toISOString().slice(0, 19)}Z`, eventID: eventIdAt(busyStart + Math.floor(j / 10), total + j) }));
for (let i = 0; i < busy.length; i += BATCH) await store.appendEvents(busy.slice(i, i + BATCH), false);

const q = new EventQueries(store);
const mid = `${new Date(start + (total / 2) * 1000).toISOString().slice(0, 19)}Z`;
const midEnd = `${new Date(start + (total / 2 + 3600) * 1000).toISOString().slice(0, 19)}Z`;
const cases: Record<string, Parameters<EventQueries['page']>[0]> = {
  newest: { limit: 50 },
  eventName: { attribute: { key: 'EventName', value: 'DeleteUser' }, limit: 50 },
  username: { attribute: { key: 'Username', value: 'user-42' }, limit: 50 },
  resourceName: { attribute: { key: 'ResourceName', value: 'target-4242' }, limit: 50 },
  eventId: { attribute: { key: 'EventId', value: event(Math.floor(total / 3)).eventID }, limit: 50 },
  eventIdBusySecond: { attribute: { key: 'EventId', value: busy[5000]!.eventID }, limit: 50 },
  readOnlyInRange: { attribute: { key: 'ReadOnly', value: 'false' }, start: mid, end: midEnd, limit: 50 },
  accessKeyId: { attribute: { key: 'AccessKeyId', value: 'AKIA0000000000000007' }, limit: 50 },
};
const results: Record<string, { ms: number; rows: number }> = {};
for (const [name, query] of Object.entries(cases)) {
  await q.page(query); // warm
  const runs = 20;
  const t = performance.now();
  let rows = 0;
  for (let i = 0; i < runs; i++) rows = (await q.page(query)).rows.length;
  results[name] = { ms: Number(((performance.now() - t) / runs).toFixed(3)), rows };
}
// A deep page: continue after the 10,000th newest DeleteUser.
const deep = await q.page({ attribute: { key: 'EventName', value: 'DeleteUser' }, limit: 10_000 });
const lastRow = deep.rows.at(-1)!;
const t = performance.now();
const next = await q.page({ attribute: { key: 'EventName', value: 'DeleteUser' }, after: { time: lastRow.time, id: lastRow.id }, limit: 50 });
results.laterPage = { ms: Number((performance.now() - t).toFixed(3)), rows: next.rows.length };

process.stdout.write(`${JSON.stringify({ name: 'audit', events: total, loadSeconds: Number(loadSeconds.toFixed(1)), lookups: results })}\n`);
await store.close();
rmSync(dir, { recursive: true, force: true });
