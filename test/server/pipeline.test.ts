// The route table and the pipeline every route passes through: limits (413 in the route's own
// format, read by the client rather than a reset connection, and audited), test mode's reset
// token, and requests for services Gatehouse does not serve, answered in their own protocol.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { loadConfig } from '../../src/server/config.ts';
import { startGatehouse } from '../../src/server/gatehouse.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

/** Posts `size` bytes, and answers what the client read: the status and body, or the socket error. */
function post(url: string, size: number, contentType: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'content-length': size } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('the pipeline', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse();
  });
  after(() => gh.close());

  test('a body over the AWS route limit is answered 413 in AWS XML, read by the client, and audited', async () => {
    const answer = await post(`${gh.endpoint}/`, 2 * 1024 * 1024, 'application/x-www-form-urlencoded');
    assert.equal(answer.error, undefined, 'the client reads an answer, not a reset connection');
    assert.equal(answer.status, 413);
    assert.match(answer.body!, /<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code><Message>Request body too large\.<\/Message>/);
    const trail = new CloudTrailClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: gh.credentials, maxAttempts: 1 });
    const { Events } = await trail.send(new LookupEventsCommand({ MaxResults: 50 }));
    assert.ok(Events!.some((e) => JSON.parse(e.CloudTrailEvent!).errorCode === 'RequestEntityTooLarge'), 'the refusal is in the trail');
    // The server goes on serving.
    await gh.iam.send(new ListUsersCommand({}));
  });

  test('a sign-in body over its limit is answered 413 in the sign-in JSON format', async () => {
    const answer = await post(`${gh.endpoint}/signin`, 64 * 1024, 'application/json');
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body!), { Error: { Code: 'RequestEntityTooLarge', Message: 'Request body too large.' } });
  });

  test('S3 through its own SDK client: a clear error, in S3\'s protocol', async () => {
    const s3 = new S3Client({ endpoint: gh.endpoint, region: 'us-east-1', credentials: gh.credentials, forcePathStyle: true, maxAttempts: 1 });
    await assert.rejects(s3.send(new ListBucketsCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'UnsupportedService');
      assert.match(e.message, /^Gatehouse does not serve s3/);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      return true;
    });
  });

  test('a JSON service (Organizations, today) through its own SDK client: a clear error, in AWS JSON', async () => {
    const org = new OrganizationsClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: gh.credentials, maxAttempts: 1 });
    await assert.rejects(org.send(new ListAccountsCommand({})), (e: Error) => {
      assert.equal(e.name, 'UnsupportedService');
      assert.match(e.message, /^Gatehouse does not serve organizations/);
      return true;
    });
  });
});

describe('test mode reset', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse();
  });
  after(() => gh.close());

  const reset = (headers: Record<string, string> = {}, query = '') => fetch(`${gh.endpoint}/_gatehouse/reset${query}`, { method: 'POST', headers });
  const token = () => readFileSync(join(gh.dataDir, 'reset-token'), 'utf8').trim();
  const users = async () => (await gh.iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);

  test('the token is written to <data dir>/reset-token, readable by its owner only', () => {
    assert.equal(statSync(join(gh.dataDir, 'reset-token')).mode & 0o777, 0o600);
    assert.ok(token().length >= 32);
  });

  test('without the token, or with a wrong one, nothing is reset: 403', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'keep-me' }));
    for (const res of [await reset(), await reset({ 'x-gatehouse-reset-token': 'wrong' }), await reset({}, '?token=wrong')]) {
      assert.equal(res.status, 403);
      assert.match((await res.json() as { Error: { Code: string } }).Error.Code, /^(MissingResetToken|InvalidResetToken)$/);
    }
    assert.ok((await users()).includes('keep-me'));
  });

  test('a cross-origin form cannot reset: it can send neither the header nor the token', async () => {
    const res = await fetch(`${gh.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'token=' });
    assert.equal(res.status, 403);
    assert.ok((await users()).includes('keep-me'));
  });

  test('with the token as the header, or as the query parameter, the account is reset', async () => {
    assert.equal((await reset({ 'x-gatehouse-reset-token': token() })).status, 200);
    assert.deepEqual(await users(), ['admin']);
    await gh.iam.send(new CreateUserCommand({ UserName: 'again' }));
    assert.equal((await reset({}, `?token=${encodeURIComponent(token())}`)).status, 200);
    assert.deepEqual(await users(), ['admin']);
  });

  test('GATEHOUSE_RESET_TOKEN sets the token', async () => {
    const fixed = await startTestGatehouse({ env: { GATEHOUSE_RESET_TOKEN: 'a-token-of-my-own' } });
    try {
      const wrong = await fetch(`${fixed.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-reset-token': 'other' } });
      assert.equal(wrong.status, 403);
      const right = await fetch(`${fixed.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-reset-token': 'a-token-of-my-own' } });
      assert.equal(right.status, 200);
    } finally {
      await fixed.close();
    }
  });
});

describe('the request log', () => {
  test('a client that goes away mid-request is noted at info level, with no error and no stack', async () => {
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
    const server = await startGatehouse(loadConfig(['--data-dir', dataDir, '--port', '0'], {}), {
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
      announce: () => undefined,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nAction=ListUsers&');
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
        socket.on('error', reject);
      });
      for (let i = 0; i < 50 && !lines.some((l) => l.msg === 'client went away'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(lines.some((l) => l.msg === 'client went away' && l.level === 30), 'noted at info level');
      assert.deepEqual(lines.filter((l) => l.level >= 50), [], 'nothing logged as an error');
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
