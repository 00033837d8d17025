// npm run bench:last-accessed -- [events]
// What a service last accessed report costs to read from the trail (analyzer/last-accessed-index.ts):
// loads 200,000 (or the given number of) events of 1,000 users into a fresh SQLite store, then
// times the index's first catch-up (the whole trail, as after a restart), a catch-up over 1,000
// new events (what a report made after a busy minute reads), and one with nothing new. Prints one
// JSON line. The first costs in proportion to the trail; every later one to what was written since.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LastAccessedIndex } from '../src/analyzer/last-accessed-index.ts';
import { lookupKeysOf } from '../src/audit/lookup-keys.ts';
import { EventQueries } from '../src/audit/query.ts';
import type { CloudTrailEvent } from '../src/audit/event.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';

const total = Number(process.argv[2] || 200_000);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-last-accessed-'));
const store = await openSqliteStore(dir, { eventKeys: lookupKeysOf });
const names = ['ListUsers', 'GetUser', 'CreateUser', 'DeleteUser', 'AttachUserPolicy', 'ListRoles', 'AssumeRole', 'GetCallerIdentity'];
const start = Date.parse('2024-01-01T00:00:00Z');

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
    sourceIPAddress: '10.0.0.1',
    userAgent: 'aws-sdk-js/3',
    requestParameters: name.startsWith('List') ? null : { userName: `target-${i % 5000}` },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`,
    readOnly: !/^(Create|Delete|Attach)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  };
}

async function load(from: number, to: number): Promise<void> {
  const BATCH = 5000;
  for (let i = from; i < to; i += BATCH) {
    const batch: CloudTrailEvent[] = [];
    for (let j = i; j < Math.min(to, i + BATCH); j++) batch.push(event(j));
    await store.appendEvents(batch, false);
  }
}

await load(0, total);
const queries = new EventQueries(store);
const index = new LastAccessedIndex((afterId, limit) => queries.eventsAfter(afterId, limit));
const time = async (): Promise<number> => {
  const t = performance.now();
  await index.catchUp();
  return Number((performance.now() - t).toFixed(1));
};
const firstMs = await time();
await load(total, total + 1000);
const thousandNewMs = await time();
const nothingNewMs = await time();
const entries = [...Array(1000).keys()].reduce((n, u) => n + (index.usesOf(`AIDA${String(u).padStart(17, '0')}`)?.size ?? 0), 0);
process.stdout.write(`${JSON.stringify({ name: 'last-accessed', events: total, firstCatchUpMs: firstMs, eventsPerSecond: Math.round(total / (firstMs / 1000)), thousandNewMs, nothingNewMs, indexEntries: entries })}\n`);
await store.close();
rmSync(dir, { recursive: true, force: true });
