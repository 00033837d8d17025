// A local webhook receiver for alert tests: records what it is sent and answers `status`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local webhook receiver; `status` decides what it answers (e.g. 500 to force retries). */
export async function startReceiver(): Promise<{ url: string; received: Received[]; status: number; waitFor(pred: (r: Received) => boolean, ms?: number): Promise<Received>; close(): Promise<void> }> {
  const received: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (state.status === 200) received.push(r);
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    async waitFor(pred, ms = 5000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching webhook within ${ms} ms (got ${received.length}: ${received.map((r) => JSON.parse(r.body).rule).join(', ')})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
