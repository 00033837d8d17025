// npm run bench:server -- [seconds]
// Starts Gatehouse (10 users) and a bare Node HTTP server answering Gatehouse's own ListUsers
// document, each in its own process, and loads them with the same signed ListUsers request on 4
// keep-alive connections: in turns of a second or so, alternating, so that both see the same
// machine. Both run with the Node options `npm start` gives Gatehouse (package.json). Prints one
// JSON line with requests/s and p50/p99 latency for both.
// Knobs for investigations: BENCH_CONNECTIONS (default 4), BENCH_SLICES (turns per server,
// default seconds), BENCH_NODE_FLAGS (extra node flags for both servers), BENCH_PROFILE=1 (CPU
// profiles of both servers in /tmp/sprof).
import { interleaved, signedListUsers, startServer } from './support/load.ts';

const seconds = Number(process.argv[2] || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 4);
const slices = Number(process.env.BENCH_SLICES || Math.max(1, Math.round(seconds)));

const gatehouse = await startServer('support/gatehouse-server.ts');
const bare = await (async () => {
  // The bare server answers exactly what Gatehouse answers (10 users), so both send the same bytes.
  const req = await signedListUsers(gatehouse.port);
  const answer = await fetch(`http://127.0.0.1:${gatehouse.port}/`, { method: 'POST', headers: req.headers, body: req.body });
  if (answer.status !== 200) throw new Error(`Gatehouse answered ${answer.status}: ${await answer.text()}`);
  return startServer('support/bare-server.ts', { BENCH_DOCUMENT: await answer.text() });
})();
try {
  const targets = [gatehouse, bare];
  const requests = await Promise.all(targets.map((t) => signedListUsers(t.port)));
  const [g, b] = await interleaved(targets.map((t, i) => ({ port: t.port, req: requests[i]! })), seconds, slices, connections);
  const figures = { gatehouse: g!.figures(), bare: b!.figures() };
  console.log(JSON.stringify({ name: 'server', connections, seconds, slices, ...figures, ratio: Number((figures.gatehouse.requestsPerSec / figures.bare.requestsPerSec).toFixed(3)) }));
} finally {
  for (const t of [gatehouse, bare]) t.child.kill('SIGTERM');
}
