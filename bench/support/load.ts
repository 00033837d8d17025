// The load generator of bench:server: servers in child processes, one signed request replayed on
// keep-alive connections, and the figures of a run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/support/sha256.ts';

export const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export interface Target {
  child: ChildProcess;
  port: number;
}

/**
 * The Node options `npm start` runs Gatehouse with (package.json): both servers of a benchmark
 * run with them, so that Gatehouse is measured as it is run and the bare server on the same runtime.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const m = /^(?:exec )?node((?: --\S+)*) bin\/gatehouse\.mjs\b/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json's start script is not "node [--options] bin/gatehouse.mjs …": ${pkg.scripts.start}`);
  return m[1]!.trim().split(' ').filter((f) => f !== '');
}

/** Starts a server script (relative to bench/) that prints {"port": N} once listening. */
export function startServer(script: string, env: Record<string, string> = {}): Promise<Target> {
  const flags = [
    ...startNodeFlags(),
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/sprof'] : []),
    ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
  ];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', new URL(`../${script}`, import.meta.url).pathname], {
    env: { ...process.env, ...env, BENCH_KEY_ID: KEY_ID, BENCH_SECRET: SECRET, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"port"')) resolve({ child, port: JSON.parse(line).port });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** One ListUsers request signed once; replaying it is valid for the 15-minute signature window. */
export async function signedListUsers(port: number): Promise<SignedRequest> {
  const body = 'Action=ListUsers&Version=2010-05-08';
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

/** Per target: the latencies (ms) of answered requests, the time spent loading it, failures. */
export class Tally {
  readonly latencies: number[] = [];
  seconds = 0;
  failures = 0;

  figures() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (q: number) => Number((sorted[Math.floor(q * (sorted.length - 1))]! * 1000).toFixed(0));
    return { requestsPerSec: Math.round(sorted.length / this.seconds), p50us: pct(0.5), p99us: pct(0.99), failures: this.failures };
  }
}

/** Loads one server for `seconds` on `connections` keep-alive connections, adding to `tally`. */
export async function load(port: number, req: SignedRequest, seconds: number, connections: number, tally?: Tally): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t = performance.now();
      const r = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
        if (res.statusCode !== 200 && tally) tally.failures++;
        res.resume();
        res.on('end', () => {
          tally?.latencies.push(performance.now() - t);
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
  await Promise.all(Array.from({ length: connections }, worker));
  if (tally) tally.seconds += (performance.now() - t0) / 1000;
  agent.destroy();
}

/**
 * Loads the servers in turn, `slices` times each, so that both see the same machine: on a shared
 * host the speed of the cores drifts by tens of percent within a minute.
 */
export async function interleaved(targets: { port: number; req: SignedRequest }[], seconds: number, slices: number, connections: number): Promise<Tally[]> {
  const tallies = targets.map(() => new Tally());
  for (const t of targets) await load(t.port, t.req, Math.min(2, seconds), connections); // warm-up (JIT, caches), not counted
  for (let i = 0; i < slices; i++) {
    for (let j = 0; j < targets.length; j++) await load(targets[j]!.port, targets[j]!.req, seconds / slices, connections, tallies[j]);
  }
  return tallies;
}
