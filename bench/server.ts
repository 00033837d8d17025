// npm run bench:server -- [seconds]
// Starts Gatehouse (10 users) and a bare Node HTTP server answering a fixed document, each in its
// own process, loads each in turn with the same signed ListUsers request on 4 keep-alive
// connections, and prints one JSON line with requests/s and p50/p99 latency for both.
// Knobs for investigations: BENCH_CONNECTIONS (default 4), BENCH_NODE_FLAGS (extra node flags for
// both servers), BENCH_PROFILE=1 (CPU profiles of both servers in /tmp/sprof).
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { Sha256 } from '../test/support/sha256.ts';
import { SignatureV4 } from '@smithy/signature-v4';

const seconds = Number(process.argv[2] || 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 4);
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function startChild(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/sprof'] : []), ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), '--import', 'tsx', new URL(script, import.meta.url).pathname], {
    env: { ...process.env, BENCH_KEY_ID: KEY_ID, BENCH_SECRET: SECRET, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, port: JSON.parse(line).port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** One ListUsers request signed once; replaying it is valid for the 15-minute signature window. */
async function signedListUsers(port: number) {
  const body = 'Action=ListUsers&Version=2010-05-08';
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

async function load(port: number, req: { headers: Record<string, string>; body: string }) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t = performance.now();
      const r = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
        if (res.statusCode !== 200) failures++;
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t);
          resolve();
        });
      });
      r.on('error', reject);
      r.end(req.body);
    });
  const worker = async () => {
    while (performance.now() < until) await one();
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => Number((latencies[Math.floor(q * (latencies.length - 1))] * 1000).toFixed(0));
  return { requestsPerSec: Math.round(latencies.length / elapsed), p50us: pct(0.5), p99us: pct(0.99), failures };
}

async function measure(script: string) {
  const { child, port } = await startChild(script);
  try {
    const req = await signedListUsers(port);
    await load(port, req); // warm-up pass (JIT, caches), not counted
    return await load(port, req);
  } finally {
    child.kill('SIGTERM');
  }
}

const gatehouse = await measure('./support/gatehouse-server.ts');
const bare = await measure('./support/bare-server.ts');
console.log(JSON.stringify({ name: 'server', connections: CONNECTIONS, gatehouse, bare, ratio: Number((gatehouse.requestsPerSec / bare.requestsPerSec).toFixed(3)) }));
