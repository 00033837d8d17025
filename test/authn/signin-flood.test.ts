// A sign-in flood: eight clients posting random names as fast as they are answered. Password
// hashing is admitted a few at a time and one per source, so the flood is refused quickly
// (SignInBusy, 503), signed API calls keep their latency, and a real user from another source
// signs in within 5 s. Bounded: one flood of a few seconds; coarse bounds measured here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLoginProfileCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';

const PASSWORD = 'Correct-h0rse-battery!';

describe('a sign-in flood', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse({
      env: {
        GATEHOUSE_PASSWORD_HASH_COST: '15', // a real cost: a fifth of a second of a core per check, more when loaded
        GATEHOUSE_PASSWORD_HASH_CONCURRENCY: '1',
        GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD: '100000', // the flood meets the hashing gate, not the lockout
        GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1,::1',
      },
    });
    await gh.iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await gh.iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD }));
  });
  after(() => gh.close());

  const signin = async (userName: string, password: string, from: string) => {
    const started = performance.now();
    const res = await fetch(`${gh.endpoint}/signin`, {
      method: 'POST',
      headers: { 'x-forwarded-for': from },
      body: JSON.stringify({ account: gh.accountId, userName, password }),
    });
    const body = (await res.json()) as { Error?: { Code: string } };
    return { status: res.status, code: body.Error?.Code, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
  };

  test('is refused quickly, leaves API calls their latency, and lets a real user in from elsewhere', async () => {
    const rssBefore = process.memoryUsage().rss;
    const until = performance.now() + 4000;
    const flood: Awaited<ReturnType<typeof signin>>[] = [];
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) flood.push(await signin(`nobody-${c}-${i}`, 'Wrong-passw0rd!', '203.0.113.1'));
    });

    await new Promise((r) => setTimeout(r, 500));
    const api: number[] = [];
    const apiCalls = (async () => {
      while (performance.now() < until - 500) {
        const t = performance.now();
        await gh.iam.send(new ListUsersCommand({}));
        api.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const real = await signin('alice', PASSWORD, '198.51.100.5');
    await Promise.all([...clients, apiCalls]);

    assert.equal(real.status, 200, `the real user signs in (${real.code})`);
    assert.ok(real.ms <= 5000, `within 5 s (${Math.round(real.ms)} ms)`);
    assert.ok(api.length > 0 && Math.max(...api) <= 1000, `signed API calls answer within 1 s under the flood (max ${Math.round(Math.max(...api))} ms)`);
    const refused = flood.filter((a) => a.status === 503);
    assert.ok(refused.length > flood.length / 2, `most of the flood is refused (${refused.length} of ${flood.length})`);
    assert.ok(refused.every((a) => a.code === 'SignInBusy' && a.retryAfter === '1'));
    const times = refused.map((a) => a.ms).sort((a, b) => a - b);
    assert.ok(times[Math.floor(times.length / 2)]! <= 1000, `refusals are quick (median ${Math.round(times[Math.floor(times.length / 2)]!)} ms)`);
    assert.ok(flood.every((a) => a.status === 503 || a.code === 'SignInFailed'), 'everything else is an ordinary failure');
    assert.ok(process.memoryUsage().rss - rssBefore < 512 * 1024 * 1024, 'memory stays bounded');
  });
});
