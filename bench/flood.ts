// npm run bench:flood -- [seconds]
// An anonymous flood: Gatehouse in its own process (as `npm start` runs it), loaded for 20 s (or
// `seconds`) on 8 keep-alive connections with requests that authenticate as nobody: unsigned
// ListUsers, and ListUsers signed with a wrong secret. Prints one JSON line: requests sent and
// answered by status, the data directory's growth in bytes (every file, WAL included, once the
// trail is flushed), and the server's RSS before, at its highest during, and 5 s after the flood,
// with its heap's figures. Reading them: RSS that grows while heapUsed does not is mostly the
// young generation growing to the 64 MB semi-spaces `npm start` allows (BENCH_NODE_FLAGS=
// --max-semi-space-size=16 shows it), kept, not leaked; BENCH_NODE_FLAGS=--expose-gc collects
// garbage before each heap figure, so heapUsed is what the server keeps.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../test/support/sha256.ts';
import { KEY_ID, signedListUsers, startServer, type SignedRequest } from './support/load.ts';

const seconds = Number(process.argv[2] || 20);
const connections = Number(process.env.BENCH_CONNECTIONS || 8);
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-flood-'));

/** Bytes of every file under `dir`. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? sizeOf(p) : statSync(p).size;
  }
  return total;
}

/** The child's resident set in bytes (Linux), or null where /proc is not there. */
function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function badlySigned(port: number): Promise<SignedRequest> {
  const body = 'Action=ListUsers&Version=2010-05-08';
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: { accessKeyId: KEY_ID, secretAccessKey: 'not-the-secret' }, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

const gatehouse = await startServer('support/gatehouse-server.ts', { BENCH_DATA_DIR: dataDir });
const pid = gatehouse.child.pid!;
/** The server's process.memoryUsage(), asked for with SIGUSR2 (bench/support/gatehouse-server.ts). */
const waiting: ((m: NodeJS.MemoryUsage) => void)[] = [];
createInterface({ input: gatehouse.child.stdout! }).on('line', (line) => {
  if (line.startsWith('{"memory"')) waiting.shift()?.(JSON.parse(line).memory);
});
const memory = () => new Promise<NodeJS.MemoryUsage>((resolve) => {
  waiting.push(resolve);
  gatehouse.child.kill('SIGUSR2');
});
const mb = (n: number) => Math.round(n / 1048576);
const heapOf = (m: NodeJS.MemoryUsage) => ({ heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers) });
try {
  const body = 'Action=ListUsers&Version=2010-05-08';
  const unsigned: SignedRequest = { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(body.length) }, body };
  const kinds = [unsigned, await badlySigned(gatehouse.port)];
  const good = await signedListUsers(gatehouse.port);
  /** A signed call: it reads, and LookupEvents-style readers flush; here it proves the server answers. */
  const send = (agent: Agent | undefined, req: SignedRequest) =>
    new Promise<number>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port: gatehouse.port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      r.on('error', reject);
      r.end(req.body);
    });
  await new Promise((r) => setTimeout(r, 1000));
  const sizeBefore = sizeOf(dataDir);
  const rssBefore = rssOf(pid);
  const heapBefore = heapOf(await memory());
  let rssPeak = rssBefore ?? 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(pid) ?? 0)), 250);

  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses: Record<string, number> = {};
  let sent = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < until; i++) {
      sent++;
      const status = await send(agent, kinds[i % kinds.length]!);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  agent.destroy();
  const goodStatus = await send(undefined, good);
  await new Promise((r) => setTimeout(r, 5000)); // the writer's batches and the aggregates' windows settle
  clearInterval(sampler);
  const rssAfter = rssOf(pid);
  const heapAfter = heapOf(await memory());
  const growth = sizeOf(dataDir) - sizeBefore;
  console.log(JSON.stringify({
    name: 'flood', seconds, connections, requestsSent: sent, requestsPerSec: Math.round(sent / seconds), statuses, signedCallAfter: goodStatus,
    dataDirGrowthBytes: growth, rssBeforeBytes: rssBefore, rssPeakBytes: rssPeak, rssAfterBytes: rssAfter, heapBefore, heapAfter,
  }));
} finally {
  gatehouse.child.kill('SIGTERM');
  await new Promise((r) => gatehouse.child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
