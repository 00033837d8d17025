// The event writer thread: appends each batch it is sent through its own connection (JSON
// parsing, hash chain, lookup keys) and answers with the ids written, or with the error.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventAppender } from './event-appender.ts';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-event-sink.ts';
import type { EventKeysFunction } from './trail.ts';

const data = workerData as WriterData;
const eventKeys = data.eventKeys && ((await import(data.eventKeys.module)) as Record<string, EventKeysFunction>)[data.eventKeys.name];
if (data.eventKeys !== undefined && typeof eventKeys !== 'function') throw new Error(`${data.eventKeys.module} exports no function ${data.eventKeys.name}`);
const appender = openEventAppender(data.file, { eventKeys, chainKey: data.chainKey });
const prefilter = data.prefilter && new RegExp(data.prefilter.source, data.prefilter.flags);
const port = parentPort!;

port.on('message', (m: WriterRequest) => {
  let reply: WriterReply;
  try {
    const written = appender.append(m.jsons, m.durable);
    reply = { id: m.id, first: written?.first ?? 0, last: written?.last ?? 0 };
    // A batch's events have consecutive ids, in the order sent.
    if (prefilter !== undefined && written !== undefined) {
      const candidates: number[] = [];
      for (let i = 0; i < m.jsons.length; i++) if (prefilter.test(m.jsons[i]!)) candidates.push(written.first + i);
      reply.candidates = candidates;
    }
  } catch (e) {
    reply = { id: m.id, error: { message: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code as string | undefined } };
  }
  port.postMessage(reply);
});
